//! Playback's arithmetic, natively: the pure half of `use_playback`.

use event_playground::ui::simulator::playback::{
    frame_step_ms, next_frame, play_from, FRAME_MS, SPEEDS,
};

#[test]
fn each_speed_moves_its_multiple_of_a_frame() {
    assert_eq!(frame_step_ms(1), u64::from(FRAME_MS));
    assert_eq!(frame_step_ms(16), 16 * u64::from(FRAME_MS));
    // The slowest: a quarter of real time.
    assert_eq!(frame_step_ms(0), u64::from(FRAME_MS) / 4);
    assert!(SPEEDS.iter().any(|(label, v)| *label == "1×" && *v == 1));
}

#[test]
fn playback_stops_exactly_at_the_end() {
    assert_eq!(next_frame(0, 1, 1_000), (50, false));
    assert_eq!(next_frame(980, 1, 1_000), (1_000, true));
    assert_eq!(next_frame(900, 64, 1_000), (1_000, true));
}

#[test]
fn play_at_the_end_starts_again_from_zero() {
    assert_eq!(play_from(1_000, 1_000), 0);
    assert_eq!(play_from(400, 1_000), 400);
}
