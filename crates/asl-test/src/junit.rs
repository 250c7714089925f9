//! JUnit XML (DESIGN.md): one `<testsuite name=FILE>` per scenario file, one
//! `<testcase classname=FILE-without-extension name=SCENARIO time=…>` per
//! scenario; a scenario that does not pass gets `<failure message=first
//! line>` with the details (diffs) in the body; a file that could not be
//! loaded gets one testcase holding an `<error>`; the seed is a
//! `<property>` of each suite.

use crate::runner::{RunReport, SUFFIX};
use crate::source::display_path;
use std::fmt::Write;

/// The JUnit document.
pub fn render(report: &RunReport) -> String {
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let total_time: f64 = report.results().map(|r| r.elapsed.as_secs_f64()).sum();
    let errors = report.load_errors().count();
    let _ = writeln!(
        out,
        "<testsuites name=\"asl-test\" tests=\"{}\" failures=\"{}\" errors=\"{errors}\" time=\"{total_time:.3}\">",
        report.passed() + report.failed() + errors,
        report.failed()
    );
    for f in &report.files {
        let file = display_path(&f.path);
        let class = file.strip_suffix(SUFFIX).unwrap_or(&file).to_owned();
        match &f.loaded {
            Err(e) => {
                let _ = writeln!(out, "  <testsuite name=\"{}\" tests=\"1\" failures=\"0\" errors=\"1\" time=\"0.000\">", esc(&file));
                let _ = writeln!(
                    out,
                    "    <testcase classname=\"{}\" name=\"(load)\" time=\"0.000\">",
                    esc(&class)
                );
                let _ = writeln!(
                    out,
                    "      <error message=\"{}\">{}</error>",
                    esc(&e.headline()),
                    esc(&e.to_string())
                );
                let _ = writeln!(out, "    </testcase>");
                let _ = writeln!(out, "  </testsuite>");
            }
            Ok(loaded) => {
                let failed = f.results.iter().filter(|r| !r.passed()).count();
                let time: f64 = f.results.iter().map(|r| r.elapsed.as_secs_f64()).sum();
                let _ = writeln!(
                    out,
                    "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" time=\"{time:.3}\">",
                    esc(&file),
                    f.results.len()
                );
                let seed = f.results.first().map(|r| r.seed).unwrap_or(loaded.seed);
                let _ = writeln!(out, "    <properties>\n      <property name=\"seed\" value=\"{seed}\"/>\n    </properties>");
                for r in &f.results {
                    let head = format!(
                        "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                        esc(&class),
                        esc(&r.name),
                        r.elapsed.as_secs_f64()
                    );
                    if r.passed() {
                        let _ = writeln!(out, "{head}/>");
                        continue;
                    }
                    let _ = writeln!(out, "{head}>");
                    let first = &r.failures[0].message;
                    let mut body = format!(
                        "status: {}; path: {}\n",
                        r.status.as_deref().unwrap_or("not run"),
                        r.path.join(" → ")
                    );
                    for fl in &r.failures {
                        body.push_str(&format!("- {}\n", fl.message));
                        if let Some(d) = &fl.detail {
                            body.push_str(d);
                            if !d.ends_with('\n') {
                                body.push('\n');
                            }
                        }
                    }
                    body.push_str(&format!("seed: {}\n", r.seed));
                    let _ = writeln!(
                        out,
                        "      <failure message=\"{}\">{}</failure>",
                        esc(first),
                        esc(&body)
                    );
                    let _ = writeln!(out, "    </testcase>");
                }
                let _ = writeln!(out, "  </testsuite>");
            }
        }
    }
    out.push_str("</testsuites>\n");
    out
}

/// XML text/attribute escaping (shared with asl-lint's JUnit output).
pub use asl_lint::render::junit::escape as esc;
