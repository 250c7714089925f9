use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::json::Node;

declare_rule! {
    /// The JSON value is not an object, so it cannot be a state machine definition.
    ///
    /// A definition is a JSON object with at least `StartAt` and `States`.
    /// AWS answers "Definition must be a valid JSON object".
    ///
    /// ## Example
    /// ```json
    /// ["StartAt", "States"]
    /// ```
    /// Write an object:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Succeed"}}}
    /// ```
    pub NotADefinition {
        code: "ASL-S002",
        slug: "not-a-definition",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl NotADefinition {
    /// The diagnostic when `root` is not an object.
    pub fn diagnostic(root: &Node) -> Option<Diagnostic> {
        if root.as_object().is_some() {
            return None;
        }
        let mut findings = Findings::default();
        findings.report(
            &Self::META,
            root.span,
            "",
            format!(
                "Definition must be a valid JSON object, found {}: a definition is an object with `StartAt` and `States`",
                root.type_name()
            ),
        );
        findings.into_vec().pop()
    }
}

impl Rule for NotADefinition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported before any rule runs, since no other rule applies.
    fn check(&self, _: &Context<'_>, _: &mut Findings) {}
}
