//! The app shell: what every page needs and the first wasm file holds
//! (header, theme, lesson list and lesson page, routing, saved work, share
//! links, crash handling, the service worker). It reaches the simulator only
//! through `super::simulator::door` (see that file; `tests/ui_layers.rs`
//! fails when a file here names the engine, the scenarios or another
//! simulator module).

pub mod app;
pub mod browser;
pub mod confirm_panel;
pub mod crash_alert;
pub mod crash_hook;
pub mod crash_record;
pub mod header;
pub mod lesson_drop_zone;
pub mod lesson_fetch;
pub mod lesson_list;
pub mod lesson_loader;
pub mod lesson_loader_model;
pub mod lesson_source;
pub mod lesson_view;
pub mod loader_feedback;
pub mod presenter;
pub mod route;
pub mod saved_work;
pub mod service_worker;
pub mod share_link;
pub mod shortcuts_help;
pub mod split_handle;
pub mod split_model;
pub mod theme;
pub mod use_hash_route;
pub mod use_lesson_loader;
pub mod use_your_work;
pub mod with_simulator;
pub mod work_table;
pub mod your_work;
pub mod your_work_model;
