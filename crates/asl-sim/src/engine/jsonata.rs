//! JSONata states at run time (ASL-REFERENCE §6): `Arguments`, `Output`,
//! `Assign` (swap semantics), Choice `Condition`, Wait `Seconds` /
//! `Timestamp`, Task `TimeoutSeconds` / `HeartbeatSeconds` / `Credentials`,
//! Fail `Error` / `Cause`, Map `Items` / `ItemSelector` / `MaxConcurrency` /
//! `ToleratedFailure*`, Catcher `Output` / `Assign` with
//! `$states.errorOutput`.
//!
//! Every `{% … %}` template of the definition is parsed once
//! ([`Cache::for_definition`]); evaluation looks the parsed form up.
//! `$states` is `{input, context, result?, errorOutput?}` with the context
//! object the JSONPath engine builds; `$random`/`$uuid` draw from the
//! execution's seeded generator and `$now`/`$millis` read the virtual clock.
//!
//! Failures are `States.QueryEvaluationError` with AWS's cause texts
//! (`asl_core::jsonata::query_evaluation_cause`) and an `EvaluationFailed`
//! event (`location` = the field path, e.g. `Output/result`), linked as
//! ASL-REFERENCE §9.1 records: to the failing state's `…StateEntered`
//! `previousEventId` (a sibling of the Entered event), except Wait
//! `Timestamp`/`Seconds` failures, which follow `WaitStateEntered`.
//!
//! This module is a child of `run` (it extends [`Run`]); `run.rs` only
//! branches into it at the points where the JSONata data flow differs.

use super::*;
use crate::history::EvaluationFailedEventDetails;
use asl_core::jsonata::{
    self as jx, query_evaluation_cause, state_error_prefix, JsonataEnv, QueryFailure,
};
use asl_core::model::{Catcher, Condition, MapState, StateKind};
use std::borrow::Cow;

/// The error name of every JSONata evaluation failure.
pub(crate) const QUERY_EVALUATION_ERROR: &str = "States.QueryEvaluationError";

/// The error name of an oversized variable (ASL-REFERENCE §6.3: the name is
/// unverified; no recording shows it).
const DATA_LIMIT_EXCEEDED: &str = "States.DataLimitExceeded";

/// Per-variable and per-`Assign` size limit (ASL-REFERENCE §6.3).
const MAX_VARIABLE_BYTES: usize = 262_144;

/// Parsed `{% … %}` templates of a definition, keyed by the template text.
#[derive(Debug, Default)]
pub(super) struct Cache {
    exprs: BTreeMap<String, Result<jx::Expr, String>>,
}

fn parse_template(src: &str) -> Result<jx::Expr, String> {
    match jx::template_expression(src) {
        Some((inner, _)) => jx::parse(inner).map_err(|e| format!("{}: {}", e.code, e.message)),
        None => Err("not a JSONata template".into()),
    }
}

impl Cache {
    /// Parses every template of the definition's JSONata states.
    pub(super) fn for_definition(def: &Definition) -> Self {
        let mut c = Cache::default();
        for s in def.all_states() {
            if s.query_language != QueryLanguage::Jsonata {
                continue;
            }
            for v in [&s.arguments, &s.output, &s.assign].into_iter().flatten() {
                c.add_value(v);
            }
            for cat in &s.catch {
                for v in [&cat.output, &cat.assign].into_iter().flatten() {
                    c.add_value(v);
                }
            }
            let mut dynamics: Vec<&Dynamic> = Vec::new();
            match &s.kind {
                StateKind::Task(t) => {
                    dynamics.extend(t.timeout_seconds.iter());
                    dynamics.extend(t.heartbeat_seconds.iter());
                    if let Some(cr) = &t.credentials {
                        c.add_value(cr);
                    }
                }
                StateKind::Wait(w) => {
                    dynamics.extend(w.seconds.iter());
                    dynamics.extend(w.timestamp.iter());
                }
                StateKind::Fail(f) => {
                    dynamics.extend(f.error.iter());
                    dynamics.extend(f.cause.iter());
                }
                StateKind::Map(m) => {
                    for v in [&m.items, &m.item_selector].into_iter().flatten() {
                        c.add_value(v);
                    }
                    dynamics.extend(m.max_concurrency.iter());
                    dynamics.extend(m.tolerated_failure_count.iter());
                    dynamics.extend(m.tolerated_failure_percentage.iter());
                }
                StateKind::Choice(ch) => {
                    for r in &ch.choices {
                        if let Condition::Jsonata(src) = &r.condition {
                            c.add(&src.value);
                        }
                        for v in [&r.output, &r.assign].into_iter().flatten() {
                            c.add_value(v);
                        }
                    }
                }
                _ => {}
            }
            for d in dynamics {
                if let Dynamic::Jsonata(src) = d {
                    c.add(&src.value);
                }
            }
        }
        c
    }

    fn add(&mut self, src: &str) {
        if !self.exprs.contains_key(src) {
            self.exprs.insert(src.to_owned(), parse_template(src));
        }
    }

    fn add_value(&mut self, v: &Value) {
        match v {
            Value::String(s) if jx::template_expression(s).is_some() => self.add(s),
            Value::Object(m) => m.values().for_each(|x| self.add_value(x)),
            Value::Array(a) => a.iter().for_each(|x| self.add_value(x)),
            _ => {}
        }
    }

    fn get(&self, src: &str) -> Cow<'_, Result<jx::Expr, String>> {
        match self.exprs.get(src) {
            Some(e) => Cow::Borrowed(e),
            None => Cow::Owned(parse_template(src)),
        }
    }
}

/// A failed evaluation: the field path (`None` for the Map-input check),
/// the cause without the state prefix, and the error name
/// (`States.QueryEvaluationError`, or `States.DataLimitExceeded` for an
/// oversized variable).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct QueryError {
    pub location: Option<String>,
    pub cause: String,
    pub error: &'static str,
}

impl QueryError {
    fn at(location: &str, cause: String) -> Self {
        QueryError {
            location: Some(location.to_owned()),
            cause,
            error: QUERY_EVALUATION_ERROR,
        }
    }

    fn data_limit(location: &str, cause: String) -> Self {
        QueryError {
            error: DATA_LIMIT_EXCEEDED,
            ..QueryError::at(location, cause)
        }
    }
}

/// The inside of a template, as AWS prints it in causes.
fn inner_text(src: &str) -> &str {
    jx::template_expression(src).map_or(src, |(inner, _)| inner)
}

/// `$states` for one evaluation.
fn states_value(
    input: &Value,
    context: &Value,
    result: Option<&Value>,
    error_output: Option<&Value>,
) -> Value {
    let mut m = Map::new();
    m.insert("input".into(), input.clone());
    m.insert("context".into(), context.clone());
    if let Some(r) = result {
        m.insert("result".into(), r.clone());
    }
    if let Some(e) = error_output {
        m.insert("errorOutput".into(), e.clone());
    }
    Value::Object(m)
}

/// What an expression can read: `$states`, workflow variables, the seeded
/// generator and the virtual clock.
struct Host<'e> {
    vars: &'e Scopes,
    rng: &'e mut Rng,
    now: i64,
    states: &'e Value,
}

impl JsonataEnv for Host<'_> {
    fn variable(&self, name: &str) -> Option<Value> {
        if name == "states" {
            Some(self.states.clone())
        } else {
            self.vars.get(name).cloned()
        }
    }
    fn random_f64(&mut self) -> f64 {
        self.rng.next_f64()
    }
    fn now_millis(&self) -> i64 {
        self.now
    }
    fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

/// Joins a field path: `Output` + `result` → `Output/result`.
fn child(location: &str, key: &str) -> String {
    format!("{location}/{key}")
}

fn is_jsonata(s: &State) -> bool {
    s.query_language == QueryLanguage::Jsonata
}

/// An integer ≥ 0 from a JSONata number (`3` or `3.0`).
fn whole_number(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64)),
        _ => None,
    }
}

impl Run<'_> {
    /// Evaluates one template string for the field `location`.
    fn jx_eval(&mut self, src: &str, location: &str, states: &Value) -> Result<Value, QueryError> {
        let cached = self.jsonata.get(src);
        let expr = match &*cached {
            Ok(e) => e,
            Err(msg) => {
                return Err(QueryError::at(
                    location,
                    format!(
                        "The JSONata expression '{}' specified for the field '{location}' could not be parsed. {msg}",
                        inner_text(src).trim()
                    ),
                ))
            }
        };
        let mut host = Host {
            vars: &self.vars,
            rng: &mut self.rng,
            now: self.sched.now(),
            states,
        };
        let fail = |f: &QueryFailure<'_>| {
            QueryError::at(
                location,
                query_evaluation_cause(inner_text(src), location, f),
            )
        };
        match jx::evaluate(expr, None, &mut host) {
            Ok(Some(v)) => Ok(v),
            Ok(None) => Err(fail(&QueryFailure::Undefined)),
            Err(e) => Err(fail(&QueryFailure::Threw(&e))),
        }
    }

    /// Evaluates a field that must produce a value of JSON type `expected`.
    fn jx_typed(
        &mut self,
        src: &str,
        location: &str,
        states: &Value,
        expected: &str,
        ok: impl Fn(&Value) -> bool,
    ) -> Result<Value, QueryError> {
        let v = self.jx_eval(src, location, states)?;
        if ok(&v) {
            Ok(v)
        } else {
            Err(QueryError::at(
                location,
                query_evaluation_cause(
                    inner_text(src),
                    location,
                    &QueryFailure::UnexpectedType {
                        expected,
                        value: &v,
                    },
                ),
            ))
        }
    }

    /// Evaluates a template value: `{% %}` strings anywhere inside objects
    /// and arrays; everything else is copied.
    fn jx_template(
        &mut self,
        t: &Value,
        location: &str,
        states: &Value,
    ) -> Result<Value, QueryError> {
        match t {
            Value::String(s) if jx::template_expression(s).is_some() => {
                self.jx_eval(s, location, states)
            }
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    let v = self.jx_template(x, &child(location, k), states)?;
                    out.insert(k.clone(), v);
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => {
                let mut out = Vec::with_capacity(a.len());
                for (i, x) in a.iter().enumerate() {
                    out.push(self.jx_template(x, &child(location, &i.to_string()), states)?);
                }
                Ok(Value::Array(out))
            }
            other => Ok(other.clone()),
        }
    }

    /// `Assign` then `Output`, both against the pre-state variables; the
    /// assignments take effect when the state exits.
    fn jx_assign_output(
        &mut self,
        assign: &Option<Value>,
        output: &Option<Value>,
        states: &Value,
        default: Value,
    ) -> Result<(Value, Vec<(String, Value)>), QueryError> {
        let mut assigned = Vec::new();
        if let Some(Value::Object(m)) = assign {
            let mut total = 0usize;
            for (k, x) in m {
                let location = child("Assign", k);
                let v = self.jx_template(x, &location, states)?;
                let size = text(&v).len();
                if size > MAX_VARIABLE_BYTES {
                    return Err(QueryError::data_limit(
                        &location,
                        format!(
                            "The variable '{k}' has a size of {size} bytes, which exceeds the maximum size of {MAX_VARIABLE_BYTES} bytes."
                        ),
                    ));
                }
                total += size;
                if total > MAX_VARIABLE_BYTES {
                    return Err(QueryError::data_limit(
                        "Assign",
                        format!(
                            "The assigned variables have a total size exceeding the maximum size of {MAX_VARIABLE_BYTES} bytes."
                        ),
                    ));
                }
                assigned.push((k.clone(), v));
            }
        }
        let out = match output {
            Some(o) => self.jx_template(o, "Output", states)?,
            None => default,
        };
        Ok((out, assigned))
    }

    /// The `previousEventId` of the Entered event `entered`.
    fn entered_prev(&self, entered: u64) -> u64 {
        entered
            .checked_sub(1)
            .and_then(|i| self.events.get(i as usize))
            .map_or(0, |e| e.previous_event_id)
    }

    /// Records `EvaluationFailed` (← `prev`) and returns the state failure
    /// and the event's id.
    pub(super) fn evaluation_failed(
        &mut self,
        s: &State,
        entered: u64,
        prev: u64,
        q: QueryError,
    ) -> (StatesError, u64) {
        let cause = format!("{}{}", state_error_prefix(&s.name, entered), q.cause);
        let id = self.emit(
            prev,
            EventDetails::EvaluationFailed(EvaluationFailedEventDetails {
                error: Some(q.error.into()),
                cause: Some(cause.clone()),
                location: q.location,
                state: s.name.clone(),
            }),
        );
        (
            StatesError {
                error: Some(q.error.into()),
                cause: Some(cause),
            },
            id,
        )
    }

    /// `EvaluationFailed` linked as a sibling of the state's Entered event.
    fn eval_failed_flow(&mut self, s: &State, entered: u64, q: QueryError) -> Flow {
        let prev = self.entered_prev(entered);
        let (e, id) = self.evaluation_failed(s, entered, prev, q);
        Flow::Failed(e, id)
    }

    /// Runs a JSONata Pass, Succeed, Fail, Wait or Choice state after its
    /// Entered event; `None` for Task, Parallel and Map, whose JSONPath code
    /// paths branch into this module where they differ.
    pub(super) fn jsonata_state(
        &mut self,
        s: &State,
        raw: &Value,
        entered: u64,
        ctx: &Value,
    ) -> Result<Option<Flow>, EngineError> {
        let states = states_value(raw, ctx, None, None);
        macro_rules! tryq {
            ($e:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(q) => return Ok(Some(self.eval_failed_flow(s, entered, q))),
                }
            };
        }
        let flow = match &s.kind {
            StateKind::Pass { .. } | StateKind::Succeed => {
                let (out, assigned) =
                    tryq!(self.jx_assign_output(&s.assign, &s.output, &states, raw.clone()));
                let id = self.exited(s, &out, assigned, entered);
                if matches!(s.kind, StateKind::Succeed) {
                    Flow::End(out, id)
                } else {
                    self.transition(s, out, id)?
                }
            }
            StateKind::Fail(f) => {
                let error = tryq!(self.jx_fail_field(&f.error, "Error", &states));
                let cause = tryq!(self.jx_fail_field(&f.cause, "Cause", &states));
                Flow::Failed(StatesError { error, cause }, entered)
            }
            StateKind::Choice(c) => {
                let mut target = None;
                for (i, rule) in c.choices.iter().enumerate() {
                    let hit = match &rule.condition {
                        Condition::Jsonata(src) => {
                            let location = format!("Choices/{i}/Condition");
                            let v = tryq!(self.jx_typed(
                                &src.value,
                                &location,
                                &states,
                                "boolean",
                                Value::is_boolean
                            ));
                            v == Value::Bool(true)
                        }
                        _ => false,
                    };
                    if hit {
                        target = Some((rule.next.clone(), &rule.assign, &rule.output));
                        break;
                    }
                }
                let (next, assign, output) = match target {
                    Some(t) => t,
                    None => match &c.default {
                        Some(d) => (Some(d.clone()), &s.assign, &s.output),
                        None => {
                            return Ok(Some(Flow::Failed(
                                StatesError {
                                    error: Some("States.NoChoiceMatched".into()),
                                    cause: Some(format!("No Matches! in state '{}'", s.name)),
                                },
                                entered,
                            )))
                        }
                    },
                };
                let (out, assigned) =
                    tryq!(self.jx_assign_output(assign, output, &states, raw.clone()));
                let id = self.exited(s, &out, assigned, entered);
                let next = next.ok_or_else(|| {
                    EngineError::InvalidDefinition(format!(
                        "a Choice rule of {:?} has no Next",
                        s.name
                    ))
                })?;
                Flow::Next(next.value, out, id)
            }
            _ => return Ok(None),
        };
        Ok(Some(flow))
    }

    /// When a JSONata Wait state ends (its timer is set by the caller);
    /// `Err` is the state's failure.
    pub(super) fn jsonata_wait_due(
        &mut self,
        s: &State,
        w: &asl_core::model::Wait,
        raw: &Value,
        entered: u64,
        ctx: &Value,
    ) -> Result<i64, Flow> {
        let states = states_value(raw, ctx, None, None);
        let now = self.now();
        match self.jx_wait_due(w, raw, ctx, &states, now) {
            Ok(d) => Ok(d),
            Err(Ok(q)) => {
                let (e, id) = self.evaluation_failed(s, entered, entered, q);
                Err(Flow::Failed(e, id))
            }
            Err(Err(f)) => Err(Flow::Failed(state_error(s, entered, f), entered)),
        }
    }

    /// The end of a JSONata Wait state once its timer fired: `Output`,
    /// `Assign`, Exited.
    pub(super) fn jsonata_wait_finish(
        &mut self,
        s: &State,
        raw: &Value,
        entered: u64,
        ctx: &Value,
    ) -> Result<Flow, EngineError> {
        let states = states_value(raw, ctx, None, None);
        match self.jx_assign_output(&s.assign, &s.output, &states, raw.clone()) {
            Ok((out, assigned)) => {
                let id = self.exited(s, &out, assigned, entered);
                self.transition(s, out, id)
            }
            Err(q) => Ok(self.eval_failed_flow(s, entered, q)),
        }
    }

    /// Fail `Error` / `Cause`: a literal or an expression giving a string.
    fn jx_fail_field(
        &mut self,
        d: &Option<Dynamic>,
        location: &str,
        states: &Value,
    ) -> Result<Option<String>, QueryError> {
        match d {
            None | Some(Dynamic::Path(_)) => Ok(None),
            Some(Dynamic::Literal(Value::String(v))) => Ok(Some(v.clone())),
            Some(Dynamic::Literal(v)) => Ok(Some(text(v))),
            Some(Dynamic::Jsonata(src)) => {
                let v = self.jx_typed(&src.value, location, states, "string", Value::is_string)?;
                Ok(v.as_str().map(str::to_owned))
            }
        }
    }

    /// When a JSONata Wait ends: `Err(Ok(_))` is an evaluation failure,
    /// `Err(Err(_))` a runtime failure (delay too long) without an event.
    fn jx_wait_due(
        &mut self,
        w: &asl_core::model::Wait,
        raw: &Value,
        ctx: &Value,
        states: &Value,
        now: i64,
    ) -> Result<i64, Result<QueryError, EvalFailure>> {
        let too_long = || Err(Err(EvalFailure::runtime(WAIT_TOO_LONG_MESSAGE)));
        match (&w.seconds, &w.timestamp) {
            (Some(Dynamic::Jsonata(src)), _) => {
                let v = self
                    .jx_typed(&src.value, "Seconds", states, "number", Value::is_number)
                    .map_err(Ok)?;
                match whole_number(&v) {
                    Some(n) if n >= 0 => {
                        if n > asl_core::timestamp::MAX_WAIT_DELAY_SECONDS {
                            return too_long();
                        }
                        Ok(add_millis(now, n.saturating_mul(1000)))
                    }
                    _ => Err(Ok(QueryError::at(
                        "Seconds",
                        format!(
                            "The Seconds field must be a non-negative integer, but was: {}",
                            text(&v)
                        ),
                    ))),
                }
            }
            (_, Some(Dynamic::Jsonata(src))) => {
                let v = self.jx_eval(&src.value, "Timestamp", states).map_err(Ok)?;
                let shown = match &v {
                    Value::String(s) => s.clone(),
                    o => text(o),
                };
                match v.as_str().map(parse_runtime_timestamp) {
                    Some(Ok(t)) => wait_delay_millis(now, &t)
                        .map(|d| add_millis(now, d))
                        .or_else(|_| too_long()),
                    _ => Err(Ok(QueryError::at(
                        "Timestamp",
                        format!(
                            "The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: {shown}"
                        ),
                    ))),
                }
            }
            _ => self.wait_due(w, raw, ctx, now).map_err(Err),
        }
    }

    /// Task `TimeoutSeconds` / `HeartbeatSeconds` given as expressions;
    /// other forms pass through (already resolved by the caller).
    pub(super) fn jsonata_task_seconds(
        &mut self,
        s: &State,
        t: &asl_core::model::Task,
        resolved: (Option<u64>, Option<u64>),
        raw: &Value,
        ctx: &Value,
        entered: u64,
    ) -> Result<(Option<u64>, Option<u64>), Flow> {
        if !is_jsonata(s) {
            return Ok(resolved);
        }
        let states = states_value(raw, ctx, None, None);
        let one = |run: &mut Self, d: &Option<Dynamic>, field: &str, r: Option<u64>| {
            let Some(Dynamic::Jsonata(src)) = d else {
                return Ok(r);
            };
            let v = run.jx_typed(&src.value, field, &states, "number", Value::is_number)?;
            match whole_number(&v) {
                Some(n) if n > 0 => Ok(Some(n as u64)),
                _ => Err(QueryError::at(
                    field,
                    format!(
                        "The {field} field must be a positive integer, but was: {}",
                        text(&v)
                    ),
                )),
            }
        };
        let timeout = one(self, &t.timeout_seconds, "TimeoutSeconds", resolved.0)
            .map_err(|q| self.eval_failed_flow(s, entered, q))?;
        let heartbeat = one(self, &t.heartbeat_seconds, "HeartbeatSeconds", resolved.1)
            .map_err(|q| self.eval_failed_flow(s, entered, q))?;
        Ok((timeout, heartbeat))
    }

    /// Task `Credentials` with expressions.
    pub(super) fn jsonata_credentials(
        &mut self,
        s: &State,
        t: &asl_core::model::Task,
        resolved: Option<TaskCredentials>,
        raw: &Value,
        ctx: &Value,
        entered: u64,
    ) -> Result<Option<TaskCredentials>, Flow> {
        let (true, Some(c)) = (is_jsonata(s), &t.credentials) else {
            return Ok(resolved);
        };
        let states = states_value(raw, ctx, None, None);
        match self.jx_template(c, "Credentials", &states) {
            Ok(v) => Ok(Some(TaskCredentials {
                role_arn: v.get("RoleArn").and_then(Value::as_str).map(str::to_owned),
            })),
            Err(q) => Err(self.eval_failed_flow(s, entered, q)),
        }
    }

    /// `Arguments` of a JSONata Task / Parallel (default: the state input);
    /// JSONPath states keep `resolved`. A failure is catchable.
    pub(super) fn jsonata_arguments(
        &mut self,
        s: &State,
        resolved: Value,
        raw: &Value,
        ctx: &Value,
        entered: u64,
    ) -> Result<Value, (StatesError, u64)> {
        if !is_jsonata(s) {
            return Ok(resolved);
        }
        let Some(a) = &s.arguments else {
            return Ok(raw.clone());
        };
        let states = states_value(raw, ctx, None, None);
        self.jx_template(a, "Arguments", &states).map_err(|q| {
            let prev = self.entered_prev(entered);
            self.evaluation_failed(s, entered, prev, q)
        })
    }

    /// The success path of a JSONata Task / Parallel / Map: `Assign` and
    /// `Output` (default `$states.result`), Exited.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jsonata_finish(
        &mut self,
        s: &State,
        raw: &Value,
        result: Value,
        ctx: &Value,
        entered: u64,
        exit_prev: u64,
    ) -> Result<Attempt, EngineError> {
        let states = states_value(raw, ctx, Some(&result), None);
        match self.jx_assign_output(&s.assign, &s.output, &states, result.clone()) {
            Ok((out, assigned)) => {
                let id = self.exited(s, &out, assigned, exit_prev);
                Ok(Attempt::Done(self.transition(s, out, id)?))
            }
            Err(q) => {
                let prev = self.entered_prev(entered);
                let (e, id) = self.evaluation_failed(s, entered, prev, q);
                Ok(Attempt::Error(e, id))
            }
        }
    }

    /// A matched Catcher of a JSONata state: its `Assign` and `Output`
    /// (default: the error output) with `$states.errorOutput`; the state's
    /// own `Assign`/`Output` are not evaluated. A failure here is not
    /// caught again.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jsonata_catch(
        &mut self,
        s: &State,
        c: &Catcher,
        e: &StatesError,
        raw: &Value,
        ctx: &Value,
        entered: u64,
        failed_at: u64,
    ) -> Result<Flow, EngineError> {
        let err_out = e.error_output();
        let states = states_value(raw, ctx, None, Some(&err_out));
        let (out, assigned) =
            match self.jx_assign_output(&c.assign, &c.output, &states, err_out.clone()) {
                Ok(v) => v,
                Err(q) => return Ok(self.eval_failed_flow(s, entered, q)),
            };
        let id = self.exited(s, &out, assigned, failed_at);
        let next = c.next.as_ref().map(|n| n.value.clone()).ok_or_else(|| {
            EngineError::InvalidDefinition(format!("a Catch of {:?} has no Next", s.name))
        })?;
        Ok(Flow::Next(next, out, id))
    }

    /// Map `Items` (or the input, which must then be an array),
    /// `MaxConcurrency` and `ToleratedFailure*` of a JSONata Map. A failure
    /// records `EvaluationFailed` and `MapStateFailed` (no `MapStateStarted`)
    /// and goes to the Map's Retry/Catch.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jsonata_items(
        &mut self,
        s: &State,
        m: &MapState,
        resolved: Value,
        raw: &Value,
        ctx: &Value,
        entered: u64,
    ) -> Result<Value, Result<Flow, EngineError>> {
        if !is_jsonata(s) {
            return Ok(resolved);
        }
        let states = states_value(raw, ctx, None, None);
        let checked = self.jx_map_fields(m, raw, &states);
        match checked {
            Ok(items) => Ok(items),
            Err(q) => {
                let prev = self.entered_prev(entered);
                let (e, id) = self.evaluation_failed(s, entered, prev, q);
                Err(self.with_retry(s, raw, entered, ctx, |_, _, _| {
                    Ok(Attempt::Error(e.clone(), id))
                }))
            }
        }
    }

    /// A JSONata Map's `MaxConcurrency` expression, evaluated (already
    /// validated by [`Run::jsonata_items`]); `None` when not an expression.
    pub(super) fn jsonata_max_concurrency(
        &mut self,
        m: &MapState,
        raw: &Value,
        ctx: &Value,
    ) -> Option<i64> {
        let Some(Dynamic::Jsonata(src)) = &m.max_concurrency else {
            return None;
        };
        let states = states_value(raw, ctx, None, None);
        self.jx_typed(
            &src.value,
            "MaxConcurrency",
            &states,
            "number",
            Value::is_number,
        )
        .ok()
        .as_ref()
        .and_then(whole_number)
    }

    fn jx_map_fields(
        &mut self,
        m: &MapState,
        raw: &Value,
        states: &Value,
    ) -> Result<Value, QueryError> {
        for (field, d, float) in [
            ("MaxConcurrency", &m.max_concurrency, false),
            ("ToleratedFailureCount", &m.tolerated_failure_count, false),
            (
                "ToleratedFailurePercentage",
                &m.tolerated_failure_percentage,
                true,
            ),
        ] {
            if let Some(Dynamic::Jsonata(src)) = d {
                let v = self.jx_typed(&src.value, field, states, "number", Value::is_number)?;
                let ok = if float {
                    v.as_f64().is_some_and(|f| (0.0..=100.0).contains(&f))
                } else {
                    whole_number(&v).is_some_and(|n| n >= 0)
                };
                if !ok {
                    return Err(QueryError::at(
                        field,
                        format!("The {field} field has an invalid value: {}", text(&v)),
                    ));
                }
            }
        }
        match &m.items {
            Some(t) => {
                let v = match t {
                    Value::String(src) if jx::template_expression(src).is_some() => {
                        self.jx_typed(src, "Items", states, "array", Value::is_array)?
                    }
                    other => self.jx_template(other, "Items", states)?,
                };
                if v.is_array() {
                    Ok(v)
                } else {
                    Err(QueryError::at(
                        "Items",
                        format!(
                            "The field 'Items' must be an array, but was '{}' for value: {}",
                            jx::json_type_name(&v),
                            text(&v)
                        ),
                    ))
                }
            }
            None if raw.is_array() => Ok(raw.clone()),
            None => Err(QueryError {
                location: None,
                ..QueryError::at(
                    "",
                    format!("Map state input must be an array but was: {}", text(raw)),
                )
            }),
        }
    }

    /// A JSONata `ItemSelector` for item `index`: `$states.input` is the
    /// Map's input, `$states.context.Map.Item` the item. A failure fails the
    /// Map through its Retry/Catch.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn jsonata_item_selector(
        &mut self,
        s: &State,
        t: &Value,
        raw: &Value,
        index: usize,
        item: &Value,
        entered_time: &str,
        entered: u64,
    ) -> Result<Value, Attempt> {
        let ictx = self.context(
            &s.name,
            entered_time,
            CtxExtra {
                item: Some((index, item)),
                ..Default::default()
            },
        );
        let states = states_value(raw, &ictx, None, None);
        self.jx_template(t, "ItemSelector", &states).map_err(|q| {
            let prev = self.entered_prev(entered);
            let (e, id) = self.evaluation_failed(s, entered, prev, q);
            Attempt::Error(e, id)
        })
    }
}
