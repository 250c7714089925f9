use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, error_names, handler_lists, index, PREDEFINED_ERRORS};
use crate::suggest::closest;

declare_rule! {
    /// An `ErrorEquals` name starts with `States.` but is not an error that
    /// Step Functions defines.
    ///
    /// The `States.` prefix is reserved for the predefined errors
    /// (`States.ALL`, `States.Timeout`, `States.TaskFailed`, …); a Task can
    /// never raise a user error with that prefix. So a name such as
    /// `States.Timout` or `States.TimeOut` is almost certainly a typo, and
    /// the Retrier or Catcher silently never matches. Error names are case
    /// sensitive.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timout"]}]}}}
    /// ```
    /// Spell the predefined name:
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timeout"]}]}}}
    /// ```
    pub UnknownStatesError {
        code: "ASL-R004",
        slug: "unknown-states-error",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for UnknownStatesError {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for (key, entries) in handler_lists(s.node) {
                let list_pointer = child(&s.state.pointer, key);
                for (i, entry) in entries.iter().enumerate() {
                    for (j, (name, node)) in error_names(entry).into_iter().enumerate() {
                        if !name.starts_with("States.") || PREDEFINED_ERRORS.contains(&name) {
                            continue;
                        }
                        let suggestion = PREDEFINED_ERRORS
                            .iter()
                            .find(|p| p.eq_ignore_ascii_case(name))
                            .copied()
                            .or_else(|| closest(name, PREDEFINED_ERRORS.iter().copied()));
                        let mut message = format!(
                            "`{name}` is not a predefined Step Functions error, and no task can raise a `States.` error, so this never matches"
                        );
                        match suggestion {
                            Some(p) => message.push_str(&format!("; did you mean `{p}`?")),
                            None => message
                                .push_str("; use a name without the reserved `States.` prefix"),
                        }
                        let at = index(&child(&index(&list_pointer, i), "ErrorEquals"), j);
                        out.report(&Self::META, node.span, at, message);
                    }
                }
            }
        }
    }
}
