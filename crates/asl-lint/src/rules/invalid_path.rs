use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{
    dollar_values, is_placeholder, is_unimplemented_jayway_syntax, span_in_string,
};
use asl_core::intrinsic::looks_like_call;
use asl_core::json::Node;
use asl_core::jsonpath;
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A JSONPath that does not parse: `InputPath`, `OutputPath`,
    /// `ItemsPath`, or the value of a `.$` field of a payload template.
    ///
    /// In JSONPath states, `InputPath` and `OutputPath` (which may also be
    /// `null`), Map `ItemsPath`, and every value under a key ending in `.$`
    /// in `Parameters`, `ResultSelector`, `ItemSelector`, `Credentials`,
    /// `Assign` and ItemReader/ResultWriter `Parameters` — at any depth —
    /// must be a JSONPath: `$…` (the input), `$$…` (the context object) or
    /// `$name…` (a variable). A `.$` value may also be an intrinsic function
    /// call (checked by ASL-I001). AWS answers `SCHEMA_VALIDATION_FAILED`
    /// "The value for the field '<key>.$' must be a valid JSONPath or a valid
    /// intrinsic function call".
    ///
    /// The dialect is Jayway's, which AWS uses: syntax that Jayway accepts
    /// but the simulator does not evaluate (script expressions
    /// `$[(@.length-1)]`, functions such as `length()`) is not reported.
    /// A whole-value placeholder (`${Name}` of CloudFormation
    /// `DefinitionSubstitutions`, `%NAME%` of test harnesses) is accepted.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.items[",
    ///   "Parameters": {"lorem.$": "ipsum"}, "End": true}}}
    /// ```
    /// Write paths starting with `$` (or drop the `.$` for a constant):
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "InputPath": "$.items[0]",
    ///   "Parameters": {"lorem": "ipsum"}, "End": true}}}
    /// ```
    pub InvalidPath {
        code: "ASL-P001",
        slug: "invalid-path",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.query_language != QueryLanguage::JsonPath {
                continue;
            }
            let mut fields = vec!["InputPath", "OutputPath"];
            if s.state.state_type == Some(StateType::Map) {
                fields.push("ItemsPath");
            }
            for key in fields {
                if let Some(node) = s.node.field(key) {
                    self.check_value(out, node, &format!("{}/{key}", s.state.pointer), key, false);
                }
            }
            for v in dollar_values(s) {
                // Fail ErrorPath/CausePath take reference paths: ASL-P002.
                if !v.key.ends_with(".$") || looks_like_call(v.value) {
                    continue;
                }
                self.check_value(out, v.node, &v.pointer, v.key, true);
            }
        }
    }
}

impl InvalidPath {
    fn check_value(
        &self,
        out: &mut Findings,
        node: &Node,
        pointer: &str,
        key: &str,
        template: bool,
    ) {
        let Some(text) = node.as_str() else {
            return;
        };
        if is_placeholder(text) {
            return;
        }
        let error = match jsonpath::parse(text) {
            Err(error) if !is_unimplemented_jayway_syntax(&error) => error,
            _ => return,
        };
        let message = if template {
            format!(
                "The value for the field '{key}' must be a valid JSONPath or a valid intrinsic function call ({}; for a constant, drop the `.$` from the key)",
                error.message
            )
        } else {
            format!(
                "The value for the field '{key}' must be a valid JSONPath ({})",
                error.message
            )
        };
        out.report(
            &Self::META,
            span_in_string(node, error.span),
            pointer,
            message,
        );
    }
}
