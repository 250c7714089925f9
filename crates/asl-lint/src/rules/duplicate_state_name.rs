use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use std::collections::HashMap;

declare_rule! {
    /// Two states share a name, at any nesting level.
    ///
    /// State names must be unique across the whole definition, including the
    /// states inside Parallel branches and Map processors — histories and the
    /// context object identify a state by its name alone. AWS rejects
    /// duplicates with `DUPLICATE_STATE_NAME`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Work", "States": {"Work": {"Type": "Parallel", "End": true,
    ///   "Branches": [{"StartAt": "Work", "States": {"Work": {"Type": "Succeed"}}}]}}}
    /// ```
    /// Rename one:
    /// ```json
    /// {"StartAt": "Work", "States": {"Work": {"Type": "Parallel", "End": true,
    ///   "Branches": [{"StartAt": "Inner", "States": {"Inner": {"Type": "Succeed"}}}]}}}
    /// ```
    pub DuplicateStateName {
        code: "ASL-N003",
        slug: "duplicate-state-name",
        severity: Error,
        aws_code: Some("DUPLICATE_STATE_NAME"),
    }
}

impl Rule for DuplicateStateName {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let mut first_seen: HashMap<&str, &str> = HashMap::new();
        for s in &ctx.states {
            let state = s.state;
            if let Some(first) = first_seen.get(state.name.as_str()) {
                {
                    out.report(
                        &Self::META,
                        state.name_span,
                        &state.pointer,
                        format!(
                            "state name `{}` is already used at {first}: names must be unique in the whole definition, nested states included",
                            state.name
                        ),
                    );
                }
            } else {
                first_seen.insert(&state.name, &state.pointer);
            }
        }
    }
}
