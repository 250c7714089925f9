//! The steppable API: callbacks completed later, activities handed to a
//! worker, heartbeat and execution timeouts while an outside actor holds
//! the clock, StopExecution, and the breadth-first order of concurrent
//! Map iterations.

use super::*;
use crate::clock::DEFAULT_START;
use crate::resolver::{AllPending, Invocation, TaskAnswer, TaskResolver, TaskTiming};
use serde_json::json;

fn types(h: &[HistoryEvent]) -> Vec<(u64, u64, &'static str)> {
    h.iter()
        .map(|e| (e.id, e.previous_event_id, e.event_type()))
        .collect()
}

fn start(def: &str) -> Execution<'static> {
    Execution::start(def, "{}", ExecutionConfig::default(), Box::new(AllPending)).unwrap()
}

const CALLBACK: &str = r#"{"StartAt":"T","States":{"T":{"Type":"Task",
    "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
    "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
    "HeartbeatSeconds":60,"TimeoutSeconds":600,"End":true}}}"#;

fn only_token(b: &Blocked) -> String {
    match b {
        Blocked::AwaitingOutside { tokens, .. } if tokens.len() == 1 => tokens[0].token.clone(),
        other => panic!("expected one open token: {other:?}"),
    }
}

#[test]
fn a_callback_completed_later() {
    let mut ex = start(CALLBACK);
    let b = ex.run_until_blocked().unwrap();
    let token = only_token(&b);
    assert_eq!(ex.status(), ExecutionStatus::Running);
    // The token in the parameters is the one handed out.
    let scheduled = ex.history()[2].to_wire();
    assert!(scheduled["taskScheduledEventDetails"]["parameters"]
        .as_str()
        .unwrap()
        .contains(&token));
    // 50 s of real time with a heartbeat at 30 s: still open.
    ex.advance_clock_by(30_000).unwrap();
    ex.heartbeat(&token).unwrap();
    let b = ex.advance_clock_by(50_000).unwrap();
    assert_eq!(only_token(&b), token);
    ex.complete_token(&token, Ok(json!({"approved": true})))
        .unwrap();
    let Blocked::Done(r) = ex.run_until_blocked().unwrap() else {
        panic!("not done")
    };
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(r.output.as_deref(), Some(r#"{"approved":true}"#));
    assert_eq!(
        types(&r.history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "TaskScheduled"),
            (4, 3, "TaskStarted"),
            (5, 4, "TaskSubmitted"),
            (6, 5, "TaskSucceeded"),
            (7, 6, "TaskStateExited"),
            (8, 7, "ExecutionSucceeded"),
        ]
    );
    assert_eq!(r.history[5].timestamp - DEFAULT_START, 80_000);
    // The token is closed now.
    assert_eq!(
        ex.complete_token(&token, Ok(json!(1))),
        Err(TokenError::Closed)
    );
    assert_eq!(ex.heartbeat("nope"), Err(TokenError::Unknown));
}

#[test]
fn a_callback_failure_is_caught() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},
        "Catch":[{"ErrorEquals":["States.ALL"],"Next":"D"}],"End":true},
        "D":{"Type":"Pass","End":true}}}"#;
    let mut ex = start(def);
    let token = only_token(&ex.run_until_blocked().unwrap());
    ex.complete_token(&token, Err((Some("Nope".into()), None)))
        .unwrap();
    let Blocked::Done(r) = ex.run_until_blocked().unwrap() else {
        panic!()
    };
    assert_eq!(r.output.as_deref(), Some(r#"{"Error":"Nope","Cause":""}"#));
    assert_eq!(r.history[5].event_type(), "TaskFailed");
}

#[test]
fn a_missed_heartbeat_times_the_callback_out() {
    let mut ex = start(CALLBACK);
    let token = only_token(&ex.run_until_blocked().unwrap());
    assert_eq!(ex.next_timer(), Some(DEFAULT_START + 60_000));
    let Blocked::Done(r) = ex.advance_clock_by(61_000).unwrap() else {
        panic!("not done")
    };
    assert_eq!(
        (r.status, r.error.as_deref()),
        (ExecutionStatus::Failed, Some("States.Timeout"))
    );
    let timed_out = &r.history[5];
    assert_eq!(timed_out.event_type(), "TaskTimedOut");
    assert_eq!(timed_out.timestamp - DEFAULT_START, 60_000);
    assert_eq!(ex.heartbeat(&token), Err(TokenError::Closed));
}

const ACTIVITY: &str = "arn:aws:states:us-east-1:123456789012:activity:work";

#[test]
fn an_activity_is_handed_to_a_worker_and_completed() {
    let def = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{ACTIVITY}",
        "HeartbeatSeconds":10,"End":true}}}}}}"#
    );
    let mut ex = start(&def);
    let b = ex.run_until_blocked().unwrap();
    let Blocked::AwaitingOutside {
        tokens, activities, ..
    } = b
    else {
        panic!("{b:?}")
    };
    assert!(tokens.is_empty());
    assert_eq!(activities.len(), 1);
    assert_eq!(activities[0].activity, ACTIVITY);
    // No clock runs before a worker takes it.
    assert_eq!(ex.next_timer(), None);
    ex.advance_clock_by(5_000).unwrap();
    assert!(ex.start_activity("arn:other", Some("w")).is_none());
    let h = ex.start_activity(ACTIVITY, Some("worker-1")).unwrap();
    assert_eq!(h.input, "{}");
    assert!(ex.activity_tasks().is_empty());
    ex.advance_clock_by(8_000).unwrap();
    ex.heartbeat(&h.token).unwrap();
    ex.advance_clock_by(8_000).unwrap();
    ex.complete_token(&h.token, Ok(json!({"done": 1}))).unwrap();
    let Blocked::Done(r) = ex.run_until_blocked().unwrap() else {
        panic!()
    };
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(
        types(&r.history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "ActivityScheduled"),
            (4, 3, "ActivityStarted"),
            (5, 4, "ActivitySucceeded"),
            (6, 5, "TaskStateExited"),
            (7, 6, "ExecutionSucceeded"),
        ]
    );
    assert_eq!(
        r.history[3].to_wire()["activityStartedEventDetails"],
        json!({"workerName": "worker-1"})
    );
    assert_eq!(r.history[3].timestamp - DEFAULT_START, 5_000);
    assert_eq!(r.history[4].timestamp - DEFAULT_START, 21_000);
}

#[test]
fn an_activity_worker_that_goes_quiet_times_out() {
    let def = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{ACTIVITY}",
        "TimeoutSeconds":5,"End":true}}}}}}"#
    );
    let mut ex = start(&def);
    ex.run_until_blocked().unwrap();
    ex.start_activity(ACTIVITY, None).unwrap();
    let Blocked::Done(r) = ex.advance_clock_by(60_000).unwrap() else {
        panic!()
    };
    assert_eq!(
        types(&r.history)[3..],
        [
            (4, 3, "ActivityStarted"),
            (5, 4, "ActivityTimedOut"),
            (6, 5, "ExecutionFailed")
        ]
    );
    assert_eq!(r.history[4].timestamp - DEFAULT_START, 5_000);
    assert_eq!(
        r.history[3].to_wire()["activityStartedEventDetails"],
        json!({})
    );
}

#[test]
fn the_execution_timeout_fires_while_a_token_is_open() {
    let def = r#"{"TimeoutSeconds":30,"StartAt":"T","States":{"T":{"Type":"Task",
        "Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken",
        "Parameters":{"QueueUrl":"q","MessageBody":{"token.$":"$$.Task.Token"}},"End":true}}}"#;
    let mut ex = start(def);
    let token = only_token(&ex.run_until_blocked().unwrap());
    let Blocked::Done(r) = ex.advance_clock_by(45_000).unwrap() else {
        panic!()
    };
    assert_eq!(r.status, ExecutionStatus::TimedOut);
    let last = r.history.last().unwrap();
    assert_eq!(
        (last.event_type(), last.previous_event_id),
        ("ExecutionTimedOut", 5)
    );
    assert_eq!(last.timestamp - DEFAULT_START, 30_000);
    assert_eq!(
        ex.complete_token(&token, Ok(json!(1))),
        Err(TokenError::Closed)
    );
}

#[test]
fn stop_aborts_a_wait_without_state_events() {
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"Next":"P"},"P":{"Type":"Pass","End":true}}}"#;
    let mut ex = start(def);
    assert_eq!(
        ex.run_until_blocked().unwrap(),
        Blocked::NextTimer(DEFAULT_START + 60_000)
    );
    ex.advance_clock_by(10_000).unwrap();
    assert!(ex.stop(None, None));
    assert!(!ex.stop(None, None));
    assert_eq!(ex.status(), ExecutionStatus::Aborted);
    assert_eq!(
        types(ex.history()),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "WaitStateEntered"),
            (3, 0, "ExecutionAborted"),
        ]
    );
    assert_eq!(
        ex.history()[2].to_wire()["executionAbortedEventDetails"],
        json!({})
    );
    assert!(matches!(ex.run_until_blocked().unwrap(), Blocked::Done(_)));
    assert_eq!(ex.next_timer(), None);
}

/// Every invocation times out after `TimeoutSeconds`.
struct Slow;
impl TaskResolver for Slow {
    fn resolve(&mut self, _inv: &Invocation<'_>) -> Option<TaskAnswer> {
        Some(TaskAnswer::Succeeded {
            output: json!(1),
            submitted_output: None,
        })
    }
    fn timing(&mut self, _inv: &Invocation<'_>) -> TaskTiming {
        TaskTiming {
            after: 60_000,
            heartbeats: vec![],
        }
    }
}

#[test]
fn concurrent_iterations_go_breadth_first_and_siblings_are_aborted() {
    // As recorded in timeouts/TestTimeouts__test_service_lambda_map_timeout
    // (except that simultaneous timeouts fire in index order).
    let def = r#"{"StartAt":"M","States":{"M":{"Type":"Map","End":true,
        "ItemProcessor":{"StartAt":"L","States":{"L":{"Type":"Task",
        "Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":5,"End":true}}}}}}"#;
    let r = execute(def, "[1,2,3]", &ExecutionConfig::default(), &mut Slow).unwrap();
    assert_eq!(
        types(&r.history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 3, "MapIterationStarted"),
            (6, 3, "MapIterationStarted"),
            (7, 4, "TaskStateEntered"),
            (8, 7, "TaskScheduled"),
            (9, 5, "TaskStateEntered"),
            (10, 9, "TaskScheduled"),
            (11, 6, "TaskStateEntered"),
            (12, 11, "TaskScheduled"),
            (13, 8, "TaskStarted"),
            (14, 10, "TaskStarted"),
            (15, 12, "TaskStarted"),
            (16, 13, "TaskTimedOut"),
            (17, 14, "TaskTimedOut"),
            (18, 15, "TaskTimedOut"),
            (19, 16, "MapIterationFailed"),
            (20, 16, "TaskStateAborted"),
            (21, 16, "MapIterationAborted"),
            (22, 16, "TaskStateAborted"),
            (23, 16, "MapIterationAborted"),
            (24, 16, "TaskStateAborted"),
            (25, 16, "MapStateFailed"),
            (26, 25, "ExecutionFailed"),
        ]
    );
    assert_eq!(r.history[15].timestamp - DEFAULT_START, 5_000);
    // MaxConcurrency 1 stays depth-first.
    let serial = def.replace(r#""End":true,"#, r#""End":true,"MaxConcurrency":1,"#);
    let r = execute(&serial, "[1,2]", &ExecutionConfig::default(), &mut Slow).unwrap();
    let t: Vec<&str> = r.history.iter().map(|e| e.event_type()).collect();
    assert_eq!(
        t[3..9],
        [
            "MapIterationStarted",
            "TaskStateEntered",
            "TaskScheduled",
            "TaskStarted",
            "TaskTimedOut",
            "MapIterationFailed"
        ]
    );
}

/// A branch that has not run yet when a sibling fails records nothing.
#[test]
fn a_parallel_branch_failure_aborts_its_running_siblings() {
    let def = r#"{"StartAt":"P","States":{"P":{"Type":"Parallel","End":true,"Branches":[
        {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"End":true}}},
        {"StartAt":"F","States":{"F":{"Type":"Fail","Error":"E"}}}]}}}"#;
    let r = execute(def, "{}", &ExecutionConfig::default(), &mut AllPending).unwrap();
    assert_eq!(
        types(&r.history),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "ParallelStateEntered"),
            (3, 2, "ParallelStateStarted"),
            (4, 3, "WaitStateEntered"),
            (5, 3, "FailStateEntered"),
            (6, 5, "WaitStateAborted"),
            (7, 5, "ParallelStateFailed"),
            (8, 7, "ExecutionFailed"),
        ]
    );
}

#[test]
fn run_to_completion_times_out_pending_tasks_and_fails_unclaimed_activities() {
    let r = execute(CALLBACK, "{}", &ExecutionConfig::default(), &mut AllPending).unwrap();
    assert_eq!(r.error.as_deref(), Some("States.Timeout"));
    assert_eq!(r.history.last().unwrap().timestamp - DEFAULT_START, 60_000);
    let def = format!(
        r#"{{"StartAt":"A","States":{{"A":{{"Type":"Task","Resource":"{ACTIVITY}","End":true}}}}}}"#
    );
    let r = execute(&def, "{}", &ExecutionConfig::default(), &mut AllPending).unwrap();
    assert_eq!(r.error.as_deref(), Some("AslSim.NoMockedResponse"));
}
