//! `expect` assertions: status, output (exact, key order ignored, numbers by
//! value), output_contains (subset), error, cause and the path of entered
//! top-level states — each failure with a readable diff.

use crate::model::Expect;
use asl_sim::engine::ExecutionResult;
use asl_sim::history::HistoryEvent;
use serde_json::Value;

/// One failed expectation: a one-line message and an optional body (diff).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub message: String,
    pub detail: Option<String>,
}

/// Names of the `*StateEntered` events of top-level states, in order. A
/// state is top-level when its Entered event does not descend (through
/// `previousEventId`) from a `ParallelStateStarted` or `MapIterationStarted`.
pub fn entered_path(history: &[HistoryEvent]) -> Vec<String> {
    let mut nested = vec![false; history.len() + 1];
    let mut out = Vec::new();
    for e in history {
        let wire_type = e.event_type();
        let parent_nested = usize::try_from(e.previous_event_id)
            .ok()
            .and_then(|p| nested.get(p).copied())
            .unwrap_or(false);
        let is_nested =
            parent_nested || matches!(wire_type, "ParallelStateStarted" | "MapIterationStarted");
        // Parallel/Map Started events begin a nested scope; the state's own
        // Exited links back to Succeeded/Failed events, which link inside —
        // so the scope ends at the parent's Succeeded/Failed/Exited.
        let ends_scope = matches!(
            wire_type,
            "ParallelStateSucceeded"
                | "ParallelStateFailed"
                | "MapStateSucceeded"
                | "MapStateFailed"
                | "ParallelStateExited"
                | "MapStateExited"
                | "MapIterationSucceeded"
                | "MapIterationFailed"
                | "MapIterationAborted"
                | "ParallelStateAborted"
                | "MapStateAborted"
                | "ExecutionSucceeded"
                | "ExecutionFailed"
                | "ExecutionTimedOut"
                | "ExecutionAborted"
                | "MapRunStarted"
                | "MapRunSucceeded"
                | "MapRunFailed"
        );
        let id = e.id as usize;
        if id < nested.len() {
            nested[id] = is_nested && !ends_scope;
        }
        if wire_type.ends_with("StateEntered") && !parent_nested {
            if let Some(Value::Object(d)) = e.details.details_json() {
                if let Some(Value::String(name)) = d.get("name") {
                    out.push(name.clone());
                }
            }
        }
    }
    out
}

/// Checks every expectation; all failures are returned (not just the first).
pub fn check(expect: &Expect, result: &ExecutionResult) -> Vec<Failure> {
    let mut out = Vec::new();
    let status = result.status.as_str();
    if status != expect.status {
        let mut detail = String::new();
        if let Some(e) = &result.error {
            detail.push_str(&format!("error: {e}\n"));
        }
        if let Some(c) = &result.cause {
            detail.push_str(&format!("cause: {c}\n"));
        }
        out.push(Failure {
            message: format!("expected status {}, got {status}", expect.status),
            detail: (!detail.is_empty()).then_some(detail),
        });
    }
    let actual_output: Option<Value> = result
        .output
        .as_deref()
        .and_then(|o| serde_json::from_str(o).ok());
    if let Some(want) = &expect.output {
        match &actual_output {
            Some(got) if json_eq(want, got) => {}
            Some(got) => out.push(Failure {
                message: "output differs from `expect.output`".into(),
                detail: Some(json_diff(want, got)),
            }),
            None => out.push(Failure {
                message: format!("expected an output, but the execution {status}"),
                detail: None,
            }),
        }
    }
    if let Some(want) = &expect.output_contains {
        match &actual_output {
            Some(got) => {
                if let Some(at) = contains(want, got, "$") {
                    out.push(Failure {
                        message: format!("output does not contain `expect.output_contains`: {at}"),
                        detail: Some(json_diff(want, got)),
                    });
                }
            }
            None => out.push(Failure {
                message: format!("expected an output, but the execution {status}"),
                detail: None,
            }),
        }
    }
    for (what, want, got) in [
        ("error", &expect.error, &result.error),
        ("cause", &expect.cause, &result.cause),
    ] {
        if let Some(w) = want {
            if got.as_ref() != Some(w) {
                let shown = got
                    .as_deref()
                    .map(|g| format!("{g:?}"))
                    .unwrap_or_else(|| "none".into());
                let detail = got.as_ref().map(|g| text_diff(w, g));
                out.push(Failure {
                    message: format!("expected {what} {w:?}, got {shown}"),
                    detail,
                });
            }
        }
    }
    if let Some(want) = &expect.path {
        let got = entered_path(&result.history);
        if &got != want {
            out.push(Failure {
                message: format!(
                    "path differs: expected {}, got {}",
                    want.join(" → "),
                    got.join(" → ")
                ),
                detail: Some(text_diff(&want.join("\n"), &got.join("\n"))),
            });
        }
    }
    out
}

/// JSON equality with key order ignored and numbers compared by value.
pub fn json_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => num_eq(x, y),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| json_eq(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| json_eq(v, w)))
        }
        _ => a == b,
    }
}

fn num_eq(x: &serde_json::Number, y: &serde_json::Number) -> bool {
    match (x.as_i64(), y.as_i64(), x.as_u64(), y.as_u64()) {
        (Some(a), Some(b), _, _) => a == b,
        (_, _, Some(a), Some(b)) => a == b,
        _ => x.as_f64() == y.as_f64(),
    }
}

/// `output_contains` semantics: objects — expected keys a subset, compared
/// recursively; arrays — same length, element by element; scalars — equal.
/// Returns where the first mismatch is (`$.items[1].status: …`).
pub fn contains(want: &Value, got: &Value, at: &str) -> Option<String> {
    match (want, got) {
        (Value::Object(w), Value::Object(g)) => {
            for (k, v) in w {
                let here = format!("{at}.{k}");
                match g.get(k) {
                    None => return Some(format!("{here} is missing")),
                    Some(x) => {
                        if let Some(m) = contains(v, x, &here) {
                            return Some(m);
                        }
                    }
                }
            }
            None
        }
        (Value::Array(w), Value::Array(g)) => {
            if w.len() != g.len() {
                return Some(format!(
                    "{at} has {} elements, expected {}",
                    g.len(),
                    w.len()
                ));
            }
            w.iter()
                .zip(g)
                .enumerate()
                .find_map(|(i, (a, b))| contains(a, b, &format!("{at}[{i}]")))
        }
        _ if json_eq(want, got) => None,
        _ => Some(format!("{at}: expected {want}, got {got}")),
    }
}

/// Pretty JSON with keys sorted, so the diff shows values, not key order.
fn canonical(v: &Value) -> String {
    fn sort(v: &Value) -> Value {
        match v {
            Value::Object(m) => {
                let mut keys: Vec<&String> = m.keys().collect();
                keys.sort();
                Value::Object(keys.into_iter().map(|k| (k.clone(), sort(&m[k]))).collect())
            }
            Value::Array(a) => Value::Array(a.iter().map(sort).collect()),
            other => other.clone(),
        }
    }
    let mut s = serde_json::to_string_pretty(&sort(v)).unwrap_or_default();
    s.push('\n');
    s
}

/// A unified diff of two JSON values (expected → actual).
pub fn json_diff(want: &Value, got: &Value) -> String {
    similar::TextDiff::from_lines(canonical(want), canonical(got))
        .unified_diff()
        .context_radius(3)
        .header("expected", "actual")
        .to_string()
}

fn text_diff(want: &str, got: &str) -> String {
    let (w, g) = (format!("{want}\n"), format!("{got}\n"));
    similar::TextDiff::from_lines(&w, &g)
        .unified_diff()
        .header("expected", "actual")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality() {
        assert!(json_eq(
            &json!({"a": 1, "b": [1.0, 2]}),
            &json!({"b": [1, 2.0], "a": 1.0})
        ));
        assert!(!json_eq(&json!({"a": 1}), &json!({"a": 1, "b": 2})));
        assert!(!json_eq(&json!("1"), &json!(1)));
    }

    #[test]
    fn subset() {
        let got = json!({"a": 1, "b": {"c": [1, {"d": 2, "e": 3}]}, "z": null});
        assert_eq!(
            contains(&json!({"b": {"c": [1, {"d": 2}]}}), &got, "$"),
            None
        );
        assert_eq!(contains(&json!({}), &got, "$"), None);
        assert_eq!(
            contains(&json!({"b": {"c": [1]}}), &got, "$").unwrap(),
            "$.b.c has 2 elements, expected 1"
        );
        assert_eq!(
            contains(&json!({"b": {"c": [1, {"d": 3}]}}), &got, "$").unwrap(),
            "$.b.c[1].d: expected 3, got 2"
        );
        assert_eq!(
            contains(&json!({"q": 1}), &got, "$").unwrap(),
            "$.q is missing"
        );
        assert_eq!(contains(&json!({"z": null}), &got, "$"), None);
    }

    #[test]
    fn diffs_ignore_key_order() {
        let d = json_diff(&json!({"a": 1, "b": 2}), &json!({"b": 3, "a": 1}));
        assert!(
            d.contains("-  \"b\": 2") && d.contains("+  \"b\": 3"),
            "{d}"
        );
        assert!(!d.contains("-  \"a\""), "{d}");
    }
}
