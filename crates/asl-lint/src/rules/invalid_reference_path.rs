use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{is_placeholder, is_unimplemented_jayway_syntax, span_in_string};
use asl_core::intrinsic::looks_like_call;
use asl_core::json::{escape_pointer_token, Node};
use asl_core::jsonpath;
use asl_core::model::{Comparison, QueryLanguage, StateType};

declare_rule! {
    /// A field that takes a reference path holds something else.
    ///
    /// A reference path is a JSONPath that selects exactly one value: only
    /// `.name`, `['name']` and `[index]` steps, no wildcards, `..`, unions,
    /// slices or filters. JSONPath states need one in `ResultPath` (of the
    /// state and of each Catcher; `null` is allowed), Choice `Variable` and
    /// the `…Path` comparison operands, `TimeoutSecondsPath`,
    /// `HeartbeatSecondsPath`, `SecondsPath`, `TimestampPath`,
    /// `MaxConcurrencyPath`, `ToleratedFailureCountPath`,
    /// `ToleratedFailurePercentagePath`, ItemBatcher
    /// `MaxItemsPerBatchPath`/`MaxInputBytesPerBatchPath` and ItemReader
    /// `MaxItemsPath`. Fail `ErrorPath` and `CausePath` take a reference
    /// path or an intrinsic function call. A whole-value placeholder
    /// (`${Name}` of CloudFormation `DefinitionSubstitutions`, `%NAME%` of
    /// test harnesses) is accepted.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "ResultPath": "$.results[*]", "End": true}}}
    /// ```
    /// Point at one place:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "ResultPath": "$.results", "End": true}}}
    /// ```
    pub InvalidReferencePath {
        code: "ASL-P002",
        slug: "invalid-reference-path",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

/// State-level fields that take a reference path.
const STATE_FIELDS: &[&str] = &[
    "ResultPath",
    "TimeoutSecondsPath",
    "HeartbeatSecondsPath",
    "SecondsPath",
    "TimestampPath",
    "MaxConcurrencyPath",
    "ToleratedFailureCountPath",
    "ToleratedFailurePercentagePath",
];

impl Rule for InvalidReferencePath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.query_language != QueryLanguage::JsonPath {
                continue;
            }
            let (node, pointer) = (s.node, s.state.pointer.as_str());
            for key in STATE_FIELDS {
                self.check_field(out, node, pointer, key, false);
            }
            if s.state.state_type == Some(StateType::Fail) {
                for key in ["ErrorPath", "CausePath"] {
                    self.check_field(out, node, pointer, key, true);
                }
            }
            if let Some(batcher) = node.field("ItemBatcher") {
                let p = format!("{pointer}/ItemBatcher");
                for key in ["MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath"] {
                    self.check_field(out, batcher, &p, key, false);
                }
            }
            if let Some(config) = node
                .field("ItemReader")
                .and_then(|r| r.field("ReaderConfig"))
            {
                self.check_field(
                    out,
                    config,
                    &format!("{pointer}/ItemReader/ReaderConfig"),
                    "MaxItemsPath",
                    false,
                );
            }
            let catchers = node
                .field("Catch")
                .and_then(Node::as_array)
                .unwrap_or_default();
            for (i, catcher) in catchers.iter().enumerate() {
                self.check_field(
                    out,
                    catcher,
                    &format!("{pointer}/Catch/{i}"),
                    "ResultPath",
                    false,
                );
            }
            if s.state.state_type == Some(StateType::Choice) {
                let rules = node
                    .field("Choices")
                    .and_then(Node::as_array)
                    .unwrap_or_default();
                for (i, rule) in rules.iter().enumerate() {
                    self.check_rule(out, rule, &format!("{pointer}/Choices/{i}"), 0);
                }
            }
        }
    }
}

impl InvalidReferencePath {
    fn check_field(
        &self,
        out: &mut Findings,
        holder: &Node,
        pointer: &str,
        key: &str,
        intrinsic_ok: bool,
    ) {
        let Some(node) = holder.field(key) else {
            return;
        };
        let Some(text) = node.as_str() else {
            return;
        };
        if (intrinsic_ok && looks_like_call(text)) || is_placeholder(text) {
            return; // ASL-I001 checks the call
        }
        let Err(error) = jsonpath::parse_reference_path(text) else {
            return;
        };
        // Jayway-only syntax (`[(@.length-1)]`, functions) is valid JSONPath
        // but never a reference path.
        let detail = if is_unimplemented_jayway_syntax(&error) {
            format!("'{text}' is not a reference path: only '.name', ['name'] and [index] steps are allowed")
        } else {
            error.message
        };
        let what = if intrinsic_ok {
            "a valid reference path or a valid intrinsic function call"
        } else {
            "a valid reference path"
        };
        out.report(
            &Self::META,
            span_in_string(node, error.span),
            format!("{pointer}/{}", escape_pointer_token(key)),
            format!("The value for the field '{key}' must be {what} ({detail})"),
        );
    }

    /// `Variable` and `…Path` operands of a Choice rule and its nested rules.
    fn check_rule(&self, out: &mut Findings, rule: &Node, pointer: &str, depth: usize) {
        let Some(members) = rule.as_object() else {
            return;
        };
        if depth > 64 {
            return;
        }
        for m in members {
            if m.key == "Variable" || matches!(Comparison::from_field(&m.key), Some((_, true))) {
                self.check_field(out, rule, pointer, &m.key, false);
            }
            match m.key.as_str() {
                "And" | "Or" => {
                    for (i, nested) in m.value.as_array().unwrap_or_default().iter().enumerate() {
                        self.check_rule(
                            out,
                            nested,
                            &format!("{pointer}/{}/{i}", m.key),
                            depth + 1,
                        );
                    }
                }
                "Not" => self.check_rule(out, &m.value, &format!("{pointer}/Not"), depth + 1),
                _ => {}
            }
        }
    }
}
