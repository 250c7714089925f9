use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::{child_pointer, state_field, Lang};
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A field of the other query language: a JSONPath field in a JSONata state, or the reverse.
    ///
    /// JSONPath states shape data with `InputPath`, `Parameters`,
    /// `ResultSelector`, `ResultPath`, `OutputPath`, `Result`, `ItemsPath`
    /// and the `…Path` forms of `TimeoutSeconds`, `HeartbeatSeconds`,
    /// `Seconds`, `Timestamp`, `Error`, `Cause`, `MaxConcurrency` and the
    /// tolerated-failure fields. JSONata states use `Arguments`, `Output`
    /// and `Items` instead, and write dynamic values as `{% … %}`
    /// expressions in the plain field. `Assign` works in both. A state's
    /// language is its own `QueryLanguage`, else the top level's (a
    /// Parallel or Map does not pass its own to the states inside it). A
    /// state that sets `JSONPath` under a JSONata top level is reported by
    /// `query-language-downgrade` alone, as AWS does.
    ///
    /// AWS answers `SCHEMA_VALIDATION_FAILED` "The QueryLanguage is set to
    /// 'JSONPath', but field 'Output' is only supported for the 'JSONata'
    /// QueryLanguage" (location: the state).
    ///
    /// ## Example
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
    ///   "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Parameters": {"FunctionName": "f"}, "End": true}}}
    /// ```
    /// Use `Arguments`:
    /// ```json
    /// {"QueryLanguage": "JSONata", "StartAt": "Call", "States": {
    ///   "Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
    ///     "Arguments": {"FunctionName": "f"}, "End": true}}}
    /// ```
    pub FieldNotInQueryLanguage {
        code: "ASL-S008",
        slug: "field-not-in-query-language",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

/// What to write instead of `field` in a `state_type` state of `language`.
fn replacement(field: &str, state_type: StateType, language: QueryLanguage) -> String {
    let switch = "or set `\"QueryLanguage\": \"JSONata\"` on the state";
    match (language, field) {
        (QueryLanguage::Jsonata, "Parameters") if state_type == StateType::Map => {
            "use `ItemSelector` in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "Parameters") if state_type == StateType::Pass => {
            "use `Output` in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "Parameters") => "use `Arguments` in JSONata states".into(),
        (QueryLanguage::Jsonata, "InputPath") => {
            "read `$states.input` in `Arguments`/`Output` expressions in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "ResultPath") => {
            "use `Output` (or `Assign`) with `$states.result` in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "ResultSelector" | "OutputPath" | "Result") => {
            "use `Output` in JSONata states".into()
        }
        (QueryLanguage::Jsonata, "ItemsPath") => "use `Items` in JSONata states".into(),
        (QueryLanguage::Jsonata, path) if path.ends_with("Path") => format!(
            "write `{}` as a `{{% … %}}` expression in JSONata states",
            path.trim_end_matches("Path")
        ),
        (QueryLanguage::JsonPath, "Arguments") if state_type == StateType::Map => {
            format!("use `ItemSelector` in JSONPath states, {switch}")
        }
        (QueryLanguage::JsonPath, "Arguments") => {
            format!("use `Parameters` in JSONPath states, {switch}")
        }
        (QueryLanguage::JsonPath, "Output") => {
            format!("use `ResultSelector`/`OutputPath` in JSONPath states, {switch}")
        }
        (QueryLanguage::JsonPath, "Items") => {
            format!("use `ItemsPath` in JSONPath states, {switch}")
        }
        _ => "remove it".into(),
    }
}

impl Rule for FieldNotInQueryLanguage {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let (Some(state_type), Some(members)) = (s.state.state_type, s.node.as_object()) else {
                continue;
            };
            let language = s.state.query_language;
            let downgraded = ctx.definition.query_language == QueryLanguage::Jsonata
                && s.node.field("QueryLanguage").and_then(|q| q.as_str()) == Some("JSONPath");
            if downgraded {
                continue; // query-language-downgrade is the whole answer, as with AWS
            }
            for member in members {
                let Some(field) = state_field(state_type, &member.key) else {
                    continue;
                };
                if field.lang.allows(language) {
                    continue;
                }
                let other = match field.lang {
                    Lang::Jsonata => "JSONata",
                    _ => "JSONPath",
                };
                out.report(
                    &Self::META,
                    member.key_span,
                    child_pointer(&s.state.pointer, &member.key),
                    format!(
                        "The QueryLanguage is set to '{}', but field '{}' is only supported for the '{other}' QueryLanguage: {}",
                        language.as_str(),
                        member.key,
                        replacement(&member.key, state_type, language)
                    ),
                );
            }
        }
    }
}
