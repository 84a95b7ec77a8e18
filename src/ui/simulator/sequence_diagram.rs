//! The sequence diagram of a run: one lifeline per client, endpoint, topic,
//! queue, function execution environment and the store; one arrow per row,
//! time flowing downward. Stale overwrites, 429s and failures stand out;
//! hovering or focusing an arrow highlights every arrow of its message or
//! call. Only the rows in view are drawn, so a long trace scrolls smoothly.
//!
//! Everything that can be computed without a browser (lifelines, arrows,
//! geometry, emphasis, words, the visible range) is in
//! [`super::sequence_model`]; this file only draws it.

use leptos::prelude::*;

use super::sequence_model::{
    build, row_after_key, scroll_to_show, visible_range, Arrow, HighlightKey, SequenceModel,
    HEADER_HEIGHT_PX, LIFELINE_SPACING_PX, ROW_HEIGHT_PX, TIME_COLUMN_PX,
};
use super::sequence_scroll::{first_named_arrow, scroll_left_to_show};
use crate::sim::TraceEvent;

/// The viewport height assumed until the scroll container is measured.
const DEFAULT_VIEWPORT_PX: f64 = 800.0;
/// Length of an arrowhead, in pixels.
const HEAD_PX: i64 = 8;
/// Width of the loop of an arrow to itself.
const LOOP_PX: i64 = 26;

/// A sequence diagram of a run's trace.
///
/// - `trace`: the run's trace events, in trace order. The diagram is
///   rebuilt when it changes (once per run, not per scroll or scrub).
/// - `until_ms` (optional): draw only the arrows at or before this virtual
///   time, for a time scrubber; `None` (the default) draws them all. The
///   lifelines stay put while scrubbing.
///
/// Mount it with the trace of the run on screen, e.g.
/// `<SequenceDiagram trace=Signal::derive(move || run.with(|r| r.trace.clone())) until_ms=scrubber/>`.
/// It is a region labelled "Sequence diagram" with no heading of its own;
/// style it with `style/sequence.css`.
#[component]
pub fn SequenceDiagram(
    #[prop(into)] trace: Signal<Vec<TraceEvent>>,
    #[prop(optional, into)] until_ms: Signal<Option<u64>>,
) -> impl IntoView {
    let model = Memo::new(move |_| trace.with(|t| build(t)));
    // Rows at or before the scrubber's time.
    let shown = Memo::new(move |_| {
        let until = until_ms.get();
        model.with(|m| m.rows_until(until))
    });
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(DEFAULT_VIEWPORT_PX);
    let range = Memo::new(move |_| visible_range(shown.get(), scroll_top.get(), viewport.get()));
    // The arrow under the pointer or with the focus, and what it belongs to.
    let hovered = RwSignal::new(None::<usize>);
    let hot = Memo::new(move |_| {
        let index = hovered.get()?;
        model.with(|m| m.arrows.get(index).map(|a| (index, a.keys.clone())))
    });

    // The diagram is one Tab stop: the arrow at the cursor (kept among the
    // rows drawn); arrow keys, Page Up/Down, Home and End move it.
    let cursor = RwSignal::new(0usize);
    let tab_stop = Memo::new(move |_| {
        let drawn = range.get();
        cursor
            .get()
            .clamp(drawn.start, drawn.end.saturating_sub(1).max(drawn.start))
    });

    let scroller = NodeRef::<leptos::html::Div>::new();
    let measure = move || {
        if let Some(el) = scroller.get_untracked() {
            scroll_top.set(f64::from(el.scroll_top()));
            viewport.set(f64::from(el.client_height()));
        }
    };
    Effect::new(move |_| {
        // Once mounted (and again when a new run arrives).
        model.track();
        if scroller.get().is_some() {
            measure();
        }
    });
    // A new run: nothing is highlighted any more, and the arrow a lesson
    // asks for (the first stale write, failure or 429) is scrolled into
    // view and is the diagram's Tab stop.
    Effect::new(move |_| {
        let named = model.with(first_named_arrow);
        hovered.set(None);
        cursor.set(named.unwrap_or(0));
        if let Some(index) = named {
            request_animation_frame(move || {
                if index < shown.get_untracked() {
                    show_row(scroller, model, index);
                    measure();
                }
            });
        }
    });

    // Moves the cursor, scrolls its row into view (so it is drawn), then
    // focuses it once drawn.
    let move_with_keys = move |ev: web_sys::KeyboardEvent| {
        let rows = shown.get_untracked();
        let page = (viewport.get_untracked() / f64::from(ROW_HEIGHT_PX)) as usize;
        let Some(next) = row_after_key(&ev.key(), tab_stop.get_untracked(), rows, page) else {
            return;
        };
        ev.prevent_default();
        cursor.set(next);
        if let Some(el) = scroller.get_untracked() {
            let top = scroll_to_show(
                next,
                f64::from(el.scroll_top()),
                f64::from(el.client_height()),
            );
            el.set_scroll_top(top as i32);
            measure();
            request_animation_frame(move || {
                let row = el
                    .query_selector(&format!("[data-row=\"{next}\"]"))
                    .ok()
                    .flatten();
                if let Some(row) =
                    row.and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::SvgElement>(r).ok())
                {
                    let _ = row.focus();
                }
            });
        }
    };
    // A click or Tab onto an arrow puts the cursor there.
    let follow_focus = move |ev: web_sys::FocusEvent| {
        let index = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.get_attribute("data-row"))
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(index) = index {
            cursor.set(index);
            // Sideways too: the arrow may be past the box's right edge.
            if let Some(el) = scroller.get_untracked() {
                show_sideways(&el, model, index);
            }
        }
    };

    let summary = move || {
        let total = model.with(|m| m.arrows.len());
        let shown = shown.get();
        if shown == total {
            format!("{total} arrows, in time order. Up and Down move between them.")
        } else {
            format!(
                "{shown} of {total} arrows, up to the chosen time. Up and Down move between them."
            )
        }
    };
    let detail = move || {
        hot.get()
            .and_then(|(i, _)| model.with(|m| m.arrows.get(i).map(|a| a.description.clone())))
            .unwrap_or_else(|| "Hover over or focus an arrow to follow its message.".to_string())
    };

    let diagram = move || {
        // Rebuilt when a new run arrives: rows are keyed by their index.
        let (width, heads, lifelines) = model.with(|m| (m.width_px(), heads(m), lifeline_lines(m)));
        let rows_height = move || SequenceModel::rows_height_px(shown.get());
        let row = move |index: usize| {
            model
                .with_untracked(|m| draw_arrow(m, index))
                .map(|parts| arrow_view(parts, index, hovered, hot, tab_stop))
        };
        view! {
            <div
                class="sequence-canvas"
                style:width=format!("{width}px")
                style:height=move || format!("{}px", HEADER_HEIGHT_PX + rows_height())
            >
                <div class="sequence-heads" style:height=format!("{HEADER_HEIGHT_PX}px")>
                    <div class="sequence-time-head" style:width=format!("{TIME_COLUMN_PX}px")>
                        "time"
                    </div>
                    {heads}
                </div>
                <svg
                    class="sequence-rows"
                    class:has-highlight=move || hot.with(Option::is_some)
                    width=width
                    height=rows_height
                    role="group"
                    aria-label="Arrows in time order"
                >
                    {lifelines
                        .into_iter()
                        .map(|(x, class)| {
                            view! {
                                <line class=class x1=x x2=x y1="0" y2=rows_height></line>
                            }
                        })
                        .collect_view()}
                    <For each=move || range.get() key=|i| *i children=row/>
                </svg>
            </div>
        }
    };

    view! {
        <div class="sequence" role="region" aria-label="Sequence diagram">
            <Show
                when=move || model.with(|m| !m.is_empty())
                fallback=|| {
                    view! { <p class="sequence-empty">"No messages yet: run the scenario to draw its sequence diagram."</p> }
                }
            >
                <div class="sequence-bar">
                    <p class="sequence-summary">{summary}</p>
                    <ul class="sequence-legend" aria-label="Legend">
                        <li class="seq-legend-stale">"stale overwrite"</li>
                        <li class="seq-legend-throttle">"429 throttled"</li>
                        <li class="seq-legend-error">"failed"</li>
                    </ul>
                </div>
                <p class="sequence-detail" aria-hidden="true">{detail}</p>
                <div
                    class="sequence-scroll"
                    node_ref=scroller
                    on:scroll=move |_| measure()
                    on:keydown=move_with_keys
                    on:focusin=follow_focus
                >
                    {diagram}
                </div>
            </Show>
        </div>
    }
}

/// Scrolls the diagram's box so row `index` is in view, both ways.
fn show_row(scroller: NodeRef<leptos::html::Div>, model: Memo<SequenceModel>, index: usize) {
    let Some(el) = scroller.get_untracked() else {
        return;
    };
    let top = scroll_to_show(
        index,
        f64::from(el.scroll_top()),
        f64::from(el.client_height()),
    );
    el.set_scroll_top(top as i32);
    show_sideways(&el, model, index);
}

/// Scrolls the diagram's box `el` sideways so row `index`'s arrow, its
/// label and the lifeline it lands on are in view.
fn show_sideways(el: &web_sys::HtmlDivElement, model: Memo<SequenceModel>, index: usize) {
    let left = model.with_untracked(|m| {
        scroll_left_to_show(
            m,
            index,
            f64::from(el.scroll_left()),
            f64::from(el.client_width()),
        )
    });
    el.set_scroll_left(left as i32);
}

/// The lifeline headers, placed over their lines.
fn heads(model: &SequenceModel) -> impl IntoView {
    model
        .lifelines
        .iter()
        .map(|l| {
            let left = i64::from(l.x_px) - i64::from(LIFELINE_SPACING_PX / 2);
            view! {
                <div
                    class=format!("sequence-head seq-lifeline-{}", l.kind.class())
                    style:left=format!("{left}px")
                    style:width=format!("{LIFELINE_SPACING_PX}px")
                    title=l.spoken()
                >
                    <span class="sequence-head-kind">{l.kind.word()}</span>
                    <span class="sequence-head-name">{l.label.clone()}</span>
                </div>
            }
        })
        .collect_view()
}

/// Each lifeline's x and CSS class.
fn lifeline_lines(model: &SequenceModel) -> Vec<(u32, String)> {
    model
        .lifelines
        .iter()
        .map(|l| {
            (
                l.x_px,
                format!("seq-lifeline seq-lifeline-{}", l.kind.class()),
            )
        })
        .collect()
}

/// What one row draws, computed from the model.
struct ArrowParts {
    arrow: Arrow,
    /// Same time as the row above (the time is drawn faintly).
    same_time: bool,
    y: i64,
    /// The line (or loop) as an SVG path.
    path: String,
    /// The arrowhead as SVG polygon points.
    head: String,
    label_x: i64,
    label_y: i64,
    label_anchor: &'static str,
    /// The row's hit area: x and width.
    hit_x: i64,
    hit_width: i64,
}

/// The geometry of row `index`, or `None` past the end.
fn draw_arrow(model: &SequenceModel, index: usize) -> Option<ArrowParts> {
    let arrow = model.arrows.get(index)?.clone();
    let same_time = index
        .checked_sub(1)
        .and_then(|i| model.arrows.get(i))
        .is_some_and(|prev| prev.time_ms == arrow.time_ms);
    let y = i64::from(SequenceModel::row_y_px(index));
    let x1 = i64::from(model.lifeline_x_px(arrow.from));
    let x2 = i64::from(model.lifeline_x_px(arrow.to));
    let parts = if arrow.is_self() {
        // A loop to the right, back into the lifeline.
        let top = y - 7;
        let bottom = y + 7;
        ArrowParts {
            path: format!(
                "M {x1} {top} H {} V {bottom} H {}",
                x1 + LOOP_PX,
                x1 + HEAD_PX
            ),
            head: format!(
                "{x1},{bottom} {},{} {},{}",
                x1 + HEAD_PX,
                bottom - 4,
                x1 + HEAD_PX,
                bottom + 4
            ),
            label_x: x1 + LOOP_PX + 6,
            label_y: y + 4,
            label_anchor: "start",
            hit_x: x1 - 4,
            hit_width: i64::from(LIFELINE_SPACING_PX),
            arrow,
            same_time,
            y,
        }
    } else {
        let dir = if x2 >= x1 { 1 } else { -1 };
        let tip_base = x2 - dir * HEAD_PX;
        ArrowParts {
            path: format!("M {x1} {y} H {tip_base}"),
            head: format!("{x2},{y} {tip_base},{} {tip_base},{}", y - 4, y + 4),
            label_x: SequenceModel::label_centre_x_px(x1, x2),
            label_y: y - 6,
            label_anchor: "middle",
            hit_x: x1.min(x2),
            hit_width: (x2 - x1).abs(),
            arrow,
            same_time,
            y,
        }
    };
    Some(parts)
}

/// One row: time, arrow, label; focusable, and in the Tab order when it
/// is the diagram's `tab_stop`.
fn arrow_view(
    parts: ArrowParts,
    index: usize,
    hovered: RwSignal<Option<usize>>,
    hot: Memo<Option<(usize, Vec<HighlightKey>)>>,
    tab_stop: Memo<usize>,
) -> impl IntoView {
    let ArrowParts {
        arrow,
        same_time,
        y,
        path,
        head,
        label_x,
        label_y,
        label_anchor,
        hit_x,
        hit_width,
    } = parts;
    let base_class = arrow.class();
    let keys = arrow.keys.clone();
    let class = move || {
        let lit = hot.with(|h| {
            h.as_ref()
                .is_some_and(|(i, k)| *i == index || keys.iter().any(|key| k.contains(key)))
        });
        if lit {
            format!("{base_class} seq-highlight")
        } else {
            base_class.clone()
        }
    };
    let time_class = if same_time {
        "seq-time seq-time-repeat"
    } else {
        "seq-time"
    };
    let top = y - i64::from(ROW_HEIGHT_PX / 2);
    let enter = move || hovered.set(Some(index));
    let leave = move || {
        if hovered.get_untracked() == Some(index) {
            hovered.set(None);
        }
    };
    view! {
        <g
            class=class
            tabindex=move || if tab_stop.get() == index { "0" } else { "-1" }
            data-row=index
            role="img"
            aria-label=arrow.description.clone()
            on:mouseenter=move |_| enter()
            on:mouseleave=move |_| leave()
            on:focus=move |_| enter()
            on:blur=move |_| leave()
        >
            <title>{arrow.description.clone()}</title>
            <rect
                class="seq-hit"
                x=hit_x - 6
                y=top + 1
                width=hit_width + 12
                height=ROW_HEIGHT_PX - 2
                rx="4"
            ></rect>
            <text class=time_class x=i64::from(TIME_COLUMN_PX) - 10 y=y + 4 text-anchor="end">
                {format!("{} ms", arrow.time_ms)}
            </text>
            <path class="seq-line" d=path></path>
            <polygon class="seq-tip" points=head></polygon>
            <text class="seq-label" x=label_x y=label_y text-anchor=label_anchor>
                {arrow.label.clone()}
            </text>
        </g>
    }
}
