//! `--format junit`: one `<testsuite>` per run, one `<testcase>` per file;
//! a file with error findings gets a `<failure>` listing them (warnings are
//! listed in `<system-out>`), an unreadable file gets an `<error>`.

use crate::diagnostic::Severity;
use crate::report::RunReport;

pub fn render(run: &RunReport) -> String {
    let failing_files = run
        .files
        .iter()
        .filter(|f| f.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites name=\"asl-lint\" tests=\"{}\" failures=\"{failing_files}\" errors=\"{}\">\n",
        run.files.len() + run.unreadable.len(),
        run.unreadable.len()
    ));
    out.push_str(&format!(
        "  <testsuite name=\"asl-lint\" tests=\"{}\" failures=\"{failing_files}\" errors=\"{}\">\n",
        run.files.len() + run.unreadable.len(),
        run.unreadable.len()
    ));
    for file in &run.files {
        let name = escape(&file.path);
        out.push_str(&format!(
            "    <testcase classname=\"asl-lint\" name=\"{name}\">\n"
        ));
        let lines = |severity: Severity| {
            file.diagnostics
                .iter()
                .filter(|d| d.severity == severity)
                .map(|d| {
                    let at = file.position(d.span.start);
                    format!(
                        "{}:{}:{}: {} {}: {}",
                        file.path, at.line, at.column, d.code, d.slug, d.message
                    )
                })
                .collect::<Vec<_>>()
        };
        let file_errors = lines(Severity::Error);
        if let Some(first) = file_errors.first() {
            out.push_str(&format!(
                "      <failure message=\"{}\" type=\"{} error{}\">{}</failure>\n",
                escape(first),
                file_errors.len(),
                if file_errors.len() == 1 { "" } else { "s" },
                escape(&file_errors.join("\n"))
            ));
        }
        let warnings = lines(Severity::Warning);
        if !warnings.is_empty() {
            out.push_str(&format!(
                "      <system-out>{}</system-out>\n",
                escape(&warnings.join("\n"))
            ));
        }
        out.push_str("    </testcase>\n");
    }
    for (path, message) in &run.unreadable {
        out.push_str(&format!(
            "    <testcase classname=\"asl-lint\" name=\"{}\">\n      <error message=\"{}\"/>\n    </testcase>\n",
            escape(path),
            escape(message)
        ));
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

/// XML text and attribute escaping; characters XML 1.0 cannot hold become U+FFFD.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' | '\t' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}
