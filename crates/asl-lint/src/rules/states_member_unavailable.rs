use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::suggest::closest;
use asl_core::model::StateType;

const MEMBERS: [&str; 4] = ["input", "result", "errorOutput", "context"];

declare_rule! {
    /// `$states` is read for a member that does not exist where it is used.
    ///
    /// `$states` has four members (ASL-REFERENCE §6.1): `input` (always),
    /// `context` (always), `result` (only in the `Output` and `Assign` of a
    /// Task, Parallel or Map state, after it succeeded — not in `Arguments`,
    /// not in a Catcher) and `errorOutput` (only in a Catcher's `Output` and
    /// `Assign`). Anything else evaluates to nothing, which fails the state
    /// at run time with `States.QueryEvaluationError`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
    ///   "Output": "{% $states.result %}", "End": true}}}
    /// ```
    /// A Pass state has no result; use its input:
    /// ```json
    /// {"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
    ///   "Output": "{% $states.input %}", "End": true}}}
    /// ```
    pub StatesMemberUnavailable {
        code: "ASL-J006",
        slug: "states-member-unavailable",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for StatesMemberUnavailable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for (index, s) in ctx.states.iter().enumerate() {
            let has_result = matches!(
                s.state.state_type,
                Some(StateType::Task | StateType::Parallel | StateType::Map)
            );
            for read in ctx.reads(index) {
                let Some(member) = &read.states_member else {
                    continue;
                };
                let in_catcher = read.field.starts_with("Catch/");
                let result_field = read.field == "Output" || read.field == "Assign";
                let problem = match member.as_str() {
                    "" | "input" | "context" => None,
                    "result" if has_result && result_field => None,
                    "result" if in_catcher => Some("`$states.result` is not available in a Catcher: the state failed; use `$states.errorOutput`".to_string()),
                    "result" => Some(format!(
                        "`$states.result` is not available in `{}` of a {} state: only a Task, Parallel or Map state has a result, in its `Output` and `Assign`",
                        read.field,
                        s.state.state_type.map_or("", |t| t.as_str())
                    )),
                    "errorOutput" if in_catcher => None,
                    "errorOutput" => Some("`$states.errorOutput` exists only in a Catcher's `Output` and `Assign`".to_string()),
                    other => Some(match closest(other, MEMBERS) {
                        Some(near) => format!("`$states` has no member `{other}`; did you mean `{near}`?"),
                        None => format!("`$states` has no member `{other}`: it has `input`, `result`, `errorOutput` and `context`"),
                    }),
                };
                if let Some(message) = problem {
                    out.report(&Self::META, read.span, &read.pointer, message);
                }
            }
        }
    }
}
