//! Component tests in a real browser (wasm-bindgen-test in headless
//! Chromium). Run by scripts/test.sh with
//! `cargo test --target wasm32-unknown-unknown --test browser`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use event_playground::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Document, HtmlElement, HtmlSelectElement};

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts the app into a fresh container and returns it (the mount handle
/// is leaked: each test gets its own container).
fn mount_app() -> HtmlElement {
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), App);
    std::mem::forget(handle);
    container
}

/// Lets effects and listeners run.
async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
}

#[wasm_bindgen_test]
async fn shows_the_product_name_the_lesson_list_and_the_welcome_lesson() {
    web_sys::window().unwrap().location().set_hash("").unwrap();
    let app = mount_app();
    settle().await;
    let text = app.text_content().unwrap();
    assert!(text.contains("Event Playground"), "{text}");
    let nav = app
        .query_selector("nav[aria-label='Lessons']")
        .unwrap()
        .expect("lesson nav");
    assert!(nav.text_content().unwrap().contains("Welcome"));
    let current = app
        .query_selector("a[aria-current='page']")
        .unwrap()
        .expect("current lesson marked");
    assert!(current
        .get_attribute("href")
        .unwrap()
        .ends_with("/lesson/welcome"));
    let heading = app
        .query_selector("article h1")
        .unwrap()
        .expect("lesson heading");
    assert_eq!(
        heading.text_content().unwrap(),
        "Welcome to Event Playground"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_lesson_link_says_so_and_offers_the_first_lesson() {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/lesson/no-such-lesson")
        .unwrap();
    let app = mount_app();
    settle().await;
    let alert = app
        .query_selector("[role='alert']")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(text.contains("no-such-lesson"), "{text}");
    assert!(text.contains("Welcome"), "{text}");
    web_sys::window().unwrap().location().set_hash("").unwrap();
}

#[wasm_bindgen_test]
async fn following_a_link_changes_the_lesson_shown() {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/lesson/missing")
        .unwrap();
    let app = mount_app();
    settle().await;
    assert!(app.query_selector("article").unwrap().is_none());
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/lesson/welcome")
        .unwrap();
    settle().await;
    assert!(
        app.query_selector("article h1").unwrap().is_some(),
        "hashchange should show the lesson"
    );
    assert!(
        document().title().starts_with("Welcome"),
        "{}",
        document().title()
    );
}

#[wasm_bindgen_test]
async fn the_theme_switch_sets_and_remembers_the_theme() {
    let app = mount_app();
    settle().await;
    let select: HtmlSelectElement = app
        .query_selector("label.theme-switch select")
        .unwrap()
        .expect("theme select")
        .unchecked_into();
    select.set_value("dark");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    let root = document().document_element().unwrap();
    assert_eq!(root.get_attribute("data-theme").as_deref(), Some("dark"));
    let stored = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item("event-playground.theme")
        .unwrap();
    assert_eq!(stored.as_deref(), Some("dark"));

    select.set_value("system");
    select
        .dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(root.get_attribute("data-theme"), None);
}

#[wasm_bindgen_test]
async fn a_lesson_with_a_scenario_shows_its_text_at_once_and_its_playground_when_the_simulator_is_loaded(
) {
    web_sys::window()
        .unwrap()
        .location()
        .set_hash("#/lesson/out-of-order-bug")
        .unwrap();
    let app = mount_app();
    // The text is drawn with the mount; the simulator is asked for then and
    // arrives later (a separate file in release builds, a task here).
    let heading = app
        .query_selector("article h1")
        .unwrap()
        .expect("lesson heading");
    assert!(heading.text_content().unwrap().contains("out-of-order"));
    assert!(app
        .query_selector(".simulator-loading[role='status']")
        .unwrap()
        .is_some());
    assert!(app.query_selector("#playground-title").unwrap().is_none());
    settle().await;
    assert!(app.query_selector("#playground-title").unwrap().is_some());
    assert!(app.query_selector(".simulator-loading").unwrap().is_none());
}
