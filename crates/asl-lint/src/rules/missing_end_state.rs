use crate::context::Context;
use crate::declare_rule;
use crate::graph;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// A machine has no terminal state: no `End: true`, no Succeed, no Fail.
    ///
    /// Every machine — the top level, each Parallel branch and each Map
    /// processor — needs at least one state that ends it, or no execution
    /// could ever finish. AWS rejects it with `MISSING_END_STATE`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "A"}}}
    /// ```
    /// End somewhere:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    /// ```
    pub MissingEndState {
        code: "ASL-G004",
        slug: "missing-end-state",
        severity: Error,
        aws_code: Some("MISSING_END_STATE"),
    }
}

impl Rule for MissingEndState {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            let machine = m.machine;
            if machine.states.is_empty()
                || (0..machine.states.len()).any(|i| graph::ends_machine(machine, i))
            {
                continue;
            }
            let span = m.node.get("States").map_or(m.node.span, |s| s.key_span);
            out.report(
                &Self::META,
                span,
                format!("{}/States", machine.pointer),
                "no state ends this machine: add `\"End\": true` to a state, or a Succeed or Fail state",
            );
        }
    }
}
