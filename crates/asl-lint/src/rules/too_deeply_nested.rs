use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};

/// How many Parallel/Map levels may nest inside one another.
///
/// AWS has a `TOO_DEEPLY_NESTED` diagnostic but documents no value. No
/// definition in the lint or conformance corpora nests deeper than 2; this
/// bound is set well above any real workflow so that it never rejects one
/// AWS accepts, while still flagging generated or runaway nesting.
pub const MAX_NESTING: usize = 20;

declare_rule! {
    /// Parallel and Map states nest deeper than 20 levels.
    ///
    /// Every Parallel branch and Map processor is a machine inside its
    /// parent; AWS rejects definitions nested too deeply with
    /// `TOO_DEEPLY_NESTED`. AWS does not publish the limit: asl-lint uses
    /// 20 levels (the deepest definition in its corpora nests 2). Flatten
    /// the workflow, or move an inner part into its own state machine and
    /// start it with `arn:aws:states:::states:startExecution.sync:2`.
    ///
    /// ## Example
    /// A Map inside a Parallel inside a Map … 21 levels deep. Replace the
    /// innermost levels with a nested execution:
    /// ```json
    /// {"StartAt": "Run", "States": {"Run": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::states:startExecution.sync:2",
    ///   "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:inner",
    ///     "Input.$": "$"}, "End": true}}}
    /// ```
    pub TooDeeplyNested {
        code: "ASL-L002",
        slug: "too-deeply-nested",
        severity: Error,
        aws_code: Some("TOO_DEEPLY_NESTED"),
    }
}

impl Rule for TooDeeplyNested {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let mut reported = std::collections::BTreeSet::new();
        for m in &ctx.machines {
            // Report where the limit is first crossed, once per state.
            if m.depth != MAX_NESTING + 1 {
                continue;
            }
            let Some(parent) = m.parent else {
                continue;
            };
            if !reported.insert(parent.pointer.as_str()) {
                continue;
            }
            out.report(
                &Self::META,
                parent.name_span,
                parent.pointer.clone(),
                format!(
                    "`{}` nests Parallel/Map states {} levels deep, more than the {MAX_NESTING} asl-lint allows (AWS: TOO_DEEPLY_NESTED): flatten it or move the inner part into its own state machine",
                    parent.name,
                    m.depth
                ),
            );
        }
    }
}
