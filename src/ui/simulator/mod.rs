//! The simulator's half of the UI: the playground, its diagrams, inspector,
//! charts and the pure view models they draw. In a release build all of it
//! is the second wasm file, reached from the shell only through [`door`].
//! It may use the shell's plain pieces (browser helpers, saved work, share
//! links); the shell may not use it.

pub mod branch_compare;
pub mod branch_history;
pub mod branch_result;
pub mod branch_run;
pub mod branch_tree;
pub mod busy_bar;
pub mod chart;
pub mod code_editor;
pub mod door;
mod door_args;
pub mod editor_panels;
pub mod exercise_help;
pub mod hints;
pub mod inspect_table;
pub mod inspector;
pub mod inspector_model;
pub mod lesson_check;
pub mod lesson_playground;
pub mod playback;
pub mod playback_bar;
pub mod playground;
pub mod playground_header;
pub mod playground_model;
pub mod playground_text;
pub mod playground_work;
pub mod prepared_moment;
pub mod reset_question;
pub mod run_controls;
pub mod run_panel;
pub mod run_view;
pub mod scenario_edit;
pub mod scenario_tab;
pub mod sequence_arrow;
pub mod sequence_diagram;
pub mod sequence_model;
pub mod sequence_scroll;
pub mod share_box;
pub mod shared_banner;
pub mod shared_scenario;
pub mod shown_run;
pub mod slicing;
pub mod solution_toggle;
pub mod sweep_panel;
pub mod sweep_tally;
pub mod system_view;
pub mod task_gate;
pub mod topology;
pub mod topology_flow;
pub mod topology_model;
pub mod use_branches;
pub mod use_element_width;
pub mod use_moment;
pub mod use_playback;
pub mod use_playground;
pub mod use_saved_work;
pub mod use_scenario_edit;
pub mod use_sliced_run;
pub mod use_sweep;
pub mod variant_note;
pub mod what_if;
pub mod what_if_model;
pub mod yield_to_page;
