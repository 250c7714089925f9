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
//! Control flow (`frames.rs`): the top-level machine, each Parallel branch
//! and each Map iteration is a frame driven by the [`crate::scheduler::Scheduler`]
//! (runnable FIFO + timers); concurrent iterations/branches go
//! breadth-first by step and a failing one aborts its running siblings
//! (`TaskStateAborted`, `MapIterationAborted`, …) as AWS records; Map
//! `MaxConcurrency` 1 stays depth-first. [`Execution`] is the steppable
//! handle (run until blocked, move the clock, complete tokens, hand
//! activities to workers, heartbeats, stop); [`execute`] runs one to
//! completion on virtual time. A task answer of
//! [`crate::resolver::TaskAnswer::Pending`] leaves it to an outside actor
//! (its timeout and heartbeat clocks still run).
//!
//! Not yet: ItemReader/ItemBatcher/ResultWriter; distributed Map children
//! run one at a time in a scratch history; a JSONata `Arguments`/`Items`
//! failure retried by a Retrier moves the clock directly (no other frame
//! runs during that back-off).
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

pub use run::frames::{ActivityHandout, ActivityTask, Blocked, OpenToken, TokenError};

/// One execution as a steppable state machine — the library API of the
/// service and the test runner.
///
/// [`Execution::run_until_blocked`] runs everything runnable at the current
/// virtual time and reports what the execution waits for; it never moves the
/// clock. The embedder moves time with [`Execution::advance_clock_to`] /
/// [`Execution::advance_clock_by`] (to the next timer at once for virtual
/// time, or by real elapsed time while outside actors hold the clock), and
/// answers outside work with [`Execution::complete_token`],
/// [`Execution::heartbeat`] and [`Execution::start_activity`].
pub struct Execution<'r> {
    run: run::Run<'r>,
}

impl std::fmt::Debug for Execution<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Execution")
            .field("status", &self.status())
            .field("events", &self.history().len())
            .finish()
    }
}

impl<'r> Execution<'r> {
    /// Parses `definition` and starts an execution with `input` (a JSON
    /// text): records `ExecutionStarted` and queues the first state. Tasks
    /// ask `resolver` (answer [`crate::resolver::TaskAnswer::Pending`] to
    /// leave a task to an outside actor).
    pub fn start(
        definition: &str,
        input: &str,
        config: ExecutionConfig,
        resolver: Box<dyn TaskResolver + 'r>,
    ) -> Result<Self, EngineError> {
        let doc = asl_core::json::parse(definition)
            .map_err(|e| EngineError::InvalidDefinition(format!("not JSON: {e}")))?;
        let def = asl_core::model::build(&doc.root);
        let needs_context = definition.contains("$$") || definition.contains("$states");
        Self::start_model(&def, needs_context, input, config, resolver)
    }

    /// Starts an execution of an already built model. `needs_context`:
    /// whether the definition reads the context object (`$$`, `$states`).
    pub fn start_model(
        def: &asl_core::model::Definition,
        needs_context: bool,
        input: &str,
        config: ExecutionConfig,
        resolver: Box<dyn TaskResolver + 'r>,
    ) -> Result<Self, EngineError> {
        let mut run = run::Run::new(config, resolver, def);
        run.context_needed = needs_context;
        run.start(def, input)?;
        Ok(Execution { run })
    }

    /// Runs everything runnable now (never moves the clock).
    pub fn run_until_blocked(&mut self) -> Result<Blocked, EngineError> {
        self.run.run_until_blocked()
    }

    /// The earliest timer (task timeouts, heartbeats, waits, back-offs, the
    /// execution's own timeout), if any.
    pub fn next_timer(&mut self) -> Option<Millis> {
        self.run.next_timer()
    }

    /// The current virtual time.
    pub fn now(&self) -> Millis {
        self.run.now()
    }

    /// Moves the clock forward to `t`, running what comes due on the way at
    /// its own time (the clock never goes back).
    pub fn advance_clock_to(&mut self, t: Millis) -> Result<Blocked, EngineError> {
        self.run.advance_clock_to(t)
    }

    /// Moves the clock forward by `ms` (saturating).
    pub fn advance_clock_by(&mut self, ms: Millis) -> Result<Blocked, EngineError> {
        let t = crate::clock::add_millis(self.now(), ms.max(0));
        self.run.advance_clock_to(t)
    }

    /// SendTaskSuccess (`Ok(output)`) / SendTaskFailure (`Err((error,
    /// cause))`) for an open token; the outcome is recorded at the current
    /// time by the next [`Execution::run_until_blocked`].
    pub fn complete_token(
        &mut self,
        token: &str,
        outcome: Result<serde_json::Value, (Option<String>, Option<String>)>,
    ) -> Result<(), TokenError> {
        self.run.complete_token(token, outcome)
    }

    /// SendTaskHeartbeat: restarts the task's heartbeat clock.
    pub fn heartbeat(&mut self, token: &str) -> Result<(), TokenError> {
        self.run.heartbeat(token)
    }

    /// Activity tasks scheduled and waiting for a worker, oldest first.
    pub fn activity_tasks(&self) -> Vec<ActivityTask> {
        self.run.activity_tasks()
    }

    /// Open task tokens (callbacks, pending tasks, activities handed out).
    pub fn open_tokens(&self) -> Vec<OpenToken> {
        self.run.open_tokens()
    }

    /// GetActivityTask: hands the oldest waiting task of `activity_arn` to a
    /// worker (`ActivityStarted{workerName}`); `None` when none waits.
    pub fn start_activity(
        &mut self,
        activity_arn: &str,
        worker_name: Option<&str>,
    ) -> Option<ActivityHandout> {
        self.run.start_activity(activity_arn, worker_name)
    }

    /// StopExecution: `ExecutionAborted` (← 0) with the given error/cause;
    /// `false` if the execution had already closed.
    pub fn stop(&mut self, error: Option<String>, cause: Option<String>) -> bool {
        self.run.stop(error, cause)
    }

    /// The history so far.
    pub fn history(&self) -> &[HistoryEvent] {
        &self.run.events
    }

    /// RUNNING until the execution closes.
    pub fn status(&self) -> ExecutionStatus {
        self.run
            .result
            .as_ref()
            .map_or(ExecutionStatus::Running, |r| r.status)
    }

    /// The result once closed (with the full history).
    pub fn result(&self) -> Option<ExecutionResult> {
        self.run.result.as_ref().map(|r| ExecutionResult {
            history: self.run.events.clone(),
            ..r.clone()
        })
    }

    /// Runs to the end on virtual time: timers fire at once; a task left
    /// pending times out at its TimeoutSeconds; an activity no worker takes
    /// fails the execution with `AslSim.NoMockedResponse`.
    pub fn run_to_completion(mut self) -> Result<ExecutionResult, EngineError> {
        loop {
            match self.run.run_until_blocked()? {
                Blocked::Done(_) => break,
                Blocked::NextTimer(t)
                | Blocked::AwaitingOutside {
                    next_timer: Some(t),
                    ..
                } if self.run.activity_tasks().is_empty() => {
                    self.run.advance_clock_to(t)?;
                }
                Blocked::AwaitingOutside { activities, .. } => {
                    let state = activities
                        .first()
                        .map(|a| a.state.clone())
                        .unwrap_or_default();
                    self.run.fail_unanswered(format!(
                        "no worker takes the activity task of state {state:?}"
                    ));
                }
                Blocked::NextTimer(t) => {
                    self.run.advance_clock_to(t)?;
                }
            }
        }
        let mut r = self
            .run
            .result
            .take()
            .ok_or_else(|| EngineError::InvalidDefinition("engine: no result".into()))?;
        r.history = std::mem::take(&mut self.run.events);
        Ok(r)
    }
}

/// Parses and runs a definition with `input` (a JSON text) to completion:
/// the resolver answers every task (a task no one answers fails with
/// `AslSim.NoMockedResponse`).
pub fn execute(
    definition: &str,
    input: &str,
    config: &ExecutionConfig,
    resolver: &mut dyn TaskResolver,
) -> Result<ExecutionResult, EngineError> {
    Execution::start(definition, input, config.clone(), Box::new(resolver))?.run_to_completion()
}

#[cfg(test)]
mod jsonata_tests;
#[cfg(test)]
mod step_tests;
#[cfg(test)]
mod tests;
#[cfg(test)]
mod timing_tests;
