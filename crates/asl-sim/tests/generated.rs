//! Properties over *generated* state machines (DESIGN.md, Testing).
//!
//! A generator builds valid definitions from a byte tape (proptest shrinks
//! the tape, so failures shrink to small machines): random graphs of Pass,
//! Choice, Wait, Succeed, Fail, Parallel, Map and Task states whose
//! transitions only go forward (every state reachable from `StartAt` along
//! the `Next` spine, every path ends), nested Parallel branches and Map
//! processors, Retry/Catch, JSONPath templates with `.$` paths, the context
//! object and intrinsics.
//!
//! For every generated definition:
//! * the linter reports no error;
//! * the engine ends within its limits with random Task answers;
//! * the same seed gives a byte-identical history;
//! * the history is well-formed (ids 1..n, every `previousEventId` earlier,
//!   exactly one terminal execution event, last; every `…StateEntered`
//!   matched by a `…StateExited` or followed by a failure; every event
//!   round-trips through its wire form);
//! * `asl-lint --format json` output (the library renderer) round-trips
//!   through serde.

use asl_lint::context::LintOptions;
use asl_lint::diagnostic::Severity;
use asl_lint::lint::{lint_text, SourceFormat};
use asl_lint::report::{FileReport, RunReport};
use asl_sim::engine::{execute, ExecutionConfig, ExecutionResult};
use asl_sim::history::{events_to_wire, HistoryEvent};
use asl_sim::resolver::{Invocation, TaskAnswer, TaskResolver};
use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};
use std::collections::HashMap;

// ------------------------------------------------------------------ tape

/// Bytes read as choices; 0 once exhausted (the simplest choice).
struct Tape<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Unique state-name counter (names are unique across the definition).
    names: usize,
}

impl Tape<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.bytes.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    /// `0..n`.
    fn below(&mut self, n: usize) -> usize {
        self.byte() as usize % n
    }

    /// True with `percent` % probability; false on an exhausted tape.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) >= 100 - percent
    }

    fn name(&mut self, kind: &str) -> String {
        self.names += 1;
        format!("{kind}{}", self.names)
    }
}

// ------------------------------------------------------------------ generator

const MAX_DEPTH: usize = 2;

/// `.$` values that are valid JSONPath / intrinsics over the generated
/// inputs (they may still miss at run time: that is a runtime error).
const PATH_VALUES: &[&str] = &[
    "$",
    "$.n",
    "$.s",
    "$.items",
    "$.items[0]",
    "$.nested.deep",
    "$$.Execution.Id",
    "$$.Execution.Input",
    "$$.State.Name",
    "$$.State.EnteredTime",
    "$$.StateMachine.Name",
    "States.Format('n={} s={}', $.n, $.s)",
    "States.Array($.n, $.s, 3)",
    "States.ArrayLength($.items)",
    "States.MathAdd($.n, 1)",
    "States.StringToJson('{\"a\":1}')",
    "States.JsonToString($)",
    "States.UUID()",
    "States.Hash($.s, 'SHA-256')",
    "States.ArrayRange(1, 5, 2)",
    "States.Base64Encode($.s)",
];

const ERRORS: &[&str] = &[
    "States.TaskFailed",
    "States.Timeout",
    "Custom.Error",
    "Lambda.ServiceException",
];

fn template(t: &mut Tape) -> Value {
    let mut m = Map::new();
    for k in 0..1 + t.below(3) {
        if t.chance(70) {
            let p = PATH_VALUES[t.below(PATH_VALUES.len())];
            m.insert(format!("f{k}.$"), json!(p));
        } else {
            m.insert(format!("c{k}"), json!({"lit": k, "list": [1, "two", null]}));
        }
    }
    if t.chance(20) {
        m.insert("inner".into(), template(t));
    }
    Value::Object(m)
}

fn result_path(t: &mut Tape, i: usize) -> Value {
    match t.below(4) {
        0 => json!(format!("$.r{i}")),
        1 => Value::Null,
        2 => json!("$.nested.out"),
        _ => json!("$"),
    }
}

fn retry(t: &mut Tape) -> Value {
    let mut list = Vec::new();
    for _ in 0..t.below(3) {
        let mut r = Map::new();
        r.insert("ErrorEquals".into(), json!([ERRORS[t.below(ERRORS.len())]]));
        r.insert("MaxAttempts".into(), json!(t.below(3)));
        r.insert("IntervalSeconds".into(), json!(1 + t.below(5)));
        r.insert("BackoffRate".into(), json!(1.0 + t.below(3) as f64 * 0.5));
        if t.chance(30) {
            r.insert("MaxDelaySeconds".into(), json!(1 + t.below(10)));
        }
        if t.chance(30) {
            r.insert("JitterStrategy".into(), json!("FULL"));
        }
        list.push(Value::Object(r));
    }
    if t.chance(30) {
        list.push(json!({"ErrorEquals": ["States.ALL"], "MaxAttempts": 1}));
    }
    Value::Array(list)
}

/// Catchers that jump forward to one of `targets`.
fn catch(t: &mut Tape, targets: &[String]) -> Option<Value> {
    if targets.is_empty() || !t.chance(50) {
        return None;
    }
    let mut list = Vec::new();
    if t.chance(50) {
        list.push(json!({
            "ErrorEquals": [ERRORS[t.below(ERRORS.len())]],
            "Next": targets[t.below(targets.len())],
        }));
    }
    let mut all = Map::new();
    all.insert("ErrorEquals".into(), json!(["States.ALL"]));
    all.insert("Next".into(), json!(targets[t.below(targets.len())]));
    if t.chance(60) {
        all.insert("ResultPath".into(), json!("$.error"));
    }
    list.push(Value::Object(all));
    Some(Value::Array(list))
}

fn choice_rule(t: &mut Tape, depth: usize) -> Value {
    match t.below(if depth > 1 { 6 } else { 8 }) {
        0 => json!({"Variable": "$.n", "NumericGreaterThan": t.below(10)}),
        1 => json!({"Variable": "$.n", "NumericLessThanEquals": t.below(10)}),
        2 => {
            let v = ["a", "b", "zz"][t.below(3)];
            json!({"Variable": "$.s", "StringEquals": v})
        }
        3 => json!({"Variable": "$.s", "IsPresent": t.chance(50)}),
        4 => json!({"Variable": "$.items", "IsPresent": true}),
        5 => json!({"Variable": "$.s", "StringMatches": "a*"}),
        6 => json!({"And": [choice_rule(t, depth + 1), choice_rule(t, depth + 1)]}),
        _ => json!({"Not": choice_rule(t, depth + 1)}),
    }
}

fn task(t: &mut Tape, i: usize) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("Type".into(), json!("Task"));
    match t.below(4) {
        0 => {
            s.insert("Resource".into(), json!("arn:aws:states:::lambda:invoke"));
            let mut p = template(t);
            p.as_object_mut()
                .unwrap()
                .insert("FunctionName".into(), json!("fn"));
            s.insert("Parameters".into(), p);
            if t.chance(50) {
                s.insert("ResultSelector".into(), json!({"payload.$": "$.Payload"}));
            }
        }
        1 => {
            s.insert(
                "Resource".into(),
                json!("arn:aws:lambda:us-east-1:123456789012:function:fn"),
            );
        }
        2 => {
            s.insert(
                "Resource".into(),
                json!("arn:aws:states:::sqs:sendMessage.waitForTaskToken"),
            );
            s.insert(
                "Parameters".into(),
                json!({"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q",
                       "MessageBody": {"token.$": "$$.Task.Token"}}),
            );
            s.insert("HeartbeatSeconds".into(), json!(5));
            s.insert("TimeoutSeconds".into(), json!(60));
        }
        _ => {
            s.insert(
                "Resource".into(),
                json!("arn:aws:states:us-east-1:123456789012:activity:act"),
            );
            if t.chance(50) {
                s.insert("TimeoutSeconds".into(), json!(1 + t.below(100)));
            }
        }
    }
    s.insert("ResultPath".into(), result_path(t, i));
    s
}

/// One (sub)machine: `StartAt` and `States`. `depth` bounds nesting.
fn machine(t: &mut Tape, depth: usize) -> Value {
    let n = 1 + t.below(if depth == 0 { 7 } else { 3 });
    let names: Vec<String> = (0..n).map(|_| t.name("S")).collect();
    let mut states = Map::new();
    for (i, name) in names.iter().enumerate() {
        let last = i + 1 == n;
        let forward = &names[i + 1..];
        let kinds = if last { 7 } else { 6 };
        let kind = if depth >= MAX_DEPTH {
            // No more nesting: Pass, Wait, Task, Choice (or Fail when
            // last), Succeed.
            [0, 1, 2, 3, 6, 8][t.below(if last { 6 } else { 4 })]
        } else {
            t.below(kinds + 2)
        };
        let mut s = Map::new();
        let mut can_catch = false;
        match kind {
            0 => {
                s.insert("Type".into(), json!("Pass"));
                match t.below(3) {
                    0 => {
                        s.insert("Result".into(), json!({"i": i, "tag": name}));
                    }
                    1 => {
                        s.insert("Parameters".into(), template(t));
                    }
                    _ => {}
                }
                s.insert("ResultPath".into(), result_path(t, i));
                if t.chance(20) {
                    s.insert("Assign".into(), json!({"v.$": "$.n"}));
                }
            }
            1 => {
                s.insert("Type".into(), json!("Wait"));
                match t.below(3) {
                    0 => s.insert("Seconds".into(), json!(t.below(100_000))),
                    1 => s.insert("SecondsPath".into(), json!("$.n")),
                    _ => s.insert("Timestamp".into(), json!("2030-01-01T00:00:00Z")),
                };
            }
            2 => {
                s = task(t, i);
                can_catch = true;
            }
            3 if !last => {
                s.insert("Type".into(), json!("Choice"));
                let rules: Vec<Value> = (0..1 + t.below(3))
                    .map(|_| {
                        let mut r = choice_rule(t, 0);
                        r.as_object_mut()
                            .unwrap()
                            .insert("Next".into(), json!(forward[t.below(forward.len())]));
                        r
                    })
                    .collect();
                s.insert("Choices".into(), Value::Array(rules));
                // The spine: the next state stays reachable.
                s.insert("Default".into(), json!(forward[0]));
            }
            4 if depth < MAX_DEPTH => {
                s.insert("Type".into(), json!("Parallel"));
                let branches: Vec<Value> =
                    (0..1 + t.below(3)).map(|_| machine(t, depth + 1)).collect();
                s.insert("Branches".into(), Value::Array(branches));
                s.insert("ResultPath".into(), result_path(t, i));
                can_catch = true;
            }
            5 if depth < MAX_DEPTH => {
                s.insert("Type".into(), json!("Map"));
                s.insert("ItemsPath".into(), json!("$.items"));
                s.insert("ItemProcessor".into(), machine(t, depth + 1));
                if t.chance(50) {
                    s.insert(
                        "ItemSelector".into(),
                        json!({"value.$": "$$.Map.Item.Value", "index.$": "$$.Map.Item.Index"}),
                    );
                }
                s.insert("MaxConcurrency".into(), json!(t.below(4)));
                if t.chance(30) {
                    s.insert("ToleratedFailurePercentage".into(), json!(t.below(101)));
                }
                s.insert("ResultPath".into(), result_path(t, i));
                can_catch = true;
            }
            k if last && k % 2 == 0 => {
                s.insert("Type".into(), json!("Succeed"));
            }
            k if last && k % 3 == 0 => {
                s.insert("Type".into(), json!("Fail"));
                s.insert("Error".into(), json!("Generated.Failure"));
                s.insert("Cause".into(), json!(format!("at {name}")));
            }
            _ => {
                s.insert("Type".into(), json!("Pass"));
            }
        }
        if can_catch {
            let r = retry(t);
            if r.as_array().is_some_and(|a| !a.is_empty()) {
                s.insert("Retry".into(), r);
            }
            if let Some(c) = catch(t, forward) {
                s.insert("Catch".into(), c);
            }
        }
        let ty = s["Type"].as_str().unwrap().to_owned();
        if !matches!(ty.as_str(), "Choice" | "Succeed" | "Fail") {
            if last {
                s.insert("End".into(), json!(true));
            } else {
                s.insert("Next".into(), json!(forward[0]));
            }
        }
        if !matches!(ty.as_str(), "Succeed" | "Fail") && t.chance(10) {
            s.insert("Comment".into(), json!("generated"));
        }
        states.insert(name.clone(), Value::Object(s));
    }
    json!({"StartAt": names[0], "States": states})
}

fn definition(tape: &[u8]) -> String {
    let mut t = Tape {
        bytes: tape,
        pos: 0,
        names: 0,
    };
    let mut m = machine(&mut t, 0);
    if t.chance(30) {
        m.as_object_mut()
            .unwrap()
            .insert("Comment".into(), json!("generated machine"));
    }
    serde_json::to_string_pretty(&m).unwrap()
}

fn input(tape: &[u8]) -> String {
    let mut t = Tape {
        bytes: tape,
        pos: 0,
        names: 0,
    };
    let mut m = Map::new();
    if t.chance(85) {
        m.insert("n".into(), json!(t.below(12)));
    }
    if t.chance(85) {
        m.insert("s".into(), json!(["a", "b", "abc", ""][t.below(4)]));
    }
    if t.chance(85) {
        let items: Vec<Value> = (0..t.below(4)).map(|k| json!({"k": k})).collect();
        m.insert("items".into(), Value::Array(items));
    }
    m.insert("nested".into(), json!({"deep": [1, 2]}));
    Value::Object(m).to_string()
}

// ------------------------------------------------------------------ engine

/// Random answers per invocation (seeded).
struct RandomMocks(u64);

impl RandomMocks {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

impl TaskResolver for RandomMocks {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        let r = self.next();
        let error = Some(ERRORS[(r >> 8) as usize % ERRORS.len()].to_owned());
        let cause = Some("random".to_owned());
        Some(match r % 8 {
            0..=3 => TaskAnswer::Succeeded {
                output: json!({"Payload": {"n": inv.execution_invocation}, "StatusCode": 200}),
                submitted_output: None,
            },
            4 => TaskAnswer::Succeeded {
                output: inv.parameters.clone(),
                submitted_output: None,
            },
            5 | 6 => TaskAnswer::Failed { error, cause },
            _ => TaskAnswer::TimedOut { error, cause },
        })
    }
}

fn run(def: &str, input: &str, seed: u64, mocks: u64) -> ExecutionResult {
    let cfg = ExecutionConfig {
        seed,
        ..ExecutionConfig::default()
    };
    match execute(def, input, &cfg, &mut RandomMocks(mocks)) {
        Ok(r) => r,
        Err(e) => panic!("the engine refused a generated definition: {e}\n{def}"),
    }
}

fn is_failure(event_type: &str) -> bool {
    event_type.ends_with("Failed")
        || event_type.ends_with("TimedOut")
        || event_type.ends_with("Aborted")
}

fn entered_state(e: &HistoryEvent) -> Option<String> {
    let w = e.to_wire();
    w.get("stateEnteredEventDetails")
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

fn exited_state(e: &HistoryEvent) -> Option<String> {
    let w = e.to_wire();
    w.get("stateExitedEventDetails")
        .and_then(|d| d.get("name"))
        .and_then(Value::as_str)
        .map(str::to_owned)
}

/// The first violated history invariant.
fn history_problem(history: &[HistoryEvent]) -> Result<(), String> {
    let n = history.len();
    if n == 0 {
        return Err("empty history".into());
    }
    if history[0].event_type() != "ExecutionStarted" {
        return Err(format!("first event is {}", history[0].event_type()));
    }
    let mut terminals = Vec::new();
    // State name -> ids of Entered events not yet exited.
    let mut open: HashMap<String, Vec<u64>> = HashMap::new();
    for (i, e) in history.iter().enumerate() {
        let t = e.event_type();
        if e.id != i as u64 + 1 {
            return Err(format!("event #{i} ({t}) has id {}", e.id));
        }
        if e.previous_event_id >= e.id {
            return Err(format!(
                "event {} ({t}) has previousEventId {}",
                e.id, e.previous_event_id
            ));
        }
        if t.starts_with("Execution") && t != "ExecutionStarted" {
            terminals.push(e.id);
        }
        if t.ends_with("StateEntered") {
            let name = entered_state(e).ok_or(format!("{t} {} without a name", e.id))?;
            open.entry(name).or_default().push(e.id);
        } else if t.ends_with("StateExited") {
            let name = exited_state(e).ok_or(format!("{t} {} without a name", e.id))?;
            if open.get_mut(&name).and_then(Vec::pop).is_none() {
                return Err(format!("{t} {} of {name:?} was never entered", e.id));
            }
        }
        match HistoryEvent::from_wire(&e.to_wire()) {
            Ok(back) if &back == e => {}
            Ok(_) => {
                return Err(format!(
                    "event {} ({t}) changes through its wire form",
                    e.id
                ))
            }
            Err(err) => return Err(format!("event {} ({t}) does not parse back: {err}", e.id)),
        }
    }
    if terminals != [n as u64] {
        return Err(format!("terminal execution events at {terminals:?} of {n}"));
    }
    for (name, ids) in &open {
        for &id in ids {
            let failed_later = history[id as usize..]
                .iter()
                .any(|e| is_failure(e.event_type()));
            if !failed_later {
                return Err(format!("{name:?} entered at {id} neither exits nor fails"));
            }
        }
    }
    Ok(())
}

// ------------------------------------------------------------------ lint JSON

/// `schemas/lint-output.schema.json`, as serde types: unknown fields are
/// errors, so a renderer change that the schema misses shows up here.
#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LintOutput {
    version: u32,
    diagnostics: Vec<LintDiagnostic>,
    summary: LintSummary,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LintDiagnostic {
    file: String,
    code: String,
    slug: String,
    severity: String,
    message: String,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    pointer: String,
    aws_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    fix: Option<LintFix>,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LintFix {
    title: String,
    replacement: String,
}

#[derive(Serialize, Deserialize, Debug, PartialEq)]
#[serde(deny_unknown_fields)]
struct LintSummary {
    files: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
}

fn lint_json_round_trip(files: Vec<(String, String)>) -> Result<(), String> {
    let options = LintOptions::default();
    let report = RunReport {
        files: files
            .into_iter()
            .map(|(path, text)| FileReport::lint(path, text.as_bytes(), &options))
            .collect(),
        unreadable: Vec::new(),
    };
    let text = asl_lint::render::json::render(&report);
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("not JSON: {e}"))?;
    let typed: LintOutput =
        serde_json::from_value(value.clone()).map_err(|e| format!("unexpected shape: {e}"))?;
    let back = serde_json::to_value(&typed).unwrap();
    if back != value {
        return Err(format!("does not round-trip:\n{value}\n{back}"));
    }
    let reparsed: LintOutput =
        serde_json::from_str(&serde_json::to_string(&typed).unwrap()).unwrap();
    if reparsed != typed {
        return Err("typed value does not round-trip".into());
    }
    let expected: usize = report.files.iter().map(|f| f.diagnostics.len()).sum();
    if typed.diagnostics.len() != expected
        || typed.summary.errors != report.count(Severity::Error)
        || typed.summary.warnings != report.count(Severity::Warning)
    {
        return Err("counts differ from the report".into());
    }
    Ok(())
}

/// Breaks a generated definition in small ways, for diagnostics to render.
fn vandalise(def: &str, how: u8) -> String {
    match how % 4 {
        0 => def.replacen("\"Next\"", "\"Nxt\"", 1),
        1 => def.replacen("\"Type\": \"Pass\"", "\"Type\": \"Pas\"", 1),
        2 => def.replacen("\"StartAt\": \"", "\"StartAt\": \"missing é ", 1),
        _ => def[..def.len() / 2].to_owned(),
    }
}

// ------------------------------------------------------------------ properties

/// `default`, or `ASL_PROPTEST_SCALE` times it (to search longer locally).
fn cases(default: u32) -> u32 {
    let scale = std::env::var("ASL_PROPTEST_SCALE")
        .ok()
        .and_then(|s| s.parse::<u32>().ok())
        .unwrap_or(1);
    default.saturating_mul(scale.max(1))
}

fn tape() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..400)
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(1000),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// Every generated definition lints without errors.
    #[test]
    fn generated_definitions_lint_clean(tape in tape()) {
        let def = definition(&tape);
        let errors: Vec<String> = lint_text(&def, SourceFormat::Json, &LintOptions::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {} at {}", d.code, d.message, d.pointer))
            .collect();
        prop_assert!(errors.is_empty(), "{}\n{}", errors.join("\n"), def);
    }

    /// The engine ends on every generated definition with random Task
    /// answers, deterministically, with a well-formed history.
    #[test]
    fn generated_executions_end_deterministically(
        tape in tape(),
        input_tape in proptest::collection::vec(any::<u8>(), 0..8),
        seed in any::<u64>(),
        mocks in any::<u64>(),
    ) {
        let def = definition(&tape);
        let input = input(&input_tape);
        let a = run(&def, &input, seed, mocks);
        prop_assert!(a.history.len() <= 25_000);
        if let Err(problem) = history_problem(&a.history) {
            return Err(TestCaseError::fail(format!("{problem}\ninput {input}\n{def}\n{}",
                serde_json::to_string_pretty(&events_to_wire(&a.history)).unwrap())));
        }
        let b = run(&def, &input, seed, mocks);
        let (ja, jb) = (
            serde_json::to_string(&events_to_wire(&a.history)).unwrap(),
            serde_json::to_string(&events_to_wire(&b.history)).unwrap(),
        );
        prop_assert!(ja == jb, "same seed, different history\n{}", def);
        prop_assert_eq!((a.status, a.output, a.error, a.cause), (b.status, b.output, b.error, b.cause));
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: cases(200),
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    /// `--format json` round-trips through serde, clean and broken files.
    #[test]
    fn lint_json_output_round_trips(tape in tape(), how in any::<u8>()) {
        let def = definition(&tape);
        let broken = vandalise(&def, how);
        let yaml = format!("# yaml\n{broken}");
        let result = lint_json_round_trip(vec![
            ("clean.asl.json".into(), def),
            ("dir/broken \"quoted\".asl.json".into(), broken),
            ("broken.asl.yaml".into(), yaml),
        ]);
        prop_assert!(result.is_ok(), "{}", result.unwrap_err());
    }
}

/// The generator reaches every state type, nesting and Retry/Catch (a
/// guard against a generator that silently degenerates).
#[test]
fn generator_covers_the_language() {
    let mut seen = std::collections::BTreeSet::new();
    let mut x = 1u64;
    for _ in 0..300 {
        let tape: Vec<u8> = (0..160)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let def = definition(&tape);
        for word in [
            "\"Pass\"",
            "\"Choice\"",
            "\"Wait\"",
            "\"Succeed\"",
            "\"Fail\"",
            "\"Parallel\"",
            "\"Map\"",
            "\"Task\"",
            "\"Retry\"",
            "\"Catch\"",
            "\"Branches\"",
            "\"ItemProcessor\"",
            "States.",
            "$$.",
            "\"And\"",
            "\"Not\"",
        ] {
            if def.contains(word) {
                seen.insert(word);
            }
        }
    }
    assert_eq!(seen.len(), 16, "generator never produced some of: {seen:?}");
}
