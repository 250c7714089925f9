use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{
    a_type, check_enum, check_error_equals, check_integer, child, index, report_unknown_keys, show,
};
use asl_core::json::Node;

declare_rule! {
    /// A `Retry` entry with a missing, mistyped or out-of-range field.
    ///
    /// A Retrier has `ErrorEquals` (required: a non-empty array of error
    /// names) and optionally `IntervalSeconds` (integer 1–99999999, default
    /// 1), `MaxAttempts` (integer 0–99999999, default 3; 0 never retries),
    /// `BackoffRate` (number ≥ 1.0, default 2.0), `MaxDelaySeconds` (integer
    /// 1–31622401), `JitterStrategy` (`FULL` or `NONE`) and `Comment`.
    /// Any other field is rejected; a near miss gets a suggestion. AWS
    /// rejects these definitions with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timeout"], "BackoffRate": 0.5, "MaxAttempt": 3}]}}}
    /// ```
    /// Back off by a rate of at least 1, and spell `MaxAttempts`:
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timeout"], "BackoffRate": 1.5, "MaxAttempts": 3}]}}}
    /// ```
    pub InvalidRetrier {
        code: "ASL-R002",
        slug: "invalid-retrier",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

const RETRIER_FIELDS: [&str; 7] = [
    "ErrorEquals",
    "IntervalSeconds",
    "MaxAttempts",
    "BackoffRate",
    "MaxDelaySeconds",
    "JitterStrategy",
    "Comment",
];

impl Rule for InvalidRetrier {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let Some(retry) = s.node.field("Retry") else {
                continue;
            };
            let pointer = child(&s.state.pointer, "Retry");
            let Some(entries) = retry.as_array() else {
                out.report(
                    &Self::META,
                    retry.span,
                    pointer,
                    format!(
                        "The field 'Retry' must be an array of Retrier objects, not {}",
                        a_type(retry)
                    ),
                );
                continue;
            };
            for (i, entry) in entries.iter().enumerate() {
                check_retrier(out, entry, &index(&pointer, i));
            }
        }
    }
}

fn check_retrier(out: &mut Findings, entry: &Node, pointer: &str) {
    let meta = &InvalidRetrier::META;
    if entry.as_object().is_none() {
        out.report(
            meta,
            entry.span,
            pointer,
            format!("A Retrier must be an object, not {}", a_type(entry)),
        );
        return;
    }
    report_unknown_keys(meta, out, entry, pointer, &RETRIER_FIELDS, "a Retrier");
    check_error_equals(meta, out, entry, pointer, "Retrier", false);
    let integers: [(&str, i128, i128); 3] = [
        ("IntervalSeconds", 1, 99_999_999),
        ("MaxAttempts", 0, 99_999_999),
        ("MaxDelaySeconds", 1, 31_622_401),
    ];
    for (key, min, max) in integers {
        if let Some(value) = entry.field(key) {
            if let Some(message) = check_integer(key, value, min, Some(max)) {
                out.report(meta, value.span, child(pointer, key), message);
            }
        }
    }
    if let Some(rate) = entry.field("BackoffRate") {
        let message = match rate.as_number().and_then(serde_json::Number::as_f64) {
            Some(r) if r >= 1.0 => None,
            Some(_) => Some(format!(
                "The field 'BackoffRate' must be at least 1.0, not {}: 1 keeps the interval constant, larger values grow it",
                show(rate)
            )),
            None => Some(format!(
                "The field 'BackoffRate' must be a number, not {}",
                a_type(rate)
            )),
        };
        if let Some(message) = message {
            out.report(meta, rate.span, child(pointer, "BackoffRate"), message);
        }
    }
    if let Some(jitter) = entry.field("JitterStrategy") {
        if let Some(message) = check_enum("JitterStrategy", jitter, &["FULL", "NONE"]) {
            out.report(meta, jitter.span, child(pointer, "JitterStrategy"), message);
        }
    }
    if let Some(comment) = entry.field("Comment") {
        if comment.as_str().is_none() {
            out.report(
                meta,
                comment.span,
                child(pointer, "Comment"),
                format!(
                    "The field 'Comment' must be a string, not {}",
                    a_type(comment)
                ),
            );
        }
    }
}
