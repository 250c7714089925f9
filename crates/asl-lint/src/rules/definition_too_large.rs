use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::span::Span;

/// The largest definition AWS accepts (the `definition` request field).
pub const MAX_DEFINITION_BYTES: usize = 1_048_576;

declare_rule! {
    /// The definition is larger than the 1,048,576 bytes AWS accepts.
    ///
    /// CreateStateMachine, UpdateStateMachine and
    /// ValidateStateMachineDefinition take a `definition` of at most
    /// 1,048,576 characters; a larger one is refused as a request
    /// validation error before any diagnostic (so there is no
    /// ValidateStateMachineDefinition code). The linter counts UTF-8 bytes,
    /// which is the same for ASCII text and stricter otherwise. Move large
    /// constants (`Result`, `Parameters` data) out of the definition, or
    /// split the workflow into state machines that start one another.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": "… a megabyte of data …", "End": true}}}
    /// ```
    /// Read the data at run time instead:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::aws-sdk:s3:getObject",
    ///   "Parameters": {"Bucket": "b", "Key": "data.json"}, "End": true}}}
    /// ```
    pub DefinitionTooLarge {
        code: "ASL-L001",
        slug: "definition-too-large",
        severity: Error,
        aws_code: None,
    }
}

impl Rule for DefinitionTooLarge {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        if ctx.source_len > MAX_DEFINITION_BYTES {
            out.report(
                &Self::META,
                Span::at(ctx.root.span.start as usize),
                "",
                format!(
                    "the definition is {} bytes; AWS accepts at most {MAX_DEFINITION_BYTES}: move large data out of it or split the workflow",
                    ctx.source_len
                ),
            );
        }
    }
}
