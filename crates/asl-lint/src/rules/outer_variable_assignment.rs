use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// A Parallel branch or Map iteration assigns a variable of an outer scope.
    ///
    /// The documentation says inner scopes may read the variables of the
    /// scopes around them but not assign them, and that names must not repeat
    /// across nested scopes. AWS nevertheless accepts such definitions
    /// (recorded: `valid/localstack__statevariables__parallel_catch_error_variable_sampling`
    /// assigns `inputVar` in a branch and in the Parallel's Catcher), and the
    /// inner assignment never reaches the outer scope — so this is a warning
    /// about code that does not do what it seems to. Pass data out of a branch
    /// or iteration through the `Output` of its last state, and assign it on
    /// the Parallel/Map state (or its Catcher) in the outer scope.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "Init", "States": {
    ///   "Init": {"Type": "Pass", "Assign": {"count": 0}, "Next": "Fan"},
    ///   "Fan": {"Type": "Parallel", "End": true, "Branches": [
    ///     {"StartAt": "Add", "States": {"Add": {"Type": "Pass", "Assign": {"count": 1}, "End": true}}}]}}}
    /// ```
    /// Return the value and assign it outside:
    /// ```json
    /// {"StartAt": "Init", "States": {
    ///   "Init": {"Type": "Pass", "Assign": {"count": 0}, "Next": "Fan"},
    ///   "Fan": {"Type": "Parallel", "End": true, "Assign": {"count.$": "$[0]"}, "Branches": [
    ///     {"StartAt": "Add", "States": {"Add": {"Type": "Pass", "Result": 1, "End": true}}}]}}}
    /// ```
    pub OuterVariableAssignment {
        code: "ASL-J005",
        slug: "outer-variable-assignment",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for OuterVariableAssignment {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let scopes = ctx.scopes();
        for a in &scopes.assignments {
            let outer = scopes.visible_machines(a.machine);
            let shadowed = scopes
                .assignments
                .iter()
                .find(|o| o.name == a.name && o.machine != a.machine && outer.contains(&o.machine));
            if let Some(o) = shadowed {
                out.report(
                    &Self::META,
                    a.member.key_span,
                    &a.pointer,
                    format!(
                        "variable `{}` belongs to an outer scope (assigned at {}): this assignment stays inside the branch or iteration; pass the value out through the `Output` of its last state",
                        a.name, o.pointer
                    ),
                );
            }
        }
    }
}
