//! Properties of every execution: same seed ⇒ byte-identical history;
//! every `previousEventId` names an earlier event; ids run 1..n without
//! gaps; nothing panics on generated definitions and inputs.

use asl_sim::engine::{execute, ExecutionConfig};
use asl_sim::history::events_to_wire;
use asl_sim::resolver::{Invocation, TaskAnswer, TaskResolver};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Answers every task: success or failure decided by the invocation number.
struct Flaky(u32);

impl TaskResolver for Flaky {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        Some(if (inv.execution_invocation + self.0).is_multiple_of(3) {
            TaskAnswer::Failed {
                error: Some("Boom".into()),
                cause: Some("flaky".into()),
            }
        } else {
            TaskAnswer::Succeeded {
                output: json!({"n": inv.execution_invocation, "in": inv.parameters}),
                submitted_output: None,
            }
        })
    }
}

fn state(kind: u8, i: usize, last: bool) -> Value {
    let next = if last {
        json!({"End": true})
    } else {
        json!({"Next": format!("S{}", i + 1)})
    };
    let mut s = match kind % 7 {
        0 => json!({"Type": "Pass", "Result": {"i": i}, "ResultPath": "$.r"}),
        1 => json!({"Type": "Wait", "Seconds": i * 7}),
        2 => json!({"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                     "Parameters": {"Payload.$": "$", "ctx.$": "$$.State.RetryCount"},
                     "Retry": [{"ErrorEquals": ["Boom"], "MaxAttempts": 2, "JitterStrategy": "FULL"}],
                     "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": format!("S{}", if last { i } else { i + 1 })}],
                     "ResultSelector": {"n.$": "$.n"}, "ResultPath": "$.t"}),
        3 => json!({"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.m",
                     "ItemSelector": {"v.$": "$$.Map.Item.Value", "k.$": "$$.Map.Item.Index"},
                     "ItemProcessor": {"StartAt": format!("M{i}"), "States": {
                         format!("M{i}"): {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true,
                                            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": format!("F{i}")}]},
                         format!("F{i}"): {"Type": "Pass", "End": true}}}}),
        4 => json!({"Type": "Parallel", "ResultPath": "$.p", "Branches": [
                     {"StartAt": format!("A{i}"), "States": {format!("A{i}"): {"Type": "Pass", "End": true}}},
                     {"StartAt": format!("B{i}"), "States": {format!("B{i}"): {"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}, "End": true}}}]}),
        5 => {
            json!({"Type": "Pass", "Assign": {"x.$": "$.items"}, "Parameters": {"len.$": "States.ArrayLength($x)"}, "ResultPath": "$.l"})
        }
        _ => json!({"Type": "Pass", "InputPath": "$.nope"}),
    };
    if let (Value::Object(m), Value::Object(n)) = (&mut s, next) {
        if m.get("Type").and_then(Value::as_str) != Some("Fail") {
            m.extend(n);
        }
    }
    s
}

fn definition(kinds: &[u8]) -> String {
    let mut states = serde_json::Map::new();
    for (i, k) in kinds.iter().enumerate() {
        states.insert(format!("S{i}"), state(*k, i, i + 1 == kinds.len()));
    }
    json!({"StartAt": "S0", "States": states}).to_string()
}

fn run(def: &str, input: &str, seed: u64, flaky: u32) -> Option<String> {
    let cfg = ExecutionConfig {
        seed,
        ..ExecutionConfig::default()
    };
    let r = execute(def, input, &cfg, &mut Flaky(flaky)).ok()?;
    Some(events_to_wire(&r.history).to_string())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn deterministic_and_well_linked(
        kinds in proptest::collection::vec(0u8..7, 1..6),
        items in proptest::collection::vec(0i64..100, 0..4),
        seed in any::<u64>(),
        flaky in 0u32..3,
    ) {
        let def = definition(&kinds);
        let input = json!({"items": items}).to_string();
        let a = run(&def, &input, seed, flaky);
        let b = run(&def, &input, seed, flaky);
        prop_assert_eq!(&a, &b);
        if let Some(text) = a {
            let events: Vec<Value> = serde_json::from_str(&text).unwrap();
            for (i, e) in events.iter().enumerate() {
                let id = e["id"].as_u64().unwrap();
                prop_assert_eq!(id, i as u64 + 1);
                let prev = e["previousEventId"].as_u64().unwrap();
                prop_assert!(prev < id, "event {} links to {}", id, prev);
            }
        }
    }
}

#[test]
fn hostile_times_do_not_panic() {
    let cfg = ExecutionConfig::default();
    for def in [
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":99999999999999999999,"End":true}}}"#,
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","Timestamp":"9999-12-31T23:59:59Z","End":true}}}"#,
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","SecondsPath":"$.s","End":true}}}"#,
        r#"{"StartAt":"W","States":{"W":{"Type":"Wait","TimestampPath":"$.s","End":true}}}"#,
    ] {
        for input in [
            r#"{"s":1e308}"#,
            r#"{"s":"9999-12-31T23:59:59Z"}"#,
            r#"{"s":-1}"#,
            "{}",
        ] {
            let r = execute(def, input, &cfg, &mut Flaky(0));
            assert!(r.is_ok(), "{def} {input}: {r:?}");
        }
    }
}
