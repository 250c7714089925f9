use super::*;
use crate::resolver::{Invocation, NoAnswers, TaskAnswer};
use serde_json::json;

fn types(r: &ExecutionResult) -> Vec<(u64, u64, &'static str)> {
    r.history
        .iter()
        .map(|e| (e.id, e.previous_event_id, e.event_type()))
        .collect()
}

#[test]
fn pass_chain_links_events_like_aws() {
    let def = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"x":1},"Next":"B"},"B":{"Type":"Succeed"}}}"#;
    let r = execute(def, "{}", &ExecutionConfig::default(), &mut NoAnswers).unwrap();
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(r.output.as_deref(), Some(r#"{"x":1}"#));
    assert_eq!(
        types(&r),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "PassStateEntered"),
            (3, 2, "PassStateExited"),
            (4, 3, "SucceedStateEntered"),
            (5, 4, "SucceedStateExited"),
            (6, 5, "ExecutionSucceeded"),
        ]
    );
}

#[test]
fn fail_state_and_wait_advance_virtual_time() {
    let def = r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":31536000,"Next":"F"},
        "F":{"Type":"Fail","Error":"E","Cause":"C"}}}"#;
    let r = execute(def, "{}", &ExecutionConfig::default(), &mut NoAnswers).unwrap();
    assert_eq!(
        (r.status, r.error.as_deref(), r.cause.as_deref()),
        (ExecutionStatus::Failed, Some("E"), Some("C"))
    );
    assert_eq!(types(&r).last(), Some(&(5, 4, "ExecutionFailed")));
    let last = r.history.last().unwrap();
    assert_eq!(last.timestamp, crate::clock::DEFAULT_START + 31_536_000_000);
}

struct Script(Vec<TaskAnswer>);
impl crate::resolver::TaskResolver for Script {
    fn resolve(&mut self, _inv: &Invocation<'_>) -> Option<TaskAnswer> {
        if self.0.is_empty() {
            None
        } else {
            Some(self.0.remove(0))
        }
    }
}

#[test]
fn task_retry_then_catch() {
    let def = r#"{"StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"f"},
             "Retry":[{"ErrorEquals":["Boom"],"MaxAttempts":1}],
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Done"}],"End":true},
        "Done":{"Type":"Pass","End":true}}}"#;
    let boom = || TaskAnswer::Failed {
        error: Some("Boom".into()),
        cause: Some("c".into()),
    };
    let mut script = Script(vec![boom(), boom()]);
    let r = execute(def, "{}", &ExecutionConfig::default(), &mut script).unwrap();
    assert_eq!(
        types(&r),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "TaskStateEntered"),
            (3, 2, "TaskScheduled"),
            (4, 3, "TaskStarted"),
            (5, 4, "TaskFailed"),
            (6, 5, "TaskScheduled"),
            (7, 6, "TaskStarted"),
            (8, 7, "TaskFailed"),
            (9, 8, "TaskStateExited"),
            (10, 9, "PassStateEntered"),
            (11, 10, "PassStateExited"),
            (12, 11, "ExecutionSucceeded"),
        ]
    );
    assert_eq!(r.output.as_deref(), Some(r#"{"Error":"Boom","Cause":"c"}"#));
    // The retry waited IntervalSeconds (default 1 s) of virtual time.
    assert_eq!(r.history[5].timestamp - r.history[4].timestamp, 1000);
}

#[test]
fn unanswered_task_fails_with_no_mocked_response() {
    let def = r#"{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}"#;
    let r = execute(
        def,
        "{\"a\":1}",
        &ExecutionConfig::default(),
        &mut NoAnswers,
    )
    .unwrap();
    assert_eq!(r.error.as_deref(), Some("AslSim.NoMockedResponse"));
    assert!(r.cause.unwrap().contains("\"T\", attempt 1"));
    assert_eq!(r.history[2].event_type(), "LambdaFunctionScheduled");
}

#[test]
fn unsupported_features_are_refused_not_guessed() {
    let def =
        r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
    let e = execute(def, "{}", &ExecutionConfig::default(), &mut NoAnswers).unwrap_err();
    assert!(matches!(e, EngineError::Unsupported(_)), "{e}");
    let def = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.x","End":true}}}"#;
    let r = execute(def, "{}", &ExecutionConfig::default(), &mut NoAnswers).unwrap();
    assert_eq!(r.error.as_deref(), Some("States.Runtime"));
    assert_eq!(
        r.cause.as_deref(),
        Some("An error occurred while executing the state 'A' (entered at the event id #2). Invalid path '$.x' : No results for path: $['x']")
    );
    assert!(execute("{", "{}", &ExecutionConfig::default(), &mut NoAnswers).is_err());
    let ok = r#"{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}"#;
    assert!(matches!(
        execute(ok, "nope", &ExecutionConfig::default(), &mut NoAnswers),
        Err(EngineError::InvalidInput(_))
    ));
    let _ = json!(null);
}

#[test]
fn deterministic() {
    let def = r#"{"StartAt":"A","States":{"A":{"Type":"Wait","Seconds":5,"End":true}}}"#;
    let a = execute(def, "[1]", &ExecutionConfig::default(), &mut NoAnswers).unwrap();
    let b = execute(def, "[1]", &ExecutionConfig::default(), &mut NoAnswers).unwrap();
    assert_eq!(a, b);
}
