use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Fix;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::{
    child_pointer, machine_field, state_field, type_names, value_problem, Field, Kind, Scope,
};
use crate::suggest::closest;
use asl_core::json::{Member, Node};
use asl_core::model::{QueryLanguage, StateType};

declare_rule! {
    /// A known field holds a value of the wrong JSON type, or out of range.
    ///
    /// Checks the value of every field of the top level, of branches and
    /// processors, and of states (not the contents of payload templates,
    /// Choice rules, Retry/Catch entries or Map reader/batcher/writer
    /// objects): `Type` is one of the eight state types; `QueryLanguage` is
    /// `JSONPath` or `JSONata`; `End` is `true`; `Next`, `StartAt`,
    /// `Default`, `Comment`, `Resource` and the `…Path` fields are strings
    /// (`InputPath`, `OutputPath`, `ResultPath` may also be `null`);
    /// `TimeoutSeconds` and `HeartbeatSeconds` are positive integers;
    /// `Seconds`, `MaxConcurrency` and `ToleratedFailureCount` are
    /// non-negative integers; `ToleratedFailurePercentage` is a number from 0
    /// to 100; `States` is an object of state objects; `Branches` an array of
    /// objects; `Choices`, `Retry`, `Catch` arrays; `Assign`, `Credentials`,
    /// `ItemProcessor`, `ItemReader`, … objects. In a JSONata state a
    /// `{% … %}` string may stand for the value of `TimeoutSeconds`,
    /// `HeartbeatSeconds`, `Seconds`, `Timestamp`, `Error`, `Cause`,
    /// `Items`, `MaxConcurrency`, the tolerated-failure fields, `Arguments`
    /// and `Output`.
    ///
    /// `End: false` is reported too: `End` only ever marks a state as
    /// terminal, so a state that continues uses `Next` and leaves `End` out.
    ///
    /// AWS answers `SCHEMA_VALIDATION_FAILED`, for `Type` with "The field
    /// 'Type' should have one of these values: [Task, Wait, Pass, Succeed,
    /// Fail, Choice, Parallel, Map]".
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Call", "States": {"Call": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "TimeoutSeconds": "30", "End": true}}}
    /// ```
    /// Write the number as a number:
    /// ```json
    /// {"StartAt": "Call", "States": {"Call": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "TimeoutSeconds": 30, "End": true}}}
    /// ```
    pub InvalidFieldValue {
        code: "ASL-S006",
        slug: "invalid-field-value",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

fn found(node: &Node) -> String {
    match &node.value {
        asl_core::json::NodeValue::String(s) if s.chars().count() <= 40 => {
            format!("found {}", serde_json::to_string(s).unwrap_or_default())
        }
        asl_core::json::NodeValue::Bool(b) => format!("found `{b}`"),
        asl_core::json::NodeValue::Number(n) => format!("found `{n}`"),
        _ => format!("found {}", node.type_name()),
    }
}

impl InvalidFieldValue {
    fn check_field(
        out: &mut Findings,
        parent_pointer: &str,
        field: &Field,
        member: &Member,
        language: QueryLanguage,
        what: &str,
    ) {
        let pointer = child_pointer(parent_pointer, &member.key);
        let value = &member.value;
        // Containers of objects: point at each member that is not one.
        match (field.kind, &value.value) {
            (Kind::ObjectOfObjects, asl_core::json::NodeValue::Object(members)) => {
                for m in members.iter().filter(|m| m.value.as_object().is_none()) {
                    out.report(
                        &Self::META,
                        m.value.span,
                        child_pointer(&pointer, &m.key),
                        format!(
                            "state `{}` must be an object with a `Type`, {}",
                            m.key,
                            found(&m.value)
                        ),
                    );
                }
                return;
            }
            (Kind::ArrayOfObjects, asl_core::json::NodeValue::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    if item.as_object().is_none() {
                        out.report(
                            &Self::META,
                            item.span,
                            format!("{pointer}/{i}"),
                            format!(
                                "each of `{}` must be an object with `StartAt` and `States`, {}",
                                field.name,
                                found(item)
                            ),
                        );
                    }
                }
                return;
            }
            _ => {}
        }
        let Some(expected) = value_problem(field, value, language) else {
            return;
        };
        let message = match field.kind {
            Kind::True => format!(
                "The field 'End' must be true when present, {}: a state that continues names its successor in `Next` and leaves `End` out",
                found(value)
            ),
            Kind::Enum(values) if value.as_str().is_some() => format!(
                "Value should be one of the following: [{}]: `{}`, {}",
                values.join(", "),
                field.name,
                found(value)
            ),
            Kind::Enum(_) | Kind::String => format!(
                "Expected value of type [STRING]: `{}`{what}, {}",
                field.name,
                found(value)
            ),
            _ => format!(
                "The field '{}'{what} must be {expected}, {}",
                field.name,
                found(value)
            ),
        };
        out.report(&Self::META, value.span, pointer, message);
    }
}

impl Rule for InvalidFieldValue {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let top_language = ctx.definition.query_language;
        for m in &ctx.machines {
            let Some(members) = m.node.as_object() else {
                continue; // reported with the Branches / ItemProcessor field
            };
            let scope = Scope::of(m.parent);
            for member in members {
                if let Some(field) = machine_field(scope, &member.key) {
                    Self::check_field(out, &m.machine.pointer, field, member, top_language, "");
                }
            }
        }
        for s in &ctx.states {
            let Some(members) = s.node.as_object() else {
                continue; // reported with the States field
            };
            let pointer = &s.state.pointer;
            let Some(state_type) = s.state.state_type else {
                if let Some(member) = s.node.get("Type") {
                    let message = format!(
                        "The field 'Type' should have one of these values: [{}], {}",
                        type_names(),
                        found(&member.value)
                    );
                    let suggestion = member
                        .value
                        .as_str()
                        .and_then(|t| closest(t, StateType::ALL.map(StateType::as_str)));
                    let type_pointer = child_pointer(pointer, "Type");
                    match suggestion {
                        Some(name) => out.report_with_fix(
                            &Self::META,
                            member.value.span,
                            type_pointer,
                            format!("{message}; did you mean `{name}`?"),
                            Fix {
                                title: format!("Change the type to `{name}`"),
                                span: member.value.span,
                                replacement: serde_json::to_string(name).unwrap_or_default(),
                            },
                        ),
                        None => {
                            out.report(&Self::META, member.value.span, type_pointer, message);
                        }
                    }
                }
                continue;
            };
            let what = format!(" of a {} state", state_type.as_str());
            for member in members {
                if member.key == "Type" {
                    continue;
                }
                if let Some(field) = state_field(state_type, &member.key) {
                    Self::check_field(out, pointer, field, member, s.state.query_language, &what);
                }
            }
        }
    }
}
