//! The evaluator: a node-for-node port of jsonata-js 2.0.6's `evaluate`
//! (paths and tuple streams, predicates, grouping, sorting, functions,
//! closures with tail calls, transforms), with resource limits.

use super::ast::{BinaryOp, Expr, ExprKind, Group, SortTerm, Stage};
use super::functions;
use super::regex::JsRegex;
use super::signature::Sig;
use super::value::{
    append, boolean, deep_clone, deep_equal, from_json, is_integer, js_str_cmp, js_stringify,
    sequence_of, strict_equal, to_json, Array, Func, Key, Lambda, Object, ToJsonError, Tuple,
    Value,
};
use crate::span::Span;
use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::rc::{Rc, Weak};

/// What an evaluation needs from its host (the state machine engine).
pub trait JsonataEnv {
    /// The value of `$name` (without the `$`) when no binding inside the
    /// expression shadows it: `$states`, workflow variables. `None` when
    /// unbound (built-in functions are looked up after this).
    fn variable(&self, name: &str) -> Option<serde_json::Value>;

    /// A uniformly distributed number in `[0, 1)` for `$random()`,
    /// `$shuffle()` (from the engine's seeded generator).
    fn random_f64(&mut self) -> f64;

    /// The (virtual) current time in milliseconds since the Unix epoch, for
    /// `$now()` and `$millis()`. Read once per evaluation.
    fn now_millis(&self) -> i64;

    /// 64 random bits for `$uuid()`; by default built from two
    /// [`JsonataEnv::random_f64`] draws.
    fn random_u64(&mut self) -> u64 {
        let hi = (self.random_f64() * 4294967296.0) as u64 & 0xFFFF_FFFF;
        let lo = (self.random_f64() * 4294967296.0) as u64 & 0xFFFF_FFFF;
        (hi << 32) | lo
    }
}

/// A JSONata evaluation error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// jsonata-js error code (`T1006`, `D3001`, …); `U1001` for resource
    /// limits; [`EvalError::UNSUPPORTED_RESULT`] for a function result.
    pub code: &'static str,
    /// jsonata-js's message with its inserts filled in.
    pub message: String,
    /// Bytes of the expression text where the error arose.
    pub span: Span,
}

impl EvalError {
    /// Code of the error returned when the result is a function (or contains
    /// one): AWS reports "returned an unsupported result type".
    pub const UNSUPPORTED_RESULT: &'static str = "X0001";

    pub(crate) fn new(code: &'static str, message: impl Into<String>, span: Span) -> Self {
        EvalError {
            code,
            message: message.into(),
            span,
        }
    }

    pub(crate) fn stack_overflow(span: Span) -> Self {
        EvalError::new(
            "U1001",
            "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
            span,
        )
    }

    /// True for the "unsupported result type" pseudo-error.
    pub fn is_unsupported_result(&self) -> bool {
        self.code == Self::UNSUPPORTED_RESULT
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for EvalError {}

/// Resource limits for one evaluation.
#[derive(Clone, Debug)]
pub struct EvalLimits {
    /// Maximum nesting of evaluation (eval-apply cycles): deep non-tail
    /// recursion fails with `U1001`.
    pub max_depth: usize,
    /// Maximum native stack the evaluation may use, in bytes, measured from
    /// its entry (the caller must have this much free stack plus a margin).
    pub max_stack_bytes: usize,
    /// Maximum number of evaluation steps (node evaluations and function
    /// applications): runaway loops, including tail-recursive ones, fail
    /// with `U1001`.
    pub max_steps: u64,
    /// Maximum length of a sequence built by `..`, `$range`, `$pad` & co.
    pub max_sequence: usize,
    /// Maximum length in bytes of a string built by `&`, `$join`, `$pad`,
    /// `$replace`, `$string`, …
    pub max_string_bytes: usize,
}

impl Default for EvalLimits {
    fn default() -> Self {
        EvalLimits {
            max_depth: 2000,
            // Debug builds use about five times more stack per level.
            max_stack_bytes: if cfg!(debug_assertions) {
                3 << 19
            } else {
                1 << 20
            },
            max_steps: 5_000_000,
            max_sequence: 10_000_000,
            max_string_bytes: 64 << 20,
        }
    }
}

/// Evaluates `expr` against `input` (`None`: no input) with default
/// [`EvalLimits`]. `Ok(None)` is JSONata's *undefined*.
pub fn evaluate(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    env: &mut dyn JsonataEnv,
) -> Result<Option<serde_json::Value>, EvalError> {
    evaluate_with_limits(expr, input, env, &EvalLimits::default())
}

/// [`evaluate`] with explicit limits.
pub fn evaluate_with_limits(
    expr: &Expr,
    input: Option<&serde_json::Value>,
    env: &mut dyn JsonataEnv,
    limits: &EvalLimits,
) -> Result<Option<serde_json::Value>, EvalError> {
    let input = input.map(from_json).unwrap_or(Value::Undefined);
    let mut ev = Evaluator::new(env, limits.clone());
    let root = Frame::new(None);
    root.bind(Key::Name("$"), input.clone());
    let context = match &input {
        Value::Array(_) => Value::Array(Rc::new(Array {
            items: vec![input.clone()],
            sequence: true,
            outer_wrapper: true,
            ..Default::default()
        })),
        _ => input,
    };
    let result = ev.eval(expr, &context, &root);
    ev.release(&root);
    drop(context);
    let value = result?;
    let out = to_json(&value).map_err(|e| match e {
        ToJsonError::Function => EvalError::new(
            EvalError::UNSUPPORTED_RESULT,
            "The expression returned an unsupported result type",
            expr.span,
        ),
        ToJsonError::NonFinite => EvalError::new("D1001", "Number out of range: null", expr.span),
        ToJsonError::TooDeep => EvalError::stack_overflow(expr.span),
    });
    drop(value);
    out
}

// ---------------------------------------------------------------------------
// Frames

/// A scope: variable bindings (and tuple/parent bindings) chained to the
/// enclosing scope.
pub(crate) struct Frame<'a> {
    binds: RefCell<Vec<(Key<'a>, Value<'a>)>>,
    parent: RefCell<Option<Rc<Frame<'a>>>>,
}

impl<'a> Frame<'a> {
    pub(crate) fn new(parent: Option<Rc<Frame<'a>>>) -> Rc<Frame<'a>> {
        Rc::new(Frame {
            binds: RefCell::new(Vec::new()),
            parent: RefCell::new(parent),
        })
    }

    pub(crate) fn bind(&self, key: Key<'a>, value: Value<'a>) {
        let mut b = self.binds.borrow_mut();
        if let Some(slot) = b.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            b.push((key, value));
        }
    }

    pub(crate) fn lookup(frame: &Rc<Frame<'a>>, key: Key<'a>) -> Option<Value<'a>> {
        let mut cur = frame.clone();
        loop {
            if let Some((_, v)) = cur.binds.borrow().iter().find(|(k, _)| *k == key) {
                return Some(v.clone());
            }
            let next = cur.parent.borrow().clone();
            match next {
                Some(p) => cur = p,
                None => return None,
            }
        }
    }

    fn clear(&self) {
        let binds = std::mem::take(&mut *self.binds.borrow_mut());
        let parent = self.parent.borrow_mut().take();
        drop(binds);
        drop(parent);
    }
}

/// The outcome of evaluating in tail position: a value, or a call still to
/// be made (trampolined by [`Evaluator::apply`]).
pub(crate) enum Tail<'a> {
    Done(Value<'a>),
    Call {
        proc: Value<'a>,
        args: Vec<Value<'a>>,
        span: Span,
        name: Option<&'a str>,
    },
}

type R<T> = Result<T, EvalError>;

type Handler<'a, 'e> =
    fn(&mut Evaluator<'a, 'e>, &'a Expr, &Value<'a>, &Rc<Frame<'a>>) -> R<Value<'a>>;

/// Quotes a token as `JSON.stringify` does in jsonata-js messages.
pub(crate) fn q(s: &str) -> String {
    js_stringify(&Value::str(s))
}

/// Evaluation state.
pub(crate) struct Evaluator<'a, 'e> {
    pub(crate) env: &'e mut dyn JsonataEnv,
    pub(crate) limits: EvalLimits,
    steps: u64,
    depth: usize,
    stack_base: usize,
    pub(crate) now: i64,
    var_cache: HashMap<&'a str, Value<'a>>,
    regex_cache: HashMap<*const Expr, Rc<JsRegex>>,
    sig_cache: HashMap<*const Expr, Rc<Sig>>,
    captured: Vec<Weak<Frame<'a>>>,
    compact_at: usize,
}

fn stack_address() -> usize {
    let marker = 0u8;
    std::hint::black_box(&marker) as *const u8 as usize
}

impl<'a, 'e> Evaluator<'a, 'e> {
    fn new(env: &'e mut dyn JsonataEnv, limits: EvalLimits) -> Self {
        let now = env.now_millis();
        Evaluator {
            env,
            limits,
            steps: 0,
            depth: 0,
            stack_base: stack_address(),
            now,
            var_cache: HashMap::new(),
            regex_cache: HashMap::new(),
            sig_cache: HashMap::new(),
            captured: Vec::new(),
            compact_at: 64,
        }
    }

    /// Breaks reference cycles between closures and the frames they capture.
    fn release(&mut self, root: &Rc<Frame<'a>>) {
        for w in std::mem::take(&mut self.captured) {
            if let Some(f) = w.upgrade() {
                f.clear();
            }
        }
        root.clear();
        self.var_cache.clear();
    }

    fn capture(&mut self, frame: &Rc<Frame<'a>>) {
        self.captured.push(Rc::downgrade(frame));
        if self.captured.len() >= self.compact_at {
            self.captured.retain(|w| w.strong_count() > 0);
            self.compact_at = (self.captured.len() * 2).max(64);
        }
    }

    /// Counts a step and checks the depth, stack and step limits.
    pub(crate) fn enter(&mut self, span: Span) -> R<()> {
        self.depth += 1;
        self.steps += 1;
        if self.depth > self.limits.max_depth
            || self.stack_base.abs_diff(stack_address()) > self.limits.max_stack_bytes
        {
            self.depth -= 1;
            return Err(EvalError::stack_overflow(span));
        }
        if self.steps > self.limits.max_steps {
            self.depth -= 1;
            return Err(EvalError::new(
                "U1001",
                "Expression evaluation timeout: Check for infinite loop",
                span,
            ));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self) {
        self.depth -= 1;
    }

    /// Checks a sequence length against the limit.
    pub(crate) fn check_len(&self, n: usize, span: Span) -> R<()> {
        if n > self.limits.max_sequence {
            return Err(EvalError::new(
                "D2015",
                format!(
                    "The maximum sequence length of {} was exceeded.",
                    self.limits.max_sequence
                ),
                span,
            ));
        }
        Ok(())
    }

    /// Checks a string length against the limit.
    pub(crate) fn check_str(&self, n: usize, span: Span) -> R<()> {
        if n > self.limits.max_string_bytes {
            return Err(EvalError::new(
                "D2016",
                format!(
                    "The maximum string length of {} bytes was exceeded.",
                    self.limits.max_string_bytes
                ),
                span,
            ));
        }
        Ok(())
    }

    // -----------------------------------------------------------------------
    // evaluate

    pub(crate) fn eval(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        self.enter(expr.span)?;
        let r = self.eval_node(expr, input, env);
        self.leave();
        r
    }

    fn eval_node(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        // A thin dispatcher through a function pointer keeps this frame (on
        // every level of recursion) small, even in debug builds.
        let handler: Handler<'a, 'e> = match &expr.kind {
            ExprKind::Path { .. } => Self::h_path,
            ExprKind::Binary { .. } => Self::h_binary,
            ExprKind::Negate(_) => Self::h_negate,
            ExprKind::Array(_) => Self::h_array,
            ExprKind::Object(_) => Self::h_object,
            ExprKind::Condition { .. } => Self::h_condition,
            ExprKind::Elvis { .. } | ExprKind::Coalesce { .. } => Self::h_default,
            ExprKind::Block(_) => Self::h_block,
            ExprKind::Bind { .. } => Self::h_bind,
            ExprKind::Call { partial: false, .. } => Self::h_call,
            ExprKind::Call { partial: true, .. } => Self::h_partial,
            ExprKind::Variable(_) => Self::h_variable,
            ExprKind::Lambda { .. } => Self::h_lambda,
            ExprKind::Apply { .. } => Self::h_apply,
            _ => Self::h_leaf,
        };
        let result = handler(self, expr, input, env)?;
        if expr.predicate.is_empty() && expr.group.is_none() && !result.is_sequence() {
            return Ok(result);
        }
        self.post_process(expr, result, env)
    }

    #[inline(never)]
    fn post_process(
        &mut self,
        expr: &'a Expr,
        mut result: Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        for stage in &expr.predicate {
            if let Stage::Filter { expr: p, .. } = stage {
                result = self.eval_filter(p, result, env)?;
            }
        }
        if !matches!(expr.kind, ExprKind::Path { .. }) {
            if let Some(g) = &expr.group {
                result = self.eval_group_expr(g, result, env)?;
            }
        }
        Ok(unwrap_sequence(result, expr.keep_array))
    }

    #[inline(never)]
    fn h_path(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Path {
            steps,
            keep_singleton_array,
        } = &expr.kind
        else {
            unreachable!()
        };
        self.eval_path(expr, steps, *keep_singleton_array, input, env)
    }

    #[inline(never)]
    fn h_binary(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Binary { op, lhs, rhs } = &expr.kind else {
            unreachable!()
        };
        self.eval_binary(expr, *op, lhs, rhs, input, env)
    }

    #[inline(never)]
    fn h_negate(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Negate(inner) = &expr.kind else {
            unreachable!()
        };
        self.eval_negate(expr, inner, input, env)
    }

    #[inline(never)]
    fn h_array(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Array(items) = &expr.kind else {
            unreachable!()
        };
        self.eval_array(expr, items, input, env)
    }

    #[inline(never)]
    fn h_object(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Object(pairs) = &expr.kind else {
            unreachable!()
        };
        self.eval_group(pairs, input.clone(), env, expr.span)
    }

    #[inline(never)]
    fn h_condition(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let ExprKind::Condition {
            condition,
            then,
            otherwise,
        } = &expr.kind
        else {
            unreachable!()
        };
        let c = self.eval(condition, input, env)?;
        if boolean(&c).unwrap_or(false) {
            self.eval(then, input, env)
        } else if let Some(o) = otherwise {
            self.eval(o, input, env)
        } else {
            Ok(Value::Undefined)
        }
    }

    #[inline(never)]
    fn h_default(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let (lhs, rhs, elvis) = match &expr.kind {
            ExprKind::Elvis { lhs, rhs } => (lhs, rhs, true),
            ExprKind::Coalesce { lhs, rhs } => (lhs, rhs, false),
            _ => unreachable!(),
        };
        let l = self.eval(lhs, input, env)?;
        let keep = if elvis {
            boolean(&l).unwrap_or(false)
        } else {
            !l.is_undefined()
        };
        if keep {
            Ok(l)
        } else {
            self.eval(rhs, input, env)
        }
    }

    #[inline(never)]
    fn h_block(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Block(exprs) = &expr.kind else {
            unreachable!()
        };
        self.eval_block(exprs, input, env)
    }

    #[inline(never)]
    fn h_bind(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Bind { name, value } = &expr.kind else {
            unreachable!()
        };
        let v = self.eval(value, input, env)?;
        env.bind(Key::Name(name), v.clone());
        Ok(v)
    }

    #[inline(never)]
    fn h_call(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Call {
            procedure, args, ..
        } = &expr.kind
        else {
            unreachable!()
        };
        self.eval_call(expr, procedure, args, input, env, None)
    }

    #[inline(never)]
    fn h_partial(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let ExprKind::Call {
            procedure, args, ..
        } = &expr.kind
        else {
            unreachable!()
        };
        self.eval_partial(expr, procedure, args, input, env)
    }

    #[inline(never)]
    fn h_variable(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let ExprKind::Variable(name) = &expr.kind else {
            unreachable!()
        };
        Ok(if name.is_empty() {
            match input {
                Value::Array(a) if a.outer_wrapper => {
                    a.items.first().cloned().unwrap_or(Value::Undefined)
                }
                other => other.clone(),
            }
        } else {
            self.lookup_var(name, env)
        })
    }

    #[inline(never)]
    fn h_lambda(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Lambda {
            params,
            signature,
            body,
        } = &expr.kind
        else {
            unreachable!()
        };
        let signature = signature.as_ref().map(|s| self.signature(expr, &s.text));
        self.capture(env);
        Ok(Value::Function(Rc::new(Func::Lambda(Lambda {
            params,
            signature,
            body,
            input: input.clone(),
            env: env.clone(),
        }))))
    }

    #[inline(never)]
    fn h_apply(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        let ExprKind::Apply { lhs, rhs } = &expr.kind else {
            unreachable!()
        };
        self.eval_apply(expr, lhs, rhs, input, env)
    }

    #[inline(never)]
    fn h_leaf(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Value<'a>> {
        Ok(match &expr.kind {
            ExprKind::Name(name) => lookup_field(input, name),
            ExprKind::String(s) => Value::str(s),
            ExprKind::Number(n) => Value::Number(*n),
            ExprKind::Bool(b) => Value::Bool(*b),
            ExprKind::Null => Value::Null,
            ExprKind::Wildcard => eval_wildcard(input),
            ExprKind::Descendant => eval_descendants(input),
            ExprKind::Parent { label } => {
                Frame::lookup(env, Key::Label(*label)).unwrap_or(Value::Undefined)
            }
            ExprKind::Regex { .. } => Value::Function(Rc::new(Func::Regex(self.regex(expr)?))),
            ExprKind::Transform { .. } => {
                self.capture(env);
                Value::Function(Rc::new(Func::Transform {
                    expr,
                    env: env.clone(),
                }))
            }
            _ => Value::Undefined,
        })
    }

    fn regex(&mut self, expr: &'a Expr) -> R<Rc<JsRegex>> {
        let key = expr as *const Expr;
        if let Some(r) = self.regex_cache.get(&key) {
            return Ok(r.clone());
        }
        let ExprKind::Regex { pattern, flags } = &expr.kind else {
            return Err(EvalError::new("S0302", "Not a regex", expr.span));
        };
        let re = Rc::new(
            JsRegex::new(pattern, flags).map_err(|m| EvalError::new("S0303", m, expr.span))?,
        );
        self.regex_cache.insert(key, re.clone());
        Ok(re)
    }

    fn signature(&mut self, expr: &'a Expr, text: &str) -> Rc<Sig> {
        let key = expr as *const Expr;
        self.sig_cache
            .entry(key)
            .or_insert_with(|| Rc::new(Sig::parse(text)))
            .clone()
    }

    /// `$name` lookup: scopes, then the host's variables, then built-ins.
    pub(crate) fn lookup_var(&mut self, name: &'a str, env: &Rc<Frame<'a>>) -> Value<'a> {
        if let Some(v) = Frame::lookup(env, Key::Name(name)) {
            return v;
        }
        if let Some(v) = self.var_cache.get(name) {
            return v.clone();
        }
        let v = match self.env.variable(name) {
            Some(j) => from_json(&j),
            None => match functions::builtin_index(name) {
                Some(i) => Value::Function(Rc::new(Func::Builtin(i))),
                None => Value::Undefined,
            },
        };
        self.var_cache.insert(name, v.clone());
        v
    }

    #[inline(never)]
    fn eval_block(
        &mut self,
        exprs: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let frame = Frame::new(Some(env.clone()));
        let mut result = Value::Undefined;
        for e in exprs {
            result = self.eval(e, input, &frame)?;
        }
        Ok(result)
    }

    // -----------------------------------------------------------------------
    // Paths

    #[inline(never)]
    fn eval_path(
        &mut self,
        expr: &'a Expr,
        steps: &'a [Expr],
        keep_singleton: bool,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let first_is_var = steps
            .first()
            .is_some_and(|s| matches!(s.kind, ExprKind::Variable(_)));
        let mut input_seq = match input {
            Value::Array(_) if !first_is_var => input.clone(),
            _ => sequence_of(input.clone()),
        };
        let mut result_seq = Value::Undefined;
        let mut is_tuple = false;
        let mut tuples: Option<Vec<Tuple<'a>>> = None;
        let last = steps.len().saturating_sub(1);
        for (ii, step) in steps.iter().enumerate() {
            if step.tuple {
                is_tuple = true;
            }
            if ii == 0 && step.cons_array {
                result_seq = self.eval(step, &input_seq, env)?;
            } else if is_tuple {
                tuples = Some(self.eval_tuple_step(step, &input_seq, tuples.take(), env)?);
            } else {
                result_seq = self.eval_step(step, &input_seq, env, ii == last)?;
            }
            if !is_tuple {
                let empty = match &result_seq {
                    Value::Undefined => true,
                    Value::Array(a) => a.items.is_empty(),
                    _ => false,
                };
                if empty {
                    break;
                }
            }
            if step.focus.is_none() {
                input_seq = result_seq.clone();
            }
        }
        let mut tuple_stream = None;
        if is_tuple {
            let t = Rc::new(tuples.take().unwrap_or_default());
            if expr.tuple {
                result_seq = Value::Tuples(t.clone());
            } else {
                result_seq = Value::seq(t.iter().map(|t| t.at.clone()).collect());
            }
            tuple_stream = Some(t);
        }
        if keep_singleton {
            if let Value::Array(a) = &mut result_seq {
                {
                    if a.cons && !a.sequence {
                        result_seq = Value::Array(Rc::new(Array {
                            items: vec![result_seq.clone()],
                            sequence: true,
                            keep_singleton: true,
                            ..Default::default()
                        }));
                    } else {
                        Rc::make_mut(a).keep_singleton = true;
                    }
                }
            }
        }
        if let Some(g) = &expr.group {
            let grouped = match tuple_stream {
                Some(t) => Value::Tuples(t),
                None => result_seq,
            };
            result_seq = self.eval_group_expr(g, grouped, env)?;
        }
        Ok(result_seq)
    }

    /// Items of a step's input sequence (non-arrays have none, as in
    /// jsonata-js where `input.length` is undefined).
    fn seq_items(v: &Value<'a>) -> Vec<Value<'a>> {
        match v {
            Value::Array(a) => a.items.clone(),
            Value::Tuples(t) => t.iter().map(|t| t.at.clone()).collect(),
            _ => Vec::new(),
        }
    }

    #[inline(never)]
    fn eval_step(
        &mut self,
        step: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
        last_step: bool,
    ) -> R<Value<'a>> {
        if let ExprKind::Sort(terms) = &step.kind {
            let items = Self::seq_items(input);
            let mut result = if items.len() <= 1 {
                input.clone()
            } else {
                let sorted = self.sort_values(terms, items, env, step.span)?;
                Value::array(sorted)
            };
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    result = self.eval_filter(expr, result, env)?;
                }
            }
            return Ok(result);
        }
        let mut results: Vec<Value<'a>> = Vec::new();
        for item in Self::seq_items(input) {
            let mut res = self.eval(step, &item, env)?;
            for stage in &step.stages {
                if let Stage::Filter { expr, .. } = stage {
                    res = self.eval_filter(expr, res, env)?;
                }
            }
            if !res.is_undefined() {
                results.push(res);
            }
        }
        if last_step && results.len() == 1 {
            if let Value::Array(a) = &results[0] {
                if !a.sequence {
                    return Ok(results.pop().unwrap_or(Value::Undefined));
                }
            }
        }
        let mut out = Vec::with_capacity(results.len());
        for res in results {
            match res {
                Value::Array(a) if !a.cons => out.extend(a.items.iter().cloned()),
                Value::Tuples(t) => out.extend(t.iter().map(|t| t.at.clone())),
                other => out.push(other),
            }
        }
        self.check_len(out.len(), step.span)?;
        Ok(Value::seq(out))
    }

    #[inline(never)]
    fn eval_tuple_step(
        &mut self,
        step: &'a Expr,
        input: &Value<'a>,
        bindings: Option<Vec<Tuple<'a>>>,
        env: &Rc<Frame<'a>>,
    ) -> R<Vec<Tuple<'a>>> {
        if let ExprKind::Sort(terms) = &step.kind {
            let mut result = match bindings {
                Some(b) => {
                    if b.len() <= 1 {
                        b
                    } else {
                        self.sort_tuples(terms, b, env, step.span)?
                    }
                }
                None => {
                    let items = Self::seq_items(input);
                    let sorted = if items.len() <= 1 {
                        items
                    } else {
                        self.sort_values(terms, items, env, step.span)?
                    };
                    sorted
                        .into_iter()
                        .enumerate()
                        .map(|(i, v)| {
                            let mut t = Tuple::new(v);
                            if let Some(ix) = &step.index {
                                t.set(Key::Name(ix), Value::Number(i as f64));
                            }
                            t
                        })
                        .collect()
                }
            };
            result = self.eval_stages(&step.stages, result, env)?;
            return Ok(result);
        }
        let bindings = bindings
            .unwrap_or_else(|| Self::seq_items(input).into_iter().map(Tuple::new).collect());
        let mut result = Vec::new();
        for t in &bindings {
            let step_env = frame_from_tuple(env, t);
            let res = self.eval(step, &t.at, &step_env)?;
            match res {
                Value::Undefined => {}
                Value::Tuples(ts) => {
                    for rt in ts.iter() {
                        let mut tuple = t.clone();
                        tuple.at = rt.at.clone();
                        for (k, v) in &rt.binds {
                            tuple.set(*k, v.clone());
                        }
                        result.push(tuple);
                    }
                }
                other => {
                    let items = match &other {
                        Value::Array(a) => a.items.clone(),
                        _ => vec![other.clone()],
                    };
                    for (bb, v) in items.into_iter().enumerate() {
                        let mut tuple = t.clone();
                        if let Some(f) = &step.focus {
                            tuple.set(Key::Name(f), v);
                        } else {
                            tuple.at = v;
                        }
                        if let Some(ix) = &step.index {
                            tuple.set(Key::Name(ix), Value::Number(bb as f64));
                        }
                        if let Some(label) = step.ancestor {
                            tuple.set(Key::Label(label), t.at.clone());
                        }
                        result.push(tuple);
                    }
                }
            }
            self.check_len(result.len(), step.span)?;
        }
        self.eval_stages(&step.stages, result, env)
    }

    fn eval_stages(
        &mut self,
        stages: &'a [Stage],
        mut tuples: Vec<Tuple<'a>>,
        env: &Rc<Frame<'a>>,
    ) -> R<Vec<Tuple<'a>>> {
        for stage in stages {
            match stage {
                Stage::Filter { expr, .. } => {
                    tuples = self.filter_tuples(expr, tuples, env)?;
                }
                Stage::Index { name, .. } => {
                    for (i, t) in tuples.iter_mut().enumerate() {
                        t.set(Key::Name(name), Value::Number(i as f64));
                    }
                }
            }
        }
        Ok(tuples)
    }

    // -----------------------------------------------------------------------
    // Predicates

    #[inline(never)]
    pub(crate) fn eval_filter(
        &mut self,
        pred: &'a Expr,
        input: Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        if let Value::Tuples(ts) = input {
            let ts = Rc::try_unwrap(ts).unwrap_or_else(|rc| (*rc).clone());
            return Ok(Value::Tuples(Rc::new(self.filter_tuples(pred, ts, env)?)));
        }
        let items = match &input {
            Value::Array(a) => a.items.clone(),
            other => vec![other.clone()],
        };
        if let ExprKind::Number(n) = pred.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += items.len() as f64;
            }
            if index >= 0.0 && (index as usize) < items.len() {
                let item = items[index as usize].clone();
                match item {
                    Value::Array(_) => return Ok(item),
                    Value::Undefined => {}
                    item => return Ok(Value::seq(vec![item])),
                }
            }
            return Ok(Value::seq(Vec::new()));
        }
        let len = items.len();
        let mut results = Vec::new();
        for (index, item) in items.into_iter().enumerate() {
            let res = self.eval(pred, &item, env)?;
            if self.predicate_selects(&res, index, len, pred.span)? {
                results.push(item);
            }
        }
        Ok(Value::seq(results))
    }

    fn filter_tuples(
        &mut self,
        pred: &'a Expr,
        tuples: Vec<Tuple<'a>>,
        env: &Rc<Frame<'a>>,
    ) -> R<Vec<Tuple<'a>>> {
        if let ExprKind::Number(n) = pred.kind {
            let mut index = n.floor();
            if index < 0.0 {
                index += tuples.len() as f64;
            }
            if index >= 0.0 && (index as usize) < tuples.len() {
                return Ok(vec![tuples[index as usize].clone()]);
            }
            return Ok(Vec::new());
        }
        let len = tuples.len();
        let mut results = Vec::new();
        for (index, t) in tuples.into_iter().enumerate() {
            let frame = frame_from_tuple(env, &t);
            let res = self.eval(pred, &t.at, &frame)?;
            if self.predicate_selects(&res, index, len, pred.span)? {
                results.push(t);
            }
        }
        Ok(results)
    }

    /// Does a predicate result select item `index` of `len`?
    fn predicate_selects(&self, res: &Value<'a>, index: usize, len: usize, span: Span) -> R<bool> {
        let numbers: Option<Vec<f64>> = match res {
            Value::Number(n) => {
                check_numeric(*n, span)?;
                Some(vec![*n])
            }
            Value::Array(a) => {
                let mut ns = Vec::with_capacity(a.items.len());
                let mut all = true;
                for x in &a.items {
                    match x {
                        Value::Number(n) => {
                            check_numeric(*n, span)?;
                            ns.push(*n)
                        }
                        _ => {
                            all = false;
                            break;
                        }
                    }
                }
                if all {
                    Some(ns)
                } else {
                    None
                }
            }
            _ => None,
        };
        match numbers {
            Some(ns) => Ok(ns.iter().any(|n| {
                let mut ii = n.floor();
                if ii < 0.0 {
                    ii += len as f64;
                }
                ii == index as f64
            })),
            None => Ok(boolean(res).unwrap_or(false)),
        }
    }

    // -----------------------------------------------------------------------
    // Sorting

    fn sort_keys(
        &mut self,
        terms: &'a [SortTerm],
        ctx: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Vec<Value<'a>>> {
        let mut keys = Vec::with_capacity(terms.len());
        for t in terms {
            keys.push(self.eval(&t.expr, ctx, env)?);
        }
        Ok(keys)
    }

    fn sort_values(
        &mut self,
        terms: &'a [SortTerm],
        items: Vec<Value<'a>>,
        env: &Rc<Frame<'a>>,
        span: Span,
    ) -> R<Vec<Value<'a>>> {
        let mut keyed = Vec::with_capacity(items.len());
        for item in items {
            let keys = self.sort_keys(terms, &item, env)?;
            keyed.push((item, keys));
        }
        let sorted = merge_sort(keyed, &mut |a, b| {
            compare_sort_keys(terms, &a.1, &b.1, span)
        })?;
        Ok(sorted.into_iter().map(|(v, _)| v).collect())
    }

    fn sort_tuples(
        &mut self,
        terms: &'a [SortTerm],
        tuples: Vec<Tuple<'a>>,
        env: &Rc<Frame<'a>>,
        span: Span,
    ) -> R<Vec<Tuple<'a>>> {
        let mut keyed = Vec::with_capacity(tuples.len());
        for t in tuples {
            let frame = frame_from_tuple(env, &t);
            let keys = self.sort_keys(terms, &t.at, &frame)?;
            keyed.push((t, keys));
        }
        let sorted = merge_sort(keyed, &mut |a, b| {
            compare_sort_keys(terms, &a.1, &b.1, span)
        })?;
        Ok(sorted.into_iter().map(|(t, _)| t).collect())
    }

    // -----------------------------------------------------------------------
    // Grouping and object construction

    #[inline(never)]
    fn eval_group_expr(
        &mut self,
        g: &'a Group,
        input: Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        self.eval_group(&g.pairs, input, env, g.span)
    }

    #[inline(never)]
    pub(crate) fn eval_group(
        &mut self,
        pairs: &'a [(Expr, Expr)],
        input: Value<'a>,
        env: &Rc<Frame<'a>>,
        span: Span,
    ) -> R<Value<'a>> {
        enum Data<'a> {
            Val(Value<'a>),
            Tups(Vec<Tuple<'a>>),
        }
        struct Entry<'a> {
            key: Rc<str>,
            data: Data<'a>,
            expr_index: usize,
        }
        let mut groups: Vec<Entry<'a>> = Vec::new();
        let mut index: HashMap<Rc<str>, usize> = HashMap::new();

        let mut record = |key: Rc<str>, data: Data<'a>, pair_index: usize| -> R<()> {
            if let Some(&i) = index.get(&key) {
                let entry = &mut groups[i];
                if entry.expr_index != pair_index {
                    return Err(EvalError::new(
                        "D1009",
                        format!("Multiple key definitions evaluate to same key: {}", q(&key)),
                        span,
                    ));
                }
                let old = std::mem::replace(&mut entry.data, Data::Val(Value::Undefined));
                entry.data = match (old, data) {
                    (Data::Tups(mut a), Data::Tups(b)) => {
                        a.extend(b);
                        Data::Tups(a)
                    }
                    (Data::Val(a), Data::Val(b)) => Data::Val(append(a, b)),
                    (a, _) => a,
                };
            } else {
                index.insert(key.clone(), groups.len());
                groups.push(Entry {
                    key,
                    data,
                    expr_index: pair_index,
                });
            }
            Ok(())
        };

        match input {
            Value::Tuples(ts) if !ts.is_empty() => {
                for t in ts.iter() {
                    let frame = frame_from_tuple(env, t);
                    for (pi, (k, _)) in pairs.iter().enumerate() {
                        let key = self.eval(k, &t.at, &frame)?;
                        match key {
                            Value::Undefined => {}
                            Value::String(s) => record(s, Data::Tups(vec![t.clone()]), pi)?,
                            other => return Err(t1003(&other, span)),
                        }
                    }
                }
            }
            other => {
                let mut items = match other {
                    Value::Array(a) => a.items.clone(),
                    Value::Tuples(_) => Vec::new(),
                    v => vec![v],
                };
                if items.is_empty() {
                    items.push(Value::Undefined);
                }
                for item in &items {
                    for (pi, (k, _)) in pairs.iter().enumerate() {
                        let key = self.eval(k, item, env)?;
                        match key {
                            Value::Undefined => {}
                            Value::String(s) => record(s, Data::Val(item.clone()), pi)?,
                            other => return Err(t1003(&other, span)),
                        }
                    }
                }
            }
        }

        let mut result = Object::new();
        for entry in groups {
            let value = match entry.data {
                Data::Val(context) => self.eval(&pairs[entry.expr_index].1, &context, env)?,
                Data::Tups(ts) => {
                    let reduced = reduce_tuples(ts);
                    let frame = frame_from_tuple(env, &reduced);
                    self.eval(&pairs[entry.expr_index].1, &reduced.at, &frame)?
                }
            };
            if !value.is_undefined() {
                result.insert(entry.key, value);
            }
        }
        Ok(Value::object(result))
    }

    // -----------------------------------------------------------------------
    // Operators

    #[inline(never)]
    fn eval_array(
        &mut self,
        expr: &'a Expr,
        items: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let mut result: Vec<Value<'a>> = Vec::new();
        for item in items {
            let value = self.eval(item, input, env)?;
            if value.is_undefined() {
                continue;
            }
            if matches!(item.kind, ExprKind::Array(_)) {
                result.push(value);
            } else {
                match value {
                    Value::Array(_) | Value::Tuples(_) => {
                        result.extend(value.array_items().unwrap_or_default())
                    }
                    v => result.push(v),
                }
            }
            self.check_len(result.len(), expr.span)?;
        }
        Ok(Value::Array(Rc::new(Array {
            items: result,
            cons: expr.cons_array,
            ..Default::default()
        })))
    }

    #[inline(never)]
    fn eval_negate(
        &mut self,
        expr: &'a Expr,
        inner: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let v = self.eval(inner, input, env)?;
        match v {
            Value::Undefined => Ok(Value::Undefined),
            Value::Number(n) => {
                check_numeric(n, expr.span)?;
                Ok(Value::Number(-n))
            }
            other => Err(EvalError::new(
                "D1002",
                format!(
                    "Cannot negate a non-numeric value: {}",
                    js_stringify(&other)
                ),
                expr.span,
            )),
        }
    }

    #[inline(never)]
    fn eval_binary(
        &mut self,
        expr: &'a Expr,
        op: BinaryOp,
        lhs: &'a Expr,
        rhs: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let l = self.eval(lhs, input, env)?;
        let span = expr.span;
        match op {
            BinaryOp::And => {
                let lb = boolean(&l).unwrap_or(false);
                if !lb {
                    return Ok(Value::Bool(false));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Value::Bool(boolean(&r).unwrap_or(false)));
            }
            BinaryOp::Or => {
                if boolean(&l).unwrap_or(false) {
                    return Ok(Value::Bool(true));
                }
                let r = self.eval(rhs, input, env)?;
                return Ok(Value::Bool(boolean(&r).unwrap_or(false)));
            }
            _ => {}
        }
        let r = self.eval(rhs, input, env)?;
        self.binary_values(op, l, r, span)
    }

    #[inline(never)]
    fn binary_values(
        &mut self,
        op: BinaryOp,
        l: Value<'a>,
        r: Value<'a>,
        span: Span,
    ) -> R<Value<'a>> {
        let tok = op.as_str();
        match op {
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => {
                let ln = match &l {
                    Value::Undefined => None,
                    Value::Number(n) => {
                        check_numeric(*n, span)?;
                        Some(*n)
                    }
                    _ => {
                        return Err(EvalError::new(
                            "T2001",
                            format!(
                                "The left side of the {} operator must evaluate to a number",
                                q(tok)
                            ),
                            span,
                        ))
                    }
                };
                let rn = match &r {
                    Value::Undefined => None,
                    Value::Number(n) => {
                        check_numeric(*n, span)?;
                        Some(*n)
                    }
                    _ => {
                        return Err(EvalError::new(
                            "T2002",
                            format!(
                                "The right side of the {} operator must evaluate to a number",
                                q(tok)
                            ),
                            span,
                        ))
                    }
                };
                let (Some(a), Some(b)) = (ln, rn) else {
                    return Ok(Value::Undefined);
                };
                Ok(Value::Number(match op {
                    BinaryOp::Add => a + b,
                    BinaryOp::Sub => a - b,
                    BinaryOp::Mul => a * b,
                    BinaryOp::Div => a / b,
                    _ => a % b,
                }))
            }
            BinaryOp::Eq | BinaryOp::Ne => {
                if l.is_undefined() || r.is_undefined() {
                    return Ok(Value::Bool(false));
                }
                let eq = deep_equal(&l, &r);
                Ok(Value::Bool(if op == BinaryOp::Eq { eq } else { !eq }))
            }
            BinaryOp::Lt | BinaryOp::Le | BinaryOp::Gt | BinaryOp::Ge => {
                compare_values(op, &l, &r, span)
            }
            BinaryOp::Concat => {
                let mut s = String::new();
                if !l.is_undefined() {
                    s.push_str(&functions::to_string(&l, span)?);
                }
                if !r.is_undefined() {
                    s.push_str(&functions::to_string(&r, span)?);
                }
                self.check_str(s.len(), span)?;
                Ok(Value::string(s))
            }
            BinaryOp::Range => {
                let lo =
                    match &l {
                        Value::Undefined => None,
                        Value::Number(n) if is_integer(*n) => Some(*n),
                        _ => return Err(EvalError::new(
                            "T2003",
                            "The left side of the range operator (..) must evaluate to an integer",
                            span,
                        )),
                    };
                let hi =
                    match &r {
                        Value::Undefined => None,
                        Value::Number(n) if is_integer(*n) => Some(*n),
                        _ => return Err(EvalError::new(
                            "T2004",
                            "The right side of the range operator (..) must evaluate to an integer",
                            span,
                        )),
                    };
                let (Some(lo), Some(hi)) = (lo, hi) else {
                    return Ok(Value::Undefined);
                };
                if lo > hi {
                    return Ok(Value::Undefined);
                }
                let size = hi - lo + 1.0;
                if size > 1e7 || size > self.limits.max_sequence as f64 {
                    return Err(EvalError::new(
                        "D2014",
                        format!(
                            "The size of the sequence allocated by the range operator (..) must not exceed 1e6.  Attempted to allocate {}.",
                            super::value::js_number_to_string(size)
                        ),
                        span,
                    ));
                }
                let n = size as usize;
                let mut items = Vec::with_capacity(n);
                for i in 0..n {
                    items.push(Value::Number(lo + i as f64));
                }
                Ok(Value::seq(items))
            }
            BinaryOp::In => {
                if l.is_undefined() || r.is_undefined() {
                    return Ok(Value::Bool(false));
                }
                let items = r.to_items();
                Ok(Value::Bool(items.iter().any(|x| strict_equal(x, &l))))
            }
            BinaryOp::And | BinaryOp::Or => Ok(Value::Undefined),
        }
    }

    // -----------------------------------------------------------------------
    // Functions

    #[inline(never)]
    fn eval_apply(
        &mut self,
        expr: &'a Expr,
        lhs: &'a Expr,
        rhs: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let l = self.eval(lhs, input, env)?;
        if let ExprKind::Call {
            procedure,
            args,
            partial: false,
        } = &rhs.kind
        {
            return self.eval_call(rhs, procedure, args, input, env, Some(l));
        }
        let func = self.eval(rhs, input, env)?;
        if !func.is_function() {
            return Err(EvalError::new(
                "T2006",
                "The right side of the function application operator ~> must be a function",
                expr.span,
            ));
        }
        if l.is_function() {
            return Ok(Value::Function(Rc::new(Func::Chain(l, func))));
        }
        self.apply(&func, vec![l], &Value::Undefined, expr.span, None)
    }

    fn proc_name(procedure: &'a Expr) -> Option<&'a str> {
        match &procedure.kind {
            ExprKind::Path { steps, .. } => match steps.first().map(|s| &s.kind) {
                Some(ExprKind::Name(n)) => Some(n),
                Some(ExprKind::Variable(n)) => Some(n),
                _ => None,
            },
            ExprKind::Variable(n) => Some(n),
            _ => None,
        }
    }

    /// Did the user forget the `$` on a function name?
    fn forgot_dollar(&mut self, procedure: &'a Expr, env: &Rc<Frame<'a>>) -> Option<&'a str> {
        if let ExprKind::Path { steps, .. } = &procedure.kind {
            if let Some(ExprKind::Name(n)) = steps.first().map(|s| &s.kind) {
                if !self.lookup_var(n, env).is_undefined() {
                    return Some(n);
                }
            }
        }
        None
    }

    fn prepare_call(
        &mut self,
        expr: &'a Expr,
        procedure: &'a Expr,
        arg_exprs: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
        applyto: Option<Value<'a>>,
    ) -> R<(Value<'a>, Vec<Value<'a>>)> {
        let proc = self.eval(procedure, input, env)?;
        if proc.is_undefined() {
            if let Some(n) = self.forgot_dollar(procedure, env) {
                return Err(EvalError::new(
                    "T1005",
                    format!("Attempted to invoke a non-function. Did you mean ${n}?"),
                    expr.span,
                ));
            }
        }
        let mut args = Vec::with_capacity(arg_exprs.len() + 1);
        if let Some(c) = applyto {
            args.push(c);
        }
        for a in arg_exprs {
            args.push(self.eval(a, input, env)?);
        }
        Ok((proc, args))
    }

    #[inline(never)]
    fn eval_call(
        &mut self,
        expr: &'a Expr,
        procedure: &'a Expr,
        arg_exprs: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
        applyto: Option<Value<'a>>,
    ) -> R<Value<'a>> {
        let (proc, args) = self.prepare_call(expr, procedure, arg_exprs, input, env, applyto)?;
        self.apply(&proc, args, input, expr.span, Self::proc_name(procedure))
    }

    #[inline(never)]
    fn eval_partial(
        &mut self,
        expr: &'a Expr,
        procedure: &'a Expr,
        arg_exprs: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Value<'a>> {
        let mut args = Vec::with_capacity(arg_exprs.len());
        for a in arg_exprs {
            if matches!(a.kind, ExprKind::Placeholder) {
                args.push(None);
            } else {
                args.push(Some(self.eval(a, input, env)?));
            }
        }
        let proc = self.eval(procedure, input, env)?;
        if proc.is_undefined() {
            if let Some(n) = self.forgot_dollar(procedure, env) {
                return Err(EvalError::new(
                    "T1007",
                    format!("Attempted to partially apply a non-function. Did you mean ${n}?"),
                    expr.span,
                ));
            }
        }
        if !proc.is_function() {
            return Err(EvalError::new(
                "T1008",
                "Attempted to partially apply a non-function",
                expr.span,
            ));
        }
        Ok(Value::Function(Rc::new(Func::Partial { func: proc, args })))
    }

    /// Evaluates a lambda body in tail position: calls are returned rather
    /// than made, so that tail recursion runs in constant stack.
    fn eval_tail(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Tail<'a>> {
        let plain = expr.predicate.is_empty() && expr.group.is_none() && !expr.keep_array;
        match &expr.kind {
            ExprKind::Call { partial: false, .. } if plain => self.tail_call(expr, input, env),
            ExprKind::Condition { .. } if plain => self.tail_condition(expr, input, env),
            ExprKind::Block(exprs) if plain && !exprs.is_empty() => {
                self.tail_block(exprs, input, env)
            }
            _ => Ok(Tail::Done(self.eval(expr, input, env)?)),
        }
    }

    #[inline(never)]
    fn tail_call(&mut self, expr: &'a Expr, input: &Value<'a>, env: &Rc<Frame<'a>>) -> R<Tail<'a>> {
        let ExprKind::Call {
            procedure, args, ..
        } = &expr.kind
        else {
            unreachable!()
        };
        self.enter(expr.span)?;
        let r = self.prepare_call(expr, procedure, args, input, env, None);
        self.leave();
        let (proc, args) = r?;
        Ok(Tail::Call {
            proc,
            args,
            span: expr.span,
            name: Self::proc_name(procedure),
        })
    }

    #[inline(never)]
    fn tail_condition(
        &mut self,
        expr: &'a Expr,
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Tail<'a>> {
        let ExprKind::Condition {
            condition,
            then,
            otherwise,
        } = &expr.kind
        else {
            unreachable!()
        };
        self.enter(expr.span)?;
        let c = self.eval(condition, input, env);
        self.leave();
        if boolean(&c?).unwrap_or(false) {
            self.eval_tail(then, input, env)
        } else if let Some(o) = otherwise {
            self.eval_tail(o, input, env)
        } else {
            Ok(Tail::Done(Value::Undefined))
        }
    }

    #[inline(never)]
    fn tail_block(
        &mut self,
        exprs: &'a [Expr],
        input: &Value<'a>,
        env: &Rc<Frame<'a>>,
    ) -> R<Tail<'a>> {
        let frame = Frame::new(Some(env.clone()));
        let Some((last, init)) = exprs.split_last() else {
            return Ok(Tail::Done(Value::Undefined));
        };
        for e in init {
            self.eval(e, input, &frame)?;
        }
        self.eval_tail(last, input, &frame)
    }

    /// Applies a function to arguments (trampolining tail calls).
    pub(crate) fn apply(
        &mut self,
        proc: &Value<'a>,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        span: Span,
        name: Option<&'a str>,
    ) -> R<Value<'a>> {
        self.enter(span)?;
        let mut tail = self.apply_inner(proc, args, input, span, name, true);
        loop {
            match tail {
                Ok(Tail::Done(v)) => {
                    self.leave();
                    return Ok(v);
                }
                Ok(Tail::Call {
                    proc,
                    args,
                    span,
                    name,
                }) => {
                    self.steps += 1;
                    if self.steps > self.limits.max_steps {
                        self.leave();
                        return Err(EvalError::new(
                            "U1001",
                            "Expression evaluation timeout: Check for infinite loop",
                            span,
                        ));
                    }
                    tail = self.apply_inner(&proc, args, input, span, name, true);
                }
                Err(e) => {
                    self.leave();
                    return Err(e);
                }
            }
        }
    }

    fn sig_error(e: super::signature::SigError<'a>, name: Option<&str>, span: Span) -> EvalError {
        let token = name.map(q).unwrap_or_else(|| "undefined".into());
        let message = match e.code {
            "T0411" => format!(
                "Context value is not a compatible type with argument {} of function {token}",
                e.index
            ),
            "T0412" => format!(
                "Argument {} of function {token} must be an array of {}",
                e.index,
                e.type_name.map(q).unwrap_or_else(|| "undefined".into())
            ),
            _ => format!(
                "Argument {} of function {token} does not match function signature",
                e.index
            ),
        };
        EvalError::new(e.code, message, span)
    }

    #[inline(never)]
    fn apply_builtin(
        &mut self,
        id: usize,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        span: Span,
        name: Option<&'a str>,
    ) -> R<Tail<'a>> {
        let sig = functions::builtin_sig(id);
        let args = sig
            .validate(&args, input)
            .map_err(|e| Self::sig_error(e, name.or(Some(functions::builtin_name(id))), span))?;
        Ok(Tail::Done(functions::call_builtin(
            self, id, args, input, span,
        )?))
    }

    #[inline(never)]
    fn apply_lambda(
        &mut self,
        l: &Lambda<'a>,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        span: Span,
        name: Option<&'a str>,
        validate: bool,
    ) -> R<Tail<'a>> {
        let args = match (&l.signature, validate) {
            (Some(sig), true) => sig
                .validate(&args, input)
                .map_err(|e| Self::sig_error(e, name, span))?,
            _ => args,
        };
        let frame = Frame::new(Some(l.env.clone()));
        let mut args = args.into_iter();
        for p in l.params {
            frame.bind(Key::Name(p), args.next().unwrap_or(Value::Undefined));
        }
        let body_input = l.input.clone();
        self.eval_tail(l.body, &body_input, &frame)
    }

    #[inline(never)]
    fn apply_inner(
        &mut self,
        proc: &Value<'a>,
        args: Vec<Value<'a>>,
        input: &Value<'a>,
        span: Span,
        name: Option<&'a str>,
        validate: bool,
    ) -> R<Tail<'a>> {
        let Value::Function(f) = proc else {
            return Err(EvalError::new(
                "T1006",
                "Attempted to invoke a non-function",
                span,
            ));
        };
        match &**f {
            Func::Builtin(id) => self.apply_builtin(*id, args, input, span, name),
            Func::Lambda(l) => self.apply_lambda(l, args, input, span, name, validate),
            Func::Partial { func, args: bound } => {
                let mut supplied = args.into_iter();
                let filled: Vec<Value<'a>> = bound
                    .iter()
                    .map(|b| match b {
                        Some(v) => v.clone(),
                        None => supplied.next().unwrap_or(Value::Undefined),
                    })
                    .collect();
                let func = func.clone();
                self.apply_inner(&func, filled, input, span, name, false)
            }
            Func::Regex(re) => {
                let re = re.clone();
                Ok(Tail::Done(functions::regex_call(self, &re, &args, span)?))
            }
            Func::RegexNext { regex, text, from } => Ok(Tail::Done(functions::regex_next(
                self, regex, text, *from, span,
            )?)),
            Func::Transform { expr, env } => {
                let sig = Sig::parse("<(oa):o>");
                let args = sig
                    .validate(&args, input)
                    .map_err(|e| Self::sig_error(e, name, span))?;
                let (expr, env) = (*expr, env.clone());
                Ok(Tail::Done(self.transform(
                    expr,
                    &env,
                    args.into_iter().next().unwrap_or(Value::Undefined),
                )?))
            }
            Func::Chain(first, second) => {
                let x = args.into_iter().next().unwrap_or(Value::Undefined);
                let (first, second) = (first.clone(), second.clone());
                let mid = self.apply(&first, vec![x], &Value::Undefined, span, None)?;
                Ok(Tail::Done(self.apply(
                    &second,
                    vec![mid],
                    &Value::Undefined,
                    span,
                    None,
                )?))
            }
        }
    }

    // -----------------------------------------------------------------------
    // Transform

    #[inline(never)]
    fn transform(&mut self, expr: &'a Expr, env: &Rc<Frame<'a>>, obj: Value<'a>) -> R<Value<'a>> {
        let ExprKind::Transform {
            pattern,
            update,
            delete,
        } = &expr.kind
        else {
            return Ok(Value::Undefined);
        };
        if obj.is_undefined() {
            return Ok(Value::Undefined);
        }
        let result = deep_clone(&obj, 0)?;
        let matches = self.eval(pattern, &result, env)?;
        let mut edits: Vec<Edit<'a>> = Vec::new();
        for m in matches.to_items() {
            let upd = self.eval(update, &m, env)?;
            let upd = match upd {
                Value::Undefined => None,
                Value::Object(o) => Some(o),
                other => {
                    return Err(EvalError::new(
                        "T2011",
                        format!(
                            "The insert/update clause of the transform expression must evaluate to an object: {}",
                            js_stringify(&other)
                        ),
                        update.span,
                    ))
                }
            };
            let mut deletions = Vec::new();
            if let Some(d) = delete {
                let dv = self.eval(d, &m, env)?;
                if !dv.is_undefined() {
                    let items = dv.to_items();
                    if items.iter().any(|x| !matches!(x, Value::String(_))) {
                        return Err(EvalError::new(
                            "T2012",
                            format!(
                                "The delete clause of the transform expression must evaluate to a string or array of strings: {}",
                                js_stringify(&dv)
                            ),
                            d.span,
                        ));
                    }
                    for x in items {
                        if let Value::String(s) = x {
                            deletions.push(s);
                        }
                    }
                }
            }
            if let Value::Object(o) = &m {
                edits.push((Rc::as_ptr(o), upd, deletions));
            }
        }
        if edits.is_empty() {
            return Ok(result);
        }
        rebuild(&result, &edits, 0)
    }
}

/// A transform edit: the matched object (by address), its update and deletions.
type Edit<'a> = (*const Object<'a>, Option<Rc<Object<'a>>>, Vec<Rc<str>>);

/// Applies transform edits to the objects (identified by address) of a
/// freshly cloned tree.
fn rebuild<'a>(v: &Value<'a>, edits: &[Edit<'a>], depth: usize) -> R<Value<'a>> {
    if depth > super::value::MAX_VALUE_DEPTH {
        return Err(EvalError::stack_overflow(Span::default()));
    }
    Ok(match v {
        Value::Object(o) => {
            let ptr = Rc::as_ptr(o);
            let mut out = Object::new();
            for (k, x) in o.iter() {
                out.insert(k.clone(), rebuild(x, edits, depth + 1)?);
            }
            for (p, upd, dels) in edits {
                if *p == ptr {
                    if let Some(u) = upd {
                        for (k, x) in u.iter() {
                            out.insert(k.clone(), x.clone());
                        }
                    }
                    for d in dels {
                        out.remove(d);
                    }
                }
            }
            Value::object(out)
        }
        Value::Array(a) => {
            let mut items = Vec::with_capacity(a.items.len());
            for x in &a.items {
                items.push(rebuild(x, edits, depth + 1)?);
            }
            Value::Array(Rc::new(Array {
                items,
                ..(**a).clone()
            }))
        }
        other => other.clone(),
    })
}

fn t1003(v: &Value<'_>, span: Span) -> EvalError {
    EvalError::new(
        "T1003",
        format!(
            "Key in object structure must evaluate to a string; got: {}",
            js_stringify(v)
        ),
        span,
    )
}

/// jsonata-js `isNumeric`'s side check: infinite operands are errors.
pub(crate) fn check_numeric(n: f64, span: Span) -> R<()> {
    if n.is_infinite() {
        return Err(EvalError::new("D1001", "Number out of range: null", span));
    }
    Ok(())
}

fn compare_values<'a>(op: BinaryOp, l: &Value<'a>, r: &Value<'a>, span: Span) -> R<Value<'a>> {
    let comparable =
        |v: &Value<'_>| matches!(v, Value::Undefined | Value::String(_) | Value::Number(_));
    if !comparable(l) || !comparable(r) {
        return Err(EvalError::new(
            "T2010",
            format!(
                "The expressions either side of operator {} must evaluate to numeric or string values",
                q(op.as_str())
            ),
            span,
        ));
    }
    if l.is_undefined() || r.is_undefined() {
        return Ok(Value::Undefined);
    }
    let ord = match (l, r) {
        (Value::Number(a), Value::Number(b)) => a.partial_cmp(b),
        (Value::String(a), Value::String(b)) => Some(js_str_cmp(a, b)),
        _ => {
            return Err(EvalError::new(
                "T2009",
                format!(
                    "The values {} and {} either side of operator {} must be of the same data type",
                    js_stringify(l),
                    js_stringify(r),
                    q(op.as_str())
                ),
                span,
            ))
        }
    };
    use std::cmp::Ordering::*;
    let b = match (op, ord) {
        (_, None) => false,
        (BinaryOp::Lt, Some(o)) => o == Less,
        (BinaryOp::Le, Some(o)) => o != Greater,
        (BinaryOp::Gt, Some(o)) => o == Greater,
        (BinaryOp::Ge, Some(o)) => o != Less,
        _ => false,
    };
    Ok(Value::Bool(b))
}

/// The order-by comparator: `Ok(true)` when `a` sorts after `b`.
fn compare_sort_keys(terms: &[SortTerm], a: &[Value<'_>], b: &[Value<'_>], span: Span) -> R<bool> {
    let mut comp = 0i32;
    for (i, term) in terms.iter().enumerate() {
        if comp != 0 {
            break;
        }
        let (aa, bb) = (&a[i], &b[i]);
        if aa.is_undefined() {
            comp = if bb.is_undefined() { 0 } else { 1 };
            continue;
        }
        if bb.is_undefined() {
            comp = -1;
            continue;
        }
        let ok = |v: &Value<'_>| matches!(v, Value::String(_) | Value::Number(_));
        if !ok(aa) || !ok(bb) {
            return Err(EvalError::new(
                "T2008",
                "The expressions within an order-by clause must evaluate to numeric or string values",
                span,
            ));
        }
        let ord = match (aa, bb) {
            (Value::Number(x), Value::Number(y)) => x.partial_cmp(y),
            (Value::String(x), Value::String(y)) => Some(js_str_cmp(x, y)),
            _ => {
                return Err(EvalError::new(
                    "T2007",
                    format!(
                        "Type mismatch when comparing values {} and {} in order-by clause",
                        js_stringify(aa),
                        js_stringify(bb)
                    ),
                    span,
                ))
            }
        };
        comp = match ord {
            Some(std::cmp::Ordering::Less) => -1,
            Some(std::cmp::Ordering::Greater) => 1,
            _ => continue,
        };
        if term.descending {
            comp = -comp;
        }
    }
    Ok(comp == 1)
}

/// jsonata-js's merge sort: stable; `gt(a, b)` true moves `b` first.
pub(crate) fn merge_sort<T: Clone>(
    items: Vec<T>,
    gt: &mut dyn FnMut(&T, &T) -> R<bool>,
) -> R<Vec<T>> {
    if items.len() <= 1 {
        return Ok(items);
    }
    let mut items = items;
    let right = items.split_off(items.len() / 2);
    let left = merge_sort(items, gt)?;
    let right = merge_sort(right, gt)?;
    let mut out = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if gt(&left[i], &right[j])? {
            out.push(right[j].clone());
            j += 1;
        } else {
            out.push(left[i].clone());
            i += 1;
        }
    }
    out.extend_from_slice(&left[i..]);
    out.extend_from_slice(&right[j..]);
    Ok(out)
}

fn frame_from_tuple<'a>(env: &Rc<Frame<'a>>, t: &Tuple<'a>) -> Rc<Frame<'a>> {
    let frame = Frame::new(Some(env.clone()));
    for (k, v) in &t.binds {
        frame.bind(*k, v.clone());
    }
    frame
}

/// jsonata-js `reduceTupleStream`: merge a group's tuples, appending values.
fn reduce_tuples<'a>(ts: Vec<Tuple<'a>>) -> Tuple<'a> {
    let mut it = ts.into_iter();
    let Some(mut result) = it.next() else {
        return Tuple::new(Value::Undefined);
    };
    for t in it {
        result.at = append(std::mem::replace(&mut result.at, Value::Undefined), t.at);
        for (k, v) in t.binds {
            let old = result.get(k).cloned().unwrap_or(Value::Undefined);
            result.set(k, append(old, v));
        }
    }
    result
}

/// The final sequence handling of jsonata-js `evaluate`.
fn unwrap_sequence(result: Value<'_>, keep_array: bool) -> Value<'_> {
    match result {
        Value::Array(mut a) if a.sequence => {
            if keep_array && !a.keep_singleton {
                Rc::make_mut(&mut a).keep_singleton = true;
            }
            match a.items.len() {
                0 => Value::Undefined,
                1 if !a.keep_singleton => a.items[0].clone(),
                _ => Value::Array(a),
            }
        }
        other => other,
    }
}

/// jsonata-js `fn.lookup` for a field step.
pub(crate) fn lookup_field<'a>(input: &Value<'a>, key: &str) -> Value<'a> {
    match input {
        Value::Array(a) => {
            let mut out = Vec::new();
            for item in &a.items {
                match lookup_field(item, key) {
                    Value::Undefined => {}
                    Value::Array(inner) => out.extend(inner.items.iter().cloned()),
                    v => out.push(v),
                }
            }
            Value::seq(out)
        }
        Value::Tuples(_) => lookup_field(&Value::array(input.to_items()), key),
        Value::Object(o) => o.get(key).cloned().unwrap_or(Value::Undefined),
        _ => Value::Undefined,
    }
}

fn flatten_into<'a>(v: &Value<'a>, out: &mut Vec<Value<'a>>, depth: usize) {
    match v {
        Value::Array(a) if depth < super::value::MAX_VALUE_DEPTH => {
            for x in &a.items {
                flatten_into(x, out, depth + 1);
            }
        }
        other => out.push(other.clone()),
    }
}

fn eval_wildcard<'a>(input: &Value<'a>) -> Value<'a> {
    let input = match input {
        Value::Array(a) if a.outer_wrapper && !a.items.is_empty() => a.items[0].clone(),
        other => other.clone(),
    };
    let mut results: Vec<Value<'a>> = Vec::new();
    let mut plain = false;
    let mut visit = |value: &Value<'a>| {
        if let Value::Array(_) = value {
            let mut flat = Vec::new();
            flatten_into(value, &mut flat, 0);
            results.extend(flat);
            plain = true;
        } else {
            results.push(value.clone());
        }
    };
    match &input {
        Value::Object(o) => {
            for (_, v) in o.iter() {
                visit(v);
            }
        }
        Value::Array(a) => {
            for v in &a.items {
                visit(v);
            }
        }
        _ => {}
    }
    if plain {
        // jsonata-js appends with `concat`, which yields a plain array.
        Value::array(results)
    } else {
        Value::seq(results)
    }
}

fn eval_descendants<'a>(input: &Value<'a>) -> Value<'a> {
    if input.is_undefined() {
        return Value::Undefined;
    }
    let mut out = Vec::new();
    recurse_descendants(input, &mut out, 0);
    if out.len() == 1 {
        out.pop().unwrap_or(Value::Undefined)
    } else {
        Value::seq(out)
    }
}

fn recurse_descendants<'a>(v: &Value<'a>, out: &mut Vec<Value<'a>>, depth: usize) {
    if depth > super::value::MAX_VALUE_DEPTH {
        return;
    }
    match v {
        Value::Array(a) => {
            for x in &a.items {
                recurse_descendants(x, out, depth + 1);
            }
        }
        Value::Object(o) => {
            out.push(v.clone());
            for (_, x) in o.iter() {
                recurse_descendants(x, out, depth + 1);
            }
        }
        other => out.push(other.clone()),
    }
}
