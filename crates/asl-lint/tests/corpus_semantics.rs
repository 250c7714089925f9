//! Corpus check for the semantic rules (run on demand):
//! `cargo test -p asl-lint --test corpus_semantics -- --ignored --nocapture`.
//! Prints the findings of the semantic rules on non-ambiguous valid files
//! (false positives; must be none) and which invalid files they catch.

use asl_lint::context::LintOptions;
use asl_lint::lint::{lint_text, SourceFormat};
use std::path::Path;

const CODES: &[&str] = &[
    "ASL-S012", "ASL-S013", "ASL-S014", "ASL-S015", "ASL-N001", "ASL-N002", "ASL-N004", "ASL-N005",
    "ASL-R001", "ASL-R002", "ASL-R003", "ASL-R004", "ASL-R005", "ASL-T001",
];

#[test]
#[ignore = "needs /work/shared/lint-corpus; run on demand"]
fn semantic_rules_on_lint_corpus() {
    let root = Path::new("/work/shared/lint-corpus");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(root.join("manifest.json")).unwrap())
            .unwrap();
    let (mut false_positives, mut caught, mut invalid_total) = (0, 0, 0);
    for entry in manifest.as_array().unwrap() {
        let file = entry["file"].as_str().unwrap();
        let ambiguous = entry["ambiguous"].as_bool().unwrap_or(false);
        let label = entry["label"].as_str().unwrap();
        let Ok(text) = std::fs::read_to_string(root.join(file)) else {
            continue;
        };
        let found: Vec<_> = lint_text(&text, SourceFormat::Json, &LintOptions::default())
            .into_iter()
            .filter(|d| CODES.contains(&d.code))
            .collect();
        let errors: Vec<_> = found
            .iter()
            .filter(|d| d.severity == asl_lint::diagnostic::Severity::Error)
            .collect();
        let amb = if ambiguous { " (ambiguous)" } else { "" };
        if label == "valid" {
            for d in &found {
                if d.severity == asl_lint::diagnostic::Severity::Error && !ambiguous {
                    false_positives += 1;
                }
                println!(
                    "VALID{amb} {file}: {} {:?} {} {}",
                    d.code, d.severity, d.pointer, d.message
                );
            }
        } else {
            if !ambiguous {
                invalid_total += 1;
                if !errors.is_empty() {
                    caught += 1;
                }
            }
            for d in &found {
                println!(
                    "INVALID{amb} {file}: {} {:?} {} {}",
                    d.code, d.severity, d.pointer, d.message
                );
            }
        }
    }
    println!("false positives on non-ambiguous valid files: {false_positives}");
    println!("non-ambiguous invalid files with a semantic-rule error: {caught}/{invalid_total}");
    assert_eq!(false_positives, 0);
}
