//! `asl-sim run DEFINITION …`: lint the definition, run one execution, print
//! the result (DESIGN.md, "asl-sim run --format json").
//!
//! Exit codes: 0 the execution SUCCEEDED; 1 it ended otherwise; 2 the
//! arguments, the definition (lint errors), the input or the mocks are
//! unusable — then stdout is empty and the reasons go to stderr.

use crate::clock::format_rfc3339;
use crate::conformance::tasks::load_mock_config;
use crate::engine::{execute, ExecutionConfig, ExecutionResult, ExecutionStatus};
use crate::history::{events_to_wire, HistoryEvent};
use crate::resolver::{Invocation, TaskAnswer, TaskResolver, TaskTiming};
use crate::rng::Rng;
use asl_lint::context::LintOptions;
use asl_lint::diagnostic::Severity;
use asl_lint::lint::{lint_text, SourceFormat};
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output format of `asl-sim run`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RunFormat {
    Json,
    Yaml,
    #[default]
    Table,
}

/// Arguments of `asl-sim run`.
#[derive(Debug, Clone, Default)]
pub struct RunOptions {
    pub definition: PathBuf,
    /// `None`: `{}`; `-`: stdin.
    pub input: Option<PathBuf>,
    pub mocks: Option<String>,
    pub s3: Option<PathBuf>,
    pub seed: u64,
    pub format: RunFormat,
    pub name: Option<String>,
    pub state_machine_name: Option<String>,
    pub account: Option<String>,
    pub region: Option<String>,
    pub role_arn: Option<String>,
}

/// One scenario-style mock entry: its outcome, virtual duration and
/// heartbeats (milliseconds from the task's start).
#[derive(Debug, Clone)]
struct MockEntry {
    outcome: MockOutcome,
    after: u64,
    heartbeats: Vec<u64>,
}

#[derive(Debug, Clone)]
enum MockOutcome {
    Return(Value),
    Throw {
        error: Option<String>,
        cause: Option<String>,
    },
}

/// A scenario duration `<number><ms|s|m|h|d>` (`500ms`, `1.5m`, `36h`) in
/// milliseconds; at most 100 years.
fn parse_duration(text: &str) -> Result<u64, String> {
    const MAX_MS: f64 = 100.0 * 365.0 * 86_400_000.0;
    let t = text.trim();
    let at = t
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(t.len());
    let (number, unit) = t.split_at(at);
    let factor = match unit {
        "ms" => 1.0,
        "s" => 1e3,
        "m" => 6e4,
        "h" => 3.6e6,
        "d" => 8.64e7,
        _ => f64::NAN,
    };
    let ms = number.parse::<f64>().map(|n| n * factor);
    match ms {
        Ok(ms) if !number.starts_with('.') && ms.is_finite() && ms.fract() == 0.0 && ms <= MAX_MS => {
            Ok(ms as u64)
        }
        _ => Err(format!(
            "{text:?} is not a duration: write a whole number of milliseconds as <number><ms|s|m|h|d>, e.g. `500ms`, `10s`, `36h`"
        )),
    }
}

/// Answers from a scenario-style `mocks` mapping: per state, one entry per
/// invocation in order; `repeat: true` answers every later invocation.
#[derive(Debug, Clone, Default)]
pub struct ScenarioMocks {
    states: BTreeMap<String, (Vec<MockEntry>, bool)>,
    /// The timing of the entry answered last (the engine asks right after).
    last_timing: TaskTiming,
}

impl ScenarioMocks {
    /// Reads `{State: [ {return: …} | {throw: {error, cause}} , …]}`.
    pub fn from_value(v: &Value) -> Result<Self, String> {
        let map = v
            .get("mocks")
            .unwrap_or(v)
            .as_object()
            .ok_or("mocks: expected a mapping of state names to lists of entries")?;
        let mut states = BTreeMap::new();
        for (state, list) in map {
            let items: Vec<&Value> = match list {
                Value::Array(a) => a.iter().collect(),
                other => vec![other],
            };
            let mut entries = Vec::new();
            let mut repeat = false;
            for (i, e) in items.iter().enumerate() {
                if repeat {
                    return Err(format!(
                        "mocks.{state}[{i}]: an entry with `repeat: true` must be last"
                    ));
                }
                let o = e
                    .as_object()
                    .ok_or_else(|| format!("mocks.{state}[{i}]: expected a mapping"))?;
                repeat = o.get("repeat").and_then(Value::as_bool).unwrap_or(false);
                let outcome = match (o.get("return"), o.get("throw")) {
                    (Some(r), None) => MockOutcome::Return(r.clone()),
                    (None, Some(t)) => MockOutcome::Throw {
                        error: t.get("error").and_then(Value::as_str).map(str::to_owned),
                        cause: t.get("cause").and_then(Value::as_str).map(str::to_owned),
                    },
                    _ => {
                        return Err(format!(
                            "mocks.{state}[{i}]: needs exactly one of `return`, `throw`"
                        ))
                    }
                };
                let duration = |v: &Value, at: &str| match v {
                    Value::String(d) => {
                        parse_duration(d).map_err(|e| format!("mocks.{state}[{i}].{at}: {e}"))
                    }
                    _ => Err(format!(
                        "mocks.{state}[{i}].{at}: expected a duration such as `10s`"
                    )),
                };
                let after = o.get("after").map(|v| duration(v, "after")).transpose()?;
                let heartbeats = match o.get("heartbeats") {
                    None => Vec::new(),
                    Some(Value::Array(a)) => a
                        .iter()
                        .enumerate()
                        .map(|(j, v)| duration(v, &format!("heartbeats[{j}]")))
                        .collect::<Result<_, _>>()?,
                    Some(_) => {
                        return Err(format!(
                            "mocks.{state}[{i}].heartbeats: expected a list of durations"
                        ))
                    }
                };
                entries.push(MockEntry {
                    outcome,
                    after: after.unwrap_or(0),
                    heartbeats,
                });
            }
            states.insert(state.clone(), (entries, repeat));
        }
        Ok(ScenarioMocks {
            states,
            last_timing: TaskTiming::default(),
        })
    }
}

impl TaskResolver for ScenarioMocks {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        self.last_timing = TaskTiming::default();
        let (entries, repeat) = self.states.get(inv.state)?;
        let i = inv.state_invocation as usize;
        let e = entries
            .get(i)
            .or_else(|| if *repeat { entries.last() } else { None })?;
        let answer = match &e.outcome {
            MockOutcome::Return(v) => TaskAnswer::Succeeded {
                output: v.clone(),
                submitted_output: None,
            },
            MockOutcome::Throw { error, cause } => TaskAnswer::Failed {
                error: error.clone(),
                cause: cause.clone(),
            },
        };
        self.last_timing = TaskTiming {
            after: e.after,
            heartbeats: e.heartbeats.clone(),
        };
        Some(answer)
    }

    /// `after` / `heartbeats` of the entry just used.
    fn timing(&mut self, _inv: &Invocation<'_>) -> TaskTiming {
        std::mem::take(&mut self.last_timing)
    }
}

fn read_text(path: &Path) -> Result<String, String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut s)
            .map_err(|e| format!("-: {e}"))?;
        return Ok(s);
    }
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Parses JSON or YAML text into a value (YAML for `.yaml`/`.yml`).
fn parse_data(text: &str, path: &str) -> Result<Value, String> {
    let doc = match SourceFormat::from_path(path) {
        SourceFormat::Yaml => asl_core::yaml::parse(text),
        SourceFormat::Json => asl_core::json::parse(text),
    }
    .map_err(|e| format!("{path}: {e:?}"))?;
    Ok(doc.root.to_value())
}

fn load_mocks(spec: &str, machine: &str) -> Result<Box<dyn TaskResolver>, String> {
    if let Some((file, case)) = spec.split_once('#') {
        let cfg = load_mock_config(Path::new(file)).map_err(|e| e.to_string())?;
        let (m, t) = match case.split_once('/') {
            Some((m, t)) => (m.to_owned(), t.to_owned()),
            None => (machine.to_owned(), case.to_owned()),
        };
        let r = cfg.resolver(Some(&m), Some(&t))?;
        return Ok(Box::new(r));
    }
    let text = read_text(Path::new(spec))?;
    let v = parse_data(&text, spec)?;
    Ok(Box::new(ScenarioMocks::from_value(&v)?))
}

/// The `--format json` object.
pub fn result_json(r: &ExecutionResult) -> Value {
    let mut o = Map::new();
    o.insert("status".into(), r.status.as_str().into());
    if r.status == ExecutionStatus::Succeeded {
        if let Some(out) = &r.output {
            o.insert("output".into(), out.clone().into());
        }
    }
    if let Some(e) = &r.error {
        o.insert("error".into(), e.clone().into());
    }
    if let Some(c) = &r.cause {
        o.insert("cause".into(), c.clone().into());
    }
    o.insert("history".into(), events_to_wire(&r.history));
    Value::Object(o)
}

fn table(r: &ExecutionResult, start: i64, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "{:>4}  {:>5}  {:<10}  {:<28}  details",
        "id", "prev", "time", "type"
    )?;
    for e in &r.history {
        let HistoryEvent {
            id,
            previous_event_id,
            timestamp,
            ..
        } = e;
        let details = e
            .details
            .details_json()
            .map(|d| {
                let mut s = d.to_string();
                if s.len() > 100 {
                    let mut cut = 97;
                    while !s.is_char_boundary(cut) {
                        cut -= 1;
                    }
                    s.truncate(cut);
                    s.push_str("...");
                }
                s
            })
            .unwrap_or_default();
        let rel = (timestamp - start) as f64 / 1000.0;
        writeln!(
            out,
            "{id:>4}  {previous_event_id:>5}  {:<10}  {:<28}  {details}",
            format!("+{rel:.3}s"),
            e.details.event_type()
        )?;
    }
    writeln!(out, "status: {}", r.status.as_str())?;
    if let Some(o) = &r.output {
        writeln!(out, "output: {o}")?;
    }
    if let Some(e) = &r.error {
        writeln!(out, "error: {e}")?;
    }
    if let Some(c) = &r.cause {
        writeln!(out, "cause: {c}")?;
    }
    Ok(())
}

/// Runs `asl-sim run`; returns the exit code.
pub fn run(opts: &RunOptions, stdout: &mut dyn Write, stderr: &mut dyn Write) -> i32 {
    match run_inner(opts) {
        Ok((r, start)) => {
            let written = match opts.format {
                RunFormat::Json => writeln!(stdout, "{}", result_json(&r)),
                RunFormat::Yaml => {
                    let v = result_json(&r);
                    writeln!(stdout, "{}", to_yaml(&v, 0).trim_end())
                }
                RunFormat::Table => table(&r, start, stdout),
            };
            if written.is_err() {
                return 2;
            }
            if r.status == ExecutionStatus::Succeeded {
                0
            } else {
                1
            }
        }
        Err(msg) => {
            let _ = writeln!(stderr, "{}", msg.trim_end());
            2
        }
    }
}

fn run_inner(opts: &RunOptions) -> Result<(ExecutionResult, i64), String> {
    let def_path = opts.definition.display().to_string();
    let def_text = read_text(&opts.definition)?;
    let format = SourceFormat::from_path(&def_path);
    let diags = lint_text(&def_text, format, &LintOptions::default());
    let errors: Vec<_> = diags
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .collect();
    if !errors.is_empty() {
        let lines = asl_core::lines::LineIndex::new(&def_text);
        let mut msg = String::new();
        for d in errors {
            let lc = lines.line_col(&def_text, d.span.start as usize);
            msg.push_str(&format!(
                "{def_path}:{}:{}: {} [{} {}] {}\n",
                lc.line, lc.column, "error", d.code, d.slug, d.message
            ));
        }
        return Err(msg);
    }
    // The engine takes JSON text; YAML definitions are converted.
    let def_json = match format {
        SourceFormat::Json => def_text,
        SourceFormat::Yaml => parse_data(&def_text, &def_path)?.to_string(),
    };
    let input = match &opts.input {
        None => "{}".to_string(),
        Some(p) => {
            let t = read_text(p)?;
            serde_json::from_str::<Value>(&t)
                .map_err(|e| format!("{}: input is not JSON: {e}", p.display()))?;
            t.trim().to_string()
        }
    };
    if let Some(dir) = &opts.s3 {
        if !dir.is_dir() {
            return Err(format!("--s3 {}: not a directory", dir.display()));
        }
    }
    let stem = opts
        .definition
        .file_name()
        .and_then(|s| s.to_str())
        .map(|s| s.split('.').next().unwrap_or(s).to_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "StateMachine".into());
    let machine = opts.state_machine_name.clone().unwrap_or(stem);
    let defaults = ExecutionConfig::default();
    let account = opts.account.clone().unwrap_or(defaults.account.clone());
    let config = ExecutionConfig {
        role_arn: opts
            .role_arn
            .clone()
            .unwrap_or_else(|| format!("arn:aws:iam::{account}:role/StepFunctionsRole")),
        account,
        region: opts.region.clone().unwrap_or(defaults.region.clone()),
        execution_name: opts
            .name
            .clone()
            .unwrap_or_else(|| Rng::new(opts.seed).child_named("execution-name").uuid_v4()),
        state_machine_name: machine.clone(),
        seed: opts.seed,
        start: defaults.start,
        aws_behaviour: defaults.aws_behaviour,
    };
    let mut resolver: Box<dyn TaskResolver> = match &opts.mocks {
        Some(m) => load_mocks(m, &machine)?,
        None => Box::new(crate::resolver::NoAnswers),
    };
    let r = execute(&def_json, &input, &config, resolver.as_mut()).map_err(|e| {
        format!(
            "{def_path}: {e} (seed {}, start {})",
            opts.seed,
            format_rfc3339(config.start)
        )
    })?;
    Ok((r, config.start))
}

/// A small YAML emitter for the `--format yaml` result (strings quoted as
/// JSON, which is valid YAML).
fn to_yaml(v: &Value, indent: usize) -> String {
    let pad = " ".repeat(indent);
    match v {
        Value::Object(m) if !m.is_empty() => {
            let mut s = String::new();
            for (k, x) in m {
                let key = Value::String(k.clone()).to_string();
                match x {
                    Value::Object(o) if !o.is_empty() => {
                        s.push_str(&format!("{pad}{key}:\n{}", to_yaml(x, indent + 2)))
                    }
                    Value::Array(a) if !a.is_empty() => {
                        s.push_str(&format!("{pad}{key}:\n{}", to_yaml(x, indent)))
                    }
                    other => s.push_str(&format!("{pad}{key}: {}\n", other)),
                }
            }
            s
        }
        Value::Array(a) if !a.is_empty() => {
            let mut s = String::new();
            for x in a {
                match x {
                    Value::Object(o) if !o.is_empty() => {
                        let inner = to_yaml(x, indent + 2);
                        let trimmed = inner.trim_start();
                        s.push_str(&format!("{pad}- {trimmed}"));
                    }
                    other => s.push_str(&format!("{pad}- {}\n", other)),
                }
            }
            s
        }
        other => format!("{pad}{other}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("500ms"), Ok(500));
        assert_eq!(parse_duration("1.5m"), Ok(90_000));
        assert_eq!(parse_duration("36h"), Ok(129_600_000));
        assert_eq!(parse_duration("2d"), Ok(172_800_000));
        for bad in ["10", "1.5ms", ".5s", "10x", "s", "101000d", "-1s"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn scenario_mocks_honour_after_and_heartbeats() {
        let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task",
            "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
            "TimeoutSeconds":60,"HeartbeatSeconds":20,"End":true}}}"#;
        let run = |mocks: Value| {
            let mut m = ScenarioMocks::from_value(&mocks).unwrap();
            execute(def, "{}", &ExecutionConfig::default(), &mut m).unwrap()
        };
        let at = |r: &ExecutionResult, i: usize| {
            (
                r.history[i].event_type(),
                r.history[i].timestamp - crate::clock::DEFAULT_START,
            )
        };
        let r = run(json!({"T": [{"return": 1, "after": "30s", "heartbeats": ["15s"]}]}));
        assert_eq!(r.status, ExecutionStatus::Succeeded);
        assert_eq!(at(&r, 5), ("TaskSucceeded", 30_000));
        let r = run(json!({"mocks": {"T": [{"return": 1, "after": "30s"}]}}));
        assert_eq!(at(&r, 5), ("TaskTimedOut", 20_000));
        let r =
            run(json!({"T": [{"return": 1, "after": "2m", "heartbeats": ["15s", "30s", "45s"]}]}));
        assert_eq!(at(&r, 5), ("TaskTimedOut", 60_000));
        let e =
            ScenarioMocks::from_value(&json!({"T": [{"return": 1, "after": "10"}]})).unwrap_err();
        assert!(
            e.starts_with("mocks.T[0].after: \"10\" is not a duration"),
            "{e}"
        );
        let e = ScenarioMocks::from_value(&json!({"T": [{"return": 1, "heartbeats": "1s"}]}))
            .unwrap_err();
        assert!(e.contains("heartbeats: expected a list"), "{e}");
    }
}
