//! The visible conformance corpus through the engine.
//!
//! Fails when the pass count drops below `tests/conformance/floor.txt`, or
//! when the set of failing cases differs from
//! `tests/conformance/known-failures.txt` (`category/case  # reason`): a
//! newly failing case is a regression, a newly passing one must be removed
//! from the list (and the floor raised), so the list only shrinks.
//!
//! The corpus is found through `ASL_CONFORMANCE_DIR`, else by looking for
//! `shared/conformance/cases` or `conformance/cases` above this crate.

use asl_sim::conformance::runner::{run_cases, CaseOutcome, ConformanceOptions};
use asl_sim::conformance::EngineRunner;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn corpus() -> Option<PathBuf> {
    if let Ok(d) = std::env::var("ASL_CONFORMANCE_DIR") {
        return Some(PathBuf::from(d));
    }
    let mut dir = Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf();
    loop {
        for c in ["shared/conformance/cases", "conformance/cases"] {
            let p = dir.join(c);
            if p.is_dir() {
                return Some(p);
            }
        }
        if !dir.pop() {
            return None;
        }
    }
}

fn read(name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/conformance")
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn visible_corpus_meets_floor_and_known_failures() {
    let Some(dir) = corpus() else {
        eprintln!("conformance corpus not found; set ASL_CONFORMANCE_DIR");
        return;
    };
    let opts = ConformanceOptions {
        dirs: vec![dir],
        categories: Vec::new(),
        case_pattern: None,
    };
    let reports = run_cases(&opts, &EngineRunner).expect("corpus readable");
    let mut per_cat: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let mut failing = BTreeMap::new();
    let mut passed = 0;
    for r in &reports {
        let e = per_cat.entry(r.category.clone()).or_default();
        match &r.outcome {
            CaseOutcome::Pass | CaseOutcome::SoftPass(_) => {
                e.0 += 1;
                passed += 1;
            }
            CaseOutcome::Fail(why) => {
                e.1 += 1;
                failing.insert(r.label(), why.clone());
            }
            CaseOutcome::Skip(_) => {}
        }
    }
    println!("{:<22} {:>6} {:>6}  rate", "category", "passed", "failed");
    for (c, (p, f)) in &per_cat {
        let rate = if p + f == 0 {
            100.0
        } else {
            *p as f64 * 100.0 / (p + f) as f64
        };
        println!("{c:<22} {p:>6} {f:>6}  {rate:.0}%");
    }
    println!("total passed: {passed}, failed: {}", failing.len());

    let floor: usize = read("floor.txt")
        .trim()
        .parse()
        .expect("floor.txt: a number");
    let mut known = BTreeSet::new();
    for (n, line) in read("known-failures.txt").lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (case, reason) = line
            .split_once('#')
            .unwrap_or_else(|| panic!("known-failures.txt:{}: needs `# reason`", n + 1));
        let reason = reason.trim();
        assert!(
            !reason.is_empty() && !reason.eq_ignore_ascii_case("unknown"),
            "known-failures.txt:{}: give a real reason",
            n + 1
        );
        known.insert(case.trim().to_owned());
    }
    let now: BTreeSet<String> = failing.keys().cloned().collect();
    let new_failures: Vec<_> = now.difference(&known).collect();
    let fixed: Vec<_> = known.difference(&now).collect();
    for f in &new_failures {
        println!("NEW FAILURE {f}: {}", failing[*f]);
    }
    for f in &fixed {
        println!("NOW PASSING (remove from known-failures.txt) {f}");
    }
    assert!(passed >= floor, "{passed} passed, below the floor {floor}");
    assert!(
        new_failures.is_empty() && fixed.is_empty(),
        "failing set differs from known-failures.txt ({} new, {} fixed)",
        new_failures.len(),
        fixed.len()
    );
}
