//! Task answers of a case: `task_results.json` (one entry per recorded Task
//! invocation) and `mock_config.json` (Step Functions Local format), both as
//! typed structs and as [`TaskResolver`]s.

use super::load::{read_json, LoadError, Node};
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use serde_json::Value;
use std::collections::{BTreeMap, VecDeque};
use std::path::Path;

/// Which history events the invocation produced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// `Task…` events (service integrations).
    Task,
    /// `LambdaFunction…` events (legacy Lambda ARN).
    Lambda,
    /// `Activity…` events.
    Activity,
}

/// How the recorded invocation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Succeeded,
    Failed,
    TimedOut,
    StartFailed,
    SubmitFailed,
    ScheduleFailed,
}

/// `scheduled_event_id`: an id, or `[0]` in a Parallel-sorted recording.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduledEventId {
    Id(u64),
    Sorted,
}

/// One entry of `task_results.json`. Values are in the recording's
/// normalised form (see [`TaskResult::answer`] for the engine's view).
#[derive(Debug, Clone, PartialEq)]
pub struct TaskResult {
    pub index: u32,
    pub kind: TaskKind,
    pub state: Option<String>,
    pub scheduled_event_id: Option<ScheduledEventId>,
    pub resource_type: Option<String>,
    pub resource: Option<String>,
    pub parameters: Option<Value>,
    pub input: Option<Value>,
    pub events: Vec<String>,
    pub outcome: Option<Outcome>,
    /// Object, or a string holding the raw JSON text of a non-object result.
    pub output: Option<Value>,
    pub error: Option<String>,
    /// String, or an object parsed from a JSON cause.
    pub cause: Option<Value>,
    pub submitted_output: Option<Value>,
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
}

fn parse_task_result(n: &Node<'_>) -> Result<TaskResult, LoadError> {
    let kind = match n.req("kind")?.str()? {
        "task" => TaskKind::Task,
        "lambda" => TaskKind::Lambda,
        "activity" => TaskKind::Activity,
        other => {
            return Err(n
                .req("kind")?
                .error(format!("unknown kind {other:?} (task, lambda, activity)")))
        }
    };
    let outcome = match n.get("outcome") {
        None => None,
        Some(o) => Some(match o.str()? {
            "succeeded" => Outcome::Succeeded,
            "failed" => Outcome::Failed,
            "timed_out" => Outcome::TimedOut,
            "start_failed" => Outcome::StartFailed,
            "submit_failed" => Outcome::SubmitFailed,
            "schedule_failed" => Outcome::ScheduleFailed,
            other => return Err(o.error(format!("unknown outcome {other:?}"))),
        }),
    };
    let scheduled_event_id = match n.get("scheduled_event_id") {
        None => None,
        Some(s) => Some(match s.value {
            Value::Array(a) if a.len() == 1 && a[0].as_u64() == Some(0) => ScheduledEventId::Sorted,
            _ => ScheduledEventId::Id(s.u64()?),
        }),
    };
    if let Some(o) = n.get("output") {
        if let Value::String(text) = o.value {
            serde_json::from_str::<Value>(text)
                .map_err(|e| o.error(format!("string output is not a JSON text: {e}")))?;
        }
    }
    if let Some(c) = n.get("cause") {
        if !matches!(c.value, Value::String(_) | Value::Object(_)) {
            return Err(c.error("expected a string or an object"));
        }
    }
    let index_node = n.req("index")?;
    let index =
        u32::try_from(index_node.u64()?).map_err(|_| index_node.error("index too large"))?;
    Ok(TaskResult {
        index,
        kind,
        state: n.get("state").map(|s| s.string()).transpose()?,
        scheduled_event_id,
        resource_type: n.get("resource_type").map(|s| s.string()).transpose()?,
        resource: n.get("resource").map(|s| s.string()).transpose()?,
        parameters: n.get("parameters").map(|p| p.value.clone()),
        input: n.get("input").map(|p| p.value.clone()),
        events: match n.get("events") {
            Some(e) => e.strings()?,
            None => Vec::new(),
        },
        outcome,
        output: n.get("output").map(|p| p.value.clone()),
        error: n.get("error").map(|s| s.string()).transpose()?,
        cause: n.get("cause").map(|p| p.value.clone()),
        submitted_output: n.get("submitted_output").map(|p| p.value.clone()),
        timeout_seconds: n.get("timeout_seconds").map(|s| s.u64()).transpose()?,
        heartbeat_seconds: n.get("heartbeat_seconds").map(|s| s.u64()).transpose()?,
    })
}

/// Loads `task_results.json`.
pub fn load_task_results(path: &Path) -> Result<Vec<TaskResult>, LoadError> {
    let doc = read_json(path)?;
    let root = Node::root(path, &doc);
    root.elements()?.iter().map(parse_task_result).collect()
}

/// Turns a recorded (normalised) `output` into the value: objects as they
/// are, strings are raw JSON texts.
fn output_value(v: &Value) -> Value {
    match v {
        Value::String(text) => serde_json::from_str(text).unwrap_or_else(|_| v.clone()),
        other => other.clone(),
    }
}

/// A cause as text: strings as they are, parsed objects compact.
fn cause_text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

impl TaskResult {
    /// The engine's answer for this invocation, with every string mapped by
    /// `concrete` (normally [`super::Case::denormalise_str`], so that the
    /// normaliser maps the values back to the recorded placeholders).
    /// `None` when nothing was recorded.
    pub fn answer(&self, concrete: &dyn Fn(&str) -> String) -> Option<TaskAnswer> {
        let error = self.error.as_deref().map(concrete);
        let cause = self
            .cause
            .as_ref()
            .map(|c| concrete(&cause_text(&map_strings(c, concrete))));
        Some(match self.outcome? {
            Outcome::Succeeded => TaskAnswer::Succeeded {
                output: map_strings(&output_value(self.output.as_ref()?), concrete),
                submitted_output: self
                    .submitted_output
                    .as_ref()
                    .map(|s| map_strings(&output_value(s), concrete)),
            },
            Outcome::Failed => TaskAnswer::Failed { error, cause },
            Outcome::TimedOut => TaskAnswer::TimedOut { error, cause },
            Outcome::StartFailed => TaskAnswer::StartFailed { error, cause },
            Outcome::SubmitFailed => TaskAnswer::SubmitFailed { error, cause },
            Outcome::ScheduleFailed => TaskAnswer::ScheduleFailed { error, cause },
        })
    }
}

/// Applies `f` to every string (keys too) of a JSON value.
pub fn map_strings(v: &Value, f: &dyn Fn(&str) -> String) -> Value {
    match v {
        Value::String(s) => Value::String(f(s)),
        Value::Array(a) => Value::Array(a.iter().map(|x| map_strings(x, f)).collect()),
        Value::Object(o) => {
            Value::Object(o.iter().map(|(k, x)| (f(k), map_strings(x, f))).collect())
        }
        other => other.clone(),
    }
}

/// Answers from `task_results.json`: the n-th invocation of a state gets the
/// n-th entry recorded for that state; invocations of states with no entry
/// take, in order, the entries whose state was not recorded.
#[derive(Debug, Clone)]
pub struct TableResolver {
    by_state: BTreeMap<String, Vec<Option<TaskAnswer>>>,
    submitted: BTreeMap<String, Vec<Option<Value>>>,
    unassigned: VecDeque<TaskAnswer>,
}

impl TableResolver {
    /// Builds the table; `concrete` maps recorded strings to engine values.
    pub fn new(results: &[TaskResult], concrete: &dyn Fn(&str) -> String) -> Self {
        let mut sorted: Vec<&TaskResult> = results.iter().collect();
        sorted.sort_by_key(|r| r.index);
        let mut by_state: BTreeMap<String, Vec<Option<TaskAnswer>>> = BTreeMap::new();
        let mut unassigned = VecDeque::new();
        let mut submitted: BTreeMap<String, Vec<Option<Value>>> = BTreeMap::new();
        for r in sorted {
            match &r.state {
                Some(s) => {
                    by_state
                        .entry(s.clone())
                        .or_default()
                        .push(r.answer(concrete));
                    submitted.entry(s.clone()).or_default().push(
                        r.submitted_output
                            .as_ref()
                            .map(|v| map_strings(&output_value(v), concrete)),
                    );
                }
                None => {
                    if let Some(a) = r.answer(concrete) {
                        unassigned.push_back(a);
                    }
                }
            }
        }
        TableResolver {
            by_state,
            submitted,
            unassigned,
        }
    }

    /// Whether every recorded answer is attributed to a state.
    pub fn fully_attributed(results: &[TaskResult]) -> bool {
        results
            .iter()
            .all(|r| r.outcome.is_none() || r.state.is_some())
    }
}

impl TaskResolver for TableResolver {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        match self.by_state.get(inv.state) {
            Some(list) => list.get(inv.state_invocation as usize).cloned().flatten(),
            None => self.unassigned.pop_front(),
        }
    }

    fn submitted(&mut self, inv: &Invocation<'_>) -> Option<Value> {
        self.submitted
            .get(inv.state)?
            .get(inv.state_invocation as usize)
            .cloned()
            .flatten()
    }
}

/// One response step: `Return` a result or `Throw` an error.
#[derive(Debug, Clone, PartialEq)]
pub enum MockAction {
    Return(Value),
    Throw { error: String, cause: String },
}

/// The steps of one `MockedResponses` entry, by invocation range.
#[derive(Debug, Clone, PartialEq)]
pub struct MockedResponse {
    /// `(first, last, action)`, inclusive, sorted, non-overlapping.
    pub steps: Vec<(u32, u32, MockAction)>,
}

impl MockedResponse {
    /// The action for the 0-based invocation `n`.
    pub fn step(&self, n: u32) -> Option<&MockAction> {
        self.steps
            .iter()
            .find(|(a, b, _)| *a <= n && n <= *b)
            .map(|(_, _, act)| act)
    }
}

/// A Step Functions Local mock configuration (`MockConfigFile.json`).
#[derive(Debug, Clone, PartialEq)]
pub struct MockConfig {
    /// State machine name → test case name → state name → response name.
    pub state_machines: BTreeMap<String, BTreeMap<String, BTreeMap<String, String>>>,
    pub responses: BTreeMap<String, MockedResponse>,
}

fn parse_range(key: &str) -> Option<(u32, u32)> {
    let digits = |s: &str| -> Option<u32> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    match key.split_once('-') {
        None => digits(key).map(|n| (n, n)),
        Some((a, b)) => {
            let (a, b) = (digits(a)?, digits(b)?);
            (a <= b).then_some((a, b))
        }
    }
}

/// Loads and validates a mock configuration: every test case names an
/// existing response, invocation keys are `N` or `N-M` (N ≤ M) without
/// overlaps, each step has exactly one of `Return` / `Throw`, and `Throw`
/// has string `Error` and `Cause`.
pub fn load_mock_config(path: &Path) -> Result<MockConfig, LoadError> {
    let doc = read_json(path)?;
    let root = Node::root(path, &doc);
    let mut responses = BTreeMap::new();
    if let Some(mr) = root.get("MockedResponses") {
        for (name, resp) in mr.members()? {
            let mut steps = Vec::new();
            for (key, step) in resp.members()? {
                let (first, last) = parse_range(key).ok_or_else(|| {
                    step.error(format!(
                        "invocation key {key:?} is not a number or an ascending range N-M"
                    ))
                })?;
                let ret = step.value.get("Return");
                let throw = step.get("Throw");
                let action = match (ret, throw) {
                    (Some(v), None) => MockAction::Return(v.clone()),
                    (None, Some(t)) => MockAction::Throw {
                        error: t.req("Error")?.string()?,
                        cause: t.req("Cause")?.string()?,
                    },
                    _ => {
                        return Err(step.error("a response step needs exactly one of Return, Throw"))
                    }
                };
                if let Some((a, b, _)) = steps
                    .iter()
                    .find(|(a, b, _): &&(u32, u32, MockAction)| first <= *b && *a <= last)
                {
                    return Err(step.error(format!(
                        "invocations {first}-{last} overlap the step for {a}-{b}"
                    )));
                }
                steps.push((first, last, action));
            }
            steps.sort_by_key(|(a, _, _)| *a);
            responses.insert(name.to_owned(), MockedResponse { steps });
        }
    }
    let mut state_machines = BTreeMap::new();
    for (sm, body) in root.req("StateMachines")?.members()? {
        let mut cases = BTreeMap::new();
        for (tc, states) in body.req("TestCases")?.members()? {
            let mut map = BTreeMap::new();
            for (state, resp) in states.members()? {
                let r = resp.string()?;
                if !responses.contains_key(&r) {
                    return Err(resp.error(format!("no MockedResponses entry named {r:?}")));
                }
                map.insert(state.to_owned(), r);
            }
            cases.insert(tc.to_owned(), map);
        }
        state_machines.insert(sm.to_owned(), cases);
    }
    Ok(MockConfig {
        state_machines,
        responses,
    })
}

impl MockConfig {
    /// Selects a test case: by state machine and test case name, or the only
    /// one when a name is not given.
    pub fn resolver(
        &self,
        machine: Option<&str>,
        test_case: Option<&str>,
    ) -> Result<MockResolver, String> {
        let (sm_name, cases) = match machine {
            Some(m) => (
                m,
                self.state_machines
                    .get(m)
                    .ok_or_else(|| format!("mock config has no state machine {m:?}"))?,
            ),
            None if self.state_machines.len() == 1 => self
                .state_machines
                .iter()
                .next()
                .map(|(k, v)| (k.as_str(), v))
                .ok_or("mock config has no state machines")?,
            None => return Err("mock config has several state machines; name one".into()),
        };
        let states = match test_case {
            Some(t) => cases
                .get(t)
                .ok_or_else(|| format!("state machine {sm_name:?} has no test case {t:?}"))?,
            None if cases.len() == 1 => cases.values().next().ok_or("no test cases")?,
            None => {
                return Err(format!(
                    "state machine {sm_name:?} has several test cases; name one"
                ))
            }
        };
        let mut by_state = BTreeMap::new();
        for (state, resp) in states {
            if let Some(r) = self.responses.get(resp) {
                by_state.insert(state.clone(), r.clone());
            }
        }
        Ok(MockResolver { by_state })
    }
}

/// Answers from one test case of a [`MockConfig`].
#[derive(Debug, Clone)]
pub struct MockResolver {
    by_state: BTreeMap<String, MockedResponse>,
}

impl TaskResolver for MockResolver {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        let step = self.by_state.get(inv.state)?.step(inv.state_invocation)?;
        Some(match step {
            MockAction::Return(v) => TaskAnswer::Succeeded {
                output: v.clone(),
                submitted_output: None,
            },
            MockAction::Throw { error, cause } => TaskAnswer::Failed {
                error: Some(error.clone()),
                cause: Some(cause.clone()),
            },
        })
    }
}

#[cfg(test)]
mod tests;
