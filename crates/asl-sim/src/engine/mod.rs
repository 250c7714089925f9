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
//! Not yet: JSONata states (refused with [`EngineError::Unsupported`]; the
//! evaluator is now on main), breadth-first interleaving of long-running
//! concurrent branches/iterations (`TaskStateAborted`/`MapIterationAborted`),
//! ItemReader/ItemBatcher/ResultWriter, execution `TimeoutSeconds`, and a
//! resumable run-until-blocked API: [`execute`] runs to completion, asking
//! the [`TaskResolver`] synchronously.
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
    run::Run::new(config, resolver, &def).execute(&def, input)
}

#[cfg(test)]
mod tests;
