use crate::context::{Context, MachineType};
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::integrations::{
    check_task_resource, MachineType as CoreMachineType, ResourceProblem,
};
use asl_core::model::StateType;

declare_rule! {
    /// An EXPRESS state machine uses `.sync`, `.waitForTaskToken` or an
    /// activity.
    ///
    /// Express workflows run for at most five minutes and do not support the
    /// "run a job" (`.sync`, `.sync:2`) and "wait for callback"
    /// (`.waitForTaskToken`) integration patterns, nor activities. AWS
    /// rejects such a definition when it is created as EXPRESS, with
    /// `SCHEMA_VALIDATION_FAILED` "Express state machine does not support
    /// '.sync' service integration", "… '.waitForTaskToken' service
    /// integration " (sic, with a trailing space) or "… does not support
    /// Activity ARN". The same definition is fine as STANDARD. This rule
    /// runs only for `--type EXPRESS`.
    ///
    /// ## Example
    /// ```json express
    /// {"StartAt": "Run", "States": {"Run": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::states:startExecution.sync:2",
    ///   "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child"},
    ///   "End": true}}}
    /// ```
    /// Start the child without waiting for it (or make the machine STANDARD):
    /// ```json express
    /// {"StartAt": "Run", "States": {"Run": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::states:startExecution",
    ///   "Parameters": {"StateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:Child"},
    ///   "End": true}}}
    /// ```
    pub ExpressUnsupportedIntegration {
        code: "ASL-X002",
        slug: "express-unsupported-integration",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for ExpressUnsupportedIntegration {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        if ctx.options.machine_type != MachineType::Express {
            return;
        }
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Task) {
                continue;
            }
            let Some(node) = s.node.field("Resource") else {
                continue;
            };
            let Some(resource) = node.as_str() else {
                continue;
            };
            let problem = match check_task_resource(resource, CoreMachineType::Express) {
                Err(
                    p @ (ResourceProblem::ExpressSync { .. }
                    | ResourceProblem::ExpressWaitForTaskToken
                    | ResourceProblem::ExpressActivity),
                ) => p,
                _ => continue,
            };
            let mut message = problem.message();
            if let Some(help) = problem.help() {
                message.push_str(&format!(" ({help})"));
            }
            out.report(
                &Self::META,
                node.span,
                format!("{}/Resource", s.state.pointer),
                message,
            );
        }
    }
}
