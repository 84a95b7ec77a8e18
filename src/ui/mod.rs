//! The web UI: Leptos components, one per file. View logic that can be
//! tested without a browser (routes, theme choice) lives in plain modules
//! beside the components.

pub mod app;
pub mod browser;
pub mod chart;
pub mod code_editor;
pub mod confirm_panel;
pub mod crash_alert;
pub mod crash_hook;
pub mod crash_record;
pub mod header;
pub mod inspector;
pub mod lesson_list;
pub mod lesson_loader;
pub mod lesson_playground;
pub mod lesson_source;
pub mod lesson_view;
pub mod playground;
pub mod playground_model;
pub mod presenter;
pub mod route;
pub mod run_panel;
pub mod saved_work;
pub mod scenario_edit;
pub mod scenario_tab;
pub mod sequence_diagram;
pub mod sequence_model;
pub mod sequence_scroll;
pub mod service_worker;
pub mod share_box;
pub mod share_link;
pub mod shared_scenario;
pub mod shortcuts_help;
pub mod simulator;
pub mod split_handle;
pub mod split_model;
pub mod sweep_panel;
pub mod system_view;
pub mod task_gate;
pub mod theme;
pub mod topology;
pub mod topology_flow;
pub mod topology_model;
pub mod use_element_width;
pub mod use_hash_route;
pub mod with_simulator;
pub mod yield_to_page;
pub mod your_work;

pub use app::App;

/// Mounts the app on the page's `<body>`. Called by `main.rs` only.
pub fn start() {
    // A panic still ends the app (a wasm trap), but first it leaves a record
    // for the page that index.html's guard restarts, and the console says
    // where (docs/architecture.md, "When the simulator fails").
    crash_hook::install();
    leptos::mount::mount_to_body(App);
    service_worker::register();
}
