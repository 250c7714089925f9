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
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
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

/// One scenario-style mock entry.
#[derive(Debug, Clone)]
enum MockEntry {
    Return(Value),
    Throw {
        error: Option<String>,
        cause: Option<String>,
    },
}

/// Answers from a scenario-style `mocks` mapping: per state, one entry per
/// invocation in order; `repeat: true` answers every later invocation.
#[derive(Debug, Clone, Default)]
pub struct ScenarioMocks {
    states: BTreeMap<String, (Vec<MockEntry>, bool)>,
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
                let entry = match (o.get("return"), o.get("throw")) {
                    (Some(r), None) => MockEntry::Return(r.clone()),
                    (None, Some(t)) => MockEntry::Throw {
                        error: t.get("error").and_then(Value::as_str).map(str::to_owned),
                        cause: t.get("cause").and_then(Value::as_str).map(str::to_owned),
                    },
                    _ => {
                        return Err(format!(
                            "mocks.{state}[{i}]: needs exactly one of `return`, `throw`"
                        ))
                    }
                };
                entries.push(entry);
            }
            states.insert(state.clone(), (entries, repeat));
        }
        Ok(ScenarioMocks { states })
    }
}

impl TaskResolver for ScenarioMocks {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        let (entries, repeat) = self.states.get(inv.state)?;
        let i = inv.state_invocation as usize;
        let e = entries
            .get(i)
            .or_else(|| if *repeat { entries.last() } else { None })?;
        Some(match e {
            MockEntry::Return(v) => TaskAnswer::Succeeded {
                output: v.clone(),
                submitted_output: None,
            },
            MockEntry::Throw { error, cause } => TaskAnswer::Failed {
                error: error.clone(),
                cause: cause.clone(),
            },
        })
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
