//! `sim`: runs scenarios natively and prints JSON, for instructors, tests
//! and benchmarks.
//!
//! ```text
//! sim run <scenario.toml|lesson.md> [--seed S] [--code NAME=FILE]... [--trace]
//! sim sweep <scenario.toml|lesson.md> --seeds N [--from S] [--code NAME=FILE]...
//! sim check <lessons-dir>
//! sim share <scenario.toml> [--seed S] [--code FILE] [--base URL]
//! ```
//!
//! Exit status: 0 every check passed, 1 a check failed, 2 bad input (with a
//! readable message on stderr). Arguments are parsed by hand: the interface
//! is small and fixed, and a CLI crate would add build time for nothing.
//! Native only: the wasm build gets an empty `main` so Trunk and
//! `cargo build --target wasm32-unknown-unknown` are unaffected.

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    std::process::exit(native::main(std::env::args().skip(1).collect()));
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::path::Path;

    use event_playground::scenario::limits::{
        MAX_CODE_FILE_BYTES, MAX_SCENARIO_BYTES, MAX_SWEEP_SEEDS,
    };
    use event_playground::scenario::parse::parse;
    use event_playground::scenario::{figures, lesson_check};
    use event_playground::scenario::{
        load, run_seed, sweep, Diagnostic, FileReader, Scenario, FIRST_SEED,
    };
    use event_playground::ui::share_link::{self, SharedTarget, SharedWork};
    use serde_json::{json, Value};

    const USAGE: &str = "usage:
  sim run <scenario.toml|lesson.md> [--seed S] [--code NAME=FILE]... [--trace]
  sim sweep <scenario.toml|lesson.md> --seeds N [--from S] [--code NAME=FILE]...
  sim check <lessons-dir>
  sim share <scenario.toml> [--seed S] [--code FILE] [--base URL]";

    /// Exit statuses.
    const PASSED: i32 = 0;
    const FAILED: i32 = 1;
    const BAD_INPUT: i32 = 2;

    /// Reads files from disk, refusing anything larger than a scenario or
    /// lesson may be.
    struct Disk;

    impl FileReader for Disk {
        fn read(&self, path: &str) -> Result<String, String> {
            let limit = MAX_SCENARIO_BYTES.max(MAX_CODE_FILE_BYTES) as u64;
            let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
            if meta.len() > limit {
                return Err(format!(
                    "the file is {} bytes; the limit is {limit} bytes",
                    meta.len()
                ));
            }
            std::fs::read_to_string(path).map_err(|e| e.to_string())
        }
    }

    /// Options after the file argument.
    #[derive(Default)]
    struct Options {
        seed: Option<u64>,
        seeds: Option<u64>,
        from: Option<u64>,
        code: Vec<(String, String)>,
        trace: bool,
    }

    pub fn main(args: Vec<String>) -> i32 {
        let result = match args.first().map(String::as_str) {
            Some("run") => with_file(&args[1..], &["--seed", "--code", "--trace"], run),
            Some("sweep") => with_file(&args[1..], &["--seeds", "--from", "--code"], sweep_cmd),
            Some("check") => match &args[1..] {
                [dir] => check(dir),
                _ => Err(format!("`sim check` takes one folder\n{USAGE}")),
            },
            Some("share") => share(&args[1..]),
            Some(other) => Err(format!("unknown command `{other}`\n{USAGE}")),
            None => Err(USAGE.to_string()),
        };
        match result {
            Ok(status) => status,
            Err(message) => {
                eprintln!("sim: {message}");
                BAD_INPUT
            }
        }
    }

    fn number(flag: &str, value: Option<&String>) -> Result<u64, String> {
        let value = value.ok_or_else(|| format!("{flag} needs a number"))?;
        value.parse().map_err(|_| {
            format!(
                "{flag} needs a whole number from 0 to {}, got `{value}`",
                u64::MAX
            )
        })
    }

    fn with_file(
        args: &[String],
        allowed: &[&str],
        command: fn(Scenario, &Options) -> Result<i32, String>,
    ) -> Result<i32, String> {
        let Some(file) = args.first().filter(|a| !a.starts_with("--")) else {
            return Err(format!("missing the scenario file\n{USAGE}"));
        };
        let mut options = Options::default();
        let mut rest = args[1..].iter();
        while let Some(flag) = rest.next() {
            if !allowed.contains(&flag.as_str()) {
                return Err(format!(
                    "unknown option `{flag}` here; allowed: {}\n{USAGE}",
                    allowed.join(", ")
                ));
            }
            match flag.as_str() {
                "--seed" => options.seed = Some(number(flag, rest.next())?),
                "--seeds" => options.seeds = Some(number(flag, rest.next())?),
                "--from" => options.from = Some(number(flag, rest.next())?),
                "--trace" => options.trace = true,
                "--code" => {
                    let pair = rest.next().ok_or("--code needs NAME=FILE")?;
                    let (name, path) = pair
                        .split_once('=')
                        .ok_or_else(|| format!("--code needs NAME=FILE, got `{pair}`"))?;
                    let code = Disk
                        .read(path)
                        .map_err(|e| format!("--code {name}: cannot read {path}: {e}"))?;
                    options.code.push((name.to_string(), code));
                }
                _ => unreachable_flag()?,
            }
        }
        let mut scenario = load(file, &Disk).map_err(|d| diagnostics_text(&d))?;
        for (name, code) in &options.code {
            scenario
                .replace_code(name, code.clone())
                .map_err(|e| format!("--code: {e}"))?;
        }
        if !options.code.is_empty() {
            scenario
                .engine_check()
                .map_err(|e| format!("--code: {e}"))?;
        }
        command(scenario, &options)
    }

    /// Every flag in `allowed` has an arm; this keeps the match total
    /// without a panic.
    fn unreachable_flag() -> Result<(), String> {
        Err("internal: an allowed option has no handler".into())
    }

    fn diagnostics_text(diagnostics: &[Diagnostic]) -> String {
        let lines: Vec<String> = diagnostics.iter().map(|d| d.to_string()).collect();
        lines.join("\n")
    }

    /// Writes one JSON line; a closed pipe (`sim ... | head`) is not an
    /// error worth a panic.
    fn print(value: &Value) {
        use std::io::Write;
        let text = serde_json::to_string(value).unwrap_or_default();
        let _ = writeln!(std::io::stdout(), "{text}");
    }

    fn run(scenario: Scenario, options: &Options) -> Result<i32, String> {
        let seed = options.seed.unwrap_or(scenario.config.scenario.seed);
        let (report, outcome) = run_seed(&scenario, seed);
        let mut value = json!({
            "scenario": scenario.config.scenario.name,
            "seed": report.seed,
            "ok": report.ok,
            "checks": report.checks,
            "metrics": report.metrics,
        });
        if let Some(error) = &report.error {
            value["error"] = json!(error);
        }
        if options.trace {
            value["trace"] = serde_json::to_value(&outcome.trace).unwrap_or(Value::Null);
        }
        print(&value);
        Ok(if report.ok { PASSED } else { FAILED })
    }

    fn sweep_cmd(scenario: Scenario, options: &Options) -> Result<i32, String> {
        let seeds = options.seeds.ok_or("`sim sweep` needs --seeds N")?;
        if seeds == 0 || seeds > MAX_SWEEP_SEEDS {
            return Err(format!(
                "--seeds must be 1 to {MAX_SWEEP_SEEDS}, got {seeds}"
            ));
        }
        // Seeds count from 1 everywhere (the app's sweep, `sim check`, the
        // lessons): see docs/scenarios.md, "Seeds".
        let from = options.from.unwrap_or(FIRST_SEED);
        let result = sweep(&scenario, from, seeds);
        let mut value = serde_json::to_value(&result).unwrap_or(Value::Null);
        value["scenario"] = json!(scenario.config.scenario.name);
        print(&value);
        Ok(if result.all_passed() { PASSED } else { FAILED })
    }

    /// Prints a share link that carries the whole scenario, for an
    /// instructor's own system: the scenario's text as written, the code of
    /// its first function (or `--code FILE`) and the seed. The app opens it
    /// in the scenario's playground. With `--base URL` (the app's address)
    /// the link is complete; without, it is the part from `#` on.
    fn share(args: &[String]) -> Result<i32, String> {
        let Some(file) = args.first().filter(|a| !a.starts_with("--")) else {
            return Err(format!("missing the scenario file\n{USAGE}"));
        };
        if !file.ends_with(".toml") {
            return Err(format!(
                "`sim share` takes a scenario .toml; to share a lesson, copy the link from its playground\n{USAGE}"
            ));
        }
        let (mut seed, mut code_file, mut base) = (None, None, String::new());
        let mut rest = args[1..].iter();
        while let Some(flag) = rest.next() {
            match flag.as_str() {
                "--seed" => seed = Some(number(flag, rest.next())?),
                "--code" => code_file = Some(rest.next().ok_or("--code needs a FILE")?.clone()),
                "--base" => base = rest.next().ok_or("--base needs the app's URL")?.clone(),
                other => {
                    return Err(format!(
                        "unknown option `{other}` here; allowed: --seed, --code, --base\n{USAGE}"
                    ))
                }
            }
        }
        let text = Disk
            .read(file)
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        let mut scenario = load(file, &Disk).map_err(|d| diagnostics_text(&d))?;
        // The scenario must stand alone: the browser has only the link.
        parse(file, &text).map_err(|_| {
            format!("{file} reads its code from files (code_file); a link carries only the scenario's text: write the code inline with `code = \"\"\"...\"\"\"`")
        })?;
        // A scenario of consumers alone has no code to share.
        let function = scenario
            .functions
            .first()
            .map(|f| (f.name.clone(), f.code.clone()));
        let code = match (code_file, &function) {
            (Some(path), Some((name, _))) => {
                let code = Disk
                    .read(&path)
                    .map_err(|e| format!("--code: cannot read {path}: {e}"))?;
                scenario
                    .replace_code(name, code.clone())
                    .map_err(|e| format!("--code: {e}"))?;
                scenario
                    .engine_check()
                    .map_err(|e| format!("--code: {e}"))?;
                code
            }
            (Some(_), None) => return Err(format!("--code: {file} has no function")),
            (None, Some((_, code))) => code.clone(),
            (None, None) => String::new(),
        };
        let work = SharedWork {
            target: SharedTarget::Scenario { toml: text },
            code,
            seed: seed.unwrap_or(scenario.config.scenario.seed),
            scenario: None,
        };
        let hash = share_link::encode(&work);
        // The app refuses links past its limits: refuse them here first.
        share_link::decode(&hash).map_err(|e| format!("{file}: {e}"))?;
        print(&json!({
            "scenario": scenario.config.scenario.name,
            "function": function.map(|f| f.0),
            "seed": work.seed,
            "link": format!("{base}{hash}"),
        }));
        Ok(PASSED)
    }

    /// Validates every lesson of a folder (see `scenario::lesson_check` for
    /// what is checked, and where exercise blocks will plug in).
    fn check(dir: &str) -> Result<i32, String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read folder {dir}: {e}"))?;
        let mut files: Vec<String> = entries
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "md"))
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("no .md lessons in {dir}"));
        }
        let mut lessons = Vec::new();
        let mut problems = Vec::new();
        let mut failures = Vec::new();
        for file in &files {
            let (report, mut found, mut failed) = check_lesson(file);
            problems.append(&mut found);
            failures.append(&mut failed);
            lessons.push(report);
        }
        let ok = problems.is_empty() && failures.is_empty();
        print(&json!({ "lessons": lessons, "ok": ok }));
        for line in problems.iter().chain(&failures) {
            eprintln!("{line}");
        }
        Ok(if !problems.is_empty() {
            BAD_INPUT
        } else if !failures.is_empty() {
            FAILED
        } else {
            PASSED
        })
    }

    /// One lesson's report, its problems (bad input) and its failures
    /// (exercises that do not hold).
    fn check_lesson(file: &str) -> (Value, Vec<String>, Vec<String>) {
        let text = match Disk.read(file) {
            Ok(text) => text,
            Err(e) => {
                return (
                    json!({ "file": file, "ok": false }),
                    vec![format!("{file}: {e}")],
                    Vec::new(),
                )
            }
        };
        let name = Path::new(file)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let report = lesson_check::check_lesson(file, &name, &text, &Disk);
        let problems = report.problems.clone();
        let mut failures = report.failures.clone();
        // Numbers the text quotes must still be what their runs give.
        failures.extend(figures::check_figures(file, &text, &Disk));
        (
            serde_json::to_value(&report).unwrap_or(Value::Null),
            problems,
            failures,
        )
    }
}
