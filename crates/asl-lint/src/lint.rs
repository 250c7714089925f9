//! Linting one text: parse, build the model, run every rule, sort.

use crate::context::{Context, LintOptions};
use crate::diagnostic::Diagnostic;
use crate::rule::{Findings, Rule};
use crate::rules::{self, invalid_json::InvalidJson, not_a_definition::NotADefinition};
use asl_core::json::{self, Document, ParseError};

/// How a text is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SourceFormat {
    Json,
    Yaml,
}

impl SourceFormat {
    /// `.yaml`/`.yml` files are YAML; everything else is read as JSON.
    pub fn from_path(path: &str) -> Self {
        if path.ends_with(".yaml") || path.ends_with(".yml") {
            SourceFormat::Yaml
        } else {
            SourceFormat::Json
        }
    }
}

/// Parses `text` in `format`.
pub fn parse(text: &str, format: SourceFormat) -> Result<Document, ParseError> {
    match format {
        SourceFormat::Json => json::parse(text),
        SourceFormat::Yaml => asl_core::yaml::parse(text),
    }
}

/// Lints one definition text and returns its findings sorted by position
/// and code.
pub fn lint_text(text: &str, format: SourceFormat, options: &LintOptions) -> Vec<Diagnostic> {
    let document = match parse(text, format) {
        Ok(document) => document,
        Err(error) => return InvalidJson::diagnostics(&error, format),
    };
    lint_document(&document, text.len(), options)
}

/// Lints an already parsed definition (`source_len`: its text's length).
pub fn lint_document(
    document: &Document,
    source_len: usize,
    options: &LintOptions,
) -> Vec<Diagnostic> {
    if let Some(diagnostic) = NotADefinition::diagnostic(&document.root) {
        return vec![diagnostic];
    }
    let definition = asl_core::model::build(&document.root);
    let ctx = Context::new(
        &document.root,
        &document.duplicates,
        &definition,
        options,
        source_len,
    );
    let mut findings = Findings::default();
    for rule in rules::ALL {
        rule.check(&ctx, &mut findings);
    }
    let mut diagnostics = findings.into_vec();
    sort(&mut diagnostics);
    diagnostics
}

/// Position, then code, then message: output is byte-identical between runs.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.code, &a.message, a.span.end).cmp(&(
            b.span.start,
            b.code,
            &b.message,
            b.span.end,
        ))
    });
}

/// The rule with this code (`ASL-G001`, also without the `ASL-` prefix) or slug.
pub fn find_rule(code_or_slug: &str) -> Option<&'static dyn Rule> {
    rules::ALL.iter().copied().find(|r| {
        let meta = r.meta();
        meta.code.eq_ignore_ascii_case(code_or_slug)
            || meta.code[4..].eq_ignore_ascii_case(code_or_slug)
            || meta.slug == code_or_slug
    })
}
