use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::suggest::closest;

declare_rule! {
    /// A `Next`, `Default` or Catch `Next` names no state of the same machine.
    ///
    /// Transitions stay inside one `States` object: a state in a Parallel
    /// branch or a Map processor cannot move to a state outside it, and the
    /// top level cannot move into one. AWS rejects the definition with
    /// `MISSING_TRANSITION_TARGET`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "Dnoe"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    /// Fix the name:
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "Done"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    pub MissingTransitionTarget {
        code: "ASL-G002",
        slug: "missing-transition-target",
        severity: Error,
        aws_code: Some("MISSING_TRANSITION_TARGET"),
    }
}

impl Rule for MissingTransitionTarget {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let machine = ctx.machines[s.machine].machine;
            for (field, target) in s.state.targets() {
                if machine.state(&target.value).is_some() {
                    continue;
                }
                let elsewhere = ctx
                    .states
                    .iter()
                    .any(|other| other.state.name == target.value);
                let mut message = if elsewhere {
                    format!(
                        "`{}` is a state of another machine: transitions must stay inside their own `States` object (a Parallel branch or Map processor is its own scope)",
                        target.value
                    )
                } else {
                    format!("no state named `{}` in this machine", target.value)
                };
                let pointer = field.pointer(&s.state.pointer);
                let names = machine.states.iter().map(|st| st.name.as_str());
                match closest(&target.value, names) {
                    Some(name) => {
                        message.push_str(&format!("; did you mean `{name}`?"));
                        let replacement = serde_json::to_string(name).unwrap_or_default();
                        out.report_with_fix(
                            &Self::META,
                            target.span,
                            pointer,
                            message,
                            Fix {
                                title: format!("Change the target to `{name}`"),
                                span: target.span,
                                replacement,
                            },
                        );
                    }
                    None => {
                        out.report(&Self::META, target.span, pointer, message);
                    }
                }
            }
        }
    }
}
