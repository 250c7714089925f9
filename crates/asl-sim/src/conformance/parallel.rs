//! The order-independent form some recordings use for Parallel branches
//! (LocalStack's `SfnNoneRecursiveParallelTransformer`): events between a
//! `ParallelStateStarted` and the next closing `ParallelState{Succeeded,
//! Aborted,Exited,Failed}` get `id: [0]`, `previousEventId: 0` and are sorted
//! by their JSON text; because the transformer re-splices the same sublist
//! at each closing event, nested and successful Parallels lose some events
//! (e.g. `ParallelStateSucceeded`). [`apply`] reproduces that exactly, so a
//! produced history can be brought into the recorded shape; the comparer then
//! matches each run of `[0]` events as a multiset.

use serde_json::Value;

const CLOSING: [&str; 4] = [
    "ParallelStateSucceeded",
    "ParallelStateAborted",
    "ParallelStateExited",
    "ParallelStateFailed",
];

/// Whether an event carries the sorted-form id `[0]`.
pub fn is_sorted_event(e: &Value) -> bool {
    matches!(e.get("id"), Some(Value::Array(a)) if a.len() == 1 && a[0].as_u64() == Some(0))
}

/// Whether a recorded history uses the sorted form.
pub fn is_sorted_form(events: &[Value]) -> bool {
    events.iter().any(is_sorted_event)
}

/// Applies the transformer to normalised events, in place.
pub fn apply(events: &mut Vec<Value>) {
    let mut start_idx: Option<usize> = None;
    let mut sublist: Vec<Value> = Vec::new();
    let mut in_sublist = false;
    let mut i = 0;
    while i < events.len() {
        let ty = events[i]
            .get("type")
            .and_then(Value::as_str)
            .map(str::to_owned);
        match ty.as_deref() {
            None => in_sublist = false,
            Some(t) if CLOSING.contains(&t) => {
                let mut sorted = sublist.clone();
                sorted.sort_by_cached_key(python_json);
                // Python slice assignment `events[start:i] = sorted`.
                let s = start_idx.unwrap_or(0).min(events.len());
                let e = i.max(s).min(events.len());
                events.splice(s..e, sorted);
                in_sublist = false;
            }
            Some("ParallelStateStarted") => {
                in_sublist = true;
                sublist.clear();
                start_idx = Some(i + 1);
            }
            Some(_) if in_sublist => {
                if let Value::Object(m) = &mut events[i] {
                    m.insert("id".into(), Value::Array(vec![Value::from(0)]));
                    m.insert("previousEventId".into(), Value::from(0));
                }
                sublist.push(events[i].clone());
            }
            Some(_) => {}
        }
        i += 1;
    }
}

/// Python's `json.dumps(v, sort_keys=True)` (separators `", "`, `": "`,
/// ASCII output): the sort key of the transformer.
pub fn python_json(v: &Value) -> String {
    let mut out = String::new();
    write_py(v, &mut out);
    out
}

fn write_py(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
        Value::String(s) => write_py_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py(x, out);
            }
            out.push(']');
        }
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_py_str(k, out);
                out.push_str(": ");
                write_py(&o[k], out);
            }
            out.push('}');
        }
    }
}

fn write_py_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for unit in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(id: u64, prev: u64, ty: &str, name: &str) -> Value {
        json!({"id": id, "previousEventId": prev, "type": ty, "timestamp": "timestamp",
               "stateEnteredEventDetails": {"name": name}})
    }

    #[test]
    fn nested_parallel_reproduces_the_recorded_shape() {
        // test_parallel_state_nested: 12 events become 9.
        let mut events = vec![
            ev(1, 0, "ExecutionStarted", ""),
            ev(2, 0, "ParallelStateEntered", "L1"),
            ev(3, 2, "ParallelStateStarted", ""),
            ev(4, 3, "ParallelStateEntered", "L2"),
            ev(5, 4, "ParallelStateStarted", ""),
            ev(6, 5, "PassStateEntered", "B"),
            ev(7, 6, "PassStateExited", "B"),
            ev(8, 7, "ParallelStateSucceeded", ""),
            ev(9, 7, "ParallelStateExited", "L2"),
            ev(10, 9, "ParallelStateSucceeded", ""),
            ev(11, 9, "ParallelStateExited", "L1"),
            ev(12, 11, "ExecutionSucceeded", ""),
        ];
        apply(&mut events);
        let shape: Vec<(Value, &str)> = events
            .iter()
            .map(|e| (e["id"].clone(), e["type"].as_str().unwrap()))
            .collect();
        assert_eq!(
            shape,
            vec![
                (json!(1), "ExecutionStarted"),
                (json!(2), "ParallelStateEntered"),
                (json!(3), "ParallelStateStarted"),
                (json!([0]), "ParallelStateEntered"),
                (json!(5), "ParallelStateStarted"),
                (json!([0]), "PassStateEntered"),
                (json!([0]), "PassStateExited"),
                (json!(11), "ParallelStateExited"),
                (json!(12), "ExecutionSucceeded"),
            ]
        );
    }

    #[test]
    fn python_json_matches_python() {
        assert_eq!(
            python_json(&json!({"b": [1, "é"], "a": {"y": null, "x": true}})),
            r#"{"a": {"x": true, "y": null}, "b": [1, "\u00e9"]}"#
        );
        assert_eq!(python_json(&json!("😀")), r#""\ud83d\ude00""#);
    }
}
