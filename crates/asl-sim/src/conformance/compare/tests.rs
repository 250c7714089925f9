use super::*;
use crate::conformance::replay::{denormalise_event, RecordedReplayRunner};
use crate::conformance::runner::CaseRunner;
use crate::conformance::test_support::corpus_cases;
use crate::history::ALL_EVENT_TYPES;
use serde_json::json;

fn meta() -> Meta {
    Meta {
        category: "c".into(),
        group: String::new(),
        machine_type: "STANDARD".into(),
        compare: vec!["history".into(), "final".into()],
        final_record: None,
        final_source: None,
        self_contained: true,
        services: vec![],
        state_machine_name: "ArnPart_0idx".into(),
        execution_name: "ExecArnPart_0idx".into(),
        substitutions: vec![
            ("ExecArnPart_0idx".into(), "<ExecArnPart_0idx>".into()),
            ("ArnPart_0idx".into(), "<ArnPart_0idx>".into()),
        ],
        notes: vec![],
        mock_test_case: None,
        mock_state_machine_name: None,
        recorded_date: None,
    }
}

fn fail_of(v: Verdict) -> Difference {
    match v {
        Verdict::Fail(d) => d,
        other => panic!("expected FAIL, got {other:?}"),
    }
}

#[test]
fn first_difference_has_index_and_pointer() {
    let rec = vec![
        json!({"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": "timestamp",
               "executionStartedEventDetails": {"input": {"a": [1, {"b": "x"}]}, "roleArn": "snf_role_arn"}}),
    ];
    let prod = vec![
        json!({"id": 1, "previousEventId": 0, "type": "ExecutionStarted", "timestamp": 1.0,
        "executionStartedEventDetails": {"input": "{\"a\":[1,{\"b\":\"y\"}]}", "roleArn": "snf_role_arn"}}),
    ];
    let d = fail_of(compare_wire(&meta(), &rec, &prod));
    assert_eq!(d.event_index, Some(0));
    assert_eq!(d.pointer, "/0/executionStartedEventDetails/input/a/1/b");
    assert_eq!(d.to_string(), "event 0 (ExecutionStarted) at /0/executionStartedEventDetails/input/a/1/b: expected \"x\", got \"y\"");
}

#[test]
fn placeholders_bind_consistently_across_events() {
    let ev = |id: u64, v: &str| {
        json!({"id": id, "previousEventId": 0, "type": "PassStateEntered", "timestamp": "timestamp",
               "stateEnteredEventDetails": {"name": "S", "input": {"u": v}}})
    };
    let rec = vec![ev(1, "id-<uuid:1>"), ev(2, "<uuid:1>")];
    let wire = |a: &str, b: &str| {
        vec![
            json!({"id": 1, "previousEventId": 0, "type": "PassStateEntered", "timestamp": 0,
                   "stateEnteredEventDetails": {"name": "S", "input": format!("{{\"u\":\"{a}\"}}")}}),
            json!({"id": 2, "previousEventId": 0, "type": "PassStateEntered", "timestamp": 0,
                   "stateEnteredEventDetails": {"name": "S", "input": format!("{{\"u\":\"{b}\"}}")}}),
        ]
    };
    assert_eq!(
        compare_wire(&meta(), &rec, &wire("id-123", "123")),
        Verdict::Pass
    );
    let d = fail_of(compare_wire(&meta(), &rec, &wire("id-123", "124")));
    assert_eq!(d.event_index, Some(1));
}

#[test]
fn names_and_arns_are_normalised() {
    let rec = vec![
        json!({"id": 1, "previousEventId": 0, "type": "MapRunStarted", "timestamp": "timestamp",
        "mapRunStartedEventDetails": {"mapRunArn": "arn:<partition>:states:<region>:111111111111:mapRun:<ArnPart_0idx>/m:<MapRunArnPart1_0idx>"}}),
    ];
    let prod = vec![
        json!({"id": 1, "previousEventId": 0, "type": "MapRunStarted", "timestamp": 0,
        "mapRunStartedEventDetails": {"mapRunArn": "arn:aws:states:us-east-1:111111111111:mapRun:ArnPart_0idx/m:0f9e"}}),
    ];
    assert_eq!(compare_wire(&meta(), &rec, &prod), Verdict::Pass);
}

#[test]
fn soft_members_and_sdk_metadata() {
    let rec = vec![
        json!({"id": 1, "previousEventId": 0, "type": "TaskSucceeded", "timestamp": "timestamp",
        "taskSucceededEventDetails": {"resource": "invoke", "resourceType": "lambda",
            "output": {"Payload": 1, "SdkHttpMetadata": {"HttpStatusCode": 200}}, "outputDetails": {"truncated": false}}}),
    ];
    let prod = vec![
        json!({"id": 1, "previousEventId": 0, "type": "TaskSucceeded", "timestamp": 0,
        "taskSucceededEventDetails": {"resource": "invoke", "resourceType": "lambda", "output": "{\"Payload\":1}"}}),
    ];
    assert_eq!(
        compare_wire(&meta(), &rec, &prod),
        Verdict::SoftPass(vec!["SdkHttpMetadata".into(), "outputDetails".into()])
    );
}

#[test]
fn wildcard_words_dates_and_json_texts() {
    let rec = vec![
        json!({"id": 1, "previousEventId": 0, "type": "PassStateExited", "timestamp": "timestamp",
        "stateExitedEventDetails": {"name": "S", "output": {"r": "RandomNumberGenerated", "d": "date", "l": [1, 2]},
            "outputDetails": {"truncated": false}}}),
    ];
    let prod = vec![
        json!({"id": 1, "previousEventId": 0, "type": "PassStateExited", "timestamp": 0,
        "stateExitedEventDetails": {"name": "S", "output": "{\"r\":17,\"d\":\"2024-01-01T00:00:00Z\",\"l\":\"[1,2]\"}",
            "outputDetails": {"truncated": false}}}),
    ];
    assert_eq!(compare_wire(&meta(), &rec, &prod), Verdict::Pass);
    // A non-date value does not match a date placeholder.
    let prod = vec![
        json!({"id": 1, "previousEventId": 0, "type": "PassStateExited", "timestamp": 0,
        "stateExitedEventDetails": {"name": "S", "output": "{\"r\":17,\"d\":\"soon\",\"l\":[1,2]}",
            "outputDetails": {"truncated": false}}}),
    ];
    assert_eq!(
        fail_of(compare_wire(&meta(), &rec, &prod)).pointer,
        "/0/stateExitedEventDetails/output/d"
    );
}

#[test]
fn length_differences() {
    let e = |id: u64, t: &str| json!({"id": id, "previousEventId": 0, "type": t, "timestamp": "timestamp"});
    let rec = vec![e(1, "ParallelStateStarted"), e(2, "TaskStateAborted")];
    let d = fail_of(compare_wire(&meta(), &rec, &rec[..1]));
    assert_eq!((d.event_index, d.pointer.as_str()), (Some(1), "/1"));
    assert!(d.message.contains("missing"));
    let d = fail_of(compare_wire(&meta(), &rec[..1], &rec));
    assert!(d.message.contains("unexpected extra event"));
}

/// Every recorded history replayed through the normaliser is compared
/// with itself and must PASS (no soft notes either).
#[test]
fn recorded_histories_pass_against_themselves() {
    let cases = corpus_cases();
    let mut checked = 0;
    for case in &cases {
        if !case.meta.compares_history()
            || case.history.is_empty()
            || case.meta.final_record.is_none()
        {
            continue;
        }
        if parallel::is_sorted_form(&case.history) {
            continue;
        }
        let produced = RecordedReplayRunner
            .run(case)
            .unwrap_or_else(|e| panic!("{}: {e}", case.label()));
        assert_eq!(
            compare_case(case, &produced),
            Verdict::Pass,
            "{}",
            case.label()
        );
        checked += 1;
    }
    if !cases.is_empty() {
        assert!(checked > 400, "only {checked} cases checked");
    }
}

/// The comparer must not grade itself: altering `type`, `id`,
/// `previousEventId` or any `…EventDetails` of a recorded history is a FAIL.
#[test]
fn alterations_of_recorded_histories_fail() {
    let cases = corpus_cases();
    let mut alterations = 0;
    for case in &cases {
        if !case.meta.compares_history()
            || case.history.is_empty()
            || parallel::is_sorted_form(&case.history)
        {
            continue;
        }
        let wire: Vec<Value> = case
            .history
            .iter()
            .enumerate()
            .map(|(i, e)| denormalise_event(case, i, e).unwrap())
            .collect();
        assert_eq!(
            compare_wire(&case.meta, &case.history, &wire),
            Verdict::Pass,
            "{}",
            case.label()
        );
        for i in 0..wire.len() {
            let mut variants: Vec<(String, Vec<Value>)> = Vec::new();
            let alter = |f: &dyn Fn(&mut Map<String, Value>)| {
                let mut w = wire.clone();
                f(w[i].as_object_mut().unwrap());
                w
            };
            let ty = wire[i]["type"].as_str().unwrap().to_owned();
            let other = ALL_EVENT_TYPES.iter().find(|t| **t != ty).unwrap();
            variants.push((
                "type".into(),
                alter(&|m| {
                    m.insert("type".into(), json!(other));
                }),
            ));
            variants.push((
                "id".into(),
                alter(&|m| {
                    let id = m["id"].as_u64().unwrap();
                    m.insert("id".into(), json!(id + 1));
                }),
            ));
            variants.push((
                "previousEventId".into(),
                alter(&|m| {
                    let p = m["previousEventId"].as_u64().unwrap();
                    m.insert("previousEventId".into(), json!(p + 1));
                }),
            ));
            let detail_keys: Vec<String> = wire[i]
                .as_object()
                .unwrap()
                .keys()
                .filter(|k| k.ends_with("EventDetails"))
                .cloned()
                .collect();
            for k in &detail_keys {
                variants.push((
                    format!("{k} extra member"),
                    alter(&|m| {
                        m[k.as_str()]
                            .as_object_mut()
                            .unwrap()
                            .insert("mutated".into(), json!(true));
                    }),
                ));
                variants.push((
                    format!("{k} removed"),
                    alter(&|m| {
                        m.remove(k.as_str());
                    }),
                ));
                // Change every member that the recording does not wildcard.
                let members: Vec<String> = wire[i][k.as_str()]
                    .as_object()
                    .unwrap()
                    .keys()
                    .cloned()
                    .collect();
                for member in members {
                    if SOFT_KEYS.contains(&member.as_str()) {
                        continue;
                    }
                    let recorded = &case.history[i][k.as_str()][member.as_str()];
                    let single_token = |s: &str| {
                        s.starts_with('<') && s.ends_with('>') && s.matches('<').count() == 1
                    };
                    if recorded
                        .as_str()
                        .is_some_and(|s| is_wildcard_word(s) || single_token(s))
                    {
                        continue;
                    }
                    variants.push((
                        format!("{k}.{member} changed"),
                        alter(&|m| {
                            let d = m[k.as_str()].as_object_mut().unwrap();
                            let new = match &d[member.as_str()] {
                                Value::String(s) if s.starts_with('{') => {
                                    let mut v: Value = serde_json::from_str(s).unwrap_or(json!({}));
                                    match v.as_object_mut() {
                                        Some(o) => {
                                            o.insert("mutated\u{1}".into(), json!(1));
                                        }
                                        None => v = json!({"mutated": 1}),
                                    }
                                    Value::String(v.to_string())
                                }
                                Value::String(_) => json!("\u{1}"),
                                Value::Number(n) => json!(n.as_f64().unwrap_or(0.0) + 1.5),
                                Value::Bool(b) => json!(!b),
                                Value::Object(_) | Value::Array(_) | Value::Null => {
                                    json!("mutated\u{1}")
                                }
                            };
                            d.insert(member.clone(), new);
                        }),
                    ));
                }
            }
            for (what, w) in variants {
                match compare_wire(&case.meta, &case.history, &w) {
                    Verdict::Fail(d) => assert_eq!(
                        d.event_index,
                        Some(i),
                        "{} event {i} {what}: {d}",
                        case.label()
                    ),
                    v => panic!(
                        "{}: altering event {i} ({ty}) {what} was not detected: {v:?}",
                        case.label()
                    ),
                }
                alterations += 1;
            }
        }
    }
    if !cases.is_empty() {
        assert!(alterations > 10_000, "only {alterations} alterations");
    }
}

#[test]
fn final_comparison() {
    let case_meta = Meta {
        compare: vec!["final".into()],
        final_record: Some(FinalRecord {
            status: "FAILED".into(),
            output: None,
            error: Some(json!("E")),
            cause: Some(json!({"m": "arn:<partition>:x"})),
        }),
        ..meta()
    };
    let mut c = Comparer::new();
    let n = Normaliser::for_meta(&case_meta);
    let prod = Produced {
        status: crate::conformance::ExecutionStatus::Failed,
        output: None,
        error: Some("E".into()),
        cause: Some("{\"m\":\"arn:aws:x\"}".into()),
        history: vec![],
    };
    assert!(c
        .final_state(case_meta.final_record.as_ref().unwrap(), &prod, &n)
        .is_ok());
    let prod2 = Produced {
        error: Some("F".into()),
        ..prod.clone()
    };
    let d = c
        .final_state(case_meta.final_record.as_ref().unwrap(), &prod2, &n)
        .unwrap_err();
    assert_eq!(d.pointer, "/final/error");
    let prod3 = Produced {
        status: crate::conformance::ExecutionStatus::Succeeded,
        ..prod
    };
    let d = c
        .final_state(case_meta.final_record.as_ref().unwrap(), &prod3, &n)
        .unwrap_err();
    assert_eq!(
        d.to_string(),
        "/final/status: expected \"FAILED\", got \"SUCCEEDED\""
    );
}
