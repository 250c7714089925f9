//! Human output: one report per finding with a source snippet (miette),
//! then a summary line.

use crate::diagnostic::Severity;
use crate::report::{FileReport, RunReport};
use std::sync::Arc;

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteDiagnostic, NamedSource};

pub fn render(run: &RunReport, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme).with_context_lines(1);
    let mut out = String::new();
    for file in &run.files {
        render_file(file, &handler, &mut out);
    }
    let errors = run.count(Severity::Error);
    let warnings = run.count(Severity::Warning);
    let files = run.files.len();
    out.push_str(&format!(
        "{files} file{} checked: {errors} error{}, {warnings} warning{}\n",
        plural(files),
        plural(errors),
        plural(warnings)
    ));
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Lines longer than this are not drawn as snippets (the terminal could not
/// show them, and miette's layout gives up on extreme widths): such
/// findings get the one-line form.
const MAX_SNIPPET_LINE: usize = 400;

fn render_file(file: &FileReport, handler: &GraphicalReportHandler, out: &mut String) {
    // One shared copy of the text for every snippet of the file.
    let source: Arc<str> = Arc::from(file.text.as_str());
    for d in &file.diagnostics {
        let at = file.position(d.span.start);
        let end = file.position(d.span.end);
        let too_wide = (at.line..=end.line).any(|line| {
            file.lines
                .line_text(&file.text, line.saturating_sub(1) as usize)
                .len()
                > MAX_SNIPPET_LINE
        });
        if too_wide {
            out.push_str(&format!(
                "{}:{}:{}: {} {} {}: {} [{}]\n",
                file.path,
                at.line,
                at.column,
                d.severity.as_str(),
                d.code,
                d.slug,
                d.message,
                d.pointer
            ));
            continue;
        }
        let mut label = d.span.range();
        label.end = label.end.min(file.text.len());
        label.start = label.start.min(label.end);
        let mut diagnostic = MietteDiagnostic::new(d.message.clone())
            .with_code(format!("{} {}", d.code, d.slug))
            .with_severity(match d.severity {
                Severity::Error => miette::Severity::Error,
                Severity::Warning => miette::Severity::Warning,
            })
            .with_label(LabeledSpan::at(label, d.pointer.clone()));
        if let Some(fix) = &d.fix {
            diagnostic = diagnostic.with_help(fix.title.clone());
        }
        let named = NamedSource::new(&file.path, Arc::clone(&source));
        let report = miette::Report::new(diagnostic).with_source_code(named);
        if handler.render_report(out, report.as_ref()).is_err() {
            out.push_str(&format!(
                "{}:{}:{}: {} {}: {}\n",
                file.path,
                at.line,
                at.column,
                d.severity.as_str(),
                d.code,
                d.message
            ));
        }
    }
}
