//! Turning a recording back into produced output: recorded (normalised)
//! events become [`HistoryEvent`]s again (parsed JSON re-serialised to JSON
//! texts, placeholders of `meta.substitutions` back to fake values).
//!
//! This is the harness's self-test: a recording replayed through the
//! normaliser and the comparer must PASS, and every alteration of it must
//! FAIL. It is not an engine and is never used to grade one.

use super::case::Case;
use super::parallel::is_sorted_event;
use super::runner::{CaseRunner, ExecutionStatus, Produced};
use super::tasks::map_strings;
use crate::history::HistoryEvent;
use serde_json::{Map, Value};

/// Detail members that are JSON texts or plain strings on the wire.
const TEXT_MEMBERS: [&str; 5] = ["input", "output", "parameters", "cause", "error"];

fn to_text(v: &Value) -> Value {
    match v {
        Value::String(_) => v.clone(),
        other => Value::String(other.to_string()),
    }
}

/// One recorded event in wire form (the timestamp is `index` seconds).
pub fn denormalise_event(case: &Case, index: usize, recorded: &Value) -> Result<Value, String> {
    if is_sorted_event(recorded) {
        return Err(format!(
            "event {index} is in the Parallel-sorted form (id [0]); it cannot be replayed"
        ));
    }
    let concrete = |s: &str| case.denormalise_str(s);
    let obj = recorded
        .as_object()
        .ok_or_else(|| format!("event {index} is not an object"))?;
    let mut out = Map::new();
    for (k, v) in obj {
        let v = if k == "timestamp" {
            crate::history::millis_to_wire_seconds(index as i64 * 1000)
        } else if k.ends_with("EventDetails") {
            let mut d = Map::new();
            for (dk, dv) in v
                .as_object()
                .ok_or_else(|| format!("event {index}: {k} is not an object"))?
            {
                let dv = map_strings(dv, &concrete);
                let dv = if TEXT_MEMBERS.contains(&dk.as_str()) {
                    to_text(&dv)
                } else if dk == "assignedVariables" {
                    match dv {
                        Value::Object(vars) => Value::Object(
                            vars.iter().map(|(n, x)| (n.clone(), to_text(x))).collect(),
                        ),
                        other => other,
                    }
                } else {
                    dv
                };
                d.insert(dk.clone(), dv);
            }
            Value::Object(d)
        } else {
            v.clone()
        };
        out.insert(k.clone(), v);
    }
    Ok(Value::Object(out))
}

/// The recorded history as typed events.
pub fn replay_history(case: &Case) -> Result<Vec<HistoryEvent>, String> {
    case.history
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let wire = denormalise_event(case, i, e)?;
            HistoryEvent::from_wire(&wire).map_err(|m| format!("event {i}: {m}"))
        })
        .collect()
}

fn status_of(s: &str) -> Option<ExecutionStatus> {
    Some(match s {
        "RUNNING" => ExecutionStatus::Running,
        "SUCCEEDED" => ExecutionStatus::Succeeded,
        "FAILED" => ExecutionStatus::Failed,
        "TIMED_OUT" => ExecutionStatus::TimedOut,
        "ABORTED" => ExecutionStatus::Aborted,
        "PENDING_REDRIVE" => ExecutionStatus::PendingRedrive,
        _ => return None,
    })
}

/// Replays the recording itself (harness self-test only).
#[derive(Debug, Default, Clone, Copy)]
pub struct RecordedReplayRunner;

impl CaseRunner for RecordedReplayRunner {
    fn run(&self, case: &Case) -> Result<Produced, String> {
        let history = replay_history(case)?;
        let fin = case
            .meta
            .final_record
            .as_ref()
            .ok_or("meta.final is missing")?;
        let concrete = |s: &str| case.denormalise_str(s);
        let text = |v: &Option<Value>| {
            v.as_ref().map(|v| match map_strings(v, &concrete) {
                Value::String(s) => s,
                other => other.to_string(),
            })
        };
        Ok(Produced {
            status: status_of(&fin.status)
                .ok_or_else(|| format!("unknown status {:?}", fin.status))?,
            output: text(&fin.output),
            error: text(&fin.error),
            cause: text(&fin.cause),
            history,
        })
    }
}
