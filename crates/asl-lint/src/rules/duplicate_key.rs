use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// An object has the same key twice.
    ///
    /// AWS rejects definitions with duplicate keys, while most JSON tools
    /// silently keep the last value — so the value you see in an editor may
    /// not be the one that runs. Remove one of the two.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "Type": "Succeed", "End": true}}}
    /// ```
    /// Keep one `Type`:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    /// ```
    pub DuplicateKey {
        code: "ASL-S003",
        slug: "duplicate-key",
        severity: Error,
        aws_code: Some("INVALID_JSON_DESCRIPTION"),
    }
}

impl Rule for DuplicateKey {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for dup in ctx.duplicates {
            let pointer = format!(
                "{}/{}",
                dup.object_pointer.trim_end_matches('/'),
                asl_core::json::escape_pointer_token(&dup.key)
            );
            out.report(
                &Self::META,
                dup.second,
                pointer,
                format!(
                    "duplicate key `{}`: it already appears in this object",
                    dup.key
                ),
            );
        }
    }
}
