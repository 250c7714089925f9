use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{payload_templates, walk};
use asl_core::json::NodeValue;

declare_rule! {
    /// A `.$` key of a payload template does not hold a string, or the same
    /// field is written both with and without `.$`.
    ///
    /// In the payload templates of JSONPath states (`Parameters`,
    /// `ResultSelector`, `ItemSelector`, `Credentials`, `Assign`, ItemReader
    /// and ResultWriter `Parameters`) a key ending in `.$` marks its value as
    /// a path or an intrinsic call to evaluate, so the value must be a
    /// string. AWS strips the suffix when it builds the payload: a template
    /// holding both `x` and `x.$` would produce the field `x` twice.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Parameters": {"count.$": 3, "id": "a", "id.$": "$.id"}, "End": true}}}
    /// ```
    /// Write a constant without `.$`, and keep one spelling of each field:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass",
    ///   "Parameters": {"count": 3, "id.$": "$.id"}, "End": true}}}
    /// ```
    pub InvalidPayloadKey {
        code: "ASL-P003",
        slug: "invalid-payload-key",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for InvalidPayloadKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for field in payload_templates(s) {
                walk(field.node, &field.pointer, &mut |v| {
                    if let Some(member) = v.member {
                        if member.key.ends_with(".$")
                            && !matches!(v.node.value, NodeValue::String(_))
                        {
                            out.report(
                                &Self::META,
                                v.node.span,
                                v.pointer,
                                format!(
                                    "The value for the field '{}' must be a valid JSONPath or a valid intrinsic function call (it is {} {}; write a constant under the key '{}' without `.$`)",
                                    member.key,
                                    article(v.node.type_name()),
                                    v.node.type_name(),
                                    member.key.trim_end_matches(".$"),
                                ),
                            );
                        }
                    }
                    let Some(members) = v.node.as_object() else {
                        return;
                    };
                    for m in members {
                        let Some(plain) = m.key.strip_suffix(".$") else {
                            continue;
                        };
                        if let Some(other) = members.iter().find(|o| o.key == plain) {
                            out.report(
                                &Self::META,
                                m.key_span,
                                format!("{}/{}", v.pointer, asl_core::json::escape_pointer_token(&m.key)),
                                format!(
                                    "the field '{}' is written twice: '{}' and '{}' both produce '{}' in the payload; keep one",
                                    plain, other.key, m.key, plain
                                ),
                            );
                        }
                    }
                });
            }
        }
    }
}

fn article(type_name: &str) -> &'static str {
    if type_name.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
