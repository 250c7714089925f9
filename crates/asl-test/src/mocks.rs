//! Mock entries as a [`TaskResolver`]: each Task state's entries answer
//! its invocations in order (the order of that state's `*Scheduled`
//! events; every retry and Map iteration is a new invocation). An entry
//! with `repeat: true` answers every later invocation. An invocation with
//! no entry left is recorded (the scenario fails, naming state and
//! attempt); entries never used are reported as leftovers (a warning).
//! `after` and `heartbeats` go to the engine, which replays them on the
//! virtual clock against the state's timeouts.

use crate::model::{MockEntry, MockOutcome};
use asl_sim::resolver::{Invocation, TaskAnswer, TaskResolver};
use std::collections::BTreeMap;

/// An invocation nobody answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MissingMock {
    pub state: String,
    /// 1-based attempt (invocation of the state).
    pub attempt: u32,
    /// How many entries the state had.
    pub entries: usize,
}

/// Answers Task invocations from a scenario's mocks.
#[derive(Debug)]
pub struct MockResolver<'a> {
    mocks: &'a BTreeMap<String, Vec<MockEntry>>,
    /// Per state: how many entries were used (non-repeat ones count once).
    used: BTreeMap<String, usize>,
    pub missing: Vec<MissingMock>,
}

impl<'a> MockResolver<'a> {
    pub fn new(mocks: &'a BTreeMap<String, Vec<MockEntry>>) -> Self {
        MockResolver {
            mocks,
            used: BTreeMap::new(),
            missing: Vec::new(),
        }
    }

    /// Entries that were never used: `(state, count)`, in state order.
    pub fn leftovers(&self) -> Vec<(String, usize)> {
        self.mocks
            .iter()
            .filter_map(|(state, entries)| {
                let used = self.used.get(state).copied().unwrap_or(0);
                let left = entries.len().saturating_sub(used);
                (left > 0).then(|| (state.clone(), left))
            })
            .collect()
    }
}

impl TaskResolver for MockResolver<'_> {
    fn resolve(&mut self, inv: &Invocation<'_>) -> Option<TaskAnswer> {
        let entries = self.mocks.get(inv.state).map(Vec::as_slice).unwrap_or(&[]);
        let index = inv.state_invocation as usize;
        let entry = match entries.get(index) {
            Some(e) => Some(e),
            None => entries.last().filter(|e| e.repeat),
        };
        match entry {
            Some(e) => {
                let used = self.used.entry(inv.state.to_owned()).or_insert(0);
                *used = (*used).max((index + 1).min(entries.len()));
                Some(to_answer(e))
            }
            None => {
                self.missing.push(MissingMock {
                    state: inv.state.to_owned(),
                    attempt: inv.state_invocation + 1,
                    entries: entries.len(),
                });
                None
            }
        }
    }
}

/// The adapter from a mock entry to the engine's answer: `return` /
/// `throw` with the entry's virtual duration and heartbeats (milliseconds
/// from TaskStarted, TaskSubmitted or ActivityStarted). The engine decides
/// timeouts: `after` reaching `TimeoutSeconds`, or a heartbeat gap over
/// `HeartbeatSeconds`, times the task out instead (the entry is used up).
pub fn to_answer(entry: &MockEntry) -> TaskAnswer {
    let answer = match &entry.outcome {
        MockOutcome::Return(v) => TaskAnswer::Succeeded {
            output: v.clone(),
            submitted_output: None,
        },
        MockOutcome::Throw { error, cause } => TaskAnswer::Failed {
            error: Some(error.clone()),
            cause: cause.clone(),
        },
    };
    let ms = |v: u64| i64::try_from(v).unwrap_or(i64::MAX);
    answer.with_timing(
        ms(entry.after_ms),
        entry.heartbeats_ms.iter().map(|&h| ms(h)).collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ret(v: serde_json::Value) -> MockEntry {
        MockEntry {
            outcome: MockOutcome::Return(v),
            after_ms: 0,
            heartbeats_ms: vec![],
            repeat: false,
        }
    }

    fn inv<'a>(state: &'a str, n: u32, p: &'a serde_json::Value) -> Invocation<'a> {
        Invocation {
            state,
            resource: "arn:aws:states:::lambda:invoke",
            state_invocation: n,
            execution_invocation: n,
            parameters: p,
        }
    }

    #[test]
    fn order_repeat_missing_leftovers() {
        let mut mocks = BTreeMap::new();
        let mut last = ret(json!(2));
        last.repeat = true;
        mocks.insert("A".to_owned(), vec![ret(json!(1)), last]);
        mocks.insert("B".to_owned(), vec![ret(json!(1)), ret(json!(2))]);
        let mut r = MockResolver::new(&mocks);
        let p = json!({});
        let out = |a: Option<TaskAnswer>| match a {
            Some(TaskAnswer::Succeeded { output, .. }) => output,
            other => panic!("{other:?}"),
        };
        assert_eq!(out(r.resolve(&inv("A", 0, &p))), json!(1));
        assert_eq!(out(r.resolve(&inv("A", 1, &p))), json!(2));
        assert_eq!(out(r.resolve(&inv("A", 5, &p))), json!(2));
        assert_eq!(out(r.resolve(&inv("B", 0, &p))), json!(1));
        assert!(r.resolve(&inv("C", 0, &p)).is_none());
        assert_eq!(
            r.missing,
            vec![MissingMock {
                state: "C".into(),
                attempt: 1,
                entries: 0
            }]
        );
        assert_eq!(r.leftovers(), vec![("B".to_owned(), 1)]);
    }

    #[test]
    fn timing_goes_to_the_engine() {
        let e = ret(json!(1));
        assert_eq!(
            to_answer(&e),
            TaskAnswer::Succeeded {
                output: json!(1),
                submitted_output: None
            }
        );
        let mut e = MockEntry {
            outcome: MockOutcome::Throw {
                error: "E".into(),
                cause: None,
            },
            after_ms: 10_000,
            heartbeats_ms: vec![4_000, u64::MAX],
            repeat: false,
        };
        let (answer, after, beats) = to_answer(&e).split_timing();
        assert_eq!(
            answer,
            TaskAnswer::Failed {
                error: Some("E".into()),
                cause: None
            }
        );
        assert_eq!((after, beats), (10_000, vec![4_000, i64::MAX]));
        e.after_ms = u64::MAX;
        assert_eq!(to_answer(&e).split_timing().1, i64::MAX);
    }
}
