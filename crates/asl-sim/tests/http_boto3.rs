//! `asl-sim serve` driven by unmodified boto3 and the AWS CLI from the venv
//! that `scripts/test` creates (`ASL_TEST_VENV`); skipped with a note when
//! the venv is absent. The checks themselves are in `tests/http/`.

mod common;

use std::process::Command;

#[test]
fn boto3_suite() {
    let Some(venv) = common::venv() else {
        println!(
            "note: ASL_TEST_VENV not set (run scripts/test); skipping the boto3 end-to-end suite"
        );
        return;
    };
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/http");
    let mock = format!("{dir}/mock_config.json");
    let server = common::start(&["--poll-timeout", "1", "--mock-config", &mock]);
    let mut cmd = Command::new(venv.join("bin/python"));
    cmd.arg(format!("{dir}/boto3_suite.py"));
    common::client_env(&mut cmd, &server.endpoint);
    let out = cmd.output().expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "boto3 suite failed:\n{stdout}");
}

fn aws(venv: &std::path::Path, endpoint: &str, args: &[&str]) -> (bool, serde_json::Value, String) {
    let mut cmd = Command::new(venv.join("bin/aws"));
    cmd.args([
        "--endpoint-url",
        endpoint,
        "--output",
        "json",
        "stepfunctions",
    ])
    .args(args);
    common::client_env(&mut cmd, endpoint);
    let out = cmd.output().expect("run aws");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let v = serde_json::from_str(&stdout).unwrap_or(serde_json::Value::Null);
    (
        out.status.success(),
        v,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn aws_cli() {
    let Some(venv) = common::venv() else {
        println!(
            "note: ASL_TEST_VENV not set (run scripts/test); skipping the AWS CLI end-to-end test"
        );
        return;
    };
    let server = common::start(&[]);
    let ep = server.endpoint.as_str();
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","Result":{"cli":true},"End":true}}}"#;
    let role = "arn:aws:iam::123456789012:role/r";
    let (ok, sm, err) = aws(
        &venv,
        ep,
        &[
            "create-state-machine",
            "--name",
            "cli",
            "--definition",
            def,
            "--role-arn",
            role,
        ],
    );
    assert!(ok, "{err}");
    let arn = sm["stateMachineArn"].as_str().unwrap().to_owned();
    let (ok, ex, err) = aws(
        &venv,
        ep,
        &[
            "start-execution",
            "--state-machine-arn",
            &arn,
            "--input",
            "{\"a\":1}",
        ],
    );
    assert!(ok, "{err}");
    let exec = ex["executionArn"].as_str().unwrap().to_owned();
    let (ok, d, _) = aws(&venv, ep, &["describe-execution", "--execution-arn", &exec]);
    assert!(
        ok && d["status"] == "SUCCEEDED" && d["output"] == "{\"cli\":true}",
        "{d}"
    );
    let (ok, l, _) = aws(&venv, ep, &["list-executions", "--state-machine-arn", &arn]);
    assert!(ok && l["executions"].as_array().unwrap().len() == 1, "{l}");
    let (ok, h, _) = aws(
        &venv,
        ep,
        &[
            "get-execution-history",
            "--execution-arn",
            &exec,
            "--reverse-order",
        ],
    );
    assert!(ok && h["events"][0]["type"] == "ExecutionSucceeded", "{h}");
    let (ok, _, err) = aws(
        &venv,
        ep,
        &[
            "create-state-machine",
            "--name",
            "x y",
            "--definition",
            def,
            "--role-arn",
            role,
        ],
    );
    assert!(!ok && err.contains("InvalidName"), "{err}");
    let (ok, _, err) = aws(
        &venv,
        ep,
        &[
            "describe-state-machine",
            "--state-machine-arn",
            "arn:aws:states:us-east-1:123456789012:stateMachine:none",
        ],
    );
    assert!(!ok && err.contains("StateMachineDoesNotExist"), "{err}");
    let (ok, ex, err) = aws(
        &venv,
        ep,
        &[
            "create-state-machine",
            "--name",
            "cli-express",
            "--type",
            "EXPRESS",
            "--definition",
            def,
            "--role-arn",
            role,
        ],
    );
    assert!(ok, "{err}");
    let (ok, r, err) = aws(
        &venv,
        ep,
        &[
            "start-sync-execution",
            "--state-machine-arn",
            ex["stateMachineArn"].as_str().unwrap(),
        ],
    );
    assert!(ok && r["status"] == "SUCCEEDED", "{r} {err}");
    // the CLI's own pagination over nextToken
    for i in 0..3 {
        aws(
            &venv,
            ep,
            &["create-activity", "--name", &format!("act{i}")],
        );
    }
    let (ok, l, err) = aws(&venv, ep, &["list-activities", "--page-size", "1"]);
    assert!(
        ok && l["activities"].as_array().unwrap().len() == 3,
        "{l} {err}"
    );
}
