//! Where to scroll the sequence diagram sideways so an arrow is seen: the
//! diagram is often wider than its box (a lifeline per environment), and
//! the arrow a lesson asks for (the stale write, on the store's lifeline at
//! the far right) or the one the keyboard focuses must not stay cut off.
//! Pure, so it is tested natively; `sequence_diagram` applies it.

use super::sequence_model::SequenceModel;

/// Room kept beside the arrow, for its label and head.
pub const SIDE_MARGIN_PX: f64 = 48.0;

/// The `scrollLeft` that shows arrow `index` of `model` in a box
/// `view_width_px` wide now scrolled to `scroll_left_px`: unchanged when
/// the arrow is already in view; when it is wider than the box, its head
/// (where it lands, with the label beside it) is shown.
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
    let (left, right) = (from.min(to) - SIDE_MARGIN_PX, from.max(to) + SIDE_MARGIN_PX);
    // The time column scrolls with the rows; it need not stay in view.
    let left = left.max(0.0);
    let width = view_width_px.max(1.0);
    let target = if right - left > width {
        // Too wide: show the head end.
        if to >= from {
            right - width
        } else {
            left
        }
    } else if left < scroll_left_px {
        left
    } else if right > scroll_left_px + width {
        right - width
    } else {
        scroll_left_px
    };
    let most = f64::from(model.width_px()) - width;
    target.min(most.max(0.0)).max(0.0)
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
