//! Errors: parse errors, evaluation misses (with AWS's texts) and
//! `ResultPath` assignment failures.

use serde_json::Value;

use crate::span::Span;

/// A syntax error in a path, with the offending byte range of the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathError {
    /// What is wrong, in a sentence.
    pub message: String,
    /// Where in the path source (byte offsets into the parsed string).
    pub span: Span,
}

impl PathError {
    pub(crate) fn new(message: impl Into<String>, span: Span) -> Self {
        PathError {
            message: message.into(),
            span,
        }
    }
}

impl std::fmt::Display for PathError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (at {}..{})",
            self.message, self.span.start, self.span.end
        )
    }
}

impl std::error::Error for PathError {}

/// Why a path selected nothing where AWS (Jayway) reports an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum MissKind {
    /// A definite path selected nothing (its last step missed, or an index
    /// was out of range). Recorded text: `No results for path: $['X']`.
    NoResults,
    /// A property in the definite prefix, not the last step, is absent.
    /// Recorded text: `Missing property in path $['no']`.
    MissingProperty,
    /// A name step in the definite prefix met a non-object (Jayway wording,
    /// not recorded).
    NotAnObject,
    /// An index/slice/union-of-indexes step in the definite prefix met a
    /// non-array (Jayway wording, not recorded).
    NotAnArray,
    /// A filter in the definite prefix met a scalar (Jayway wording, not
    /// recorded).
    FilterOnPrimitive,
}

/// A path that found nothing, with everything needed to build AWS's texts.
///
/// Kept to two words so that `Result<Value, PathMiss>` stays small on the
/// hot path; the rendered paths live behind a box built only on a miss.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PathMiss {
    kind: MissKind,
    details: Box<MissDetails>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
struct MissDetails {
    path: String,
    parent: String,
    step: String,
    context: Value,
}

impl PathMiss {
    pub(crate) fn new(
        kind: MissKind,
        path: String,
        parent: String,
        step: String,
        context: Value,
    ) -> Self {
        PathMiss {
            kind,
            details: Box::new(MissDetails {
                path,
                parent,
                step,
                context,
            }),
        }
    }

    /// The kind of miss.
    pub fn kind(&self) -> MissKind {
        self.kind
    }

    /// The whole path in Jayway bracket form, e.g. `$['no']['such']`.
    pub fn path(&self) -> &str {
        &self.details.path
    }

    /// The path before the failing step, in bracket form (`$` at the root).
    pub fn parent(&self) -> &str {
        &self.details.parent
    }

    /// The failing step in bracket form, e.g. `['no']` or `[3]`.
    pub fn step(&self) -> &str {
        &self.details.step
    }

    /// The node the failing step was applied to, for the kinds whose text
    /// shows it or its type ([`MissKind::NotAnObject`],
    /// [`MissKind::NotAnArray`], [`MissKind::FilterOnPrimitive`]); `Null`
    /// otherwise.
    pub fn context(&self) -> &Value {
        &self.details.context
    }

    /// The path up to and including the failing step, e.g. `$['no']`.
    pub fn at(&self) -> String {
        format!("{}{}", self.parent(), self.step())
    }

    /// Jayway's exception message, e.g. `No results for path:
    /// $['NoSuchInputPath']` or `Missing property in path $['no']`.
    pub fn detail(&self) -> String {
        match self.kind {
            MissKind::NoResults => format!("No results for path: {}", self.path()),
            MissKind::MissingProperty => format!("Missing property in path {}", self.at()),
            MissKind::NotAnObject => format!(
                "Expected to find an object with property {} in path {} but found '{}'. This \
                 is not a json object according to the JsonProvider: \
                 'com.jayway.jsonpath.spi.json.JacksonJsonProvider'.",
                self.step(),
                self.parent(),
                java_type_name(self.context())
            ),
            MissKind::NotAnArray => format!(
                "Filter: {} can only be applied to arrays. Current context is: {}",
                self.step(),
                self.context()
            ),
            MissKind::FilterOnPrimitive => format!(
                "Filter: {} can not be applied to primitives. Current context is: {}",
                self.step(),
                self.context()
            ),
        }
    }

    /// The `States.Runtime` cause suffix for InputPath, OutputPath,
    /// `TimeoutSecondsPath`, … misses: `Invalid path '<src>' : <detail>`,
    /// e.g. `Invalid path '$.no.such.result.path' : Missing property in path
    /// $['no']`. `src` is the path as written in the definition.
    pub fn invalid_path_cause(&self, src: &str) -> String {
        format!("Invalid path '{src}' : {}", self.detail())
    }
}

impl std::fmt::Display for PathMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.detail())
    }
}

impl std::error::Error for PathMiss {}

/// The cause for a `.$` payload field (or `ErrorPath`/`CausePath`) whose path
/// selected nothing: `The JSONPath '<src>' specified for the field '<field>'
/// could not be found in the input '<input as compact JSON>'`.
///
/// `field` is the key as written (`value.$`, `ErrorPath`, `CausePath`).
pub fn field_not_found_cause(src: &str, field: &str, input: &Value) -> String {
    format!(
        "The JSONPath '{src}' specified for the field '{field}' could not be found in the input \
         '{input}'"
    )
}

/// Java class names Jayway prints for a JSON value's type.
fn java_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "java.lang.Boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "java.lang.Integer",
        Value::Number(_) => "java.lang.Double",
        Value::String(_) => "java.lang.String",
        Value::Array(_) => "java.util.ArrayList",
        Value::Object(_) => "java.util.LinkedHashMap",
    }
}

/// Why [`Path::set`](super::Path::set) could not place a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SetErrorKind {
    /// The path has a step other than `.name` / `['name']` / `[n]`.
    NotAReferencePath,
    /// The path starts at `$$` or a variable; only `$` can be assigned.
    NotInputRooted,
    /// A name step met an existing non-object (scalar, array or `null`).
    NotAnObject,
    /// An index step met a non-array.
    NotAnArray,
    /// An index step is outside the array.
    IndexOutOfRange,
}

/// A failed `ResultPath` assignment; the caller raises
/// [`RESULT_PATH_MATCH_FAILURE`](super::RESULT_PATH_MATCH_FAILURE) with
/// [`SetError::cause`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetError {
    /// What went wrong.
    pub kind: SetErrorKind,
    /// The path up to and including the failing step, in bracket form.
    pub at: String,
}

impl SetError {
    /// The cause text for `States.ResultPathMatchFailure`.
    ///
    /// No recorded execution in the conformance corpus shows this error, so
    /// the wording is unverified: `Unable to apply ReferencePath <src> to
    /// input '<input as compact JSON>'`. Keep callers going through this
    /// method so it can be corrected in one place.
    pub fn cause(&self, src: &str, input: &Value) -> String {
        format!("Unable to apply ReferencePath {src} to input '{input}'")
    }
}

impl std::fmt::Display for SetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self.kind {
            SetErrorKind::NotAReferencePath => "the path is not a reference path",
            SetErrorKind::NotInputRooted => "only paths starting at '$' can be assigned",
            SetErrorKind::NotAnObject => "cannot set a field inside a value that is not an object",
            SetErrorKind::NotAnArray => "cannot index into a value that is not an array",
            SetErrorKind::IndexOutOfRange => "the index is outside the array",
        };
        write!(f, "{what} (at {})", self.at)
    }
}

impl std::error::Error for SetError {}
