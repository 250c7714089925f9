use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, integer};
use asl_core::model::StateType;

declare_rule! {
    /// A Task's `HeartbeatSeconds` is not below its `TimeoutSeconds`.
    ///
    /// A heartbeat interval only makes sense inside the task's timeout: the
    /// documented rule is `HeartbeatSeconds` < `TimeoutSeconds`. Checked when
    /// both are literal integers (not `…Path` fields or JSONata expressions).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///   "TimeoutSeconds": 60, "HeartbeatSeconds": 60}}}
    /// ```
    /// Send heartbeats more often than the timeout:
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    ///   "TimeoutSeconds": 60, "HeartbeatSeconds": 20}}}
    /// ```
    pub HeartbeatNotBelowTimeout {
        code: "ASL-T001",
        slug: "heartbeat-not-below-timeout",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for HeartbeatNotBelowTimeout {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Task) {
                continue;
            }
            let (Some(heartbeat), Some(timeout)) = (
                s.node.field("HeartbeatSeconds"),
                s.node.field("TimeoutSeconds"),
            ) else {
                continue;
            };
            let (Some(h), Some(t)) = (integer(heartbeat), integer(timeout)) else {
                continue;
            };
            if h >= t {
                out.report(
                    &Self::META,
                    heartbeat.span,
                    child(&s.state.pointer, "HeartbeatSeconds"),
                    format!(
                        "HeartbeatSeconds ({h}) must be less than TimeoutSeconds ({t}): a heartbeat interval longer than the timeout never fires"
                    ),
                );
            }
        }
    }
}
