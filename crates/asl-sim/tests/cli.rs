//! End-to-end tests of the `asl-sim` binary.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_asl-sim"))
}

/// The recorded history of a one-Pass-state execution with input `{}`.
const HISTORY: &str = r#"[
  {"executionStartedEventDetails": {"input": {}, "inputDetails": {"truncated": false}, "roleArn": "snf_role_arn"},
   "id": 1, "previousEventId": 0, "timestamp": "timestamp", "type": "ExecutionStarted"},
  {"id": 2, "previousEventId": 0, "stateEnteredEventDetails": {"input": {}, "inputDetails": {"truncated": false}, "name": "P"},
   "timestamp": "timestamp", "type": "PassStateEntered"},
  {"id": 3, "previousEventId": 2, "stateExitedEventDetails": {"name": "P", "output": {}, "outputDetails": {"truncated": false}},
   "timestamp": "timestamp", "type": "PassStateExited"},
  {"executionSucceededEventDetails": {"output": {}, "outputDetails": {"truncated": false}},
   "id": 4, "previousEventId": 3, "timestamp": "timestamp", "type": "ExecutionSucceeded"}
]"#;

fn write_case(root: &Path, cat: &str, name: &str, self_contained: bool) -> PathBuf {
    let dir = root.join(cat).join(name);
    std::fs::create_dir_all(&dir).unwrap();
    let meta = format!(
        r#"{{"category":"{cat}","self_contained":{self_contained},"state_machine_name":"ArnPart_0idx",
            "execution_name":"ExecArnPart_0idx","substitutions":{{}},"notes":["why not"],
            "compare":["history","final"],"final":{{"status":"SUCCEEDED","output":{{}}}}}}"#
    );
    std::fs::write(dir.join("meta.json"), meta).unwrap();
    std::fs::write(
        dir.join("definition.json"),
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("input.json"), "{}").unwrap();
    std::fs::write(dir.join("history.json"), HISTORY).unwrap();
    std::fs::write(dir.join("task_results.json"), "[]").unwrap();
    dir
}

#[test]
fn conformance_runs_cases_and_reports() {
    let root = std::env::temp_dir().join(format!("asl-sim-cli-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    write_case(&root, "base", "a_case", true);
    write_case(&root, "wait", "b_case", false);
    let failing = write_case(&root, "base", "c_case", true);
    std::fs::write(
        failing.join("definition.json"),
        r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}}"#,
    )
    .unwrap();
    let out = bin().arg("conformance").arg(&root).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines[0], "PASS base/a_case");
    assert_eq!(
        lines[1],
        "FAIL base/c_case: event 2 (PassStateExited) at /2/stateExitedEventDetails/output: expected {}, got 1 (in the produced JSON text \"1\")"
    );
    assert_eq!(lines[2], "SKIP wait/b_case (not self-contained: why not)");
    assert_eq!(lines[3], "1 skipped");
    assert_eq!(*lines.last().unwrap(), "1 passed, 1 failed");

    // A case directory given directly, filtered by category and pattern.
    let out = bin()
        .args(["conformance", "--category", "wait"])
        .arg(root.join("wait/b_case"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8(out.stdout)
        .unwrap()
        .ends_with("0 passed, 0 failed\n"));

    let out = bin()
        .args(["conformance", "--case", "zzz"])
        .arg(&root)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());

    let out = bin()
        .args(["conformance"])
        .arg(root.join("missing"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8(out.stderr)
        .unwrap()
        .contains("not a directory"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn malformed_meta_is_a_failure_naming_file_and_pointer() {
    let root = std::env::temp_dir().join(format!("asl-sim-cli-bad-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let dir = write_case(&root, "base", "bad", true);
    std::fs::write(
        dir.join("meta.json"),
        r#"{"category":"base","self_contained":1}"#,
    )
    .unwrap();
    let out = bin().arg("conformance").arg(&root).output().unwrap();
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout.starts_with("FAIL base/bad: "), "{stdout}");
    assert!(
        stdout.contains("meta.json at /self_contained: expected a boolean"),
        "{stdout}"
    );
    let _ = std::fs::remove_dir_all(&root);
}
