//! `sim` reads only regular files, through a bounded reader, and a
//! scenario's `code_file` stays inside its folder (issue 17): `/dev/zero`,
//! a named pipe or `../` end with exit 2 and a sentence, at once.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn sim(args: &[&str], dir: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("the sim binary runs")
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const WITH_CODE_FILE: &str = "[scenario]\nname = \"x\"\n\n[[queues]]\nname = \"in\"\n\n[[functions]]\nname = \"h\"\ncode_file = \"PATH\"\n\n[[mappings]]\nname = \"m\"\nqueue = \"in\"\nfunction = \"h\"\n";

fn refused(out: &Output, words: &str) {
    assert_eq!(out.status.code(), Some(2), "{}", stderr(out));
    assert!(
        stderr(out).contains(words),
        "{words:?} not in {}",
        stderr(out)
    );
}

#[test]
fn a_device_is_refused_as_the_scenario_file() {
    let out = sim(&["run", "/dev/zero"], &scratch("dev-zero"));
    refused(&out, "not a regular file");
}

#[test]
fn a_device_is_refused_as_a_code_override() {
    let dir = scratch("dev-zero-code");
    std::fs::write(dir.join("s.toml"), WITH_CODE_FILE.replace("PATH", "h.rhai")).unwrap();
    std::fs::write(dir.join("h.rhai"), "fn handler(event, context) { }").unwrap();
    let out = sim(&["run", "s.toml", "--code", "h=/dev/zero"], &dir);
    refused(&out, "not a regular file");
}

#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_without_waiting_for_a_writer() {
    let dir = scratch("named-pipe");
    let pipe = dir.join("pipe.toml");
    let made = Command::new("mkfifo").arg(&pipe).status();
    assert!(made.is_ok_and(|s| s.success()), "mkfifo failed");
    let out = sim(&["run", "pipe.toml"], &dir);
    refused(&out, "not a regular file");
}

#[test]
fn a_file_larger_than_the_limit_is_refused_however_it_reports_its_size() {
    let dir = scratch("too-large");
    let big = format!("# {}\n", "x".repeat(300 * 1024));
    std::fs::write(dir.join("big.toml"), big).unwrap();
    let out = sim(&["run", "big.toml"], &dir);
    refused(&out, "over the limit");
}

#[test]
fn code_file_outside_the_scenario_folder_is_refused() {
    let dir = scratch("code-file-outside");
    for (path, words) in [
        ("/dev/zero", "absolute path"),
        ("../h.rhai", "leaves the scenario's folder"),
        ("sub/../../h.rhai", "leaves the scenario's folder"),
    ] {
        std::fs::write(dir.join("s.toml"), WITH_CODE_FILE.replace("PATH", path)).unwrap();
        let out = sim(&["run", "s.toml"], &dir);
        refused(&out, words);
    }
}

#[test]
fn code_file_below_the_scenario_folder_is_read() {
    let dir = scratch("code-file-below");
    std::fs::create_dir_all(dir.join("handlers")).unwrap();
    std::fs::write(
        dir.join("handlers/h.rhai"),
        "fn handler(event, context) { }",
    )
    .unwrap();
    std::fs::write(
        dir.join("s.toml"),
        WITH_CODE_FILE.replace("PATH", "handlers/h.rhai"),
    )
    .unwrap();
    let out = sim(&["run", "s.toml"], &dir);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn a_workload_runs_cannot_hold_is_refused_at_parse_time() {
    let dir = scratch("count-too-large");
    let text = "[scenario]\nname = \"x\"\n\n[[queues]]\nname = \"in\"\n\n[[clients]]\nname = \"c\"\nkind = \"burst\"\ntarget = { queue = \"in\" }\ncount = 200000\n";
    std::fs::write(dir.join("s.toml"), text).unwrap();
    let out = sim(&["run", "s.toml"], &dir);
    refused(&out, "20000");
}
