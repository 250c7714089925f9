use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::integrations::{
    check_item_reader_resource, check_result_writer_resource, check_task_resource, MachineType,
    ResourceProblem,
};
use asl_core::json::Node;
use asl_core::model::StateType;

declare_rule! {
    /// A Task, ItemReader or ResultWriter `Resource` that AWS does not
    /// recognise.
    ///
    /// A Task `Resource` is a Lambda function ARN, an activity ARN, an
    /// optimised integration `arn:aws:states:::<service>:<action>[.sync |
    /// .sync:2 | .waitForTaskToken]` — the service, the action and the
    /// pattern must be one AWS supports together — or an SDK integration
    /// `arn:aws:states:::aws-sdk:<service>:<action>` (never `.sync`).
    /// A distributed Map reads with `s3:getObject` / `s3:listObjectsV2` and
    /// writes with `s3:putObject`. Anything else fails with
    /// `SCHEMA_VALIDATION_FAILED` "The resource provided <arn> is not
    /// recognized. The value is not a valid resource ARN, or the resource is
    /// not available in this region." — for example
    /// `arn:aws:states:::dynamodb:query`, which only exists as
    /// `arn:aws:states:::aws-sdk:dynamodb:query`.
    ///
    /// CloudFormation `DefinitionSubstitutions` placeholders (`${Name}`) are
    /// accepted wherever they appear.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Query", "States": {"Query": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::dynamodb:query", "End": true}}}
    /// ```
    /// Use the SDK integration:
    /// ```json
    /// {"StartAt": "Query", "States": {"Query": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::aws-sdk:dynamodb:query", "End": true}}}
    /// ```
    pub InvalidResource {
        code: "ASL-X001",
        slug: "invalid-resource",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidResource {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let pointer = &s.state.pointer;
            match s.state.state_type {
                Some(StateType::Task) => {
                    if let Some(node) = string_field(s.node, "Resource") {
                        // The EXPRESS restrictions are ASL-X002's.
                        let result = check_task_resource(node.as_str().unwrap_or_default(), MachineType::Standard);
                        self.report(out, node, format!("{pointer}/Resource"), result.err());
                    }
                }
                Some(StateType::Map) => {
                    for (holder, check, help) in [
                        (
                            "ItemReader",
                            check_item_reader_resource as fn(&str) -> _,
                            "an ItemReader reads with arn:aws:states:::s3:getObject or arn:aws:states:::s3:listObjectsV2",
                        ),
                        (
                            "ResultWriter",
                            check_result_writer_resource,
                            "a ResultWriter writes with arn:aws:states:::s3:putObject",
                        ),
                    ] {
                        let Some(node) = s.node.field(holder).and_then(|h| string_field(h, "Resource")) else {
                            continue;
                        };
                        let resource = node.as_str().unwrap_or_default();
                        if resource.contains("${") {
                            continue;
                        }
                        if let Err(problem) = check(resource) {
                            out.report(
                                &Self::META,
                                node.span,
                                format!("{pointer}/{holder}/Resource"),
                                format!("{} ({help})", problem.message()),
                            );
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

impl InvalidResource {
    fn report(
        &self,
        out: &mut Findings,
        node: &Node,
        pointer: String,
        problem: Option<ResourceProblem>,
    ) {
        let Some(problem) = problem else {
            return;
        };
        let mut message = problem.message();
        if let Some(help) = problem.help() {
            message.push_str(&format!(" ({help})"));
        }
        out.report(&Self::META, node.span, pointer, message);
    }
}

fn string_field<'a>(holder: &'a Node, key: &str) -> Option<&'a Node> {
    holder.field(key).filter(|n| n.as_str().is_some())
}
