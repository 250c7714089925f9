//! Intrinsic functions: the `States.*` calls allowed in the value of a `.$`
//! field of a JSONPath state (`Parameters`, `ResultSelector`, `ItemSelector`,
//! `Credentials`, Fail `ErrorPath`/`CausePath`, JSONPath `Assign`).
//!
//! [`parse`] turns the text of such a value into a [`Call`] tree, checking
//! everything that can be known without data; [`Call::evaluate`] runs it,
//! resolving path arguments through an [`IntrinsicEnv`] supplied by the
//! caller (this module has no JSONPath engine of its own: path arguments are
//! kept as text plus span). [`looks_like_call`] tells a `.$` value that is a
//! call from one that is a path.
//!
//! # The 18 functions
//!
//! | Function | Arguments | Result |
//! |---|---|---|
//! | `States.Format(template, v…)` | string, then any | string: each `{}` replaced by the next value |
//! | `States.StringToJson(s)` | string | the parsed JSON value |
//! | `States.JsonToString(v)` | any | compact JSON text of `v` |
//! | `States.Array(v…)` | any, 0..n | array of the arguments |
//! | `States.ArrayPartition(a, n)` | array, integer > 0 | array of chunks of `n` |
//! | `States.ArrayContains(a, v)` | array, any | boolean (deep equality) |
//! | `States.ArrayRange(start, end, step)` | integers | inclusive range, ≤ 1000 items |
//! | `States.ArrayGetItem(a, i)` | array, integer | element `i` (0-based) |
//! | `States.ArrayLength(a)` | array | integer |
//! | `States.ArrayUnique(a)` | array | array without repeats (first kept) |
//! | `States.Base64Encode(s)` | string ≤ 10,000 chars | Base64 text (padded) |
//! | `States.Base64Decode(s)` | string ≤ 10,000 chars | decoded UTF-8 text |
//! | `States.Hash(data, alg)` | string ≤ 10,000 chars, string | lower-case hex digest |
//! | `States.JsonMerge(a, b, false)` | object, object, `false` | shallow merge, `b` wins |
//! | `States.MathRandom(start, end[, seed])` | numbers | integer in `[start, end)` |
//! | `States.MathAdd(a, b)` | numbers | integer sum of the rounded operands |
//! | `States.StringSplit(s, delims)` | strings | array of non-empty fragments |
//! | `States.UUID()` | — | random version-4 UUID |
//!
//! # Syntax and escaping
//!
//! A call is `States.<Name>(<arg>, …)`; whitespace is allowed around
//! arguments and after the closing parenthesis, not before `States.` nor
//! between the name and `(`. An argument is a single-quoted string literal, a
//! JSON number (`-1`, `2.5`, `1e3`), `true`, `false`, `null`, a path (`$…`,
//! `$$…`, `$name…`, scanned up to the next `,` or `)` outside brackets and
//! quotes) or a nested call. At most [`MAX_NESTING`] calls may be nested.
//!
//! Inside a string literal exactly four escapes exist: `\'` → `'`,
//! `\{` → `{`, `\}` → `}`, `\\` → `\` (in the JSON file each backslash is
//! itself doubled). Any other backslash sequence — notably `\"` — makes the
//! definition invalid: AWS answers `SCHEMA_VALIDATION_FAILED` "The value for
//! the field 'parsed.$' must be a valid JSONPath or a valid intrinsic function
//! call" (lint corpus `invalid/localstack__scenarios__escape_sequences_illegal_intrinsic_function.json`
//! and `…_function_2.json`). A raw newline character in a literal (a JSON
//! `\n`) is an ordinary character: `States.StringSplit('Hello⏎World', '⏎')`
//! → `["Hello","World"]` (`intrinsic_functions/TestGeneric__test_escape_sequence`).
//! In a `States.Format` template written as a literal, an escaped brace is
//! text, not part of a `{}` placeholder.
//!
//! # Decisions, and the recorded case behind each
//!
//! * **Format rendering** (`TestGeneric__test_format_1__*`,
//!   `TestGeneric__test_context_json_path`): strings raw (`""` → nothing),
//!   numbers as their JSON text (`1`, `1.1`), `null` → `null`, arrays and
//!   objects in Java `toString` style: `[a, b]`, `{Id=arn:…, Name=…}`, with
//!   strings raw at every depth. A template taken from a path has no escapes:
//!   only `{}` is special there (unverified).
//! * **JsonToString** is compact JSON (`TestJsonManipulation__test_json_to_string__*`:
//!   `{"Arg1":1,"Arg2":[]}`, `"\"HelloWorld\""`, `null` → `"null"`).
//! * **StringToJson** of `""` or blank text is `null` (ASL-REFERENCE §5,
//!   cases kept aside for verification); other invalid JSON fails.
//! * **ArrayRange** is inclusive of `end` when reached (`TestArray__test_array_range__*`:
//!   `(0,10,3)` → `[0,3,6,9]`, `(1,9,9)` → `[1]`). A negative step counts
//!   down (unverified); step `0` and more than 1000 items fail.
//! * **ArrayContains** uses deep structural equality, object key order
//!   ignored (`TestArray__test_array_contains__*`: `[[1,2,3],2]` contains
//!   `[1,2,3]`; `[]` does not contain `null`).
//! * **ArrayUnique** keeps the first occurrence (`variables_assign/…BASE_ASSIGN_FROM_INTRINSIC_FUNCTION`:
//!   `[1,2,2,3,3,4]` → `[1,2,3,4]`); `1` and `1.0` are different values.
//! * **Base64** uses the standard padded alphabet (`TestEncodeDecode__*`:
//!   `"Data to encode"` ↔ `"RGF0YSB0byBlbmNvZGU="`, `""` ↔ `""`); decoding
//!   accepts missing padding, as `java.util.Base64` does.
//! * **Hash** algorithms `MD5`, `SHA-1`, `SHA-256`, `SHA-384`, `SHA-512`
//!   (exact spelling), lower-case hex of the UTF-8 bytes
//!   (`…BASE_ASSIGN_FROM_INTRINSIC_FUNCTION`: SHA-256 of `"Hash this string"`).
//! * **JsonMerge** is shallow: nested objects of the second argument replace
//!   those of the first (`TestJsonManipulation__test_json_merge`); a literal
//!   `true` is rejected at parse time, a `true` from a path at run time. The
//!   merged keys come out in Java `HashMap` iteration order, not insertion
//!   order: `{a,b,d}` + `{a,c,d}` → `a,b,c,d` (`…test_json_merge`) and
//!   `{constant_in_literal}` + `{constant_input_field}` →
//!   `constant_input_field, constant_in_literal`
//!   (`…test_json_merge_escaped_argument`, whose recorded output is not
//!   key-sorted); both match OpenJDK's `HashMap`.
//! * **MathAdd** rounds each operand with Java `Math.round` (half up, towards
//!   positive infinity) and adds (`TestMathOperations__test_math_add__*`:
//!   `1.49+1.5` → 3, `-1.5+0` → -1, `-0.5+0.5` → 1).
//! * **MathRandom** accepts non-integral bounds (`TestMathOperations__test_math_random__exec_hist_resp_0`
//!   ran `(12.5, 44.51)` successfully); bounds are rounded like MathAdd's
//!   operands and the result is `start + r.nextInt(end - start)` with a
//!   `java.util.Random` (unverified beyond "succeeds"): seeded by the third
//!   argument when given (a pure function of it), by
//!   [`IntrinsicEnv::random_u64`] otherwise.
//! * **StringSplit** splits on every character of the delimiter string and
//!   drops empty fragments, keeping blank ones (`TestStringOperations__test_string_split__*`:
//!   `", , ,"` → `[" "," "]`, `",,,,"` → `[]`, `".+,="` splits on four characters).
//! * **UUID** is a version-4 UUID, lower-case, hyphenated, made from two
//!   [`IntrinsicEnv::random_u64`] draws (`TestUniqueIdGeneration__test_uuid`
//!   only records that a value was produced).
//! * **Numbers** keep their `serde_json` form: integers stay integers and
//!   floats are written as `serde_json` writes them (`1.1`; no recording
//!   shows `1.0` or exponents, so their rendering is unverified).
//! * **Errors**: no recorded execution has a failing intrinsic, so the
//!   error name follows ASL-REFERENCE §5 and LocalStack's observation:
//!   every evaluation failure is [`STATES_RUNTIME`] (`States.Runtime`), not
//!   `States.IntrinsicFailure`. Cause texts are ours (unverified) except the
//!   array-reference one, `Reference path "$" must point to array.`, quoted
//!   by ASL-REFERENCE §4.3. The engine prepends the usual
//!   `An error occurred while executing the state …` prefix.
//! * **Nesting**: AWS allows "up to 10 nested intrinsic functions" per
//!   field; counted here as call depth, the outermost call being depth 1.

mod eval;
mod java;
mod parser;

#[cfg(test)]
mod recorded_tests;

use std::fmt;

use serde_json::Value;

use crate::span::Span;

pub use parser::{looks_like_call, parse};

/// The deepest allowed nesting of calls in one field (the outermost call
/// counts as 1).
pub const MAX_NESTING: usize = 10;

/// The error name of every intrinsic evaluation failure.
pub const STATES_RUNTIME: &str = "States.Runtime";

/// One of the 18 intrinsic functions.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Function {
    /// `States.Format`
    Format,
    /// `States.StringToJson`
    StringToJson,
    /// `States.JsonToString`
    JsonToString,
    /// `States.Array`
    Array,
    /// `States.ArrayPartition`
    ArrayPartition,
    /// `States.ArrayContains`
    ArrayContains,
    /// `States.ArrayRange`
    ArrayRange,
    /// `States.ArrayGetItem`
    ArrayGetItem,
    /// `States.ArrayLength`
    ArrayLength,
    /// `States.ArrayUnique`
    ArrayUnique,
    /// `States.Base64Encode`
    Base64Encode,
    /// `States.Base64Decode`
    Base64Decode,
    /// `States.Hash`
    Hash,
    /// `States.JsonMerge`
    JsonMerge,
    /// `States.MathRandom`
    MathRandom,
    /// `States.MathAdd`
    MathAdd,
    /// `States.StringSplit`
    StringSplit,
    /// `States.UUID`
    Uuid,
}

impl Function {
    /// All 18 functions, in the order of the AWS documentation.
    pub const ALL: [Function; 18] = [
        Function::Format,
        Function::StringToJson,
        Function::JsonToString,
        Function::Array,
        Function::ArrayPartition,
        Function::ArrayContains,
        Function::ArrayRange,
        Function::ArrayGetItem,
        Function::ArrayLength,
        Function::ArrayUnique,
        Function::Base64Encode,
        Function::Base64Decode,
        Function::Hash,
        Function::JsonMerge,
        Function::MathRandom,
        Function::MathAdd,
        Function::StringSplit,
        Function::Uuid,
    ];

    /// The full name, e.g. `"States.Format"`.
    pub fn name(self) -> &'static str {
        match self {
            Function::Format => "States.Format",
            Function::StringToJson => "States.StringToJson",
            Function::JsonToString => "States.JsonToString",
            Function::Array => "States.Array",
            Function::ArrayPartition => "States.ArrayPartition",
            Function::ArrayContains => "States.ArrayContains",
            Function::ArrayRange => "States.ArrayRange",
            Function::ArrayGetItem => "States.ArrayGetItem",
            Function::ArrayLength => "States.ArrayLength",
            Function::ArrayUnique => "States.ArrayUnique",
            Function::Base64Encode => "States.Base64Encode",
            Function::Base64Decode => "States.Base64Decode",
            Function::Hash => "States.Hash",
            Function::JsonMerge => "States.JsonMerge",
            Function::MathRandom => "States.MathRandom",
            Function::MathAdd => "States.MathAdd",
            Function::StringSplit => "States.StringSplit",
            Function::Uuid => "States.UUID",
        }
    }

    /// The function called `name` (without the `States.` prefix; exact case).
    pub fn from_short_name(name: &str) -> Option<Function> {
        Function::ALL
            .into_iter()
            .find(|f| &f.name()["States.".len()..] == name)
    }

    /// The allowed argument counts: minimum and, if bounded, maximum.
    pub fn arity(self) -> (usize, Option<usize>) {
        match self {
            Function::Format => (1, None),
            Function::Array => (0, None),
            Function::Uuid => (0, Some(0)),
            Function::StringToJson
            | Function::JsonToString
            | Function::ArrayLength
            | Function::ArrayUnique
            | Function::Base64Encode
            | Function::Base64Decode => (1, Some(1)),
            Function::ArrayPartition
            | Function::ArrayContains
            | Function::ArrayGetItem
            | Function::Hash
            | Function::MathAdd
            | Function::StringSplit => (2, Some(2)),
            Function::ArrayRange | Function::JsonMerge => (3, Some(3)),
            Function::MathRandom => (2, Some(3)),
        }
    }
}

impl fmt::Display for Function {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A parsed intrinsic function call.
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    /// Which function is called.
    pub function: Function,
    /// The span of `States.<Name>` in the source.
    pub name_span: Span,
    /// The arguments, in order.
    pub args: Vec<Arg>,
    /// The span of the whole call, from `States.` to the closing `)`.
    pub span: Span,
}

/// One argument of a [`Call`].
#[derive(Clone, Debug, PartialEq)]
pub struct Arg {
    /// What the argument is.
    pub kind: ArgKind,
    /// Its span in the source (for a string literal, including the quotes).
    pub span: Span,
}

/// The forms an argument can take.
#[derive(Clone, Debug, PartialEq)]
pub enum ArgKind {
    /// A single-quoted string literal.
    String {
        /// The value, escapes resolved.
        value: String,
        /// The text between the quotes, escapes kept (a `States.Format`
        /// template needs to tell `\{` from `{`).
        raw: String,
    },
    /// A number literal.
    Number(serde_json::Number),
    /// `true` or `false`.
    Bool(bool),
    /// `null`.
    Null,
    /// A path (`$…`, `$$…` or `$var…`) as written, trailing whitespace
    /// removed; the caller parses and resolves it.
    Path(String),
    /// A nested call.
    Call(Box<Call>),
}

/// A syntax or static-type error in an intrinsic function call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IntrinsicError {
    /// What is wrong, as a sentence.
    pub message: String,
    /// Where, as a byte range of the parsed text.
    pub span: Span,
}

impl IntrinsicError {
    pub(crate) fn new(message: impl Into<String>, span: Span) -> Self {
        IntrinsicError {
            message: message.into(),
            span,
        }
    }
}

impl fmt::Display for IntrinsicError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for IntrinsicError {}

/// A failure while evaluating a call: the error name and cause of the state
/// failure that AWS would record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    /// The error name, e.g. [`STATES_RUNTIME`].
    pub error: String,
    /// The cause text, without the `An error occurred while executing the
    /// state …` prefix that the engine adds.
    pub cause: String,
    /// The part of the parsed text that failed (an argument or the call).
    pub span: Span,
}

impl EvalError {
    /// A `States.Runtime` failure.
    pub fn runtime(cause: impl Into<String>, span: Span) -> Self {
        EvalError {
            error: STATES_RUNTIME.to_string(),
            cause: cause.into(),
            span,
        }
    }
}

impl fmt::Display for EvalError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.error, self.cause)
    }
}

impl std::error::Error for EvalError {}

/// What evaluation needs from its caller.
pub trait IntrinsicEnv {
    /// The value of the path argument `path` (`$…`, `$$…` or `$var…`),
    /// whose span in the parsed text is `span`. A missing path is the
    /// caller's error to report.
    fn resolve_path(&mut self, path: &str, span: Span) -> Result<Value, EvalError>;

    /// 64 random bits, from the engine's seeded generator (used by
    /// `States.UUID` and unseeded `States.MathRandom`).
    fn random_u64(&mut self) -> u64;
}
