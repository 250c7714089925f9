use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::model::QueryLanguage;

declare_rule! {
    /// A state sets `QueryLanguage: JSONPath` in a definition whose top level is JSONata.
    ///
    /// A state may switch a JSONPath definition to JSONata, but not back:
    /// AWS answers `SCHEMA_VALIDATION_FAILED` "'QueryLanguage' can not be
    /// 'JSONPath' if set to 'JSONata' for whole state machine" (location:
    /// the state). This holds for states inside Parallel branches and Map
    /// processors too: they resolve their language against the whole
    /// machine's, not their parent's. Either rewrite the state in JSONata,
    /// or drop the
    /// top-level `QueryLanguage` and set `JSONata` on the states that use it.
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "QueryLanguage": "JSONPath", "Result": 1, "End": true}}}
    /// ```
    /// Write the state in JSONata:
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Output": 1, "End": true}}}
    /// ```
    pub QueryLanguageDowngrade {
        code: "ASL-S009",
        slug: "query-language-downgrade",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for QueryLanguageDowngrade {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        if ctx.definition.query_language != QueryLanguage::Jsonata {
            return;
        }
        for s in &ctx.states {
            let Some(value) = s.node.field("QueryLanguage") else {
                continue;
            };
            if value.as_str() == Some("JSONPath") {
                out.report(
                    &Self::META,
                    value.span,
                    s.state.pointer.clone(),
                    "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine: write this state in JSONata, or drop the top-level `QueryLanguage` and set `JSONata` per state",
                );
            }
        }
    }
}
