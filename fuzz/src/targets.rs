//! Fuzz targets: one plain `fn(&[u8])` per parser or evaluator that user
//! bytes reach. The property of every target is "no panic, no hang, no
//! unbounded memory": failures must come back as values (diagnostics,
//! errors), never as a panic.
//!
//! Targets that need two inputs (an expression and a document, a definition
//! and an execution input) split `data` at the first NUL byte: the part
//! before is the expression/definition, the part after the JSON document
//! (`{}` when there is no NUL or the rest is not JSON).
//!
//! This file is compiled twice: as the library of the `fuzz/` package
//! (libFuzzer harnesses in `fuzz/fuzz_targets/`) and, through `#[path]`, by
//! the workspace's stable replay test `tests/fuzz_replay.rs`. It may only
//! use the workspace crates, `serde_json` and `std`.

use asl_core::intrinsic::{self, EvalError as IntrinsicEvalError, IntrinsicEnv};
use asl_core::jsonata::{self, EvalLimits, JsonataEnv};
use asl_core::jsonpath;
use asl_core::span::Span;
use asl_lint::context::LintOptions;
use asl_lint::diagnostic::Severity;
use asl_lint::lint::{lint_text, SourceFormat};
use asl_lint::report::{FileReport, RunReport};
use asl_sim::engine::{execute, ExecutionConfig};
use asl_sim::history::HistoryEvent;
use asl_sim::resolver::{Invocation, TaskAnswer, TaskResolver};
use serde_json::{json, Value};

/// A fuzz target.
pub type Target = fn(&[u8]);

/// Every target, by name (the names of the `fuzz_targets/*.rs` binaries and
/// of the `fuzz/regressions/<target>/` directories).
pub const TARGETS: &[(&str, Target)] = &[
    ("json_lint", json_lint),
    ("yaml_lint", yaml_lint),
    ("jsonpath", jsonpath),
    ("reference_path", reference_path),
    ("intrinsic", intrinsic),
    ("jsonata", jsonata),
    ("sim_run", sim_run),
    ("scenario", scenario),
    ("mock_config", mock_config),
    ("strings", strings),
];

/// Inputs larger than this are ignored (libFuzzer's default `-max_len` is
/// 4096; the replay test feeds whole corpus files).
const MAX_INPUT: usize = 256 * 1024;

/// `data` split at the first NUL: (text before, JSON document after).
pub fn split(data: &[u8]) -> (&[u8], Value) {
    match data.iter().position(|&b| b == 0) {
        Some(i) => {
            let doc = serde_json::from_slice(&data[i + 1..]).unwrap_or_else(|_| json!({}));
            (&data[..i], doc)
        }
        None => (data, json!({})),
    }
}

fn text(data: &[u8]) -> Option<&str> {
    if data.len() > MAX_INPUT {
        return None;
    }
    std::str::from_utf8(data).ok()
}

/// A FNV-1a hash: seeds the random answers of [`RandomResolver`].
pub fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// splitmix64: a tiny deterministic PRNG.
#[derive(Clone, Debug)]
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

// ---------------------------------------------------------------- linting

fn lint_and_render(path: &str, data: &[u8], format: SourceFormat) {
    if data.len() > MAX_INPUT {
        return;
    }
    let options = LintOptions::default();
    if let Ok(text) = std::str::from_utf8(data) {
        let diagnostics = lint_text(text, format, &options);
        for d in &diagnostics {
            assert!(
                d.span.start <= d.span.end && d.span.end as usize <= text.len(),
                "diagnostic {} span {:?} outside the text ({} bytes)",
                d.code,
                d.span,
                text.len()
            );
            if let Some(fix) = &d.fix {
                assert!(fix.span.start <= fix.span.end && fix.span.end as usize <= text.len());
            }
        }
        if let Ok(doc) = asl_lint::lint::parse(text, format) {
            let _ = doc.root.to_value();
            let _ = asl_core::model::build(&doc.root);
        }
    }
    // The whole file pipeline with every renderer (positions, snippets).
    let report = RunReport {
        files: vec![FileReport::lint(path.to_owned(), data, &options)],
        unreadable: Vec::new(),
    };
    let json_out = asl_lint::render::json::render(&report);
    let parsed: Value = serde_json::from_str(&json_out).expect("--format json is JSON");
    assert_eq!(
        parsed["diagnostics"].as_array().map(Vec::len),
        Some(report.files[0].diagnostics.len())
    );
    let _ = asl_lint::render::human::render(&report, false);
    let _ = asl_lint::render::human::render(&report, true);
    let _ = asl_lint::render::github::render(&report);
    let _ = asl_lint::render::sarif::render(&report);
    let _ = asl_lint::render::junit::render(&report);
}

/// Span-preserving JSON parser, model builder, every lint rule and every
/// output format.
pub fn json_lint(data: &[u8]) {
    lint_and_render("fuzz.asl.json", data, SourceFormat::Json);
}

/// The YAML parser (same tree as JSON), model builder, lint, renderers.
pub fn yaml_lint(data: &[u8]) {
    lint_and_render("fuzz.asl.yaml", data, SourceFormat::Yaml);
}

// ---------------------------------------------------------------- JSONPath

fn exercise_path(path: &jsonpath::Path, doc: &Value) {
    let _ = path.select(doc);
    let _ = path.select_ref(doc).map(|s| s.into_value());
    let _ = path.is_definite();
    let _ = path.yields_single_value();
    let bracket = path.to_bracket_string();
    let _ = jsonpath::parse(&bracket);
    let mut target = doc.clone();
    if let Err(e) = path.set(&mut target, json!({"fuzz": [1, "two"]})) {
        let _ = e.cause(&bracket, doc);
    }
    let mut scalar = json!(3);
    let _ = path.set(&mut scalar, Value::Null);
}

/// JSONPath: parse (spanned), select, set, bracket form; `PathMiss`
/// messages.
pub fn jsonpath(data: &[u8]) {
    let (expr, doc) = split(data);
    let Some(expr) = text(expr) else { return };
    let _ = jsonpath::parse_spanned(expr);
    match jsonpath::parse(expr) {
        Ok(path) => {
            if let Err(miss) = path.select(&doc) {
                let _ = miss.detail();
                let _ = miss.at();
                let _ = miss.invalid_path_cause(expr);
            }
            exercise_path(&path, &doc);
        }
        Err(e) => {
            assert!(
                e.span.end as usize <= expr.len(),
                "error span outside the text"
            );
        }
    }
}

/// Reference paths (`ResultPath`, `Variable`, `…Path`): parse, select, set.
pub fn reference_path(data: &[u8]) {
    let (expr, doc) = split(data);
    let Some(expr) = text(expr) else { return };
    if let Ok(path) = jsonpath::parse_reference_path(expr) {
        assert!(path.is_reference_path() || path.steps().is_empty() || path.is_definite());
        exercise_path(&path, &doc);
    }
    let _ = asl_core::jsonpath::field_not_found_cause(expr, "field", &doc);
}

// ---------------------------------------------------------------- intrinsics

/// Resolves intrinsic path arguments over a document with JSONPath.
pub struct DummyIntrinsicEnv {
    pub input: Value,
    pub context: Value,
    pub rng: SplitMix,
}

impl IntrinsicEnv for DummyIntrinsicEnv {
    fn resolve_path(&mut self, path: &str, span: Span) -> Result<Value, IntrinsicEvalError> {
        let parsed =
            jsonpath::parse(path).map_err(|e| IntrinsicEvalError::runtime(e.to_string(), span))?;
        let doc = if path.starts_with("$$") {
            &self.context
        } else {
            &self.input
        };
        parsed
            .select(doc)
            .map_err(|m| IntrinsicEvalError::runtime(m.detail(), span))
    }

    fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

/// Intrinsic functions: parse and evaluate over the document after the NUL.
pub fn intrinsic(data: &[u8]) {
    let (expr, doc) = split(data);
    let Some(expr) = text(expr) else { return };
    let _ = intrinsic::looks_like_call(expr);
    if let Ok(call) = intrinsic::parse(expr) {
        let mut env = DummyIntrinsicEnv {
            context: json!({"Execution": {"Input": doc.clone(), "Name": "fuzz"}}),
            input: doc,
            rng: SplitMix(7),
        };
        let _ = call.evaluate(&mut env);
    }
}

// ---------------------------------------------------------------- JSONata

/// `$states` and a couple of variables; seeded randomness; fixed time.
pub struct DummyJsonataEnv {
    pub input: Value,
    pub rng: SplitMix,
}

impl JsonataEnv for DummyJsonataEnv {
    fn variable(&self, name: &str) -> Option<Value> {
        match name {
            "states" => Some(json!({
                "input": self.input,
                "context": {"Execution": {"Name": "fuzz", "Input": self.input}},
            })),
            "x" => Some(json!([1, 2, {"a": "b"}])),
            _ => None,
        }
    }

    fn random_f64(&mut self) -> f64 {
        (self.rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn now_millis(&self) -> i64 {
        1_700_000_000_000
    }
}

/// Limits small enough that one evaluation stays within milliseconds and
/// megabytes (the defaults allow 5M steps and 64 MiB strings).
pub fn fuzz_jsonata_limits() -> EvalLimits {
    EvalLimits {
        max_steps: 100_000,
        max_sequence: 100_000,
        max_string_bytes: 1 << 20,
        ..EvalLimits::default()
    }
}

/// JSONata: template recognition, parse, evaluate with limits.
pub fn jsonata(data: &[u8]) {
    let (expr, doc) = split(data);
    let Some(expr) = text(expr) else { return };
    let _ = jsonata::is_unterminated_template(expr);
    let inner = match jsonata::template_expression(expr) {
        Some((inner, _)) => inner,
        None => expr,
    };
    let Ok(parsed) = jsonata::parse(inner) else {
        return;
    };
    let mut env = DummyJsonataEnv {
        input: doc.clone(),
        rng: SplitMix(fnv1a(data)),
    };
    let result =
        jsonata::evaluate_with_limits(&parsed, Some(&doc), &mut env, &fuzz_jsonata_limits());
    if let Err(e) = &result {
        let failure = jsonata::QueryFailure::Threw(e);
        let _ = jsonata::query_evaluation_cause(inner, "Output", &failure);
    }
}

// ---------------------------------------------------------------- simulator

/// Answers every Task invocation at random (seeded): success with a small
/// output, or one of the failure kinds. Gives up after `budget` answers so
/// that no definition runs unbounded.
pub struct RandomResolver {
    pub rng: SplitMix,
    pub budget: u32,
}

const ERRORS: &[&str] = &[
    "States.TaskFailed",
    "States.Timeout",
    "States.Permissions",
    "Lambda.ServiceException",
    "Custom.Error",
    "States.ALL",
];

impl TaskResolver for RandomResolver {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        if self.budget == 0 {
            return None;
        }
        self.budget -= 1;
        let error = Some(ERRORS[self.rng.below(ERRORS.len() as u64) as usize].to_owned());
        let cause = Some(format!("cause {}", self.rng.below(100)));
        Some(match self.rng.below(10) {
            0..=4 => TaskAnswer::Succeeded {
                output: match self.rng.below(4) {
                    0 => invocation.parameters.clone(),
                    1 => {
                        json!({"Payload": {"n": invocation.execution_invocation}, "StatusCode": 200})
                    }
                    2 => json!([1, "a", null]),
                    _ => json!("text"),
                },
                submitted_output: None,
            },
            5..=6 => TaskAnswer::Failed { error, cause },
            7 => TaskAnswer::TimedOut { error, cause },
            8 => TaskAnswer::StartFailed { error, cause },
            _ => TaskAnswer::SubmitFailed { error, cause },
        })
    }
}

/// Checks the structural invariants of a history; returns the first
/// violation. Shared by the fuzz target and mirrored in the property tests.
pub fn history_problem(history: &[HistoryEvent]) -> Option<String> {
    let mut terminal = 0;
    for (i, e) in history.iter().enumerate() {
        if e.id != i as u64 + 1 {
            return Some(format!("event #{i} has id {}", e.id));
        }
        if e.previous_event_id >= e.id {
            return Some(format!(
                "event {} ({}) has previousEventId {}",
                e.id,
                e.event_type(),
                e.previous_event_id
            ));
        }
        let t = e.event_type();
        if t.starts_with("Execution") && t != "ExecutionStarted" {
            terminal += 1;
        }
        match HistoryEvent::from_wire(&e.to_wire()) {
            Ok(back) if &back == e => {}
            Ok(_) => return Some(format!("event {} does not round-trip", e.id)),
            Err(err) => return Some(format!("event {} does not parse back: {err}", e.id)),
        }
    }
    if history.first().map(HistoryEvent::event_type) != Some("ExecutionStarted") {
        return Some("the history does not start with ExecutionStarted".into());
    }
    if terminal != 1 {
        return Some(format!("{terminal} terminal execution events"));
    }
    None
}

/// `asl-sim`: every definition that lints without errors is run with the
/// input after the NUL and random Task answers; the run must end, twice
/// with the same history, and the history must be well-formed.
pub fn sim_run(data: &[u8]) {
    let (definition, input) = split(data);
    let Some(definition) = text(definition) else {
        return;
    };
    if definition.len() > 64 * 1024 {
        return;
    }
    let diagnostics = lint_text(definition, SourceFormat::Json, &LintOptions::default());
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        return;
    }
    let seed = fnv1a(data);
    let config = ExecutionConfig {
        seed,
        ..ExecutionConfig::default()
    };
    let input = input.to_string();
    let run = || {
        let mut resolver = RandomResolver {
            rng: SplitMix(seed),
            budget: 200,
        };
        execute(definition, &input, &config, &mut resolver)
    };
    let first = run();
    if let Ok(result) = &first {
        if let Some(problem) = history_problem(&result.history) {
            panic!("malformed history: {problem}");
        }
        let second = run().expect("second run of the same execution");
        assert_eq!(
            serde_json::to_string(&result.history).unwrap(),
            serde_json::to_string(&second.history).unwrap(),
            "same seed, different history"
        );
    }
}

// ---------------------------------------------------------------- asl-test

/// A path no file exists under: relative `definition:` / `mock_config:`
/// references fail cleanly instead of reading the disk.
const NOWHERE: &str = "/nonexistent/asl-toolkit-fuzz";

/// The scenario loader (YAML → model, inline definitions linted), then a
/// run of up to four scenarios in CI snapshot mode (writes nothing).
pub fn scenario(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let src =
        asl_test::source::SourceFile::new(format!("{NOWHERE}/fuzz.scenario.yaml"), text.to_owned());
    let file = match asl_test::load::load_source(&src) {
        Ok(file) => file,
        Err(e) => {
            let _ = e.headline();
            let _ = e.to_string();
            return;
        }
    };
    let opts = asl_test::run::RunOptions {
        mode: asl_test::snapshot::Mode::Ci,
        seed: None,
        keep_history: false,
    };
    for scenario in file.scenarios.iter().take(4) {
        let result = asl_test::run::run_scenario(&file, scenario, &opts);
        let _ = result.passed();
    }
}

/// Step Functions Local mock configuration: parse, then render every
/// machine as scenario files (`asl-test import`).
pub fn mock_config(data: &[u8]) {
    let Some(text) = text(data) else { return };
    let src = asl_test::source::SourceFile::new(
        format!("{NOWHERE}/MockConfigFile.json"),
        text.to_owned(),
    );
    match asl_test::mockconfig::parse(&src) {
        Ok(cfg) => {
            for m in &cfg.machines {
                let out = asl_test::import::render(
                    &cfg,
                    &m.name,
                    "machine.asl.json",
                    "MockConfigFile.json",
                );
                let _ = asl_core::yaml::parse(&out);
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

// ---------------------------------------------------------------- small parsers

/// Names, ARNs, resources, timestamps, line/column mapping.
pub fn strings(data: &[u8]) {
    let Some(s) = text(data) else { return };
    use asl_core::names::{check_name, sanitize_name, NameKind};
    for kind in [
        NameKind::StateMachine,
        NameKind::Execution,
        NameKind::Activity,
        NameKind::MapRunLabel,
    ] {
        let _ = check_name(kind, s);
        if let Some(fixed) = sanitize_name(kind, s) {
            let _ = check_name(kind, &fixed);
        }
    }
    if let Ok(arn) = asl_core::arn::Arn::parse(s) {
        let _ = format!("{arn:?}");
    }
    let _ = asl_core::integrations::classify_resource(s);
    for t in [
        asl_core::integrations::MachineType::Standard,
        asl_core::integrations::MachineType::Express,
    ] {
        let _ = asl_core::integrations::check_task_resource(s, t);
    }
    let _ = asl_core::integrations::check_item_reader_resource(s);
    let _ = asl_core::integrations::check_result_writer_resource(s);
    if let Ok(dt) = asl_core::timestamp::parse_runtime_timestamp(s) {
        let ms = asl_core::timestamp::to_utc_millis(&dt);
        let _ = asl_core::timestamp::format_millis(ms);
        let _ = asl_core::timestamp::format_datetime(&dt);
        let _ = asl_core::timestamp::wait_delay_millis(0, &dt);
    }
    let _ = asl_core::timestamp::parse_definition_timestamp(s);
    let lines = asl_core::lines::LineIndex::new(s);
    for offset in [0, s.len() / 3, s.len() / 2, s.len()] {
        let _ = lines.line_col(s, offset);
    }
}
