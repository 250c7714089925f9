use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, describe_char, forbidden_label_char};
use asl_core::model::StateType;

declare_rule! {
    /// A Map `Label` that is empty, longer than 40 characters, or contains a
    /// character that names may not contain.
    ///
    /// A Distributed Map's `Label` names its Map Runs. It follows the rules
    /// of state machine names, with a shorter limit: 1 to 40 characters, no
    /// whitespace, none of `< > { } [ ] ? * " # % \ ^ | ~ ` $ & , ; : /`,
    /// and no control characters (U+0000–U+001F, U+007F–U+009F). AWS rejects
    /// the definition with `INVALID_LABEL_NAME`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "my label", "End": true,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    ///     "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
    /// ```
    /// Use a name without spaces:
    /// ```json
    /// {"StartAt": "M", "States": {"M": {"Type": "Map", "Label": "my-label", "End": true,
    ///   "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
    ///     "StartAt": "P", "States": {"P": {"Type": "Pass", "End": true}}}}}}
    /// ```
    pub InvalidMapLabel {
        code: "ASL-N004",
        slug: "invalid-map-label",
        severity: Error,
        aws_code: Some("INVALID_LABEL_NAME"),
    }
}

/// The longest Map label AWS accepts, in characters.
pub const MAX_LABEL_CHARS: usize = 40;

impl Rule for InvalidMapLabel {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
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
            let len = text.chars().count();
            let message = if text.is_empty() {
                "Label cannot be empty: give the Map Run a name of 1 to 40 characters, or remove `Label`".to_string()
            } else if len > MAX_LABEL_CHARS {
                format!("Label is {len} characters long; the maximum is {MAX_LABEL_CHARS}")
            } else if let Some(c) = forbidden_label_char(text) {
                format!(
                    "Label contains the character {}, which Map Run names may not contain (no whitespace, control characters or any of < > {{ }} [ ] ? * \" # % \\ ^ | ~ ` $ & , ; : /)",
                    describe_char(c)
                )
            } else {
                continue;
            };
            out.report(
                &Self::META,
                label.span,
                child(&s.state.pointer, "Label"),
                message,
            );
        }
    }
}
