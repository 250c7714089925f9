//! `schemas/scenario.schema.json`: it compiles, describes every property,
//! accepts every example scenario file and rejects typical mistakes.

use serde_json::{json, Value};
use std::path::Path;

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

fn schema() -> Value {
    serde_json::from_str(
        &std::fs::read_to_string(root().join("schemas/scenario.schema.json")).unwrap(),
    )
    .unwrap()
}

fn scenario_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            scenario_files(&p, out);
        } else if p.to_string_lossy().ends_with(".scenario.yaml") {
            out.push(p);
        }
    }
}

#[test]
fn every_example_validates() {
    let validator = jsonschema::validator_for(&schema()).expect("the schema compiles");
    let mut files = Vec::new();
    scenario_files(&root().join("examples"), &mut files);
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let v = asl_core::yaml::parse(&text).unwrap().root.to_value();
        let errors: Vec<String> = validator
            .iter_errors(&v)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", f.display());
        // and the loader accepts it too
        asl_test::load::load_file(&f).unwrap_or_else(|e| panic!("{e}"));
    }
}

#[test]
fn every_property_is_described() {
    fn walk(v: &Value, at: &str) {
        if let Some(props) = v.get("properties").and_then(Value::as_object) {
            for (k, p) in props {
                assert!(
                    p.get("description").is_some() || p.get("$ref").is_some(),
                    "{at}/{k} has no description"
                );
                walk(p, &format!("{at}/{k}"));
            }
        }
        if let Some(defs) = v.get("$defs").and_then(Value::as_object) {
            for (k, d) in defs {
                assert!(
                    d.get("description").is_some(),
                    "$defs/{k} has no description"
                );
                walk(d, &format!("$defs/{k}"));
            }
        }
    }
    walk(&schema(), "");
}

#[test]
fn rejects_mistakes() {
    let validator = jsonschema::validator_for(&schema()).unwrap();
    let ok = json!({"definition": "m.asl.json", "scenarios": [{"name": "a"}]});
    assert!(validator.is_valid(&ok));
    for bad in [
        json!({"definition": "m.asl.json", "scenarios": [{"name": "a", "expcet": {}}]}),
        json!({"definition": "m.asl.json", "scenarios": []}),
        json!({"scenarios": [{"name": "a"}]}),
        json!({"definition": "m.asl.json", "scenarios": [{"name": "a", "mocks": {"T": [{"return": 1, "throw": {"error": "E"}}]}}]}),
        json!({"definition": "m.asl.json", "scenarios": [{"name": "a", "mocks": {"T": [{"return": 1, "after": "10"}]}}]}),
        json!({"definition": "m.asl.json", "scenarios": [{"name": "a", "expect": {"status": "FAILD"}}]}),
        json!({"definition": "m.asl.json", "scenarios": [{"name": "a", "expect": {"output": 1, "output_contains": 1}}]}),
        json!({"definition": "m.asl.json", "seed": -1, "scenarios": [{"name": "a"}]}),
    ] {
        assert!(!validator.is_valid(&bad), "{bad}");
    }
}
