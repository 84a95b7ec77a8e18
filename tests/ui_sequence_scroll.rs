//! The sequence diagram scrolls sideways to the arrow a lesson asks for:
//! the first stale write of lesson 5 is on the store's lifeline, far to
//! the right of a 408 px box; a focused arrow is brought into view.

use event_playground::scenario::{load, run_seed};
use event_playground::ui::simulator::sequence_model::{
    build, Emphasis, LifelineKind, SequenceModel, LIFELINE_SPACING_PX, MAX_LABEL_CHARS,
};
use event_playground::ui::simulator::sequence_scroll::{first_named_arrow, scroll_left_to_show};

mod disk;
use disk::Disk;

const BOX_PX: f64 = 408.0;

fn lesson_5_seed_136() -> SequenceModel {
    let scenario =
        load("lessons/05-out-of-order-bug.md", &Disk).unwrap_or_else(|d| panic!("{}", d[0]));
    let (_, outcome) = run_seed(&scenario, 136);
    build(&outcome.trace)
}

#[test]
fn a_run_opens_on_its_first_stale_write() {
    let model = lesson_5_seed_136();
    let index = first_named_arrow(&model).expect("seed 136 has a stale write");
    assert_eq!(model.arrows[index].emphasis, Emphasis::Stale);
    assert!(model.arrows[..index]
        .iter()
        .all(|a| a.emphasis != Emphasis::Stale));
}

#[test]
fn the_stale_write_and_the_store_end_up_inside_the_box() {
    let model = lesson_5_seed_136();
    assert!(
        f64::from(model.width_px()) > BOX_PX,
        "the case the issue saw"
    );
    let index = first_named_arrow(&model).unwrap();
    let left = scroll_left_to_show(&model, index, 0.0, BOX_PX);
    let arrow = &model.arrows[index];
    let store = model.lifelines[arrow.to].kind;
    assert_eq!(store, LifelineKind::Store);
    let head = f64::from(model.lifeline_x_px(arrow.to));
    let tail = f64::from(model.lifeline_x_px(arrow.from));
    // The store's whole header (a lifeline spacing wide, centred on it)...
    let half_head = f64::from(LIFELINE_SPACING_PX) / 2.0;
    assert!(
        head - half_head >= left && head + half_head <= left + BOX_PX,
        "store header {head}±{half_head} outside {left}..{}",
        left + BOX_PX
    );
    // ...and the whole label (at most MAX_LABEL_CHARS of about 7 px).
    let centre = SequenceModel::label_centre_x_px(tail as i64, head as i64) as f64;
    let half_label = MAX_LABEL_CHARS as f64 * 7.0 / 2.0;
    assert!(
        centre - half_label >= left && centre + half_label <= left + BOX_PX,
        "label {centre}±{half_label} outside {left}..{}",
        left + BOX_PX
    );
    // Never scrolled past the drawing.
    assert!(left + BOX_PX <= f64::from(model.width_px()));
}

#[test]
fn an_arrow_already_in_view_does_not_move_the_box() {
    let model = lesson_5_seed_136();
    let first = 0;
    let left = scroll_left_to_show(&model, first, 0.0, 4000.0);
    assert_eq!(left, 0.0);
    let missing = scroll_left_to_show(&model, usize::MAX, 17.0, BOX_PX);
    assert_eq!(missing, 17.0);
}

#[test]
fn an_arrow_to_the_left_of_the_box_brings_the_box_back() {
    let model = lesson_5_seed_136();
    let at_end = f64::from(model.width_px()) - BOX_PX;
    let left = scroll_left_to_show(&model, 0, at_end, BOX_PX);
    assert!(left < at_end, "{left}");
    let a = &model.arrows[0];
    let x = f64::from(model.lifeline_x_px(a.from).min(model.lifeline_x_px(a.to)));
    assert!(x >= left, "{x} < {left}");
}

#[test]
fn a_long_arrow_keeps_its_label_one_spacing_from_its_head() {
    let spacing = i64::from(LIFELINE_SPACING_PX);
    // Short arrows: the middle, either way.
    assert_eq!(SequenceModel::label_centre_x_px(100, 400), 250);
    assert_eq!(SequenceModel::label_centre_x_px(400, 100), 250);
    // Long ones: one spacing back from where they land.
    assert_eq!(
        SequenceModel::label_centre_x_px(100, 100 + 4 * spacing),
        100 + 3 * spacing
    );
    assert_eq!(
        SequenceModel::label_centre_x_px(100 + 4 * spacing, 100),
        100 + spacing
    );
}
