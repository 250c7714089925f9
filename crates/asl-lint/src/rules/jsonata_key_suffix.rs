use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::templates::{jsonata_fields, walk};

declare_rule! {
    /// A key ending in `.$` inside a JSONata state: it is not evaluated.
    ///
    /// The `.$` suffix marks a JSONPath payload field. JSONata states have no
    /// such fields: a value is an expression when it is written as
    /// `{% … %}`, whatever its key. AWS accepts the key and keeps it as
    /// written — `"id.$": "$"` in a JSONata `Output` produces a field named
    /// `id.$` holding the text `$` (recorded on AWS:
    /// `output_decl/TestArgumentsBase__test_base_cases_BASE_LITERALS`) —
    /// which is almost never what was meant. Drop the suffix and turn the
    /// path into an expression.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
    ///   "Type": "Pass", "Output": {"id.$": "$.id"}, "End": true}}}
    /// ```
    /// Without the suffix, with a JSONata expression:
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {
    ///   "Type": "Pass", "Output": {"id": "{% $states.input.id %}"}, "End": true}}}
    /// ```
    pub JsonataKeySuffix {
        code: "ASL-J002",
        slug: "jsonata-key-suffix",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for JsonataKeySuffix {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for field in jsonata_fields(s) {
                walk(field.node, &field.pointer, &mut |v| {
                    let Some(member) = v.member else {
                        return;
                    };
                    if let Some(plain) = member.key.strip_suffix(".$") {
                        out.report(
                            &Self::META,
                            member.key_span,
                            v.pointer,
                            format!(
                                "the key '{}' ends in `.$`, which JSONata states do not evaluate: the key is kept as written and its value is a plain string; name it '{plain}' and write its value as a JSONata expression \"{{% … %}}\"",
                                member.key
                            ),
                        );
                    }
                });
            }
        }
    }
}
