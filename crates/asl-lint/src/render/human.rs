//! Human output: one report per finding with a source snippet (miette),
//! then a summary line.

use crate::diagnostic::Severity;
use crate::report::{FileReport, RunReport};
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

fn render_file(file: &FileReport, handler: &GraphicalReportHandler, out: &mut String) {
    for d in &file.diagnostics {
        let at = file.position(d.span.start);
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
        let named = NamedSource::new(&file.path, file.text.clone());
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
