use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::{child_pointer, EXCLUSIVE};

declare_rule! {
    /// Two fields that set the same thing two ways appear together.
    ///
    /// A setting is given either as a static value or through its `…Path`
    /// form, never both: `TimeoutSeconds`/`TimeoutSecondsPath`,
    /// `HeartbeatSeconds`/`HeartbeatSecondsPath`, `Error`/`ErrorPath`,
    /// `Cause`/`CausePath`, `MaxConcurrency`/`MaxConcurrencyPath`,
    /// `ToleratedFailureCount`/`…Path`, `ToleratedFailurePercentage`/`…Path`.
    /// A Map takes `ItemProcessor` or the legacy `Iterator`, and
    /// `ItemSelector` or the legacy `Parameters`, not both. (Wait's
    /// `Seconds`/`Timestamp` forms are checked by their own rule.)
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "F", "States": {"F": {"Type": "Fail",
    ///   "Error": "Oops", "ErrorPath": "$.error"}}}
    /// ```
    /// Keep one:
    /// ```json
    /// {"StartAt": "F", "States": {"F": {"Type": "Fail", "ErrorPath": "$.error"}}}
    /// ```
    pub ExclusiveFields {
        code: "ASL-S011",
        slug: "exclusive-fields",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for ExclusiveFields {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let Some(state_type) = s.state.state_type else {
                continue;
            };
            for (owner, first, second) in EXCLUSIVE {
                if *owner != state_type || s.node.get(first).is_none() {
                    continue;
                }
                let Some(member) = s.node.get(second) else {
                    continue;
                };
                out.report(
                    &Self::META,
                    member.key_span,
                    child_pointer(&s.state.pointer, second),
                    format!(
                        "'{first}' and '{second}' cannot both be set on a {} state: keep one",
                        state_type.as_str()
                    ),
                );
            }
        }
    }
}
