//! What a rule reports.

use asl_core::span::Span;
use serde::Serialize;

/// How bad a finding is. Errors are what AWS rejects; warnings are what AWS
/// accepts but reports (or what a careful reviewer would flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

/// A suggested edit: replace `span` with `replacement`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    pub span: Span,
    pub replacement: String,
}

/// One finding in one file.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub code: &'static str,
    pub slug: &'static str,
    pub severity: Severity,
    /// The ValidateStateMachineDefinition code AWS uses for this problem.
    pub aws_code: Option<&'static str>,
    pub message: String,
    /// Where in the file (bytes).
    pub span: Span,
    /// JSON pointer of the offending value (`/States/A/Next`); `""` for the document.
    pub pointer: String,
    pub fix: Option<Fix>,
}
