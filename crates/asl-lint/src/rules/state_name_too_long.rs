use crate::context::Context;
use crate::declare_rule;
use crate::rule::{Findings, Rule, RuleMeta};

declare_rule! {
    /// A state name longer than 80 characters.
    ///
    /// State names are 1 to 80 characters long (the `StateName` shape of the
    /// Step Functions API). Length is counted in Unicode characters (scalar
    /// values), as AWS's API length constraints count them; a name made of
    /// characters outside the Basic Multilingual Plane (emoji) may still be
    /// refused by a service that counts UTF-16 units, so keep names short.
    /// AWS refuses longer names when the state machine is created, although
    /// some linters accept them (which diagnostic code AWS uses for the length
    /// is not recorded; `INVALID_STATE_NAME` is the naming one).
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "This is an exceptionally long state name that I know will fail when I try to deploy to AWS",
    ///  "States": {"This is an exceptionally long state name that I know will fail when I try to deploy to AWS": {"Type": "Succeed"}}}
    /// ```
    /// Shorten it:
    /// ```json
    /// {"StartAt": "Deploy check", "States": {"Deploy check": {"Type": "Succeed"}}}
    /// ```
    pub StateNameTooLong {
        code: "ASL-N001",
        slug: "state-name-too-long",
        severity: Error,
        aws_code: Some("INVALID_STATE_NAME"),
    }
}

/// The longest state name AWS accepts, in characters.
pub const MAX_STATE_NAME_CHARS: usize = 80;

impl Rule for StateNameTooLong {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    fn check(&self, ctx: &Context<'_>, out: &mut Findings) {
        for s in &ctx.states {
            let len = s.state.name.chars().count();
            if len > MAX_STATE_NAME_CHARS {
                out.report(
                    &Self::META,
                    s.state.name_span,
                    &s.state.pointer,
                    format!(
                        "State name is {len} characters long; the maximum is {MAX_STATE_NAME_CHARS}: shorten it (and every `Next`/`StartAt` naming it)"
                    ),
                );
            }
        }
    }
}
