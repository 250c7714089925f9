use crate::context::Context;
use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::lint::SourceFormat;
use crate::rule::{Findings, Rule, RuleMeta};
use asl_core::json::ParseError;

declare_rule! {
    /// The file is not valid JSON (or YAML, for `.asl.yaml` files).
    ///
    /// AWS parses a definition as strict JSON: no comments, no trailing
    /// commas, no single quotes, no `NaN`, numbers that fit a 64-bit float,
    /// UTF-8 text. Nothing else can be checked until the text parses.
    ///
    /// ## Example
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true},}}
    /// ```
    /// Remove the trailing comma:
    /// ```json
    /// {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
    /// ```
    pub InvalidJson {
        code: "ASL-S001",
        slug: "invalid-json",
        severity: Error,
        aws_code: Some("INVALID_JSON_DESCRIPTION"),
    }
}

impl InvalidJson {
    /// The diagnostic for a text that failed to parse.
    pub fn diagnostics(error: &ParseError, format: SourceFormat) -> Vec<Diagnostic> {
        let what = match format {
            SourceFormat::Json => "JSON",
            SourceFormat::Yaml => "YAML",
        };
        let mut findings = Findings::default();
        findings.report(
            &Self::META,
            error.span,
            "",
            format!("not valid {what}: {}", error.message),
        );
        findings.into_vec()
    }
}

impl Rule for InvalidJson {
    fn meta(&self) -> &'static RuleMeta {
        &Self::META
    }

    /// Reported by the parser before any rule runs.
    fn check(&self, _: &Context<'_>, _: &mut Findings) {}
}
