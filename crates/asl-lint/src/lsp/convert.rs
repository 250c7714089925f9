//! asl-lint findings as LSP values: ranges in UTF-16, diagnostics, quick
//! fixes, hovers.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint::find_rule;
use asl_core::lines::LineIndex;
use asl_core::span::Span;
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOrCommand, CodeDescription, DiagnosticSeverity, Hover,
    HoverContents, MarkupContent, MarkupKind, NumberOrString, Position, Range, TextEdit, Uri,
    WorkspaceEdit,
};
use std::collections::HashMap;
use std::str::FromStr;

/// Where the rule pages live (`docs/rules/<slug>.md`); the same address the
/// SARIF output uses.
pub const RULE_DOCS_BASE: &str = "https://github.com/asl-toolkit/asl-toolkit/blob/main/docs/rules";

/// The `source` of every published diagnostic.
pub const SOURCE: &str = "asl-lint";

/// The LSP range of a byte span.
pub fn range(index: &LineIndex, text: &str, span: Span) -> Range {
    let start = index.utf16(text, span.start as usize);
    let end = index.utf16(text, span.end as usize);
    Range {
        start: Position::new(start.line, start.character),
        end: Position::new(end.line, end.character),
    }
}

/// The link to a rule's documentation page.
pub fn rule_docs_url(slug: &str) -> String {
    format!("{RULE_DOCS_BASE}/{slug}.md")
}

/// One finding as an LSP diagnostic.
pub fn diagnostic(index: &LineIndex, text: &str, d: &Diagnostic) -> lsp_types::Diagnostic {
    lsp_types::Diagnostic {
        range: range(index, text, d.span),
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_owned())),
        code_description: Uri::from_str(&rule_docs_url(d.slug))
            .ok()
            .map(|href| CodeDescription { href }),
        source: Some(SOURCE.to_owned()),
        message: d.message.clone(),
        related_information: None,
        tags: None,
        data: None,
    }
}

/// Whether two ranges touch (an empty range touching a boundary counts).
pub fn overlaps(a: &Range, b: &Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// Quick fixes for the findings whose range touches `wanted`.
pub fn code_actions(
    uri: &Uri,
    index: &LineIndex,
    text: &str,
    diagnostics: &[Diagnostic],
    wanted: &Range,
) -> Vec<CodeActionOrCommand> {
    diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.fix.as_ref()?;
            let lsp = diagnostic(index, text, d);
            if !overlaps(&lsp.range, wanted) {
                return None;
            }
            let edit = TextEdit {
                range: range(index, text, fix.span),
                new_text: fix.replacement.clone(),
            };
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: fix.title.clone(),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![lsp]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
                    document_changes: None,
                    change_annotations: None,
                }),
                command: None,
                is_preferred: Some(true),
                disabled: None,
                data: None,
            }))
        })
        .collect()
}

/// A hover explaining the findings at `position`, if any.
pub fn hover(
    index: &LineIndex,
    text: &str,
    diagnostics: &[Diagnostic],
    position: Position,
) -> Option<Hover> {
    let at = Range {
        start: position,
        end: position,
    };
    let mut sections = Vec::new();
    let mut covered: Option<Range> = None;
    for d in diagnostics {
        let r = range(index, text, d.span);
        if !overlaps(&r, &at) {
            continue;
        }
        covered = Some(match covered {
            None => r,
            Some(c) => Range {
                start: c.start.min(r.start),
                end: c.end.max(r.end),
            },
        });
        let summary = find_rule(d.code)
            .map(|rule| rule.meta().summary())
            .unwrap_or_default();
        let aws = d
            .aws_code
            .map(|c| format!(" (AWS: `{c}`)"))
            .unwrap_or_default();
        sections.push(format!(
            "**{}** [{}]({}){aws}: {}\n\n{summary}",
            d.code,
            d.slug,
            rule_docs_url(d.slug),
            d.message
        ));
    }
    let range = covered?;
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value: sections.join("\n\n---\n\n"),
        }),
        range: Some(range),
    })
}
