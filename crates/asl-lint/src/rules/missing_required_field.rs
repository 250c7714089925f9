use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::schema::{child_pointer, required_fields};

declare_rule! {
    /// A required field is missing: `StartAt`/`States`, a state's `Type`, or a field its type needs.
    ///
    /// Every machine — the top level, each Parallel branch, each Map
    /// processor — needs `StartAt` and `States`. Every state needs `Type`;
    /// a Task needs `Resource`, a Choice `Choices`, a Parallel `Branches`,
    /// a Map `ItemProcessor` (or the legacy `Iterator`). A Task's
    /// `Credentials` object needs `RoleArn` (or `RoleArn.$`).
    ///
    /// AWS answers `SCHEMA_VALIDATION_FAILED` with "These fields are
    /// required: [States, StartAt]" (location `/`) and "The field 'RoleArn'
    /// is required but was missing" (location `…/Credentials`). The finding
    /// spans the object that lacks the field.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Call", "States": {"Call": {"Type": "Task", "End": true}}}
    /// ```
    /// Give the Task its `Resource`:
    /// ```json
    /// {"StartAt": "Call", "States": {"Call": {"Type": "Task",
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Arguments": {"FunctionName": "f"}, "End": true}}}
    /// ```
    pub MissingRequiredField {
        code: "ASL-S004",
        slug: "missing-required-field",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for MissingRequiredField {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for m in &ctx.machines {
            if m.node.as_object().is_none() {
                continue; // invalid-field-value reports a non-object branch or processor
            }
            // AWS lists them in this order.
            let missing: Vec<_> = ["States", "StartAt"]
                .into_iter()
                .filter(|k| m.node.get(k).is_none())
                .collect();
            if !missing.is_empty() {
                out.report(
                    &Self::META,
                    m.node.span,
                    m.machine.pointer.clone(),
                    format!(
                        "These fields are required: [{}]: {} needs `StartAt` (the first state's name) and `States` (the states by name)",
                        missing.join(", "),
                        crate::schema::Scope::of(m.parent).describe()
                    ),
                );
            }
        }
        for s in &ctx.states {
            if s.node.as_object().is_none() {
                continue;
            }
            let pointer = &s.state.pointer;
            if s.node.get("Type").is_none() {
                out.report(
                    &Self::META,
                    s.node.span,
                    pointer.clone(),
                    format!(
                        "These fields are required: [Type]: state `{}` needs a `Type`, one of [{}]",
                        s.state.name,
                        crate::schema::type_names()
                    ),
                );
                continue;
            }
            let Some(state_type) = s.state.state_type else {
                continue;
            };
            for (field, alternative) in required_fields(state_type) {
                if s.node.get(field).is_some()
                    || alternative.is_some_and(|a| s.node.get(a).is_some())
                {
                    continue;
                }
                let or = alternative
                    .map(|a| format!(" (or the legacy `{a}`)"))
                    .unwrap_or_default();
                out.report(
                    &Self::META,
                    s.node.span,
                    pointer.clone(),
                    format!(
                        "These fields are required: [{field}]: a {} state needs `{field}`{or}",
                        state_type.as_str()
                    ),
                );
            }
            let credentials = s
                .node
                .field("Credentials")
                .filter(|_| crate::schema::state_field(state_type, "Credentials").is_some());
            if let Some(credentials) = credentials {
                if credentials.as_object().is_some()
                    && credentials.get("RoleArn").is_none()
                    && credentials.get("RoleArn.$").is_none()
                {
                    out.report(
                        &Self::META,
                        credentials.span,
                        child_pointer(pointer, "Credentials"),
                        "The field 'RoleArn' is required but was missing: `Credentials` names the IAM role to assume in `RoleArn` (or `RoleArn.$` for a path)",
                    );
                }
            }
        }
    }
}
