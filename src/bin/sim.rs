//! `sim`: runs scenarios natively and prints JSON, for instructors, tests
//! and benchmarks.
//!
//! ```text
//! sim run <scenario.toml|lesson.md> [--block B] [--variant V] [--seed S] [--code NAME=FILE]... [--intervene FILE] [--trace]
//! sim sweep <scenario.toml|lesson.md> [--block B] --seeds N [--from S] [--code NAME=FILE]...
//! sim judge <lesson.md> [--block B] [--code FILE]
//! sim check <lessons-dir>
//! sim share <scenario.toml> [--seed S] [--code FILE] [--intervene FILE] [--base URL]
//! ```
//!
//! `--block B` picks a lesson's scenario block by number (from 1) or by its
//! scenario's name; `--variant V` runs a variant of the exercise under that
//! block (the run `sim judge` and `sim check` name when a variant fails).
//! `sim judge` judges code (default: the starting code) as the exercise
//! under the block would: its seeds and every variant's.
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

    use event_playground::scenario::figures;
    use event_playground::scenario::lesson_check::{self, lesson_exercises, ExerciseSetup};
    use event_playground::scenario::limits::{
        MAX_CODE_FILE_BYTES, MAX_SCENARIO_BYTES, MAX_SWEEP_SEEDS,
    };
    use event_playground::scenario::parse::parse;
    use event_playground::scenario::run_with_interventions;
    use event_playground::scenario::source::load_block;
    use event_playground::scenario::sweep::report;
    use event_playground::scenario::{
        load, run_seed, sweep, Diagnostic, FileReader, Scenario, FIRST_SEED,
    };
    use event_playground::sim::{parse_interventions, Intervention, MAX_INTERVENTIONS_BYTES};
    use event_playground::ui::shell::share_link::{self, SharedTarget, SharedWork};
    use serde_json::{json, Value};

    const USAGE: &str = "usage:
  sim run <scenario.toml|lesson.md> [--block B] [--variant V] [--seed S] [--code NAME=FILE]... [--intervene FILE] [--trace]
  sim sweep <scenario.toml|lesson.md> [--block B] --seeds N [--from S] [--code NAME=FILE]...
  sim judge <lesson.md> [--block B] [--code FILE]
  sim check <lessons-dir>
  sim share <scenario.toml> [--seed S] [--code FILE] [--intervene FILE] [--base URL]";

    /// Exit statuses.
    const PASSED: i32 = 0;
    const FAILED: i32 = 1;
    const BAD_INPUT: i32 = 2;

    /// Reads files from disk, refusing anything larger than a scenario or
    /// lesson may be, and anything that is not a regular file.
    struct Disk;

    impl FileReader for Disk {
        fn read(&self, path: &str) -> Result<String, String> {
            read_bounded(path, MAX_SCENARIO_BYTES.max(MAX_CODE_FILE_BYTES))
        }
    }

    /// Reads at most `limit` bytes of the regular file at `path`. Why not
    /// trust `metadata().len()`: `/dev/zero` says 0 and never ends, and
    /// opening a named pipe waits for a writer forever (issue 17), so the
    /// kind is checked before opening and the read itself stops at the
    /// limit.
    fn read_bounded(path: &str, limit: usize) -> Result<String, String> {
        use std::io::Read;
        let kind = std::fs::metadata(path).map_err(|e| e.to_string())?;
        if !kind.is_file() {
            return Err("not a regular file (a folder, device or pipe cannot be read)".into());
        }
        let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
        let mut bytes = Vec::new();
        file.take(limit as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| e.to_string())?;
        if bytes.len() > limit {
            return Err(format!("the file is over the limit of {limit} bytes"));
        }
        String::from_utf8(bytes).map_err(|_| "the file is not UTF-8 text".to_string())
    }

    /// Options after the file argument.
    #[derive(Default)]
    struct Options {
        seed: Option<u64>,
        seeds: Option<u64>,
        from: Option<u64>,
        code: Vec<(String, String)>,
        trace: bool,
        block: Option<String>,
        variant: Option<String>,
        /// `--intervene FILE`: the interventions, read and checked.
        interventions: Option<Vec<Intervention>>,
    }

    pub fn main(args: Vec<String>) -> i32 {
        let result = match args.first().map(String::as_str) {
            Some("run") => with_file(
                &args[1..],
                &[
                    "--block",
                    "--variant",
                    "--seed",
                    "--code",
                    "--intervene",
                    "--trace",
                ],
                run,
            ),
            Some("sweep") => with_file(
                &args[1..],
                &["--block", "--seeds", "--from", "--code"],
                sweep_cmd,
            ),
            Some("judge") => judge(&args[1..]),
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
                "--block" => options.block = Some(text(flag, rest.next())?),
                "--variant" => options.variant = Some(text(flag, rest.next())?),
                "--intervene" => {
                    options.interventions = Some(read_interventions(rest.next())?);
                }
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
        let mut scenario =
            load_block(file, &Disk, options.block.as_deref()).map_err(|d| diagnostics_text(&d))?;
        if let Some(variant) = &options.variant {
            scenario = exercise_under(file, &scenario)?
                .scenario_of(Some(variant))
                .cloned()
                .ok_or_else(|| format!("--variant: the exercise has no variant `{variant}`"))?;
        }
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

    fn text(flag: &str, value: Option<&String>) -> Result<String, String> {
        value
            .cloned()
            .ok_or_else(|| format!("{flag} needs a value"))
    }

    /// The exercise whose scenario block is `scenario`, in lesson `file`.
    fn exercise_under(file: &str, scenario: &Scenario) -> Result<ExerciseSetup, String> {
        let text = Disk
            .read(file)
            .map_err(|e| format!("cannot read {file}: {e}"))?;
        let (setups, _, problems) = lesson_exercises(file, &text, &Disk);
        if let Some(problem) = problems.first() {
            return Err(problem.clone());
        }
        setups
            .into_iter()
            .find(|s| s.scenario == *scenario)
            .ok_or_else(|| {
                format!(
                    "{file}: the scenario block \"{}\" has no exercise under it",
                    scenario.config.scenario.name
                )
            })
    }

    /// Judges code as the exercise under a lesson's block does: its seeds
    /// and every variant's. Prints the sweep with a line per variant.
    fn judge(args: &[String]) -> Result<i32, String> {
        let Some(file) = args.first().filter(|a| a.ends_with(".md")) else {
            return Err(format!("`sim judge` takes a lesson .md file\n{USAGE}"));
        };
        let (mut block, mut code_file) = (None, None);
        let mut rest = args[1..].iter();
        while let Some(flag) = rest.next() {
            match flag.as_str() {
                "--block" => block = Some(text(flag, rest.next())?),
                "--code" => code_file = Some(text(flag, rest.next())?),
                other => {
                    return Err(format!(
                        "unknown option `{other}` here; allowed: --block, --code\n{USAGE}"
                    ))
                }
            }
        }
        let scenario =
            load_block(file, &Disk, block.as_deref()).map_err(|d| diagnostics_text(&d))?;
        let setup = exercise_under(file, &scenario)?;
        let code = match code_file {
            Some(path) => Disk
                .read(&path)
                .map_err(|e| format!("--code: cannot read {path}: {e}"))?,
            None => setup.starting_code(),
        };
        let result = setup.judge(&code).map_err(|e| format!("--code: {e}"))?;
        let mut value = serde_json::to_value(&result).unwrap_or(Value::Null);
        value["scenario"] = json!(scenario.config.scenario.name);
        value["function"] = json!(setup.exercise.function);
        if let Some((variant, seed)) = result.first_failing_run() {
            value["first_failing_run"] = json!({ "variant": variant, "seed": seed });
        }
        print(&value);
        Ok(if result.all_passed() { PASSED } else { FAILED })
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

    /// Reads `--intervene FILE`: a JSON list (docs/interventions.md).
    fn read_interventions(path: Option<&String>) -> Result<Vec<Intervention>, String> {
        let path = path.ok_or("--intervene needs a FILE")?;
        let text = read_bounded(path, MAX_INTERVENTIONS_BYTES)
            .map_err(|e| format!("--intervene: cannot read {path}: {e}"))?;
        parse_interventions(&text).map_err(|e| format!("--intervene {path}: {e}"))
    }

    fn run(scenario: Scenario, options: &Options) -> Result<i32, String> {
        let seed = options.seed.unwrap_or(scenario.config.scenario.seed);
        let (report, outcome, intervened) = match &options.interventions {
            None => {
                let (report, outcome) = run_seed(&scenario, seed);
                (report, outcome, None)
            }
            Some(list) => {
                let run = run_with_interventions(&scenario, seed, list);
                let report = report(&scenario, &run.outcome);
                (report, run.outcome, Some((run.applied, run.refused)))
            }
        };
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
        if let Some((applied, refused)) = intervened {
            value["interventions"] = json!(applied);
            value["refused"] = json!(refused);
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
        let mut acts = None; // A "what if?" branch prepared (issue 19).
        let mut rest = args[1..].iter();
        while let Some(flag) = rest.next() {
            match flag.as_str() {
                "--seed" => seed = Some(number(flag, rest.next())?),
                "--intervene" => acts = Some(read_interventions(rest.next())?),
                "--code" => code_file = Some(rest.next().ok_or("--code needs a FILE")?.clone()),
                "--base" => base = rest.next().ok_or("--base needs the app's URL")?.clone(),
                other => {
                    return Err(format!(
                        "unknown option `{other}` here; allowed: --seed, --code, --intervene, --base\n{USAGE}"
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
            interventions: acts.map(|list| serde_json::to_string(&list).unwrap_or_default()),
        };
        let name = &scenario.config.scenario.name;
        print_link(&work, (file, name), function.map(|f| f.0), &base)
    }

    /// Prints the link to `work` (of scenario `name` in `file`), once the
    /// app's own reading of it succeeds.
    fn print_link(
        work: &SharedWork,
        (file, name): (&str, &str),
        function: Option<String>,
        base: &str,
    ) -> Result<i32, String> {
        let hash = share_link::encode(work);
        // The app refuses links past its limits: refuse them here first.
        share_link::decode(&hash).map_err(|e| format!("{file}: {e}"))?;
        print(&json!({
            "scenario": name,
            "function": function,
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
