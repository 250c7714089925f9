use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{looks_like_path, walk};
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A Pass state's `Result` contains a `.$` key or a path: `Result` is
    /// static and is never evaluated.
    ///
    /// `Result` is copied as written — `"id.$": "$.id"` produces a field
    /// named `id.$` holding the text `$.id`. AWS accepts the definition and
    /// warns with `PASS_RESULT_IS_STATIC` "Attempt to use a path in the
    /// result of a pass state". To build the output from the input, use
    /// `Parameters`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Result": {"id.$": "$.id"}, "End": true}}}
    /// ```
    /// Use `Parameters`:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Parameters": {"id.$": "$.id"}, "End": true}}}
    /// ```
    pub PassResultIsStatic {
        code: "ASL-W003",
        slug: "pass-result-is-static",
        severity: Warning,
        aws_code: Some("PASS_RESULT_IS_STATIC"),
    }
}

impl Rule for PassResultIsStatic {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Pass)
                || s.state.query_language != QueryLanguage::JsonPath
            {
                continue;
            }
            let Some(result) = s.node.field("Result") else {
                continue;
            };
            walk(result, &format!("{}/Result", s.state.pointer), &mut |v| {
                let dollar_key = v.member.filter(|m| m.key.ends_with(".$"));
                let path_value = v.node.as_str().is_some_and(looks_like_path);
                if dollar_key.is_none() && !path_value {
                    return;
                }
                let span = match dollar_key {
                    Some(m) => m.key_span.cover(v.node.span),
                    None => v.node.span,
                };
                out.report(
                    &Self::META,
                    span,
                    v.pointer,
                    "Attempt to use a path in the result of a pass state (`Result` is never evaluated; build the output with `Parameters` instead)",
                );
            });
        }
    }
}
