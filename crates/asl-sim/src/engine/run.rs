//! One execution: the state loop, the JSONPath data flow, Task invocation,
//! Retry/Catch, Parallel and Map, and event emission with AWS's
//! `previousEventId` links (ASL-REFERENCE §9.1).
//!
//! # Control flow
//!
//! The state loop is not recursive: the top-level machine, every Parallel
//! branch and every Map iteration is a *frame* (`frames.rs`) with a cursor
//! (about to enter a state, suspended inside one, or done), driven by a
//! [`Scheduler`] of frame ids (a FIFO of runnable frames plus timers on the
//! virtual clock). See `frames.rs` for the interleaving rules.

use super::choice::ChoiceEnv;
use super::data::{apply_path, apply_result_path, Compiled, Env, EvalFailure, Scopes};
use super::errors::{EngineError, StatesError};
use super::{ExecutionConfig, ExecutionStatus};
use crate::clock::{add_millis, format_rfc3339, Millis, VirtualClock};
use crate::history::*;
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use crate::rng::Rng;
use crate::scheduler::Scheduler;
use asl_core::integrations::{classify_resource, IntegrationPattern, TaskEventFamily};
use asl_core::model::{
    Definition, Dynamic, Jitter, MapMode, QueryLanguage, State, StateKind, StateMachine,
};
use asl_core::timestamp::{
    parse_runtime_timestamp, timestamp_path_cause, wait_delay_millis, WAIT_TOO_LONG_MESSAGE,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

#[path = "jsonata.rs"]
mod jsonata;

#[path = "frames.rs"]
pub(super) mod frames;
use frames::{Frame, FrameId, Step};

/// The payload limit (ASL-REFERENCE §3).
pub(crate) const MAX_PAYLOAD_BYTES: usize = 262_144;
/// A Task's `TimeoutSeconds` when the definition gives none (ASL-REFERENCE §1.3).
const DEFAULT_TASK_TIMEOUT_SECONDS: u64 = 99_999_999;
/// The history limit of a Standard execution.
pub(crate) const MAX_EVENTS: usize = 25_000;

/// Where control goes after a state.
enum Flow {
    /// Next state, the data, the id of the last event (the Exited).
    Next(String, Value, u64),
    /// End of the machine.
    End(Value, u64),
    /// Uncaught failure; `u64` is the event the parent's failure links to.
    Failed(StatesError, u64),
}

/// One attempt of a state with Retry/Catch.
enum Attempt {
    /// Finished: success, or a failure Retry/Catch never see.
    Done(Flow),
    /// A failure Retry/Catch may handle, raised by event `u64`.
    Error(StatesError, u64),
}

/// After a failed attempt: retry when due, or go on.
enum AfterError {
    Retry(Millis),
    Flow(Flow),
}

/// The retriers' counters of one state visit.
#[derive(Debug, Clone)]
struct RetryState {
    counters: Vec<u64>,
    retries: u32,
    /// What the next attempt's first event links to.
    prev: u64,
}

impl RetryState {
    fn new(s: &State, entered: u64) -> Self {
        RetryState {
            counters: vec![0; s.retry.len()],
            retries: 0,
            prev: entered,
        }
    }
}

/// Extra members of the context object for one evaluation.
#[derive(Default, Clone, Copy)]
struct CtxExtra<'v> {
    task: bool,
    retry_count: u32,
    token: Option<&'v str>,
    item: Option<(usize, &'v Value)>,
}

pub(super) struct Run<'a> {
    config: ExecutionConfig,
    resolver: Box<dyn TaskResolver + 'a>,
    /// Runnable frames and timers on the virtual clock.
    sched: Scheduler<FrameId>,
    /// Frames by id; `None` once finished or aborted.
    frames: Vec<Option<Frame>>,
    /// The frame being stepped writes to a scratch history (a distributed
    /// Map's child executions): events are counted, not recorded.
    scratch: bool,
    scratch_ids: u64,
    /// Open task tokens (callbacks, pending tasks, started activities).
    tokens: BTreeMap<String, FrameId>,
    /// Tokens of tasks that closed (completed, timed out, aborted).
    closed_tokens: std::collections::BTreeSet<String>,
    /// Activity tasks scheduled and not yet handed to a worker, in order.
    activity_queue: Vec<FrameId>,
    /// The frame being stepped.
    current: FrameId,
    /// The result once the execution closed.
    pub(super) result: Option<super::ExecutionResult>,
    rng: Rng,
    pub(super) events: Vec<HistoryEvent>,
    per_state: BTreeMap<String, u32>,
    invocations: u32,
    compiled: Compiled,
    jsonata: jsonata::Cache,
    vars: Scopes,
    /// Whether the definition reads the context object at all (`$$`,
    /// `$states`); when it does not, none is built — building one per state
    /// copies the execution input, which made large Maps quadratic.
    pub(super) context_needed: bool,
    /// When the execution's own `TimeoutSeconds` runs out.
    deadline: Option<Millis>,
    /// The deadline passed: nothing more happens but `ExecutionTimedOut`.
    timed_out: bool,
    exec_input: Value,
    exec_arn: String,
    sm_arn: String,
}

fn text(v: &Value) -> String {
    v.to_string()
}

fn unsupported(state: &State, what: impl std::fmt::Display) -> EngineError {
    EngineError::Unsupported(format!("state {:?}: {what}", state.name))
}

/// A state failure from an evaluation, with the `States.Runtime` prefix.
fn state_error(s: &State, entered: u64, f: EvalFailure) -> StatesError {
    let cause = if f.error == "States.Runtime" || f.error == "States.QueryEvaluationError" {
        format!(
            "An error occurred while executing the state '{}' (entered at the event id #{entered}). {}",
            s.name, f.cause
        )
    } else {
        f.cause
    };
    StatesError {
        error: Some(f.error),
        cause: Some(cause),
    }
}

/// An integer, or a string holding one (AWS accepts `"1"` from a path).
fn int_like(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A number, or a string holding one.
fn float_like(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn is_runtime(e: &StatesError) -> bool {
    e.error.as_deref() == Some("States.Runtime")
}

impl<'a> Run<'a> {
    pub(super) fn new(
        config: ExecutionConfig,
        resolver: Box<dyn TaskResolver + 'a>,
        def: &Definition,
    ) -> Self {
        let partition = "aws";
        Run {
            sched: Scheduler::new(VirtualClock::new(config.start)),
            frames: Vec::new(),
            scratch: false,
            scratch_ids: 0,
            tokens: BTreeMap::new(),
            closed_tokens: std::collections::BTreeSet::new(),
            activity_queue: Vec::new(),
            result: None,
            current: 0,
            rng: Rng::new(config.seed).child(0),
            events: Vec::new(),
            per_state: BTreeMap::new(),
            invocations: 0,
            compiled: Compiled::for_definition(def),
            jsonata: jsonata::Cache::for_definition(def),
            vars: Scopes::new(),
            exec_input: Value::Null,
            context_needed: true,
            deadline: def.timeout_seconds.map(|t| {
                add_millis(
                    config.start,
                    crate::clock::secs_to_millis(i64::try_from(t).unwrap_or(i64::MAX)),
                )
            }),
            timed_out: false,
            exec_arn: format!(
                "arn:{partition}:states:{}:{}:execution:{}:{}",
                config.region, config.account, config.state_machine_name, config.execution_name
            ),
            sm_arn: format!(
                "arn:{partition}:states:{}:{}:stateMachine:{}",
                config.region, config.account, config.state_machine_name
            ),
            config,
            resolver,
        }
    }

    /// The current virtual time.
    pub(super) fn now(&self) -> Millis {
        self.sched.now()
    }

    fn emit(&mut self, prev: u64, details: EventDetails) -> u64 {
        if self.timed_out || self.result.is_some() {
            // Past the execution's deadline (or after it closed) nothing
            // else is recorded.
            return self.events.len() as u64;
        }
        if self.scratch {
            // A distributed Map's child execution: not in this history.
            self.scratch_ids = self.scratch_ids.saturating_add(1);
            return self.scratch_ids;
        }
        let id = self.events.len() as u64 + 1;
        self.events
            .push(HistoryEvent::new(self.now(), id, prev, details));
        id
    }

    /// Moves the clock to `t`, or to the execution's deadline if `t` is past
    /// it; returns whether the execution timed out.
    fn advance_to(&mut self, t: Millis) -> bool {
        match self.deadline {
            Some(deadline) if t > deadline => {
                self.sched.set_clock(deadline);
                self.timed_out = true;
                true
            }
            _ => {
                self.sched.set_clock(t);
                false
            }
        }
    }

    /// The failure that unwinds a timed-out execution (never caught).
    fn execution_timeout(prev: u64) -> Flow {
        Flow::Failed(
            StatesError {
                error: Some("States.Timeout".into()),
                cause: None,
            },
            prev,
        )
    }

    /// Execution input over the payload limit: the first state is entered
    /// and the execution fails at once (ASL-REFERENCE §9.3).
    fn oversized_input(&mut self, m: &StateMachine, input: &Value) -> Result<Flow, EngineError> {
        let name = m
            .start_at
            .as_ref()
            .map(|s| s.value.clone())
            .unwrap_or_default();
        let state = m
            .state(&name)
            .ok_or_else(|| EngineError::InvalidDefinition(format!("no state named {name:?}")))?;
        let id = self.entered(state, input, 0);
        Ok(Flow::Failed(
            StatesError {
                error: Some("States.DataLimitExceeded".into()),
                cause: Some(format!(
                    "The state/task '{name}' returned a result with a size exceeding the maximum number of bytes service limit."
                )),
            },
            id,
        ))
    }

    /// The context object, with AWS's key order (ASL-REFERENCE §4.5).
    fn context(&self, state: &str, entered_time: &str, x: CtxExtra<'_>) -> Value {
        if !self.context_needed {
            return Value::Null;
        }
        let mut exec = Map::new();
        exec.insert("Id".into(), self.exec_arn.clone().into());
        exec.insert("Input".into(), self.exec_input.clone());
        exec.insert("StartTime".into(), format_rfc3339(self.config.start).into());
        exec.insert("Name".into(), self.config.execution_name.clone().into());
        exec.insert("RoleArn".into(), self.config.role_arn.clone().into());
        if !x.task {
            exec.insert("RedriveCount".into(), 0.into());
        }
        let mut sm = Map::new();
        sm.insert("Id".into(), self.sm_arn.clone().into());
        sm.insert("Name".into(), self.config.state_machine_name.clone().into());
        let mut st = Map::new();
        st.insert("Name".into(), state.into());
        st.insert("EnteredTime".into(), entered_time.into());
        if x.task {
            st.insert("RetryCount".into(), x.retry_count.into());
        }
        let mut ctx = Map::new();
        ctx.insert("Execution".into(), Value::Object(exec));
        ctx.insert("StateMachine".into(), Value::Object(sm));
        ctx.insert("State".into(), Value::Object(st));
        if let Some(t) = x.token {
            let mut task = Map::new();
            task.insert("Token".into(), t.into());
            ctx.insert("Task".into(), Value::Object(task));
        }
        if let Some((i, v)) = x.item {
            let mut item = Map::new();
            item.insert("Index".into(), i.into());
            item.insert("Value".into(), v.clone());
            let mut map = Map::new();
            map.insert("Item".into(), Value::Object(item));
            ctx.insert("Map".into(), Value::Object(map));
        }
        Value::Object(ctx)
    }

    fn transition(&self, s: &State, out: Value, prev: u64) -> Result<Flow, EngineError> {
        if s.end {
            return Ok(Flow::End(out, prev));
        }
        match &s.next {
            Some(n) => Ok(Flow::Next(n.value.clone(), out, prev)),
            None => Err(EngineError::InvalidDefinition(format!(
                "state {:?} has neither Next nor End",
                s.name
            ))),
        }
    }

    fn entered(&mut self, s: &State, input: &Value, prev: u64) -> u64 {
        let d = StateEnteredEventDetails::new(s.name.clone(), text(input));
        let details = match s.kind {
            StateKind::Pass { .. } => EventDetails::PassStateEntered(d),
            StateKind::Task(_) => EventDetails::TaskStateEntered(d),
            StateKind::Choice(_) => EventDetails::ChoiceStateEntered(d),
            StateKind::Wait(_) => EventDetails::WaitStateEntered(d),
            StateKind::Succeed => EventDetails::SucceedStateEntered(d),
            StateKind::Fail(_) => EventDetails::FailStateEntered(d),
            StateKind::Parallel { .. } => EventDetails::ParallelStateEntered(d),
            StateKind::Map(_) | StateKind::Unknown => EventDetails::MapStateEntered(d),
        };
        self.emit(prev, details)
    }

    fn exited(
        &mut self,
        s: &State,
        output: &Value,
        assigned: Vec<(String, Value)>,
        prev: u64,
    ) -> u64 {
        let vars: Vec<(String, String)> =
            assigned.iter().map(|(k, v)| (k.clone(), text(v))).collect();
        for (k, v) in assigned {
            self.vars.set(k, v);
        }
        let d = StateExitedEventDetails::new(s.name.clone(), text(output)).with_assigned(vars);
        let details = match s.kind {
            StateKind::Pass { .. } => EventDetails::PassStateExited(d),
            StateKind::Task(_) => EventDetails::TaskStateExited(d),
            StateKind::Choice(_) => EventDetails::ChoiceStateExited(d),
            StateKind::Wait(_) => EventDetails::WaitStateExited(d),
            StateKind::Succeed => EventDetails::SucceedStateExited(d),
            StateKind::Parallel { .. } => EventDetails::ParallelStateExited(d),
            _ => EventDetails::MapStateExited(d),
        };
        self.emit(prev, details)
    }

    /// An [`Env`] over `input` and `context`.
    fn env<'e>(
        compiled: &'e Compiled,
        vars: &'e Scopes,
        rng: &'e mut Rng,
        input: &'e Value,
        context: &'e Value,
    ) -> Env<'e> {
        Env {
            compiled,
            input,
            context,
            vars,
            rng,
        }
    }

    /// Evaluates a template against `input` with the given context.
    fn template(&mut self, t: &Value, input: &Value, ctx: &Value) -> Result<Value, EvalFailure> {
        Self::env(&self.compiled, &self.vars, &mut self.rng, input, ctx).template(t)
    }

    fn assign(
        &mut self,
        _s: &State,
        t: &Option<Value>,
        input: &Value,
        ctx: &Value,
    ) -> Result<Vec<(String, Value)>, EvalFailure> {
        match t {
            None => Ok(Vec::new()),
            Some(t) => Self::env(&self.compiled, &self.vars, &mut self.rng, input, ctx).assign(t),
        }
    }

    fn path(
        &mut self,
        p: &Option<asl_core::model::NullablePath>,
        v: &Value,
        ctx: &Value,
    ) -> Result<Value, EvalFailure> {
        let env = Self::env(&self.compiled, &self.vars, &mut self.rng, v, ctx);
        apply_path(&env, p, v)
    }

    /// Enters a state and runs it as far as it goes without waiting: to
    /// its transition, or to a suspension (timer, task, branches).
    fn state(&mut self, s: &State, raw: Value, prev: u64) -> Result<Step, EngineError> {
        if matches!(s.kind, StateKind::Unknown) {
            return Err(EngineError::InvalidDefinition(format!(
                "state {:?} has no valid Type",
                s.name
            )));
        }
        let entered = self.entered(s, &raw, prev);
        let entered_time = format_rfc3339(self.now());
        let ctx = self.context(&s.name, &entered_time, CtxExtra::default());
        match &s.kind {
            StateKind::Wait(_)
            | StateKind::Task(_)
            | StateKind::Parallel { .. }
            | StateKind::Map(_) => self.suspending_state(s, raw, entered, entered_time, ctx),
            _ => Ok(Step::Flow(self.simple_state(s, raw, entered, ctx)?)),
        }
    }

    /// Pass, Succeed, Fail and Choice: they never wait.
    fn simple_state(
        &mut self,
        s: &State,
        raw: Value,
        entered: u64,
        ctx: Value,
    ) -> Result<Flow, EngineError> {
        if s.query_language == QueryLanguage::Jsonata {
            if let Some(flow) = self.jsonata_state(s, &raw, entered, &ctx)? {
                return Ok(flow);
            }
        }
        macro_rules! tryf {
            ($e:expr, $at:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(f) => return Ok(Flow::Failed(state_error(s, entered, f), $at)),
                }
            };
        }
        match &s.kind {
            StateKind::Pass { result } => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                let res = match (result, &s.parameters) {
                    (Some(r), _) => r.clone(),
                    (None, Some(p)) => tryf!(self.template(p, &effective, &ctx), entered),
                    (None, None) => effective,
                };
                let assigned = tryf!(self.assign(s, &s.assign, &res, &ctx), entered);
                let merged = tryf!(apply_result_path(&s.result_path, &raw, res), entered);
                let out = tryf!(self.path(&s.output_path, &merged, &ctx), entered);
                let id = self.exited(s, &out, assigned, entered);
                self.transition(s, out, id)
            }
            StateKind::Succeed => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                let out = tryf!(self.path(&s.output_path, &effective, &ctx), entered);
                let id = self.exited(s, &out, Vec::new(), entered);
                Ok(Flow::End(out, id))
            }
            StateKind::Fail(f) => {
                let mut field = |d: &Option<Dynamic>,
                                 name: &str|
                 -> Result<Option<String>, EvalFailure> {
                    match d {
                        None => Ok(None),
                        Some(Dynamic::Literal(Value::String(v))) => Ok(Some(v.clone())),
                        Some(Dynamic::Literal(v)) => Ok(Some(text(v))),
                        Some(Dynamic::Path(p)) => {
                            let v =
                                Self::env(&self.compiled, &self.vars, &mut self.rng, &raw, &ctx)
                                    .expr(&p.value, name)?;
                            Ok(Some(match v {
                                Value::String(s) => s,
                                other => text(&other),
                            }))
                        }
                        Some(Dynamic::Jsonata(_)) => Ok(None),
                    }
                };
                let error = tryf!(field(&f.error, "ErrorPath"), entered);
                let cause = tryf!(field(&f.cause, "CausePath"), entered);
                Ok(Flow::Failed(StatesError { error, cause }, entered))
            }
            StateKind::Choice(c) => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                let mut target = None;
                {
                    let env = ChoiceEnv {
                        compiled: &self.compiled,
                        input: &effective,
                        context: &ctx,
                        vars: &self.vars,
                    };
                    for rule in &c.choices {
                        if tryf!(env.eval(&rule.condition), entered) {
                            target = Some((rule.next.clone(), &rule.assign));
                            break;
                        }
                    }
                }
                let (next, assign) = match target {
                    Some((n, a)) => (n, a),
                    None => match &c.default {
                        Some(d) => (Some(d.clone()), &s.assign),
                        None => {
                            return Ok(Flow::Failed(
                                StatesError {
                                    error: Some("States.NoChoiceMatched".into()),
                                    cause: Some(format!("No Matches! in state '{}'", s.name)),
                                },
                                entered,
                            ))
                        }
                    },
                };
                let assigned = tryf!(self.assign(s, assign, &effective, &ctx), entered);
                let out = tryf!(self.path(&s.output_path, &effective, &ctx), entered);
                let id = self.exited(s, &out, assigned, entered);
                let next = next.ok_or_else(|| {
                    EngineError::InvalidDefinition(format!(
                        "a Choice rule of {:?} has no Next",
                        s.name
                    ))
                })?;
                Ok(Flow::Next(next.value, out, id))
            }
            _ => Err(unsupported(s, "state type")),
        }
    }

    /// When a Wait state ends.
    fn wait_due(
        &mut self,
        w: &asl_core::model::Wait,
        input: &Value,
        ctx: &Value,
        now: i64,
    ) -> Result<i64, EvalFailure> {
        let too_long = || EvalFailure::runtime(WAIT_TOO_LONG_MESSAGE);
        let from_secs = |secs: i64| -> Result<i64, EvalFailure> {
            if secs > asl_core::timestamp::MAX_WAIT_DELAY_SECONDS {
                return Err(too_long());
            }
            Ok(add_millis(now, secs.saturating_mul(1000)))
        };
        let from_ts = |t: &chrono::DateTime<chrono::FixedOffset>| -> Result<i64, EvalFailure> {
            wait_delay_millis(now, t)
                .map(|d| add_millis(now, d))
                .map_err(|_| too_long())
        };
        match (&w.seconds, &w.timestamp) {
            (Some(Dynamic::Literal(v)), _) => {
                let secs = v.as_i64().or_else(|| v.as_f64().map(|f| f as i64)).unwrap_or(i64::MAX);
                from_secs(secs)
            }
            (Some(Dynamic::Path(p)), _) => {
                let src = &p.value;
                let v = Self::env(&self.compiled, &self.vars, &mut self.rng, input, ctx)
                    .select_src(src)
                    .map_err(|_| {
                        EvalFailure::runtime(format!(
                            "The SecondsPath parameter does not reference an input value: {src}"
                        ))
                    })?;
                let n = match &v {
                    Value::Number(n) if n.is_i64() || n.is_u64() => n.as_i64().unwrap_or(i64::MAX),
                    other => {
                        return Err(EvalFailure::runtime(format!(
                            "The SecondsPath parameter cannot be parsed as a long value: {src} == {}",
                            match other {
                                Value::String(s) => s.clone(),
                                o => text(o),
                            }
                        )))
                    }
                };
                if n < 0 {
                    return Err(EvalFailure::runtime(format!(
                        "The SecondsPath parameter references a negative value: {src} == {n}"
                    )));
                }
                from_secs(n)
            }
            (_, Some(Dynamic::Literal(Value::String(ts)))) => match parse_runtime_timestamp(ts) {
                Ok(t) => from_ts(&t),
                Err(_) => Err(EvalFailure::runtime(format!(
                    "The Timestamp parameter does not reference a valid ISO-8601 extended offset date-time format string: {ts}"
                ))),
            },
            (_, Some(Dynamic::Path(p))) => {
                let src = &p.value;
                let v = Self::env(&self.compiled, &self.vars, &mut self.rng, input, ctx)
                    .select_src(src)
                    .map_err(|_| {
                        EvalFailure::runtime(format!(
                            "The TimestampPath parameter does not reference an input value: {src}"
                        ))
                    })?;
                match v.as_str().map(parse_runtime_timestamp) {
                    Some(Ok(t)) => from_ts(&t),
                    _ => Err(EvalFailure::runtime(timestamp_path_cause(src, &v))),
                }
            }
            _ => Ok(now),
        }
    }

    /// Resolves a `TimeoutSeconds`-like field: literal or reference path.
    fn seconds_field(
        &mut self,
        d: &Option<Dynamic>,
        input: &Value,
        ctx: &Value,
    ) -> Result<Option<u64>, EvalFailure> {
        match d {
            None | Some(Dynamic::Jsonata(_)) => Ok(None),
            Some(Dynamic::Literal(v)) => Ok(v.as_u64()),
            Some(Dynamic::Path(p)) => {
                let v = Self::env(&self.compiled, &self.vars, &mut self.rng, input, ctx)
                    .select_src(&p.value)
                    .map_err(|m| EvalFailure::runtime(m.invalid_path_cause(&p.value)))?;
                match v.as_u64() {
                    Some(n) if n > 0 => Ok(Some(n)),
                    _ => Err(EvalFailure::runtime(format!(
                        "The value of the field '{}' must be a positive integer: {}",
                        p.value,
                        text(&v)
                    ))),
                }
            }
        }
    }

    /// Runs attempts of a state with its Retry and Catch synchronously: for
    /// attempts that fail at once without waiting (JSONata `Arguments` /
    /// `Items` failures). The back-off moves the clock directly.
    fn with_retry(
        &mut self,
        s: &State,
        raw: &Value,
        entered: u64,
        ctx: &Value,
        mut attempt: impl FnMut(&mut Self, u64, u32) -> Result<Attempt, EngineError>,
    ) -> Result<Flow, EngineError> {
        let mut rs = RetryState::new(s, entered);
        loop {
            let (e, failed_at) = match attempt(self, rs.prev, rs.retries)? {
                Attempt::Done(f) => return Ok(f),
                Attempt::Error(e, id) => (e, id),
            };
            match self.after_error(s, raw, entered, ctx, &mut rs, e, failed_at)? {
                AfterError::Flow(f) => return Ok(f),
                AfterError::Retry(due) => {
                    if self.advance_to(due) {
                        return Ok(Self::execution_timeout(failed_at));
                    }
                }
            }
        }
    }

    /// A failed attempt of a state: the next retry (when it is due; `rs`
    /// then links the next attempt to the failure), or where control goes
    /// (Catch, or the state's failure).
    #[allow(clippy::too_many_arguments)]
    fn after_error(
        &mut self,
        s: &State,
        raw: &Value,
        entered: u64,
        ctx: &Value,
        rs: &mut RetryState,
        e: StatesError,
        failed_at: u64,
    ) -> Result<AfterError, EngineError> {
        if self.timed_out {
            return Ok(AfterError::Flow(Self::execution_timeout(failed_at)));
        }
        if !is_runtime(&e) {
            if let Some(i) = s.retry.iter().position(|r| e.matches(&r.error_equals)) {
                let r = &s.retry[i];
                let count = rs.counters.get(i).copied().unwrap_or(u64::MAX);
                if count < r.max_attempts {
                    let exp = i32::try_from(count).unwrap_or(i32::MAX);
                    let mut delay = r.interval_seconds as f64 * r.backoff_rate.powi(exp);
                    if let Some(max) = r.max_delay_seconds {
                        delay = delay.min(max as f64);
                    }
                    if r.jitter == Jitter::Full {
                        delay *= self.rng.next_f64();
                    }
                    if let Some(c) = rs.counters.get_mut(i) {
                        *c = c.saturating_add(1);
                    }
                    rs.retries = rs.retries.saturating_add(1);
                    rs.prev = failed_at;
                    return Ok(AfterError::Retry(crate::clock::add_secs_f64(
                        self.now(),
                        delay,
                    )));
                }
            }
        }
        // Final failure event of the state (Map/Parallel).
        let failed_at = match s.kind {
            StateKind::Map(_) => self.emit(failed_at, EventDetails::MapStateFailed),
            StateKind::Parallel { .. } => self.emit(failed_at, EventDetails::ParallelStateFailed),
            _ => failed_at,
        };
        if !is_runtime(&e) {
            if let Some(c) = s.catch.iter().find(|c| e.matches(&c.error_equals)) {
                if s.query_language == QueryLanguage::Jsonata {
                    return self
                        .jsonata_catch(s, c, &e, raw, ctx, entered, failed_at)
                        .map(AfterError::Flow);
                }
                let err_out = e.error_output();
                let out = match apply_result_path(&c.result_path, raw, err_out.clone()) {
                    Ok(v) => v,
                    Err(f) => {
                        return Ok(AfterError::Flow(Flow::Failed(
                            state_error(s, entered, f),
                            failed_at,
                        )))
                    }
                };
                let assigned = match &c.assign {
                    None => Vec::new(),
                    Some(a) => {
                        match Self::env(&self.compiled, &self.vars, &mut self.rng, &err_out, ctx)
                            .assign(a)
                        {
                            Ok(v) => v,
                            Err(f) => {
                                return Ok(AfterError::Flow(Flow::Failed(
                                    state_error(s, entered, f),
                                    failed_at,
                                )))
                            }
                        }
                    }
                };
                let id = self.exited(s, &out, assigned, failed_at);
                let next = c.next.as_ref().map(|n| n.value.clone()).ok_or_else(|| {
                    EngineError::InvalidDefinition(format!("a Catch of {:?} has no Next", s.name))
                })?;
                return Ok(AfterError::Flow(Flow::Next(next, out, id)));
            }
        }
        Ok(AfterError::Flow(Flow::Failed(e, failed_at)))
    }

    /// The success path shared by Task, Parallel and Map: ResultSelector,
    /// Assign, ResultPath, OutputPath, Exited.
    #[allow(clippy::too_many_arguments)]
    fn finish(
        &mut self,
        s: &State,
        raw: &Value,
        result: Value,
        ctx: &Value,
        entered: u64,
        prev: u64,
        exit_prev: u64,
    ) -> Result<Attempt, EngineError> {
        macro_rules! tryf {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(f) => {
                        let err = state_error(s, entered, f);
                        return Ok(if is_runtime(&err) {
                            Attempt::Done(Flow::Failed(err, prev))
                        } else {
                            Attempt::Error(err, prev)
                        });
                    }
                }
            };
        }
        if s.query_language == QueryLanguage::Jsonata {
            return self.jsonata_finish(s, raw, result, ctx, entered, exit_prev);
        }
        let selected = match &s.result_selector {
            Some(t) => tryf!(self.template(t, &result, ctx)),
            None => result,
        };
        let assigned = tryf!(self.assign(s, &s.assign, &selected, ctx));
        let merged = tryf!(apply_result_path(&s.result_path, raw, selected));
        let out = tryf!(self.path(&s.output_path, &merged, ctx));
        let id = self.exited(s, &out, assigned, exit_prev);
        Ok(Attempt::Done(self.transition(s, out, id)?))
    }

    /// `TaskSubmitted` before a callback task's failure or timeout: the
    /// token was handed out, the outcome came later.
    fn submitted(
        &mut self,
        resource_type: &str,
        res: &str,
        output: Option<Value>,
        prev: u64,
    ) -> u64 {
        self.emit(
            prev,
            EventDetails::TaskSubmitted(TaskOutputDetails {
                resource_type: resource_type.to_owned(),
                resource: res.to_owned(),
                output: Some(text(&output.unwrap_or(Value::Object(Map::new())))),
                output_details: Some(DataDetails::default()),
            }),
        )
    }

    fn failure_event(
        &mut self,
        family: TaskEventFamily,
        resource_type: &str,
        resource: &str,
        e: &StatesError,
        timed_out: bool,
        prev: u64,
    ) -> u64 {
        let plain = ErrorDetails::new(e.error.clone(), e.cause.clone());
        let task = TaskErrorDetails {
            resource_type: resource_type.to_owned(),
            resource: resource.to_owned(),
            error: e.error.clone(),
            cause: e.cause.clone(),
        };
        let d = match (family, timed_out) {
            (TaskEventFamily::Task, false) => EventDetails::TaskFailed(task),
            (TaskEventFamily::Task, true) => EventDetails::TaskTimedOut(task),
            (TaskEventFamily::LambdaFunction, false) => EventDetails::LambdaFunctionFailed(plain),
            (TaskEventFamily::LambdaFunction, true) => EventDetails::LambdaFunctionTimedOut(plain),
            (TaskEventFamily::Activity, false) => EventDetails::ActivityFailed(plain),
            (TaskEventFamily::Activity, true) => EventDetails::ActivityTimedOut(plain),
        };
        self.emit(prev, d)
    }
}
