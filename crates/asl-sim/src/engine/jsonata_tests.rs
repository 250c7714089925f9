//! JSONata states end to end: data flow, variables, failures and their
//! `EvaluationFailed` events (ASL-REFERENCE §6, §9.1, §9.3).

use super::*;
use crate::history::EventDetails;
use crate::resolver::{Invocation, NoAnswers, TaskAnswer, TaskResolver};
use serde_json::{json, Value};

fn run(def: &str, input: &str) -> ExecutionResult {
    execute(def, input, &ExecutionConfig::default(), &mut NoAnswers).unwrap()
}

fn run_with(def: &str, input: &str, answers: Vec<TaskAnswer>) -> ExecutionResult {
    struct Script(Vec<TaskAnswer>, Vec<Value>);
    impl TaskResolver for Script {
        fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
            self.1.push(inv.parameters.clone());
            (!self.0.is_empty()).then(|| self.0.remove(0))
        }
    }
    let mut s = Script(answers, Vec::new());
    execute(def, input, &ExecutionConfig::default(), &mut s).unwrap()
}

fn types(r: &ExecutionResult) -> Vec<(u64, u64, &'static str)> {
    r.history
        .iter()
        .map(|e| (e.id, e.previous_event_id, e.event_type()))
        .collect()
}

/// The detail object of event `id`.
fn details(r: &ExecutionResult, id: u64) -> Value {
    r.history[id as usize - 1].details.details_json().unwrap()
}

fn ok(output: Value) -> TaskAnswer {
    TaskAnswer::Succeeded {
        output,
        submitted_output: None,
    }
}

fn boom() -> TaskAnswer {
    TaskAnswer::Failed {
        error: Some("Boom".into()),
        cause: Some("bad".into()),
    }
}

const PREFIX_B4: &str =
    "An error occurred while executing the state 'B' (entered at the event id #4). ";

#[test]
fn assign_and_output_see_pre_state_values_swap() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"x":1,"y":"{% 1 + 1 %}"},"Next":"B"},
        "B":{"Type":"Pass","Assign":{"x":"{% $y %}","y":"{% $x %}"},"Output":"{% [$x, $y] %}","Next":"C"},
        "C":{"Type":"Pass","Output":"{% [$x, $y] %}","End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(r.status, ExecutionStatus::Succeeded);
    assert_eq!(details(&r, 5)["output"], json!("[1,2]"));
    assert_eq!(
        details(&r, 5)["assignedVariables"],
        json!({"x": "2", "y": "1"})
    );
    assert_eq!(r.output.as_deref(), Some("[2,1]"));
}

#[test]
fn default_output_is_input_and_empty_assign_records_nothing() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{},"End":true}}}"#;
    let r = run(def, r#"{"a":1}"#);
    assert_eq!(r.output.as_deref(), Some(r#"{"a":1}"#));
    assert!(details(&r, 3).get("assignedVariables").is_none());
}

#[test]
fn undefined_output_field_fails_with_evaluation_failed_beside_entered() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Next":"B"},
        "B":{"Type":"Pass","Output":{"r":"{% $nope %}"},"End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(
        types(&r),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "PassStateEntered"),
            (3, 2, "PassStateExited"),
            (4, 3, "PassStateEntered"),
            (5, 3, "EvaluationFailed"),
            (6, 5, "ExecutionFailed"),
        ]
    );
    let cause = format!(
        "{PREFIX_B4}The JSONata expression '$nope' specified for the field 'Output/r' returned nothing (undefined)."
    );
    assert_eq!(
        details(&r, 5),
        json!({"error": "States.QueryEvaluationError", "cause": cause, "location": "Output/r", "state": "B"})
    );
    assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
    assert_eq!(r.cause.as_deref(), Some(cause.as_str()));
}

#[test]
fn evaluator_errors_keep_their_code() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"v":"{% $nosuch(1) %}"},"End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(
        r.cause.as_deref(),
        Some("An error occurred while executing the state 'A' (entered at the event id #2). The JSONata expression '$nosuch(1)' specified for the field 'Assign/v' threw an error during evaluation. T1006: Attempted to invoke a non-function")
    );
    assert_eq!(details(&r, 3)["location"], json!("Assign/v"));
}

#[test]
fn runaway_recursion_is_a_query_evaluation_error() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Output":"{% ($f := function($n){ $n > 100000000 ? $n : $f($n + 1) }; $f(0)) %}","End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
    assert!(
        r.cause.as_deref().unwrap().contains("U1001"),
        "{:?}",
        r.cause
    );
}

#[test]
fn choice_rule_output_wins_state_level_used_on_default() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"C","States":{
        "C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.go %}","Next":"Y",
               "Output":"rule","Assign":{"via":"rule"}}],
             "Default":"Y","Output":"default","Assign":{"via":"default"}},
        "Y":{"Type":"Pass","Output":"{% $states.input & '/' & $via %}","End":true}}}"#;
    assert_eq!(
        run(def, r#"{"go":true}"#).output.as_deref(),
        Some(r#""rule/rule""#)
    );
    assert_eq!(
        run(def, r#"{"go":false}"#).output.as_deref(),
        Some(r#""default/default""#)
    );
    let r = run(def, r#"{"go":"yes"}"#);
    assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
    assert!(r.cause.as_deref().unwrap().ends_with(
        "returned an unexpected result type. Expected 'boolean', but was 'string' for value: \"yes\""
    ));
}

#[test]
fn wait_expressions_and_virtual_time() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"W","States":{
        "W":{"Type":"Wait","Seconds":"{% $states.input.s %}","Next":"P"},
        "P":{"Type":"Pass","Output":"{% $millis() %}","End":true}}}"#;
    let r = run(def, r#"{"s":10}"#);
    let want = crate::clock::DEFAULT_START + 10_000;
    assert_eq!(r.output, Some(want.to_string()));
}

#[test]
fn wait_timestamp_error_follows_wait_entered() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"W","States":{
        "W":{"Type":"Wait","Timestamp":"{% $states.input.t %}","End":true}}}"#;
    let r = run(def, r#"{"t":"2016-12-05T21:29:29"}"#);
    assert_eq!(
        types(&r)[2..],
        [(3, 2, "EvaluationFailed"), (4, 3, "ExecutionFailed")]
    );
    assert_eq!(
        details(&r, 3)["cause"],
        json!("An error occurred while executing the state 'W' (entered at the event id #2). The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: 2016-12-05T21:29:29")
    );
    assert_eq!(details(&r, 3)["location"], json!("Timestamp"));
}

#[test]
fn fail_error_and_cause_expressions() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"F","States":{
        "F":{"Type":"Fail","Error":"{% $states.input.e %}","Cause":"{% 'c-' & $states.context.State.Name %}"}}}"#;
    let r = run(def, r#"{"e":"Oops"}"#);
    assert_eq!(
        (r.error.as_deref(), r.cause.as_deref()),
        (Some("Oops"), Some("c-F"))
    );
}

#[test]
fn map_items_item_selector_and_output() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"M","States":{
        "M":{"Type":"Map","Items":"{% $states.input.xs %}",
             "ItemSelector":{"i":"{% $states.context.Map.Item.Index %}","v":"{% $states.context.Map.Item.Value %}","k":"{% $states.input.k %}"},
             "ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},
             "Output":"{% $states.result.(i & v & k) %}","End":true}}}"#;
    let r = run(def, r#"{"xs":["a","b"],"k":"!"}"#);
    assert_eq!(r.output.as_deref(), Some(r#"["0a!","1b!"]"#));
}

#[test]
fn map_input_not_an_array_has_no_location() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"M","States":{
        "M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}"#;
    let r = run(def, "true");
    assert_eq!(
        types(&r),
        vec![
            (1, 0, "ExecutionStarted"),
            (2, 0, "MapStateEntered"),
            (3, 0, "EvaluationFailed"),
            (4, 3, "MapStateFailed"),
            (5, 4, "ExecutionFailed"),
        ]
    );
    assert!(details(&r, 3).get("location").is_none());
    assert_eq!(
        r.cause.as_deref(),
        Some("An error occurred while executing the state 'M' (entered at the event id #2). Map state input must be an array but was: true")
    );
    // Items of the wrong type.
    let def = def.replace(r#""Type":"Map","#, r#""Type":"Map","Items":"{% 1 %}","#);
    let r = run(&def, "[]");
    assert!(r.cause.as_deref().unwrap().ends_with(
        "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1"
    ));
}

#[test]
fn task_arguments_output_assign_and_timeout() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","TimeoutSeconds":"{% 5 * 2 %}",
             "Arguments":{"FunctionName":"f","Payload":{"list":[1,"{% $states.input.n %}"],"lit":"$.x"}},
             "Assign":{"r":"{% $states.result.Payload %}"},
             "Output":{"in":"{% $states.input.n %}","res":"{% $states.result.Payload %}"},"Next":"P"},
        "P":{"Type":"Pass","Output":"{% $r %}","End":true}}}"#;
    let r = run_with(def, r#"{"n":7}"#, vec![ok(json!({"Payload": 42}))]);
    assert_eq!(r.status, ExecutionStatus::Succeeded, "{:?}", r.cause);
    let sched = details(&r, 3);
    assert_eq!(sched["timeoutInSeconds"], json!(10));
    assert_eq!(
        sched["parameters"],
        json!(r#"{"FunctionName":"f","Payload":{"list":[1,7],"lit":"$.x"}}"#)
    );
    assert_eq!(details(&r, 6)["output"], json!(r#"{"in":7,"res":42}"#));
    assert_eq!(r.output.as_deref(), Some("42"));
}

#[test]
fn catcher_output_and_assign_replace_the_state_level_ones() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f"},
             "Catch":[{"ErrorEquals":["States.ALL"],"Assign":{"err":"{% $states.errorOutput.Error %}"},
                       "Output":{"in":"{% $states.input %}","e":"{% $states.errorOutput %}"},"Next":"P"}],
             "Assign":{"never":"{% $undefinedVar %}"},"Output":"{% $undefinedVar %}","End":true},
        "P":{"Type":"Pass","Output":"{% [$states.input.e.Cause, $err] %}","End":true}}}"#;
    let r = run_with(def, r#"{"a":1}"#, vec![boom()]);
    assert_eq!(r.status, ExecutionStatus::Succeeded, "{:?}", r.cause);
    assert_eq!(r.output.as_deref(), Some(r#"["bad","Boom"]"#));
    let exited = details(&r, 6);
    assert_eq!(
        exited["output"],
        json!(r#"{"in":{"a":1},"e":{"Error":"Boom","Cause":"bad"}}"#)
    );
    assert_eq!(exited["assignedVariables"], json!({"err": "\"Boom\""}));
}

#[test]
fn catcher_without_output_passes_the_error_output() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f"},
             "Catch":[{"ErrorEquals":["States.ALL"],"Next":"P"}],"End":true},
        "P":{"Type":"Pass","End":true}}}"#;
    let r = run_with(def, "{}", vec![boom()]);
    assert_eq!(
        r.output.as_deref(),
        Some(r#"{"Error":"Boom","Cause":"bad"}"#)
    );
}

#[test]
fn error_in_catcher_output_is_not_caught_again() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"f"},
             "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $missing %}","Next":"P"}],"End":true},
        "P":{"Type":"Pass","End":true}}}"#;
    let r = run_with(def, "{}", vec![boom()]);
    assert_eq!(r.error.as_deref(), Some("States.QueryEvaluationError"));
    let t = types(&r);
    assert_eq!(
        &t[t.len() - 2..],
        &[(6, 0, "EvaluationFailed"), (7, 6, "ExecutionFailed")]
    );
}

#[test]
fn query_evaluation_error_in_arguments_is_catchable() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"T","States":{
        "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Arguments":{"FunctionName":"{% $nope %}"},
             "Catch":[{"ErrorEquals":["States.ALL"],"Output":"{% $states.errorOutput.Error %}","Next":"P"}],"End":true},
        "P":{"Type":"Pass","End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(
        r.output.as_deref(),
        Some(r#""States.QueryEvaluationError""#)
    );
    assert_eq!(
        types(&r)[1..4],
        [
            (2, 0, "TaskStateEntered"),
            (3, 0, "EvaluationFailed"),
            (4, 3, "TaskStateExited")
        ]
    );
}

#[test]
fn parallel_arguments_and_branch_scopes() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"Par","States":{
        "Par":{"Type":"Parallel","Arguments":{"v":"{% $states.input.v + 1 %}"},
               "Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Assign":{"inner":1},"Output":"{% $states.input.v %}","End":true}}},
                           {"StartAt":"C","States":{"C":{"Type":"Pass","Output":"{% $states.input.v * 10 %}","End":true}}}],
               "Output":"{% $sum($states.result) %}","Next":"Z"},
        "Z":{"Type":"Pass","Output":"{% [$states.input, $exists($inner)] %}","End":true}}}"#;
    let r = run(def, r#"{"v":1}"#);
    assert_eq!(r.output.as_deref(), Some("[22,false]"));
}

#[test]
fn random_and_uuid_follow_the_seed() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Output":"{% [$uuid(), $random()] %}","End":true}}}"#;
    let go = |seed| {
        let cfg = ExecutionConfig {
            seed,
            ..Default::default()
        };
        execute(def, "{}", &cfg, &mut NoAnswers).unwrap().output
    };
    assert_eq!(go(1), go(1));
    assert_ne!(go(1), go(2));
}

#[test]
fn jsonpath_and_jsonata_states_share_variables() {
    let def = r#"{"StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"x.$":"$.v"},"Next":"B"},
        "B":{"Type":"Pass","QueryLanguage":"JSONata","Assign":{"y":"{% $x * 2 %}"},"Next":"C"},
        "C":{"Type":"Pass","Parameters":{"y.$":"$y"},"End":true}}}"#;
    let r = run(def, r#"{"v":4}"#);
    assert_eq!(r.output.as_deref(), Some(r#"{"y":8}"#));
}

#[test]
fn evaluation_failed_inside_map_iteration_links_like_aws() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"M","States":{
        "M":{"Type":"Map","ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $nope %}","End":true}}},"End":true}}}"#;
    let r = run(def, "[1]");
    assert_eq!(
        types(&r)[2..],
        [
            (3, 2, "MapStateStarted"),
            (4, 3, "MapIterationStarted"),
            (5, 4, "PassStateEntered"),
            (6, 4, "EvaluationFailed"),
            (7, 6, "MapIterationFailed"),
            (8, 6, "MapStateFailed"),
            (9, 8, "ExecutionFailed"),
        ]
    );
    assert!(matches!(
        r.history[5].details,
        EventDetails::EvaluationFailed(ref d) if d.state == "P"
    ));
}

#[test]
fn oversized_variable_is_refused() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"A","States":{
        "A":{"Type":"Pass","Assign":{"big":"{% $pad('', 300000, 'x') %}"},"End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(r.error.as_deref(), Some("States.DataLimitExceeded"));
    assert_eq!(details(&r, 3)["location"], json!("Assign/big"));
    assert!(r.cause.as_deref().unwrap().contains("'big'"));
}

#[test]
fn parallel_arguments_failure_goes_to_the_catcher() {
    let def = r#"{"QueryLanguage":"JSONata","StartAt":"Par","States":{
        "Par":{"Type":"Parallel","Arguments":"{% $nope %}",
               "Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],
               "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Next":"Z"}],"End":true},
        "Z":{"Type":"Pass","Output":"{% $states.input.Error %}","End":true}}}"#;
    let r = run(def, "{}");
    assert_eq!(
        r.output.as_deref(),
        Some(r#""States.QueryEvaluationError""#)
    );
    assert_eq!(
        types(&r)[1..5],
        [
            (2, 0, "ParallelStateEntered"),
            (3, 0, "EvaluationFailed"),
            (4, 3, "ParallelStateFailed"),
            (5, 4, "ParallelStateExited")
        ]
    );
}
