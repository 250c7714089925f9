//! How a Task state gets its answer: the embedder supplies a
//! [`TaskResolver`] (mocks in `asl-test`, the recorded table in conformance
//! cases, outside workers through the service). The engine asks once per
//! invocation — every retry and every Map iteration is a new invocation.

use crate::clock::Millis;
use serde_json::Value;

/// One Task invocation, as the engine describes it to the resolver.
#[derive(Debug, Clone, Copy)]
pub struct Invocation<'a> {
    /// The Task state's name.
    pub state: &'a str,
    /// The state's `Resource` ARN.
    pub resource: &'a str,
    /// 0-based count of earlier invocations of this state in this execution.
    pub state_invocation: u32,
    /// 0-based count of earlier Task invocations in this execution (order of
    /// the `…Scheduled` events).
    pub execution_invocation: u32,
    /// The effective parameters / input sent to the integration.
    pub parameters: &'a Value,
}

/// What an integration answered.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskAnswer {
    /// The task result exactly as the integration returns it; for callback
    /// and `.sync` patterns `submitted_output` is the `TaskSubmitted` output.
    Succeeded {
        output: Value,
        submitted_output: Option<Value>,
    },
    /// `TaskFailed` / `LambdaFunctionFailed` / `ActivityFailed`.
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// The task ran into its timeout (`States.Timeout`).
    TimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `TaskStartFailed` / `LambdaFunctionStartFailed`.
    StartFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `TaskSubmitFailed`.
    SubmitFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `ActivityScheduleFailed` / `LambdaFunctionScheduleFailed`.
    ScheduleFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// An answer that arrives after a virtual duration. `after` and each of
    /// `heartbeats` are milliseconds from the task's start: `TaskStarted`
    /// (request-response, `.sync`), `TaskSubmitted` (`.waitForTaskToken`,
    /// recorded at the same instant) or `ActivityStarted`. The engine
    /// advances the virtual clock by `after` and applies the state's
    /// `TimeoutSeconds` and `HeartbeatSeconds`: if `after` reaches the
    /// timeout, or a gap from the start or a heartbeat to the next heartbeat
    /// or to `after` exceeds the heartbeat interval, the task times out at
    /// that point instead (`States.Timeout`, no cause). Heartbeats record
    /// no events. Built with [`TaskAnswer::with_timing`].
    Timed {
        answer: Box<TaskAnswer>,
        after: Millis,
        heartbeats: Vec<Millis>,
    },
}

impl TaskAnswer {
    /// This answer, arriving `after` ms after the task's start, with
    /// heartbeats at the given offsets. Zero timing returns `self` as is.
    pub fn with_timing(self, after: Millis, heartbeats: Vec<Millis>) -> TaskAnswer {
        if after <= 0 && heartbeats.is_empty() {
            return self;
        }
        let (answer, _, _) = self.split_timing();
        TaskAnswer::Timed {
            answer: Box::new(answer),
            after: after.max(0),
            heartbeats,
        }
    }

    /// The untimed answer with its duration and heartbeats (`0`, none for
    /// an answer without timing).
    pub fn split_timing(self) -> (TaskAnswer, Millis, Vec<Millis>) {
        match self {
            TaskAnswer::Timed {
                answer,
                after,
                heartbeats,
            } => {
                let (inner, _, _) = answer.split_timing();
                (inner, after.max(0), heartbeats)
            }
            other => (other, 0, Vec::new()),
        }
    }
}

/// Supplies Task answers. `None` means "nobody answers": the engine fails
/// the execution with `AslSim.NoMockedResponse` naming state and attempt.
pub trait TaskResolver {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Option<TaskAnswer>;

    /// For a callback or `.sync` task whose answer is a failure or timeout:
    /// the service response recorded in `TaskSubmitted` (the token was
    /// handed out before the outcome arrived). `None` records `{}`.
    fn submitted(&mut self, invocation: &Invocation<'_>) -> Option<Value> {
        let _ = invocation;
        None
    }
}

/// A resolver that never answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoAnswers;

impl TaskResolver for NoAnswers {
    fn resolve(&mut self, _invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        None
    }
}
