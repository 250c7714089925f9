//! `asl-sim conformance DIR… [--category C] [--case PATTERN]`: runs every
//! selected case through a [`CaseRunner`] and prints
//!
//! ```text
//! PASS cat/case
//! PASS cat/case (soft: inputDetails ×2)
//! FAIL cat/case: <first difference>
//! SKIP cat/case (not self-contained: <notes>)
//! K skipped
//!
//! <per-category table>
//!
//! N passed, M failed
//! ```
//!
//! Exit code: 0 when no selected case failed, 1 when one did, 2 when a DIR
//! does not exist or no case was found.

use super::case::{discover, Case, CaseRef, Meta};
use super::compare::{compare_case, Verdict};
use crate::history::HistoryEvent;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;

/// Execution status, as DescribeExecution spells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExecutionStatus {
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Aborted,
    PendingRedrive,
}

impl ExecutionStatus {
    /// `SUCCEEDED`, `FAILED`, …
    pub fn as_str(self) -> &'static str {
        match self {
            ExecutionStatus::Running => "RUNNING",
            ExecutionStatus::Succeeded => "SUCCEEDED",
            ExecutionStatus::Failed => "FAILED",
            ExecutionStatus::TimedOut => "TIMED_OUT",
            ExecutionStatus::Aborted => "ABORTED",
            ExecutionStatus::PendingRedrive => "PENDING_REDRIVE",
        }
    }
}

/// What the engine produced for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Produced {
    pub status: ExecutionStatus,
    /// Compact JSON text; present only when SUCCEEDED.
    pub output: Option<String>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub history: Vec<HistoryEvent>,
}

/// Executes a case. The engine implements this; until it exists,
/// [`NotImplementedRunner`] reports every case as failed.
pub trait CaseRunner {
    fn run(&self, case: &Case) -> Result<Produced, String>;
}

/// The honest placeholder: every case fails with "engine not implemented".
#[derive(Debug, Default, Clone, Copy)]
pub struct NotImplementedRunner;

impl CaseRunner for NotImplementedRunner {
    fn run(&self, _case: &Case) -> Result<Produced, String> {
        Err("engine not implemented".into())
    }
}

/// Arguments of `asl-sim conformance`.
#[derive(Debug, Clone, Default)]
pub struct ConformanceOptions {
    pub dirs: Vec<PathBuf>,
    /// Only these categories (`meta.category`); empty = all.
    pub categories: Vec<String>,
    /// Only cases whose `case` or `category/case` matches: a glob with `*`
    /// and `?`, else a substring.
    pub case_pattern: Option<String>,
}

/// How one case ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseOutcome {
    Pass,
    SoftPass(Vec<String>),
    Fail(String),
    Skip(String),
}

/// One printed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseReport {
    pub category: String,
    pub name: String,
    pub outcome: CaseOutcome,
}

impl CaseReport {
    /// `category/case`.
    pub fn label(&self) -> String {
        format!("{}/{}", self.category, self.name)
    }

    /// The line printed for the case.
    pub fn line(&self) -> String {
        match &self.outcome {
            CaseOutcome::Pass => format!("PASS {}", self.label()),
            CaseOutcome::SoftPass(s) => format!("PASS {} (soft: {})", self.label(), s.join(", ")),
            CaseOutcome::Fail(why) => format!("FAIL {}: {}", self.label(), one_line(why)),
            CaseOutcome::Skip(why) => format!("SKIP {} ({})", self.label(), one_line(why)),
        }
    }
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

/// `*`/`?` glob when the pattern has them, else substring.
pub fn pattern_matches(pattern: &str, text: &str) -> bool {
    if !pattern.contains(['*', '?']) {
        return text.contains(pattern);
    }
    fn glob(p: &[char], t: &[char]) -> bool {
        // Iterative wildcard matching with single-star backtracking.
        let (mut pi, mut ti) = (0, 0);
        let (mut star, mut mark) = (None, 0);
        while ti < t.len() {
            if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
                pi += 1;
                ti += 1;
            } else if pi < p.len() && p[pi] == '*' {
                star = Some(pi);
                mark = ti;
                pi += 1;
            } else if let Some(s) = star {
                pi = s + 1;
                mark += 1;
                ti = mark;
            } else {
                return false;
            }
        }
        p[pi..].iter().all(|&c| c == '*')
    }
    let p: Vec<char> = pattern.chars().collect();
    glob(&p, &text.chars().collect::<Vec<_>>())
}

fn category_guess(r: &CaseRef) -> String {
    r.dir
        .parent()
        .and_then(|p| p.file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "?".into())
}

fn selected(opts: &ConformanceOptions, category: &str, name: &str) -> bool {
    let cat_ok = opts.categories.is_empty() || opts.categories.iter().any(|c| c == category);
    let case_ok = match opts.case_pattern.as_deref() {
        None => true,
        Some(p) => pattern_matches(p, name) || pattern_matches(p, &format!("{category}/{name}")),
    };
    cat_ok && case_ok
}

fn skip_reason(meta: &Meta) -> String {
    let notes: Vec<&str> = meta
        .notes
        .iter()
        .map(String::as_str)
        .filter(|n| !n.starts_with("test recorded"))
        .collect();
    if notes.is_empty() {
        "not self-contained".into()
    } else {
        format!("not self-contained: {}", notes.join("; "))
    }
}

/// Runs one discovered case.
pub fn run_case(r: &CaseRef, meta: Meta, runner: &dyn CaseRunner) -> CaseOutcome {
    if !meta.self_contained {
        return CaseOutcome::Skip(skip_reason(&meta));
    }
    let case = match Case::load(&r.dir, meta) {
        Ok(c) => c,
        Err(e) => return CaseOutcome::Fail(e.to_string()),
    };
    match runner.run(&case) {
        Err(e) => CaseOutcome::Fail(e),
        Ok(produced) => match compare_case(&case, &produced) {
            Verdict::Pass => CaseOutcome::Pass,
            Verdict::SoftPass(s) => CaseOutcome::SoftPass(s),
            Verdict::Fail(d) => CaseOutcome::Fail(d.to_string()),
        },
    }
}

/// Discovers, filters and runs the cases, in sorted order.
pub fn run_cases(
    opts: &ConformanceOptions,
    runner: &dyn CaseRunner,
) -> Result<Vec<CaseReport>, String> {
    let refs = discover(&opts.dirs)?;
    let mut reports = Vec::new();
    for r in &refs {
        let name = r.name();
        let meta = Meta::load(&r.dir.join("meta.json"));
        let category = match &meta {
            Ok(m) => m.category.clone(),
            Err(_) => category_guess(r),
        };
        if !selected(opts, &category, &name) {
            continue;
        }
        let outcome = match meta {
            Err(e) => CaseOutcome::Fail(e.to_string()),
            Ok(m) => run_case(r, m, runner),
        };
        reports.push(CaseReport {
            category,
            name,
            outcome,
        });
    }
    reports.sort_by(|a, b| (&a.category, &a.name).cmp(&(&b.category, &b.name)));
    Ok(reports)
}

#[derive(Default)]
struct Counts {
    passed: usize,
    failed: usize,
    skipped: usize,
}

/// Prints the report; returns the exit code (0 no failure, 1 failures).
pub fn print_report(reports: &[CaseReport], out: &mut dyn Write) -> std::io::Result<i32> {
    let mut per_cat: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut total = Counts::default();
    for r in reports {
        writeln!(out, "{}", r.line())?;
        let c = per_cat.entry(&r.category).or_default();
        match r.outcome {
            CaseOutcome::Pass | CaseOutcome::SoftPass(_) => {
                c.passed += 1;
                total.passed += 1;
            }
            CaseOutcome::Fail(_) => {
                c.failed += 1;
                total.failed += 1;
            }
            CaseOutcome::Skip(_) => {
                c.skipped += 1;
                total.skipped += 1;
            }
        }
    }
    writeln!(out, "{} skipped", total.skipped)?;
    writeln!(out)?;
    let width = per_cat.keys().map(|k| k.len()).max().unwrap_or(0).max(8);
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>7}",
        "category", "passed", "failed", "skipped"
    )?;
    for (cat, c) in &per_cat {
        writeln!(
            out,
            "{cat:<width$}  {:>6}  {:>6}  {:>7}",
            c.passed, c.failed, c.skipped
        )?;
    }
    writeln!(
        out,
        "{:<width$}  {:>6}  {:>6}  {:>7}",
        "total", total.passed, total.failed, total.skipped
    )?;
    writeln!(out)?;
    writeln!(out, "{} passed, {} failed", total.passed, total.failed)?;
    Ok(if total.failed == 0 { 0 } else { 1 })
}

/// The whole command: exit code 2 when a DIR is missing or no case was
/// found (message on `err`, nothing on `out`).
pub fn run_cli(
    opts: &ConformanceOptions,
    runner: &dyn CaseRunner,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> i32 {
    if opts.dirs.is_empty() {
        let _ = writeln!(err, "asl-sim conformance: no DIR given");
        return 2;
    }
    let reports = match run_cases(opts, runner) {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "asl-sim conformance: {e}");
            return 2;
        }
    };
    if reports.is_empty() {
        let _ = writeln!(err, "asl-sim conformance: no case found (a case directory holds meta.json and definition.json)");
        return 2;
    }
    match print_report(&reports, out) {
        Ok(code) => code,
        Err(e) => {
            let _ = writeln!(err, "asl-sim conformance: cannot write the report: {e}");
            2
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_and_substrings() {
        assert!(pattern_matches(
            "fail",
            "TestSnfBase__test_state_fail_empty"
        ));
        assert!(pattern_matches(
            "*fail_e*",
            "TestSnfBase__test_state_fail_empty"
        ));
        assert!(pattern_matches("base/*", "base/x"));
        assert!(!pattern_matches("base/?", "base/xy"));
        assert!(pattern_matches("a*b*c", "aXXbYYc"));
        assert!(!pattern_matches("a*b*c", "aXXbYY"));
    }

    #[test]
    fn report_format_and_exit_code() {
        let reports = vec![
            CaseReport {
                category: "a".into(),
                name: "x".into(),
                outcome: CaseOutcome::Pass,
            },
            CaseReport {
                category: "a".into(),
                name: "y".into(),
                outcome: CaseOutcome::SoftPass(vec!["inputDetails".into()]),
            },
            CaseReport {
                category: "b".into(),
                name: "z".into(),
                outcome: CaseOutcome::Fail("engine not implemented".into()),
            },
            CaseReport {
                category: "b".into(),
                name: "w".into(),
                outcome: CaseOutcome::Skip("not self-contained".into()),
            },
        ];
        let mut out = Vec::new();
        let code = print_report(&reports, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(code, 1);
        assert!(text.starts_with(
            "PASS a/x\nPASS a/y (soft: inputDetails)\nFAIL b/z: engine not implemented\nSKIP b/w (not self-contained)\n1 skipped\n"
        ));
        assert!(text.contains("\na         "));
        assert!(text.ends_with("\n2 passed, 1 failed\n"), "{text}");
        let mut out = Vec::new();
        assert_eq!(print_report(&reports[..2], &mut out).unwrap(), 0);
    }
}
