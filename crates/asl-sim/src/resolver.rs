//! How a Task state gets its answer: the embedder supplies a
//! [`TaskResolver`] (mocks in `asl-test`, the recorded table in conformance
//! cases, outside workers through the service). The engine asks once per
//! invocation — every retry and every Map iteration is a new invocation.

use serde_json::Value;

/// One Task invocation, as the engine describes it to the resolver.
#[derive(Debug, Clone, Copy)]
pub struct Invocation<'a> {
    /// The Task state's name.
    pub state: &'a str,
    /// The state's `Resource` ARN.
    pub resource: &'a str,
    /// 0-based count of earlier invocations of this state in this execution.
    pub state_invocation: u32,
    /// 0-based count of earlier Task invocations in this execution (order of
    /// the `…Scheduled` events).
    pub execution_invocation: u32,
    /// The effective parameters / input sent to the integration.
    pub parameters: &'a Value,
}

/// What an integration answered.
#[derive(Debug, Clone, PartialEq)]
pub enum TaskAnswer {
    /// The task result exactly as the integration returns it; for callback
    /// and `.sync` patterns `submitted_output` is the `TaskSubmitted` output.
    Succeeded {
        output: Value,
        submitted_output: Option<Value>,
    },
    /// `TaskFailed` / `LambdaFunctionFailed` / `ActivityFailed`.
    Failed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// The task ran into its timeout (`States.Timeout`).
    TimedOut {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `TaskStartFailed` / `LambdaFunctionStartFailed`.
    StartFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `TaskSubmitFailed`.
    SubmitFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// `ActivityScheduleFailed` / `LambdaFunctionScheduleFailed`.
    ScheduleFailed {
        error: Option<String>,
        cause: Option<String>,
    },
    /// No answer yet: an outside actor answers later. A callback or other
    /// task waits (holding the clock) for [`crate::engine::Execution::complete_token`];
    /// an activity task waits for a worker
    /// ([`crate::engine::Execution::start_activity`]). `TimeoutSeconds` and
    /// `HeartbeatSeconds` still run on the virtual clock.
    Pending,
}

/// Supplies Task answers. `None` means "nobody answers": the engine fails
/// the execution with `AslSim.NoMockedResponse` naming state and attempt.
pub trait TaskResolver {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Option<TaskAnswer>;

    /// For a callback or `.sync` task whose answer is a failure or timeout:
    /// the service response recorded in `TaskSubmitted` (the token was
    /// handed out before the outcome arrived). `None` records `{}`.
    fn submitted(&mut self, invocation: &Invocation<'_>) -> Option<Value> {
        let _ = invocation;
        None
    }

    /// How long the answer [`TaskResolver::resolve`] just gave for this
    /// invocation takes, in virtual time. Default: it arrives at once.
    fn timing(&mut self, invocation: &Invocation<'_>) -> TaskTiming {
        let _ = invocation;
        TaskTiming::default()
    }
}

/// The virtual duration of a task answer, and the times of the heartbeats
/// sent while it runs, in milliseconds from `TaskStarted` (request-response
/// and `.sync`), `TaskSubmitted` (`.waitForTaskToken`) or `ActivityStarted`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskTiming {
    pub after: u64,
    pub heartbeats: Vec<u64>,
}

impl TaskTiming {
    /// When, from the start, the task times out instead of answering: at
    /// `TimeoutSeconds` if the answer takes that long, or `HeartbeatSeconds`
    /// after the start or the last heartbeat when the next one (or the
    /// answer) comes later than that. `None`: the answer arrives in time.
    pub fn timeout_at(&self, timeout_seconds: u64, heartbeat_seconds: Option<u64>) -> Option<u64> {
        let timeout = timeout_seconds.saturating_mul(1000);
        let mut due = (self.after >= timeout).then_some(timeout);
        if let Some(h) = heartbeat_seconds {
            let limit = h.saturating_mul(1000);
            let mut last = 0u64;
            let mut beats: Vec<u64> = self
                .heartbeats
                .iter()
                .copied()
                .filter(|&b| b < self.after)
                .collect();
            beats.sort_unstable();
            for beat in beats.into_iter().chain(std::iter::once(self.after)) {
                if beat.saturating_sub(last) > limit {
                    let missed = last.saturating_add(limit);
                    due = Some(due.map_or(missed, |d| d.min(missed)));
                    break;
                }
                last = beat;
            }
        }
        due
    }
}

#[cfg(test)]
mod timing_tests {
    use super::TaskTiming;

    #[test]
    fn timeouts_and_missed_heartbeats() {
        let slow = TaskTiming {
            after: 10_000,
            heartbeats: vec![],
        };
        assert_eq!(slow.timeout_at(5, None), Some(5_000));
        assert_eq!(slow.timeout_at(10, None), Some(10_000));
        assert_eq!(slow.timeout_at(11, None), None);
        let beating = TaskTiming {
            after: 10_000,
            heartbeats: vec![3_000, 6_000, 9_000],
        };
        assert_eq!(beating.timeout_at(60, Some(4)), None);
        assert_eq!(beating.timeout_at(60, Some(2)), Some(2_000));
        let gap = TaskTiming {
            after: 10_000,
            heartbeats: vec![3_000],
        };
        assert_eq!(gap.timeout_at(60, Some(4)), Some(7_000));
        assert_eq!(gap.timeout_at(5, Some(4)), Some(5_000));
        let huge = TaskTiming {
            after: u64::MAX,
            heartbeats: vec![],
        };
        assert_eq!(huge.timeout_at(u64::MAX, Some(u64::MAX)), Some(u64::MAX));
    }
}

impl<T: TaskResolver + ?Sized> TaskResolver for &mut T {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        (**self).resolve(invocation)
    }
    fn submitted(&mut self, invocation: &Invocation<'_>) -> Option<Value> {
        (**self).submitted(invocation)
    }
    fn timing(&mut self, invocation: &Invocation<'_>) -> TaskTiming {
        (**self).timing(invocation)
    }
}

impl<T: TaskResolver + ?Sized> TaskResolver for Box<T> {
    fn resolve(&mut self, invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        (**self).resolve(invocation)
    }
    fn submitted(&mut self, invocation: &Invocation<'_>) -> Option<Value> {
        (**self).submitted(invocation)
    }
    fn timing(&mut self, invocation: &Invocation<'_>) -> TaskTiming {
        (**self).timing(invocation)
    }
}

/// Answers every task with [`TaskAnswer::Pending`]: everything waits for
/// outside actors (the service's default).
#[derive(Debug, Default, Clone, Copy)]
pub struct AllPending;

impl TaskResolver for AllPending {
    fn resolve(&mut self, _invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        Some(TaskAnswer::Pending)
    }
}

/// A resolver that never answers.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoAnswers;

impl TaskResolver for NoAnswers {
    fn resolve(&mut self, _invocation: &Invocation<'_>) -> Option<TaskAnswer> {
        None
    }
}
