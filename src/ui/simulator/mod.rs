//! The simulator's half of the UI: the playground, its diagrams, inspector,
//! charts and the pure view models they draw. In a release build all of it
//! is the second wasm file, reached from the shell only through [`door`].
//! It may use the shell's plain pieces (browser helpers, saved work, share
//! links); the shell may not use it.

pub mod chart;
pub mod code_editor;
pub mod door;
pub mod inspector;
pub mod lesson_check;
pub mod lesson_playground;
pub mod playground;
pub mod playground_model;
pub mod run_panel;
pub mod run_view;
pub mod scenario_edit;
pub mod scenario_tab;
pub mod sequence_diagram;
pub mod sequence_model;
pub mod sequence_scroll;
pub mod share_box;
pub mod shared_scenario;
pub mod sweep_panel;
pub mod sweep_tally;
pub mod system_view;
pub mod task_gate;
pub mod topology;
pub mod topology_flow;
pub mod topology_model;
pub mod use_element_width;
pub mod yield_to_page;
