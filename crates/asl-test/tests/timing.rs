//! Virtual task durations from mocks (`after`, `heartbeats`) replayed by the
//! engine: a slow mock timing out a Task with TimeoutSeconds, a missed
//! heartbeat, and an execution TimeoutSeconds ending TIMED_OUT; snapshots
//! show the durations in their timestamps.

mod common;
use common::*;

const TIMED: &str = r#"{"StartAt": "Charge", "States": {
  "Charge": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
             "Parameters": {"FunctionName": "charge"}, "TimeoutSeconds": 10,
             "Catch": [{"ErrorEquals": ["States.Timeout"], "Next": "TooSlow"}],
             "Next": "Ship"},
  "TooSlow": {"Type": "Fail", "Error": "TooSlow"},
  "Ship": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken",
           "Parameters": {"QueueUrl": "q", "MessageBody": {"token.$": "$$.Task.Token"}},
           "HeartbeatSeconds": 60, "End": true}
}}"#;

fn scenario_file(scenarios: &str) -> String {
    format!("definition: m.asl.json\nscenarios:\n{scenarios}")
}

#[test]
fn slow_mock_missed_heartbeat_and_execution_timeout() {
    let d = TempDir::new("timing-engine");
    d.write("m.asl.json", TIMED);
    d.write(
        "limited.asl.json",
        &TIMED.replacen('{', "{\"TimeoutSeconds\": 100, ", 1),
    );
    d.write(
        "t.scenario.yaml",
        &scenario_file(
            r#"  - name: slow charge times out
    mocks:
      Charge: [{return: {Payload: 1}, after: 10s}]
    expect: {status: FAILED, error: TooSlow, path: [Charge, TooSlow]}
  - name: charge just in time, heartbeats keep shipping alive
    mocks:
      Charge: [{return: {Payload: 1}, after: 9999ms}]
      Ship: [{return: {shipped: true}, after: 2m, heartbeats: [50s, 100s]}]
    expect: {output: {shipped: true}}
  - name: missed heartbeat
    mocks:
      Charge: [{return: {Payload: 1}}]
      Ship: [{return: {shipped: true}, after: 3m, heartbeats: [30s]}]
    expect: {status: FAILED, error: States.Timeout}
"#,
        ),
    );
    d.write(
        "x.scenario.yaml",
        "definition: limited.asl.json\nscenarios:\n  - name: shipping outlasts the execution\n    mocks:\n      Charge: [{return: {Payload: 1}}]\n      Ship: [{return: {shipped: true}, after: 2m, heartbeats: [50s, 100s]}]\n    expect: {status: FAILED, error: States.Timeout}\n    snapshot: false\n",
    );
    // Accept snapshots first, then read the timestamps they recorded.
    let o = run(d.path(), Ci::Unset, &["--accept"]);
    let out = stdout(&o);
    assert_eq!(o.status.code(), Some(1), "{out}");
    assert!(
        out.contains("FAIL x.scenario.yaml::shipping outlasts the execution"),
        "{out}"
    );
    assert!(out.contains("TIMED_OUT"), "{out}");
    for name in [
        "slow charge times out",
        "charge just in time, heartbeats keep shipping alive",
        "missed heartbeat",
    ] {
        assert!(
            out.contains(&format!("PASS t.scenario.yaml::{name}")),
            "{out}"
        );
    }
    let slow = d.read("__snapshots__/t__slow-charge-times-out.snap");
    assert!(
        slow.contains("type: TaskTimedOut\n  timestamp: +10.000s"),
        "{slow}"
    );
    let ok = d.read("__snapshots__/t__charge-just-in-time-heartbeats-keep-shipping-alive.snap");
    assert!(
        ok.contains("type: TaskSucceeded\n  timestamp: +9.999s"),
        "{ok}"
    );
    assert!(
        ok.contains("type: TaskSucceeded\n  timestamp: +129.999s"),
        "{ok}"
    );
    let missed = d.read("__snapshots__/t__missed-heartbeat.snap");
    assert!(
        missed.contains("type: TaskTimedOut\n  timestamp: +90.000s"),
        "{missed}"
    );

    // The execution timeout, expected correctly.
    d.write(
        "x.scenario.yaml",
        "definition: limited.asl.json\nscenarios:\n  - name: shipping outlasts the execution\n    mocks:\n      Charge: [{return: {Payload: 1}}]\n      Ship: [{return: {shipped: true}, after: 2m, heartbeats: [50s, 100s]}]\n    expect: {status: TIMED_OUT, error: States.Timeout}\n    snapshot: true\n",
    );
    let o = run(d.path(), Ci::Unset, &["--accept"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    let snap = d.read("__snapshots__/x__shipping-outlasts-the-execution.snap");
    assert!(
        snap.contains("type: ExecutionTimedOut\n  timestamp: +100.000s"),
        "{snap}"
    );
    assert!(!snap.contains("TaskTimedOut"), "{snap}");
    let o = run(d.path(), Ci::Set("true"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
}
