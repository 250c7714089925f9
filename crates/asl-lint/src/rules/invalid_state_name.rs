use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{describe_char, is_control};

declare_rule! {
    /// A state name that is empty or contains a control character.
    ///
    /// AWS has an `INVALID_STATE_NAME` diagnostic ("does not follow the
    /// naming convention"). Which characters it forbids in *state* names is
    /// not documented: unlike state machine and execution names, state names
    /// may contain spaces (AWS accepts `Approval Required`), and punctuation
    /// is common. This rule only reports what no naming convention of Step
    /// Functions allows: an empty name, and control characters
    /// (U+0000–U+001F, U+007F–U+009F), which also break history and log
    /// output.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Step\u0001", "States": {"Step\u0001": {"Type": "Succeed"}}}
    /// ```
    /// Remove the control character:
    /// ```json
    /// {"StartAt": "Step 1", "States": {"Step 1": {"Type": "Succeed"}}}
    /// ```
    pub InvalidStateName {
        code: "ASL-N002",
        slug: "invalid-state-name",
        severity: Error,
        aws_code: Some("INVALID_STATE_NAME"),
    }
}

impl Rule for InvalidStateName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let name = &s.state.name;
            let message = if name.is_empty() {
                "State name is empty: names are 1 to 80 characters".to_string()
            } else if let Some(c) = name.chars().find(|c| is_control(*c)) {
                format!(
                    "State name contains the control character {}: state names must not contain control characters",
                    describe_char(c)
                )
            } else {
                continue;
            };
            out.report(&Self::META, s.state.name_span, &s.state.pointer, message);
        }
    }
}
