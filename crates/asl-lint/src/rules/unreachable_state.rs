use crate::context::Context;
use crate::declare_rule;
use crate::graph;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// A state that no path from its machine's `StartAt` reaches.
    ///
    /// Every state must be reachable: through `StartAt`, a `Next`, a Choice
    /// rule or `Default`, or a `Catch`. An unreachable state is usually a
    /// typo in a `Next` or a leftover from an edit. AWS's tooling reports
    /// "The state cannot be reached"; delete the state or add a transition
    /// to it.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "End": true},
    ///   "B": {"Type": "Pass", "End": true}}}
    /// ```
    /// Link `B` (or delete it):
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B"},
    ///   "B": {"Type": "Pass", "End": true}}}
    /// ```
    pub UnreachableState {
        code: "ASL-G001",
        slug: "unreachable-state",
        severity: Error,
        aws_code: None,
    }
}

impl Rule for UnreachableState {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            let machine = m.machine;
            let Some(start) = graph::start_index(machine) else {
                continue; // start-at-not-found reports this
            };
            let seen = graph::reachable(&graph::successors(machine), start);
            for (state, reached) in machine.states.iter().zip(seen) {
                if !reached {
                    out.report(
                        &Self::META,
                        state.name_span,
                        &state.pointer,
                        format!(
                            "state `{}` is unreachable: no `StartAt`, `Next`, Choice rule, `Default` or `Catch` of its machine leads to it",
                            state.name
                        ),
                    );
                }
            }
        }
    }
}
