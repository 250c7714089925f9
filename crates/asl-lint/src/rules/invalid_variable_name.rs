use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::names::{check_name, NameKind};

declare_rule! {
    /// An `Assign` key that is not a valid variable name.
    ///
    /// A variable name is an identifier of at most 80 characters: no
    /// sub-paths (`order.id`, `items[0]`) — `Assign` sets whole variables —
    /// and not the reserved `states`. In a JSONPath state a key ending in
    /// `.$` names the variable without that suffix.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Assign": {"order.id": 1}, "End": true}}}
    /// ```
    /// Assign the whole variable:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Assign": {"orderId": 1}, "End": true}}}
    /// ```
    pub InvalidVariableName {
        code: "ASL-J003",
        slug: "invalid-variable-name",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidVariableName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for a in &ctx.scopes().assignments {
            if let Err(error) = check_name(NameKind::Variable, &a.name) {
                out.report(&Self::META, a.member.key_span, &a.pointer, error.message());
            }
        }
    }
}
