//! Mock entries as a [`TaskResolver`]: each Task state's entries answer
//! its invocations in order (the order of that state's `*Scheduled`
//! events; every retry and Map iteration is a new invocation). An entry
//! with `repeat: true` answers every later invocation. An invocation with
//! no entry left is recorded (the scenario fails, naming state and
//! attempt); entries never used are reported as leftovers (a warning).

use crate::model::{MockEntry, MockOutcome, TaskTiming};
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
    tasks: &'a BTreeMap<String, TaskTiming>,
    /// Per state: how many entries were used (non-repeat ones count once).
    used: BTreeMap<String, usize>,
    pub missing: Vec<MissingMock>,
}

impl<'a> MockResolver<'a> {
    pub fn new(
        mocks: &'a BTreeMap<String, Vec<MockEntry>>,
        tasks: &'a BTreeMap<String, TaskTiming>,
    ) -> Self {
        MockResolver {
            mocks,
            tasks,
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
                let timing = self.tasks.get(inv.state).copied().unwrap_or_default();
                Some(to_answer(e, timing))
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

/// The adapter from a mock entry to the engine's answer — the one place
/// that knows which timing the engine supports.
///
/// The engine's [`TaskAnswer`] has no virtual duration or heartbeat times
/// yet, so `after` and `heartbeats` are not replayed on the clock. What is
/// decided here instead: an entry whose `after` reaches the state's literal
/// `TimeoutSeconds` answers `TimedOut` (`States.Timeout`), and one whose
/// gap between heartbeats (from the start, through each heartbeat, to
/// `after`) exceeds `HeartbeatSeconds` does too — as DESIGN.md specifies.
pub fn to_answer(entry: &MockEntry, timing: TaskTiming) -> TaskAnswer {
    if times_out(entry, timing) {
        return TaskAnswer::TimedOut {
            error: Some("States.Timeout".into()),
            cause: None,
        };
    }
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

/// Whether an entry runs into the task's timeout or heartbeat timeout.
pub fn times_out(entry: &MockEntry, timing: TaskTiming) -> bool {
    if let Some(t) = timing.timeout_seconds {
        if entry.after_ms >= t.saturating_mul(1000) {
            return true;
        }
    }
    if let Some(h) = timing.heartbeat_seconds {
        let limit = h.saturating_mul(1000);
        let mut last = 0;
        for &beat in entry
            .heartbeats_ms
            .iter()
            .chain(std::iter::once(&entry.after_ms))
        {
            if beat.saturating_sub(last) > limit {
                return true;
            }
            last = beat;
        }
    }
    false
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
        let tasks = BTreeMap::new();
        let mut r = MockResolver::new(&mocks, &tasks);
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
    fn timeouts() {
        let mut e = ret(json!(1));
        e.after_ms = 10_000;
        let t = |timeout, heartbeat| TaskTiming {
            timeout_seconds: timeout,
            heartbeat_seconds: heartbeat,
        };
        assert!(!times_out(&e, t(None, None)));
        assert!(times_out(&e, t(Some(10), None)));
        assert!(!times_out(&e, t(Some(11), None)));
        assert!(times_out(&e, t(None, Some(5))));
        e.heartbeats_ms = vec![4_000, 8_000];
        assert!(!times_out(&e, t(None, Some(5))));
        assert!(matches!(
            to_answer(&e, t(Some(3), None)),
            TaskAnswer::TimedOut { .. }
        ));
    }
}
