//! Mock entries as a [`TaskResolver`]: each Task state's entries answer
//! its invocations in order (the order of that state's `*Scheduled`
//! events; every retry and Map iteration is a new invocation). An entry
//! with `repeat: true` answers every later invocation. An invocation with
//! no entry left is recorded (the scenario fails, naming state and
//! attempt); entries never used are reported as leftovers (a warning).

use crate::model::{MockEntry, MockOutcome};
use asl_sim::resolver::{Invocation, TaskAnswer, TaskResolver, TaskTiming};
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
    /// The timing of the entry answered last (the engine asks right after).
    last_timing: TaskTiming,
    /// Per state: how many entries were used (non-repeat ones count once).
    used: BTreeMap<String, usize>,
    pub missing: Vec<MissingMock>,
}

impl<'a> MockResolver<'a> {
    pub fn new(mocks: &'a BTreeMap<String, Vec<MockEntry>>) -> Self {
        MockResolver {
            mocks,
            last_timing: TaskTiming::default(),
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
                self.last_timing = TaskTiming {
                    after: e.after_ms,
                    heartbeats: e.heartbeats_ms.clone(),
                };
                Some(to_answer(e))
            }
            None => {
                self.last_timing = TaskTiming::default();
                self.missing.push(MissingMock {
                    state: inv.state.to_owned(),
                    attempt: inv.state_invocation + 1,
                    entries: entries.len(),
                });
                None
            }
        }
    }

    /// `after` and `heartbeats` of the entry just used: the engine times the
    /// task out when they reach TimeoutSeconds or miss HeartbeatSeconds.
    fn timing(&mut self, _inv: &Invocation<'_>) -> TaskTiming {
        std::mem::take(&mut self.last_timing)
    }
}

/// The engine's answer for one mock entry (its timing is given separately,
/// by [`TaskResolver::timing`]).
pub fn to_answer(entry: &MockEntry) -> TaskAnswer {
    match &entry.outcome {
        MockOutcome::Return(v) => TaskAnswer::Succeeded {
            output: v.clone(),
            submitted_output: None,
        },
        MockOutcome::Throw { error, cause } => TaskAnswer::Failed {
            error: Some(error.clone()),
            cause: cause.clone(),
        },
    }
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
    fn the_engine_gets_each_entrys_timing() {
        let mut slow = ret(json!(1));
        slow.after_ms = 10_000;
        slow.heartbeats_ms = vec![4_000];
        let mut mocks = BTreeMap::new();
        mocks.insert("A".to_owned(), vec![slow, ret(json!(2))]);
        let mut r = MockResolver::new(&mocks);
        let p = json!({});
        assert!(r.resolve(&inv("A", 0, &p)).is_some());
        assert_eq!(
            r.timing(&inv("A", 0, &p)),
            TaskTiming {
                after: 10_000,
                heartbeats: vec![4_000]
            }
        );
        assert!(r.resolve(&inv("A", 1, &p)).is_some());
        assert_eq!(r.timing(&inv("A", 1, &p)), TaskTiming::default());
    }
}
