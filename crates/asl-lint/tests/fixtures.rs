//! Every rule has fixtures under `tests/fixtures/<slug>/`:
//! `valid*.asl.json` must not produce the rule's code, `invalid*.asl.json`
//! must produce exactly the rule's code and nothing else. A `.express.` in
//! the file name lints it as an EXPRESS machine. The findings of every
//! fixture are snapshot-tested.

use asl_lint::context::{LintOptions, MachineType};
use asl_lint::lint::{lint_text, SourceFormat};
use asl_lint::rules;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Fixtures too big to commit, written at test time: (slug, file, contents).
fn generated_fixtures() -> Vec<(&'static str, &'static str, String)> {
    // Just over AWS's 1,048,576-character definition limit.
    let padding = "x".repeat(1_048_576);
    vec![(
        "definition-too-large",
        "invalid.asl.json",
        format!(
            r#"{{"StartAt": "A", "States": {{"A": {{"Type": "Pass", "Result": "{padding}", "End": true}}}}}}"#
        ),
    )]
}

fn fixture_files(slug: &str) -> Vec<PathBuf> {
    let dir = fixtures_dir().join(slug);
    let generated_dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("generated-fixtures")
        .join(slug);
    let mut generated = Vec::new();
    for (_, name, text) in generated_fixtures().into_iter().filter(|g| g.0 == slug) {
        std::fs::create_dir_all(&generated_dir).unwrap();
        let path = generated_dir.join(name);
        std::fs::write(&path, text).unwrap();
        generated.push(path);
    }
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("rule `{slug}` has no fixture folder {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.ends_with(".asl.json") || name.ends_with(".asl.yaml")
        })
        .collect();
    files.extend(generated);
    files.sort();
    files
}

fn lint_fixture(path: &Path) -> (String, Vec<asl_lint::diagnostic::Diagnostic>) {
    let text = std::fs::read_to_string(path).unwrap();
    let name = path.file_name().unwrap().to_string_lossy().to_string();
    let options = LintOptions {
        machine_type: if name.contains(".express.") {
            MachineType::Express
        } else {
            MachineType::Standard
        },
    };
    let format = SourceFormat::from_path(&name);
    (text.clone(), lint_text(&text, format, &options))
}

fn render(text: &str, diagnostics: &[asl_lint::diagnostic::Diagnostic]) -> String {
    let index = asl_core::lines::LineIndex::new(text);
    diagnostics
        .iter()
        .map(|d| {
            let at = index.line_col(text, d.span.start as usize);
            format!(
                "{}:{} {} {} [{}] {}\n",
                at.line,
                at.column,
                d.code,
                d.severity.as_str(),
                d.pointer,
                d.message
            )
        })
        .collect()
}

#[test]
fn every_rule_has_valid_and_invalid_fixtures() {
    let mut problems = Vec::new();
    for rule in rules::ALL {
        let meta = rule.meta();
        let files = fixture_files(meta.slug);
        let (mut valid, mut invalid) = (0, 0);
        for path in &files {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let (_, diagnostics) = lint_fixture(path);
            let codes: BTreeSet<_> = diagnostics.iter().map(|d| d.code).collect();
            if name.starts_with("invalid") {
                invalid += 1;
                if codes != BTreeSet::from([meta.code]) {
                    problems.push(format!(
                        "{}/{name}: expected exactly {{{}}}, got {codes:?}",
                        meta.slug, meta.code
                    ));
                }
            } else if name.starts_with("valid") {
                valid += 1;
                if codes.contains(meta.code) {
                    problems.push(format!(
                        "{}/{name}: valid fixture reports {}",
                        meta.slug, meta.code
                    ));
                }
            } else {
                problems.push(format!(
                    "{}/{name}: name must start with valid or invalid",
                    meta.slug
                ));
            }
        }
        if valid == 0 || invalid == 0 {
            problems.push(format!(
                "{}: needs at least one valid and one invalid fixture (has {valid} valid, {invalid} invalid)",
                meta.slug
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "fixture problems:\n{}",
        problems.join("\n")
    );
}

#[test]
fn rule_codes_and_slugs_are_unique_and_documented() {
    let mut codes = BTreeSet::new();
    let mut slugs = BTreeSet::new();
    for rule in rules::ALL {
        let meta = rule.meta();
        assert!(codes.insert(meta.code), "duplicate code {}", meta.code);
        assert!(slugs.insert(meta.slug), "duplicate slug {}", meta.slug);
        assert!(
            meta.code.starts_with("ASL-") && meta.code.len() == 8,
            "{}",
            meta.code
        );
        assert!(
            !meta.summary().is_empty(),
            "{} has no doc comment",
            meta.code
        );
        assert!(
            meta.docs.contains("## Example"),
            "{} docs need an example",
            meta.code
        );
    }
}

#[test]
fn fixture_findings_snapshots() {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(fixtures_dir().join("../snapshots"));
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| {
        for rule in rules::ALL {
            for path in fixture_files(rule.meta().slug) {
                let (text, diagnostics) = lint_fixture(&path);
                let name = format!(
                    "{}__{}",
                    rule.meta().slug,
                    path.file_name().unwrap().to_string_lossy()
                );
                insta::assert_snapshot!(name, render(&text, &diagnostics));
            }
        }
    });
}
