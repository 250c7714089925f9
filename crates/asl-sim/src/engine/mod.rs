//! The execution engine (in progress): runs one execution of a definition on
//! the virtual clock and records its history exactly as AWS does (event
//! types, details, `previousEventId` links of ASL-REFERENCE §9).
//!
//! Implemented (JSONPath states): every state type; the full data flow
//! (InputPath → Parameters → ResultSelector → ResultPath → OutputPath) with
//! `.$` templates over `$`, `$$` (the context object in AWS's key order,
//! `$$.Task.Token`, `$$.Map.Item`), `$var` variables and intrinsics, parsed
//! once per definition; exact `States.Runtime` causes with the state prefix;
//! Choice (all operators), Wait `SecondsPath`/`TimestampPath`, Fail
//! `ErrorPath`/`CausePath`, `Assign` with scopes; Task (Task / LambdaFunction
//! / Activity event families, request-response, `.sync`, `.waitForTaskToken`
//! with `TaskSubmitted`, `TimeoutSecondsPath`/`HeartbeatSecondsPath`,
//! `Credentials`, task-result `States.DataLimitExceeded`); Retry/Catch for
//! Task, Parallel and Map (state-level retry restarts without a new
//! Entered); Parallel; inline Map (serial, depth-first — see `run.rs`) and
//! distributed Map without ItemReader (`MapRun*` events); oversized
//! execution input; the 25,000-event limit.
//!
//! JSONata states (`jsonata.rs`, a child module of `run`): `Arguments`,
//! `Output`, `Assign` (swap semantics), Choice `Condition` with rule-level
//! `Output`/`Assign`, Wait `Seconds`/`Timestamp`, Task `TimeoutSeconds` /
//! `HeartbeatSeconds` / `Credentials`, Fail `Error`/`Cause`, Map `Items` /
//! `ItemSelector` / `MaxConcurrency` / `ToleratedFailure*`, Catcher
//! `Output`/`Assign` with `$states.errorOutput`; failures are
//! `States.QueryEvaluationError` with an `EvaluationFailed` event.
//!
//! Timing: [`TaskResolver::timing`] gives each answer a virtual duration
//! and heartbeats, measured from TaskStarted / TaskSubmitted (a callback is
//! submitted when it starts) / ActivityStarted; the clock advances by it,
//! and `TimeoutSeconds` (default 99999999; also `*Path` and JSONata) and,
//! for callbacks and activities, `HeartbeatSeconds` time the task out at
//! the exact instant (`States.Timeout`, no cause; then Retry/Catch). The
//! definition's `TimeoutSeconds` stops the clock at start + TimeoutSeconds
//! (Wait, back-off or task duration past it) and records only
//! `ExecutionTimedOut`; status TIMED_OUT.
//!
//! Not yet: breadth-first interleaving of long-running
//! concurrent branches/iterations (`TaskStateAborted`/`MapIterationAborted`),
//! ItemReader/ItemBatcher/ResultWriter, and a resumable run-until-blocked
//! API: [`execute`] runs to completion, asking the [`TaskResolver`]
//! synchronously.
//!
//! The engine is pure: no I/O, no wall clock; same inputs and seed give the
//! same history.

mod choice;
mod data;
mod errors;
mod run;

pub use errors::EngineError;

use crate::clock::{Millis, DEFAULT_START};
use crate::history::HistoryEvent;
use crate::resolver::TaskResolver;

/// Where and as whom an execution runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionConfig {
    pub account: String,
    pub region: String,
    pub state_machine_name: String,
    pub execution_name: String,
    pub role_arn: String,
    /// Virtual start time, epoch milliseconds.
    pub start: Millis,
    pub seed: u64,
    /// Which AWS to reproduce where its behaviour changed over time.
    pub aws_behaviour: AwsBehaviour,
}

/// Where AWS's recorded behaviour changed over time, which version to copy.
/// The default is AWS as it behaves today; the conformance runner picks the
/// version of the day each case was recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AwsBehaviour {
    #[default]
    Current,
    /// Before November 2024 a distributed Map's `MapStateExited` followed its
    /// `MapRunSucceeded`; every recording since 13 Nov 2024 links it to
    /// `MapRunStarted` (ASL-REFERENCE §9.1; 27 visible recordings from
    /// Sep 2023 to Aug 2024 show the old link, 10 from Nov 2024 on the new).
    Before2024_11,
}

impl Default for ExecutionConfig {
    fn default() -> Self {
        ExecutionConfig {
            account: "123456789012".into(),
            region: "us-east-1".into(),
            state_machine_name: "StateMachine".into(),
            execution_name: "execution".into(),
            role_arn: "arn:aws:iam::123456789012:role/StepFunctionsRole".into(),
            start: DEFAULT_START,
            seed: 0,
            aws_behaviour: AwsBehaviour::Current,
        }
    }
}

/// Final status of an execution.
pub use crate::conformance::ExecutionStatus;

/// What an execution produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExecutionResult {
    pub status: ExecutionStatus,
    /// Compact JSON text; present only when SUCCEEDED.
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: Vec<HistoryEvent>,
}

/// Parses and runs a definition with `input` (a JSON text).
pub fn execute(
    definition: &str,
    input: &str,
    config: &ExecutionConfig,
    resolver: &mut dyn TaskResolver,
) -> Result<ExecutionResult, EngineError> {
    let doc = asl_core::json::parse(definition)
        .map_err(|e| EngineError::InvalidDefinition(format!("not JSON: {e}")))?;
    let def = asl_core::model::build(&doc.root);
    let mut run = run::Run::new(config, resolver, &def);
    run.context_needed = definition.contains("$$") || definition.contains("$states");
    run.execute(&def, input)
}

#[cfg(test)]
mod jsonata_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod timing_tests;
