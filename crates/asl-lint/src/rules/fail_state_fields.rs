use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{a_type, child};
use asl_core::model::StateType;

declare_rule! {
    /// A Fail state's `Error`, `Cause`, `ErrorPath` or `CausePath` is not a
    /// string.
    ///
    /// `Error` and `Cause` are strings (in a JSONata state they may be
    /// `{% … %}` templates, which are strings too); `ErrorPath` and
    /// `CausePath` are path or intrinsic-function strings. A number, object
    /// or `null` is rejected by AWS with `SCHEMA_VALIDATION_FAILED`; to
    /// compute the value, use the `…Path` form (JSONPath) or a template
    /// (JSONata).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": 500, "Cause": "Upstream failed"}}}
    /// ```
    /// Quote the error name:
    /// ```json
    /// {"StartAt": "F", "States": {"F": {"Type": "Fail", "Error": "Http500", "Cause": "Upstream failed"}}}
    /// ```
    pub FailStateFields {
        code: "ASL-S015",
        slug: "fail-state-fields",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for FailStateFields {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Fail) {
                continue;
            }
            for key in ["Error", "Cause", "ErrorPath", "CausePath"] {
                let Some(value) = s.node.field(key) else {
                    continue;
                };
                if value.as_str().is_some() {
                    continue;
                }
                let what = if key.ends_with("Path") {
                    "a path or intrinsic function string (e.g. `$.error`)"
                } else {
                    "a string"
                };
                out.report(
                    &Self::META,
                    value.span,
                    child(&s.state.pointer, key),
                    format!("The field '{key}' must be {what}, not {}", a_type(value)),
                );
            }
        }
    }
}
