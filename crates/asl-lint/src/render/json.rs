//! `--format json`: one object per run, as `schemas/lint-output.schema.json`
//! describes. Lines and columns are 1-based; columns count characters.

use crate::diagnostic::Severity;
use crate::report::RunReport;
use serde::Serialize;

#[derive(Serialize)]
struct Output<'a> {
    version: u32,
    diagnostics: Vec<JsonDiagnostic<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    code: &'a str,
    slug: &'a str,
    severity: Severity,
    message: &'a str,
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
    pointer: &'a str,
    aws_code: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fix: Option<JsonFix<'a>>,
}

#[derive(Serialize)]
struct JsonFix<'a> {
    title: &'a str,
    replacement: &'a str,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    errors: usize,
    warnings: usize,
    unreadable: usize,
}

pub fn render(run: &RunReport) -> String {
    let mut diagnostics = Vec::new();
    for file in &run.files {
        for d in &file.diagnostics {
            let start = file.position(d.span.start);
            let end = file.position(d.span.end);
            diagnostics.push(JsonDiagnostic {
                file: &file.path,
                code: d.code,
                slug: d.slug,
                severity: d.severity,
                message: &d.message,
                line: start.line,
                column: start.column,
                end_line: end.line,
                end_column: end.column,
                pointer: &d.pointer,
                aws_code: d.aws_code,
                fix: d.fix.as_ref().map(|f| JsonFix {
                    title: &f.title,
                    replacement: &f.replacement,
                }),
            });
        }
    }
    let output = Output {
        version: 1,
        diagnostics,
        summary: Summary {
            files: run.files.len(),
            errors: run.count(Severity::Error),
            warnings: run.count(Severity::Warning),
            unreadable: run.unreadable.len(),
        },
    };
    let mut text = serde_json::to_string_pretty(&output).expect("plain data serializes");
    text.push('\n');
    text
}
