//! The one seam between the service and the execution engine.
//!
//! The service drives every execution through [`ExecutionDriver::advance`]:
//! "run this execution as far as it can go, given the answers outside actors
//! have sent so far". Today's implementation, [`ReplayDriver`], runs the
//! engine's [`execute`] from the start on every call and feeds it the
//! recorded answers (the engine is deterministic, so a re-run reproduces
//! the same history up to the point where it waited). When the engine's
//! stepping API lands (run until blocked, next timer, advance clock,
//! complete a task token, stop), only this file changes.
//!
//! Limits of replay, all waiting on the stepping API: a task answered by an
//! outside actor completes at the virtual time the engine gives it (not at
//! the time the answer arrived); `HeartbeatSeconds` and task timeouts do not
//! fire while a task waits for a worker; `ActivityStarted.workerName` is not
//! recorded.

use crate::engine::{execute, ExecutionConfig, ExecutionResult};
use crate::history::{EventDetails, HistoryEvent};
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An answer an outside actor gave (SendTask*, a finished child execution).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum RecordedAnswer {
    Succeeded {
        output: String,
    },
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    TimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
}

impl RecordedAnswer {
    pub fn to_task_answer(&self) -> TaskAnswer {
        match self {
            RecordedAnswer::Succeeded { output } => TaskAnswer::Succeeded {
                output: serde_json::from_str(output).unwrap_or(serde_json::Value::Null),
                submitted_output: None,
            },
            RecordedAnswer::Failed { error, cause } => TaskAnswer::Failed {
                error: error.clone(),
                cause: cause.clone(),
            },
            RecordedAnswer::TimedOut { error, cause } => TaskAnswer::TimedOut {
                error: error.clone(),
                cause: cause.clone(),
            },
        }
    }
}

/// Who an execution waits for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum WaitKind {
    /// A worker polling this activity.
    Activity { activity_arn: String },
    /// `SendTask*` with this token (`None`: the task's parameters carry no
    /// token, so only a timeout or StopExecution can end it).
    Callback { token: Option<String> },
    /// A child execution started by `states:startExecution.sync`.
    Child { execution_arn: String },
}

/// The task an execution is blocked on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Waiting {
    /// `Invocation::execution_invocation` of the task.
    pub invocation: u32,
    pub state: String,
    /// The task's effective parameters, compact JSON.
    pub input: String,
    pub kind: WaitKind,
}

/// How the outside world answers one invocation.
pub enum Resolution {
    Answer(TaskAnswer),
    Wait(WaitKind),
    /// Nobody answers: the engine fails the execution (`AslSim.NoMockedResponse`).
    Nobody,
}

/// The service side of a run: mocks, activities, callbacks, child executions.
pub trait Outside {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Resolution;
}

/// What the service asks the driver to run.
pub struct RunSpec<'a> {
    pub definition: &'a str,
    pub input: &'a str,
    pub config: ExecutionConfig,
    pub answers: &'a BTreeMap<u32, RecordedAnswer>,
}

/// Where an execution got to.
#[derive(Debug)]
pub enum Progress {
    Finished(ExecutionResult),
    /// Waiting for an outside actor; `history` is what happened so far.
    Blocked {
        history: Vec<HistoryEvent>,
        waiting: Waiting,
    },
    /// The engine refused the definition or input.
    NotRunnable(String),
}

pub trait ExecutionDriver: Send + Sync {
    fn advance(&self, spec: &RunSpec<'_>, outside: &mut dyn Outside) -> Progress;
}

/// Runs [`execute`] from the start with the recorded answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct ReplayDriver;

struct Adapter<'a> {
    answers: &'a BTreeMap<u32, RecordedAnswer>,
    outside: &'a mut dyn Outside,
    waiting: Option<Waiting>,
}

impl TaskResolver for Adapter<'_> {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        if let Some(a) = self.answers.get(&inv.execution_invocation) {
            return Some(a.to_task_answer());
        }
        if self.waiting.is_some() {
            return None;
        }
        match self.outside.resolve(inv) {
            Resolution::Answer(a) => Some(a),
            Resolution::Nobody => None,
            Resolution::Wait(kind) => {
                self.waiting = Some(Waiting {
                    invocation: inv.execution_invocation,
                    state: inv.state.to_owned(),
                    input: serde_json::to_string(inv.parameters).unwrap_or_else(|_| "{}".into()),
                    kind,
                });
                None
            }
        }
    }
}

fn is_scheduled(e: &HistoryEvent) -> bool {
    matches!(
        e.details,
        EventDetails::TaskScheduled(_)
            | EventDetails::ActivityScheduled(_)
            | EventDetails::LambdaFunctionScheduled(_)
    )
}

/// The history up to (and including) the `n`-th (0-based) `…Scheduled`
/// event, with a directly following `TaskStarted` / `TaskSubmitted`.
fn truncate_at_scheduled(mut history: Vec<HistoryEvent>, n: u32) -> Vec<HistoryEvent> {
    let mut seen = 0u32;
    let mut cut = history.len();
    for (i, e) in history.iter().enumerate() {
        if is_scheduled(e) {
            if seen == n {
                cut = i + 1;
                while cut < history.len()
                    && matches!(
                        history[cut].details,
                        EventDetails::TaskStarted(_) | EventDetails::TaskSubmitted(_)
                    )
                {
                    cut += 1;
                }
                break;
            }
            seen += 1;
        }
    }
    history.truncate(cut);
    history
}

impl ExecutionDriver for ReplayDriver {
    fn advance(&self, spec: &RunSpec<'_>, outside: &mut dyn Outside) -> Progress {
        let mut adapter = Adapter {
            answers: spec.answers,
            outside,
            waiting: None,
        };
        match execute(spec.definition, spec.input, &spec.config, &mut adapter) {
            Err(e) => Progress::NotRunnable(e.to_string()),
            Ok(result) => match adapter.waiting {
                None => Progress::Finished(result),
                Some(waiting) => Progress::Blocked {
                    history: truncate_at_scheduled(result.history, waiting.invocation),
                    waiting,
                },
            },
        }
    }
}
