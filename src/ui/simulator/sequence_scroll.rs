//! Where to scroll the sequence diagram sideways so an arrow is seen: the
//! diagram is often wider than its box (a lifeline per environment), and
//! the arrow a lesson asks for (the stale write, on the store's lifeline at
//! the far right) or the one the keyboard focuses must not stay cut off.
//! Pure, so it is tested natively; `sequence_diagram` applies it.

use super::sequence_model::{SequenceModel, LIFELINE_SPACING_PX, MAX_LABEL_CHARS};

/// Half a lifeline's header: a lifeline is shown when its whole header is.
const HALF_HEAD_PX: f64 = LIFELINE_SPACING_PX as f64 / 2.0;
/// Half the widest label (`MAX_LABEL_CHARS` of 11 px bold type, about
/// 7 px each).
const HALF_LABEL_PX: f64 = MAX_LABEL_CHARS as f64 * 7.0 / 2.0;

/// A horizontal extent, in pixels of the drawing.
#[derive(Clone, Copy)]
struct Span {
    left: f64,
    right: f64,
}

impl Span {
    fn around(x: f64, half: f64) -> Span {
        Span {
            left: x - half,
            right: x + half,
        }
    }
    fn and(self, other: Span) -> Span {
        Span {
            left: self.left.min(other.left),
            right: self.right.max(other.right),
        }
    }
    fn width(self) -> f64 {
        self.right - self.left
    }
}

/// The `scrollLeft` that shows arrow `index` of `model` in a box
/// `view_width_px` wide now scrolled to `scroll_left_px`: unchanged when
/// the arrow, its label and both lifeline headers are already in view;
/// when they do not fit, the head's lifeline and the label are shown
/// (where the arrow lands is what a lesson names), else the head alone.
pub fn scroll_left_to_show(
    model: &SequenceModel,
    index: usize,
    scroll_left_px: f64,
    view_width_px: f64,
) -> f64 {
    let Some(arrow) = model.arrows.get(index) else {
        return scroll_left_px;
    };
    let from = f64::from(model.lifeline_x_px(arrow.from));
    let to = f64::from(model.lifeline_x_px(arrow.to));
    let label = if arrow.is_self() {
        Span {
            left: from,
            right: from + 2.0 * HALF_LABEL_PX,
        }
    } else {
        let centre = SequenceModel::label_centre_x_px(from as i64, to as i64) as f64;
        Span::around(centre, HALF_LABEL_PX)
    };
    let head = Span::around(to, HALF_HEAD_PX);
    let needed = head.and(label);
    let wanted = needed.and(Span::around(from, HALF_HEAD_PX));
    let width = view_width_px.max(1.0);
    let rightwards = to >= from;
    let target = if wanted.width() <= width {
        in_view(wanted, scroll_left_px, width)
    } else if needed.width() <= width {
        if rightwards {
            needed.right - width
        } else {
            needed.left
        }
    } else if rightwards {
        head.right - width
    } else {
        head.left
    };
    // The time column scrolls with the rows; it need not stay in view.
    let most = f64::from(model.width_px()) - width;
    target.min(most.max(0.0)).max(0.0)
}

/// The least move of a box `width` wide at `scroll_left` that shows `span`
/// (which fits).
fn in_view(span: Span, scroll_left: f64, width: f64) -> f64 {
    if span.left < scroll_left {
        span.left
    } else if span.right > scroll_left + width {
        span.right - width
    } else {
        scroll_left
    }
}

/// The first arrow a lesson names: the first stale overwrite, else the
/// first failure or 429, so a run opens on what went wrong.
pub fn first_named_arrow(model: &SequenceModel) -> Option<usize> {
    use super::sequence_model::Emphasis;
    let first = |e: Emphasis| model.arrows.iter().position(|a| a.emphasis == e);
    first(Emphasis::Stale)
        .or_else(|| first(Emphasis::Error))
        .or_else(|| first(Emphasis::Throttle))
}
