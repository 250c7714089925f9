//! The built-in function library (jsonata-js 2.0.6 `functions.js` plus the
//! Step Functions additions `$partition`, `$range`, `$hash`, `$random(seed)`,
//! `$uuid`, `$parse`). `$eval` is deliberately absent (AWS removes it).

use super::datetime;
use super::eval::{check_numeric, merge_sort, q, EvalError, Evaluator};
use super::numfmt;
use super::regex::{utf16_len, utf16_to_byte, JsRegex};
use super::signature::Sig;
use super::value::{
    append, boolean, deep_clone, deep_equal, from_json, js_str_cmp, js_stringify, stringify, Array,
    Func, Object, StringifyMode, Value,
};
use crate::span::Span;
use std::rc::Rc;
use std::sync::OnceLock;

type R<T> = Result<T, EvalError>;

/// Name, signature, JavaScript arity (as `$map` & co. see it).
const BUILTINS: &[(&str, &str, usize)] = &[
    ("sum", "<a<n>:n>", 1),
    ("count", "<a:n>", 1),
    ("max", "<a<n>:n>", 1),
    ("min", "<a<n>:n>", 1),
    ("average", "<a<n>:n>", 1),
    ("string", "<x-b?:s>", 1),
    ("substring", "<s-nn?:s>", 3),
    ("substringBefore", "<s-s:s>", 2),
    ("substringAfter", "<s-s:s>", 2),
    ("lowercase", "<s-:s>", 1),
    ("uppercase", "<s-:s>", 1),
    ("length", "<s-:n>", 1),
    ("trim", "<s-:s>", 1),
    ("pad", "<s-ns?:s>", 3),
    ("match", "<s-f<s:o>n?:a<o>>", 3),
    ("contains", "<s-(sf):b>", 2),
    ("replace", "<s-(sf)(sf)n?:s>", 4),
    ("split", "<s-(sf)n?:a<s>>", 3),
    ("join", "<a<s>s?:s>", 2),
    ("formatNumber", "<n-so?:s>", 3),
    ("formatBase", "<n-n?:s>", 2),
    ("formatInteger", "<n-s:s>", 2),
    ("parseInteger", "<s-s:n>", 2),
    ("number", "<(nsb)-:n>", 1),
    ("floor", "<n-:n>", 1),
    ("ceil", "<n-:n>", 1),
    ("round", "<n-n?:n>", 2),
    ("abs", "<n-:n>", 1),
    ("sqrt", "<n-:n>", 1),
    ("power", "<n-n:n>", 2),
    ("random", "<n?:n>", 0),
    ("boolean", "<x-:b>", 1),
    ("not", "<x-:b>", 1),
    ("map", "<af>", 2),
    ("zip", "<a+>", 0),
    ("filter", "<af>", 2),
    ("single", "<af?>", 2),
    ("reduce", "<afj?:j>", 3),
    ("sift", "<o-f?:o>", 2),
    ("keys", "<x-:a<s>>", 1),
    ("lookup", "<x-s:x>", 2),
    ("append", "<xx:a>", 2),
    ("exists", "<x:b>", 1),
    ("spread", "<x-:a<o>>", 1),
    ("merge", "<a<o>:o>", 1),
    ("reverse", "<a:a>", 1),
    ("each", "<o-f:a>", 2),
    ("error", "<s?:x>", 1),
    ("assert", "<bs?:x>", 2),
    ("type", "<x:s>", 1),
    ("sort", "<af?:a>", 2),
    ("shuffle", "<a:a>", 1),
    ("distinct", "<x:x>", 1),
    ("base64encode", "<s-:s>", 1),
    ("base64decode", "<s-:s>", 1),
    ("encodeUrlComponent", "<s-:s>", 1),
    ("encodeUrl", "<s-:s>", 1),
    ("decodeUrlComponent", "<s-:s>", 1),
    ("decodeUrl", "<s-:s>", 1),
    ("toMillis", "<s-s?:n>", 2),
    ("fromMillis", "<n-s?s?:s>", 3),
    ("clone", "<(oa)-:o>", 1),
    ("now", "<s?s?:s>", 2),
    ("millis", "<:n>", 0),
    // AWS Step Functions additions.
    ("partition", "<an:a>", 2),
    ("range", "<nnn?:a>", 3),
    ("hash", "<ss?:s>", 2),
    ("uuid", "<:s>", 0),
    ("parse", "<s-:x>", 1),
];

/// The names of all built-in functions (without `$`).
pub fn builtin_names() -> impl Iterator<Item = &'static str> {
    BUILTINS.iter().map(|b| b.0)
}

pub(crate) fn builtin_index(name: &str) -> Option<usize> {
    BUILTINS.iter().position(|b| b.0 == name)
}

pub(crate) fn builtin_name(id: usize) -> &'static str {
    BUILTINS.get(id).map(|b| b.0).unwrap_or("")
}

pub(crate) fn builtin_sig(id: usize) -> &'static Sig {
    static SIGS: OnceLock<Vec<Sig>> = OnceLock::new();
    let sigs = SIGS.get_or_init(|| BUILTINS.iter().map(|b| Sig::parse(b.1)).collect());
    &sigs[id.min(sigs.len() - 1)]
}

/// jsonata-js `getFunctionArity`.
pub(crate) fn arity(f: &Value<'_>) -> usize {
    match f {
        Value::Function(f) => match &**f {
            Func::Builtin(id) => BUILTINS.get(*id).map(|b| b.2).unwrap_or(0),
            Func::Lambda(l) => l.params.len(),
            Func::Partial { args, .. } => args.iter().filter(|a| a.is_none()).count(),
            Func::Regex(_) => 2,
            Func::RegexNext { .. } => 0,
            Func::Transform { .. } | Func::Chain(..) => 1,
        },
        _ => 0,
    }
}

fn arg<'a>(args: &[Value<'a>], i: usize) -> Value<'a> {
    args.get(i).cloned().unwrap_or(Value::Undefined)
}

fn num(args: &[Value<'_>], i: usize) -> Option<f64> {
    args.get(i).and_then(|v| v.as_f64())
}

fn text(args: &[Value<'_>], i: usize) -> Option<Rc<str>> {
    match args.get(i) {
        Some(Value::String(s)) => Some(s.clone()),
        _ => None,
    }
}

fn err(code: &'static str, message: impl Into<String>, span: Span) -> EvalError {
    EvalError::new(code, message, span)
}

/// JavaScript truthiness (used for `$sort` comparator results).
fn js_truthy(v: &Value<'_>) -> bool {
    match v {
        Value::Undefined | Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => *n != 0.0 && !n.is_nan(),
        Value::String(s) => !s.is_empty(),
        _ => true,
    }
}

/// `$string()` / `&` conversion of a defined value.
pub(crate) fn to_string(v: &Value<'_>, span: Span) -> R<String> {
    match v {
        Value::String(s) => Ok(s.to_string()),
        Value::Function(_) => Ok(String::new()),
        Value::Number(n) if !n.is_finite() => Err(err(
            "D3001",
            "Attempting to invoke string function on Infinity or NaN",
            span,
        )),
        _ => stringify_value(v, 0, span),
    }
}

fn stringify_value(v: &Value<'_>, indent: usize, span: Span) -> R<String> {
    let v = match v {
        Value::Array(a) if a.outer_wrapper => a.items.first().cloned().unwrap_or(Value::Undefined),
        other => other.clone(),
    };
    stringify(&v, StringifyMode::JsonataString, indent)
        .map_err(|_| err("D1001", "Number out of range: null", span))
}

/// JavaScript `Array.prototype.slice` bounds for length `len`.
fn js_slice_bounds(len: usize, start: f64, end: Option<f64>) -> (usize, usize) {
    let len_f = len as f64;
    let norm = |x: f64| -> usize {
        let x = if x.is_nan() { 0.0 } else { x.trunc() };
        if x < 0.0 {
            (len_f + x).max(0.0) as usize
        } else {
            x.min(len_f) as usize
        }
    };
    let s = norm(start);
    let e = end.map(norm).unwrap_or(len);
    (s, e.max(s))
}

// ---------------------------------------------------------------------------
// Matchers (regexes and user matcher functions)

enum Next<'a> {
    Native { re: Rc<JsRegex>, from: usize },
    Custom(Value<'a>),
    Done,
}

struct Found<'a> {
    matched: String,
    start: usize,
    end: usize,
    groups: Vec<Value<'a>>,
    next: Next<'a>,
}

fn native_found<'a>(re: &Rc<JsRegex>, t: &str, m: super::regex::RegexMatch) -> Found<'a> {
    Found {
        matched: t[m.start..m.end].to_string(),
        start: m.start,
        end: m.end,
        groups: m
            .groups
            .into_iter()
            .map(|g| g.map(Value::string).unwrap_or(Value::Undefined))
            .collect(),
        next: Next::Native {
            re: re.clone(),
            from: m.end,
        },
    }
}

fn regex_error(e: String, span: Span) -> EvalError {
    err(
        "D1004",
        format!("Regular expression evaluation failed: {e}"),
        span,
    )
}

fn custom_found<'a>(result: Value<'a>, t: &str, span: Span) -> R<Option<Found<'a>>> {
    let Value::Object(o) = &result else {
        if result.is_undefined() {
            return Ok(None);
        }
        return Err(t1010(span));
    };
    let start_ok = matches!(o.get("start"), Some(Value::Number(_)));
    let groups_ok = matches!(o.get("groups"), Some(Value::Array(_)));
    let next_ok = matches!(o.get("next"), Some(Value::Function(_)));
    if !(start_ok || groups_ok || next_ok) {
        return Err(t1010(span));
    }
    let matched = o
        .get("match")
        .and_then(|v| v.as_str())
        .unwrap_or("")
        .to_string();
    let start = o
        .get("start")
        .and_then(|v| v.as_f64())
        .unwrap_or(0.0)
        .max(0.0) as usize;
    let start = utf16_to_byte(t, start);
    let end = match o.get("end").and_then(|v| v.as_f64()) {
        Some(e) => utf16_to_byte(t, e.max(0.0) as usize),
        None => (start + matched.len()).min(t.len()),
    };
    let groups = o.get("groups").map(|g| g.to_items()).unwrap_or_default();
    let next = match o.get("next") {
        Some(f @ Value::Function(_)) => Next::Custom(f.clone()),
        _ => Next::Done,
    };
    Ok(Some(Found {
        matched,
        start,
        end,
        groups,
        next,
    }))
}

fn t1010(span: Span) -> EvalError {
    err(
        "T1010",
        "The matcher function argument passed to function undefined does not return the correct object structure",
        span,
    )
}

fn first_match<'a>(
    ev: &mut Evaluator<'a, '_>,
    matcher: &Value<'a>,
    t: &Rc<str>,
    span: Span,
) -> R<Option<Found<'a>>> {
    if let Value::Function(f) = matcher {
        if let Func::Regex(re) = &**f {
            return Ok(re
                .exec(t, 0)
                .map_err(|e| regex_error(e, span))?
                .map(|m| native_found(re, t, m)));
        }
    }
    let result = ev.apply(
        matcher,
        vec![Value::String(t.clone())],
        &Value::Undefined,
        span,
        None,
    )?;
    custom_found(result, t, span)
}

fn next_match<'a>(
    ev: &mut Evaluator<'a, '_>,
    found: &Found<'a>,
    t: &Rc<str>,
    span: Span,
) -> R<Option<Found<'a>>> {
    match &found.next {
        Next::Done => Ok(None),
        Next::Native { re, from } => native_next(re, t, *from, span),
        Next::Custom(f) => {
            let f = f.clone();
            let result = ev.apply(&f, vec![], &Value::Undefined, span, None)?;
            custom_found(result, t, span)
        }
    }
}

fn native_next<'a>(re: &Rc<JsRegex>, t: &str, from: usize, span: Span) -> R<Option<Found<'a>>> {
    if from >= t.len() {
        return Ok(None);
    }
    match re.exec(t, from).map_err(|e| regex_error(e, span))? {
        Some(m) => {
            if m.start == m.end {
                return Err(err(
                    "D1004",
                    "Regular expression matches zero length string",
                    span,
                ));
            }
            Ok(Some(native_found(re, t, m)))
        }
        None => Ok(None),
    }
}

fn match_object<'a>(found: &Found<'a>, t: &Rc<str>, re: &Rc<JsRegex>) -> Value<'a> {
    let mut o = Object::new();
    let start = utf16_len(&t[..found.start]);
    o.insert("match".into(), Value::str(&found.matched));
    o.insert("start".into(), Value::Number(start as f64));
    o.insert(
        "end".into(),
        Value::Number((start + utf16_len(&found.matched)) as f64),
    );
    o.insert("groups".into(), Value::array(found.groups.clone()));
    o.insert(
        "next".into(),
        Value::Function(Rc::new(Func::RegexNext {
            regex: re.clone(),
            text: t.clone(),
            from: found.end,
        })),
    );
    Value::object(o)
}

/// Calling a regex value directly: `closure(str, fromIndex)`.
pub(crate) fn regex_call<'a>(
    _ev: &mut Evaluator<'a, '_>,
    re: &Rc<JsRegex>,
    args: &[Value<'a>],
    span: Span,
) -> R<Value<'a>> {
    let Some(t) = text(args, 0) else {
        return Ok(Value::Undefined);
    };
    let from = utf16_to_byte(&t, num(args, 1).unwrap_or(0.0).max(0.0) as usize);
    match re.exec(&t, from).map_err(|e| regex_error(e, span))? {
        Some(m) => {
            let found = native_found(re, &t, m);
            Ok(match_object(&found, &t, re))
        }
        None => Ok(Value::Undefined),
    }
}

/// The `next()` of a match object.
pub(crate) fn regex_next<'a>(
    _ev: &mut Evaluator<'a, '_>,
    re: &Rc<JsRegex>,
    t: &Rc<str>,
    from: usize,
    span: Span,
) -> R<Value<'a>> {
    match native_next(re, t, from, span)? {
        Some(found) => Ok(match_object(&found, t, re)),
        None => Ok(Value::Undefined),
    }
}

// ---------------------------------------------------------------------------
// Dispatch

/// Applies built-in `id` to validated arguments.
pub(crate) fn call_builtin<'a>(
    ev: &mut Evaluator<'a, '_>,
    id: usize,
    args: Vec<Value<'a>>,
    _input: &Value<'a>,
    span: Span,
) -> R<Value<'a>> {
    let name = builtin_name(id);
    let a0 = arg(&args, 0);
    // Most functions return undefined for an undefined first argument.
    let undefined_in = a0.is_undefined();
    macro_rules! undef_guard {
        () => {
            if undefined_in {
                return Ok(Value::Undefined);
            }
        };
    }
    Ok(match name {
        "sum" => {
            undef_guard!();
            Value::Number(a0.to_items().iter().filter_map(|v| v.as_f64()).sum())
        }
        "count" => Value::Number(a0.to_items().len() as f64),
        "max" | "min" => {
            let ns: Vec<f64> = a0.to_items().iter().filter_map(|v| v.as_f64()).collect();
            if ns.is_empty() {
                return Ok(Value::Undefined);
            }
            let f = if name == "max" { f64::max } else { f64::min };
            Value::Number(ns.iter().copied().fold(ns[0], f))
        }
        "average" => {
            let ns: Vec<f64> = a0.to_items().iter().filter_map(|v| v.as_f64()).collect();
            if ns.is_empty() {
                return Ok(Value::Undefined);
            }
            Value::Number(ns.iter().sum::<f64>() / ns.len() as f64)
        }
        "string" => {
            undef_guard!();
            let pretty = matches!(arg(&args, 1), Value::Bool(true));
            let s = match &a0 {
                Value::String(_) | Value::Function(_) => to_string(&a0, span)?,
                Value::Number(n) if !n.is_finite() => to_string(&a0, span)?,
                _ => stringify_value(&a0, if pretty { 2 } else { 0 }, span)?,
            };
            ev.check_str(s.len(), span)?;
            Value::string(s)
        }
        "substring" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let chars: Vec<char> = s.chars().collect();
            let len = chars.len() as f64;
            let mut start = num(&args, 1).unwrap_or(0.0);
            if len + start < 0.0 {
                start = 0.0;
            }
            let (b, e) = match num(&args, 2) {
                Some(length) => {
                    if length <= 0.0 {
                        return Ok(Value::str(""));
                    }
                    let end = if start >= 0.0 {
                        start + length
                    } else {
                        len + start + length
                    };
                    js_slice_bounds(chars.len(), start, Some(end))
                }
                None => js_slice_bounds(chars.len(), start, None),
            };
            Value::string(chars[b..e].iter().collect())
        }
        "substringBefore" | "substringAfter" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let chars = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            match s.find(&*chars) {
                Some(pos) if name == "substringBefore" => Value::str(&s[..pos]),
                Some(pos) => Value::str(&s[pos + chars.len()..]),
                None => Value::String(s),
            }
        }
        "lowercase" => match text(&args, 0) {
            Some(s) => Value::string(s.to_lowercase()),
            None => Value::Undefined,
        },
        "uppercase" => match text(&args, 0) {
            Some(s) => Value::string(s.to_uppercase()),
            None => Value::Undefined,
        },
        "length" => match text(&args, 0) {
            Some(s) => Value::Number(s.chars().count() as f64),
            None => Value::Undefined,
        },
        "trim" => match text(&args, 0) {
            Some(s) => Value::string(trim(&s)),
            None => Value::Undefined,
        },
        "pad" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let width = num(&args, 1).unwrap_or(0.0).trunc();
            let pad_char = match text(&args, 2) {
                Some(c) if !c.is_empty() => c,
                _ => Rc::from(" "),
            };
            let pad_len = width.abs() - s.chars().count() as f64;
            if pad_len <= 0.0 {
                return Ok(Value::String(s));
            }
            ev.check_str(
                (pad_len as usize).saturating_mul(pad_char.len().min(4)),
                span,
            )?;
            let pad_len = pad_len as usize;
            let padding: String = pad_char.chars().cycle().take(pad_len).collect();
            if width > 0.0 {
                Value::string(format!("{s}{padding}"))
            } else {
                Value::string(format!("{padding}{s}"))
            }
        }
        "contains" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            match arg(&args, 1) {
                Value::String(tok) => Value::Bool(s.contains(&*tok)),
                m @ Value::Function(_) => Value::Bool(first_match(ev, &m, &s, span)?.is_some()),
                _ => Value::Undefined,
            }
        }
        "match" => fn_match(ev, &args, span)?,
        "replace" => fn_replace(ev, &args, span)?,
        "split" => fn_split(ev, &args, span)?,
        "join" => {
            undef_guard!();
            let sep = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            let parts: Vec<String> = a0
                .to_items()
                .iter()
                .map(|v| v.as_str().unwrap_or("").to_string())
                .collect();
            let total: usize = parts.iter().map(|p| p.len()).sum::<usize>()
                + sep.len() * parts.len().saturating_sub(1);
            ev.check_str(total, span)?;
            Value::string(parts.join(&sep))
        }
        "formatNumber" => {
            let Some(n) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let picture = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            let options = match arg(&args, 2) {
                Value::Object(o) => Some(o),
                _ => None,
            };
            Value::string(numfmt::format_number(
                n,
                &picture,
                options.as_deref(),
                span,
            )?)
        }
        "formatBase" => {
            let Some(n) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            Value::string(numfmt::format_base(n, num(&args, 1), span)?)
        }
        "formatInteger" => {
            let Some(n) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let picture = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            Value::string(datetime::format_integer(n, &picture, span)?)
        }
        "parseInteger" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let picture = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            datetime::parse_integer(&s, &picture, span)?
                .map(Value::Number)
                .unwrap_or(Value::Undefined)
        }
        "number" => fn_number(&a0, span)?,
        "floor" | "ceil" | "abs" | "sqrt" => {
            let Some(n) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            Value::Number(match name {
                "floor" => n.floor(),
                "ceil" => n.ceil(),
                "abs" => n.abs(),
                _ => {
                    if n < 0.0 {
                        return Err(err(
                            "D3060",
                            format!(
                                "The sqrt function cannot be applied to a negative number: {}",
                                js_stringify(&a0)
                            ),
                            span,
                        ));
                    }
                    n.sqrt()
                }
            })
        }
        "round" => {
            let Some(n) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            Value::Number(round(n, num(&args, 1).unwrap_or(0.0)))
        }
        "power" => {
            let Some(b) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let e = num(&args, 1).unwrap_or(f64::NAN);
            let r = b.powf(e);
            if !r.is_finite() {
                return Err(err(
                    "D3061",
                    format!(
                        "The power function has resulted in a value that cannot be represented as a JSON number: base={}, exponent={}",
                        js_stringify(&a0),
                        js_stringify(&arg(&args, 1))
                    ),
                    span,
                ));
            }
            Value::Number(r)
        }
        "random" => match num(&args, 0) {
            Some(seed) => Value::Number(java_random_double(seed)),
            None => {
                let r = ev.env.random_f64();
                Value::Number(if (0.0..1.0).contains(&r) { r } else { 0.0 })
            }
        },
        "boolean" => match boolean(&a0) {
            Some(b) => Value::Bool(b),
            None => Value::Undefined,
        },
        "not" => match boolean(&a0) {
            Some(b) => Value::Bool(!b),
            None => Value::Undefined,
        },
        "map" | "filter" => {
            undef_guard!();
            let f = arg(&args, 1);
            let items = a0.to_items();
            let ar = arity(&f);
            let mut out = Vec::new();
            for (i, item) in items.iter().enumerate() {
                let call_args = hof_args(ar, item, Value::Number(i as f64), &a0);
                let res = ev.apply(&f, call_args, &Value::Undefined, span, None)?;
                if name == "map" {
                    if !res.is_undefined() {
                        out.push(res);
                    }
                } else if boolean(&res).unwrap_or(false) {
                    out.push(item.clone());
                }
            }
            Value::seq(out)
        }
        "single" => {
            undef_guard!();
            let f = arg(&args, 1);
            let items = a0.to_items();
            let ar = arity(&f);
            let mut found: Option<Value<'a>> = None;
            for (i, item) in items.iter().enumerate() {
                let ok = if f.is_undefined() {
                    true
                } else {
                    let call_args = hof_args(ar, item, Value::Number(i as f64), &a0);
                    let res = ev.apply(&f, call_args, &Value::Undefined, span, None)?;
                    boolean(&res).unwrap_or(false)
                };
                if ok {
                    if found.is_some() {
                        return Err(err(
                            "D3138",
                            "The $single() function expected exactly 1 matching result.  Instead it matched more.",
                            span,
                        ));
                    }
                    found = Some(item.clone());
                }
            }
            match found {
                Some(v) => v,
                None => {
                    return Err(err(
                        "D3139",
                        "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
                        span,
                    ))
                }
            }
        }
        "reduce" => {
            undef_guard!();
            let f = arg(&args, 1);
            let ar = arity(&f);
            if ar < 2 {
                return Err(err(
                    "D3050",
                    "The second argument of reduce function must be a function with at least two arguments",
                    span,
                ));
            }
            let items = a0.to_items();
            let init = arg(&args, 2);
            let (mut acc, start) = if init.is_undefined() && !items.is_empty() {
                (items[0].clone(), 1)
            } else {
                (init, 0)
            };
            for (i, item) in items.iter().enumerate().skip(start) {
                let mut call_args = vec![acc, item.clone()];
                if ar >= 3 {
                    call_args.push(Value::Number(i as f64));
                }
                if ar >= 4 {
                    call_args.push(a0.clone());
                }
                acc = ev.apply(&f, call_args, &Value::Undefined, span, None)?;
            }
            acc
        }
        "zip" => {
            let arrays: Vec<Vec<Value<'a>>> = args
                .iter()
                .map(|a| {
                    if a.is_array() {
                        a.to_items()
                    } else {
                        Vec::new()
                    }
                })
                .collect();
            let len = arrays.iter().map(|a| a.len()).min().unwrap_or(0);
            let mut out = Vec::with_capacity(len);
            for i in 0..len {
                out.push(Value::array(arrays.iter().map(|a| a[i].clone()).collect()));
            }
            Value::array(out)
        }
        "sift" | "each" => {
            let Value::Object(o) = &a0 else {
                return Ok(if name == "each" {
                    Value::seq(vec![])
                } else {
                    Value::Undefined
                });
            };
            let f = arg(&args, 1);
            if !f.is_function() {
                return Ok(Value::Undefined);
            }
            let ar = arity(&f);
            let mut kept = Object::new();
            let mut out = Vec::new();
            for (k, v) in o.iter() {
                let call_args = hof_args(ar, v, Value::String(k.clone()), &a0);
                let res = ev.apply(&f, call_args, &Value::Undefined, span, None)?;
                if name == "each" {
                    if !res.is_undefined() {
                        out.push(res);
                    }
                } else if boolean(&res).unwrap_or(false) {
                    kept.insert(k.clone(), v.clone());
                }
            }
            if name == "each" {
                Value::seq(out)
            } else if kept.is_empty() {
                Value::Undefined
            } else {
                Value::object(kept)
            }
        }
        "keys" => keys(&a0),
        "lookup" => {
            let key = text(&args, 1).unwrap_or_else(|| Rc::from(""));
            super::eval::lookup_field(&a0, &key)
        }
        "append" => {
            let r = append(a0, arg(&args, 1));
            ev.check_len(r.array_len(), span)?;
            r
        }
        "exists" => Value::Bool(!undefined_in),
        "spread" => spread(&a0),
        "merge" => {
            undef_guard!();
            let mut out = Object::new();
            for item in a0.to_items() {
                if let Value::Object(o) = item {
                    for (k, v) in o.iter() {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Value::object(out)
        }
        "reverse" => {
            undef_guard!();
            if a0.array_len() <= 1 {
                return Ok(a0);
            }
            let mut items = a0.to_items();
            items.reverse();
            Value::array(items)
        }
        "error" => {
            let message = match text(&args, 0) {
                Some(m) if !m.is_empty() => m.to_string(),
                _ => "$error() function evaluated".to_string(),
            };
            return Err(err("D3137", message, span));
        }
        "assert" => {
            if !js_truthy(&a0) {
                let message = match text(&args, 1) {
                    Some(m) if !m.is_empty() => m.to_string(),
                    _ => "$assert() statement failed".to_string(),
                };
                return Err(err("D3141", message, span));
            }
            Value::Undefined
        }
        "type" => {
            undef_guard!();
            Value::str(a0.type_name())
        }
        "sort" => fn_sort(ev, a0, arg(&args, 1), span)?,
        "shuffle" => {
            undef_guard!();
            if a0.array_len() <= 1 {
                return Ok(a0);
            }
            let items = a0.to_items();
            let mut result: Vec<Value<'a>> = vec![Value::Undefined; items.len()];
            for (i, item) in items.into_iter().enumerate() {
                let r = ev.env.random_f64();
                let j = ((if (0.0..1.0).contains(&r) { r } else { 0.0 }) * (i as f64 + 1.0)).floor()
                    as usize;
                let j = j.min(i);
                if i != j {
                    result[i] = result[j].clone();
                }
                result[j] = item;
            }
            Value::array(result)
        }
        "distinct" => {
            undef_guard!();
            let Value::Array(a) = &a0 else {
                return Ok(a0);
            };
            if a.items.len() <= 1 {
                return Ok(a0);
            }
            let mut out: Vec<Value<'a>> = Vec::new();
            for v in &a.items {
                if !out.iter().any(|x| deep_equal(x, v)) {
                    out.push(v.clone());
                }
            }
            Value::Array(Rc::new(Array {
                items: out,
                sequence: a.sequence,
                ..Default::default()
            }))
        }
        "base64encode" => match text(&args, 0) {
            Some(s) => {
                use base64::Engine;
                let bytes: Vec<u8> = s.encode_utf16().map(|u| u as u8).collect();
                Value::string(base64::engine::general_purpose::STANDARD.encode(bytes))
            }
            None => Value::Undefined,
        },
        "base64decode" => match text(&args, 0) {
            Some(s) => Value::string(
                base64_decode_lenient(&s)
                    .iter()
                    .map(|b| *b as char)
                    .collect(),
            ),
            None => Value::Undefined,
        },
        "encodeUrlComponent" | "encodeUrl" => match text(&args, 0) {
            Some(s) => Value::string(encode_uri(&s, name == "encodeUrlComponent")),
            None => Value::Undefined,
        },
        "decodeUrlComponent" | "decodeUrl" => match text(&args, 0) {
            Some(s) => match decode_uri(&s, name == "decodeUrlComponent") {
                Some(d) => Value::string(d),
                None => {
                    return Err(err(
                        "D3140",
                        format!("Malformed URL passed to ${name}(): {}", q(&s)),
                        span,
                    ))
                }
            },
            None => Value::Undefined,
        },
        "toMillis" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            match datetime::to_millis(&s, text(&args, 1).as_deref(), ev.now, span)? {
                Some(ms) => Value::Number(ms),
                None => Value::Undefined,
            }
        }
        "fromMillis" => {
            let Some(ms) = num(&args, 0) else {
                return Ok(Value::Undefined);
            };
            Value::string(datetime::from_millis(
                ms,
                text(&args, 1).as_deref(),
                text(&args, 2).as_deref(),
                span,
            )?)
        }
        "now" => Value::string(datetime::from_millis(
            ev.now as f64,
            text(&args, 0).as_deref(),
            text(&args, 1).as_deref(),
            span,
        )?),
        "millis" => Value::Number(ev.now as f64),
        "clone" => {
            undef_guard!();
            deep_clone(&a0, 0)?
        }
        "partition" => {
            undef_guard!();
            let size = num(&args, 1).unwrap_or(0.0);
            if size.is_nan() || size < 1.0 || size.fract() != 0.0 {
                return Err(err(
                    "D3201",
                    format!(
                        "The size argument of the partition function must be a positive integer: {}",
                        js_stringify(&arg(&args, 1))
                    ),
                    span,
                ));
            }
            let items = a0.to_items();
            let size = (size as usize).max(1);
            Value::array(
                items
                    .chunks(size)
                    .map(|c| Value::array(c.to_vec()))
                    .collect(),
            )
        }
        "range" => fn_range(ev, &args, span)?,
        "hash" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            let alg = text(&args, 1).unwrap_or_else(|| Rc::from("SHA-256"));
            Value::string(hash(&s, &alg).ok_or_else(|| {
                err(
                    "D3202",
                    format!(
                        "The hash algorithm {} is not supported; use one of MD5, SHA-1, SHA-256, SHA-384, SHA-512",
                        q(&alg)
                    ),
                    span,
                )
            })?)
        }
        "uuid" => {
            let hi = ev.env.random_u64();
            let lo = ev.env.random_u64();
            let mut bytes = [0u8; 16];
            bytes[..8].copy_from_slice(&hi.to_be_bytes());
            bytes[8..].copy_from_slice(&lo.to_be_bytes());
            Value::string(
                uuid::Builder::from_random_bytes(bytes)
                    .into_uuid()
                    .to_string(),
            )
        }
        "parse" => {
            let Some(s) = text(&args, 0) else {
                return Ok(Value::Undefined);
            };
            match serde_json::from_str::<serde_json::Value>(&s) {
                Ok(j) => from_json(&j),
                Err(e) => {
                    return Err(err(
                        "D3203",
                        format!("Unable to parse the JSON string passed to function parse: {e}"),
                        span,
                    ))
                }
            }
        }
        _ => return Err(err("T1006", "Attempted to invoke a non-function", span)),
    })
}

/// `hofFuncArgs`: the value, then index and whole array if the function
/// takes them.
fn hof_args<'a>(
    arity: usize,
    value: &Value<'a>,
    index: Value<'a>,
    all: &Value<'a>,
) -> Vec<Value<'a>> {
    let mut v = vec![value.clone()];
    if arity >= 2 {
        v.push(index);
    }
    if arity >= 3 {
        v.push(all.clone());
    }
    v
}

fn trim(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_ws = false;
    for c in s.chars() {
        if matches!(c, ' ' | '\t' | '\n' | '\r') {
            if !in_ws {
                out.push(' ');
                in_ws = true;
            }
        } else {
            out.push(c);
            in_ws = false;
        }
    }
    let out = out.strip_prefix(' ').unwrap_or(&out);
    out.strip_suffix(' ').unwrap_or(out).to_string()
}

fn fn_number<'a>(v: &Value<'a>, span: Span) -> R<Value<'a>> {
    let fail = || {
        err(
            "D3030",
            format!("Unable to cast value to a number: {}", js_stringify(v)),
            span,
        )
    };
    Ok(match v {
        Value::Undefined => Value::Undefined,
        Value::Number(n) => Value::Number(*n),
        Value::Bool(b) => Value::Number(if *b { 1.0 } else { 0.0 }),
        Value::String(s) => {
            if is_decimal_literal(s) {
                match s.parse::<f64>() {
                    Ok(n) if n.is_finite() => Value::Number(n),
                    _ => return Err(fail()),
                }
            } else if let Some(n) = radix_literal(s) {
                Value::Number(n)
            } else {
                return Err(fail());
            }
        }
        _ => return Err(fail()),
    })
}

/// `^-?[0-9]+(\.[0-9]+)?([Ee][-+]?[0-9]+)?$`
fn is_decimal_literal(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if b.first() == Some(&b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let start = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > start
    };
    if !digits(&mut i) {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

fn radix_literal(s: &str) -> Option<f64> {
    let (radix, digits) = match s.get(..2) {
        Some("0x") | Some("0X") => (16, &s[2..]),
        Some("0o") | Some("0O") => (8, &s[2..]),
        Some("0b") | Some("0B") => (2, &s[2..]),
        _ => return None,
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let mut n = 0f64;
    for c in digits.chars() {
        n = n * radix as f64 + c.to_digit(radix)? as f64;
    }
    Some(n)
}

/// JavaScript `Math.round`.
fn js_round(x: f64) -> f64 {
    let f = x.floor();
    if x - f >= 0.5 {
        f + 1.0
    } else {
        f
    }
}

/// `$round` with banker's rounding and decimal-string scaling.
pub(crate) fn round(arg: f64, precision: f64) -> f64 {
    let shift = |x: f64, by: f64| -> f64 {
        let s = super::value::js_number_to_string(x);
        let (m, e) = match s.split_once('e') {
            Some((m, e)) => (m.to_string(), e.parse::<f64>().unwrap_or(0.0)),
            None => (s, 0.0),
        };
        format!("{m}e{}", super::value::js_number_to_string(e + by))
            .parse()
            .unwrap_or(f64::NAN)
    };
    let mut x = arg;
    if precision != 0.0 {
        x = shift(x, precision);
    }
    let mut result = js_round(x);
    let diff = result - x;
    if diff.abs() == 0.5 && (result % 2.0).abs() == 1.0 {
        result -= 1.0;
    }
    if precision != 0.0 {
        result = shift(result, -precision);
    }
    if result == 0.0 {
        result = 0.0;
    }
    result
}

/// `new java.util.Random(seed).nextDouble()`.
fn java_random_double(seed: f64) -> f64 {
    const MULT: u64 = 0x5_DEEC_E66D;
    const MASK: u64 = (1 << 48) - 1;
    let mut state = ((seed as i64) as u64 ^ MULT) & MASK;
    let mut next = |bits: u32| -> u64 {
        state = state.wrapping_mul(MULT).wrapping_add(0xB) & MASK;
        state >> (48 - bits)
    };
    let hi = next(26);
    let lo = next(27);
    ((hi << 27) + lo) as f64 * (1.0 / (1u64 << 53) as f64)
}

fn keys<'a>(v: &Value<'a>) -> Value<'a> {
    match v {
        Value::Array(_) | Value::Tuples(_) => {
            let mut seen = Object::new();
            for item in v.to_items() {
                if let Value::Object(o) = item {
                    for k in o.keys() {
                        seen.insert(k.clone(), Value::Bool(true));
                    }
                }
            }
            Value::seq(seen.keys().map(|k| Value::String(k.clone())).collect())
        }
        Value::Object(o) => Value::seq(o.keys().map(|k| Value::String(k.clone())).collect()),
        _ => Value::seq(vec![]),
    }
}

fn spread<'a>(v: &Value<'a>) -> Value<'a> {
    match v {
        Value::Array(_) | Value::Tuples(_) => {
            let mut result = Value::seq(vec![]);
            for item in v.to_items() {
                result = append(result, spread(&item));
            }
            result
        }
        Value::Object(o) => Value::seq(
            o.iter()
                .map(|(k, x)| {
                    let mut one = Object::new();
                    one.insert(k.clone(), x.clone());
                    Value::object(one)
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn fn_sort<'a>(
    ev: &mut Evaluator<'a, '_>,
    arr: Value<'a>,
    cmp: Value<'a>,
    span: Span,
) -> R<Value<'a>> {
    if arr.is_undefined() {
        return Ok(Value::Undefined);
    }
    if arr.array_len() <= 1 {
        return Ok(arr);
    }
    let items = arr.to_items();
    let sorted = if cmp.is_undefined() {
        let all_num = items.iter().all(|v| matches!(v, Value::Number(_)));
        let all_str = items.iter().all(|v| matches!(v, Value::String(_)));
        if !all_num && !all_str {
            return Err(err(
                "D3070",
                "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
                span,
            ));
        }
        for v in &items {
            if let Value::Number(n) = v {
                check_numeric(*n, span)?;
            }
        }
        merge_sort(items, &mut |a, b| {
            Ok(match (a, b) {
                (Value::Number(x), Value::Number(y)) => x > y,
                (Value::String(x), Value::String(y)) => {
                    js_str_cmp(x, y) == std::cmp::Ordering::Greater
                }
                _ => false,
            })
        })?
    } else {
        let mut fail: Option<EvalError> = None;
        let sorted = merge_sort(items, &mut |a, b| {
            let r = ev.apply(
                &cmp,
                vec![a.clone(), b.clone()],
                &Value::Undefined,
                span,
                None,
            );
            match r {
                Ok(v) => Ok(js_truthy(&v)),
                Err(e) => {
                    fail = Some(e.clone());
                    Err(e)
                }
            }
        });
        if let Some(e) = fail {
            return Err(e);
        }
        sorted?
    };
    Ok(Value::array(sorted))
}

fn fn_range<'a>(ev: &mut Evaluator<'a, '_>, args: &[Value<'a>], span: Span) -> R<Value<'a>> {
    let (Some(start), Some(end)) = (num(args, 0), num(args, 1)) else {
        return Ok(Value::Undefined);
    };
    let step = num(args, 2).unwrap_or(1.0);
    if step == 0.0 || !step.is_finite() {
        return Err(err(
            "D3204",
            "The step argument of the range function must be a non-zero number",
            span,
        ));
    }
    let count = ((end - start) / step).floor() + 1.0;
    if count.is_nan() || count < 1.0 {
        return Ok(Value::seq(vec![]));
    }
    if count > ev.limits.max_sequence as f64 {
        return Err(err(
            "D2014",
            format!(
                "The size of the sequence allocated by the range function must not exceed {}.  Attempted to allocate {}.",
                ev.limits.max_sequence,
                super::value::js_number_to_string(count)
            ),
            span,
        ));
    }
    let n = count as usize;
    let mut items = Vec::with_capacity(n);
    for i in 0..n {
        items.push(Value::Number(start + step * i as f64));
    }
    Ok(Value::seq(items))
}

fn hash(s: &str, alg: &str) -> Option<String> {
    use md5::Digest as _;
    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02x}")).collect()
    }
    Some(match alg {
        "MD5" => hex(&md5::Md5::digest(s.as_bytes())),
        "SHA-1" => hex(&sha1::Sha1::digest(s.as_bytes())),
        "SHA-256" => hex(&sha2::Sha256::digest(s.as_bytes())),
        "SHA-384" => hex(&sha2::Sha384::digest(s.as_bytes())),
        "SHA-512" => hex(&sha2::Sha512::digest(s.as_bytes())),
        _ => return None,
    })
}

fn fn_match<'a>(ev: &mut Evaluator<'a, '_>, args: &[Value<'a>], span: Span) -> R<Value<'a>> {
    let Some(s) = text(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = num(args, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(err(
            "D3040",
            "Third argument of match function must evaluate to a positive number",
            span,
        ));
    }
    let mut out = Vec::new();
    if limit.is_none_or(|l| l > 0.0) {
        let matcher = arg(args, 1);
        let mut cur = first_match(ev, &matcher, &s, span)?;
        while let Some(found) = cur {
            if limit.is_some_and(|l| out.len() as f64 >= l) {
                break;
            }
            let mut o = Object::new();
            o.insert("match".into(), Value::str(&found.matched));
            o.insert(
                "index".into(),
                Value::Number(utf16_len(&s[..found.start.min(s.len())]) as f64),
            );
            o.insert("groups".into(), Value::array(found.groups.clone()));
            out.push(Value::object(o));
            ev.check_len(out.len(), span)?;
            cur = next_match(ev, &found, &s, span)?;
        }
    }
    Ok(Value::seq(out))
}

/// The `$n` substitution of `$replace` with a string replacement.
fn substitute(replacement: &str, found: &Found<'_>) -> String {
    let mut out = String::new();
    let mut position = 0;
    let r = replacement;
    let groups = &found.groups;
    while let Some(rel) = r[position..].find('$') {
        let index = position + rel;
        out.push_str(&r[position..index]);
        position = index + 1;
        let dollar_val = r[position..].chars().next();
        match dollar_val {
            Some('$') => {
                out.push('$');
                position += 1;
            }
            Some('0') => {
                out.push_str(&found.matched);
                position += 1;
            }
            _ => {
                let max_digits = if groups.is_empty() {
                    1
                } else {
                    (groups.len() as f64).log10().floor() as usize + 1
                };
                let parse = |n: usize| -> Option<usize> {
                    let digits: String = r[position..]
                        .chars()
                        .take(n)
                        .take_while(|c| c.is_ascii_digit())
                        .collect();
                    digits.parse().ok()
                };
                let mut idx = parse(max_digits);
                if max_digits > 1 && idx.is_some_and(|i| i > groups.len()) {
                    idx = parse(max_digits - 1);
                }
                match idx {
                    Some(i) => {
                        if !groups.is_empty() && i >= 1 {
                            if let Some(Value::String(g)) = groups.get(i - 1) {
                                out.push_str(g);
                            }
                        }
                        position += i.to_string().len();
                    }
                    None => out.push('$'),
                }
            }
        }
        if position > r.len() {
            position = r.len();
        }
    }
    out.push_str(&r[position.min(r.len())..]);
    out
}

fn fn_replace<'a>(ev: &mut Evaluator<'a, '_>, args: &[Value<'a>], span: Span) -> R<Value<'a>> {
    let Some(s) = text(args, 0) else {
        return Ok(Value::Undefined);
    };
    let pattern = arg(args, 1);
    let replacement = arg(args, 2);
    if pattern.as_str() == Some("") {
        return Err(err(
            "D3010",
            "Second argument of replace function cannot be an empty string",
            span,
        ));
    }
    let limit = num(args, 3);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(err(
            "D3011",
            "Fourth argument of replace function must evaluate to a positive number",
            span,
        ));
    }
    if limit.is_some_and(|l| l == 0.0) {
        return Ok(Value::String(s));
    }
    let under_limit = |count: usize| limit.is_none_or(|l| (count as f64) < l);
    let mut result = String::new();
    let mut position = 0usize;
    let mut count = 0usize;
    if let Value::String(p) = &pattern {
        let rep = match &replacement {
            Value::String(r) => r.to_string(),
            _ => String::new(),
        };
        while under_limit(count) {
            let Some(rel) = s[position..].find(&**p) else {
                break;
            };
            let index = position + rel;
            result.push_str(&s[position..index]);
            result.push_str(&rep);
            position = index + p.len();
            count += 1;
            ev.check_str(result.len(), span)?;
        }
        result.push_str(&s[position..]);
        return Ok(Value::string(result));
    }
    let mut cur = first_match(ev, &pattern, &s, span)?;
    if cur.is_none() {
        return Ok(Value::String(s));
    }
    while let Some(found) = cur {
        if !under_limit(count) {
            break;
        }
        let start = found.start.max(position).min(s.len());
        result.push_str(&s[position..start]);
        let replaced = match &replacement {
            Value::String(r) => Value::string(substitute(r, &found)),
            f @ Value::Function(_) => {
                let mut o = Object::new();
                o.insert("match".into(), Value::str(&found.matched));
                let st = utf16_len(&s[..found.start.min(s.len())]);
                o.insert("start".into(), Value::Number(st as f64));
                o.insert(
                    "end".into(),
                    Value::Number((st + utf16_len(&found.matched)) as f64),
                );
                o.insert("groups".into(), Value::array(found.groups.clone()));
                let f = f.clone();
                ev.apply(&f, vec![Value::object(o)], &Value::Undefined, span, None)?
            }
            _ => Value::Undefined,
        };
        match replaced {
            Value::String(r) => result.push_str(&r),
            _ => {
                return Err(err(
                    "D3012",
                    "Attempted to replace a matched string with a non-string value",
                    span,
                ))
            }
        }
        ev.check_str(result.len(), span)?;
        position = (found.start + found.matched.len()).min(s.len());
        count += 1;
        cur = next_match(ev, &found, &s, span)?;
    }
    result.push_str(&s[position.min(s.len())..]);
    Ok(Value::string(result))
}

fn fn_split<'a>(ev: &mut Evaluator<'a, '_>, args: &[Value<'a>], span: Span) -> R<Value<'a>> {
    let Some(s) = text(args, 0) else {
        return Ok(Value::Undefined);
    };
    let limit = num(args, 2);
    if limit.is_some_and(|l| l < 0.0) {
        return Err(err(
            "D3020",
            "Third argument of split function must evaluate to a positive number",
            span,
        ));
    }
    let limit_n = limit.map(|l| l.trunc().min(u32::MAX as f64) as usize);
    let mut result: Vec<Value<'a>> = Vec::new();
    if limit_n == Some(0) {
        return Ok(Value::array(result));
    }
    let full = |n: usize| limit_n.is_some_and(|l| n >= l);
    match arg(args, 1) {
        Value::String(sep) => {
            if sep.is_empty() {
                for c in s.chars() {
                    if full(result.len()) {
                        break;
                    }
                    result.push(Value::string(c.to_string()));
                }
            } else {
                for part in s.split(&*sep) {
                    if full(result.len()) {
                        break;
                    }
                    result.push(Value::str(part));
                }
            }
        }
        matcher => {
            let mut cur = first_match(ev, &matcher, &s, span)?;
            if cur.is_none() {
                result.push(Value::String(s.clone()));
            } else {
                let mut start = 0usize;
                while let Some(found) = cur {
                    if full(result.len()) {
                        break;
                    }
                    let end = found.start.max(start).min(s.len());
                    result.push(Value::str(&s[start..end]));
                    start = found.end.min(s.len());
                    ev.check_len(result.len(), span)?;
                    cur = next_match(ev, &found, &s, span)?;
                }
                if !full(result.len()) {
                    result.push(Value::str(&s[start..]));
                }
            }
        }
    }
    ev.check_len(result.len(), span)?;
    Ok(Value::array(result))
}

fn base64_decode_lenient(s: &str) -> Vec<u8> {
    let mut vals = Vec::with_capacity(s.len());
    for c in s.chars() {
        let v = match c {
            'A'..='Z' => c as u32 - 'A' as u32,
            'a'..='z' => c as u32 - 'a' as u32 + 26,
            '0'..='9' => c as u32 - '0' as u32 + 52,
            '+' | '-' => 62,
            '/' | '_' => 63,
            '=' => break,
            _ => continue,
        };
        vals.push(v);
    }
    let mut out = Vec::with_capacity(vals.len() * 3 / 4);
    for chunk in vals.chunks(4) {
        let mut acc = 0u32;
        for (i, v) in chunk.iter().enumerate() {
            acc |= v << (18 - 6 * i);
        }
        let bytes = [(acc >> 16) as u8, (acc >> 8) as u8, acc as u8];
        let n = match chunk.len() {
            4 => 3,
            3 => 2,
            2 => 1,
            _ => 0,
        };
        out.extend_from_slice(&bytes[..n]);
    }
    out
}

fn encode_uri(s: &str, component: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let keep = c.is_ascii_alphanumeric()
            || "-_.!~*'()".contains(c)
            || (!component && ";,/?:@&=+$#".contains(c));
        if keep {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                out.push_str(&format!("%{b:02X}"));
            }
        }
    }
    out
}

fn decode_uri(s: &str, component: bool) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    let hex = |i: usize| -> Option<u8> {
        let h = bytes.get(i..i + 2)?;
        u8::from_str_radix(std::str::from_utf8(h).ok()?, 16).ok()
    };
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'%' {
            out.push(bytes[i]);
            i += 1;
            continue;
        }
        let b = hex(i + 1)?;
        if b < 0x80 {
            if !component && ";/?:@&=+$,#".contains(b as char) {
                out.extend_from_slice(&bytes[i..i + 3]);
            } else {
                out.push(b);
            }
            i += 3;
            continue;
        }
        let n = match b {
            0xC0..=0xDF => 2,
            0xE0..=0xEF => 3,
            0xF0..=0xF7 => 4,
            _ => return None,
        };
        let mut seq = vec![b];
        let mut j = i + 3;
        for _ in 1..n {
            if bytes.get(j) != Some(&b'%') {
                return None;
            }
            let cb = hex(j + 1)?;
            if cb & 0xC0 != 0x80 {
                return None;
            }
            seq.push(cb);
            j += 3;
        }
        std::str::from_utf8(&seq).ok()?;
        out.extend_from_slice(&seq);
        i = j;
    }
    String::from_utf8(out).ok()
}
