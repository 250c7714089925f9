use crate::context::Context;
use crate::declare_rule;
use crate::graph;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// A reachable state from which no path leads to the end of its machine.
    ///
    /// Once an execution enters such a state it can only loop until the
    /// execution times out or hits the 25,000-event history limit. AWS
    /// accepts the definition; this is almost always a bug — for instance a
    /// retry loop whose Choice never leaves.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Poll", "States": {
    ///   "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    /// Give the loop an exit:
    /// ```json
    /// {"StartAt": "Poll", "States": {
    ///   "Poll": {"Type": "Wait", "Seconds": 5, "Next": "Check"},
    ///   "Check": {"Type": "Choice", "Default": "Poll",
    ///     "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "Done"}]},
    ///   "Done": {"Type": "Succeed"}}}
    /// ```
    pub NoPathToEnd {
        code: "ASL-G005",
        slug: "no-path-to-end",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for NoPathToEnd {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            let machine = m.machine;
            let Some(start) = graph::start_index(machine) else {
                continue;
            };
            let edges = graph::successors(machine);
            let terminates = graph::can_terminate(machine, &edges);
            if !terminates.iter().any(|&t| t) {
                continue; // missing-end-state covers a machine with no end at all
            }
            let reached = graph::reachable(&edges, start);
            for (i, state) in machine.states.iter().enumerate() {
                if reached[i] && !terminates[i] {
                    out.report(
                        &Self::META,
                        state.name_span,
                        &state.pointer,
                        format!(
                            "no path from `{}` reaches the end of its machine: an execution that enters it can never finish",
                            state.name
                        ),
                    );
                }
            }
        }
    }
}
