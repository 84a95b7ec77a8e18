//! Component tests in a real browser (wasm-bindgen-test in headless
//! Chromium): each component is mounted alone on a fresh `<div>`, fed with
//! values from the real engine (a built-in lesson's scenario, run), and
//! checked the way a user meets it: roles, accessible names, text, keys and
//! clicks. Run by scripts/test.sh with
//! `cargo test --target wasm32-unknown-unknown --test browser_components`.
#![cfg(target_arch = "wasm32")]

use std::time::Duration;

use event_playground::lessons::builtin_lessons;
use event_playground::sim::WorldSnapshot;
use event_playground::ui::shell::split_handle::SplitHandle;
use event_playground::ui::simulator::chart::ChartView;
use event_playground::ui::simulator::code_editor::CodeEditor;
use event_playground::ui::simulator::inspector::Inspector;
use event_playground::ui::simulator::playground::Playground;
use event_playground::ui::simulator::playground_model::PlaygroundSetup;
use event_playground::ui::simulator::run_view::RunView;
use event_playground::ui::simulator::sequence_diagram::SequenceDiagram;
use event_playground::ui::simulator::sequence_model::{build, ROW_HEIGHT_PX};
use event_playground::ui::simulator::sequence_scroll::first_named_arrow;
use event_playground::ui::simulator::topology::TopologyDiagram;
use event_playground::ui::simulator::topology_model::{counters, NodeKind, Topology};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, HtmlTextAreaElement};

wasm_bindgen_test_configure!(run_in_browser);

// What a test needs from the DOM beyond web-sys' enabled features: finding
// elements by role and accessible name (a small subset of the ARIA rules,
// enough for the roles these components use), and real key and mouse
// events that bubble to Leptos' delegated listeners.
#[wasm_bindgen(inline_js = r#"
const IMPLICIT = {
  button: 'button,[role=button]',
  heading: 'h1,h2,h3,h4,h5,h6,[role=heading]',
  textbox: 'textarea,input:not([type]),input[type=text],[role=textbox]',
  separator: 'hr,[role=separator]',
  img: 'img,[role=img]',
  table: 'table,[role=table]',
  region: 'section[aria-label],section[aria-labelledby],[role=region]',
  group: 'fieldset,[role=group]',
  toolbar: '[role=toolbar]',
  status: 'output,[role=status]',
};
function selectorOf(role) { return IMPLICIT[role] ?? `[role=${role}]`; }
export function accessibleName(el) {
  if (el.hasAttribute('aria-label')) return el.getAttribute('aria-label').trim();
  const by = el.getAttribute('aria-labelledby');
  if (by) {
    return by.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? '').join(' ').replace(/\s+/g, ' ').trim();
  }
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}
function matching(root, role) {
  return [...root.querySelectorAll(selectorOf(role))].filter((el) => !el.closest('[aria-hidden=true]'));
}
export function countRole(root, role) { return matching(root, role).length; }
export function findRole(root, role, name, exact) {
  return matching(root, role).find((el) => {
    const n = accessibleName(el);
    return exact ? n === name : n.includes(name);
  }) ?? null;
}
export function countSelector(root, selector) { return root.querySelectorAll(selector).length; }
export function nthSelector(root, selector, n) { return root.querySelectorAll(selector)[n] ?? null; }
export function pressKey(el, key, ctrl) {
  const ev = new KeyboardEvent('keydown', { key, ctrlKey: ctrl, bubbles: true, cancelable: true });
  return !el.dispatchEvent(ev);
}
export function clickOn(el) {
  el.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true }));
}
export function fireInput(el) {
  el.dispatchEvent(new Event('input', { bubbles: true }));
}
export function focusOn(el) { el.focus(); }
export function scrollTo(el, top) {
  el.scrollTop = top;
  el.dispatchEvent(new Event('scroll'));
}
export function addStyle(css) {
  const style = document.createElement('style');
  style.textContent = css;
  document.head.appendChild(style);
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = accessibleName)]
    fn accessible_name(el: &Element) -> String;
    #[wasm_bindgen(js_name = countRole)]
    fn count_role(root: &Element, role: &str) -> u32;
    #[wasm_bindgen(js_name = findRole)]
    fn find_role(root: &Element, role: &str, name: &str, exact: bool) -> Option<Element>;
    #[wasm_bindgen(js_name = countSelector)]
    fn count_selector(root: &Element, selector: &str) -> u32;
    #[wasm_bindgen(js_name = nthSelector)]
    fn nth_selector(root: &Element, selector: &str, n: u32) -> Option<Element>;
    /// Dispatches a keydown; true if a listener prevented its default.
    #[wasm_bindgen(js_name = pressKey)]
    fn press_key(el: &Element, key: &str, ctrl: bool) -> bool;
    #[wasm_bindgen(js_name = clickOn)]
    fn click_on(el: &Element);
    #[wasm_bindgen(js_name = fireInput)]
    fn fire_input(el: &Element);
    #[wasm_bindgen(js_name = focusOn)]
    fn focus_on(el: &Element);
    #[wasm_bindgen(js_name = scrollTo)]
    fn scroll_to(el: &Element, top: f64);
    #[wasm_bindgen(js_name = addStyle)]
    fn add_style(css: &str);
}

fn document() -> web_sys::Document {
    web_sys::window().unwrap().document().unwrap()
}

/// Mounts a view into a fresh container and returns the container (the
/// handle is leaked: each test gets its own container and owner).
fn mount<F, N>(f: F) -> Element
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let handle = leptos::mount::mount_to(container.clone(), f);
    std::mem::forget(handle);
    container.unchecked_into()
}

/// Lets effects and listeners run.
async fn settle() {
    gloo_timers::future::sleep(Duration::from_millis(50)).await;
}

/// Waits up to ten seconds for `ready`, then fails saying `what`.
async fn wait_for(what: &str, mut ready: impl FnMut() -> bool) {
    for _ in 0..200 {
        if ready() {
            return;
        }
        settle().await;
    }
    panic!("timed out waiting for {what}");
}

/// The playground of a built-in lesson.
fn setup(lesson_id: &str) -> PlaygroundSetup {
    let lessons = builtin_lessons().expect("built-in lessons parse");
    let lesson = lessons
        .iter()
        .find(|l| l.meta.id == lesson_id)
        .unwrap_or_else(|| panic!("no built-in lesson {lesson_id}"));
    PlaygroundSetup::from_lesson(lesson)
        .expect("the lesson has a scenario")
        .expect("the lesson's scenario is valid")
}

/// A run of a lesson's starting code with its own seed.
fn run(setup: &PlaygroundSetup) -> RunView {
    run_code(setup, &setup.starting_code())
}

/// The reference solution of a lesson's exercise.
fn solution(setup: &PlaygroundSetup) -> String {
    setup
        .exercise
        .as_ref()
        .map(|e| e.exercise.solution.clone())
        .expect("the lesson has an exercise")
}

/// A run of `code` with the lesson's own seed.
fn run_code(setup: &PlaygroundSetup, code: &str) -> RunView {
    let seed = setup.scenario.config.scenario.seed;
    let view = setup.run(code, seed);
    assert!(view.error.is_none(), "{:?}", view.error);
    view
}

fn text(el: &Element) -> String {
    el.text_content().unwrap_or_default()
}

fn attr(el: &Element, name: &str) -> String {
    el.get_attribute(name).unwrap_or_default()
}

// ---------------------------------------------------------------- CodeEditor

#[wasm_bindgen_test]
async fn code_editor_numbers_every_line_and_marks_the_error_line() {
    let code = RwSignal::new("fn handler(event, context) {\n}\n".to_string());
    let error_line = RwSignal::new(None::<u32>);
    let root = mount(move || {
        view! {
            <CodeEditor
                label="Code of function save".to_string()
                code
                on_run=Callback::new(|_| ())
                error_line
            />
        }
    });
    settle().await;
    let editor = find_role(&root, "textbox", "Code of function save", true)
        .expect("a textbox named after the function");
    let area: HtmlTextAreaElement = editor.clone().unchecked_into();
    assert_eq!(area.value(), code.get_untracked());
    assert_eq!(count_selector(&root, ".line-numbers span"), 2);
    assert_eq!(count_selector(&root, ".error-line"), 0);

    // Typing (an input event) adds lines, and the numbers follow.
    area.set_value("let a = 1;\nlet b = 2;\nlet c = a +;\nlet d = 4;\n");
    fire_input(&editor);
    settle().await;
    assert_eq!(
        code.get_untracked(),
        area.value(),
        "the edit is written back"
    );
    assert_eq!(count_selector(&root, ".line-numbers span"), 4);

    // An error on line 3 marks line 3, and only it.
    error_line.set(Some(3));
    settle().await;
    assert_eq!(count_selector(&root, ".error-line"), 1);
    let marked = nth_selector(&root, ".error-line", 0).unwrap();
    assert_eq!(text(&marked), "3");
    // Not by colour alone: the textbox is invalid, and its description
    // (read with it) names the line.
    assert_eq!(attr(&editor, "aria-invalid"), "true");
    let described = attr(&editor, "aria-describedby");
    let said: Vec<String> = described
        .split_whitespace()
        .filter_map(|id| document().get_element_by_id(id))
        .map(|el| text(&el))
        .collect();
    assert!(
        said.iter().any(|t| t.starts_with("Line 3 has an error")),
        "{said:?}"
    );
    error_line.set(None);
    settle().await;
    assert_eq!(count_selector(&root, ".error-line"), 0);
    assert_eq!(attr(&editor, "aria-invalid"), "");

    // The keys are explained next to the editor.
    assert!(attr(&editor, "aria-describedby").contains("editor-keys"));
    assert!(text(&root).contains("Ctrl+Enter runs"));
}

#[wasm_bindgen_test]
async fn code_editor_tab_indents_and_ctrl_enter_runs() {
    let code = RwSignal::new("fn handler(event, context) {\n}".to_string());
    let runs = RwSignal::new(0u32);
    let root = mount(move || {
        view! {
            <CodeEditor
                label="Code of function render".to_string()
                code
                on_run=Callback::new(move |_| runs.update(|n| *n += 1))
                error_line=Signal::derive(|| None)
            />
        }
    });
    settle().await;
    let editor = find_role(&root, "textbox", "Code of function render", true).unwrap();
    let area: HtmlTextAreaElement = editor.clone().unchecked_into();
    // The caret at the start of the second line.
    let at = "fn handler(event, context) {\n".len() as u32;
    area.set_selection_range(at, at).unwrap();

    assert!(press_key(&editor, "Tab", false), "Tab stays in the editor");
    settle().await;
    assert_eq!(
        code.get_untracked(),
        "fn handler(event, context) {\n    }",
        "Tab inserts four spaces at the caret"
    );
    assert_eq!(area.selection_start().unwrap(), Some(at + 4));
    assert_eq!(runs.get_untracked(), 0, "Tab does not run");

    // A plain Enter is a new line (left to the textarea), not a run.
    assert!(!press_key(&editor, "Enter", false));
    assert_eq!(runs.get_untracked(), 0);

    assert!(press_key(&editor, "Enter", true), "Ctrl+Enter is taken");
    assert_eq!(runs.get_untracked(), 1, "Ctrl+Enter runs");
    assert_eq!(
        code.get_untracked(),
        "fn handler(event, context) {\n    }",
        "running does not change the code"
    );
}

// ------------------------------------------------------------------ Topology

#[wasm_bindgen_test]
async fn topology_names_each_box_with_its_counters_and_selects_on_click_and_enter() {
    // The fixed handler: only the poison message reaches the DLQ.
    let setup = setup("fire-and-forget");
    let code = solution(&setup);
    let view = run_code(&setup, &code);
    let topology = Topology::of(&setup.scenario);
    let nodes = topology.nodes.clone();
    let end: WorldSnapshot = view.final_snapshot.clone().expect("a final snapshot");
    let snapshot = RwSignal::new(Some(end.clone()));
    let selected = RwSignal::new(None::<usize>);
    let root = mount(move || {
        view! {
            <TopologyDiagram
                topology
                snapshot
                dots=Signal::derive(Vec::new)
                selected
            />
        }
    });
    settle().await;

    let diagram = find_role(&root, "group", "System topology", true).expect("the diagram");
    assert_eq!(
        count_role(&diagram, "button") as usize,
        nodes.len(),
        "one box per component"
    );
    for node in &nodes {
        let name = format!(
            "{} {} {}. Inspect",
            node.kind.label(),
            node.name,
            counters(node, &end)
        );
        assert!(
            find_role(&diagram, "button", &name, true).is_some(),
            "no box named {name:?}"
        );
    }
    // What the lesson teaches, read from the boxes: the poison message
    // ended in the dead-letter queue, and the store holds the other saves.
    assert!(
        find_role(
            &diagram,
            "button",
            "dead-letter queue saves-dlq 1 waiting · 0 in flight",
            false
        )
        .is_some(),
        "the dead-letter queue box says one message waits"
    );
    let store = find_role(&diagram, "button", "store store ", false).expect("the store box");
    assert!(
        accessible_name(&store).contains("39 items"),
        "{}",
        accessible_name(&store)
    );

    // The counters follow the moment shown: at 0 ms nothing is stored yet.
    let start = setup
        .moment(
            &setup.starting_code(),
            setup.scenario.config.scenario.seed,
            0,
        )
        .expect("the first moment");
    snapshot.set(Some(start.snapshot));
    settle().await;
    assert!(
        accessible_name(&store).contains("0 items"),
        "{}",
        accessible_name(&store)
    );

    // A click selects a box, a second click closes it again.
    let queue_index = nodes
        .iter()
        .position(|n| n.kind == NodeKind::Queue && n.name == "saves")
        .expect("the queue saves");
    let queue = find_role(&diagram, "button", "queue saves ", false).unwrap();
    assert_eq!(attr(&queue, "aria-pressed"), "false");
    click_on(&queue);
    settle().await;
    assert_eq!(selected.get_untracked(), Some(queue_index));
    assert_eq!(attr(&queue, "aria-pressed"), "true");
    assert!(attr(&queue, "class").contains("selected"));
    click_on(&queue);
    settle().await;
    assert_eq!(selected.get_untracked(), None);

    // Keyboard: a box is focusable, Enter and Space choose it.
    let function_index = nodes
        .iter()
        .position(|n| n.kind == NodeKind::Function)
        .unwrap();
    let function = find_role(&diagram, "button", "function render ", false).unwrap();
    assert_eq!(attr(&function, "tabindex"), "0");
    assert!(press_key(&function, "Enter", false));
    settle().await;
    assert_eq!(selected.get_untracked(), Some(function_index));
    assert_eq!(attr(&function, "aria-pressed"), "true");
    assert_eq!(attr(&queue, "aria-pressed"), "false", "one box at a time");
    assert!(press_key(&function, " ", false));
    settle().await;
    assert_eq!(selected.get_untracked(), None);
    assert!(
        !press_key(&function, "x", false),
        "other keys are left alone"
    );
}

// ----------------------------------------------------------------- Inspector

/// Mounts the inspector of the box `kind`/`name` of `setup`'s topology.
fn mount_inspector(
    setup: &PlaygroundSetup,
    kind: NodeKind,
    name: &str,
    snapshot: WorldSnapshot,
) -> Element {
    let topology = Topology::of(&setup.scenario);
    let node = topology
        .nodes
        .iter()
        .find(|n| n.kind == kind && n.name == name)
        .unwrap_or_else(|| panic!("no {kind:?} {name}"))
        .clone();
    mount(
        move || view! { <Inspector node snapshot=Signal::derive(move || Some(snapshot.clone()))/> },
    )
}

/// The rows of the first table body under `root`.
fn body_rows(root: &Element) -> u32 {
    count_selector(root, "table tbody tr")
}

#[wasm_bindgen_test]
async fn inspector_lists_a_queues_messages_and_a_functions_environments() {
    let setup = setup("fire-and-forget");
    let code = setup.starting_code();
    let seed = setup.scenario.config.scenario.seed;
    // The first moment (every 20 ms) with saves waiting in the queue.
    let (moment, queue) = (0..100)
        .find_map(|i| {
            let m = setup.moment(&code, seed, i * 20).ok()?;
            let q = m
                .snapshot
                .queues
                .iter()
                .find(|q| q.name.as_str() == "saves" && !q.messages.is_empty())?
                .clone();
            Some((m, q))
        })
        .expect("a moment with messages in the queue");

    let root = mount_inspector(&setup, NodeKind::Queue, "saves", moment.snapshot.clone());
    settle().await;
    let section = find_role(&root, "region", "Inspector: queue saves", true).expect("named");
    assert!(find_role(&section, "heading", "queue saves", true).is_some());
    assert_eq!(
        body_rows(&section) as usize,
        queue.messages.len(),
        "a row per message"
    );
    let first = nth_selector(&section, "tbody tr", 0).unwrap();
    let first_text = text(&first);
    assert!(
        first_text.starts_with(&queue.messages[0].message_id.to_string()),
        "{first_text}"
    );
    assert!(
        ["waiting", "in flight", "delayed"]
            .iter()
            .any(|s| first_text.contains(s)),
        "{first_text}"
    );
    assert!(text(&section).contains(&format!("{} stored", queue.counts.stored())));
    assert_eq!(count_selector(&section, "thead th[scope=col]"), 4);

    // The function at the end: its warm environments, one row each.
    let end = run(&setup).final_snapshot.unwrap();
    let function = end
        .functions
        .iter()
        .find(|f| f.name.as_str() == "render")
        .unwrap();
    assert!(!function.environments.is_empty());
    let root = mount_inspector(&setup, NodeKind::Function, "render", end.clone());
    settle().await;
    let section = find_role(&root, "region", "Inspector: function render", true).unwrap();
    assert_eq!(body_rows(&section) as usize, function.environments.len());
    assert!(text(&section).contains(&format!("{} invocations", function.stats.invocations)));
    assert!(text(&section).contains("idle, warm"), "{}", text(&section));
}

#[wasm_bindgen_test]
async fn inspector_shows_the_store_history_with_stale_overwrites_and_a_workflows_executions() {
    // The out-of-order bug: the naive handler overwrites a newer version.
    let setup = setup("out-of-order-bug");
    let end = run(&setup).final_snapshot.unwrap();
    assert!(
        !end.store.stale_overwrites.is_empty(),
        "the bug shows in seed 1"
    );
    let root = mount_inspector(&setup, NodeKind::Store, "store", end.clone());
    settle().await;
    let section = find_role(&root, "region", "Inspector: The store", true).unwrap();
    assert_eq!(
        body_rows(&section) as usize,
        end.store.history.len(),
        "a row per write"
    );
    assert_eq!(
        count_selector(&section, "tbody tr.stale") as usize,
        end.store.stale_overwrites.len()
    );
    let stale = nth_selector(&section, "tbody tr.stale", 0).unwrap();
    assert!(
        text(&stale).contains("stale overwrite"),
        "said in words, not only colour"
    );

    // The workflow lesson's solution starts an execution per save.
    let setup = self::setup("workflows");
    let end = run_code(&setup, &solution(&setup)).final_snapshot.unwrap();
    let workflow = end.workflows.first().expect("a workflow").clone();
    let root = mount_inspector(&setup, NodeKind::Workflow, &workflow.name, end.clone());
    settle().await;
    let section = find_role(
        &root,
        "region",
        &format!("Inspector: workflow {}", workflow.name),
        true,
    )
    .expect("the workflow's inspector");
    assert!(
        text(&section).contains("Steps: keep-draft → settle → publish"),
        "{}",
        text(&section)
    );
    assert_eq!(body_rows(&section) as usize, workflow.executions.len());
    assert!(!workflow.executions.is_empty());
    assert!(text(&section).contains(&format!("{} started", workflow.stats.started)));
}

// ---------------------------------------------------------- SequenceDiagram

#[wasm_bindgen_test]
async fn sequence_diagram_draws_only_the_rows_in_view_of_a_long_trace() {
    // Without the app's CSS the scroller would grow to its content; give
    // it the fixed height the stylesheet gives it.
    add_style(".sequence-scroll { height: 400px; overflow: auto; }");
    let setup = setup("fire-and-forget");
    let trace = run(&setup).trace;
    let model = build(&trace);
    let total = model.arrows.len();
    let until = RwSignal::new(None::<u64>);
    let root = mount(move || {
        view! { <SequenceDiagram trace=Signal::derive(move || trace.clone()) until_ms=until/> }
    });
    settle().await;

    let region = find_role(&root, "region", "Sequence diagram", true).expect("a region");
    assert!(
        text(&region).contains(&format!("{total} arrows, in time order.")),
        "{}",
        text(&region)
    );
    let rows = find_role(&region, "group", "Arrows in time order", true).unwrap();
    let drawn = count_role(&rows, "img") as usize;
    // 400 px of 30 px rows, plus a few rows either side.
    let in_view = 400 / ROW_HEIGHT_PX as usize;
    assert!(total > 4 * in_view, "the trace is long ({total} arrows)");
    assert!(drawn >= in_view, "{drawn} rows drawn");
    assert!(drawn < total / 2, "{drawn} of {total} rows drawn");

    // A run opens on what went wrong: the first failure of this run (the
    // poison message) is scrolled into view and is the diagram's Tab stop.
    let named = first_named_arrow(&model).expect("fire-and-forget has a failure");
    let row_of = |el: &Element| attr(el, "data-row").parse::<usize>().unwrap();

    // Every arrow says what it is, in words.
    let first = nth_selector(&rows, "[role=img]", 0).unwrap();
    let first_row = row_of(&first);
    assert_eq!(accessible_name(&first), model.arrows[first_row].description);
    assert!(
        accessible_name(&first).starts_with("at "),
        "{}",
        accessible_name(&first)
    );
    let title = nth_selector(&first, "title", 0).expect("a tooltip");
    assert_eq!(text(&title), model.arrows[first_row].description);
    let stop = nth_selector(&rows, "[role=img][tabindex='0']", 0).expect("a Tab stop");
    assert_eq!(row_of(&stop), named, "the Tab stop is the failure");
    assert_eq!(
        count_selector(&rows, "[role=img][tabindex='0']"),
        1,
        "one Tab stop, not one per arrow"
    );

    // Focusing an arrow tells its message's story beside the diagram.
    focus_on(&stop);
    settle().await;
    let detail = nth_selector(&region, ".sequence-detail", 0).unwrap();
    assert_eq!(text(&detail), model.arrows[named].description);

    // The keys move between its arrows.
    assert!(press_key(&stop, "ArrowDown", false), "ArrowDown is handled");
    settle().await;
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        accessible_name(&focused),
        model.arrows[named + 1].description
    );
    assert_eq!(attr(&focused, "tabindex"), "0");
    assert_eq!(attr(&stop, "tabindex"), "-1");
    assert!(press_key(&focused, "End", false));
    settle().await;
    let focused = document().active_element().expect("something has focus");
    assert_eq!(
        accessible_name(&focused),
        model.arrows[total - 1].description,
        "End scrolls to the last arrow, draws it and focuses it"
    );
    assert!(press_key(&focused, "Home", false));
    settle().await;
    let focused = document().active_element().expect("something has focus");
    assert_eq!(accessible_name(&focused), model.arrows[0].description);

    // Scrolled to the end: the last rows are drawn, the first ones gone.
    let scroller = nth_selector(&region, ".sequence-scroll", 0).unwrap();
    scroll_to(&scroller, f64::from(scroller.scroll_height()));
    settle().await;
    let last = &model.arrows[total - 1].description;
    assert!(
        find_role(&rows, "img", last, true).is_some(),
        "the last arrow is drawn"
    );
    assert!(
        find_role(&rows, "img", &model.arrows[0].description, true).is_none(),
        "the first arrow is no longer drawn"
    );
    assert!((count_role(&rows, "img") as usize) < total / 2);

    // The scrubber: only the arrows up to the chosen time.
    let at = model.arrows[total / 2].time_ms;
    until.set(Some(at));
    settle().await;
    let shown = model.arrows.iter().filter(|a| a.time_ms <= at).count();
    assert!(
        text(&region).contains(&format!(
            "{shown} of {total} arrows, up to the chosen time."
        )),
        "{}",
        text(&region)
    );
}

// --------------------------------------------------------------- SplitHandle

#[wasm_bindgen_test]
async fn split_handle_keys_move_aria_valuenow_within_its_range() {
    let share = RwSignal::new(50u32);
    let root = mount(move || view! { <SplitHandle share/> });
    settle().await;
    let handle = find_role(
        &root,
        "separator",
        "Resize the lesson and the playground",
        true,
    )
    .expect("a named separator");
    assert_eq!(attr(&handle, "tabindex"), "0");
    assert_eq!(attr(&handle, "aria-valuenow"), "50");
    assert_eq!(attr(&handle, "aria-valuemin"), "25");
    assert_eq!(attr(&handle, "aria-valuemax"), "75");

    let steps = [
        ("ArrowRight", "55"),
        ("ArrowDown", "60"),
        ("ArrowLeft", "55"),
        ("Home", "25"),
        ("ArrowLeft", "25"),
        ("End", "75"),
        ("ArrowRight", "75"),
        ("Enter", "50"),
    ];
    for (key, want) in steps {
        assert!(press_key(&handle, key, false), "{key} is the handle's");
        settle().await;
        assert_eq!(attr(&handle, "aria-valuenow"), want, "after {key}");
        assert_eq!(share.get_untracked().to_string(), want);
    }
    assert_eq!(attr(&handle, "aria-valuetext"), "lesson 50% of the width");
    assert!(!press_key(&handle, "a", false), "other keys are left alone");
    assert_eq!(attr(&handle, "aria-valuenow"), "50");
}

// --------------------------------------------------------------------- Chart

#[wasm_bindgen_test]
async fn chart_draws_each_series_and_says_its_numbers() {
    // Queue depth (lines) from fire-and-forget; client latency (points)
    // from the server API lesson.
    let lines = run(&setup("fire-and-forget"))
        .charts
        .into_iter()
        .find(|c| !c.scatter)
        .expect("a queue depth chart");
    let points = run(&setup("server-api-vs-events"))
        .charts
        .into_iter()
        .find(|c| c.scatter)
        .expect("a latency chart");
    for chart in [lines, points] {
        let expected = chart.clone();
        let root = mount(move || view! { <ChartView chart/> });
        settle().await;
        let caption = nth_selector(&root, "figcaption", 0).unwrap();
        assert_eq!(text(&caption), expected.title);
        let img = find_role(&root, "img", &expected.title, false).expect("a named image");
        let name = accessible_name(&img);
        for (series, data) in &expected.series {
            let peak = data.iter().map(|p| p.1).max().unwrap_or(0);
            let said = format!(
                "{series}: {} points, highest {peak} {}",
                data.len(),
                expected.unit
            );
            assert!(name.contains(&said), "{name:?} lacks {said:?}");
        }
        assert_eq!(
            count_selector(&root, ".legend li") as usize,
            expected.series.len(),
            "a legend entry per series"
        );
        if expected.scatter {
            let dots: usize = expected.series.iter().map(|(_, p)| p.len()).sum();
            assert_eq!(count_selector(&img, "circle") as usize, dots);
        } else {
            assert_eq!(
                count_selector(&img, "polyline") as usize,
                expected.series.len()
            );
        }
    }
}

// ---------------------------------------------------------------- Playground

#[wasm_bindgen_test]
async fn playground_runs_a_lesson_and_shows_the_result_and_the_system() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let lesson = setup("version-store");
    let root = mount(move || {
        view! { <Playground setup=lesson lesson_id="version-store".to_string()/> }
    });
    settle().await;
    let playground = find_role(&root, "region", "Playground", true).expect("a Playground region");
    let editor = find_role(&playground, "textbox", "Code of function save", true).unwrap();
    let area: HtmlTextAreaElement = editor.clone().unchecked_into();
    assert!(
        area.value().contains("store.put(save.doc, save)"),
        "{}",
        area.value()
    );
    assert!(
        find_role(&playground, "heading", "Seed 1:", false).is_none(),
        "no result yet"
    );
    assert!(find_role(&playground, "region", "System", true).is_none());

    let run_button = find_role(&playground, "button", "Run", true).expect("a Run button");
    click_on(&run_button);
    wait_for("the result heading", || {
        find_role(&playground, "heading", "Seed 1: some checks failed", true).is_some()
    })
    .await;
    let failed = nth_selector(&playground, ".run li.fail", 0).expect("a failed check");
    assert!(text(&failed).starts_with("Failed"), "{}", text(&failed));

    // The run's system: playback controls, the topology and the sequence.
    let system = find_role(&playground, "region", "System", true).expect("the system view");
    let toolbar = find_role(&system, "toolbar", "Playback", true).unwrap();
    assert!(find_role(&toolbar, "button", "Play", true).is_some());
    assert!(find_role(&system, "group", "System topology", true).is_some());
    assert!(find_role(&system, "region", "Sequence diagram", true).is_some());

    // Ctrl+Enter in the editor runs too: a fixed handler passes.
    area.set_value(
        "fn handler(event, context) {\n    for record in event.Records {\n        let save = record.body;\n        try {\n            store.put_if_newer(save.doc, save, save.version);\n        } catch (err) {\n            if err.name != \"ConditionalCheckFailed\" { throw err; }\n        }\n    }\n}",
    );
    fire_input(&editor);
    settle().await;
    assert!(press_key(&editor, "Enter", true));
    wait_for("the passing result", || {
        find_role(&playground, "heading", "Seed 1: every check passed", true).is_some()
    })
    .await;
    storage.clear().unwrap();
}
