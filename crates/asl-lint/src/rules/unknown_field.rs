use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::{
    child_pointer, machine_field, state_field, state_fields, types_with_field, Scope,
};
use crate::suggest::closest;
use asl_core::json::Member;
use asl_core::model::StateType;

declare_rule! {
    /// A field that this object does not take in any query language.
    ///
    /// Each state type takes its own set of fields; the top level takes
    /// `StartAt`, `States`, `Comment`, `Version`, `TimeoutSeconds` and
    /// `QueryLanguage`; a Parallel branch takes `StartAt`, `States` and
    /// `Comment`; a Map processor also `ProcessorConfig`. AWS rejects any
    /// other field with `SCHEMA_VALIDATION_FAILED` "Field '<name>' is not
    /// supported" (location: the object holding it). A misspelt field is
    /// never silently ignored, so a typo such as `Nxet` fails the
    /// definition; the finding suggests the closest field.
    ///
    /// The contents of payload templates (`Parameters`, `Arguments`,
    /// `ResultSelector`, `ItemSelector`, `Output`, `Assign`, `Result`) and of
    /// `Credentials` take any keys and are not checked here. `Next`/`End` on
    /// Choice, Succeed and Fail states are reported by `next-and-end`, and
    /// fields of the other query language by `field-not-in-query-language`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Nxet": "B"},
    ///   "B": {"Type": "Succeed"}}}
    /// ```
    /// Fix the spelling:
    /// ```json
    /// {"StartAt": "A", "States": {
    ///   "A": {"Type": "Pass", "Next": "B"},
    ///   "B": {"Type": "Succeed"}}}
    /// ```
    pub UnknownField {
        code: "ASL-S005",
        slug: "unknown-field",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl UnknownField {
    fn report(
        out: &mut Findings,
        parent_pointer: &str,
        member: &Member,
        hint: String,
        suggestion: Option<&str>,
    ) {
        let pointer = child_pointer(parent_pointer, &member.key);
        let message = format!("Field '{}' is not supported{hint}", member.key);
        match suggestion {
            Some(name) => out.report_with_fix(
                &Self::META,
                member.key_span,
                pointer,
                message,
                Fix {
                    title: format!("Rename the field to `{name}`"),
                    span: member.key_span,
                    replacement: serde_json::to_string(name).unwrap_or_default(),
                },
            ),
            None => {
                out.report(&Self::META, member.key_span, pointer, message);
            }
        }
    }
}

fn list_types(types: &[StateType]) -> String {
    let names: Vec<_> = types.iter().map(|t| t.as_str()).collect();
    match names.as_slice() {
        [one] => format!("{one} states"),
        [rest @ .., last] => format!("{} and {last} states", rest.join(", ")),
        [] => String::new(),
    }
}

impl Rule for UnknownField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            let Some(members) = m.node.as_object() else {
                continue;
            };
            let scope = Scope::of(m.parent);
            for member in members {
                if machine_field(scope, &member.key).is_some() {
                    continue;
                }
                let names = scope.fields().iter().map(|f| f.name);
                let suggestion = closest(&member.key, names);
                let hint = match suggestion {
                    Some(name) => format!(" in {}; did you mean `{name}`?", scope.describe()),
                    None if machine_field(Scope::Top, &member.key).is_some() => format!(
                        " in {}: `{}` can only be set at the top level{}",
                        scope.describe(),
                        member.key,
                        if member.key == "QueryLanguage" {
                            " or on a state"
                        } else {
                            ""
                        }
                    ),
                    None => format!(" in {}", scope.describe()),
                };
                Self::report(out, &m.machine.pointer, member, hint, suggestion);
            }
        }
        for s in &ctx.states {
            let (Some(state_type), Some(members)) = (s.state.state_type, s.node.as_object()) else {
                continue;
            };
            let language = s.state.query_language;
            for member in members {
                let key = member.key.as_str();
                if state_field(state_type, key).is_some() {
                    continue;
                }
                if matches!(key, "Next" | "End") {
                    continue; // next-and-end
                }
                let names = state_fields(state_type)
                    .filter(|f| f.lang.allows(language))
                    .map(|f| f.name);
                // A real field of other state types is misplaced, not misspelt.
                let owners = types_with_field(key);
                let suggestion = if owners.is_empty() {
                    closest(key, names)
                } else {
                    None
                };
                let hint = match suggestion {
                    Some(name) => format!(
                        " on a {} state; did you mean `{name}`?",
                        state_type.as_str()
                    ),
                    None if !owners.is_empty() => format!(
                        ": {} states do not take `{key}` (only {} do)",
                        state_type.as_str(),
                        list_types(&owners)
                    ),
                    None => format!(" on a {} state", state_type.as_str()),
                };
                Self::report(out, &s.state.pointer, member, hint, suggestion);
            }
        }
    }
}
