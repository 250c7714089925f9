//! Loader tests: every kind of load error, with its position and fix.

use super::*;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};

const DEF: &str = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 30, "Next": "Done"},
  "Done": {"Type": "Succeed"}}}"#;

fn dir() -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let d = std::env::temp_dir().join(format!(
        "asl-test-load-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&d).unwrap();
    std::fs::write(d.join("m.asl.json"), DEF).unwrap();
    std::fs::write(
        d.join("bad.asl.json"),
        r#"{"StartAt": "Nope", "States": {"A": {"Type": "Pass", "End": true}}}"#,
    )
    .unwrap();
    std::fs::write(
        d.join("m.asl.yaml"),
        "StartAt: A\nStates:\n  A: {Type: Pass, End: true}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("Mock.json"),
        r#"{"StateMachines": {"m": {"TestCases": {"Happy": {"Charge": "Ok"}}}}, "MockedResponses": {"Ok": {"0": {"Return": {"Payload": 1}}}}}"#,
    )
    .unwrap();
    d
}

fn load(text: &str) -> Result<ScenarioFile, String> {
    let d = dir();
    let r = load_source(&SourceFile::new(d.join("s.scenario.yaml"), text.to_owned()));
    let _ = std::fs::remove_dir_all(&d);
    r.map_err(|e| {
        e.to_string()
            .replace(&crate::source::display_path(&d), "<dir>")
    })
}

fn err(text: &str) -> String {
    match load(text) {
        Ok(_) => panic!("loaded:\n{text}"),
        Err(e) => e,
    }
}

#[test]
fn loads_a_full_file() {
    let f = load(
        "definition: m.asl.json\nseed: 7\nscenarios:\n  - name: Happy path\n    input: {a: yes, b: 1}\n    mocks:\n      Charge:\n        - throw: {error: E, cause: c}\n          after: 500ms\n        - return: {Payload: {ok: true}}\n          after: 10s\n          heartbeats: [1s, 5s]\n          repeat: true\n    expect:\n      output_contains: {Payload: {}}\n      path: [Charge, Done]\n    snapshot: false\n  - name: imported\n    mock_config: Mock.json#Happy\n    expect: {status: FAILED, error: X, cause: Y}\n",
    )
    .unwrap();
    assert_eq!(f.seed, 7);
    assert_eq!(f.definition.machine_name, "m");
    assert_eq!(f.definition.tasks["Charge"].timeout_seconds, Some(30));
    let s = &f.scenarios[0];
    assert_eq!(s.slug, "happy-path");
    assert_eq!(s.input, serde_json::json!({"a": "yes", "b": 1}));
    let e = &s.mocks["Charge"];
    assert_eq!(
        (e[0].after_ms, e[1].after_ms, e[1].repeat),
        (500, 10_000, true)
    );
    assert_eq!(e[1].heartbeats_ms, vec![1_000, 5_000]);
    assert!(!s.snapshot);
    assert_eq!(f.scenarios[1].mocks["Charge"].len(), 1);
    assert_eq!(f.scenarios[1].expect.status, "FAILED");
}

#[test]
fn loads_yaml_and_inline_definitions() {
    let f = load("definition: m.asl.yaml\nscenarios: [{name: a}]\n").unwrap();
    assert_eq!(
        f.definition.json,
        r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#
    );
    let f = load("definition:\n  StartAt: A\n  States:\n    A: {Type: Pass, End: true}\nscenarios: [{name: a}]\n").unwrap();
    assert_eq!(f.definition.label, "(inline)");
    assert_eq!(f.definition.machine_name, "s");
}

#[test]
fn errors() {
    let cases: &[(&str, &str)] = &[
        ("yaml syntax", "definition: m.asl.json\nscenarios: [\n"),
        ("unknown top key", "definiton: m.asl.json\nscenarios: []\n"),
        ("unknown scenario key", "definition: m.asl.json\nscenarios:\n  - name: a\n    expcet: {}\n"),
        ("unknown entry key", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - retrun: 1\n"),
        ("unknown expect key", "definition: m.asl.json\nscenarios:\n  - name: a\n    expect: {stauts: FAILED}\n"),
        ("wrong type seed", "definition: m.asl.json\nseed: abc\nscenarios: [{name: a}]\n"),
        ("wrong type snapshot", "definition: m.asl.json\nscenarios:\n  - name: a\n    snapshot: yes\n"),
        ("wrong type mocks", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks: [1]\n"),
        ("missing definition key", "scenarios: [{name: a}]\n"),
        ("missing definition file", "definition: nope.asl.json\nscenarios: [{name: a}]\n"),
        ("definition does not lint", "definition: bad.asl.json\nscenarios: [{name: a}]\n"),
        ("mock for unknown state", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Chrage: [{return: 1}]\n"),
        ("mock for non-task", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Done: [{return: 1}]\n"),
        ("duplicate slugs", "definition: m.asl.json\nscenarios:\n  - name: Happy path\n  - name: happy-path!\n"),
        ("duplicate key", "definition: m.asl.json\ndefinition: m.asl.json\nscenarios: [{name: a}]\n"),
        ("repeat not last", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {return: 1, repeat: true}\n        - {return: 2}\n"),
        ("return and throw", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {return: 1, throw: {error: E}}\n"),
        ("neither", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {after: 1s}\n"),
        ("bad duration", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {return: 1, after: 10}\n"),
        ("bad unit", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {return: 1, after: 10sec}\n"),
        ("heartbeat after end", "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks:\n      Charge:\n        - {return: 1, after: 1s, heartbeats: [2s]}\n"),
        ("status typo", "definition: m.asl.json\nscenarios:\n  - name: a\n    expect: {status: FAILD}\n"),
        ("output and contains", "definition: m.asl.json\nscenarios:\n  - name: a\n    expect: {output: 1, output_contains: 1}\n"),
        ("error with success", "definition: m.asl.json\nscenarios:\n  - name: a\n    expect: {error: E}\n"),
        ("path unknown state", "definition: m.asl.json\nscenarios:\n  - name: a\n    expect: {path: [Charge, Dnoe]}\n"),
        ("mock_config missing case", "definition: m.asl.json\nscenarios:\n  - name: a\n    mock_config: Mock.json#Hapy\n"),
        ("mock_config no hash", "definition: m.asl.json\nscenarios:\n  - name: a\n    mock_config: Mock.json\n"),
        ("mock_config no machine", "definition: m.asl.json\nscenarios:\n  - name: a\n    mock_config: Mock.json#Other/Happy\n"),
        ("s3 key", "definition: m.asl.json\nscenarios:\n  - name: a\n    s3: {nobucket: 1}\n"),
        ("empty scenarios", "definition: m.asl.json\nscenarios: []\n"),
        ("name without letters", "definition: m.asl.json\nscenarios: [{name: '!!!'}]\n"),
        ("not a mapping", "- 1\n"),
        ("empty file", ""),
    ];
    let mut out = String::new();
    for (what, text) in cases {
        out.push_str(&format!("## {what}\n{}\n\n", err(text)));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn garbage_never_panics() {
    for text in [
        "\u{0}",
        "definition: [",
        "definition: {a: [}",
        ":::",
        "scenarios: !!int x",
        "&a [*a]",
        "definition: m.asl.json\nscenarios:\n  - name: a\n    mocks: {Charge: [{throw: 1}]}\n",
    ] {
        let _ = load(text);
    }
}
