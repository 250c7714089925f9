//! JSONata 2.0.x expressions: recognising `{% … %}` templates, parsing the
//! expression inside into a syntax tree ([`Expr`]), and evaluating it
//! ([`evaluate`]).
//!
//! The parser mirrors the jsonata-js 2.0 parser (tokenizer, Pratt parser and
//! its post-parse processing), including its error codes and messages, so
//! that an expression accepted here is one AWS (which runs jsonata-js 2.0.6)
//! accepts, and vice versa. The evaluator is a node-for-node port of the
//! jsonata-js 2.0.6 evaluator's semantics (written afresh in Rust).
//!
//! # Evaluation
//!
//! [`evaluate`] takes a parsed [`Expr`], the input document and a
//! [`JsonataEnv`] (the host: `$states` and workflow variables, seeded
//! randomness, virtual time) and returns `Ok(None)` for JSONata's
//! *undefined*. Object key order is preserved; integral numbers come back as
//! JSON integers (`3`, not `3.0`), as AWS prints them.
//!
//! Supported: paths with sequence flattening and singleton unwrapping
//! (`[]` keeps arrays), predicates and indexes (negative, fractional,
//! multiple), wildcards `*`, descendants `**`, parent `%`, focus `@$v` and
//! index `#$i` bindings (tuple streams), grouping `{…}` with reduce,
//! order-by `^(…)`, ranges `..`, `&`, arithmetic (operands must be finite),
//! comparisons, `in`, `and`/`or`, `? :`, `?:`, `??`, blocks and scoping,
//! `:=`, closures, lambdas with signatures, partial application `?`,
//! chaining `~>` (including function composition), transforms
//! `| … | … , … |`, regex literals (JavaScript syntax, translated for
//! `fancy-regex`), tail-call elimination (tail-recursive functions run in
//! constant stack), and every jsonata-js built-in except `$eval` (which AWS
//! removes): string, numeric, boolean, array, object, higher-order and
//! date/time functions, including `$formatNumber`, `$formatInteger`,
//! `$parseInteger`, `$fromMillis`/`$toMillis` pictures. Step Functions'
//! additions: `$partition`, `$range` (inclusive; a one-item result unwraps to
//! a scalar), `$hash`, `$random([seed])`, `$uuid`, `$parse`.
//!
//! Errors are [`EvalError`]s with jsonata-js codes and message texts;
//! [`query_evaluation_cause`] renders them (and undefined / wrongly typed /
//! function results) exactly as AWS reports `States.QueryEvaluationError`.
//!
//! Resource limits ([`EvalLimits`]): nesting depth and native stack use
//! (`U1001` "Stack overflow error…"), a step budget that stops runaway loops
//! including tail-recursive ones (`U1001` "…timeout…"), sequence length
//! (`..` and `$range`: `D2014`; others `D2015`) and string length (`D2016`).
//! Values nested more than 1000 deep are refused. Evaluation never panics.
//!
//! Conformance: the jsonata-js 2.0.6 test suite passes 1610 of 1611 cases
//! (the `$eval` group excluded); the one difference is a case that expects
//! the test harness's own depth limit to fire.
//!
//! # Known gaps
//!
//! * JavaScript's ordering of integer-like object keys (`{"b":1,"1":2}`
//!   iterates `"1"` first in JavaScript) is not reproduced: keys keep
//!   insertion order.
//! * Regexes use `fancy-regex`: `\d`/`\w` are ASCII as in JavaScript, but
//!   `\s`, `\b` and case-insensitive matching follow Unicode rules, and exotic
//!   JavaScript syntax may differ or be rejected (`S0303`).
//! * `$random(seed)` uses `java.util.Random(seed).nextDouble()`, and the error
//!   codes of the AWS additions (`D3201` partition size, `D3202` hash
//!   algorithm, `D3203` `$parse`, `D3204` range step) are this crate's own:
//!   no recording shows AWS's behaviour.
//! * Numbers ≥ 1e21 print as serde_json prints floats (`1e21`), not as
//!   JavaScript would (`1e+21`); `$string` follows JavaScript.
//! * `$toMillis` without a picture treats zone-less times as UTC (the host
//!   time zone of AWS); `$now`/`$millis` read [`JsonataEnv::now_millis`] once
//!   per evaluation.
//! * A function nested inside a result is reported as an unsupported result
//!   (AWS's behaviour for that case is unrecorded).
//!
//! # Templates
//!
//! [`template_expression`] implements the ASL rule: a string value is a
//! JSONata expression iff it *begins* with `{%` (no leading whitespace) and
//! *ends* with `%}`. Anything else — including `"{% 10 %"` with no closing
//! delimiter — is a plain string literal, and `template_expression` returns
//! `None`. Whether such a near-miss deserves a warning (asl-validator rejects
//! it in JSONata-only fields) is the linter's call; [`is_unterminated_template`]
//! identifies it. Whitespace inside the delimiters is part of the expression
//! and insignificant to JSONata (`{%10%}` is the expression `10`).
//!
//! # Grammar coverage
//!
//! * Literals: strings in `"…"` or `'…'` with JSON escapes (`\" \\ \/ \b \f
//!   \n \r \t \uXXXX`, surrogate pairs combined; a lone surrogate becomes
//!   U+FFFD), numbers (`0`, `12`, `1.5`, `2e-3`; no leading `-`, no `1.`),
//!   `true`, `false`, `null`, regexes `/pattern/flags` (flags `i`, `m`).
//! * Names `a`, `` `quoted name` ``, paths `a.b.c`, variables `$v`, context
//!   `$`, root `$$`, wildcard `*`, descendants `**`, parent `%`.
//! * Predicates `a[expr]`, `a[]` (keep arrays), array constructors
//!   `[a, b, 1..5]`, object constructors `{k: v}` and grouping `a{k: v}`,
//!   order-by `a^(<x, >y)`, focus `a@$v`, index `a#$i`.
//! * Functions: calls `$f(a, b)`, partial application `$f(?, 2)`, lambdas
//!   `function($x, $y)<n-n:n>{ … }` and `λ($x){ … }`, chaining `~>`.
//! * Conditionals `c ? a : b` (else optional), elvis `a ?: b`, coalescing
//!   `a ?? b`, binding `$x := e`, blocks `(e1; e2)`, transforms
//!   `| pattern | update, delete |`, comments `/* … */`.
//!
//! # Operator precedence
//!
//! Binding powers, highest first (jsonata-js's table; all binary operators are
//! left-associative except `:=`, which is right-associative):
//!
//! | Power | Operators |
//! |---|---|
//! | 80 | `[…]` predicate, `(…)` call, `@` focus, `#` index |
//! | 75 | `.` path step |
//! | 70 | `{…}` grouping; also the operand of unary `-` |
//! | 60 | `*` `/` `%` |
//! | 50 | `+` `-` `&` |
//! | 40 | `=` `!=` `<` `<=` `>` `>=` `in` `~>` `^(…)` `?:` `??` |
//! | 30 | `and` |
//! | 25 | `or` |
//! | 20 | `? :` conditional |
//! | 10 | `:=` |
//!
//! The right operand of `?:`, `??` and both branches of `? :` extend as far
//! as possible (they are parsed at power 0).
//!
//! # Errors
//!
//! Every failure is a [`ParseError`] with a jsonata-js code and message:
//!
//! | Code | Message |
//! |---|---|
//! | S0101 | String literal must be terminated by a matching quote |
//! | S0102 | Number out of range: *n* |
//! | S0103 | Unsupported escape sequence: \\*c* |
//! | S0104 | The escape sequence \u must be followed by 4 hex digits |
//! | S0105 | Quoted property name must be terminated with a backquote (`` ` ``) |
//! | S0106 | Comment has no closing tag |
//! | S0201 | Syntax error: *token* |
//! | S0202 | Expected *x*, got *token* |
//! | S0203 | Expected *x* before end of expression |
//! | S0204 | Unknown operator: *op* (`!` or `~` alone) |
//! | S0207 | Unexpected end of expression |
//! | S0208 | Parameter *n* of function definition must be a variable name (start with $) |
//! | S0209 | A predicate cannot follow a grouping expression in a step |
//! | S0210 | Each step can only have one grouping expression |
//! | S0211 | The symbol *op* cannot be used as a unary operator |
//! | S0212 | The left side of := must be a variable name (start with $) |
//! | S0213 | The literal value *v* cannot be used as a step within a path expression |
//! | S0214 | The right side of *op* must be a variable name (start with $) |
//! | S0215 | A context variable binding must precede any predicates on a step |
//! | S0216 | A context variable binding must precede the 'order-by' clause on a step |
//! | S0217 | The object representing the 'parent' cannot be derived from this expression |
//! | S0301 | Empty regular expressions are not allowed |
//! | S0302 | No terminating / in regular expression |
//! | S0401 | Type parameters can only be applied to functions and arrays |
//! | S0402 | Choice groups containing parameterized types are not supported |
//! | U1001 | Expression is nested too deeply (over [`MAX_DEPTH`] levels) |
//!
//! `U1001` is jsonata-js's stack-overflow code; jsonata-js itself has no
//! parse-depth limit (it dies with a JavaScript `RangeError`). Spans are byte
//! ranges of the offending token (jsonata-js reports a UTF-16 end position).
//!
//! # Robustness
//!
//! Parsing is linear in the input, never panics, and bounds recursion: both
//! nesting (`((((…`) and the height of left-associative chains are limited to
//! [`MAX_DEPTH`], so every later recursive walk of the tree (processing,
//! dropping, evaluation) stays within a small stack.
//!
//! # Not checked here
//!
//! Regex patterns are not compiled (JavaScript regex syntax errors surface at
//! evaluation); tail-call rewriting of lambdas is left to the evaluator.

mod ast;
mod aws;
mod datetime;
mod eval;
mod functions;
mod lexer;
mod numfmt;
mod parser;
mod process;
mod regex;
mod signature;
mod value;

pub use ast::{BinaryOp, Expr, ExprKind, Group, SigParam, Signature, SortTerm, Stage};
pub use aws::{json_type_name, query_evaluation_cause, state_error_prefix, QueryFailure};
pub use eval::{evaluate, evaluate_with_limits, EvalError, EvalLimits, JsonataEnv};
pub use functions::builtin_names;

use crate::span::Span;
use std::fmt;

/// Maximum nesting depth of an expression: the height of its syntax tree
/// (brackets, nested calls, operator chains, path steps all count).
///
/// Real expressions stay far below this (ASL expressions are rarely more
/// than 20 deep). Debug builds use up to ~7.5 KiB of stack per level, so the
/// limit keeps parsing within 1 MiB of stack (release builds need far less),
/// and an evaluator recursing over the tree inherits the bound.
pub const MAX_DEPTH: usize = 128;

/// A JSONata syntax error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// jsonata-js error code, e.g. `"S0201"`.
    pub code: &'static str,
    /// jsonata-js message with the token/value filled in.
    pub message: String,
    /// Byte span in the expression text (shift it with [`Span::shifted`] to
    /// place it in a file).
    pub span: Span,
}

impl ParseError {
    pub(crate) fn new(code: &'static str, message: String, span: Span) -> Self {
        ParseError {
            code,
            message,
            span,
        }
    }

    fn too_deep(span: Span) -> Self {
        ParseError::new(
            "U1001",
            format!("Expression is nested too deeply (over {MAX_DEPTH} levels)"),
            span,
        )
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ParseError {}

/// If `s` is a JSONata template — it begins with `{%` and ends with `%}`
/// (the delimiters must not overlap) — the expression text between them and
/// its byte offset in `s` (always 2).
///
/// A string with only the opening delimiter is a literal (`None`); see
/// [`is_unterminated_template`].
pub fn template_expression(s: &str) -> Option<(&str, usize)> {
    if s.len() >= 4 && s.starts_with("{%") && s.ends_with("%}") {
        Some((&s[2..s.len() - 2], 2))
    } else {
        None
    }
}

/// True for a string that opens a template (`{%`) but is not one because it
/// does not end with `%}` — e.g. `"{% 10 %"`. ASL treats it as a literal
/// string; a linter may flag it as a likely mistake.
pub fn is_unterminated_template(s: &str) -> bool {
    s.starts_with("{%") && template_expression(s).is_none()
}

/// Parses a JSONata expression (the text inside `{% … %}`).
pub fn parse(expr: &str) -> Result<Expr, ParseError> {
    if expr.len() > u32::MAX as usize {
        return Err(ParseError::new(
            "U1001",
            "Expression is too large".into(),
            Span::default(),
        ));
    }
    let raw = parser::Parser::parse(expr)?;
    process::process_root(raw)
}

/// Formats a number as JavaScript would in a message.
pub(crate) fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e21 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

#[cfg(test)]
mod eval_tests;
#[cfg(test)]
mod tests;
