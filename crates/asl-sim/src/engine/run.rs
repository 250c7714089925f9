//! One execution: the state loop, data flow with `$`-only paths, Task
//! invocation with Retry/Catch, and event emission with AWS's
//! `previousEventId` links.

use super::errors::{EngineError, StatesError};
use super::{ExecutionConfig, ExecutionResult, ExecutionStatus};
use crate::clock::{add_secs_f64, parse_rfc3339, VirtualClock};
use crate::history::*;
use crate::resolver::{Invocation, TaskAnswer, TaskResolver};
use crate::rng::Rng;
use asl_core::integrations::{classify_resource, IntegrationPattern, TaskEventFamily};
use asl_core::model::{
    Definition, Dynamic, Jitter, NullablePath, QueryLanguage, State, StateKind, StateMachine,
};
use serde_json::Value;
use std::collections::BTreeMap;

/// Where control goes after a state.
enum Flow {
    /// Next state, the data, the id of the last event (the Exited).
    Next(String, Value, u64),
    /// End of the machine.
    End(Value, u64),
    /// Uncaught failure; `u64` is the event the ExecutionFailed links to.
    Failed(StatesError, u64),
}

pub(super) struct Run<'a> {
    config: &'a ExecutionConfig,
    resolver: &'a mut dyn TaskResolver,
    clock: VirtualClock,
    rng: Rng,
    events: Vec<HistoryEvent>,
    per_state: BTreeMap<String, u32>,
    invocations: u32,
}

fn unsupported(state: &State, what: impl std::fmt::Display) -> EngineError {
    EngineError::Unsupported(format!("state {:?}: {what}", state.name))
}

fn text(v: &Value) -> String {
    v.to_string()
}

/// Whether a template holds anything to evaluate (`.$` keys).
fn has_dynamic_keys(v: &Value) -> bool {
    match v {
        Value::Object(m) => m
            .iter()
            .any(|(k, x)| k.ends_with(".$") || has_dynamic_keys(x)),
        Value::Array(a) => a.iter().any(has_dynamic_keys),
        _ => false,
    }
}

impl<'a> Run<'a> {
    pub(super) fn new(config: &'a ExecutionConfig, resolver: &'a mut dyn TaskResolver) -> Self {
        Run {
            config,
            resolver,
            clock: VirtualClock::new(config.start),
            rng: Rng::new(config.seed).child(0),
            events: Vec::new(),
            per_state: BTreeMap::new(),
            invocations: 0,
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
        self.emit(
            0,
            EventDetails::ExecutionStarted(ExecutionStartedEventDetails {
                input: Some(input.to_owned()),
                input_details: Some(DataDetails::default()),
                role_arn: Some(self.config.role_arn.clone()),
                ..Default::default()
            }),
        );
        let flow = self.machine(&def.machine, value)?;
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
            Flow::Next(..) => unreachable_next(),
        };
        Ok(ExecutionResult {
            status,
            output,
            error,
            cause,
            history: self.events,
        })
    }

    fn machine(&mut self, m: &StateMachine, mut data: Value) -> Result<Flow, EngineError> {
        let mut name = m
            .start_at
            .as_ref()
            .map(|s| s.value.clone())
            .ok_or_else(|| EngineError::InvalidDefinition("no StartAt".into()))?;
        let mut prev = 0;
        // Bounded: a definition looping forever stops at the history limit.
        while self.events.len() < 25_000 {
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
        Err(EngineError::Unsupported(
            "history limit of 25,000 events reached".into(),
        ))
    }

    fn check_common(&self, s: &State) -> Result<(), EngineError> {
        if s.query_language == QueryLanguage::Jsonata {
            return Err(unsupported(s, "JSONata states (asl-core jsonata pending)"));
        }
        if s.assign.is_some() {
            return Err(unsupported(s, "Assign (variables)"));
        }
        for (field, p) in [
            ("InputPath", &s.input_path),
            ("OutputPath", &s.output_path),
            ("ResultPath", &s.result_path),
        ] {
            if let Some(NullablePath::Path(p)) = p {
                if p.value != "$" {
                    return Err(unsupported(
                        s,
                        format!("{field} {:?} (asl-core jsonpath pending)", p.value),
                    ));
                }
            }
        }
        for (field, t) in [
            ("Parameters", &s.parameters),
            ("ResultSelector", &s.result_selector),
        ] {
            if t.as_ref().is_some_and(has_dynamic_keys) {
                return Err(unsupported(
                    s,
                    format!("{field} with .$ fields (asl-core jsonpath pending)"),
                ));
            }
        }
        Ok(())
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

    fn exited(&mut self, s: &State, output: &Value, prev: u64) -> u64 {
        let d = StateExitedEventDetails::new(s.name.clone(), text(output));
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

    /// `InputPath` / `OutputPath` (`$` or null only, checked before).
    fn path(p: &Option<NullablePath>, v: &Value) -> Value {
        match p {
            Some(NullablePath::Null) => Value::Object(Default::default()),
            _ => v.clone(),
        }
    }

    /// `ResultPath` (`$` or null only).
    fn result_path(p: &Option<NullablePath>, raw_input: &Value, result: Value) -> Value {
        match p {
            Some(NullablePath::Null) => raw_input.clone(),
            _ => result,
        }
    }

    fn state(&mut self, s: &State, raw: Value, prev: u64) -> Result<Flow, EngineError> {
        match &s.kind {
            StateKind::Choice(_) => {
                return Err(unsupported(s, "Choice (asl-core jsonpath pending)"))
            }
            StateKind::Parallel { .. } => return Err(unsupported(s, "Parallel")),
            StateKind::Map(_) => return Err(unsupported(s, "Map")),
            StateKind::Unknown => {
                return Err(EngineError::InvalidDefinition(format!(
                    "state {:?} has no valid Type",
                    s.name
                )))
            }
            _ => {}
        }
        self.check_common(s)?;
        let entered = self.entered(s, &raw, prev);
        let effective = Self::path(&s.input_path, &raw);
        match &s.kind {
            StateKind::Pass { result } => {
                let params = s.parameters.clone().unwrap_or(effective);
                let result = result.clone().unwrap_or(params);
                let out = Self::path(
                    &s.output_path,
                    &Self::result_path(&s.result_path, &raw, result),
                );
                let id = self.exited(s, &out, entered);
                self.transition(s, out, id)
            }
            StateKind::Succeed => {
                let out = Self::path(&s.output_path, &effective);
                let id = self.exited(s, &out, entered);
                Ok(Flow::End(out, id))
            }
            StateKind::Fail(f) => {
                let lit =
                    |d: &Option<Dynamic>, field: &str| -> Result<Option<String>, EngineError> {
                        match d {
                            None => Ok(None),
                            Some(Dynamic::Literal(Value::String(v))) => Ok(Some(v.clone())),
                            Some(_) => Err(unsupported(
                                s,
                                format!("{field} other than a literal string"),
                            )),
                        }
                    };
                let err = StatesError {
                    error: lit(&f.error, "Error")?,
                    cause: lit(&f.cause, "Cause")?,
                };
                Ok(Flow::Failed(err, entered))
            }
            StateKind::Wait(w) => {
                match (&w.seconds, &w.timestamp) {
                    (Some(Dynamic::Literal(v)), None) => {
                        let secs = v
                            .as_f64()
                            .ok_or_else(|| unsupported(s, "Seconds that is not a number"))?;
                        self.clock.advance_to(add_secs_f64(self.clock.now(), secs));
                    }
                    (None, Some(Dynamic::Literal(Value::String(ts)))) => {
                        let t = parse_rfc3339(ts).map_err(|e| unsupported(s, e))?;
                        self.clock.advance_to(t);
                    }
                    _ => {
                        return Err(unsupported(
                            s,
                            "Wait with SecondsPath/TimestampPath/JSONata",
                        ))
                    }
                }
                let out = Self::path(&s.output_path, &effective);
                let id = self.exited(s, &out, entered);
                self.transition(s, out, id)
            }
            StateKind::Task(t) => self.task(s, t, raw, effective, entered),
            _ => Err(unsupported(s, "state type")),
        }
    }

    fn task(
        &mut self,
        s: &State,
        t: &asl_core::model::Task,
        raw: Value,
        effective: Value,
        entered: u64,
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
        let lit_secs = |d: &Option<Dynamic>, field: &str| -> Result<Option<u64>, EngineError> {
            match d {
                None => Ok(None),
                Some(Dynamic::Literal(v)) => Ok(v.as_u64()),
                Some(_) => Err(unsupported(s, format!("{field}Path / JSONata {field}"))),
            }
        };
        let timeout = lit_secs(&t.timeout_seconds, "TimeoutSeconds")?;
        let heartbeat = lit_secs(&t.heartbeat_seconds, "HeartbeatSeconds")?;
        if t.credentials.is_some() {
            return Err(unsupported(s, "Credentials"));
        }
        let params = s.parameters.clone().unwrap_or(effective);
        let mut counters = vec![0u64; s.retry.len()];
        let mut prev = entered;
        loop {
            let n = self.per_state.entry(s.name.clone()).or_insert(0);
            let state_invocation = *n;
            *n += 1;
            let execution_invocation = self.invocations;
            self.invocations += 1;
            // Scheduled / Started.
            let (resource_type, res) = (
                class.resource_type().unwrap_or_default(),
                class.resource().unwrap_or_else(|| resource.clone()),
            );
            let scheduled = match family {
                TaskEventFamily::Task => self.emit(
                    prev,
                    EventDetails::TaskScheduled(TaskScheduledEventDetails {
                        resource_type: resource_type.clone(),
                        resource: res.clone(),
                        region: self.config.region.clone(),
                        parameters: text(&params),
                        timeout_in_seconds: timeout,
                        heartbeat_in_seconds: heartbeat,
                        task_credentials: None,
                    }),
                ),
                TaskEventFamily::LambdaFunction => self.emit(
                    prev,
                    EventDetails::LambdaFunctionScheduled(LambdaFunctionScheduledEventDetails {
                        resource: res.clone(),
                        input: Some(text(&params)),
                        input_details: Some(DataDetails::default()),
                        timeout_in_seconds: timeout,
                        task_credentials: None,
                    }),
                ),
                TaskEventFamily::Activity => self.emit(
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
                TaskEventFamily::Task => self.emit(
                    scheduled,
                    EventDetails::TaskStarted(TaskStartedEventDetails {
                        resource_type: resource_type.clone(),
                        resource: res.clone(),
                    }),
                ),
                TaskEventFamily::LambdaFunction => {
                    self.emit(scheduled, EventDetails::LambdaFunctionStarted)
                }
                TaskEventFamily::Activity => self.emit(
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
            let Some(answer) = self.resolver.resolve(&inv) else {
                let err = StatesError {
                    error: Some("AslSim.NoMockedResponse".into()),
                    cause: Some(format!(
                        "no answer for Task state {:?}, attempt {} (invocation {state_invocation} of the state)",
                        s.name,
                        state_invocation + 1
                    )),
                };
                return Ok(Flow::Failed(err, started));
            };
            let callback = matches!(
                pattern,
                IntegrationPattern::WaitForTaskToken
                    | IntegrationPattern::Sync
                    | IntegrationPattern::Sync2
            ) && family == TaskEventFamily::Task;
            let (outcome_id, result) = match answer {
                TaskAnswer::Succeeded {
                    output,
                    submitted_output,
                } => {
                    let mut p = started;
                    if callback {
                        p = self.emit(
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
                    let id = match family {
                        TaskEventFamily::Task => self.emit(
                            p,
                            EventDetails::TaskSucceeded(TaskOutputDetails {
                                resource_type: resource_type.clone(),
                                resource: res.clone(),
                                output: Some(out_text),
                                output_details: Some(DataDetails::default()),
                            }),
                        ),
                        TaskEventFamily::LambdaFunction => self.emit(
                            p,
                            EventDetails::LambdaFunctionSucceeded(OutputDetails::new(out_text)),
                        ),
                        TaskEventFamily::Activity => self.emit(
                            p,
                            EventDetails::ActivitySucceeded(OutputDetails::new(out_text)),
                        ),
                    };
                    (id, Ok(output))
                }
                TaskAnswer::Failed { error, cause }
                | TaskAnswer::StartFailed { error, cause }
                | TaskAnswer::SubmitFailed { error, cause }
                | TaskAnswer::ScheduleFailed { error, cause } => {
                    let e = StatesError { error, cause };
                    let id = self.failure_event(family, &resource_type, &res, &e, false, started);
                    (id, Err(e))
                }
                TaskAnswer::TimedOut { error, cause } => {
                    let e = StatesError {
                        error: Some(error.unwrap_or_else(|| "States.Timeout".into())),
                        cause,
                    };
                    let id = self.failure_event(family, &resource_type, &res, &e, true, started);
                    (id, Err(e))
                }
            };
            match result {
                Ok(output) => {
                    let selected = s.result_selector.clone().unwrap_or(output);
                    let out = Self::path(
                        &s.output_path,
                        &Self::result_path(&s.result_path, &raw, selected),
                    );
                    let id = self.exited(s, &out, outcome_id);
                    return self.transition(s, out, id);
                }
                Err(e) => {
                    // Retry: the first matching retrier decides.
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
                            self.clock.advance_to(add_secs_f64(self.clock.now(), delay));
                            counters[i] += 1;
                            prev = outcome_id;
                            continue;
                        }
                    }
                    if let Some(c) = s.catch.iter().find(|c| e.matches(&c.error_equals)) {
                        if let Some(NullablePath::Path(p)) = &c.result_path {
                            if p.value != "$" {
                                return Err(unsupported(
                                    s,
                                    "Catch ResultPath other than $ (asl-core jsonpath pending)",
                                ));
                            }
                        }
                        if c.assign.is_some() || c.output.is_some() {
                            return Err(unsupported(s, "Catch Assign/Output"));
                        }
                        let out = Self::result_path(&c.result_path, &raw, e.error_output());
                        let id = self.exited(s, &out, outcome_id);
                        let next = c.next.as_ref().map(|n| n.value.clone()).ok_or_else(|| {
                            EngineError::InvalidDefinition(format!(
                                "a Catch of {:?} has no Next",
                                s.name
                            ))
                        })?;
                        return Ok(Flow::Next(next, out, id));
                    }
                    return Ok(Flow::Failed(e, outcome_id));
                }
            }
        }
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

/// `machine` never returns `Flow::Next` (it loops until End or Failed).
fn unreachable_next() -> (
    ExecutionStatus,
    Option<String>,
    Option<String>,
    Option<String>,
) {
    (
        ExecutionStatus::Failed,
        None,
        Some("AslSim.InternalError".into()),
        Some("state loop ended on a transition".into()),
    )
}
