//! `asl-sim serve` over raw HTTP (no Python needed): startup line, control
//! endpoints, hostile requests, `-v` logging, `--state-file` restart and
//! corruption.

mod common;

use serde_json::json;

const ROLE: &str = "arn:aws:iam::123456789012:role/r";
const DEF: &str = r#"{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}"#;

#[test]
fn control_endpoints_and_hostile_requests() {
    let s = common::start(&[]);
    let (st, body) = common::request(&s.addr, "GET", "/_asl/health", None, b"");
    assert_eq!((st, body.as_str()), (200, r#"{"status":"ok"}"#));
    let (st, body) = common::request(&s.addr, "GET", "/_asl/clock", None, b"");
    assert_eq!(st, 200);
    let clock: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(clock["iso"], "2024-01-01T00:00:00.000Z", "{clock}");
    let (st, body) = common::request(
        &s.addr,
        "POST",
        "/_asl/clock/advance",
        None,
        br#"{"seconds": 3600}"#,
    );
    assert_eq!(st, 200, "{body}");
    assert!(body.contains("2024-01-01T01:00:00"), "{body}");
    let (st, _) = common::request(
        &s.addr,
        "POST",
        "/_asl/clock/advance",
        None,
        br#"{"seconds": -1}"#,
    );
    assert_eq!(st, 400);
    let hostile: Vec<Vec<u8>> = vec![
        b"\xff\xfe\xfd".to_vec(),
        "[".repeat(100_000).into_bytes(),
        "{\"a\":".repeat(100_000).into_bytes(),
        b"{\"name\": 1e999999}".to_vec(),
        b"null".to_vec(),
        b"{\"name\": \"\\ud800\"}".to_vec(),
        b"{\"maxResults\": 18446744073709551616}".to_vec(),
        b"{\"maxResults\": -9223372036854775808}".to_vec(),
        b"{\"tags\": [null, {}, {\"key\": null}]}".to_vec(),
    ];
    for op in [
        "CreateActivity",
        "ListExecutions",
        "StartExecution",
        "GetExecutionHistory",
        "TagResource",
        "CreateStateMachine",
    ] {
        for b in &hostile {
            let (st, body) = common::request(&s.addr, "POST", "/", Some(op), b);
            assert_eq!(st, 400, "{op} {body}");
            assert!(body.contains("\"__type\""), "{op} {body}");
        }
    }
    let big = vec![b'x'; 3 * 1024 * 1024];
    let (st, body) = common::request(&s.addr, "POST", "/", Some("CreateActivity"), &big);
    assert_eq!(st, 413, "{body}");
    assert!(body.contains("larger than the limit"), "{body}");
    let (st, body) = common::request(
        &s.addr,
        "POST",
        "/",
        Some("PublishStateMachineVersion"),
        b"{}",
    );
    assert_eq!(st, 400);
    assert!(body.contains("UnknownOperationException"), "{body}");
    let (st, _) = common::request(&s.addr, "GET", "/", None, b"");
    assert!(st == 405 || st == 404, "{st}");
    let (st, _) = common::request(&s.addr, "GET", "/_asl/health", None, b"");
    assert_eq!(st, 200, "still alive");
}

#[test]
fn verbose_logs_one_line_per_request() {
    use std::io::{BufRead, BufReader};
    let mut s = common::start(&["-v"]);
    common::call(&s.addr, "ListStateMachines", &json!({}));
    common::call(&s.addr, "DescribeActivity", &json!({"activityArn": "x"}));
    let stderr = s.child.stderr.take().unwrap();
    let mut lines = BufReader::new(stderr).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    assert!(
        first.starts_with("POST / AWSStepFunctions.ListStateMachines 200 "),
        "{first}"
    );
    assert!(
        second.starts_with("POST / AWSStepFunctions.DescribeActivity InvalidArn "),
        "{second}"
    );
}

#[test]
fn state_file_survives_restart_and_corruption_is_reported() {
    let dir = std::env::temp_dir().join(format!("asl-sim-state-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.json");
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let exec_arn;
    {
        let s = common::start(&["--state-file", path]);
        let (st, sm) = common::call(
            &s.addr,
            "CreateStateMachine",
            &json!({"name": "keep", "definition": DEF, "roleArn": ROLE}),
        );
        assert_eq!(st, 200, "{sm}");
        let (_, act) = common::call(&s.addr, "CreateActivity", &json!({"name": "keepact"}));
        assert!(act["activityArn"].is_string());
        let (_, e) = common::call(
            &s.addr,
            "StartExecution",
            &json!({"stateMachineArn": sm["stateMachineArn"], "name": "e1", "input": "{\"k\":1}"}),
        );
        exec_arn = e["executionArn"].as_str().unwrap().to_owned();
    }
    {
        let s = common::start(&["--state-file", path]);
        let (st, d) = common::call(
            &s.addr,
            "DescribeExecution",
            &json!({"executionArn": exec_arn}),
        );
        assert_eq!(st, 200, "{d}");
        assert_eq!(d["status"], "SUCCEEDED");
        let (_, h) = common::call(
            &s.addr,
            "GetExecutionHistory",
            &json!({"executionArn": exec_arn}),
        );
        assert_eq!(h["events"].as_array().unwrap().len(), 4, "{h}");
        let (_, l) = common::call(&s.addr, "ListActivities", &json!({}));
        assert_eq!(l["activities"][0]["name"], "keepact");
        let (st, e) = common::call(
            &s.addr,
            "StartExecution",
            &json!({"stateMachineArn": "arn:aws:states:us-east-1:123456789012:stateMachine:keep", "name": "e1", "input": "{\"k\":1}"}),
        );
        assert_eq!(
            (st, e["__type"].as_str()),
            (400, Some("ExecutionAlreadyExists"))
        );
    }
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, text.replace("keepact", "keepacx")).unwrap();
    let (code, stderr) = common::start_failing(&["--state-file", path]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("is corrupt") && stderr.contains("checksum"),
        "{stderr}"
    );
    std::fs::write(&file, &text[..text.len() / 2]).unwrap();
    let (code, stderr) = common::start_failing(&["--state-file", path]);
    assert_eq!(code, 2);
    assert!(stderr.contains("is corrupt"), "{stderr}");
    let _ = std::fs::remove_dir_all(&dir);
}
