use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{
    a_type, check_error_equals, child, index, report_unknown_key, required_message,
};
use asl_core::json::Node;
use asl_core::model::QueryLanguage;

declare_rule! {
    /// A `Catch` entry with a missing, mistyped or misplaced field.
    ///
    /// A Catcher has `ErrorEquals` (required: an array of error names; an
    /// empty one is reported by `unreachable-retrier`, because AWS accepted a
    /// template with one) and `Next` (required: the state to go to), and optionally
    /// `Assign` and `Comment`. A JSONPath state's Catcher may set
    /// `ResultPath` (a path or `null`); a JSONata state's Catcher uses
    /// `Output` instead. Any other field is rejected; a near miss gets a
    /// suggestion. AWS rejects these definitions with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {
    ///   "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Catch": [{"Error Equals": ["States.ALL"], "Next": "Failed"}]},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    /// Spell the field `ErrorEquals`:
    /// ```json
    /// {"StartAt": "T", "States": {
    ///   "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    pub InvalidCatcher {
        code: "ASL-R003",
        slug: "invalid-catcher",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

const JSONPATH_FIELDS: [&str; 5] = ["ErrorEquals", "Next", "ResultPath", "Assign", "Comment"];
const JSONATA_FIELDS: [&str; 5] = ["ErrorEquals", "Next", "Output", "Assign", "Comment"];

impl Rule for InvalidCatcher {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let Some(catch) = s.node.field("Catch") else {
                continue;
            };
            let pointer = child(&s.state.pointer, "Catch");
            let Some(entries) = catch.as_array() else {
                out.report(
                    &Self::META,
                    catch.span,
                    pointer,
                    format!(
                        "The field 'Catch' must be an array of Catcher objects, not {}",
                        a_type(catch)
                    ),
                );
                continue;
            };
            for (i, entry) in entries.iter().enumerate() {
                check_catcher(out, entry, &index(&pointer, i), s.state.query_language);
            }
        }
    }
}

fn check_catcher(out: &mut Findings, entry: &Node, pointer: &str, ql: QueryLanguage) {
    let meta = &InvalidCatcher::META;
    let Some(members) = entry.as_object() else {
        out.report(
            meta,
            entry.span,
            pointer,
            format!("A Catcher must be an object, not {}", a_type(entry)),
        );
        return;
    };
    let (known, other) = match ql {
        QueryLanguage::JsonPath => (&JSONPATH_FIELDS, ("Output", "ResultPath")),
        QueryLanguage::Jsonata => (&JSONATA_FIELDS, ("ResultPath", "Output")),
    };
    for member in members {
        if known.contains(&member.key.as_str()) {
            continue;
        }
        if member.key == other.0 {
            out.report(
                meta,
                member.key_span,
                child(pointer, &member.key),
                format!(
                    "Field '{}' is not supported in a {} state's Catcher: use `{}`",
                    other.0,
                    ql.as_str(),
                    other.1
                ),
            );
        } else {
            report_unknown_key(meta, out, member, pointer, known, "a Catcher");
        }
    }
    // An empty list is reported by unreachable-retrier (a warning): a
    // LocalStack template that AWS accepts has one.
    check_error_equals(meta, out, entry, pointer, "Catcher", true);
    match entry.field("Next") {
        None => {
            out.report(
                meta,
                entry.span,
                pointer,
                format!(
                    "{}: a Catcher names the state to go to when it catches an error",
                    required_message(&["Next"])
                ),
            );
        }
        Some(next) if next.as_str().is_none() => {
            out.report(
                meta,
                next.span,
                child(pointer, "Next"),
                format!(
                    "The field 'Next' must be a state name (a string), not {}",
                    a_type(next)
                ),
            );
        }
        Some(_) => {}
    }
    if ql == QueryLanguage::JsonPath {
        if let Some(rp) = entry.field("ResultPath") {
            if rp.as_str().is_none() && !rp.is_null() {
                out.report(
                    meta,
                    rp.span,
                    child(pointer, "ResultPath"),
                    format!(
                        "The field 'ResultPath' must be a path string or null, not {}",
                        a_type(rp)
                    ),
                );
            }
        }
    }
}
