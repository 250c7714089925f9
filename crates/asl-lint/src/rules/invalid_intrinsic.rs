use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::intrinsic_nesting::too_deep;
use crate::templates::{dollar_values, span_in_string};
use asl_core::intrinsic::{looks_like_call, parse};

declare_rule! {
    /// An intrinsic function call that AWS rejects: bad syntax, an unknown
    /// function, a wrong number of arguments, a literal argument of the
    /// wrong type, or an illegal escape in a string literal.
    ///
    /// The value of a `.$` field (and a Fail `ErrorPath`/`CausePath`) that
    /// starts with `States.<Name>(` is an intrinsic function call. AWS
    /// checks it when the state machine is created and answers
    /// `SCHEMA_VALIDATION_FAILED` "The value for the field '<key>' must be a
    /// valid JSONPath or a valid intrinsic function call".
    ///
    /// Inside a single-quoted literal only four escapes exist: `\'`, `\{`,
    /// `\}` and `\\` (each backslash doubled again in the JSON file). Any
    /// other, such as `\"`, is an error — write the double quote plainly.
    /// Function names are case-sensitive (`States.UUID`, `States.Format`).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {
    ///   "greeting.$": "States.Format('Hello \\\"{}\\\"', $.name)",
    ///   "id.$": "States.Uuid()"}, "End": true}}}
    /// ```
    /// Write the quote without a backslash, and use the exact function name:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {
    ///   "greeting.$": "States.Format('Hello \"{}\"', $.name)",
    ///   "id.$": "States.UUID()"}, "End": true}}}
    /// ```
    pub InvalidIntrinsic {
        code: "ASL-I001",
        slug: "invalid-intrinsic",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidIntrinsic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for v in dollar_values(s) {
                // Too deep a nesting is ASL-I002's finding.
                if !looks_like_call(v.value) || too_deep(v.value).is_some() {
                    continue;
                }
                if let Err(error) = parse(v.value) {
                    out.report(
                        &Self::META,
                        span_in_string(v.node, error.span),
                        &v.pointer,
                        format!(
                            "The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call ({})",
                            v.key, error.message
                        ),
                    );
                }
            }
        }
    }
}
