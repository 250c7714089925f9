use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::looks_like_path;
use asl_core::json::{escape_pointer_token, Node};
use asl_core::model::{Comparison, QueryLanguage, StateType};

declare_rule! {
    /// A field that takes a constant holds something that looks like a
    /// path, and the field has a `…Path` twin that would evaluate it.
    ///
    /// Fail `Error`/`Cause`, Wait `Timestamp` and the Choice comparison
    /// operators (`StringEquals`, `NumericLessThan`, …) take constants in
    /// JSONPath states; their path forms are `ErrorPath`, `CausePath`,
    /// `TimestampPath` and `StringEqualsPath`, `NumericLessThanPath`, ….
    /// `"StringEquals": "$.expected"` compares with the text `$.expected`.
    /// AWS accepts the definition and warns with `NO_PATH`. If the text is
    /// meant literally, ignore this warning.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Fail", "Error": "$.errorCode"}}}
    /// ```
    /// Use the path field:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Fail", "ErrorPath": "$.errorCode"}}}
    /// ```
    pub NoPath {
        code: "ASL-W002",
        slug: "no-path",
        severity: Warning,
        aws_code: Some("NO_PATH"),
    }
}

impl Rule for NoPath {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            if s.state.query_language != QueryLanguage::JsonPath {
                continue;
            }
            let pointer = &s.state.pointer;
            match s.state.state_type {
                Some(StateType::Fail) => {
                    for key in ["Error", "Cause"] {
                        self.check_field(out, s.node, pointer, key);
                    }
                }
                Some(StateType::Wait) => self.check_field(out, s.node, pointer, "Timestamp"),
                Some(StateType::Choice) => {
                    let rules = s
                        .node
                        .field("Choices")
                        .and_then(Node::as_array)
                        .unwrap_or_default();
                    for (i, rule) in rules.iter().enumerate() {
                        self.check_rule(out, rule, &format!("{pointer}/Choices/{i}"), 0);
                    }
                }
                _ => {}
            }
        }
    }
}

impl NoPath {
    fn check_field(&self, out: &mut Findings, holder: &Node, pointer: &str, key: &str) {
        let Some(node) = holder.field(key) else {
            return;
        };
        if node.as_str().is_some_and(looks_like_path) {
            out.report(
                &Self::META,
                node.span,
                format!("{pointer}/{}", escape_pointer_token(key)),
                format!(
                    "the value of '{key}' looks like a path, but '{key}' takes a constant, so it is used as plain text; use '{key}Path' to read the value from the input"
                ),
            );
        }
    }

    /// A Choice rule and its nested `And`/`Or`/`Not` rules.
    fn check_rule(&self, out: &mut Findings, rule: &Node, pointer: &str, depth: usize) {
        let Some(members) = rule.as_object() else {
            return;
        };
        if depth > 64 {
            return;
        }
        for m in members {
            if let Some((op, false)) = Comparison::from_field(&m.key) {
                if op.has_path_form() && op.operand_kind() != asl_core::model::OperandKind::Boolean
                {
                    self.check_field(out, rule, pointer, &m.key);
                }
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
