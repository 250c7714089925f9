use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::child;
use asl_core::model::StateType;
use std::collections::HashMap;

declare_rule! {
    /// Two Map states share a `Label`.
    ///
    /// A Map's `Label` identifies its Map Runs, so it must be unique within
    /// the whole definition, nested Maps included. AWS rejects duplicates
    /// with `DUPLICATE_LABEL_NAME`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Map", "Label": "Run", "Next": "B", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
    ///   "B": {"Type": "Map", "Label": "Run", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}}}}
    /// ```
    /// Give each its own label:
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Map", "Label": "RunA", "Next": "B", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}},
    ///   "B": {"Type": "Map", "Label": "RunB", "End": true, "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"}, "StartAt": "Q", "States": {"Q": {"Type": "Pass", "End": true}}}}}}
    /// ```
    pub DuplicateMapLabel {
        code: "ASL-N005",
        slug: "duplicate-map-label",
        severity: Error,
        aws_code: Some("DUPLICATE_LABEL_NAME"),
    }
}

impl Rule for DuplicateMapLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let mut first: HashMap<&str, &str> = HashMap::new();
        for s in &ctx.states {
            if s.state.state_type != Some(StateType::Map) {
                continue;
            }
            let Some(label) = s.node.field("Label") else {
                continue;
            };
            let Some(text) = label.as_str() else {
                continue;
            };
            match first.get(text) {
                Some(other) => {
                    out.report(
                        &Self::META,
                        label.span,
                        child(&s.state.pointer, "Label"),
                        format!(
                            "Label `{text}` is already used by the Map state at {other}: labels must be unique in the definition"
                        ),
                    );
                }
                None => {
                    first.insert(text, &s.state.pointer);
                }
            }
        }
    }
}
