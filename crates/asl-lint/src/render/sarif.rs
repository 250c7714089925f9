//! `--format sarif`: SARIF 2.1.0 as GitHub code scanning accepts it — the
//! tool driver lists every rule, each result has a physical location with
//! `columnKind` stated, and `partialFingerprints` that do not move when
//! unrelated lines are added (they hash the rule, file and JSON pointer,
//! not the line number).

use crate::diagnostic::{Diagnostic, Severity};
use crate::report::RunReport;
use crate::rules;
use serde_json::{json, Value};

const INFORMATION_URI: &str = "https://github.com/asl-toolkit/asl-toolkit";

pub fn render(run: &RunReport) -> String {
    let rule_index = |code: &str| rules::ALL.iter().position(|r| r.meta().code == code);
    let driver_rules: Vec<Value> = rules::ALL
        .iter()
        .map(|r| {
            let m = r.meta();
            let docs = crate::cli::strip_doc_indent(m.docs);
            json!({
                "id": m.code,
                "name": m.slug,
                "shortDescription": {"text": m.summary()},
                "fullDescription": {"text": docs.trim()},
                "help": {"text": docs.trim(), "markdown": docs.trim()},
                "helpUri": format!("{INFORMATION_URI}/blob/main/docs/rules/{}.md", m.slug),
                "defaultConfiguration": {"level": level(m.severity)},
                "properties": {"tags": ["asl", m.slug], "awsCode": m.aws_code},
            })
        })
        .collect();
    let mut results = Vec::new();
    for file in &run.files {
        for d in &file.diagnostics {
            let start = file.position(d.span.start);
            let end = file.position(d.span.end);
            let mut result = json!({
                "ruleId": d.code,
                "level": level(d.severity),
                "message": {"text": d.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": artifact_uri(&file.path)},
                        "region": {
                            "startLine": start.line,
                            "startColumn": start.column,
                            "endLine": end.line,
                            "endColumn": end.column,
                        }
                    },
                    "logicalLocations": [{"fullyQualifiedName": d.pointer, "kind": "member"}],
                }],
                "partialFingerprints": {"aslLint/v1": fingerprint(&file.path, d)},
            });
            if let Some(i) = rule_index(d.code) {
                result["ruleIndex"] = json!(i);
            }
            results.push(result);
        }
    }
    let log = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "asl-lint",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": INFORMATION_URI,
                "rules": driver_rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    });
    let mut text = serde_json::to_string_pretty(&log).expect("plain data serializes");
    text.push('\n');
    text
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

/// A relative URI with forward slashes (code scanning resolves it against
/// the repository root); `./` dropped.
fn artifact_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    path.strip_prefix("./").unwrap_or(&path).to_string()
}

/// FNV-1a over rule, file, pointer and message: stable across runs,
/// machines and unrelated edits.
fn fingerprint(path: &str, d: &Diagnostic) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for part in [d.code, &artifact_uri(path), &d.pointer, &d.message] {
        for byte in part.bytes().chain([0]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("{hash:016x}")
}
