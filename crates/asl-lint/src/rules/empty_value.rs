use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::child_pointer;
use asl_core::json::NodeValue;
use asl_core::model::StateType;

declare_rule! {
    /// `States`, `Branches` or `Choices` is empty.
    ///
    /// A machine needs at least one state, a Parallel at least one branch,
    /// a Choice at least one rule. AWS answers `SCHEMA_VALIDATION_FAILED`
    /// "Value cannot be empty" (for an empty `Branches` at
    /// `/States/<name>/Branches`).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "P", "States": {"P": {"Type": "Parallel", "Branches": [], "End": true}}}
    /// ```
    /// Give it a branch (or use a Pass state):
    /// ```json
    /// {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": true, "Branches": [
    ///   {"StartAt": "B", "States": {"B": {"Type": "Succeed"}}}]}}}
    /// ```
    pub EmptyValue {
        code: "ASL-S010",
        slug: "empty-value",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for EmptyValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            if let Some(states) = m.node.field("States") {
                if matches!(&states.value, NodeValue::Object(members) if members.is_empty()) {
                    out.report(
                        &Self::META,
                        states.span,
                        child_pointer(&m.machine.pointer, "States"),
                        "Value cannot be empty: `States` needs at least one state",
                    );
                }
            }
        }
        for s in &ctx.states {
            let (field, what) = match s.state.state_type {
                Some(StateType::Parallel) => {
                    ("Branches", "a Parallel state needs at least one branch")
                }
                Some(StateType::Choice) => ("Choices", "a Choice state needs at least one rule"),
                _ => continue,
            };
            let Some(value) = s.node.field(field) else {
                continue;
            };
            if matches!(&value.value, NodeValue::Array(items) if items.is_empty()) {
                out.report(
                    &Self::META,
                    value.span,
                    child_pointer(&s.state.pointer, field),
                    format!("Value cannot be empty: {what}"),
                );
            }
        }
    }
}
