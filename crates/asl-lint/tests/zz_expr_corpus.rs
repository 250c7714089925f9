//! Throwaway: the expression/resource/warning rules on the lint corpus.
use asl_lint::context::{LintOptions, MachineType};
use asl_lint::diagnostic::Severity;
use asl_lint::lint::{lint_text, SourceFormat};

const MINE: &[&str] = &["ASL-P0", "ASL-I0", "ASL-J0", "ASL-X0", "ASL-W0"];

#[test]
#[ignore]
fn expr_rules_on_corpus() {
    let dir = std::path::Path::new("/work/shared/lint-corpus");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap();
    let (mut fp, mut caught, mut invalid, mut amb_hits) = (0, 0, 0, 0);
    for e in manifest.as_array().unwrap() {
        let file = e["file"].as_str().unwrap();
        let text = String::from_utf8_lossy(&std::fs::read(dir.join(file)).unwrap()).to_string();
        let options = LintOptions {
            machine_type: MachineType::Standard,
        };
        let diags: Vec<_> = lint_text(&text, SourceFormat::Json, &options)
            .into_iter()
            .filter(|d| MINE.iter().any(|p| d.code.starts_with(p)))
            .collect();
        let errors: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .collect();
        let warnings: Vec<_> = diags
            .iter()
            .filter(|d| d.severity == Severity::Warning)
            .collect();
        let ambiguous = e["ambiguous"].as_bool() == Some(true);
        let valid = e["label"] == "valid";
        for d in &warnings {
            println!("  warn {file}: {} {} {}", d.code, d.pointer, d.message);
        }
        if ambiguous {
            if !errors.is_empty() {
                amb_hits += 1;
                for d in &errors {
                    println!(
                        "  (ambiguous {} ) {file}: {} {} {}",
                        e["label"], d.code, d.pointer, d.message
                    );
                }
            }
            continue;
        }
        if valid && !errors.is_empty() {
            fp += 1;
            for d in &errors {
                println!(
                    "FALSE POSITIVE {file}: {} {} {}",
                    d.code, d.pointer, d.message
                );
            }
        }
        if !valid {
            invalid += 1;
            if !errors.is_empty() {
                caught += 1;
                for d in &errors {
                    println!("caught {file}: {} {} {}", d.code, d.pointer, d.message);
                }
            }
        }
    }
    println!("false positives: {fp}; invalid caught: {caught}/{invalid}; ambiguous with errors: {amb_hits}");
}
