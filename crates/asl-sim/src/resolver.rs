//! How a Task state gets its answer: the embedder supplies a
//! [`TaskResolver`] (mocks in `asl-test`, the recorded table in conformance
//! cases, outside workers through the service). The engine asks once per
//! invocation — every retry and every Map iteration is a new invocation.

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
