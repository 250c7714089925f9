use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::suggest::closest;

declare_rule! {
    /// A variable is read that no `Assign` in a visible scope ever sets.
    ///
    /// Variables are set by `Assign` (on states, Choice rules and Catchers)
    /// and read as `$name`. A Parallel branch or inline Map iteration can
    /// read the variables of the scopes around it; sibling branches cannot
    /// see each other's, and a Distributed Map's child workflows see no
    /// outer variable at all. AWS accepts such a definition but the read
    /// fails when it runs (`States.QueryEvaluationError` "… returned nothing
    /// (undefined)" in JSONata, `States.Runtime` in JSONPath) — recorded in
    /// the `variables_assign/*UNDEFINED*` conformance cases — so this is a
    /// warning. The check is not path-sensitive: a variable set anywhere in
    /// a visible scope counts as defined.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "QueryLanguage": "JSONata", "States": {"A": {"Type": "Pass",
    ///   "Output": {"total": "{% $totl %}"}, "End": true}}}
    /// ```
    /// Assign it first (or fix the name):
    /// ```json
    /// {"StartAt": "A", "QueryLanguage": "JSONata", "States": {
    ///   "A": {"Type": "Pass", "Assign": {"totl": 3}, "Next": "B"},
    ///   "B": {"Type": "Pass", "Output": {"total": "{% $totl %}"}, "End": true}}}
    /// ```
    pub UndefinedVariable {
        code: "ASL-J004",
        slug: "undefined-variable",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for UndefinedVariable {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        let scopes = ctx.scopes();
        for (index, s) in ctx.states.iter().enumerate() {
            for read in ctx.reads(index) {
                let Some(name) = &read.name else { continue };
                if scopes.is_visible(s.machine, name) {
                    continue;
                }
                let visible = scopes.visible_machines(s.machine);
                let known = scopes
                    .assignments
                    .iter()
                    .filter(|a| visible.contains(&a.machine))
                    .map(|a| a.name.as_str());
                let elsewhere = scopes.assignments.iter().any(|a| &a.name == name);
                let mut message = if elsewhere {
                    format!("variable `${name}` is assigned only in a scope this state cannot see (a sibling branch, an inner scope, or outside a Distributed Map): the read returns nothing at run time")
                } else {
                    format!(
                        "no `Assign` sets variable `${name}`: the read returns nothing at run time"
                    )
                };
                if let Some(near) = closest(name, known) {
                    message.push_str(&format!("; did you mean `${near}`?"));
                }
                out.report(&Self::META, read.span, &read.pointer, message);
            }
        }
    }
}
