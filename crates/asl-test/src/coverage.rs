//! Coverage per state machine, derived from histories: which states were
//! entered and which transitions were taken — `Next`, `End`, each Choice
//! rule and `Default`, each Catch and each Retry.
//!
//! How a history maps to transitions:
//! * a successful `…StateExited` of a state covers its `Next` (or `End`);
//! * a `…StateExited` whose previous event is a failure (`TaskFailed`,
//!   `…TimedOut`, `ParallelStateFailed`, …) covers the first Catch whose
//!   `ErrorEquals` matches the error (found by following `previousEventId`
//!   to the event that carries one; `States.ALL` catchers when none does);
//! * a `…Scheduled` event whose previous event is a failure is a retry and
//!   covers the first matching Retry;
//! * a `ChoiceStateExited` covers the first rule (else `Default`) that
//!   targets the state entered next. Histories do not say which rule
//!   matched, so two rules with the same target count as the first one.

use asl_core::model::{self, Retrier, State, StateKind};
use asl_sim::history::HistoryEvent;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One transition of a state.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Transition {
    pub from: String,
    /// `next`, `end`, `choice[i]`, `default`, `catch[i]`, `retry[i]`.
    pub kind: String,
    /// Target state (`None` for `end` and retries).
    pub to: Option<String>,
}

/// The coverage of one state machine.
#[derive(Debug, Clone)]
pub struct MachineCoverage {
    pub key: String,
    /// State names in definition order (nested after their parent).
    pub states: Vec<String>,
    pub transitions: Vec<Transition>,
    pub covered_states: BTreeSet<String>,
    pub covered_transitions: BTreeSet<Transition>,
}

/// Builds the empty coverage model of a definition (JSON text).
pub fn model_of(key: &str, json: &str) -> Option<MachineCoverage> {
    let doc = asl_core::json::parse(json).ok()?;
    let def = model::build(&doc.root);
    let mut states = Vec::new();
    let mut transitions = Vec::new();
    for s in def.all_states() {
        states.push(s.name.clone());
        transitions.extend(transitions_of(s));
    }
    Some(MachineCoverage {
        key: key.to_owned(),
        states,
        transitions,
        covered_states: BTreeSet::new(),
        covered_transitions: BTreeSet::new(),
    })
}

fn transitions_of(s: &State) -> Vec<Transition> {
    let t = |kind: String, to: Option<&str>| Transition {
        from: s.name.clone(),
        kind,
        to: to.map(str::to_owned),
    };
    let mut out = Vec::new();
    if let StateKind::Choice(c) = &s.kind {
        for (i, r) in c.choices.iter().enumerate() {
            out.push(t(
                format!("choice[{i}]"),
                r.next.as_ref().map(|n| n.value.as_str()),
            ));
        }
        if let Some(d) = &c.default {
            out.push(t("default".into(), Some(&d.value)));
        }
    } else if let Some(n) = &s.next {
        out.push(t("next".into(), Some(&n.value)));
    } else if s.end {
        out.push(t("end".into(), None));
    }
    for i in 0..s.retry.len() {
        out.push(t(format!("retry[{i}]"), None));
    }
    for (i, c) in s.catch.iter().enumerate() {
        out.push(t(
            format!("catch[{i}]"),
            c.next.as_ref().map(|n| n.value.as_str()),
        ));
    }
    out
}

const FAILURES: [&str; 13] = [
    "TaskFailed",
    "TaskTimedOut",
    "TaskStartFailed",
    "TaskSubmitFailed",
    "LambdaFunctionFailed",
    "LambdaFunctionTimedOut",
    "LambdaFunctionStartFailed",
    "LambdaFunctionScheduleFailed",
    "ActivityFailed",
    "ActivityTimedOut",
    "ActivityScheduleFailed",
    "ParallelStateFailed",
    "MapStateFailed",
];

fn matches(error_equals: &[String], error: Option<&str>) -> bool {
    let name = error.unwrap_or("");
    if name == "States.Runtime" {
        return false;
    }
    error_equals.iter().any(|e| match e.as_str() {
        "States.ALL" => true,
        "States.TaskFailed" => !name.starts_with("States.") || name == "States.TaskFailed",
        other => other == name,
    })
}

fn first_retry(retry: &[Retrier], error: Option<&str>) -> Option<usize> {
    retry.iter().position(|r| matches(&r.error_equals, error))
}

impl MachineCoverage {
    /// Adds what one history exercised.
    pub fn add(&mut self, json: &str, history: &[HistoryEvent]) {
        let Ok(doc) = asl_core::json::parse(json) else {
            return;
        };
        let def = model::build(&doc.root);
        let by_name: HashMap<&str, &State> = def
            .all_states()
            .into_iter()
            .map(|s| (s.name.as_str(), s))
            .collect();
        let details: Vec<Option<Value>> =
            history.iter().map(|e| e.details.details_json()).collect();
        let get = |id: u64| -> Option<(usize, &HistoryEvent)> {
            let i = usize::try_from(id).ok()?.checked_sub(1)?;
            history.get(i).map(|e| (i, e))
        };
        let name_of = |i: usize| {
            details[i]
                .as_ref()
                .and_then(|d| d.get("name"))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        // The error of a failure: the nearest event up the chain carrying one.
        let error_of = |mut i: usize| -> Option<String> {
            for _ in 0..history.len() {
                if let Some(e) = details[i]
                    .as_ref()
                    .and_then(|d| d.get("error"))
                    .and_then(Value::as_str)
                {
                    return Some(e.to_owned());
                }
                i = get(history[i].previous_event_id)?.0;
            }
            None
        };
        // The state that owns a Scheduled event: follow back to an Entered.
        let mut entered_next: HashMap<u64, usize> = HashMap::new();
        for (i, e) in history.iter().enumerate() {
            if e.event_type().ends_with("StateEntered") {
                entered_next.insert(e.previous_event_id, i);
                if let Some(n) = name_of(i) {
                    self.covered_states.insert(n);
                }
            }
        }
        let mut cover = |from: &str, kind: String, to: Option<String>| {
            self.covered_transitions.insert(Transition {
                from: from.to_owned(),
                kind,
                to,
            });
        };
        let mut task_owner: HashMap<usize, String> = HashMap::new();
        for (i, e) in history.iter().enumerate() {
            let ty = e.event_type();
            if ty.ends_with("StateEntered") {
                if let Some(n) = name_of(i) {
                    task_owner.insert(i, n);
                }
            }
            let prev = get(e.previous_event_id);
            if ty.ends_with("Scheduled") || ty == "ParallelStateStarted" || ty == "MapStateStarted"
            {
                // Owner: the state whose Entered event this chain started from.
                let owner = prev.and_then(|(p, _)| task_owner.get(&p).cloned());
                if let Some(o) = &owner {
                    task_owner.insert(i, o.clone());
                }
                if let (Some((p, pe)), Some(o)) = (prev, owner) {
                    if FAILURES.contains(&pe.event_type()) {
                        if let Some(s) = by_name.get(o.as_str()) {
                            if let Some(r) = first_retry(&s.retry, error_of(p).as_deref()) {
                                cover(&o, format!("retry[{r}]"), None);
                            }
                        }
                    }
                }
                continue;
            }
            if let Some((p, _)) = prev {
                if let Some(o) = task_owner.get(&p).cloned() {
                    if !ty.ends_with("StateEntered") && !ty.ends_with("StateExited") {
                        task_owner.insert(i, o);
                    }
                }
            }
            if !ty.ends_with("StateExited") {
                continue;
            }
            let Some(name) = name_of(i) else { continue };
            let Some(s) = by_name.get(name.as_str()) else {
                continue;
            };
            let next_state = entered_next.get(&e.id).and_then(|&j| name_of(j));
            let failed = prev.filter(|(_, pe)| FAILURES.contains(&pe.event_type()));
            if let Some((p, _)) = failed {
                let err = error_of(p);
                let idx = s
                    .catch
                    .iter()
                    .position(|c| matches(&c.error_equals, err.as_deref()))
                    .or_else(|| {
                        s.catch
                            .iter()
                            .position(|c| c.error_equals.iter().any(|x| x == "States.ALL"))
                    });
                if let Some(c) = idx {
                    let to = s.catch[c].next.as_ref().map(|n| n.value.clone());
                    cover(&name, format!("catch[{c}]"), to);
                }
            } else if let StateKind::Choice(c) = &s.kind {
                let target = next_state.clone();
                match c
                    .choices
                    .iter()
                    .position(|r| r.next.as_ref().map(|n| &n.value) == target.as_ref())
                {
                    Some(r) => cover(&name, format!("choice[{r}]"), target),
                    None => {
                        if c.default.is_some() {
                            cover(&name, "default".into(), target);
                        }
                    }
                }
            } else if let Some(n) = &s.next {
                cover(&name, "next".into(), Some(n.value.clone()));
            } else if s.end {
                cover(&name, "end".into(), None);
            }
        }
    }

    /// (covered, total) states.
    pub fn state_counts(&self) -> (usize, usize) {
        (
            self.states
                .iter()
                .filter(|s| self.covered_states.contains(*s))
                .count(),
            self.states.len(),
        )
    }

    /// (covered, total) transitions.
    pub fn transition_counts(&self) -> (usize, usize) {
        (
            self.transitions
                .iter()
                .filter(|t| self.covered_transitions.contains(*t))
                .count(),
            self.transitions.len(),
        )
    }
}

/// Coverage of every state machine of a run, keyed by definition.
#[derive(Debug, Default)]
pub struct Coverage {
    pub machines: BTreeMap<String, MachineCoverage>,
}

impl Coverage {
    /// Collects coverage from a run's results (histories must be kept).
    pub fn from_report(report: &crate::runner::RunReport) -> Self {
        let mut machines: BTreeMap<String, MachineCoverage> = BTreeMap::new();
        for f in &report.files {
            let Ok(file) = &f.loaded else { continue };
            let d = &file.definition;
            let m = machines.entry(d.coverage_key.clone()).or_insert_with(|| {
                model_of(&d.coverage_key, &d.json).unwrap_or(MachineCoverage {
                    key: d.coverage_key.clone(),
                    states: vec![],
                    transitions: vec![],
                    covered_states: BTreeSet::new(),
                    covered_transitions: BTreeSet::new(),
                })
            });
            for r in &f.results {
                if let Some(h) = &r.history {
                    m.add(&d.json, h);
                }
            }
        }
        Coverage { machines }
    }

    /// The `--coverage` table, with what was not covered listed below each row.
    pub fn table(&self) -> String {
        let mut out = String::new();
        let width = self
            .machines
            .keys()
            .map(|k| k.chars().count())
            .max()
            .unwrap_or(0)
            .max(13);
        out.push_str(&format!(
            "{:<width$}  {:>14}  {:>14}\n",
            "state machine", "states", "transitions"
        ));
        for m in self.machines.values() {
            let (cs, ts) = m.state_counts();
            let (ct, tt) = m.transition_counts();
            out.push_str(&format!(
                "{:<width$}  {:>14}  {:>14}\n",
                m.key,
                ratio(cs, ts),
                ratio(ct, tt)
            ));
            for s in m.states.iter().filter(|s| !m.covered_states.contains(*s)) {
                out.push_str(&format!("  not entered: {s}\n"));
            }
            for t in m
                .transitions
                .iter()
                .filter(|t| !m.covered_transitions.contains(*t))
            {
                let to =
                    t.to.as_deref()
                        .map(|x| format!(" → {x}"))
                        .unwrap_or_default();
                out.push_str(&format!("  not taken: {} {}{to}\n", t.from, t.kind));
            }
        }
        out
    }

    /// The `--coverage-json` document.
    pub fn to_json(&self) -> Value {
        let machines: Vec<Value> = self
            .machines
            .values()
            .map(|m| {
                let (cs, ts) = m.state_counts();
                let (ct, tt) = m.transition_counts();
                json!({
                    "definition": m.key,
                    "states": {"covered": cs, "total": ts, "items": m.states.iter().map(|s| json!({"name": s, "covered": m.covered_states.contains(s)})).collect::<Vec<_>>()},
                    "transitions": {"covered": ct, "total": tt, "items": m.transitions.iter().map(|t| json!({"from": t.from, "kind": t.kind, "to": t.to, "covered": m.covered_transitions.contains(t)})).collect::<Vec<_>>()},
                })
            })
            .collect();
        json!({"version": 1, "machines": machines})
    }
}

fn ratio(c: usize, t: usize) -> String {
    if t == 0 {
        return "-".into();
    }
    format!("{c}/{t} {:>3}%", c * 100 / t)
}
