//! The human report: one line per scenario in (file, position) order,
//! failures with the path of entered states, each failure and its diff, the
//! seed to replay with; load errors with position and fix; last line
//! exactly `N passed, M failed`. Contains no timings, so it is
//! byte-identical between runs.

use crate::runner::RunReport;
use crate::source::display_path;
use std::fmt::Write;

/// Renders the report (without the final summary line).
pub fn render(report: &RunReport) -> String {
    let mut out = String::new();
    for p in &report.missing_paths {
        let _ = writeln!(out, "error: {}: no such file or directory", display_path(p));
    }
    if report.files.is_empty() && report.missing_paths.is_empty() {
        let _ = writeln!(out, "error: no *.scenario.yaml file found");
    }
    for f in &report.files {
        let file = display_path(&f.path);
        match &f.loaded {
            Err(e) => {
                let _ = writeln!(out, "ERROR {file}");
                let _ = writeln!(out, "{}", indent(&e.to_string(), "  "));
            }
            Ok(loaded) => {
                for w in &loaded.warnings {
                    let _ = writeln!(out, "warning: {file}: {w}");
                }
                for r in &f.results {
                    let id = format!("{file}::{}", r.name);
                    if r.passed() {
                        let _ = writeln!(out, "PASS {id}");
                    } else {
                        let _ = writeln!(out, "FAIL {id}");
                        let status = r.status.as_deref().unwrap_or("not run");
                        let path = if r.path.is_empty() {
                            "(no state entered)".to_owned()
                        } else {
                            r.path.join(" → ")
                        };
                        let _ = writeln!(out, "  status: {status}; path: {path}");
                        for fl in &r.failures {
                            let _ = writeln!(out, "  - {}", fl.message);
                            if let Some(d) = &fl.detail {
                                let _ =
                                    write!(out, "{}", indent(d.trim_end_matches('\n'), "      "));
                                out.push('\n');
                            }
                        }
                        let _ = writeln!(
                            out,
                            "  seed: {} (replay: asl-test {file} -k {:?} --seed {})",
                            r.seed, r.name, r.seed
                        );
                    }
                    for w in &r.warnings {
                        let _ = writeln!(out, "warning: {id}: {w}");
                    }
                }
            }
        }
    }
    out
}

/// `N passed, M failed`.
pub fn summary(report: &RunReport) -> String {
    format!("{} passed, {} failed", report.passed(), report.failed())
}

/// Prefixes every line.
pub fn indent(text: &str, prefix: &str) -> String {
    text.lines()
        .map(|l| {
            if l.is_empty() {
                String::new()
            } else {
                format!("{prefix}{l}")
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
