use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::suggest::closest;

declare_rule! {
    /// `StartAt` names no state of its `States` object.
    ///
    /// Each machine — the top level, every Parallel branch, every Map
    /// processor — starts at the state its `StartAt` names, which must be a
    /// key of the same `States` object.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Frist", "States": {"First": {"Type": "Succeed"}}}
    /// ```
    /// Name an existing state:
    /// ```json
    /// {"StartAt": "First", "States": {"First": {"Type": "Succeed"}}}
    /// ```
    pub StartAtNotFound {
        code: "ASL-G003",
        slug: "start-at-not-found",
        severity: Error,
        aws_code: Some("MISSING_TRANSITION_TARGET"),
    }
}

impl Rule for StartAtNotFound {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            let machine = m.machine;
            let Some(start) = &machine.start_at else {
                continue; // missing-required-field reports a missing StartAt
            };
            if machine.state(&start.value).is_some() {
                continue;
            }
            let pointer = format!("{}/StartAt", machine.pointer);
            let message = format!(
                "`StartAt` names `{}`, which is not a state of this machine",
                start.value
            );
            match closest(&start.value, machine.states.iter().map(|s| s.name.as_str())) {
                Some(name) => out.report_with_fix(
                    &Self::META,
                    start.span,
                    pointer,
                    format!("{message}; did you mean `{name}`?"),
                    Fix {
                        title: format!("Start at `{name}`"),
                        span: start.span,
                        replacement: serde_json::to_string(name).unwrap_or_default(),
                    },
                ),
                None => {
                    out.report(&Self::META, start.span, pointer, message);
                }
            }
        }
    }
}
