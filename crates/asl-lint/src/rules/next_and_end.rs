use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::child_pointer;

declare_rule! {
    /// A state has both `Next` and `End`, neither, or one it must not have.
    ///
    /// Pass, Task, Wait, Parallel and Map states take exactly one of
    /// `Next` (the state to run next) and `End: true` (this state ends its
    /// machine). Choice states move through their rules and `Default`, and
    /// Succeed and Fail states end the machine, so those three take neither:
    /// AWS rejects them with "Field 'Next' is not supported".
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B", "End": true},
    ///   "B": {"Type": "Succeed"}}}
    /// ```
    /// Keep one:
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B"},
    ///   "B": {"Type": "Succeed"}}}
    /// ```
    pub NextAndEnd {
        code: "ASL-S007",
        slug: "next-and-end",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for NextAndEnd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let Some(state_type) = s.state.state_type else {
                continue;
            };
            if s.node.as_object().is_none() {
                continue;
            }
            let pointer = &s.state.pointer;
            let next = s.node.get("Next");
            let end = s.node.get("End");
            let kind = state_type.as_str();
            if !state_type.has_transition() {
                let why = if state_type.is_terminal() {
                    format!("a {kind} state ends its machine")
                } else {
                    "a Choice state moves through its `Choices` rules and `Default`".to_owned()
                };
                for member in [next, end].into_iter().flatten() {
                    out.report(
                        &Self::META,
                        member.key_span,
                        child_pointer(pointer, &member.key),
                        format!(
                            "Field '{}' is not supported: {why}, so it takes neither `Next` nor `End`",
                            member.key
                        ),
                    );
                }
                continue;
            }
            match (next, end) {
                (Some(_), Some(end)) if end.value.as_bool() == Some(true) => {
                    out.report(
                        &Self::META,
                        end.key_span,
                        child_pointer(pointer, "End"),
                        format!(
                            "{kind} state `{}` has both `Next` and `End: true`: keep `Next` to continue or `End` to stop here",
                            s.state.name
                        ),
                    );
                }
                (None, None) => {
                    out.report(
                        &Self::META,
                        s.state.name_span,
                        pointer.clone(),
                        format!(
                            "{kind} state `{}` has neither `Next` nor `End`: add `\"Next\": \"<state>\"` to continue or `\"End\": true` to stop here",
                            s.state.name
                        ),
                    );
                }
                // End with another value than true: invalid-field-value.
                _ => {}
            }
        }
    }
}
