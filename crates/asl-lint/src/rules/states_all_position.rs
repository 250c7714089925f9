use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, error_names, handler_lists, index};

declare_rule! {
    /// `States.ALL` shares its `ErrorEquals` with other names, or its
    /// Retrier/Catcher is not the last one.
    ///
    /// `States.ALL` matches every error, so it must be the only name in its
    /// `ErrorEquals`, and the Retrier or Catcher holding it must be the last
    /// in its `Retry`/`Catch` array — entries after it could never be used.
    /// AWS rejects both with `SCHEMA_VALIDATION_FAILED`.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {
    ///   "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Failed"},
    ///               {"ErrorEquals": ["States.Timeout"], "Next": "Failed"}]},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    /// Put the catch-all last:
    /// ```json
    /// {"StartAt": "T", "States": {
    ///   "T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
    ///     "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "Failed"},
    ///               {"ErrorEquals": ["States.ALL"], "Next": "Failed"}]},
    ///   "Failed": {"Type": "Fail"}}}
    /// ```
    pub StatesAllPosition {
        code: "ASL-R001",
        slug: "states-all-position",
        severity: Error,
        aws_code: Some("SCHEMA_VALIDATION_FAILED"),
    }
}

impl Rule for StatesAllPosition {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for (key, entries) in handler_lists(s.node) {
                let kind = if key == "Retry" { "Retrier" } else { "Catcher" };
                let list_pointer = child(&s.state.pointer, key);
                for (i, entry) in entries.iter().enumerate() {
                    let names = error_names(entry);
                    let Some(position) = names.iter().position(|(n, _)| *n == "States.ALL") else {
                        continue;
                    };
                    let (_, node) = names[position];
                    let at = index(&child(&index(&list_pointer, i), "ErrorEquals"), position);
                    let total = entry
                        .field("ErrorEquals")
                        .and_then(|e| e.as_array())
                        .map_or(0, <[_]>::len);
                    if total > 1 {
                        out.report(
                            &Self::META,
                            node.span,
                            at.clone(),
                            "States.ALL must appear alone in ErrorEquals: it already matches every error, so list the other names in an earlier entry",
                        );
                    }
                    if i + 1 < entries.len() {
                        out.report(
                            &Self::META,
                            node.span,
                            at,
                            format!(
                                "A {kind} with States.ALL must be the last in `{key}`: the {} after it can never be used; move it to the end",
                                if entries.len() - i - 1 == 1 { "entry" } else { "entries" }
                            ),
                        );
                    }
                }
            }
        }
    }
}
