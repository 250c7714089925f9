//! JSONPath data flow: compiled paths and intrinsic calls, payload templates
//! (`.$` keys), the context object and variable scopes.
//!
//! Every path and intrinsic source string of a definition is parsed once,
//! when the execution is set up ([`Compiled::for_definition`]); evaluation
//! only looks the parsed form up. Error texts are AWS's (ASL-REFERENCE §4.3);
//! the `An error occurred while executing the state …` prefix is added by the
//! caller, which knows the state and its Entered event id.

use crate::rng::Rng;
use asl_core::intrinsic::{self, Call, EvalError, IntrinsicEnv};
use asl_core::jsonpath::{self, field_not_found_cause, Path, PathMiss, Root};
use asl_core::model::{Condition, Definition, Dynamic, NullablePath, Operand, StateKind};
use asl_core::span::Span;
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// A parsed `.$` value: a path or an intrinsic call (or the parse error).
#[derive(Debug, Clone)]
pub(crate) enum Expr {
    Path(Path),
    Call(Call),
    Invalid(String),
}

/// All path / intrinsic sources of a definition, parsed.
#[derive(Debug, Default)]
pub(crate) struct Compiled {
    exprs: BTreeMap<String, Expr>,
}

fn parse_expr(src: &str) -> Expr {
    if intrinsic::looks_like_call(src) {
        match intrinsic::parse(src) {
            Ok(c) => Expr::Call(c),
            Err(e) => Expr::Invalid(e.message),
        }
    } else {
        match jsonpath::parse(src) {
            Ok(p) => Expr::Path(p),
            Err(e) => Expr::Invalid(e.message),
        }
    }
}

impl Compiled {
    /// Parses every path and `.$` value of `def`.
    pub(crate) fn for_definition(def: &Definition) -> Self {
        let mut c = Compiled::default();
        for s in def.all_states() {
            for p in [&s.input_path, &s.output_path, &s.result_path]
                .into_iter()
                .flatten()
            {
                if let NullablePath::Path(p) = p {
                    c.add(&p.value);
                }
            }
            for t in [&s.parameters, &s.result_selector, &s.assign]
                .into_iter()
                .flatten()
            {
                c.add_template(t);
            }
            for cat in &s.catch {
                if let Some(NullablePath::Path(p)) = &cat.result_path {
                    c.add(&p.value);
                }
                if let Some(a) = &cat.assign {
                    c.add_template(a);
                }
            }
            let mut dynamics: Vec<&Dynamic> = Vec::new();
            match &s.kind {
                StateKind::Task(t) => {
                    dynamics.extend(t.timeout_seconds.iter());
                    dynamics.extend(t.heartbeat_seconds.iter());
                    if let Some(cr) = &t.credentials {
                        c.add_template(cr);
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
                    if let Some(p) = &m.items_path {
                        c.add(&p.value);
                    }
                    if let Some(t) = &m.item_selector {
                        c.add_template(t);
                    }
                    dynamics.extend(m.max_concurrency.iter());
                    dynamics.extend(m.tolerated_failure_count.iter());
                    dynamics.extend(m.tolerated_failure_percentage.iter());
                }
                StateKind::Choice(ch) => {
                    for r in &ch.choices {
                        c.add_condition(&r.condition);
                        if let Some(a) = &r.assign {
                            c.add_template(a);
                        }
                    }
                }
                _ => {}
            }
            for d in dynamics {
                if let Dynamic::Path(p) = d {
                    c.add(&p.value);
                }
            }
        }
        c
    }

    fn add(&mut self, src: &str) {
        if !self.exprs.contains_key(src) {
            self.exprs.insert(src.to_owned(), parse_expr(src));
        }
    }

    fn add_template(&mut self, v: &Value) {
        match v {
            Value::Object(m) => {
                for (k, x) in m {
                    match x {
                        Value::String(s) if k.ends_with(".$") => self.add(s),
                        other => self.add_template(other),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| self.add_template(x)),
            _ => {}
        }
    }

    fn add_condition(&mut self, c: &Condition) {
        match c {
            Condition::And(v) | Condition::Or(v) => v.iter().for_each(|x| self.add_condition(x)),
            Condition::Not(x) => self.add_condition(x),
            Condition::Compare {
                variable, operand, ..
            } => {
                self.add(&variable.value);
                if let Operand::Path(p) = operand {
                    self.add(&p.value);
                }
            }
            _ => {}
        }
    }

    /// The parsed form of `src` (parsed now if the definition walk missed it).
    pub(crate) fn expr(&self, src: &str) -> std::borrow::Cow<'_, Expr> {
        match self.exprs.get(src) {
            Some(e) => std::borrow::Cow::Borrowed(e),
            None => std::borrow::Cow::Owned(parse_expr(src)),
        }
    }
}

/// Variable scopes: outermost first. Reads search inner to outer; writes go
/// to the innermost scope (ASL-REFERENCE §6.3).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scopes {
    frames: Vec<BTreeMap<String, Value>>,
}

impl Scopes {
    pub(crate) fn new() -> Self {
        Scopes {
            frames: vec![BTreeMap::new()],
        }
    }
    pub(crate) fn get(&self, name: &str) -> Option<&Value> {
        self.frames.iter().rev().find_map(|f| f.get(name))
    }
    pub(crate) fn push(&mut self) {
        self.frames.push(BTreeMap::new());
    }
    #[allow(dead_code)]
    pub(crate) fn pop(&mut self) {
        if self.frames.len() > 1 {
            self.frames.pop();
        }
    }
    pub(crate) fn set(&mut self, name: String, v: Value) {
        if let Some(f) = self.frames.last_mut() {
            f.insert(name, v);
        }
    }
}

/// Everything an expression can read.
pub(crate) struct Env<'e> {
    pub compiled: &'e Compiled,
    pub input: &'e Value,
    pub context: &'e Value,
    pub vars: &'e Scopes,
    pub rng: &'e mut Rng,
}

/// Why an evaluation failed: error name and cause (without the state prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EvalFailure {
    pub error: String,
    pub cause: String,
}

impl EvalFailure {
    pub(crate) fn runtime(cause: impl Into<String>) -> Self {
        EvalFailure {
            error: "States.Runtime".into(),
            cause: cause.into(),
        }
    }
}

/// A path miss: where the path broke, or an undefined variable.
#[derive(Debug)]
pub(crate) enum Miss {
    Path(PathMiss),
    UndefinedVariable(String),
    Invalid(String),
}

impl Miss {
    /// `Invalid path '<src>' : <detail>`.
    pub(crate) fn invalid_path_cause(&self, src: &str) -> String {
        match self {
            Miss::Path(m) => m.invalid_path_cause(src),
            Miss::UndefinedVariable(v) => {
                format!("Invalid path '{src}' : The variable '{v}' is not defined")
            }
            Miss::Invalid(m) => format!("Invalid path '{src}' : {m}"),
        }
    }
}

/// Selects `path` with `$` = `input`.
pub(crate) fn select_with(
    input: &Value,
    context: &Value,
    vars: &Scopes,
    path: &Path,
) -> Result<Value, Miss> {
    let doc = match path.root() {
        Root::Input => input,
        Root::Context => context,
        Root::Variable(v) => vars
            .get(v)
            .ok_or_else(|| Miss::UndefinedVariable(v.clone()))?,
    };
    path.select(doc).map_err(Miss::Path)
}

/// Selects the path source `src` with `$` = `input`.
pub(crate) fn select_src_with(
    compiled: &Compiled,
    input: &Value,
    context: &Value,
    vars: &Scopes,
    src: &str,
) -> Result<Value, Miss> {
    match &*compiled.expr(src) {
        Expr::Path(p) => select_with(input, context, vars, p),
        Expr::Call(_) => Err(Miss::Invalid("an intrinsic function is not a path".into())),
        Expr::Invalid(m) => Err(Miss::Invalid(m.clone())),
    }
}

impl Env<'_> {
    /// Selects a path against the document its root names.
    pub(crate) fn select(&self, path: &Path) -> Result<Value, Miss> {
        select_with(self.input, self.context, self.vars, path)
    }

    /// Selects the path source `src` (a path, never an intrinsic).
    pub(crate) fn select_src(&self, src: &str) -> Result<Value, Miss> {
        select_src_with(self.compiled, self.input, self.context, self.vars, src)
    }

    /// Evaluates a `.$` value (path or intrinsic) for the field `field`.
    pub(crate) fn expr(&mut self, src: &str, field: &str) -> Result<Value, EvalFailure> {
        let compiled = self.compiled;
        match &*compiled.expr(src) {
            Expr::Path(p) => self.select(p).map_err(|m| match m {
                Miss::Path(_) | Miss::UndefinedVariable(_) => {
                    EvalFailure::runtime(field_not_found_cause(src, field, self.input))
                }
                Miss::Invalid(msg) => EvalFailure::runtime(msg),
            }),
            Expr::Call(c) => c.evaluate(self).map_err(|e| EvalFailure {
                error: e.error,
                cause: e.cause,
            }),
            Expr::Invalid(m) => Err(EvalFailure::runtime(m.clone())),
        }
    }

    /// Evaluates a payload template (`Parameters`, `ResultSelector`,
    /// `ItemSelector`, `Assign`, `Credentials`).
    pub(crate) fn template(&mut self, t: &Value) -> Result<Value, EvalFailure> {
        match t {
            Value::Object(m) => {
                let mut out = Map::new();
                for (k, x) in m {
                    match (k.strip_suffix(".$"), x) {
                        (Some(name), Value::String(src)) => {
                            let v = self.expr(src, k)?;
                            out.insert(name.to_owned(), v);
                        }
                        _ => {
                            let v = self.template(x)?;
                            out.insert(k.clone(), v);
                        }
                    }
                }
                Ok(Value::Object(out))
            }
            Value::Array(a) => Ok(Value::Array(
                a.iter()
                    .map(|x| self.template(x))
                    .collect::<Result<_, _>>()?,
            )),
            other => Ok(other.clone()),
        }
    }

    /// `Assign`: the variables to set, in the template's order, evaluated
    /// against the current (pre-state) values.
    pub(crate) fn assign(&mut self, t: &Value) -> Result<Vec<(String, Value)>, EvalFailure> {
        let mut out = Vec::new();
        if let Value::Object(m) = t {
            for (k, x) in m {
                match (k.strip_suffix(".$"), x) {
                    (Some(name), Value::String(src)) => {
                        let v = self.expr(src, k)?;
                        out.push((name.to_owned(), v));
                    }
                    _ => out.push((k.clone(), self.template(x)?)),
                }
            }
        }
        Ok(out)
    }
}

impl IntrinsicEnv for Env<'_> {
    fn resolve_path(&mut self, path: &str, span: Span) -> Result<Value, EvalError> {
        self.select_src(path)
            .map_err(|m| EvalError::runtime(m.invalid_path_cause(path), span))
    }

    fn random_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}

/// Applies an `InputPath` / `OutputPath`: absent → the value, `null` → `{}`.
pub(crate) fn apply_path(
    env: &Env<'_>,
    p: &Option<NullablePath>,
    v: &Value,
) -> Result<Value, EvalFailure> {
    match p {
        None => Ok(v.clone()),
        Some(NullablePath::Null) => Ok(Value::Object(Map::new())),
        Some(NullablePath::Path(p)) => {
            select_src_with(env.compiled, v, env.context, env.vars, &p.value)
                .map_err(|m| EvalFailure::runtime(m.invalid_path_cause(&p.value)))
        }
    }
}

/// Applies a `ResultPath` to the raw state input.
pub(crate) fn apply_result_path(
    p: &Option<NullablePath>,
    raw: &Value,
    result: Value,
) -> Result<Value, EvalFailure> {
    match p {
        None => Ok(result),
        Some(NullablePath::Null) => Ok(raw.clone()),
        Some(NullablePath::Path(p)) => {
            let path = match jsonpath::parse_reference_path(&p.value) {
                Ok(path) => path,
                Err(e) => return Err(EvalFailure::runtime(e.message)),
            };
            let mut out = raw.clone();
            match path.set(&mut out, result) {
                Ok(()) => Ok(out),
                Err(e) => Err(EvalFailure {
                    error: jsonpath::RESULT_PATH_MATCH_FAILURE.into(),
                    cause: e.cause(&p.value, raw),
                }),
            }
        }
    }
}
