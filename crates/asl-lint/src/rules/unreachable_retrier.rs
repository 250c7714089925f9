use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};
use crate::rules::semantic_helpers::{child, error_names, handler_lists, index};
use std::collections::HashMap;

declare_rule! {
    /// A Retrier or Catcher that can never be used, because earlier entries
    /// already handle every error it lists.
    ///
    /// `Retry` and `Catch` are scanned in order and the first entry whose
    /// `ErrorEquals` matches wins. An entry whose names all appear in earlier
    /// entries is dead: its settings never apply. (Entries after a
    /// `States.ALL` entry are dead too; `states-all-position` reports them as
    /// an error.) Usually the order is wrong (specific errors go first) or
    /// a name was copied by mistake. A Catcher with an empty `ErrorEquals`
    /// matches nothing and is reported too (an empty Retrier list is an
    /// error of `invalid-retrier`).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timeout", "Lambda.ServiceException"]},
    ///             {"ErrorEquals": ["States.Timeout"], "MaxAttempts": 10}]}}}
    /// ```
    /// List each error once, in the entry that should handle it:
    /// ```json
    /// {"StartAt": "T", "States": {"T": {"Type": "Task", "End": true,
    ///   "Resource": "arn:aws:states:::lambda:invoke",
    ///   "Retry": [{"ErrorEquals": ["States.Timeout"], "MaxAttempts": 10},
    ///             {"ErrorEquals": ["Lambda.ServiceException"]}]}}}
    /// ```
    pub UnreachableRetrier {
        code: "ASL-R005",
        slug: "unreachable-retrier",
        severity: Warning,
        aws_code: None,
    }
}

impl Rule for UnreachableRetrier {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            for (key, entries) in handler_lists(s.node) {
                let kind = if key == "Retry" { "Retrier" } else { "Catcher" };
                let list_pointer = child(&s.state.pointer, key);
                // Error name → index of the first entry listing it.
                let mut handled: HashMap<&str, usize> = HashMap::new();
                let mut after_catch_all = false;
                for (i, entry) in entries.iter().enumerate() {
                    let names = error_names(entry);
                    let empty_list = entry
                        .field("ErrorEquals")
                        .filter(|e| e.as_array().is_some_and(<[_]>::is_empty));
                    if let (Some(list), "Catch") = (empty_list, key) {
                        out.report(
                            &Self::META,
                            list.span,
                            child(&index(&list_pointer, i), "ErrorEquals"),
                            "This Catcher is never used: its ErrorEquals is empty, so it matches no error; list the errors it should catch (e.g. [\"States.ALL\"])",
                        );
                    }
                    if names.is_empty() {
                        continue;
                    }
                    // Entries after a States.ALL entry are reported by
                    // states-all-position (an error), not again here.
                    let reason = if after_catch_all {
                        None
                    } else if names.iter().all(|(n, _)| handled.contains_key(n)) {
                        let mut earlier: Vec<usize> =
                            names.iter().map(|(n, _)| handled[n]).collect();
                        earlier.sort_unstable();
                        earlier.dedup();
                        let list: Vec<String> = earlier.iter().map(usize::to_string).collect();
                        Some(format!(
                            "every error it lists is already handled by {kind} {}",
                            list.join(", ")
                        ))
                    } else {
                        None
                    };
                    if let Some(reason) = reason {
                        let pointer = index(&list_pointer, i);
                        let span = entry.get("ErrorEquals").map_or(entry.span, |m| m.key_span);
                        out.report(
                            &Self::META,
                            span,
                            child(&pointer, "ErrorEquals"),
                            format!(
                                "This {kind} is never used: {reason} (entries are tried in order, the first match wins); reorder or remove it"
                            ),
                        );
                    }
                    for (n, _) in &names {
                        handled.entry(n).or_insert(i);
                        if *n == "States.ALL" {
                            after_catch_all = true;
                        }
                    }
                }
            }
        }
    }
}
