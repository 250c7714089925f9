//! One execution: the state loop, the JSONPath data flow, Task invocation,
//! Retry/Catch, Parallel and Map, and event emission with AWS's
//! `previousEventId` links (ASL-REFERENCE §9.1).
//!
//! # Interleaving
//!
//! Parallel branches and inline Map iterations run one after another, in
//! index order, each to completion (depth-first). This is the order AWS
//! records for Map iterations that finish quickly (`MapIterationStarted` of
//! iteration i+1 ← the last inner event of iteration i), and successful
//! Parallel histories are compared order-independently. Recorded
//! breadth-first interleavings of long-running concurrent iterations (one
//! visible case) are not reproduced yet.

use super::choice::ChoiceEnv;
use super::data::{apply_path, apply_result_path, Compiled, Env, EvalFailure, Scopes};
use super::errors::{EngineError, StatesError};
use super::{ExecutionConfig, ExecutionResult, ExecutionStatus};
use crate::clock::{add_millis, format_rfc3339, VirtualClock};
use crate::history::*;
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use crate::rng::Rng;
use asl_core::integrations::{classify_resource, IntegrationPattern, TaskEventFamily};
use asl_core::model::{
    Definition, Dynamic, Jitter, MapMode, QueryLanguage, State, StateKind, StateMachine,
};
use asl_core::timestamp::{
    parse_runtime_timestamp, timestamp_path_cause, wait_delay_millis, WAIT_TOO_LONG_MESSAGE,
};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The payload limit (ASL-REFERENCE §3).
pub(crate) const MAX_PAYLOAD_BYTES: usize = 262_144;
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

/// Extra members of the context object for one evaluation.
#[derive(Default, Clone, Copy)]
struct CtxExtra<'v> {
    task: bool,
    retry_count: u32,
    token: Option<&'v str>,
    item: Option<(usize, &'v Value)>,
}

pub(super) struct Run<'a> {
    config: &'a ExecutionConfig,
    resolver: &'a mut dyn TaskResolver,
    clock: VirtualClock,
    rng: Rng,
    events: Vec<HistoryEvent>,
    per_state: BTreeMap<String, u32>,
    invocations: u32,
    compiled: Compiled,
    vars: Scopes,
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
        config: &'a ExecutionConfig,
        resolver: &'a mut dyn TaskResolver,
        def: &Definition,
    ) -> Self {
        let partition = "aws";
        Run {
            config,
            resolver,
            clock: VirtualClock::new(config.start),
            rng: Rng::new(config.seed).child(0),
            events: Vec::new(),
            per_state: BTreeMap::new(),
            invocations: 0,
            compiled: Compiled::for_definition(def),
            vars: Scopes::new(),
            exec_input: Value::Null,
            exec_arn: format!(
                "arn:{partition}:states:{}:{}:execution:{}:{}",
                config.region, config.account, config.state_machine_name, config.execution_name
            ),
            sm_arn: format!(
                "arn:{partition}:states:{}:{}:stateMachine:{}",
                config.region, config.account, config.state_machine_name
            ),
        }
    }

    fn emit(&mut self, prev: u64, details: EventDetails) -> u64 {
        let id = self.events.len() as u64 + 1;
        self.events
            .push(HistoryEvent::new(self.clock.now(), id, prev, details));
        id
    }

    pub(super) fn execute(
        mut self,
        def: &Definition,
        input: &str,
    ) -> Result<ExecutionResult, EngineError> {
        let value: Value = serde_json::from_str(input)
            .map_err(|e| EngineError::InvalidInput(format!("not JSON: {e}")))?;
        self.exec_input = value.clone();
        self.emit(
            0,
            EventDetails::ExecutionStarted(ExecutionStartedEventDetails {
                input: Some(input.to_owned()),
                input_details: Some(DataDetails::default()),
                role_arn: Some(self.config.role_arn.clone()),
                ..Default::default()
            }),
        );
        let flow = if input.len() > MAX_PAYLOAD_BYTES {
            self.oversized_input(&def.machine, &value)?
        } else {
            self.machine(&def.machine, value, 0)?
        };
        let (status, output, error, cause) = match flow {
            Flow::End(out, prev) => {
                let t = text(&out);
                self.emit(
                    prev,
                    EventDetails::ExecutionSucceeded(OutputDetails::new(t.clone())),
                );
                (ExecutionStatus::Succeeded, Some(t), None, None)
            }
            Flow::Failed(e, prev) => {
                self.emit(
                    prev,
                    EventDetails::ExecutionFailed(ErrorDetails::new(
                        e.error.clone(),
                        e.cause.clone(),
                    )),
                );
                (ExecutionStatus::Failed, None, e.error, e.cause)
            }
            Flow::Next(..) => (
                ExecutionStatus::Failed,
                None,
                Some("AslSim.InternalError".into()),
                Some("state loop ended on a transition".into()),
            ),
        };
        Ok(ExecutionResult {
            status,
            output,
            error,
            cause,
            history: self.events,
        })
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

    /// Runs a (sub-)machine from its StartAt; `prev` is the event the first
    /// Entered links to.
    fn machine(
        &mut self,
        m: &StateMachine,
        mut data: Value,
        prev: u64,
    ) -> Result<Flow, EngineError> {
        let mut name = m
            .start_at
            .as_ref()
            .map(|s| s.value.clone())
            .ok_or_else(|| EngineError::InvalidDefinition("no StartAt".into()))?;
        let mut prev = prev;
        loop {
            if self.events.len() >= MAX_EVENTS {
                return Ok(Flow::Failed(
                    StatesError {
                        error: Some("States.Runtime".into()),
                        cause: Some(format!(
                            "The execution reached the maximum number of history events ({MAX_EVENTS})."
                        )),
                    },
                    prev,
                ));
            }
            let state = m.state(&name).ok_or_else(|| {
                EngineError::InvalidDefinition(format!("no state named {name:?}"))
            })?;
            match self.state(state, data, prev)? {
                Flow::Next(next, out, p) => {
                    name = next;
                    data = out;
                    prev = p;
                }
                other => return Ok(other),
            }
        }
    }

    /// The context object, with AWS's key order (ASL-REFERENCE §4.5).
    fn context(&self, state: &str, entered_time: &str, x: CtxExtra<'_>) -> Value {
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

    fn state(&mut self, s: &State, raw: Value, prev: u64) -> Result<Flow, EngineError> {
        if s.query_language == QueryLanguage::Jsonata {
            return Err(unsupported(
                s,
                "JSONata states (JSONata evaluator not merged)",
            ));
        }
        if matches!(s.kind, StateKind::Unknown) {
            return Err(EngineError::InvalidDefinition(format!(
                "state {:?} has no valid Type",
                s.name
            )));
        }
        let entered = self.entered(s, &raw, prev);
        let entered_time = format_rfc3339(self.clock.now());
        let ctx = self.context(&s.name, &entered_time, CtxExtra::default());
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
            StateKind::Wait(w) => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                let now = self.clock.now();
                let due = tryf!(self.wait_due(w, &effective, &ctx, now), entered);
                self.clock.advance_to(due);
                let assigned = tryf!(self.assign(s, &s.assign, &effective, &ctx), entered);
                let out = tryf!(self.path(&s.output_path, &effective, &ctx), entered);
                let id = self.exited(s, &out, assigned, entered);
                self.transition(s, out, id)
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
            StateKind::Task(t) => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                self.task(s, t, raw, effective, entered, &entered_time)
            }
            StateKind::Parallel { branches } => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                let input = match &s.parameters {
                    Some(p) => tryf!(self.template(p, &effective, &ctx), entered),
                    None => effective,
                };
                let branches = branches.clone();
                self.with_retry(s, &raw, entered, &ctx, |run, prev, _| {
                    run.parallel_attempt(s, &branches, &input, &raw, &ctx, entered, prev)
                })
            }
            StateKind::Map(m) => {
                let effective = tryf!(self.path(&s.input_path, &raw, &ctx), entered);
                self.map(s, m, &raw, effective, entered, &entered_time)
            }
            StateKind::Unknown => Err(unsupported(s, "state type")),
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

    /// Runs attempts of a state with its Retry and Catch.
    fn with_retry(
        &mut self,
        s: &State,
        raw: &Value,
        entered: u64,
        ctx: &Value,
        mut attempt: impl FnMut(&mut Self, u64, u32) -> Result<Attempt, EngineError>,
    ) -> Result<Flow, EngineError> {
        let mut counters = vec![0u64; s.retry.len()];
        let mut prev = entered;
        let mut retries = 0u32;
        loop {
            let (e, failed_at) = match attempt(self, prev, retries)? {
                Attempt::Done(f) => return Ok(f),
                Attempt::Error(e, id) => (e, id),
            };
            if !is_runtime(&e) {
                if let Some(i) = s.retry.iter().position(|r| e.matches(&r.error_equals)) {
                    let r = &s.retry[i];
                    if counters[i] < r.max_attempts {
                        let exp = i32::try_from(counters[i]).unwrap_or(i32::MAX);
                        let mut delay = r.interval_seconds as f64 * r.backoff_rate.powi(exp);
                        if let Some(max) = r.max_delay_seconds {
                            delay = delay.min(max as f64);
                        }
                        if r.jitter == Jitter::Full {
                            delay *= self.rng.next_f64();
                        }
                        self.clock
                            .advance_to(crate::clock::add_secs_f64(self.clock.now(), delay));
                        counters[i] += 1;
                        retries = retries.saturating_add(1);
                        prev = failed_at;
                        continue;
                    }
                }
            }
            // Final failure event of the state (Map/Parallel).
            let failed_at = match s.kind {
                StateKind::Map(_) => self.emit(failed_at, EventDetails::MapStateFailed),
                StateKind::Parallel { .. } => {
                    self.emit(failed_at, EventDetails::ParallelStateFailed)
                }
                _ => failed_at,
            };
            if !is_runtime(&e) {
                if let Some(c) = s.catch.iter().find(|c| e.matches(&c.error_equals)) {
                    let err_out = e.error_output();
                    let out = match apply_result_path(&c.result_path, raw, err_out.clone()) {
                        Ok(v) => v,
                        Err(f) => return Ok(Flow::Failed(state_error(s, entered, f), failed_at)),
                    };
                    let assigned = match &c.assign {
                        None => Vec::new(),
                        Some(a) => match Self::env(
                            &self.compiled,
                            &self.vars,
                            &mut self.rng,
                            &err_out,
                            ctx,
                        )
                        .assign(a)
                        {
                            Ok(v) => v,
                            Err(f) => {
                                return Ok(Flow::Failed(state_error(s, entered, f), failed_at))
                            }
                        },
                    };
                    let id = self.exited(s, &out, assigned, failed_at);
                    let next = c.next.as_ref().map(|n| n.value.clone()).ok_or_else(|| {
                        EngineError::InvalidDefinition(format!(
                            "a Catch of {:?} has no Next",
                            s.name
                        ))
                    })?;
                    return Ok(Flow::Next(next, out, id));
                }
            }
            return Ok(Flow::Failed(e, failed_at));
        }
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

    #[allow(clippy::too_many_arguments)]
    fn parallel_attempt(
        &mut self,
        s: &State,
        branches: &[StateMachine],
        input: &Value,
        raw: &Value,
        ctx: &Value,
        entered: u64,
        prev: u64,
    ) -> Result<Attempt, EngineError> {
        let started = self.emit(prev, EventDetails::ParallelStateStarted);
        let mut results = Vec::with_capacity(branches.len());
        let mut last = started;
        for b in branches {
            self.vars.push();
            let flow = self.machine(b, input.clone(), started);
            self.vars.pop();
            match flow? {
                Flow::End(out, id) => {
                    results.push(out);
                    last = id;
                }
                Flow::Failed(e, id) => return Ok(Attempt::Error(e, id)),
                Flow::Next(..) => {}
            }
        }
        self.emit(last, EventDetails::ParallelStateSucceeded);
        self.finish(s, raw, Value::Array(results), ctx, entered, last, last)
    }

    fn task(
        &mut self,
        s: &State,
        t: &asl_core::model::Task,
        raw: Value,
        effective: Value,
        entered: u64,
        entered_time: &str,
    ) -> Result<Flow, EngineError> {
        let resource = t
            .resource
            .as_ref()
            .map(|r| r.value.clone())
            .ok_or_else(|| {
                EngineError::InvalidDefinition(format!("Task {:?} has no Resource", s.name))
            })?;
        let class = classify_resource(&resource);
        let family = class
            .event_family()
            .ok_or_else(|| unsupported(s, format!("Resource {resource:?}")))?;
        let pattern = class
            .pattern()
            .unwrap_or(IntegrationPattern::RequestResponse);
        let base_ctx = self.context(
            &s.name,
            entered_time,
            CtxExtra {
                task: true,
                ..Default::default()
            },
        );
        let fail = |f: EvalFailure| Flow::Failed(state_error(s, entered, f), entered);
        let timeout = match self.seconds_field(&t.timeout_seconds, &effective, &base_ctx) {
            Ok(v) => v,
            Err(f) => return Ok(fail(f)),
        };
        let heartbeat = match self.seconds_field(&t.heartbeat_seconds, &effective, &base_ctx) {
            Ok(v) => v,
            Err(f) => return Ok(fail(f)),
        };
        let credentials = match &t.credentials {
            None => None,
            Some(c) => match self.template(c, &effective, &base_ctx) {
                Ok(v) => Some(TaskCredentials {
                    role_arn: v.get("RoleArn").and_then(Value::as_str).map(str::to_owned),
                }),
                Err(f) => return Ok(fail(f)),
            },
        };
        let (resource_type, res) = (
            class.resource_type().unwrap_or_default(),
            class.resource().unwrap_or_else(|| resource.clone()),
        );
        let callback = matches!(
            pattern,
            IntegrationPattern::WaitForTaskToken
                | IntegrationPattern::Sync
                | IntegrationPattern::Sync2
        ) && family == TaskEventFamily::Task;
        let wants_token = pattern == IntegrationPattern::WaitForTaskToken;
        let raw_ref = &raw;
        self.with_retry(s, raw_ref, entered, &base_ctx, |run, prev, retry_count| {
            let token = wants_token.then(|| run.rng.task_token());
            let ctx = run.context(
                &s.name,
                entered_time,
                CtxExtra {
                    task: true,
                    retry_count,
                    token: token.as_deref(),
                    item: None,
                },
            );
            let params = match &s.parameters {
                Some(p) => match run.template(p, &effective, &ctx) {
                    Ok(v) => v,
                    Err(f) => {
                        return Ok(Attempt::Done(Flow::Failed(state_error(s, entered, f), prev)))
                    }
                },
                None => effective.clone(),
            };
            let n = run.per_state.entry(s.name.clone()).or_insert(0);
            let state_invocation = *n;
            *n += 1;
            let execution_invocation = run.invocations;
            run.invocations += 1;
            let scheduled = match family {
                TaskEventFamily::Task => run.emit(
                    prev,
                    EventDetails::TaskScheduled(TaskScheduledEventDetails {
                        resource_type: resource_type.clone(),
                        resource: res.clone(),
                        region: run.config.region.clone(),
                        parameters: text(&params),
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: heartbeat,
                        task_credentials: credentials.clone(),
                    }),
                ),
                TaskEventFamily::LambdaFunction => run.emit(
                    prev,
                    EventDetails::LambdaFunctionScheduled(LambdaFunctionScheduledEventDetails {
                        resource: res.clone(),
                        input: Some(text(&params)),
                        input_details: Some(DataDetails::default()),
                        timeout_in_seconds: timeout,
                        task_credentials: credentials.clone(),
                    }),
                ),
                TaskEventFamily::Activity => run.emit(
                    prev,
                    EventDetails::ActivityScheduled(ActivityScheduledEventDetails {
                        resource: res.clone(),
                        input: Some(text(&params)),
                        input_details: Some(DataDetails::default()),
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: heartbeat,
                    }),
                ),
            };
            let started = match family {
                TaskEventFamily::Task => run.emit(
                    scheduled,
                    EventDetails::TaskStarted(TaskStartedEventDetails {
                        resource_type: resource_type.clone(),
                        resource: res.clone(),
                    }),
                ),
                TaskEventFamily::LambdaFunction => {
                    run.emit(scheduled, EventDetails::LambdaFunctionStarted)
                }
                TaskEventFamily::Activity => run.emit(
                    scheduled,
                    EventDetails::ActivityStarted(ActivityStartedEventDetails::default()),
                ),
            };
            let inv = Invocation {
                state: &s.name,
                resource: &resource,
                state_invocation,
                execution_invocation,
                parameters: &params,
            };
            let Some(answer) = run.resolver.resolve(&inv) else {
                let err = StatesError {
                    error: Some("AslSim.NoMockedResponse".into()),
                    cause: Some(format!(
                        "no answer for Task state {:?}, attempt {} (invocation {state_invocation} of the state)",
                        s.name,
                        retry_count + 1
                    )),
                };
                return Ok(Attempt::Done(Flow::Failed(err, started)));
            };
            match answer {
                TaskAnswer::Succeeded {
                    output,
                    submitted_output,
                } => {
                    let mut p = started;
                    if callback {
                        p = run.emit(
                            started,
                            EventDetails::TaskSubmitted(TaskOutputDetails {
                                resource_type: resource_type.clone(),
                                resource: res.clone(),
                                output: Some(text(
                                    &submitted_output.unwrap_or(Value::Object(Default::default())),
                                )),
                                output_details: Some(DataDetails::default()),
                            }),
                        );
                    }
                    let out_text = text(&output);
                    if out_text.len() > MAX_PAYLOAD_BYTES {
                        let who = match family {
                            TaskEventFamily::LambdaFunction => res.clone(),
                            _ => resource_type.clone(),
                        };
                        let e = StatesError {
                            error: Some("States.DataLimitExceeded".into()),
                            cause: Some(format!(
                                "The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."
                            )),
                        };
                        let id = run.failure_event(family, &resource_type, &res, &e, false, p);
                        return Ok(Attempt::Error(e, id));
                    }
                    let id = match family {
                        TaskEventFamily::Task => run.emit(
                            p,
                            EventDetails::TaskSucceeded(TaskOutputDetails {
                                resource_type: resource_type.clone(),
                                resource: res.clone(),
                                output: Some(out_text),
                                output_details: Some(DataDetails::default()),
                            }),
                        ),
                        TaskEventFamily::LambdaFunction => run.emit(
                            p,
                            EventDetails::LambdaFunctionSucceeded(OutputDetails::new(out_text)),
                        ),
                        TaskEventFamily::Activity => run.emit(
                            p,
                            EventDetails::ActivitySucceeded(OutputDetails::new(out_text)),
                        ),
                    };
                    run.finish(s, raw_ref, output, &ctx, entered, id, id)
                }
                TaskAnswer::StartFailed { error, cause }
                | TaskAnswer::SubmitFailed { error, cause }
                | TaskAnswer::ScheduleFailed { error, cause } => {
                    let e = StatesError { error, cause };
                    let id = run.failure_event(family, &resource_type, &res, &e, false, started);
                    Ok(Attempt::Error(e, id))
                }
                TaskAnswer::Failed { error, cause } => {
                    let e = StatesError { error, cause };
                    let at = if callback {
                        let out = run.resolver.submitted(&inv);
                        run.submitted(&resource_type, &res, out, started)
                    } else {
                        started
                    };
                    let id = run.failure_event(family, &resource_type, &res, &e, false, at);
                    Ok(Attempt::Error(e, id))
                }
                TaskAnswer::TimedOut { error, cause } => {
                    let e = StatesError {
                        error: Some(error.unwrap_or_else(|| "States.Timeout".into())),
                        cause,
                    };
                    let at = if callback {
                        let out = run.resolver.submitted(&inv);
                        run.submitted(&resource_type, &res, out, started)
                    } else {
                        started
                    };
                    let id = run.failure_event(family, &resource_type, &res, &e, true, at);
                    Ok(Attempt::Error(e, id))
                }
            }
        })
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

    fn map(
        &mut self,
        s: &State,
        m: &asl_core::model::MapState,
        raw: &Value,
        effective: Value,
        entered: u64,
        entered_time: &str,
    ) -> Result<Flow, EngineError> {
        let ctx = self.context(&s.name, entered_time, CtxExtra::default());
        let fail = |f: EvalFailure, at: u64| Flow::Failed(state_error(s, entered, f), at);
        // MaxConcurrencyPath is checked before MapStateStarted.
        if let Some(Dynamic::Path(p)) = &m.max_concurrency {
            let v = Self::env(&self.compiled, &self.vars, &mut self.rng, &effective, &ctx)
                .select_src(&p.value);
            match v {
                Ok(v) if int_like(&v).is_some_and(|n| n >= 0) => {}
                Ok(v) => {
                    let shown = match &v {
                        Value::String(s) => s.clone(),
                        o => text(o),
                    };
                    return Ok(fail(
                        EvalFailure::runtime(format!(
                            "The MaxConcurrencyPath field refers to value \"{shown}\" which is not a valid integer: {}",
                            p.value
                        )),
                        entered,
                    ));
                }
                Err(miss) => {
                    return Ok(fail(
                        EvalFailure::runtime(miss.invalid_path_cause(&p.value)),
                        entered,
                    ))
                }
            }
        }
        let items = match &m.items_path {
            None => effective.clone(),
            Some(p) => match Self::env(&self.compiled, &self.vars, &mut self.rng, &effective, &ctx)
                .select_src(&p.value)
            {
                Ok(v) => v,
                Err(miss) => {
                    return Ok(fail(
                        EvalFailure::runtime(miss.invalid_path_cause(&p.value)),
                        entered,
                    ))
                }
            },
        };
        let items = match items {
            Value::Array(a) => a,
            other => {
                return Ok(fail(
                    EvalFailure::runtime(format!(
                        "Map state input must be an array but was: {}",
                        text(&other)
                    )),
                    entered,
                ))
            }
        };
        let distributed = m.mode == MapMode::Distributed;
        self.with_retry(s, raw, entered, &ctx, |run, prev, _| {
            let length = items.len() as u32;
            let started = run.emit(
                prev,
                EventDetails::MapStateStarted(MapStateStartedEventDetails { length }),
            );
            // Tolerated-failure paths are checked after MapStateStarted.
            for (field, d, float) in [
                ("ToleratedFailureCountPath", &m.tolerated_failure_count, false),
                ("ToleratedFailurePercentagePath", &m.tolerated_failure_percentage, true),
            ] {
                if let Some(Dynamic::Path(p)) = d {
                    let v = Self::env(&run.compiled, &run.vars, &mut run.rng, &effective, &ctx)
                        .select_src(&p.value);
                    let ok = match &v {
                        Ok(x) if float => float_like(x).is_some_and(|f| (0.0..=100.0).contains(&f)),
                        Ok(x) => int_like(x).is_some_and(|i| i >= 0),
                        _ => false,
                    };
                    if !ok {
                        let cause = match &v {
                            Ok(Value::Number(n)) if float && n.as_f64().is_some() => {
                                "ToleratedFailurePercentage must be between 0 and 100.".to_string()
                            }
                            Ok(Value::Number(n)) if !float && n.as_i64().is_some() => {
                                "ToleratedFailureCount cannot be negative.".to_string()
                            }
                            Ok(other) => format!(
                                "The {field} field refers to value \"{}\" which is not a valid {}: {}",
                                match other {
                                    Value::String(s) => s.clone(),
                                    o => text(o),
                                },
                                if float { "float" } else { "integer" },
                                p.value
                            ),
                            Err(miss) => miss.invalid_path_cause(&p.value),
                        };
                        return Ok(Attempt::Done(Flow::Failed(
                            state_error(s, entered, EvalFailure::runtime(cause)),
                            started,
                        )));
                    }
                }
            }
            if distributed {
                return run.distributed(s, m, raw, &items, &effective, &ctx, entered, started);
            }
            let mut results = Vec::with_capacity(items.len());
            let mut last_inner = started;
            let mut last_succ = started;
            for (i, item) in items.iter().enumerate() {
                let it_started = run.emit(
                    if i == 0 { started } else { last_inner },
                    EventDetails::MapIterationStarted(MapIterationEventDetails {
                        name: s.name.clone(),
                        index: i as u32,
                    }),
                );
                let input = match &m.item_selector {
                    None => item.clone(),
                    Some(t) => {
                        let ictx = run.context(
                            &s.name,
                            entered_time,
                            CtxExtra {
                                item: Some((i, item)),
                                ..Default::default()
                            },
                        );
                        match run.template(t, &effective, &ictx) {
                            Ok(v) => v,
                            Err(f) => {
                                return Ok(Attempt::Done(Flow::Failed(
                                    state_error(s, entered, f),
                                    it_started,
                                )))
                            }
                        }
                    }
                };
                run.vars.push();
                let flow = run.machine(&m.processor, input, it_started);
                run.vars.pop();
                match flow? {
                    Flow::End(out, id) => {
                        results.push(out);
                        last_inner = id;
                        last_succ = run.emit(
                            id,
                            EventDetails::MapIterationSucceeded(MapIterationEventDetails {
                                name: s.name.clone(),
                                index: i as u32,
                            }),
                        );
                    }
                    Flow::Failed(e, id) => {
                        run.emit(
                            id,
                            EventDetails::MapIterationFailed(MapIterationEventDetails {
                                name: s.name.clone(),
                                index: i as u32,
                            }),
                        );
                        if is_runtime(&e) {
                            let failed = run.emit(id, EventDetails::MapStateFailed);
                            return Ok(Attempt::Done(Flow::Failed(e, failed)));
                        }
                        return Ok(Attempt::Error(e, id));
                    }
                    Flow::Next(..) => {}
                }
            }
            run.emit(last_succ, EventDetails::MapStateSucceeded);
            run.finish(s, raw, Value::Array(results), &ctx, entered, last_succ, last_succ)
        })
    }

    /// A distributed Map without ItemReader: child executions run in a
    /// scratch history; the parent records the map run.
    #[allow(clippy::too_many_arguments)]
    fn distributed(
        &mut self,
        s: &State,
        m: &asl_core::model::MapState,
        raw: &Value,
        items: &[Value],
        effective: &Value,
        ctx: &Value,
        entered: u64,
        started: u64,
    ) -> Result<Attempt, EngineError> {
        let label = m
            .label
            .as_ref()
            .map(|l| l.value.clone())
            .unwrap_or_else(|| s.name.clone());
        let run_id = self.rng.uuid_v4();
        let map_run_arn = format!(
            "arn:aws:states:{}:{}:mapRun:{}/{}:{}",
            self.config.region, self.config.account, self.config.state_machine_name, label, run_id
        );
        let run_started = self.emit(
            started,
            EventDetails::MapRunStarted(MapRunStartedEventDetails { map_run_arn }),
        );
        let saved = std::mem::take(&mut self.events);
        let saved_vars = std::mem::replace(&mut self.vars, Scopes::new());
        let mut results = Vec::with_capacity(items.len());
        let mut failure = None;
        for (i, item) in items.iter().enumerate() {
            let input = match &m.item_selector {
                None => item.clone(),
                Some(t) => {
                    let ictx = self.context(
                        &s.name,
                        &format_rfc3339(self.clock.now()),
                        CtxExtra {
                            item: Some((i, item)),
                            ..Default::default()
                        },
                    );
                    match self.template(t, effective, &ictx) {
                        Ok(v) => v,
                        Err(f) => {
                            failure = Some(state_error(s, entered, f));
                            break;
                        }
                    }
                }
            };
            self.events.clear();
            match self.machine(&m.processor, input, 0) {
                Ok(Flow::End(out, _)) => results.push(out),
                Ok(Flow::Failed(e, _)) => {
                    failure = Some(e);
                    break;
                }
                Ok(Flow::Next(..)) => {}
                Err(e) => {
                    self.events = saved;
                    self.vars = saved_vars;
                    return Err(e);
                }
            }
        }
        self.events = saved;
        self.vars = saved_vars;
        if let Some(e) = failure {
            let tolerated = matches!(&m.tolerated_failure_count, Some(Dynamic::Literal(v)) if v.as_u64().is_some_and(|n| n > 0))
                || matches!(&m.tolerated_failure_percentage, Some(Dynamic::Literal(v)) if v.as_f64().is_some_and(|n| n > 0.0));
            let _ = tolerated;
            let err = StatesError {
                error: Some("States.ExceedToleratedFailureThreshold".into()),
                cause: Some("The specified tolerated failure threshold was exceeded".into()),
            };
            let _ = e;
            let id = self.emit(
                run_started,
                EventDetails::MapRunFailed(ErrorDetails::new(err.error.clone(), err.cause.clone())),
            );
            return Ok(Attempt::Error(err, id));
        }
        // `MapStateExited` ← `MapRunSucceeded`, as most recordings show
        // (recordings since Nov 2024 link it to `MapRunStarted`; see
        // ASL-REFERENCE §9.1).
        let succ = self.emit(run_started, EventDetails::MapRunSucceeded);
        self.emit(succ, EventDetails::MapStateSucceeded);
        self.finish(s, raw, Value::Array(results), ctx, entered, succ, succ)
    }
}
