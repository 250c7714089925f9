//! JSONPath as AWS Step Functions uses it: parsing, evaluation (`select`) and
//! assignment for `ResultPath` (`set`).
//!
//! # Dialect: Jayway JsonPath, not RFC 9535
//!
//! Step Functions evaluates JSONPath with the Java Jayway library; its error
//! texts leak into execution histories, e.g. `Invalid path '$.NoSuchInputPath'
//! : No results for path: $['NoSuchInputPath']` and `Missing property in path
//! $['no']` (recorded in `scenarios/TestBaseScenarios__test_invalid_jsonpath_*`
//! and `error_handling/TestBaseScenarios__test_catch_states_runtime`). This
//! module therefore follows Jayway wherever the two dialects differ:
//!
//! * **Roots.** `$` (state input), `$$` (context object) and `$name` (a
//!   variable, `$x.y[0]`; recorded in `variables_assign/*`). Neither RFC 9535
//!   nor Jayway has the last two; AWS resolves them before handing the rest of
//!   the path to Jayway. [`Path::select`] evaluates against whichever document
//!   the caller picks from [`Path::root`].
//! * **Definite vs indefinite.** A path of only `.name`/`['name']`/`[n]` steps
//!   returns the single value; any other step (`[*]`, `..`, unions, slices,
//!   filters) returns an array of all matches, even with one match
//!   (`base/TestSnfBase__test_state_pass_regex_json_path_base`:
//!   `$.users[?(@.status == 0)]` → `[{"year":1997,"status":0}]`) and an empty
//!   array with none (Jayway; not recorded). RFC 9535 always returns a node
//!   list.
//! * **Missing data.** Only the definite prefix of a path can fail: a missing
//!   intermediate property is `Missing property in path …`, a definite path
//!   selecting nothing is `No results for path: …`, both rendered in Jayway's
//!   bracket form (`$['a']['b'][0]`). Past the first wildcard/filter/… step,
//!   misses are silently skipped. See [`PathMiss`].
//! * **Filters** must be written `[?(…)]` (Jayway), not RFC's `[?…]`. On an
//!   object a filter tests the object itself (Jayway), not its members (RFC).
//!   Comparisons never coerce: numbers compare numerically, strings by UTF-16
//!   code units (Java `compareTo`), anything else is unequal / unordered;
//!   `!=` is the negation of `==` (so a missing field is `!=` anything).
//!   `@.x` alone tests existence (a present `null` exists). The regex
//!   operator `=~`, Jayway's `in`/`nin`/`size`/… operators, functions such as
//!   `length()` and script expressions `[(@.length-1)]` are rejected with a
//!   clear [`PathError`] rather than half-implemented (the lint corpus has
//!   `$[(@.length-1)].bar` labelled valid, but only by asl-validator's
//!   JavaScript JSONPath, not by an AWS recording). Under `..` a filter tests
//!   every visited object once.
//! * **Multi-name leaf.** Jayway turns a final `['a','b']` into one merged
//!   object `{"a":…,"b":…}` (absent names are left out) instead of a list; we
//!   copy that. Elsewhere `['a','b']` is a union.
//! * **Dot names** run to the next `.`, `[`, `(` or whitespace (a `]` or `)`
//!   there is reported as unbalanced), so `$.a-b`,
//!   `$.delivery-partner` (`map/TestBaseScenarios__test_map_state_item_selector_*`),
//!   `$$.Execution.Input.input-value` (`context_object/TestSnfBase__test_variable`) and
//!   non-ASCII names work. `$.[…]` is accepted as `$[…]` (LocalStack's
//!   AWS-validated `pass_result_regex_json_path` template uses
//!   `$.[?(@.year < 1999)].name`).
//! * **Quoted names** take `'…'` or `"…"`; a backslash escapes only the
//!   delimiter or another backslash and is otherwise literal, which is what
//!   `scenarios/TestBaseScenarios__test_escape_sequence_parsing_ESCAPE_SEQUENCES_JSONPATH`
//!   needs: `$['Test\""Name"']` selects the key `Test\""Name"`.
//! * **Indexes** may be negative (from the end); out-of-range indexes select
//!   nothing. Slices `[start:end:step]` clamp like Python; the `step` part is
//!   an extension (Jayway has none; unverified on AWS).
//! * Leading/trailing whitespace is rejected (Jayway would trim it).
//! * **`ResultPath`** ([`Path::set`]) creates missing intermediate objects
//!   and fails on an existing non-object (`null` included), a non-array or an
//!   out-of-range index. The `States.ResultPathMatchFailure` cause text is not
//!   in any recording; [`SetError::cause`] documents the guess.
//!
//! Wordings not backed by a recording (Jayway's texts for a property on a
//! non-object, an index on a non-array, a filter on a scalar) are marked on
//! [`MissKind`]; the recorded ones are tested verbatim.
//!
//! # Robustness and cost
//!
//! The parser is a hand-written scanner that never panics; its only recursion
//! (nested filter expressions) is capped at [`MAX_FILTER_DEPTH`]. Evaluation
//! walks borrowed nodes (`..` uses an explicit stack) and clones only the
//! final result; [`Path::select_ref`] avoids even that.

mod error;
mod filter;
mod parse;
mod render;
mod select;
mod set;

use crate::span::Span;

pub use error::{field_not_found_cause, MissKind, PathError, PathMiss, SetError, SetErrorKind};
pub use filter::{CompareOp, Filter, FilterPath, Operand};
pub use parse::MAX_FILTER_DEPTH;
pub use select::Selection;

/// The `States.ResultPathMatchFailure` error name raised when [`Path::set`]
/// fails.
pub const RESULT_PATH_MATCH_FAILURE: &str = "States.ResultPathMatchFailure";

/// A parsed JSONPath: a root and a sequence of steps.
#[derive(Clone, Debug, PartialEq)]
pub struct Path {
    root: Root,
    steps: Vec<Step>,
}

/// The document a path starts from.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Root {
    /// `$`: the state's (effective) input.
    Input,
    /// `$$`: the context object.
    Context,
    /// `$name`: the variable `name` (without the `$`).
    Variable(String),
}

/// One step of a path.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// `.name`, `['name']` or `["name"]`.
    Name(String),
    /// `[n]`; negative counts from the end.
    Index(i64),
    /// `['a','b']` (two or more names): a union, or a merged object when last.
    Names(Vec<String>),
    /// `[0,1]` (two or more indexes).
    Indexes(Vec<i64>),
    /// `.*` or `[*]`: every member value / element.
    Wildcard,
    /// `[start:end:step]`, each part optional.
    Slice {
        /// First index (inclusive); default depends on the step's sign.
        start: Option<i64>,
        /// Last index (exclusive).
        end: Option<i64>,
        /// Stride, never 0; default 1.
        step: Option<i64>,
    },
    /// `[?(…)]`.
    Filter(Box<Filter>),
    /// `..x`: applies the inner step to the node and all its descendants.
    /// The inner step is never itself a `Descendant`.
    Descendant(Box<Step>),
}

impl Step {
    /// Whether the step selects at most one node (a name or an index).
    pub fn is_definite(&self) -> bool {
        matches!(self, Step::Name(_) | Step::Index(_))
    }
}

/// Parses a JSONPath (see the module documentation for the dialect).
pub fn parse(src: &str) -> Result<Path, PathError> {
    parse::parse_path(src).map(|(path, _)| path)
}

/// Like [`parse`], also returning the span in `src` of every step (one per
/// entry of [`Path::steps`]), for diagnostics that point at a step.
pub fn parse_spanned(src: &str) -> Result<(Path, Vec<Span>), PathError> {
    parse::parse_path(src)
}

/// Parses a *reference path* (only `.name`, `['name']` and `[n]` steps), as
/// required by `ResultPath`, Choice `Variable` and the `…Path` fields.
pub fn parse_reference_path(src: &str) -> Result<Path, PathError> {
    let (path, spans) = parse::parse_path(src)?;
    match path.steps.iter().position(|s| !s.is_definite()) {
        None => Ok(path),
        Some(index) => Err(PathError::new(
            format!(
                "'{src}' is not a reference path: only '.name', ['name'] and [index] steps are \
                 allowed (no wildcards, '..', unions, slices or filters)"
            ),
            spans[index],
        )),
    }
}

impl Path {
    /// Builds a path from parts (used by tests and by code that synthesises
    /// paths).
    pub fn new(root: Root, steps: Vec<Step>) -> Self {
        Path { root, steps }
    }

    /// The root this path starts from.
    pub fn root(&self) -> &Root {
        &self.root
    }

    /// The steps after the root.
    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// Whether every step is a name or an index, so that the path selects at
    /// most one node and [`Path::select`] returns it unwrapped.
    pub fn is_definite(&self) -> bool {
        self.steps.iter().all(Step::is_definite)
    }

    /// Whether this is a reference path in the ASL sense (only name and
    /// index steps); same as [`Path::is_definite`].
    pub fn is_reference_path(&self) -> bool {
        self.is_definite()
    }

    /// Whether [`Path::select`] yields one value rather than an array: the
    /// path is definite, or definite up to a final multi-name step (Jayway's
    /// merged object).
    pub fn yields_single_value(&self) -> bool {
        match self.steps.split_last() {
            Some((Step::Names(_), prefix)) => prefix.iter().all(Step::is_definite),
            _ => self.is_definite(),
        }
    }

    /// Jayway's bracket rendering used in AWS error texts, e.g.
    /// `$['items'][0]`, `$..['name']`, `$[*]`, `$[?]`.
    pub fn to_bracket_string(&self) -> String {
        render::bracket_path(&self.root, &self.steps)
    }
}

impl std::fmt::Display for Path {
    /// Renders the path in a canonical dot/bracket form that [`parse`] reads
    /// back to an equal `Path`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        render::write_path(f, &self.root, &self.steps)
    }
}

impl std::str::FromStr for Path {
    type Err = PathError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse(s)
    }
}

#[cfg(test)]
mod tests;
