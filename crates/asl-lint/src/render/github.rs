//! `--format github`: GitHub Actions workflow commands, one annotation per
//! finding (`::error file=…,line=…,col=…,endLine=…,endColumn=…,title=…::message`).

use crate::diagnostic::Severity;
use crate::report::RunReport;

pub fn render(run: &RunReport) -> String {
    let mut out = String::new();
    for file in &run.files {
        for d in &file.diagnostics {
            let start = file.position(d.span.start);
            let end = file.position(d.span.end);
            let command = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            out.push_str(&format!(
                "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}\n",
                escape_property(&file.path),
                start.line,
                start.column,
                end.line,
                end.column,
                escape_property(&format!("{} {}", d.code, d.slug)),
                escape_data(&d.message),
            ));
        }
    }
    out
}

/// Workflow-command data escaping: `%`, CR and LF.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Property escaping additionally covers `:` and `,`.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_what_workflow_commands_require() {
        assert_eq!(escape_data("50% done\nnext"), "50%25 done%0Anext");
        assert_eq!(escape_property("a:b,c"), "a%3Ab%2Cc");
    }
}
