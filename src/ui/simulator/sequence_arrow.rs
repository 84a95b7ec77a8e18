//! One row of the sequence diagram: its geometry (line or loop, head,
//! label, hit area) and its view, focusable and highlighted with the
//! arrows of the same message or call. See [`super::sequence_diagram`].

use leptos::prelude::*;

use super::sequence_model::{
    Arrow, HighlightKey, SequenceModel, LIFELINE_SPACING_PX, ROW_HEIGHT_PX, TIME_COLUMN_PX,
};

/// Length of an arrowhead, in pixels.
const HEAD_PX: i64 = 8;
/// Width of the loop of an arrow to itself.
const LOOP_PX: i64 = 26;

/// What one row draws, computed from the model.
pub struct ArrowParts {
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
pub fn draw_arrow(model: &SequenceModel, index: usize) -> Option<ArrowParts> {
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
pub fn arrow_view(
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
    let class = lit_class(arrow.class(), arrow.keys.clone(), index, hot);
    let time_class = if same_time {
        "seq-time seq-time-repeat"
    } else {
        "seq-time"
    };
    let top = y - i64::from(ROW_HEIGHT_PX / 2);
    let enter = move || hovered.set(Some(index));
    // Only the row that set the highlight clears it: moving from one
    // arrow to the next may enter the next before leaving this one.
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

/// The row's CSS class, with `seq-highlight` while the hot arrow is this
/// one or shares a message or call with it.
fn lit_class(
    base_class: String,
    keys: Vec<HighlightKey>,
    index: usize,
    hot: Memo<Option<(usize, Vec<HighlightKey>)>>,
) -> impl Fn() -> String {
    move || {
        let lit = hot.with(|h| {
            h.as_ref()
                .is_some_and(|(i, k)| *i == index || keys.iter().any(|key| k.contains(key)))
        });
        if lit {
            format!("{base_class} seq-highlight")
        } else {
            base_class.clone()
        }
    }
}
