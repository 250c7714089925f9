//! Evaluation of a parsed call.

use std::collections::HashSet;

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine as _;
use md5::Md5;
use serde_json::{Map, Number, Value};
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha384, Sha512};

use super::java::{self, JavaRandom};
use super::{Arg, ArgKind, Call, EvalError, Function, IntrinsicEnv};
use crate::span::Span;

/// The most items `States.ArrayRange` may produce.
pub(crate) const MAX_RANGE_ITEMS: u128 = 1000;

/// The longest string (in Java `char`s) that `States.Base64Encode`,
/// `States.Base64Decode` and `States.Hash` accept.
pub(crate) const MAX_STRING_CHARS: usize = 10_000;

/// A string's length as Java counts it (UTF-16 code units).
pub(crate) fn java_length(s: &str) -> usize {
    s.encode_utf16().count()
}

/// The value of `n` as an integer, if it is one (`2` and `2.0` are).
pub(crate) fn number_as_integer(n: &Number) -> Option<i64> {
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    // ±2^63, exactly.
    let limit = 2f64.powi(63);
    if f.fract() == 0.0 && (-limit..limit).contains(&f) {
        Some(f as i64)
    } else {
        None
    }
}

/// Splits a `States.Format` template at its `{}` placeholders. With
/// `escaped` (a literal template, as written between the quotes) the four
/// escapes are resolved and an escaped brace never forms a placeholder.
pub(crate) fn template_pieces(text: &str, escaped: bool) -> Vec<String> {
    let mut pieces = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if escaped => {
                if let Some(e) = chars.next() {
                    cur.push(e);
                }
            }
            '{' if chars.peek() == Some(&'}') => {
                chars.next();
                pieces.push(std::mem::take(&mut cur));
            }
            c => cur.push(c),
        }
    }
    pieces.push(cur);
    pieces
}

/// The number of items of `States.ArrayRange(start, end, step)`.
pub(crate) fn range_len(start: i64, end: i64, step: i64) -> u128 {
    let (start, end, step) = (i128::from(start), i128::from(end), i128::from(step));
    if step == 0 || (step > 0 && start > end) || (step < 0 && start < end) {
        return 0;
    }
    ((end - start) / step) as u128 + 1
}

/// The hash algorithms of `States.Hash`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum HashAlgorithm {
    Md5,
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl HashAlgorithm {
    pub(crate) fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "MD5" => HashAlgorithm::Md5,
            "SHA-1" => HashAlgorithm::Sha1,
            "SHA-256" => HashAlgorithm::Sha256,
            "SHA-384" => HashAlgorithm::Sha384,
            "SHA-512" => HashAlgorithm::Sha512,
            _ => return None,
        })
    }

    fn hex_digest(self, data: &[u8]) -> String {
        fn hex(bytes: &[u8]) -> String {
            bytes.iter().map(|b| format!("{b:02x}")).collect()
        }
        match self {
            HashAlgorithm::Md5 => hex(&Md5::digest(data)),
            HashAlgorithm::Sha1 => hex(&Sha1::digest(data)),
            HashAlgorithm::Sha256 => hex(&Sha256::digest(data)),
            HashAlgorithm::Sha384 => hex(&Sha384::digest(data)),
            HashAlgorithm::Sha512 => hex(&Sha512::digest(data)),
        }
    }
}

/// Standard alphabet; padding optional on input, as `java.util.Base64`.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes Base64 text to a string (invalid UTF-8 replaced, as Java's
/// `new String(bytes, UTF_8)` does); `None` if the text is not Base64.
pub(crate) fn base64_decode(s: &str) -> Option<String> {
    let bytes = BASE64.decode(s).ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// A value with its argument's span, for error reporting.
struct Evaluated<'c> {
    value: Value,
    arg: &'c Arg,
}

impl Evaluated<'_> {
    fn span(&self) -> Span {
        self.arg.span
    }

    fn path(&self) -> Option<&str> {
        match &self.arg.kind {
            ArgKind::Path(p) => Some(p),
            _ => None,
        }
    }
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl Call {
    /// Evaluates the call, arguments left to right, nested calls first.
    /// Path arguments are resolved by `env`; its errors are returned as they
    /// are. Every other failure is a `States.Runtime` [`EvalError`].
    pub fn evaluate(&self, env: &mut dyn IntrinsicEnv) -> Result<Value, EvalError> {
        let mut args = Vec::with_capacity(self.args.len());
        for arg in &self.args {
            let value = match &arg.kind {
                ArgKind::String { value, .. } => Value::String(value.clone()),
                ArgKind::Number(n) => Value::Number(n.clone()),
                ArgKind::Bool(b) => Value::Bool(*b),
                ArgKind::Null => Value::Null,
                ArgKind::Path(p) => env.resolve_path(p, arg.span)?,
                ArgKind::Call(c) => c.evaluate(env)?,
            };
            args.push(Evaluated { value, arg });
        }
        let cx = Cx { call: self };
        cx.check_arity(&args)?;
        cx.apply(args, env)
    }
}

struct Cx<'c> {
    call: &'c Call,
}

impl<'c> Cx<'c> {
    fn f(&self) -> Function {
        self.call.function
    }

    fn fail(&self, cause: impl Into<String>, span: Span) -> EvalError {
        EvalError::runtime(cause, span)
    }

    /// The parser checks arity; a hand-built [`Call`] might not have been.
    fn check_arity(&self, args: &[Evaluated<'_>]) -> Result<(), EvalError> {
        let (min, max) = self.f().arity();
        let n = args.len();
        if n < min || max.is_some_and(|m| n > m) {
            return Err(self.fail(
                format!("Invalid number of arguments for {}: {n}", self.f()),
                self.call.span,
            ));
        }
        Ok(())
    }

    fn bad_type(&self, index: usize, want: &str, a: &Evaluated<'_>) -> EvalError {
        let ordinal = ["first", "second", "third"]
            .get(index)
            .copied()
            .unwrap_or("next");
        self.fail(
            format!(
                "The {ordinal} argument of {} must be {want}, but it is {}: {}",
                self.f(),
                type_name(&a.value),
                compact(&a.value)
            ),
            a.span(),
        )
    }

    fn string<'a>(&self, index: usize, a: &'a Evaluated<'_>) -> Result<&'a str, EvalError> {
        match &a.value {
            Value::String(s) => Ok(s),
            _ => Err(self.bad_type(index, "a string", a)),
        }
    }

    fn array<'a>(&self, index: usize, a: &'a Evaluated<'_>) -> Result<&'a Vec<Value>, EvalError> {
        match (&a.value, a.path()) {
            (Value::Array(items), _) => Ok(items),
            (_, Some(path)) => Err(self.fail(
                format!("Reference path \"{path}\" must point to array."),
                a.span(),
            )),
            (_, None) => Err(self.bad_type(index, "an array", a)),
        }
    }

    fn object(&self, index: usize, a: &Evaluated<'_>) -> Result<Map<String, Value>, EvalError> {
        match &a.value {
            Value::Object(m) => Ok(m.clone()),
            _ => Err(self.bad_type(index, "an object", a)),
        }
    }

    fn number(&self, index: usize, a: &Evaluated<'_>) -> Result<f64, EvalError> {
        match &a.value {
            Value::Number(n) => Ok(n.as_f64().unwrap_or(0.0)),
            _ => Err(self.bad_type(index, "a number", a)),
        }
    }

    /// A number rounded as Java `Math.round` (integers exactly).
    fn rounded(&self, index: usize, a: &Evaluated<'_>) -> Result<i64, EvalError> {
        if let Value::Number(n) = &a.value {
            if let Some(i) = n.as_i64() {
                return Ok(i);
            }
        }
        Ok(java::round(self.number(index, a)?))
    }

    fn integer(&self, index: usize, a: &Evaluated<'_>) -> Result<i64, EvalError> {
        match &a.value {
            Value::Number(n) => match number_as_integer(n) {
                Some(i) => Ok(i),
                None => Err(self.bad_type(index, "an integer", a)),
            },
            _ => Err(self.bad_type(index, "an integer", a)),
        }
    }

    fn limited_string<'a>(&self, index: usize, a: &'a Evaluated<'_>) -> Result<&'a str, EvalError> {
        let s = self.string(index, a)?;
        if java_length(s) > MAX_STRING_CHARS {
            return Err(self.fail(
                format!(
                    "The input of {} must be at most {MAX_STRING_CHARS} characters long",
                    self.f()
                ),
                a.span(),
            ));
        }
        Ok(s)
    }

    fn apply(
        &self,
        args: Vec<Evaluated<'c>>,
        env: &mut dyn IntrinsicEnv,
    ) -> Result<Value, EvalError> {
        let span = self.call.span;
        Ok(match self.f() {
            Function::Format => {
                let pieces = match (&args[0].value, &args[0].arg.kind) {
                    (Value::String(_), ArgKind::String { raw, .. }) => template_pieces(raw, true),
                    (Value::String(s), _) => template_pieces(s, false),
                    _ => return Err(self.bad_type(0, "a string", &args[0])),
                };
                let values = &args[1..];
                if pieces.len() - 1 != values.len() {
                    return Err(self.fail(
                        format!(
                            "The template of States.Format has {} placeholders but {} values were given",
                            pieces.len() - 1,
                            values.len()
                        ),
                        span,
                    ));
                }
                let mut out = String::new();
                for (i, piece) in pieces.iter().enumerate() {
                    out.push_str(piece);
                    if let Some(v) = values.get(i) {
                        java::to_java_string(&v.value, &mut out);
                    }
                }
                Value::String(out)
            }
            Function::StringToJson => {
                let s = self.string(0, &args[0])?;
                let text = s.trim();
                if text.is_empty() {
                    Value::Null
                } else {
                    serde_json::from_str(text).map_err(|e| {
                        self.fail(
                            format!(
                                "The argument of States.StringToJson is not valid JSON ({e}): {s}"
                            ),
                            args[0].span(),
                        )
                    })?
                }
            }
            Function::JsonToString => Value::String(compact(&args[0].value)),
            Function::Array => Value::Array(args.into_iter().map(|a| a.value).collect()),
            Function::ArrayPartition => {
                let items = self.array(0, &args[0])?;
                let size = self.integer(1, &args[1])?;
                if size <= 0 {
                    return Err(self.fail(
                        format!("The chunk size of States.ArrayPartition must be greater than 0, but it is {size}"),
                        args[1].span(),
                    ));
                }
                let size = usize::try_from(size).unwrap_or(usize::MAX);
                Value::Array(
                    items
                        .chunks(size)
                        .map(|c| Value::Array(c.to_vec()))
                        .collect(),
                )
            }
            Function::ArrayContains => {
                let items = self.array(0, &args[0])?;
                Value::Bool(items.contains(&args[1].value))
            }
            Function::ArrayRange => {
                let start = self.integer(0, &args[0])?;
                let end = self.integer(1, &args[1])?;
                let step = self.integer(2, &args[2])?;
                if step == 0 {
                    return Err(self.fail(
                        "The step of States.ArrayRange must not be 0",
                        args[2].span(),
                    ));
                }
                let count = range_len(start, end, step);
                if count > MAX_RANGE_ITEMS {
                    return Err(self.fail(
                        format!("States.ArrayRange would produce {count} items; at most {MAX_RANGE_ITEMS} are allowed"),
                        span,
                    ));
                }
                let mut out = Vec::with_capacity(count as usize);
                let mut x = i128::from(start);
                for _ in 0..count {
                    out.push(Value::from(x as i64));
                    x += i128::from(step);
                }
                Value::Array(out)
            }
            Function::ArrayGetItem => {
                let items = self.array(0, &args[0])?;
                let index = self.integer(1, &args[1])?;
                match usize::try_from(index).ok().and_then(|i| items.get(i)) {
                    Some(v) => v.clone(),
                    None => {
                        return Err(self.fail(
                            format!(
                                "The index {index} of States.ArrayGetItem is out of bounds for an array of length {}",
                                items.len()
                            ),
                            args[1].span(),
                        ))
                    }
                }
            }
            Function::ArrayLength => Value::from(self.array(0, &args[0])?.len()),
            Function::ArrayUnique => {
                let items = self.array(0, &args[0])?;
                let mut seen = HashSet::new();
                let mut out = Vec::new();
                for item in items {
                    if seen.insert(canonical(item)) {
                        out.push(item.clone());
                    }
                }
                Value::Array(out)
            }
            Function::Base64Encode => {
                Value::String(BASE64.encode(self.limited_string(0, &args[0])?))
            }
            Function::Base64Decode => {
                let s = self.limited_string(0, &args[0])?;
                match base64_decode(s) {
                    Some(text) => Value::String(text),
                    None => {
                        return Err(self.fail(
                            format!("The argument of States.Base64Decode is not valid Base64: {s}"),
                            args[0].span(),
                        ))
                    }
                }
            }
            Function::Hash => {
                let data = self.limited_string(0, &args[0])?;
                let name = self.string(1, &args[1])?;
                let alg = HashAlgorithm::from_name(name).ok_or_else(|| {
                    self.fail(
                        format!("Unsupported hash algorithm '{name}': use MD5, SHA-1, SHA-256, SHA-384 or SHA-512"),
                        args[1].span(),
                    )
                })?;
                Value::String(alg.hex_digest(data.as_bytes()))
            }
            Function::JsonMerge => {
                let mut merged = self.object(0, &args[0])?;
                let second = self.object(1, &args[1])?;
                match args[2].value {
                    Value::Bool(false) => {}
                    Value::Bool(true) => {
                        return Err(self.fail(
                            "States.JsonMerge only supports the shallow merging mode; the third argument must be false",
                            args[2].span(),
                        ))
                    }
                    _ => return Err(self.bad_type(2, "a boolean", &args[2])),
                }
                for (k, v) in second {
                    merged.insert(k, v);
                }
                Value::Object(java::hash_map_order(merged))
            }
            Function::MathRandom => {
                let start = self.rounded(0, &args[0])?;
                let end = self.rounded(1, &args[1])?;
                let mut rng = match args.get(2) {
                    Some(seed) => JavaRandom::new(self.rounded(2, seed)?),
                    None => JavaRandom::new(env.random_u64() as i64),
                };
                let bound = end
                    .checked_sub(start)
                    .filter(|b| *b > 0)
                    .and_then(|b| i32::try_from(b).ok())
                    .ok_or_else(|| {
                        self.fail(
                            format!("The range of States.MathRandom is invalid: start {start} must be less than end {end}, at most 2147483647 apart"),
                            span,
                        )
                    })?;
                Value::from(start + i64::from(rng.next_int(bound)))
            }
            Function::MathAdd => {
                let a = self.rounded(0, &args[0])?;
                let b = self.rounded(1, &args[1])?;
                match a.checked_add(b) {
                    Some(sum) => Value::from(sum),
                    None => {
                        return Err(self.fail("The result of States.MathAdd is out of range", span))
                    }
                }
            }
            Function::StringSplit => {
                let s = self.string(0, &args[0])?;
                let delims = self.string(1, &args[1])?;
                Value::Array(
                    s.split(|c| delims.contains(c))
                        .filter(|part| !part.is_empty())
                        .map(|part| Value::String(part.to_string()))
                        .collect(),
                )
            }
            Function::Uuid => {
                let hi = env.random_u64().to_be_bytes();
                let lo = env.random_u64().to_be_bytes();
                let mut bytes = [0u8; 16];
                bytes[..8].copy_from_slice(&hi);
                bytes[8..].copy_from_slice(&lo);
                let id = uuid::Builder::from_random_bytes(bytes).into_uuid();
                Value::String(id.hyphenated().to_string())
            }
        })
    }
}

/// Compact JSON text.
fn compact(v: &Value) -> String {
    // Serialising a `Value` cannot fail.
    serde_json::to_string(v).unwrap_or_default()
}

/// A text that is equal for deep-equal values (object keys sorted).
fn canonical(v: &Value) -> String {
    fn write(v: &Value, out: &mut String) {
        match v {
            Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for (i, k) in keys.into_iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&compact(&Value::String(k.clone())));
                    out.push(':');
                    write(&map[k], out);
                }
                out.push('}');
            }
            Value::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write(item, out);
                }
                out.push(']');
            }
            other => out.push_str(&compact(other)),
        }
    }
    let mut out = String::new();
    write(v, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::super::recorded_tests::{is_v4_uuid, TestEnv};
    use super::super::{parse, EvalError, STATES_RUNTIME};
    use serde_json::{json, Value};

    fn eval(src: &str, input: Value) -> Result<Value, EvalError> {
        let call = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
        call.evaluate(&mut TestEnv::new(input))
    }

    fn ok(src: &str, input: Value) -> Value {
        eval(src, input).unwrap_or_else(|e| panic!("{src}: {e}"))
    }

    /// Evaluates `src` expecting a `States.Runtime` failure whose cause
    /// contains `needle`; returns the failing text.
    fn fails(src: &str, input: Value, needle: &str) -> String {
        match eval(src, input) {
            Ok(v) => panic!("{src}: evaluated to {v}"),
            Err(e) => {
                assert_eq!(e.error, STATES_RUNTIME, "{src}");
                assert!(e.cause.contains(needle), "{src}: {}", e.cause);
                src[e.span.range()].to_string()
            }
        }
    }

    #[test]
    fn format() {
        let input = json!({"o": {"a": [1, "x", null], "b": {"c": 1.5}}, "t": "{} and {}", "e": ""});
        assert_eq!(
            ok(
                "States.Format('{} | {} | {}', $.o, $.e, true)",
                input.clone()
            ),
            json!("{a=[1, x, null], b={c=1.5}} |  | true")
        );
        assert_eq!(
            ok(r"States.Format('\{\}={}\\\'', 1)", json!({})),
            json!(r"{}=1\'")
        );
        // A template from a path: `{}` placeholders, no escapes.
        assert_eq!(
            ok("States.Format($.t, 1, 'a')", input.clone()),
            json!("1 and a")
        );
        assert_eq!(
            fails(
                "States.Format($.t, 1)",
                input.clone(),
                "2 placeholders but 1 values"
            ),
            "States.Format($.t, 1)"
        );
        assert_eq!(
            fails(
                "States.Format($.o)",
                input,
                "must be a string, but it is an object"
            ),
            "$.o"
        );
    }

    #[test]
    fn json_text() {
        assert_eq!(
            ok(
                "States.StringToJson($.s)",
                json!({"s": " {\"b\":1,\"a\":[true]} "})
            ),
            json!({"b": 1, "a": [true]})
        );
        assert_eq!(ok("States.StringToJson('')", json!({})), Value::Null);
        assert_eq!(ok("States.StringToJson(' \n')", json!({})), Value::Null);
        fails("States.StringToJson('{')", json!({}), "not valid JSON");
        fails(
            "States.StringToJson($.n)",
            json!({"n": 1}),
            "must be a string",
        );
        assert_eq!(
            ok(
                "States.JsonToString($)",
                json!({"k": "é\n\"", "n": [1.5, -2]})
            ),
            json!("{\"k\":\"é\\n\\\"\",\"n\":[1.5,-2]}")
        );
    }

    #[test]
    fn arrays() {
        let input = json!({"a": [1, 2, 3, 4, 5], "s": "x", "n": 2.5, "big": 5000});
        assert_eq!(
            ok("States.ArrayPartition($.a, 2)", input.clone()),
            json!([[1, 2], [3, 4], [5]])
        );
        assert_eq!(
            ok("States.ArrayPartition($.a, 9)", input.clone()),
            json!([[1, 2, 3, 4, 5]])
        );
        assert_eq!(
            ok("States.ArrayPartition(States.Array(), 3)", input.clone()),
            json!([])
        );
        fails(
            "States.ArrayPartition($.a, States.MathAdd(0, 0))",
            input.clone(),
            "greater than 0",
        );
        fails(
            "States.ArrayPartition($.a, $.n)",
            input.clone(),
            "must be an integer",
        );
        assert_eq!(
            fails(
                "States.ArrayLength($.s)",
                input.clone(),
                "Reference path \"$.s\" must point to array."
            ),
            "$.s"
        );
        fails(
            "States.ArrayLength(States.StringToJson('{}'))",
            input.clone(),
            "must be an array",
        );
        assert_eq!(ok("States.ArrayGetItem($.a, 4)", input.clone()), json!(5));
        fails(
            "States.ArrayGetItem($.a, 5)",
            input.clone(),
            "index 5 of States.ArrayGetItem is out of bounds",
        );
        assert_eq!(
            ok("States.ArrayRange(5, 1, -2)", input.clone()),
            json!([5, 3, 1])
        );
        assert_eq!(ok("States.ArrayRange(5, 1, 2)", input.clone()), json!([]));
        assert_eq!(
            ok("States.ArrayRange(1, 1000, 1)", input.clone())
                .as_array()
                .unwrap()
                .len(),
            1000
        );
        fails(
            "States.ArrayRange(0, $.big, 1)",
            input.clone(),
            "5001 items",
        );
        fails(
            "States.ArrayRange(0, 3, States.MathAdd(0, 0))",
            input.clone(),
            "must not be 0",
        );
        fails(
            "States.ArrayRange(0, $.n, 1)",
            input.clone(),
            "must be an integer",
        );
        assert_eq!(
            ok(
                "States.ArrayUnique($)",
                json!([1, 1.0, {"a": 1, "b": 2}, {"b": 2, "a": 1}, [null], [null], "1", 1])
            ),
            json!([1, 1.0, {"a": 1, "b": 2}, [null], "1"])
        );
        assert_eq!(
            ok(
                "States.ArrayContains($, States.StringToJson('{\"b\":2,\"a\":1}'))",
                json!([{"a": 1, "b": 2}])
            ),
            json!(true)
        );
    }

    #[test]
    fn encodings_and_hashes() {
        assert_eq!(
            ok("States.Base64Encode('é€𝄞')", json!({})),
            json!("w6nigqzwnYSe")
        );
        assert_eq!(
            ok("States.Base64Decode('w6nigqzwnYSe')", json!({})),
            json!("é€𝄞")
        );
        // Missing padding is accepted, as by java.util.Base64.
        assert_eq!(
            ok("States.Base64Decode('RGF0YSB0byBlbmNvZGU')", json!({})),
            json!("Data to encode")
        );
        fails(
            "States.Base64Decode($.s)",
            json!({"s": "a b"}),
            "not valid Base64",
        );
        let long = json!({"s": "x".repeat(10_001)});
        fails(
            "States.Base64Encode($.s)",
            long.clone(),
            "at most 10000 characters",
        );
        fails("States.Hash($.s, 'MD5')", long, "at most 10000 characters");
        for (alg, hex) in [
            // MD5 of "input data" is quoted by ASL-REFERENCE §5 from a recording.
            ("MD5", "812f45842bc6d66ee14572ce20db8e86"),
            ("SHA-1", "aaff4a450a104cd177d28d18d74485e8cae074b7"),
            ("SHA-256", "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"),
            ("SHA-384", "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"),
            ("SHA-512", "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"),
        ] {
            let got = ok("States.Hash('input data', $.alg)", json!({"alg": alg}));
            assert_eq!(got, json!(hex), "{alg}");
        }
        assert_eq!(
            fails(
                "States.Hash('x', $.alg)",
                json!({"alg": "MD4"}),
                "Unsupported hash algorithm 'MD4'"
            ),
            "$.alg"
        );
        fails(
            "States.Hash($.n, 'MD5')",
            json!({"n": 1}),
            "must be a string",
        );
    }

    #[test]
    fn json_merge() {
        let input =
            json!({"a": {"x": {"p": 1}, "y": 1}, "b": {"x": {"q": 2}}, "t": true, "s": "false"});
        assert_eq!(
            ok("States.JsonMerge($.a, $.b, false)", input.clone()),
            json!({"x": {"q": 2}, "y": 1})
        );
        fails(
            "States.JsonMerge($.a, $.b, $.t)",
            input.clone(),
            "only supports the shallow merging mode",
        );
        fails(
            "States.JsonMerge($.a, $.b, $.s)",
            input.clone(),
            "must be a boolean",
        );
        fails(
            "States.JsonMerge($.a, $.t, false)",
            input,
            "second argument of States.JsonMerge must be an object",
        );
    }

    #[test]
    fn math() {
        assert_eq!(
            ok("States.MathAdd(2147483647, 1)", json!({})),
            json!(2147483648i64)
        );
        fails(
            "States.MathAdd($.a, 1)",
            json!({"a": i64::MAX}),
            "out of range",
        );
        fails(
            "States.MathAdd($.a, 1)",
            json!({"a": "1"}),
            "must be a number, but it is a string",
        );
        // Seeded: a pure function of the seed, java.util.Random's nextInt.
        // new Random(42).nextInt(100) == 30 (OpenJDK).
        assert_eq!(ok("States.MathRandom(0, 100, 42)", json!({})), json!(30));
        assert_eq!(ok("States.MathRandom(-50, 50, 42)", json!({})), json!(-20));
        assert_eq!(
            ok("States.MathRandom(0.4, 99.5, 41.5)", json!({})),
            json!(30)
        );
        // Unseeded: from the environment's randomness, deterministic given it.
        let a = ok("States.MathRandom(1, 1000)", json!({}));
        assert_eq!(a, ok("States.MathRandom(1, 1000)", json!({})));
        assert!((1..1000).contains(&a.as_i64().unwrap()));
        fails(
            "States.MathRandom(5, 5)",
            json!({}),
            "start 5 must be less than end 5",
        );
        fails(
            "States.MathRandom(0, 3000000000)",
            json!({}),
            "at most 2147483647 apart",
        );
    }

    #[test]
    fn split_and_uuid() {
        assert_eq!(
            ok("States.StringSplit('a,b', '')", json!({})),
            json!(["a,b"])
        );
        assert_eq!(ok("States.StringSplit('', ',')", json!({})), json!([]));
        assert_eq!(
            ok("States.StringSplit('a€b𝄞c', '€𝄞')", json!({})),
            json!(["a", "b", "c"])
        );
        let call = parse("States.Array(States.UUID(), States.UUID())").unwrap();
        let mut env = TestEnv::new(json!({}));
        let v = call.evaluate(&mut env).unwrap();
        let (a, b) = (v[0].as_str().unwrap(), v[1].as_str().unwrap());
        assert!(is_v4_uuid(a) && is_v4_uuid(b) && a != b, "{v}");
        // Same randomness, same UUIDs.
        assert_eq!(call.evaluate(&mut TestEnv::new(json!({}))).unwrap(), v);
    }

    #[test]
    fn path_errors_pass_through() {
        let e = eval("States.Array($.missing)", json!({})).unwrap_err();
        assert_eq!(e.cause, "The JSONPath '$.missing' could not be found");
        let e = eval(
            "States.Format('{}', States.ArrayLength($.nope.x))",
            json!({}),
        )
        .unwrap_err();
        assert_eq!(e.cause, "The JSONPath '$.nope.x' could not be found");
    }
}
