//! Scores the linter on the labelled lint corpus in `../shared/lint-corpus`.
//!
//! A non-ambiguous `valid` file is right when it gets no error; an `invalid`
//! one when it gets at least one. The test prints the score, fails when it
//! drops below `corpus/floor.txt` (the last measured score; it only rises),
//! and fails when the set of wrong files differs from `corpus/known-misses.txt`
//! (each line `file  # reason`), so that list stays exact and only shrinks.

use asl_lint::context::{LintOptions, MachineType};
use asl_lint::diagnostic::Severity;
use asl_lint::lint::{lint_text, SourceFormat};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn corpus_dir() -> Option<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/lint-corpus");
    dir.join("manifest.json").exists().then_some(dir)
}

fn here(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name)
}

struct Verdict {
    file: String,
    expected_valid: bool,
    errors: Vec<String>,
}

fn lint_corpus(dir: &Path) -> Vec<Verdict> {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let mut verdicts = Vec::new();
    for entry in manifest.as_array().unwrap() {
        if entry["ambiguous"].as_bool() == Some(true) {
            continue;
        }
        let file = entry["file"].as_str().unwrap().to_string();
        let text = std::fs::read(dir.join(&file)).unwrap();
        let text = String::from_utf8_lossy(&text);
        let options = LintOptions {
            machine_type: MachineType::Standard,
        };
        let errors = lint_text(&text, SourceFormat::Json, &options)
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{} {} ({})", d.code, d.message, d.pointer))
            .collect();
        verdicts.push(Verdict {
            expected_valid: entry["label"] == "valid",
            file,
            errors,
        });
    }
    verdicts
}

fn read_known_misses() -> BTreeMap<String, String> {
    std::fs::read_to_string(here("known-misses.txt"))
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|l| match l.split_once('#') {
            Some((file, reason)) => (file.trim().to_string(), reason.trim().to_string()),
            None => (l.to_string(), String::new()),
        })
        .collect()
}

#[test]
fn lint_corpus_score() {
    let Some(dir) = corpus_dir() else {
        eprintln!("lint corpus not found beside the repository; skipped");
        return;
    };
    let verdicts = lint_corpus(&dir);
    let (mut correct, mut false_positives, mut false_negatives) = (0, Vec::new(), Vec::new());
    for v in &verdicts {
        match (v.expected_valid, v.errors.is_empty()) {
            (true, true) | (false, false) => correct += 1,
            (true, false) => false_positives.push(v),
            (false, true) => false_negatives.push(v),
        }
    }
    let total = verdicts.len();
    let score = 100.0 * correct as f64 / total as f64;
    println!(
        "lint corpus: {correct}/{total} correct ({score:.1}%), {} false positives, {} false negatives",
        false_positives.len(),
        false_negatives.len()
    );
    for v in &false_positives {
        println!("  false positive {}: {}", v.file, v.errors.join("; "));
    }
    for v in &false_negatives {
        println!("  false negative {}", v.file);
    }

    let floor: f64 = std::fs::read_to_string(here("floor.txt"))
        .expect("tests/corpus/floor.txt")
        .trim()
        .parse()
        .expect("floor is a number");
    assert!(
        score + 1e-9 >= floor,
        "lint corpus score {score:.1}% fell below the floor {floor:.1}%"
    );

    let known = read_known_misses();
    let wrong: Vec<&str> = false_positives
        .iter()
        .chain(&false_negatives)
        .map(|v| v.file.as_str())
        .collect();
    let unexplained: Vec<_> = wrong.iter().filter(|f| !known.contains_key(**f)).collect();
    let fixed: Vec<_> = known
        .keys()
        .filter(|k| !wrong.contains(&k.as_str()))
        .collect();
    assert!(
        unexplained.is_empty(),
        "misclassified files missing from tests/corpus/known-misses.txt: {unexplained:?}"
    );
    assert!(
        fixed.is_empty(),
        "files now classified right: remove them from tests/corpus/known-misses.txt (and raise floor.txt): {fixed:?}"
    );
}

/// Every definition AWS accepted in the recorded executions of
/// `../shared/conformance` lints with no error. The one exception is the
/// recorder's `activity_arn` placeholder, which stands where a real activity
/// ARN was and is not an ARN itself.
#[test]
fn aws_accepted_definitions_have_no_errors() {
    let Some(dir) = corpus_dir() else {
        eprintln!("lint corpus not found beside the repository; skipped");
        return;
    };
    let cases = dir.join("../conformance/cases");
    let mut checked = 0;
    let mut problems = Vec::new();
    for category in std::fs::read_dir(&cases).unwrap().flatten() {
        for case in std::fs::read_dir(category.path()).unwrap().flatten() {
            let Ok(text) = std::fs::read_to_string(case.path().join("definition.json")) else {
                continue;
            };
            let text = text.replace(
                "\"activity_arn\"",
                "\"arn:aws:states:us-east-1:111111111111:activity:recorded\"",
            );
            checked += 1;
            for d in lint_text(&text, SourceFormat::Json, &LintOptions::default()) {
                if d.severity == Severity::Error {
                    problems.push(format!(
                        "{}: {} {} ({})",
                        case.path().display(),
                        d.code,
                        d.message,
                        d.pointer
                    ));
                }
            }
        }
    }
    println!("{checked} AWS-accepted definitions linted");
    assert!(checked > 100);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
