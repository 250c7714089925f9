//! `schemas/asl.schema.json`, the schema editors use for completion and
//! hover: it accepts the valid definitions of the lint corpus, rejects the
//! structurally broken ones, and documents every property.

use serde_json::Value;
use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    let text = std::fs::read_to_string(root().join("schemas/asl.schema.json")).unwrap();
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&schema()).expect("the schema compiles")
}

/// `<repo>/../shared/lint-corpus`, when it is there.
fn corpus() -> Option<PathBuf> {
    let dir = root().join("../shared/lint-corpus");
    if dir.join("manifest.json").exists() {
        Some(dir)
    } else {
        eprintln!("note: {} is absent; corpus checks skipped", dir.display());
        None
    }
}

fn manifest(dir: &Path) -> Vec<Value> {
    let text = std::fs::read_to_string(dir.join("manifest.json")).unwrap();
    serde_json::from_str::<Value>(&text)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn errors(validator: &jsonschema::Validator, instance: &Value) -> Vec<String> {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

/// Valid files whose stored text holds a placeholder that the source's test
/// replaces before sending the definition to AWS.
const PLACEHOLDERS: &[&str] =
    // `"CSVHeaders": "__TBD__"` becomes an array of header names.
    &["valid/localstack__scenarios__map_item_reader_base_csv_headers_decl.json"];

#[test]
fn accepts_every_valid_corpus_definition() {
    let Some(dir) = corpus() else { return };
    let validator = validator();
    let mut checked = 0;
    let mut rejected = Vec::new();
    for entry in manifest(&dir) {
        let file = entry["file"].as_str().unwrap();
        if entry["label"] != "valid" || entry["ambiguous"] == true || PLACEHOLDERS.contains(&file) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let definition: Value = serde_json::from_str(&text).unwrap();
        let problems = errors(&validator, &definition);
        if !problems.is_empty() {
            rejected.push(format!("{file}: {problems:?}"));
        }
        checked += 1;
    }
    assert!(checked > 300, "only {checked} valid files checked");
    assert!(rejected.is_empty(), "{rejected:#?}");
}

/// Invalid corpus files that are structurally wrong, by reason.
const STRUCTURALLY_INVALID: &[(&str, &[&str])] = &[
    (
        "missing StartAt or States",
        &[
            "localstack__validation__invalid_base_no_startat.json",
            "localstack__base__invalid_der.json",
            "localstack__validation__not_a_definition_EMPTY_DICT.json",
            "asls__documentMapInvalidItemProcessorConfig.json",
        ],
    ),
    (
        "unknown or missing Type",
        &[
            "localstack__test_state__base_invalid_state_definition.json",
            "cfn-lint__Invalid_string_definition.json",
        ],
    ),
    (
        "wrong field types or values",
        &[
            "asls__documentTaskWithAssign_assign_array.json",
            "asls__documentTaskWithAssign_assign_bool.json",
            "asls__documentTaskWithAssign_assign_string.json",
            "asl-validator__invalid-error-equals-type.json",
            "asls__documentTaskJSONataInvalid.json",
            "asls__documentTaskRetryInvalid.json",
            "statelint__backoff-with-backoffrate-between-0-and-1.json",
            "statelint__invalid-backoff-with-jitter-on-retry.json",
            "statelint__empty-error-equals-on-retry.json",
            "localstack__test_state__parallel_state_empty_branches.json",
            "asl-validator__invalid-parallel-missing-branches.json",
            "localstack__scenarios__wait_timestamp_invalid_NO_T.json",
            "localstack__scenarios__wait_timestamp_invalid_NO_Z.json",
            "localstack__scenarios__wait_timestamp_invalid_INVALID_DATE.json",
            "localstack__scenarios__map_state_label_too_long_fail.json",
            "localstack__scenarios__map_state_label_invalid_char_space.json",
        ],
    ),
    (
        "unknown fields",
        &[
            "asls__documentInvalidPropertiesRoot.json",
            "asls__documentInvalidPropertiesRootNested.json",
            "asls__documentInvalidPropertiesState.json",
            "asls__documentInvalidPropertiesCatch.json",
            "asls__documentInvalidFailWithAssign.json",
            "asls__documentInvalidSuccessWithAssign.json",
            "statelint__choice-with-parameters.json",
            "statelint__choice-with-resultselector.json",
            "statelint__fail-with-parameters.json",
            "statelint__fail-with-resultpath.json",
            "statelint__pass-with-resultselector.json",
            "statelint__succeed-with-parameters.json",
            "statelint__wait-with-resultpath.json",
        ],
    ),
    (
        "static and path forms together",
        &[
            "statelint__fail-with-static-and-dynamic-error.json",
            "statelint__task-with-static-and-dynamic-heartbeat.json",
            "statelint__task-with-static-and-dynamic-timeout.json",
            "asls__documentFailCauseAndCausePathInvalid.json",
        ],
    ),
];

#[test]
fn rejects_structurally_invalid_corpus_definitions() {
    let Some(dir) = corpus() else { return };
    let validator = validator();
    let labels: Vec<Value> = manifest(&dir);
    let mut accepted = Vec::new();
    for (reason, files) in STRUCTURALLY_INVALID {
        for name in *files {
            let file = format!("invalid/{name}");
            let entry = labels
                .iter()
                .find(|e| e["file"] == file.as_str())
                .unwrap_or_else(|| panic!("{file} is not in the manifest"));
            assert_eq!(entry["label"], "invalid", "{file}");
            let text = std::fs::read_to_string(dir.join(&file)).unwrap();
            let definition: Value = serde_json::from_str(&text).unwrap();
            if validator.is_valid(&definition) {
                accepted.push(format!("{file} ({reason})"));
            }
        }
    }
    assert!(accepted.is_empty(), "accepted: {accepted:#?}");
}

#[test]
fn distinguishes_small_definitions() {
    let validator = validator();
    let ok = serde_json::json!({
        "QueryLanguage": "JSONata",
        "StartAt": "M",
        "States": {
            "M": {"Type": "Map", "Items": "{% $states.input.xs %}", "MaxConcurrency": 2,
                  "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "EXPRESS"},
                                    "StartAt": "C", "States": {"C": {"Type": "Choice",
                                        "Choices": [{"Condition": "{% $states.input > 1 %}", "Next": "S"}],
                                        "Default": "S"},
                                      "S": {"Type": "Succeed"}}},
                  "ItemReader": {"Resource": "arn:aws:states:::s3:getObject",
                                 "ReaderConfig": {"InputType": "CSV", "CSVHeaderLocation": "FIRST_ROW", "MaxItems": 10}},
                  "ItemBatcher": {"MaxItemsPerBatch": 5},
                  "ResultWriter": {"Resource": "arn:aws:states:::s3:putObject",
                                   "WriterConfig": {"OutputType": "JSONL", "Transformation": "COMPACT"}},
                  "Label": "run", "ToleratedFailurePercentage": 5,
                  "Retry": [{"ErrorEquals": ["States.ALL"], "JitterStrategy": "FULL", "MaxDelaySeconds": 10}],
                  "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "F", "Output": "{% $states.errorOutput %}"}],
                  "Next": "W"},
            "W": {"Type": "Wait", "Seconds": "{% 3 %}", "Next": "F"},
            "F": {"Type": "Fail", "Error": "E", "Cause": "{% 'c' %}"}
        }
    });
    assert_eq!(errors(&validator, &ok), Vec::<String>::new());
    let nested_rule = serde_json::json!({"StartAt": "C", "States": {"C": {"Type": "Choice", "Choices": [
        {"And": [{"Variable": "$.a", "NumericGreaterThan": 1, "Next": "X"}], "Next": "X"}]},
        "X": {"Type": "Succeed"}}});
    assert!(
        !validator.is_valid(&nested_rule),
        "Next inside And is rejected"
    );
    let no_next = serde_json::json!({"StartAt": "P", "States": {"P": {"Type": "Pass"}}});
    assert!(!validator.is_valid(&no_next), "Pass without Next or End");
    let two_waits = serde_json::json!({"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 1, "SecondsPath": "$.s", "End": true}}});
    assert!(!validator.is_valid(&two_waits), "Wait with two durations");
}

/// Walks the schema: every entry of every `properties` map has a
/// non-empty `description`.
#[test]
fn every_property_has_a_description() {
    fn walk(node: &Value, at: &str, missing: &mut Vec<String>, count: &mut usize) {
        match node {
            Value::Object(map) => {
                if let Some(Value::Object(properties)) = map.get("properties") {
                    for (name, property) in properties {
                        *count += 1;
                        let described = property
                            .get("description")
                            .and_then(Value::as_str)
                            .is_some_and(|d| !d.trim().is_empty());
                        if !described {
                            missing.push(format!("{at}/properties/{name}"));
                        }
                    }
                }
                for (key, value) in map {
                    walk(value, &format!("{at}/{key}"), missing, count);
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, &format!("{at}/{i}"), missing, count);
                }
            }
            _ => {}
        }
    }
    let schema = schema();
    let mut missing = Vec::new();
    let mut count = 0;
    walk(&schema, "#", &mut missing, &mut count);
    assert!(count > 150, "only {count} properties");
    assert!(missing.is_empty(), "no description: {missing:#?}");
    // Every definition says what it is, too (hover on a `$ref`).
    for (name, definition) in schema["definitions"].as_object().unwrap() {
        assert!(
            definition.get("description").is_some(),
            "definitions/{name}"
        );
    }
}
