//! Virtual task durations, task and heartbeat timeouts, and the execution
//! timeout, with every timestamp asserted (ms since the virtual start):
//! the event families, TimeoutSecondsPath and JSONata, Retry/Catch of a
//! timeout, back-off and nested states crossing the execution's deadline,
//! and saturation of huge values.

use super::*;
use crate::clock::{DEFAULT_START, MAX_TIME};
use crate::resolver::{Invocation, TaskAnswer, TaskResolver, TaskTiming};
use serde_json::{json, Value};

/// Answers in order, each with its timing.
struct Script(Vec<TaskAnswer>, Vec<TaskTiming>, TaskTiming);
impl TaskResolver for Script {
    fn resolve(&mut self, _inv: &Invocation<'_>) -> Option<TaskAnswer> {
        if self.0.is_empty() {
            return None;
        }
        self.2 = self.1.remove(0);
        Some(self.0.remove(0))
    }

    fn timing(&mut self, _inv: &Invocation<'_>) -> TaskTiming {
        std::mem::take(&mut self.2)
    }
}

trait Timed {
    fn with_timing(self, after: u64, heartbeats: Vec<u64>) -> (TaskAnswer, TaskTiming);
}

impl Timed for TaskAnswer {
    fn with_timing(self, after: u64, heartbeats: Vec<u64>) -> (TaskAnswer, TaskTiming) {
        (self, TaskTiming { after, heartbeats })
    }
}

fn script(answers: Vec<(TaskAnswer, TaskTiming)>) -> Script {
    let (a, t) = answers.into_iter().unzip();
    Script(a, t, TaskTiming::default())
}

fn ok(v: Value) -> TaskAnswer {
    TaskAnswer::Succeeded {
        output: v,
        submitted_output: None,
    }
}

fn run(def: &str, answers: Vec<(TaskAnswer, TaskTiming)>) -> ExecutionResult {
    execute(def, "{}", &ExecutionConfig::default(), &mut script(answers)).unwrap()
}

/// `(type, ms since start)` per event.
fn timeline(r: &ExecutionResult) -> Vec<(&'static str, i64)> {
    r.history
        .iter()
        .map(|e| (e.event_type(), e.timestamp - DEFAULT_START))
        .collect()
}

fn task(resource: &str, extra: &str) -> String {
    format!(
        r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{resource}"{extra},"End":true}}}}}}"#
    )
}

const INVOKE: &str = "arn:aws:states:::lambda:invoke";
const CALLBACK: &str = "arn:aws:states:::sqs:sendMessage.waitForTaskToken";
const ACTIVITY: &str = "arn:aws:states:us-east-1:123456789012:activity:work";
const LAMBDA: &str = "arn:aws:lambda:us-east-1:123456789012:function:f";

#[test]
fn duration_moves_the_clock() {
    let r = run(
        &task(INVOKE, ""),
        vec![ok(json!({"Payload": 1})).with_timing(2_000, vec![])],
    );
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(
        timeline(&r),
        vec![
            ("ExecutionStarted", 0),
            ("TaskStateEntered", 0),
            ("TaskScheduled", 0),
            ("TaskStarted", 0),
            ("TaskSucceeded", 2_000),
            ("TaskStateExited", 2_000),
            ("ExecutionSucceeded", 2_000),
        ]
    );
}

#[test]
fn after_reaching_timeout_times_out_at_the_timeout() {
    for after in [10_000, 36 * 3_600_000] {
        let r = run(
            &task(INVOKE, r#","TimeoutSeconds":10"#),
            vec![ok(json!(1)).with_timing(after, vec![])],
        );
        assert_eq!(
            (r.status, r.error.as_deref(), r.cause.as_deref()),
            (ExecutionStatus::Failed, Some("States.Timeout"), None)
        );
        let t = timeline(&r);
        assert_eq!(t[4], ("TaskTimedOut", 10_000));
        assert_eq!(t[5], ("ExecutionFailed", 10_000));
        let json = r.history[4].to_wire();
        assert_eq!(
            json["taskTimedOutEventDetails"],
            json!({"resourceType": "lambda", "resource": "invoke", "error": "States.Timeout"})
        );
    }
    // Just under the timeout succeeds.
    let r = run(
        &task(INVOKE, r#","TimeoutSeconds":10"#),
        vec![ok(json!(1)).with_timing(9_999, vec![])],
    );
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(timeline(&r)[4], ("TaskSucceeded", 9_999));
}

#[test]
fn timeout_seconds_path_and_lambda_family() {
    let def = format!(
        r#"{{"StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{LAMBDA}","TimeoutSecondsPath":"$.t","End":true}}}}}}"#
    );
    let mut s = script(vec![ok(json!(1)).with_timing(5_000, vec![])]);
    let r = execute(&def, r#"{"t":3}"#, &ExecutionConfig::default(), &mut s).unwrap();
    assert_eq!(timeline(&r)[4], ("LambdaFunctionTimedOut", 3_000));
    assert_eq!(
        r.history[4].to_wire()["lambdaFunctionTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
}

#[test]
fn jsonata_timeout_seconds() {
    let def = format!(
        r#"{{"QueryLanguage":"JSONata","StartAt":"T","States":{{"T":{{"Type":"Task","Resource":"{INVOKE}","TimeoutSeconds":"{{% 1 + 1 %}}","End":true}}}}}}"#
    );
    let r = run(&def, vec![ok(json!(1)).with_timing(60_000, vec![])]);
    assert_eq!(timeline(&r)[4], ("TaskTimedOut", 2_000));
}

#[test]
fn timeout_is_retried_and_caught() {
    let def = task(
        INVOKE,
        r#","TimeoutSeconds":5,
        "Retry":[{"ErrorEquals":["States.Timeout"],"IntervalSeconds":1,"MaxAttempts":1}],
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}]"#,
    )
    .replace(
        r#","End":true}}}"#,
        r#","End":true},"C":{"Type":"Pass","End":true}}}"#,
    );
    let slow = || ok(json!(1)).with_timing(60_000, vec![]);
    let r = run(&def, vec![slow(), slow()]);
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(
        r.output.as_deref(),
        Some(r#"{"Error":"States.Timeout","Cause":""}"#)
    );
    assert_eq!(
        timeline(&r)[2..],
        [
            ("TaskScheduled", 0),
            ("TaskStarted", 0),
            ("TaskTimedOut", 5_000),
            ("TaskScheduled", 6_000),
            ("TaskStarted", 6_000),
            ("TaskTimedOut", 11_000),
            ("TaskStateExited", 11_000),
            ("PassStateEntered", 11_000),
            ("PassStateExited", 11_000),
            ("ExecutionSucceeded", 11_000),
        ]
    );
}

#[test]
fn missed_heartbeat_times_out_callback_after_submitted() {
    let def = task(CALLBACK, r#","HeartbeatSeconds":10"#);
    // Heartbeats at 8 s and 16 s keep it alive; the gap 16 s → 40 s misses.
    let r = run(
        &def,
        vec![ok(json!(1)).with_timing(40_000, vec![8_000, 16_000])],
    );
    assert_eq!(
        timeline(&r)[3..],
        [
            ("TaskStarted", 0),
            ("TaskSubmitted", 0),
            ("TaskTimedOut", 26_000),
            ("ExecutionFailed", 26_000),
        ]
    );
    assert_eq!(r.error.as_deref(), Some("States.Timeout"));
    // Heartbeats every ≤ 10 s up to completion: success, no heartbeat events.
    let r = run(
        &def,
        vec![ok(json!(1)).with_timing(25_000, vec![10_000, 20_000])],
    );
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(timeline(&r)[5], ("TaskSucceeded", 25_000));
    assert_eq!(r.history.len(), 8);
}

#[test]
fn activity_heartbeat_from_activity_started() {
    let def = task(ACTIVITY, r#","HeartbeatSeconds":5,"TimeoutSeconds":100"#);
    let r = run(&def, vec![ok(json!(1)).with_timing(30_000, vec![])]);
    assert_eq!(
        timeline(&r)[3..],
        [
            ("ActivityStarted", 0),
            ("ActivityTimedOut", 5_000),
            ("ExecutionFailed", 5_000)
        ]
    );
    assert_eq!(
        r.history[4].to_wire()["activityTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
}

#[test]
fn failure_after_a_duration_keeps_its_error() {
    let r = run(
        &task(INVOKE, ""),
        vec![TaskAnswer::Failed {
            error: Some("E".into()),
            cause: None,
        }
        .with_timing(1_500, vec![])],
    );
    assert_eq!(timeline(&r)[4], ("TaskFailed", 1_500));
    assert_eq!(r.error.as_deref(), Some("E"));
}

#[test]
fn execution_timeout_during_wait() {
    let def = r#"{"TimeoutSeconds":5,"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":60,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#;
    let r = run(def, vec![]);
    assert_eq!(
        (
            r.status,
            r.error.as_deref(),
            r.cause.as_deref(),
            r.output.as_deref()
        ),
        (
            ExecutionStatus::TimedOut,
            Some("States.Timeout"),
            None,
            None
        )
    );
    assert_eq!(
        timeline(&r),
        vec![
            ("ExecutionStarted", 0),
            ("WaitStateEntered", 0),
            ("ExecutionTimedOut", 5_000)
        ]
    );
    let last = r.history.last().unwrap();
    assert_eq!(last.previous_event_id, 2);
    assert_eq!(
        last.to_wire()["executionTimedOutEventDetails"],
        json!({"error": "States.Timeout"})
    );
    // A Wait that ends before the deadline is not affected.
    let def = def.replace("\"Seconds\":60", "\"Seconds\":4");
    assert_eq!(run(&def, vec![]).status, ExecutionStatus::Succeeded);
}

#[test]
fn execution_timeout_during_task_and_backoff() {
    // The task would time out only at 100 s; the execution ends at 30 s.
    let def = task(INVOKE, r#","TimeoutSeconds":100"#).replacen('{', r#"{"TimeoutSeconds":30,"#, 1);
    let r = run(&def, vec![ok(json!(1)).with_timing(50_000, vec![])]);
    assert_eq!(r.status, ExecutionStatus::TimedOut);
    assert_eq!(
        timeline(&r)[3..],
        [("TaskStarted", 0), ("ExecutionTimedOut", 30_000)]
    );
    // Retry back-off crossing the deadline.
    let def = task(
        INVOKE,
        r#","Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":20,"MaxAttempts":3}]"#,
    )
    .replacen('{', r#"{"TimeoutSeconds":30,"#, 1);
    let fail = || TaskAnswer::Failed {
        error: Some("E".into()),
        cause: None,
    };
    let r = run(
        &def,
        vec![fail(), fail(), fail()]
            .into_iter()
            .map(|a| a.with_timing(0, vec![]))
            .collect(),
    );
    assert_eq!(r.status, ExecutionStatus::TimedOut);
    assert_eq!(
        timeline(&r)[2..],
        [
            ("TaskScheduled", 0),
            ("TaskStarted", 0),
            ("TaskFailed", 0),
            ("TaskScheduled", 20_000),
            ("TaskStarted", 20_000),
            ("TaskFailed", 20_000),
            ("ExecutionTimedOut", 30_000),
        ]
    );
}

#[test]
fn execution_timeout_inside_map_and_parallel_records_no_state_events() {
    let def = r#"{"TimeoutSeconds":1,"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}],
        "Branches":[{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
            "ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"End":true}}}}}}]},
        "X":{"Type":"Pass","End":true}}}"#;
    let mut s = script(vec![]);
    let r = execute(def, "[1,2]", &ExecutionConfig::default(), &mut s).unwrap();
    assert_eq!(r.status, ExecutionStatus::TimedOut);
    assert_eq!(
        timeline(&r)[r.history.len() - 2..],
        [("WaitStateEntered", 0), ("ExecutionTimedOut", 1_000)]
    );
}

#[test]
fn huge_values_saturate() {
    let t = |after: u64, beats: Vec<u64>| TaskTiming {
        after,
        heartbeats: beats,
    };
    assert_eq!(
        t(u64::MAX, vec![]).timeout_at(99_999_999, None),
        Some(99_999_999_000)
    );
    assert_eq!(t(u64::MAX - 1, vec![]).timeout_at(u64::MAX, None), None);
    assert_eq!(
        t(u64::MAX, vec![u64::MAX - 1]).timeout_at(99_999_999, Some(u64::MAX)),
        Some(99_999_999_000)
    );
    // Unsorted heartbeats are taken in time order.
    assert_eq!(t(30, vec![20, 10]).timeout_at(99, Some(10)), None);
    // A huge execution timeout and a huge duration: no overflow, no panic.
    let def = task(INVOKE, r#","TimeoutSeconds":99999999"#).replacen(
        '{',
        r#"{"TimeoutSeconds":18446744073709551615,"#,
        1,
    );
    let r = run(
        &def,
        vec![ok(json!(1)).with_timing(u64::MAX, vec![u64::MAX])],
    );
    assert_eq!(r.status, ExecutionStatus::Failed);
    assert_eq!(timeline(&r)[4], ("TaskTimedOut", 99_999_999_000));
    // An untimed-out huge duration saturates at the latest instant.
    let r = run(
        &task(INVOKE, ""),
        vec![ok(json!(1)).with_timing(u64::MAX, vec![])],
    );
    assert_eq!(r.status, ExecutionStatus::Failed);
    assert_eq!(timeline(&r)[4], ("TaskTimedOut", 99_999_999_000));
    // An execution deadline beyond the representable range never fires.
    let def = r#"{"TimeoutSeconds":18446744073709551615,"StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":99999999,"End":true}}}"#;
    let r = run(def, vec![]);
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert!(r.history.last().unwrap().timestamp <= MAX_TIME);
}
