//! The evaluator's value model: JSON values plus JSONata's extras
//! (*undefined*, sequences with their flags, functions, tuple streams),
//! conversions to and from `serde_json`, and the JavaScript behaviours that
//! show through in results (number formatting, `JSON.stringify`, deep
//! equality, string ordering).

use super::eval::{EvalError, Frame};
use super::regex::JsRegex;
use super::signature::Sig;
use crate::jsonata::ast::Expr;
use crate::span::Span;
use std::collections::HashMap;
use std::rc::Rc;

/// Nesting limit for recursive walks over values (conversion, printing,
/// equality, cloning): deeper values are refused rather than risking the stack.
pub(crate) const MAX_VALUE_DEPTH: usize = 1000;

/// A JSONata value. `Undefined` is JavaScript's `undefined` (JSONata's
/// "nothing"); it never appears in a converted result.
#[derive(Clone)]
pub(crate) enum Value<'a> {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    String(Rc<str>),
    Array(Rc<Array<'a>>),
    Object(Rc<Object<'a>>),
    Function(Rc<Func<'a>>),
    /// A tuple stream (jsonata-js `tupleStream` arrays): path evaluation
    /// with focus/index/parent bindings in play.
    Tuples(Rc<Vec<Tuple<'a>>>),
}

/// An array together with the flags jsonata-js keeps on array objects.
#[derive(Clone, Default)]
pub(crate) struct Array<'a> {
    pub items: Vec<Value<'a>>,
    /// A sequence (result of navigation), unwrapped when singleton.
    pub sequence: bool,
    /// `[]` was used: keep singleton sequences as arrays.
    pub keep_singleton: bool,
    /// Built by an array constructor: not flattened by path steps.
    pub cons: bool,
    /// The input document wrapped as a one-item sequence.
    pub outer_wrapper: bool,
}

impl<'a> Array<'a> {
    pub fn plain(items: Vec<Value<'a>>) -> Self {
        Array {
            items,
            ..Default::default()
        }
    }
    pub fn seq(items: Vec<Value<'a>>) -> Self {
        Array {
            items,
            sequence: true,
            ..Default::default()
        }
    }
}

/// An insertion-ordered string-keyed map (JavaScript object semantics:
/// re-assigning a key keeps its position, deleting and re-adding moves it to
/// the end).
#[derive(Clone, Default)]
pub(crate) struct Object<'a> {
    entries: Vec<(Rc<str>, Value<'a>)>,
    index: Option<HashMap<Rc<str>, usize>>,
}

const INDEX_THRESHOLD: usize = 12;

impl<'a> Object<'a> {
    pub fn new() -> Self {
        Object::default()
    }
    pub fn len(&self) -> usize {
        self.entries.len()
    }
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
    fn position(&self, key: &str) -> Option<usize> {
        match &self.index {
            Some(ix) => ix.get(key).copied(),
            None => self.entries.iter().position(|(k, _)| &**k == key),
        }
    }
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.position(key).map(|i| &self.entries[i].1)
    }
    pub fn insert(&mut self, key: Rc<str>, value: Value<'a>) {
        if let Some(i) = self.position(&key) {
            self.entries[i].1 = value;
            return;
        }
        if let Some(ix) = &mut self.index {
            ix.insert(key.clone(), self.entries.len());
        }
        self.entries.push((key, value));
        if self.index.is_none() && self.entries.len() > INDEX_THRESHOLD {
            self.reindex();
        }
    }
    pub fn remove(&mut self, key: &str) {
        if let Some(i) = self.position(key) {
            self.entries.remove(i);
            if self.index.is_some() {
                self.reindex();
            }
        }
    }
    fn reindex(&mut self) {
        let mut ix = HashMap::with_capacity(self.entries.len());
        for (i, (k, _)) in self.entries.iter().enumerate() {
            ix.insert(k.clone(), i);
        }
        self.index = Some(ix);
    }
    pub fn iter(&self) -> impl Iterator<Item = (&Rc<str>, &Value<'a>)> {
        self.entries.iter().map(|(k, v)| (k, v))
    }
    #[allow(clippy::type_complexity)]
    pub fn keys(
        &self,
    ) -> std::iter::Map<
        std::slice::Iter<'_, (Rc<str>, Value<'a>)>,
        for<'x> fn(&'x (Rc<str>, Value<'a>)) -> &'x Rc<str>,
    > {
        self.entries.iter().map(|(k, _)| k)
    }
}

/// A binding key in a frame or tuple: a variable name or a parent label.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Key<'a> {
    Name(&'a str),
    Label(u32),
}

/// One tuple of a tuple stream: the context item `@` and the bindings.
#[derive(Clone)]
pub(crate) struct Tuple<'a> {
    pub at: Value<'a>,
    pub binds: Vec<(Key<'a>, Value<'a>)>,
}

impl<'a> Tuple<'a> {
    pub fn new(at: Value<'a>) -> Self {
        Tuple {
            at,
            binds: Vec::new(),
        }
    }
    pub fn set(&mut self, key: Key<'a>, value: Value<'a>) {
        if let Some(slot) = self.binds.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.binds.push((key, value));
        }
    }
    pub fn get(&self, key: Key<'a>) -> Option<&Value<'a>> {
        self.binds.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

/// A user lambda (closure).
pub(crate) struct Lambda<'a> {
    pub params: &'a [String],
    pub signature: Option<Rc<Sig>>,
    pub body: &'a Expr,
    pub input: Value<'a>,
    pub env: Rc<Frame<'a>>,
}

/// Callable values.
pub(crate) enum Func<'a> {
    /// A built-in function (index into the builtin table).
    Builtin(usize),
    Lambda(Lambda<'a>),
    /// Partial application: `None` marks a `?` placeholder.
    Partial {
        func: Value<'a>,
        args: Vec<Option<Value<'a>>>,
    },
    /// A regex literal used as a matcher function.
    Regex(Rc<JsRegex>),
    /// The `next` function of a regex match object.
    RegexNext {
        regex: Rc<JsRegex>,
        text: Rc<str>,
        /// Byte offset to resume from.
        from: usize,
    },
    /// `| pattern | update, delete |`.
    Transform {
        expr: &'a Expr,
        env: Rc<Frame<'a>>,
    },
    /// `f ~> g` for two functions: `λ($x){ g(f($x)) }`.
    Chain(Value<'a>, Value<'a>),
}

impl<'a> Value<'a> {
    pub fn str(s: &str) -> Self {
        Value::String(Rc::from(s))
    }
    pub fn string(s: String) -> Self {
        Value::String(Rc::from(s))
    }
    pub fn array(items: Vec<Value<'a>>) -> Self {
        Value::Array(Rc::new(Array::plain(items)))
    }
    pub fn seq(items: Vec<Value<'a>>) -> Self {
        Value::Array(Rc::new(Array::seq(items)))
    }
    pub fn object(o: Object<'a>) -> Self {
        Value::Object(Rc::new(o))
    }
    pub fn is_undefined(&self) -> bool {
        matches!(self, Value::Undefined)
    }
    pub fn is_function(&self) -> bool {
        matches!(self, Value::Function(_))
    }
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_) | Value::Tuples(_))
    }
    pub fn is_sequence(&self) -> bool {
        matches!(self, Value::Array(a) if a.sequence)
    }
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }
    /// Array items (tuple streams yield their `@` values), else `None`.
    pub fn array_items(&self) -> Option<Vec<Value<'a>>> {
        match self {
            Value::Array(a) => Some(a.items.clone()),
            Value::Tuples(t) => Some(t.iter().map(|t| t.at.clone()).collect()),
            _ => None,
        }
    }
    /// Items of an array, or the value as a one-item list (undefined: empty).
    pub fn to_items(&self) -> Vec<Value<'a>> {
        match self {
            Value::Undefined => Vec::new(),
            other => other.array_items().unwrap_or_else(|| vec![other.clone()]),
        }
    }
    /// Length of an array value (0 for anything else).
    pub fn array_len(&self) -> usize {
        match self {
            Value::Array(a) => a.items.len(),
            Value::Tuples(t) => t.len(),
            _ => 0,
        }
    }
    /// The jsonata-js type symbol used by signatures.
    pub fn sig_symbol(&self) -> char {
        match self {
            Value::Function(_) => 'f',
            Value::String(_) => 's',
            Value::Number(_) => 'n',
            Value::Bool(_) => 'b',
            Value::Null => 'l',
            Value::Array(_) | Value::Tuples(_) => 'a',
            Value::Object(_) => 'o',
            Value::Undefined => 'm',
        }
    }
    /// `$type()` names.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Bool(_) => "boolean",
            Value::Array(_) | Value::Tuples(_) => "array",
            Value::Function(_) => "function",
            Value::Object(_) => "object",
        }
    }
}

/// Wraps a value in a one-item sequence (jsonata-js `createSequence(x)`).
pub(crate) fn sequence_of(v: Value<'_>) -> Value<'_> {
    Value::seq(vec![v])
}

/// jsonata-js `fn.append`: concatenation that flattens one level and yields
/// a plain (non-sequence) array.
pub(crate) fn append<'a>(a: Value<'a>, b: Value<'a>) -> Value<'a> {
    if a.is_undefined() {
        return b;
    }
    if b.is_undefined() {
        return a;
    }
    let mut items = match &a {
        Value::Array(_) | Value::Tuples(_) => a.array_items().unwrap_or_default(),
        _ => vec![a],
    };
    match &b {
        Value::Array(_) | Value::Tuples(_) => items.extend(b.array_items().unwrap_or_default()),
        _ => items.push(b),
    }
    Value::array(items)
}

// ---------------------------------------------------------------------------
// Truthiness, equality, ordering

/// jsonata-js `fn.boolean` (`None` for undefined).
pub(crate) fn boolean(v: &Value<'_>) -> Option<bool> {
    Some(match v {
        Value::Undefined => return None,
        Value::Array(a) => match a.items.len() {
            0 => false,
            1 => boolean(&a.items[0]).unwrap_or(false),
            _ => a.items.iter().any(|x| boolean(x).unwrap_or(false)),
        },
        Value::Tuples(_) => {
            let items = v.to_items();
            match items.len() {
                0 => false,
                1 => boolean(&items[0]).unwrap_or(false),
                _ => items.iter().any(|x| boolean(x).unwrap_or(false)),
            }
        }
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::Object(o) => !o.is_empty(),
        Value::Bool(b) => *b,
        Value::Null | Value::Function(_) => false,
    })
}

/// jsonata-js `isDeepEqual` (object key order is irrelevant).
pub(crate) fn deep_equal<'a>(a: &Value<'a>, b: &Value<'a>) -> bool {
    deep_equal_at(a, b, 0)
}

fn deep_equal_at<'a>(a: &Value<'a>, b: &Value<'a>, depth: usize) -> bool {
    if depth > MAX_VALUE_DEPTH {
        return false;
    }
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(_) | Value::Tuples(_), Value::Array(_) | Value::Tuples(_)) => {
            let (x, y) = (a.to_items(), b.to_items());
            x.len() == y.len()
                && x.iter()
                    .zip(y.iter())
                    .all(|(p, q)| deep_equal_at(p, q, depth + 1))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter().all(|(k, v)| match y.get(k) {
                    Some(w) => deep_equal_at(v, w, depth + 1),
                    None => false,
                })
        }
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// JavaScript `===`: values for primitives, identity for the rest.
pub(crate) fn strict_equal<'a>(a: &Value<'a>, b: &Value<'a>) -> bool {
    match (a, b) {
        (Value::Undefined, Value::Undefined) | (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => x == y,
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => Rc::ptr_eq(x, y),
        (Value::Object(x), Value::Object(y)) => Rc::ptr_eq(x, y),
        (Value::Function(x), Value::Function(y)) => Rc::ptr_eq(x, y),
        _ => false,
    }
}

/// JavaScript string ordering (UTF-16 code units).
pub(crate) fn js_str_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    a.encode_utf16().cmp(b.encode_utf16())
}

// ---------------------------------------------------------------------------
// Numbers

/// JavaScript `Number.prototype.toString()` for a number.
pub(crate) fn js_number_to_string(x: f64) -> String {
    if x.is_nan() {
        return "NaN".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x < 0.0 {
        return format!("-{}", js_number_to_string(-x));
    }
    let sci = format!("{x:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let digits: String = mant.chars().filter(|c| *c != '.').collect();
    let k = digits.len() as i32;
    let n = exp + 1;
    if k <= n && n <= 21 {
        let mut s = digits;
        s.extend(std::iter::repeat_n('0', (n - k) as usize));
        s
    } else if 0 < n && n <= 21 {
        format!("{}.{}", &digits[..n as usize], &digits[n as usize..])
    } else if -6 < n && n <= 0 {
        format!("0.{}{}", "0".repeat((-n) as usize), digits)
    } else {
        let e = n - 1;
        let sign = if e < 0 { '-' } else { '+' };
        if k == 1 {
            format!("{digits}e{sign}{}", e.abs())
        } else {
            format!("{}.{}e{sign}{}", &digits[..1], &digits[1..], e.abs())
        }
    }
}

/// `Number(x.toPrecision(15))`.
pub(crate) fn to_precision_15(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.14e}").parse().unwrap_or(x)
}

/// JavaScript `Number.isInteger`.
pub(crate) fn is_integer(x: f64) -> bool {
    x.is_finite() && x.fract() == 0.0
}

// ---------------------------------------------------------------------------
// Stringification

fn escape_json_into(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// How numbers and functions print in [`stringify`].
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum StringifyMode {
    /// `$string()`: numbers to 15 significant digits, functions as `""`,
    /// non-finite numbers are an error (D3001 at top level, D1001 inside).
    JsonataString,
    /// Plain `JSON.stringify` (error messages): functions omitted/null.
    Plain,
}

/// `JSON.stringify` with jsonata-js's replacer; `indent` is 0 or 2.
pub(crate) fn stringify(v: &Value<'_>, mode: StringifyMode, indent: usize) -> Result<String, ()> {
    let mut out = String::new();
    write_json(&mut out, v, mode, indent, 0)?;
    Ok(out)
}

fn newline(out: &mut String, indent: usize, level: usize) {
    if indent > 0 {
        out.push('\n');
        out.extend(std::iter::repeat_n(' ', indent * level));
    }
}

fn write_json(
    out: &mut String,
    v: &Value<'_>,
    mode: StringifyMode,
    indent: usize,
    level: usize,
) -> Result<(), ()> {
    if level > MAX_VALUE_DEPTH {
        return Err(());
    }
    match v {
        Value::Undefined => out.push_str("null"),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if !n.is_finite() {
                if mode == StringifyMode::JsonataString {
                    return Err(());
                }
                out.push_str("null");
            } else if mode == StringifyMode::JsonataString {
                out.push_str(&js_number_to_string(to_precision_15(*n)));
            } else {
                out.push_str(&js_number_to_string(*n));
            }
        }
        Value::String(s) => escape_json_into(out, s),
        Value::Function(_) => match mode {
            StringifyMode::JsonataString => out.push_str("\"\""),
            StringifyMode::Plain => out.push_str("null"),
        },
        Value::Array(_) | Value::Tuples(_) => {
            let items = v.to_items();
            if items.is_empty() {
                out.push_str("[]");
                return Ok(());
            }
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                newline(out, indent, level + 1);
                write_json(out, item, mode, indent, level + 1)?;
            }
            newline(out, indent, level);
            out.push(']');
        }
        Value::Object(o) => {
            let mut first = true;
            out.push('{');
            for (k, val) in o.iter() {
                if val.is_undefined() || (mode == StringifyMode::Plain && val.is_function()) {
                    continue;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                newline(out, indent, level + 1);
                escape_json_into(out, k);
                out.push(':');
                if indent > 0 {
                    out.push(' ');
                }
                write_json(out, val, mode, indent, level + 1)?;
            }
            if !first {
                newline(out, indent, level);
            }
            out.push('}');
        }
    }
    Ok(())
}

/// `JSON.stringify(v)` as used in jsonata-js error messages (`undefined`
/// prints as `undefined`).
pub(crate) fn js_stringify(v: &Value<'_>) -> String {
    match v {
        Value::Undefined => "undefined".into(),
        Value::Function(_) => "undefined".into(),
        _ => stringify(v, StringifyMode::Plain, 0).unwrap_or_else(|_| "null".into()),
    }
}

// ---------------------------------------------------------------------------
// serde_json conversion

/// Converts input JSON into a value.
pub(crate) fn from_json<'a>(v: &serde_json::Value) -> Value<'a> {
    from_json_at(v, 0)
}

fn from_json_at<'a>(v: &serde_json::Value, depth: usize) -> Value<'a> {
    match v {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(*b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(0.0)),
        serde_json::Value::String(s) => Value::str(s),
        serde_json::Value::Array(a) => {
            if depth > MAX_VALUE_DEPTH {
                return Value::Null;
            }
            Value::array(a.iter().map(|x| from_json_at(x, depth + 1)).collect())
        }
        serde_json::Value::Object(m) => {
            if depth > MAX_VALUE_DEPTH {
                return Value::Null;
            }
            let mut o = Object::new();
            for (k, x) in m {
                o.insert(Rc::from(k.as_str()), from_json_at(x, depth + 1));
            }
            Value::object(o)
        }
    }
}

/// A JSON number as JSONata results print: integral values within the
/// `i64` range as integers, others as floats. `None` for NaN/∞.
pub(crate) fn json_number(n: f64) -> Option<serde_json::Value> {
    if !n.is_finite() {
        return None;
    }
    if n.fract() == 0.0 && n.abs() < 9.2e18 {
        return Some(serde_json::Value::from(n as i64));
    }
    serde_json::Number::from_f64(n).map(serde_json::Value::Number)
}

/// Why a value cannot become JSON.
pub(crate) enum ToJsonError {
    /// A function value (AWS: "returned an unsupported result type").
    Function,
    /// A non-finite number.
    NonFinite,
    /// Nested too deeply.
    TooDeep,
}

/// Converts a result to JSON (`Ok(None)` for undefined). Undefined array
/// items become `null` and undefined object values are dropped, as
/// `JSON.stringify` does.
pub(crate) fn to_json(v: &Value<'_>) -> Result<Option<serde_json::Value>, ToJsonError> {
    match v {
        Value::Undefined => Ok(None),
        other => to_json_at(other, 0).map(Some),
    }
}

fn to_json_at(v: &Value<'_>, depth: usize) -> Result<serde_json::Value, ToJsonError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(ToJsonError::TooDeep);
    }
    Ok(match v {
        Value::Undefined | Value::Null => serde_json::Value::Null,
        Value::Bool(b) => serde_json::Value::Bool(*b),
        Value::Number(n) => json_number(*n).ok_or(ToJsonError::NonFinite)?,
        Value::String(s) => serde_json::Value::String(s.to_string()),
        Value::Array(_) | Value::Tuples(_) => {
            let items = v.to_items();
            let mut out = Vec::with_capacity(items.len());
            for x in &items {
                out.push(to_json_at(x, depth + 1)?);
            }
            serde_json::Value::Array(out)
        }
        Value::Object(o) => {
            let mut m = serde_json::Map::new();
            for (k, x) in o.iter() {
                if x.is_undefined() {
                    continue;
                }
                m.insert(k.to_string(), to_json_at(x, depth + 1)?);
            }
            serde_json::Value::Object(m)
        }
        Value::Function(_) => return Err(ToJsonError::Function),
    })
}

/// Deep copy with `$string` number normalisation (jsonata-js clones via
/// `JSON.parse(fn.string(x))`). Functions become `""`.
pub(crate) fn deep_clone<'a>(v: &Value<'a>, depth: usize) -> Result<Value<'a>, EvalError> {
    if depth > MAX_VALUE_DEPTH {
        return Err(EvalError::stack_overflow(Span::default()));
    }
    Ok(match v {
        Value::Number(n) => Value::Number(to_precision_15(*n)),
        Value::Function(_) => Value::str(""),
        Value::Array(_) | Value::Tuples(_) => {
            let mut out = Vec::new();
            for x in v.to_items() {
                out.push(if x.is_undefined() {
                    Value::Null
                } else {
                    deep_clone(&x, depth + 1)?
                });
            }
            Value::array(out)
        }
        Value::Object(o) => {
            let mut out = Object::new();
            for (k, x) in o.iter() {
                if x.is_undefined() {
                    continue;
                }
                out.insert(k.clone(), deep_clone(x, depth + 1)?);
            }
            Value::object(out)
        }
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn js_numbers() {
        let cases = [
            (1.0, "1"),
            (-1.5, "-1.5"),
            (0.1 + 0.2, "0.30000000000000004"),
            (1e21, "1e+21"),
            (1e20, "100000000000000000000"),
            (1.5e-7, "1.5e-7"),
            (0.000001, "0.000001"),
            (123456789.125, "123456789.125"),
            (2e-7, "2e-7"),
            (-0.0, "0"),
        ];
        for (x, s) in cases {
            assert_eq!(js_number_to_string(x), s, "{x}");
        }
        assert_eq!(js_number_to_string(to_precision_15(0.1 + 0.2)), "0.3");
    }
}
