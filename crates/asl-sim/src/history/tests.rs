use super::*;
use crate::conformance::replay::denormalise_event;
use crate::conformance::test_support::{cases_dir, corpus_cases};
use serde_json::json;
use std::collections::BTreeSet;

fn ev(id: u64, prev: u64, details: EventDetails) -> HistoryEvent {
    HistoryEvent::new(1_704_067_200_123, id, prev, details)
}

#[test]
fn serialises_the_wire_shape() {
    let e = ev(
        2,
        0,
        EventDetails::PassStateEntered(StateEnteredEventDetails::new("S", "{\"a\":1}")),
    );
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"timestamp":1704067200.123,"type":"PassStateEntered","id":2,"previousEventId":0,"stateEnteredEventDetails":{"name":"S","input":"{\"a\":1}","inputDetails":{"truncated":false}}}"#
    );
    let e = HistoryEvent::new(1_704_067_200_000, 5, 4, EventDetails::ParallelStateStarted);
    assert_eq!(
        serde_json::to_string(&e).unwrap(),
        r#"{"timestamp":1704067200.0,"type":"ParallelStateStarted","id":5,"previousEventId":4}"#
    );
}

#[test]
fn optional_fields_are_omitted_never_null() {
    let e = ev(
        3,
        2,
        EventDetails::ExecutionFailed(ErrorDetails::new(None, Some("why".into()))),
    );
    assert_eq!(
        e.to_wire()["executionFailedEventDetails"],
        json!({"cause": "why"})
    );
    let e = ev(3, 2, EventDetails::ExecutionFailed(ErrorDetails::default()));
    assert_eq!(e.to_wire()["executionFailedEventDetails"], json!({}));
    let e = ev(
        4,
        3,
        EventDetails::TaskScheduled(TaskScheduledEventDetails {
            resource_type: "lambda".into(),
            resource: "invoke".into(),
            region: "us-east-1".into(),
            parameters: "{}".into(),
            timeout_in_seconds: Some(10),
            ..Default::default()
        }),
    );
    assert_eq!(
        e.to_wire()["taskScheduledEventDetails"],
        json!({"resourceType": "lambda", "resource": "invoke", "region": "us-east-1", "parameters": "{}", "timeoutInSeconds": 10})
    );
    let exited =
        StateExitedEventDetails::new("S", "1").with_assigned(vec![("x".into(), "\"v\"".into())]);
    let e = ev(5, 4, EventDetails::PassStateExited(exited));
    assert_eq!(
        e.to_wire()["stateExitedEventDetails"],
        json!({"name": "S", "output": "1", "outputDetails": {"truncated": false},
               "assignedVariables": {"x": "\"v\""}, "assignedVariablesDetails": {"truncated": false}})
    );
    assert!(StateExitedEventDetails::new("S", "1")
        .with_assigned(vec![])
        .assigned_variables
        .is_none());
}

#[test]
fn wire_round_trip() {
    let events = vec![
        ev(
            1,
            0,
            EventDetails::ExecutionStarted(ExecutionStartedEventDetails {
                input: Some("{}".into()),
                input_details: Some(DataDetails::default()),
                role_arn: Some("arn:aws:iam::123456789012:role/r".into()),
                ..Default::default()
            }),
        ),
        ev(
            2,
            0,
            EventDetails::MapStateEntered(StateEnteredEventDetails::new("M", "[1]")),
        ),
        ev(
            3,
            2,
            EventDetails::MapStateStarted(MapStateStartedEventDetails { length: 1 }),
        ),
        ev(
            4,
            3,
            EventDetails::MapIterationStarted(MapIterationEventDetails {
                name: "M".into(),
                index: 0,
            }),
        ),
        ev(
            5,
            4,
            EventDetails::TaskTimedOut(TaskErrorDetails {
                resource_type: "lambda".into(),
                resource: "invoke".into(),
                error: Some("States.Timeout".into()),
                cause: None,
            }),
        ),
        ev(6, 5, EventDetails::MapStateFailed),
        ev(
            7,
            6,
            EventDetails::EvaluationFailed(EvaluationFailedEventDetails {
                error: Some("States.QueryEvaluationError".into()),
                cause: Some("c".into()),
                location: None,
                state: "M".into(),
            }),
        ),
    ];
    for e in &events {
        let text = serde_json::to_string(e).unwrap();
        let back: HistoryEvent = serde_json::from_str(&text).unwrap();
        assert_eq!(&back, e, "{text}");
    }
    let arr = events_to_wire(&events);
    assert_eq!(arr.as_array().unwrap().len(), 7);
}

#[test]
fn malformed_wire_events_are_errors_not_panics() {
    let bad = [
        json!(1),
        json!({"type": "Nope", "id": 1, "timestamp": 1}),
        json!({"type": "PassStateEntered", "id": 1, "timestamp": 1}),
        json!({"type": "PassStateEntered", "id": 1, "timestamp": 1, "stateEnteredEventDetails": {"name": "x", "zzz": 1}}),
        json!({"type": "ParallelStateStarted", "id": 1, "timestamp": 1, "stateEnteredEventDetails": {}}),
        json!({"type": "MapStateFailed", "id": -1, "timestamp": 1}),
        json!({"type": "MapStateFailed", "id": 1, "timestamp": "x"}),
        json!({"type": "MapStateFailed", "id": 1, "timestamp": 1e300}),
        json!({"type": "PassStateExited", "id": 1, "timestamp": 1, "stateExitedEventDetails": {"name": "x", "assignedVariables": {"a": 1}}}),
    ];
    for b in bad {
        assert!(HistoryEvent::from_wire(&b).is_err(), "{b}");
    }
}

#[test]
fn timestamps() {
    assert_eq!(
        millis_to_wire_seconds(1_704_067_200_123),
        json!(1704067200.123)
    );
    assert_eq!(
        wire_seconds_to_millis(&json!(1704067200.123)),
        Ok(1_704_067_200_123)
    );
    assert_eq!(wire_seconds_to_millis(&json!(17)), Ok(17_000));
    assert_eq!(millis_to_wire_seconds(-1), json!(-0.001));
    assert_eq!(
        millis_to_wire_seconds(253_402_300_799_999),
        json!(253402300799.999)
    );
}

#[test]
fn event_types_match_the_service_model() {
    assert_eq!(ALL_EVENT_TYPES.len(), 62);
    let set: BTreeSet<&str> = ALL_EVENT_TYPES.iter().copied().collect();
    assert_eq!(set.len(), 62);
    let Some(cases) = cases_dir() else { return };
    let model = cases.join("../../aws/stepfunctions-2016-11-23.service.json");
    let Ok(text) = std::fs::read_to_string(&model) else {
        return;
    };
    let v: Value = serde_json::from_str(&text).unwrap();
    let enum_values: BTreeSet<&str> = v["shapes"]["HistoryEventType"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_str().unwrap())
        .collect();
    assert_eq!(set, enum_values);
    // Every details member of the model is produced by some type.
    let members: BTreeSet<&str> = v["shapes"]["HistoryEvent"]["members"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .filter(|k| k.ends_with("EventDetails"))
        .collect();
    let ours: BTreeSet<&str> = ALL_EVENT_TYPES
        .iter()
        .filter_map(|t| EventDetails::detail_key_of(t))
        .collect();
    assert_eq!(members, ours);
}

/// Every event of every recorded history (in wire form again) parses into
/// the typed model and serialises back to the same JSON.
#[test]
fn corpus_events_round_trip_through_the_typed_model() {
    let mut types = BTreeSet::new();
    let mut count = 0;
    for case in corpus_cases() {
        for (i, e) in case.history.iter().enumerate() {
            if crate::conformance::parallel::is_sorted_event(e) {
                continue;
            }
            let wire = denormalise_event(&case, i, e).unwrap();
            let typed = HistoryEvent::from_wire(&wire)
                .unwrap_or_else(|m| panic!("{} event {i}: {m}", case.label()));
            assert_eq!(typed.to_wire(), wire, "{} event {i}", case.label());
            types.insert(typed.event_type());
            count += 1;
        }
    }
    if count > 0 {
        // The visible corpus records 49 of the 62 types.
        assert!(types.len() >= 45, "{} types: {types:?}", types.len());
    }
}
