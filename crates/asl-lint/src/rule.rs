//! The rule interface, and the macro that declares a rule from its doc comment.

use crate::context::Context;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use asl_core::span::Span;

/// What every rule declares about itself. `docs` is the rule's doc comment,
/// which also becomes `docs/rules/<slug>.md` and `asl-lint explain CODE`.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, e.g. `ASL-G001`. Never reused.
    pub code: &'static str,
    /// Stable kebab-case name, e.g. `unreachable-state`.
    pub slug: &'static str,
    pub severity: Severity,
    /// The AWS ValidateStateMachineDefinition code, where one exists.
    pub aws_code: Option<&'static str>,
    /// The doc comment: first line is the summary, the rest is Markdown.
    pub docs: &'static str,
}

impl RuleMeta {
    /// The first paragraph of the docs, on one line.
    pub fn summary(&self) -> String {
        self.docs
            .lines()
            .map(str::trim)
            .take_while(|l| !l.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A lint rule: one check, with its metadata.
pub trait Rule: Sync + Send {
    fn meta(&self) -> &'static RuleMeta;
    /// Inspects one definition and reports findings into `out`.
    fn check(&self, ctx: &Context<'_>, out: &mut Findings);
}

/// Collects the findings of one rule run.
#[derive(Default)]
pub struct Findings {
    pub(crate) items: Vec<Diagnostic>,
}

impl Findings {
    /// Reports `message` at `span`, for the value at `pointer`.
    pub fn report(
        &mut self,
        meta: &'static RuleMeta,
        span: Span,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> &mut Diagnostic {
        self.items.push(Diagnostic {
            code: meta.code,
            slug: meta.slug,
            severity: meta.severity,
            aws_code: meta.aws_code,
            message: message.into(),
            span,
            pointer: pointer.into(),
            fix: None,
        });
        self.items.last_mut().expect("just pushed")
    }

    /// Like [`Findings::report`], with a suggested fix.
    pub fn report_with_fix(
        &mut self,
        meta: &'static RuleMeta,
        span: Span,
        pointer: impl Into<String>,
        message: impl Into<String>,
        fix: Fix,
    ) {
        self.report(meta, span, pointer, message).fix = Some(fix);
    }

    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.items
    }
}

/// Declares a rule type and its [`RuleMeta`], taking the docs from the doc
/// comment written above it:
///
/// ```ignore
/// declare_rule! {
///     /// A state that no path from `StartAt` reaches.
///     pub UnreachableState {
///         code: "ASL-G001",
///         slug: "unreachable-state",
///         severity: Error,
///         aws_code: None,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub $name:ident {
            code: $code:expr,
            slug: $slug:expr,
            severity: $severity:ident,
            aws_code: $aws:expr $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl $name {
            pub const META: $crate::rule::RuleMeta = $crate::rule::RuleMeta {
                code: $code,
                slug: $slug,
                severity: $crate::diagnostic::Severity::$severity,
                aws_code: $aws,
                docs: concat!($($doc, "\n"),*),
            };
        }
    };
}
