use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{looks_like_path, payload_templates, walk};
use asl_core::intrinsic::looks_like_call;

declare_rule! {
    /// A payload-template value looks like a path or an intrinsic call, but
    /// its key does not end in `.$`, so it is passed on as a plain string.
    ///
    /// In `Parameters`, `ResultSelector`, `ItemSelector`, `Credentials` and
    /// `Assign` of JSONPath states, only values under keys ending in `.$`
    /// are evaluated. `"id": "$.id"` produces the text `$.id`, not the
    /// input's `id`. AWS accepts the definition and warns with `NO_DOLLAR`.
    /// If the text is meant literally, ignore this warning.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Parameters": {"id": "$.id", "at": "States.Format('{}', $$.State.EnteredTime)"},
    ///   "End": true}}}
    /// ```
    /// Add `.$` to the keys:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Parameters": {"id.$": "$.id", "at.$": "States.Format('{}', $$.State.EnteredTime)"},
    ///   "End": true}}}
    /// ```
    pub NoDollar {
        code: "ASL-W001",
        slug: "no-dollar",
        severity: Warning,
        aws_code: Some("NO_DOLLAR"),
    }
}

impl Rule for NoDollar {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for field in payload_templates(s) {
                walk(field.node, &field.pointer, &mut |v| {
                    let (Some(member), Some(text)) = (v.member, v.node.as_str()) else {
                        return;
                    };
                    if member.key.ends_with(".$") {
                        return;
                    }
                    let what = if looks_like_path(text) {
                        "a JSONPath"
                    } else if looks_like_call(text) {
                        "an intrinsic function call"
                    } else {
                        return;
                    };
                    out.report(
                        &Self::META,
                        v.node.span,
                        v.pointer,
                        format!(
                            "the value of '{}' looks like {what}, but the key does not end in `.$`, so it is passed on as a plain string; rename the key to '{}.$' to evaluate it",
                            member.key, member.key
                        ),
                    );
                });
            }
        }
    }
}
