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

use std::ops::Range;

use super::sequence_arrow::{arrow_view, draw_arrow};
use super::sequence_model::{
    build, row_after_key, scroll_to_show, visible_range, HighlightKey, SequenceModel,
    HEADER_HEIGHT_PX, LIFELINE_SPACING_PX, ROW_HEIGHT_PX, TIME_COLUMN_PX,
};
use super::sequence_scroll::{first_named_arrow, scroll_left_to_show};
use crate::sim::TraceEvent;

/// The viewport height assumed until the scroll container is measured.
const DEFAULT_VIEWPORT_PX: f64 = 800.0;

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
    let diagram = Diagram::new(trace, until_ms);
    diagram.follow_new_runs();
    view! {
        <div class="sequence" role="region" aria-label="Sequence diagram">
            <Show
                when=move || diagram.model.with(|m| !m.is_empty())
                fallback=|| {
                    view! { <p class="sequence-empty">"No messages yet: run the scenario to draw its sequence diagram."</p> }
                }
            >
                <div class="sequence-bar">
                    <p class="sequence-summary">{move || diagram.summary()}</p>
                    <ul class="sequence-legend" aria-label="Legend">
                        <li class="seq-legend-stale">"stale overwrite"</li>
                        <li class="seq-legend-throttle">"429 throttled"</li>
                        <li class="seq-legend-error">"failed"</li>
                    </ul>
                </div>
                <p class="sequence-detail" aria-hidden="true">{move || diagram.detail()}</p>
                <div
                    class="sequence-scroll"
                    node_ref=diagram.scroller
                    on:scroll=move |_| diagram.measure()
                    on:keydown=move |ev| diagram.move_with_keys(&ev)
                    on:focusin=move |ev| diagram.follow_focus(&ev)
                >
                    {move || diagram.canvas()}
                </div>
            </Show>
        </div>
    }
}

/// The diagram's reactive state: the model, what is shown and drawn, the
/// highlighted arrow and the keyboard cursor. All handles, so it is `Copy`
/// into every closure of the view.
#[derive(Clone, Copy)]
struct Diagram {
    model: Memo<SequenceModel>,
    /// Rows at or before the scrubber's time.
    shown: Memo<usize>,
    scroll_top: RwSignal<f64>,
    viewport: RwSignal<f64>,
    /// The rows drawn: those in view, so a long trace scrolls smoothly.
    range: Memo<Range<usize>>,
    /// The arrow under the pointer or with the focus.
    hovered: RwSignal<Option<usize>>,
    /// The hovered arrow and the messages and calls it belongs to.
    hot: Memo<Option<(usize, Vec<HighlightKey>)>>,
    cursor: RwSignal<usize>,
    /// The diagram is one Tab stop: the arrow at the cursor, kept among
    /// the rows drawn; arrow keys, Page Up/Down, Home and End move it.
    tab_stop: Memo<usize>,
    scroller: NodeRef<leptos::html::Div>,
}

impl Diagram {
    fn new(trace: Signal<Vec<TraceEvent>>, until_ms: Signal<Option<u64>>) -> Diagram {
        let model = Memo::new(move |_| trace.with(|t| build(t)));
        let shown = Memo::new(move |_| {
            let until = until_ms.get();
            model.with(|m| m.rows_until(until))
        });
        let scroll_top = RwSignal::new(0.0f64);
        let viewport = RwSignal::new(DEFAULT_VIEWPORT_PX);
        let range =
            Memo::new(move |_| visible_range(shown.get(), scroll_top.get(), viewport.get()));
        let hovered = RwSignal::new(None::<usize>);
        let hot = Memo::new(move |_| {
            let index = hovered.get()?;
            model.with(|m| m.arrows.get(index).map(|a| (index, a.keys.clone())))
        });
        let cursor = RwSignal::new(0usize);
        let tab_stop = Memo::new(move |_| {
            let drawn = range.get();
            cursor
                .get()
                .clamp(drawn.start, drawn.end.saturating_sub(1).max(drawn.start))
        });
        Diagram {
            model,
            shown,
            scroll_top,
            viewport,
            range,
            hovered,
            hot,
            cursor,
            tab_stop,
            scroller: NodeRef::new(),
        }
    }

    /// Reads the scroll box's position and height (what is drawn follows).
    fn measure(self) {
        if let Some(el) = self.scroller.get_untracked() {
            self.scroll_top.set(f64::from(el.scroll_top()));
            self.viewport.set(f64::from(el.client_height()));
        }
    }

    /// Measures once mounted and again for each new run. A new run also
    /// clears the highlight, and the arrow a lesson asks for (the first
    /// stale write, failure or 429) is scrolled into view and becomes the
    /// Tab stop.
    fn follow_new_runs(self) {
        Effect::new(move |_| {
            self.model.track();
            if self.scroller.get().is_some() {
                self.measure();
            }
        });
        Effect::new(move |_| {
            let named = self.model.with(first_named_arrow);
            self.hovered.set(None);
            self.cursor.set(named.unwrap_or(0));
            if let Some(index) = named {
                request_animation_frame(move || {
                    if index < self.shown.get_untracked() {
                        show_row(self.scroller, self.model, index);
                        self.measure();
                    }
                });
            }
        });
    }

    /// Moves the cursor, scrolls its row into view (so it is drawn), then
    /// focuses it once drawn.
    fn move_with_keys(self, ev: &web_sys::KeyboardEvent) {
        let rows = self.shown.get_untracked();
        let page = (self.viewport.get_untracked() / f64::from(ROW_HEIGHT_PX)) as usize;
        let Some(next) = row_after_key(&ev.key(), self.tab_stop.get_untracked(), rows, page) else {
            return;
        };
        ev.prevent_default();
        self.cursor.set(next);
        let Some(el) = self.scroller.get_untracked() else {
            return;
        };
        let top = scroll_to_show(
            next,
            f64::from(el.scroll_top()),
            f64::from(el.client_height()),
        );
        el.set_scroll_top(top as i32);
        self.measure();
        request_animation_frame(move || focus_row(&el, next));
    }

    /// A click or Tab onto an arrow puts the cursor there, and scrolls
    /// sideways too: the arrow may be past the box's right edge.
    fn follow_focus(self, ev: &web_sys::FocusEvent) {
        let index = ev
            .target()
            .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
            .and_then(|el| el.get_attribute("data-row"))
            .and_then(|i| i.parse::<usize>().ok());
        if let Some(index) = index {
            self.cursor.set(index);
            if let Some(el) = self.scroller.get_untracked() {
                show_sideways(&el, self.model, index);
            }
        }
    }

    fn summary(self) -> String {
        let total = self.model.with(|m| m.arrows.len());
        let shown = self.shown.get();
        if shown == total {
            format!("{total} arrows, in time order. Up and Down move between them.")
        } else {
            format!(
                "{shown} of {total} arrows, up to the chosen time. Up and Down move between them."
            )
        }
    }

    fn detail(self) -> String {
        self.hot
            .get()
            .and_then(|(i, _)| {
                self.model
                    .with(|m| m.arrows.get(i).map(|a| a.description.clone()))
            })
            .unwrap_or_else(|| "Hover over or focus an arrow to follow its message.".to_string())
    }

    /// The heads, lifelines and the rows in view. Rebuilt when a new run
    /// arrives: rows are keyed by their index.
    fn canvas(self) -> impl IntoView {
        let (width, heads, lifelines) = self
            .model
            .with(|m| (m.width_px(), heads(m), lifeline_lines(m)));
        let shown = self.shown;
        let rows_height = move || SequenceModel::rows_height_px(shown.get());
        let row = move |index: usize| {
            self.model
                .with_untracked(|m| draw_arrow(m, index))
                .map(|parts| arrow_view(parts, index, self.hovered, self.hot, self.tab_stop))
        };
        let hot = self.hot;
        let range = self.range;
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
    }
}

/// Focuses row `index` of the scroll box `el`, once it is drawn.
fn focus_row(el: &web_sys::HtmlDivElement, index: usize) {
    let row = el
        .query_selector(&format!("[data-row=\"{index}\"]"))
        .ok()
        .flatten();
    if let Some(row) =
        row.and_then(|r| wasm_bindgen::JsCast::dyn_into::<web_sys::SvgElement>(r).ok())
    {
        let _ = row.focus();
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
