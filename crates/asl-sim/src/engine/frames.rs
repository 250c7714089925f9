//! Frames: the resumable control flow of an execution.
//!
//! The top-level machine, every Parallel branch and every Map iteration is a
//! [`Frame`]: a cursor over one (sub-)machine with its own variable scopes.
//! Frames are driven by the [`Scheduler`]: a FIFO of runnable frame ids and
//! timers on the virtual clock. A frame that is stepped runs states until it
//! *suspends* — on a Wait's timer, on a Task (between `…Scheduled` and
//! `…Started`, while the answer takes its virtual time, while an outside
//! actor holds its token, during a retry back-off), or while its Parallel /
//! Map children run — or until its machine ends.
//!
//! # Interleaving (fixed, deterministic)
//!
//! * A Map with `MaxConcurrency` n > 0 starts min(n, items) iterations,
//!   0 starts all: their `MapIterationStarted` events come together, all ←
//!   `MapStateStarted`, and the iteration frames queue in index order. When
//!   an iteration ends, the next pending one starts (← the ended iteration's
//!   last inner event). With n = 1 this is AWS's serial order: `…Succeeded`
//!   of iteration i, then `MapIterationStarted` of i+1 ← the last inner event
//!   of i. Parallel starts every branch at once.
//! * Runnable frames take turns in FIFO order, one step each; a frame
//!   re-queues itself at each task phase: `TaskStateEntered`+`TaskScheduled`
//!   is one step, `TaskStarted` the next, the outcome event (when its timer
//!   fires) the next, and what follows the outcome (Retry/Catch/next state)
//!   the next. So concurrent iterations go breadth-first by step, as AWS
//!   records (`timeouts/TestTimeouts__test_service_lambda_map_timeout`).
//! * Timers that come due at the same instant all fire (in the order they
//!   were set) before the work they cause.
//! * When the last child of a Parallel/Map ends, the parent continues in the
//!   same step.
//! * When a branch/iteration fails uncaught, the parent records, in index
//!   order, for the failing one `TaskStateAborted` if it failed in a Task,
//!   and for every running sibling `MapIterationAborted` (Map) followed by
//!   its open state's `…StateAborted` (Task, Wait, nested Map/Parallel after
//!   their own children), all ← the failing event; then `MapStateFailed` /
//!   `ParallelStateFailed` as before.
//!
//! Outside actors (open task tokens, activity tasks waiting for a worker)
//! hold the clock: [`Run::run_until_blocked`] never moves time; the embedder
//! moves it with [`Run::advance_clock_to`].

use super::*;
use crate::scheduler::TimerId;
use std::rc::Rc;

/// Index of a frame in [`Run::frames`].
pub(super) type FrameId = usize;

/// What a state visit did in one step.
pub(super) enum Step {
    Flow(Flow),
    Suspend(Susp),
}

/// One running (sub-)machine.
pub(super) struct Frame {
    machine: Rc<StateMachine>,
    /// The Parallel/Map frame and the branch/iteration index.
    parent: Option<(FrameId, usize)>,
    /// The frame's variable scopes (swapped into [`Run::vars`] while it runs).
    vars: Scopes,
    scratch: bool,
    cursor: Cursor,
    /// Timers of the current suspension (cancelled when it ends).
    timers: Vec<TimerId>,
    /// It ended failing in a Task state.
    failed_in_task: bool,
}

enum Cursor {
    /// About to enter `name`; its Entered event links to `prev`.
    Enter {
        name: String,
        input: Value,
        prev: u64,
    },
    Suspended(Susp),
    /// The machine ended (End or Failed); the parent has not seen it yet.
    Finished(Flow),
    /// Being stepped.
    Running,
}

/// A state visit in progress.
pub(super) struct Visit {
    name: String,
    raw: Value,
    entered: u64,
    entered_time: String,
    ctx: Value,
    rs: RetryState,
}

pub(super) enum Susp {
    Wait { v: Box<Visit>, effective: Value },
    Task(Box<TaskRun>),
    Fan(Box<Fanout>),
}

/// A Task state visit.
pub(super) struct TaskRun {
    v: Visit,
    effective: Value,
    resource: String,
    family: TaskEventFamily,
    callback: bool,
    wants_token: bool,
    timeout: Option<u64>,
    heartbeat: Option<u64>,
    credentials: Option<TaskCredentials>,
    resource_type: String,
    res: String,
    phase: TaskPhase,
}

enum TaskPhase {
    /// `…Scheduled` recorded; the next step asks for the answer.
    Scheduled {
        scheduled: u64,
        params: Value,
        ctx: Value,
        token: Option<String>,
        state_invocation: u32,
        execution_invocation: u32,
    },
    /// The answer arrives when the frame's timer fires (or is put here by
    /// [`Run::complete_token`]).
    Running {
        p: u64,
        ctx: Value,
        answer: TaskAnswer,
    },
    /// Waiting for an outside actor: a worker (`started == false`, an
    /// activity not handed out yet) or the token's completion.
    Outside {
        scheduled: u64,
        p: u64,
        ctx: Value,
        params: Value,
        token: Option<String>,
        heartbeat_timer: Option<TimerId>,
    },
    /// The outcome event is recorded; the next step acts on it.
    Outcome {
        ctx: Value,
        result: Result<(Value, u64), (StatesError, u64)>,
    },
    /// Retry back-off: the next attempt starts when the timer fires.
    Backoff,
}

/// A Parallel or Map state visit with its children.
pub(super) struct Fanout {
    v: Visit,
    plan: FanPlan,
    /// Running child frame per index.
    children: Vec<Option<FrameId>>,
    results: Vec<Value>,
    /// Next index to start (Map).
    next: usize,
    finished: usize,
    started: u64,
    run_started: u64,
    /// Parallel: the last branch event; Map: the last `MapIterationSucceeded`.
    last: u64,
    backoff: bool,
}

enum FanPlan {
    Parallel {
        branches: Vec<Rc<StateMachine>>,
        input: Value,
    },
    Map {
        processor: Rc<StateMachine>,
        items: Vec<Value>,
        effective: Value,
        concurrency: usize,
        distributed: bool,
    },
}

/// An open task token, as the embedder sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenToken {
    pub token: String,
    pub state: String,
    pub resource: String,
}

/// An activity task scheduled and not yet handed to a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityTask {
    /// The activity ARN (the Task's `Resource`).
    pub activity: String,
    pub state: String,
    /// The task input (JSON text).
    pub input: String,
}

/// An activity task handed to a worker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityHandout {
    pub token: String,
    pub input: String,
}

/// Why a token operation was refused (the service maps these to
/// `TaskDoesNotExist` / `TaskTimedOut`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    /// No task ever had this token.
    Unknown,
    /// The task closed (completed, timed out, aborted, execution ended).
    Closed,
}

/// Where an execution stands after [`Run::run_until_blocked`].
#[derive(Debug, Clone, PartialEq)]
pub enum Blocked {
    /// Nothing runnable; the next timer is due at this time.
    NextTimer(Millis),
    /// Outside actors hold the clock.
    AwaitingOutside {
        tokens: Vec<OpenToken>,
        activities: Vec<ActivityTask>,
        /// The next timer (task timeouts, heartbeats, the execution's own
        /// timeout), which fires when real time gets there.
        next_timer: Option<Millis>,
    },
    /// The execution closed.
    Done(super::super::ExecutionResult),
}

fn internal(msg: &str) -> EngineError {
    EngineError::InvalidDefinition(format!("engine: {msg}"))
}

impl Run<'_> {
    // ---------------------------------------------------------------- driver

    /// Records `ExecutionStarted` and queues the top-level frame.
    pub(crate) fn start(&mut self, def: &Definition, input: &str) -> Result<(), EngineError> {
        let value: Value = serde_json::from_str(input)
            .map_err(|e| EngineError::InvalidInput(format!("not JSON: {e}")))?;
        let start = def
            .machine
            .start_at
            .as_ref()
            .map(|s| s.value.clone())
            .ok_or_else(|| EngineError::InvalidDefinition("no StartAt".into()))?;
        self.exec_input = value.clone();
        self.emit(
            0,
            EventDetails::ExecutionStarted(ExecutionStartedEventDetails {
                input: Some(input.to_owned()),
                input_details: Some(DataDetails::default()),
                role_arn: Some(self.config.role_arn.clone()),
                ..Default::default()
            }),
        );
        if input.len() > MAX_PAYLOAD_BYTES {
            let flow = self.oversized_input(&def.machine, &value)?;
            self.close(flow);
            return Ok(());
        }
        let machine = Rc::new(def.machine.clone());
        let fid = self.new_frame(Frame {
            machine,
            parent: None,
            vars: Scopes::new(),
            scratch: false,
            cursor: Cursor::Enter {
                name: start,
                input: value,
                prev: 0,
            },
            timers: Vec::new(),
            failed_in_task: false,
        });
        self.sched.push_ready(fid);
        Ok(())
    }

    fn new_frame(&mut self, f: Frame) -> FrameId {
        self.frames.push(Some(f));
        self.frames.len() - 1
    }

    /// Runs every runnable frame; never moves the clock.
    pub(crate) fn run_until_blocked(&mut self) -> Result<Blocked, EngineError> {
        while self.result.is_none() {
            let Some(fid) = self.sched.pop_ready() else {
                break;
            };
            self.step_frame(fid)?;
        }
        if let Some(r) = &self.result {
            let mut r = r.clone();
            r.history = self.events.clone();
            return Ok(Blocked::Done(r));
        }
        let next_timer = self.next_timer();
        let activities = self.activity_tasks();
        let tokens = self.open_tokens();
        if !tokens.is_empty() || !activities.is_empty() {
            return Ok(Blocked::AwaitingOutside {
                tokens,
                activities,
                next_timer,
            });
        }
        match next_timer {
            Some(t) => Ok(Blocked::NextTimer(t)),
            None => {
                // Nothing runnable, nothing pending: cannot happen unless a
                // frame was lost. Close rather than hang.
                let last = self.events.len() as u64;
                self.close(Flow::Failed(
                    StatesError {
                        error: Some("AslSim.InternalError".into()),
                        cause: Some(
                            "the execution stalled: nothing runnable, nothing pending".into(),
                        ),
                    },
                    last,
                ));
                self.run_until_blocked()
            }
        }
    }

    /// The earliest timer, or the execution's deadline.
    pub(crate) fn next_timer(&mut self) -> Option<Millis> {
        if self.result.is_some() {
            return None;
        }
        match (self.sched.next_due(), self.deadline) {
            (Some(a), Some(b)) => Some(a.min(b.saturating_add(1))),
            (a, b) => a.or(b.map(|d| d.saturating_add(1))),
        }
    }

    /// Moves the clock to `t`, running everything that comes due on the way
    /// at its own time; returns where the execution then stands.
    pub(crate) fn advance_clock_to(&mut self, t: Millis) -> Result<Blocked, EngineError> {
        loop {
            let blocked = self.run_until_blocked()?;
            if matches!(blocked, Blocked::Done(_)) {
                return Ok(blocked);
            }
            let due = self.sched.next_due();
            if let Some(dl) = self.deadline {
                // Something due exactly at the deadline still happens.
                if dl < t && due.is_none_or(|d| d > dl) {
                    self.sched.set_clock(dl);
                    self.execution_timed_out();
                    continue;
                }
            }
            match due {
                Some(d) if d <= t => {
                    self.sched.fire_due_batch();
                }
                _ => {
                    self.sched.set_clock(t);
                    return self.run_until_blocked();
                }
            }
        }
    }

    /// The deadline passed: `ExecutionTimedOut`, nothing else (DESIGN: the
    /// clock stops at the deadline; in-flight states record nothing).
    fn execution_timed_out(&mut self) {
        self.kill_all();
        let last = self.events.len() as u64;
        self.emit(
            last,
            EventDetails::ExecutionTimedOut(ErrorDetails::new(Some("States.Timeout".into()), None)),
        );
        self.result = Some(super::super::ExecutionResult {
            status: ExecutionStatus::TimedOut,
            output: None,
            error: Some("States.Timeout".into()),
            cause: None,
            history: Vec::new(),
        });
    }

    /// StopExecution: `ExecutionAborted` ← 0, no state events (recorded
    /// for a Wait: `api/TestSnfApi__test_stop_execution`). `false` when the
    /// execution had already closed.
    pub(crate) fn stop(&mut self, error: Option<String>, cause: Option<String>) -> bool {
        if self.result.is_some() {
            return false;
        }
        self.kill_all();
        self.emit(
            0,
            EventDetails::ExecutionAborted(ErrorDetails::new(error.clone(), cause.clone())),
        );
        self.result = Some(super::super::ExecutionResult {
            status: ExecutionStatus::Aborted,
            output: None,
            error,
            cause,
            history: Vec::new(),
        });
        true
    }

    /// Fails the execution because an outside actor that cannot come is
    /// awaited (run-to-completion mode).
    pub(crate) fn fail_unanswered(&mut self, cause: String) {
        if self.result.is_some() {
            return;
        }
        let last = self.events.len() as u64;
        self.kill_all();
        self.close(Flow::Failed(
            StatesError {
                error: Some("AslSim.NoMockedResponse".into()),
                cause: Some(cause),
            },
            last,
        ));
    }

    fn kill_all(&mut self) {
        for fid in 0..self.frames.len() {
            if let Some(f) = self.frames[fid].take() {
                for t in f.timers {
                    self.sched.cancel(t);
                }
            }
        }
        let open: Vec<String> = self.tokens.keys().cloned().collect();
        self.closed_tokens.extend(open);
        self.tokens.clear();
        self.activity_queue.clear();
        while self.sched.pop_ready().is_some() {}
    }

    /// The top-level machine ended.
    fn close(&mut self, flow: Flow) {
        if self.result.is_some() {
            return;
        }
        if self.timed_out {
            self.timed_out = false;
            self.execution_timed_out();
            return;
        }
        let r = match flow {
            Flow::End(out, prev) => {
                let t = text(&out);
                self.emit(
                    prev,
                    EventDetails::ExecutionSucceeded(OutputDetails::new(t.clone())),
                );
                (ExecutionStatus::Succeeded, Some(t), None, None)
            }
            Flow::Failed(e, prev) => {
                self.emit(
                    prev,
                    EventDetails::ExecutionFailed(ErrorDetails::new(
                        e.error.clone(),
                        e.cause.clone(),
                    )),
                );
                (ExecutionStatus::Failed, None, e.error, e.cause)
            }
            Flow::Next(..) => (
                ExecutionStatus::Failed,
                None,
                Some("AslSim.InternalError".into()),
                Some("state loop ended on a transition".into()),
            ),
        };
        self.kill_all();
        self.result = Some(super::super::ExecutionResult {
            status: r.0,
            output: r.1,
            error: r.2,
            cause: r.3,
            history: Vec::new(),
        });
    }

    /// Swaps the frame's variables in and selects its history.
    fn activate(&mut self, fid: FrameId) {
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            std::mem::swap(&mut self.vars, &mut f.vars);
            self.scratch = f.scratch;
        }
        self.current = fid;
    }

    fn deactivate(&mut self, fid: FrameId) {
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            std::mem::swap(&mut self.vars, &mut f.vars);
        }
        self.scratch = false;
    }

    fn frame_mut(&mut self, fid: FrameId) -> Result<&mut Frame, EngineError> {
        self.frames
            .get_mut(fid)
            .and_then(Option::as_mut)
            .ok_or_else(|| internal("frame gone"))
    }

    /// Sets a timer waking frame `fid` at `due`.
    fn wake_at(&mut self, fid: FrameId, due: Millis) -> TimerId {
        let id = self.sched.schedule_at(due, fid);
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            f.timers.push(id);
        }
        id
    }

    fn cancel_timers(&mut self, fid: FrameId) {
        let timers = match self.frames.get_mut(fid).and_then(Option::as_mut) {
            Some(f) => std::mem::take(&mut f.timers),
            None => return,
        };
        for t in timers {
            self.sched.cancel(t);
        }
    }

    /// One step of frame `fid`, then whatever its end lets its parents do.
    fn step_frame(&mut self, fid: FrameId) -> Result<(), EngineError> {
        let cursor = match self.frames.get_mut(fid).and_then(Option::as_mut) {
            Some(f) => std::mem::replace(&mut f.cursor, Cursor::Running),
            None => return Ok(()), // aborted
        };
        self.cancel_timers(fid);
        self.activate(fid);
        let r = match cursor {
            Cursor::Enter { name, input, prev } => {
                self.drive(fid, Step::Flow(Flow::Next(name, input, prev)), false)
            }
            Cursor::Suspended(susp) => match self.wake(fid, susp) {
                Ok((step, in_task)) => self.drive(fid, step, in_task),
                Err(e) => Err(e),
            },
            other => {
                if let Ok(f) = self.frame_mut(fid) {
                    f.cursor = other;
                }
                Ok(())
            }
        };
        self.deactivate(fid);
        r?;
        self.propagate(fid)
    }

    /// Runs frame `fid` (active) from `step` until it suspends or ends.
    fn drive(
        &mut self,
        fid: FrameId,
        mut step: Step,
        mut in_task: bool,
    ) -> Result<(), EngineError> {
        loop {
            if self.timed_out {
                // A synchronous back-off crossed the deadline.
                let last = self.events.len() as u64;
                step = Step::Flow(Run::execution_timeout(last));
            }
            match step {
                Step::Suspend(susp) => {
                    self.frame_mut(fid)?.cursor = Cursor::Suspended(susp);
                    return Ok(());
                }
                Step::Flow(Flow::Next(name, data, prev)) if !self.timed_out => {
                    if self.events.len() >= MAX_EVENTS {
                        step = Step::Flow(Flow::Failed(
                            StatesError {
                                error: Some("States.Runtime".into()),
                                cause: Some(format!(
                                    "The execution reached the maximum number of history events ({MAX_EVENTS})."
                                )),
                            },
                            prev,
                        ));
                        in_task = false;
                        continue;
                    }
                    let machine = self.frame_mut(fid)?.machine.clone();
                    let state = machine.state(&name).ok_or_else(|| {
                        EngineError::InvalidDefinition(format!("no state named {name:?}"))
                    })?;
                    in_task = matches!(state.kind, StateKind::Task(_));
                    step = self.state(state, data, prev)?;
                }
                Step::Flow(flow) => {
                    let f = self.frame_mut(fid)?;
                    f.failed_in_task = in_task && matches!(flow, Flow::Failed(..));
                    f.cursor = Cursor::Finished(flow);
                    return Ok(());
                }
            }
        }
    }

    /// A finished frame hands its end to its parent (which may then go on,
    /// and finish in turn), or closes the execution.
    fn propagate(&mut self, mut fid: FrameId) -> Result<(), EngineError> {
        loop {
            let finished = matches!(
                self.frames
                    .get(fid)
                    .and_then(Option::as_ref)
                    .map(|f| &f.cursor),
                Some(Cursor::Finished(_))
            );
            if !finished {
                return Ok(());
            }
            let Some(frame) = self.frames.get_mut(fid).and_then(Option::take) else {
                return Ok(());
            };
            for t in frame.timers {
                self.sched.cancel(t);
            }
            let Cursor::Finished(flow) = frame.cursor else {
                return Ok(());
            };
            match frame.parent {
                None => {
                    if self.timed_out {
                        self.timed_out = false;
                        self.execution_timed_out();
                    } else {
                        self.close(flow);
                    }
                    return Ok(());
                }
                Some((parent, index)) => {
                    let fan = match self.frames.get_mut(parent).and_then(Option::as_mut) {
                        Some(p) => match std::mem::replace(&mut p.cursor, Cursor::Running) {
                            Cursor::Suspended(Susp::Fan(fan)) => fan,
                            other => {
                                p.cursor = other;
                                return Err(internal(
                                    "a child ended under a frame without children",
                                ));
                            }
                        },
                        None => return Ok(()), // parent aborted
                    };
                    self.activate(parent);
                    let r = self
                        .child_done(parent, fan, index, flow, frame.failed_in_task)
                        .and_then(|step| self.drive(parent, step, false));
                    self.deactivate(parent);
                    r?;
                    fid = parent;
                }
            }
        }
    }

    /// Resumes a suspended state visit; the bool says whether it is a Task.
    fn wake(&mut self, fid: FrameId, susp: Susp) -> Result<(Step, bool), EngineError> {
        let machine = self.frame_mut(fid)?.machine.clone();
        match susp {
            Susp::Wait { v, effective } => {
                let s = machine
                    .state(&v.name)
                    .ok_or_else(|| internal("Wait state gone"))?;
                Ok((Step::Flow(self.wait_finish(s, &v, effective)?), false))
            }
            Susp::Task(tr) => {
                let s = machine
                    .state(&tr.v.name)
                    .ok_or_else(|| internal("Task state gone"))?;
                Ok((self.task_wake(fid, s, tr)?, true))
            }
            Susp::Fan(fan) => {
                let s = machine
                    .state(&fan.v.name)
                    .ok_or_else(|| internal("state gone"))?;
                if fan.backoff {
                    Ok((self.fan_attempt(fid, s, fan)?, false))
                } else {
                    // Woken without reason: stay suspended.
                    Ok((Step::Suspend(Susp::Fan(fan)), false))
                }
            }
        }
    }

    // ---------------------------------------------------------------- states

    /// Wait, Task, Parallel and Map after their Entered event.
    pub(super) fn suspending_state(
        &mut self,
        s: &State,
        raw: Value,
        entered: u64,
        entered_time: String,
        ctx: Value,
    ) -> Result<Step, EngineError> {
        let fid = self.current_frame()?;
        macro_rules! tryf {
            ($e:expr, $at:expr) => {
                match $e {
                    Ok(v) => v,
                    Err(f) => return Ok(Step::Flow(Flow::Failed(state_error(s, entered, f), $at))),
                }
            };
        }
        let jsonata = s.query_language == QueryLanguage::Jsonata;
        let v = Visit {
            name: s.name.clone(),
            rs: RetryState::new(s, entered),
            raw,
            entered,
            entered_time,
            ctx,
        };
        match &s.kind {
            StateKind::Wait(w) => {
                let (due, effective) = if jsonata {
                    match self.jsonata_wait_due(s, w, &v.raw, entered, &v.ctx) {
                        Ok(d) => (d, Value::Null),
                        Err(flow) => return Ok(Step::Flow(flow)),
                    }
                } else {
                    let effective = tryf!(self.path(&s.input_path, &v.raw, &v.ctx), entered);
                    let now = self.now();
                    let due = tryf!(self.wait_due(w, &effective, &v.ctx, now), entered);
                    (due, effective)
                };
                self.wake_at(fid, due);
                Ok(Step::Suspend(Susp::Wait {
                    v: Box::new(v),
                    effective,
                }))
            }
            StateKind::Task(t) => {
                let effective = tryf!(self.path(&s.input_path, &v.raw, &v.ctx), entered);
                self.task_start(fid, s, t, v, effective)
            }
            StateKind::Parallel { branches } => {
                let effective = tryf!(self.path(&s.input_path, &v.raw, &v.ctx), entered);
                let input = match &s.parameters {
                    Some(p) => tryf!(self.template(p, &effective, &v.ctx), entered),
                    None => effective,
                };
                let input = match self.jsonata_arguments(s, input, &v.raw, &v.ctx, entered) {
                    Ok(i) => i,
                    Err((e, id)) => {
                        return Ok(Step::Flow(self.with_retry(
                            s,
                            &v.raw,
                            entered,
                            &v.ctx,
                            |_, _, _| Ok(Attempt::Error(e.clone(), id)),
                        )?))
                    }
                };
                let plan = FanPlan::Parallel {
                    branches: branches.iter().cloned().map(Rc::new).collect(),
                    input,
                };
                self.fan_attempt(fid, s, Box::new(Fanout::new(v, plan)))
            }
            StateKind::Map(m) => {
                let effective = tryf!(self.path(&s.input_path, &v.raw, &v.ctx), entered);
                self.map_start(fid, s, m, v, effective)
            }
            _ => Err(unsupported(s, "state type")),
        }
    }

    fn current_frame(&self) -> Result<FrameId, EngineError> {
        Ok(self.current)
    }

    fn wait_finish(&mut self, s: &State, v: &Visit, effective: Value) -> Result<Flow, EngineError> {
        if s.query_language == QueryLanguage::Jsonata {
            return self.jsonata_wait_finish(s, &v.raw, v.entered, &v.ctx);
        }
        let entered = v.entered;
        let assigned = match self.assign(s, &s.assign, &effective, &v.ctx) {
            Ok(a) => a,
            Err(f) => return Ok(Flow::Failed(state_error(s, entered, f), entered)),
        };
        let out = match self.path(&s.output_path, &effective, &v.ctx) {
            Ok(o) => o,
            Err(f) => return Ok(Flow::Failed(state_error(s, entered, f), entered)),
        };
        let id = self.exited(s, &out, assigned, entered);
        self.transition(s, out, id)
    }

    // ------------------------------------------------------------------ Task

    fn task_start(
        &mut self,
        fid: FrameId,
        s: &State,
        t: &asl_core::model::Task,
        v: Visit,
        effective: Value,
    ) -> Result<Step, EngineError> {
        let entered = v.entered;
        let resource = t
            .resource
            .as_ref()
            .map(|r| r.value.clone())
            .ok_or_else(|| {
                EngineError::InvalidDefinition(format!("Task {:?} has no Resource", s.name))
            })?;
        let class = classify_resource(&resource);
        let family = class
            .event_family()
            .ok_or_else(|| unsupported(s, format!("Resource {resource:?}")))?;
        let pattern = class
            .pattern()
            .unwrap_or(IntegrationPattern::RequestResponse);
        let base_ctx = self.context(
            &s.name,
            &v.entered_time,
            CtxExtra {
                task: true,
                ..Default::default()
            },
        );
        let fail = |f: EvalFailure| Step::Flow(Flow::Failed(state_error(s, entered, f), entered));
        let timeout = match self.seconds_field(&t.timeout_seconds, &effective, &base_ctx) {
            Ok(v) => v,
            Err(f) => return Ok(fail(f)),
        };
        let heartbeat = match self.seconds_field(&t.heartbeat_seconds, &effective, &base_ctx) {
            Ok(v) => v,
            Err(f) => return Ok(fail(f)),
        };
        let (timeout, heartbeat) = match self.jsonata_task_seconds(
            s,
            t,
            (timeout, heartbeat),
            &effective,
            &base_ctx,
            entered,
        ) {
            Ok(v) => v,
            Err(flow) => return Ok(Step::Flow(flow)),
        };
        let credentials = match &t.credentials {
            None => None,
            Some(c) => match self.template(c, &effective, &base_ctx) {
                Ok(v) => Some(TaskCredentials {
                    role_arn: v.get("RoleArn").and_then(Value::as_str).map(str::to_owned),
                }),
                Err(f) => return Ok(fail(f)),
            },
        };
        let credentials =
            match self.jsonata_credentials(s, t, credentials, &effective, &base_ctx, entered) {
                Ok(v) => v,
                Err(flow) => return Ok(Step::Flow(flow)),
            };
        let (resource_type, res) = (
            class.resource_type().unwrap_or_default(),
            class.resource().unwrap_or_else(|| resource.clone()),
        );
        let callback = matches!(
            pattern,
            IntegrationPattern::WaitForTaskToken
                | IntegrationPattern::Sync
                | IntegrationPattern::Sync2
        ) && family == TaskEventFamily::Task;
        let mut v = v;
        v.ctx = base_ctx;
        let tr = Box::new(TaskRun {
            v,
            effective,
            resource,
            family,
            callback,
            wants_token: pattern == IntegrationPattern::WaitForTaskToken,
            timeout,
            heartbeat,
            credentials,
            resource_type,
            res,
            phase: TaskPhase::Backoff,
        });
        self.task_attempt(fid, s, tr)
    }

    /// One attempt: parameters, `…Scheduled`; `…Started` comes next step.
    fn task_attempt(
        &mut self,
        fid: FrameId,
        s: &State,
        mut tr: Box<TaskRun>,
    ) -> Result<Step, EngineError> {
        let entered = tr.v.entered;
        let prev = tr.v.rs.prev;
        let retry_count = tr.v.rs.retries;
        let token = tr.wants_token.then(|| self.rng.task_token());
        let ctx = self.context(
            &s.name,
            &tr.v.entered_time,
            CtxExtra {
                task: true,
                retry_count,
                token: token.as_deref(),
                item: None,
            },
        );
        let params = match &s.parameters {
            Some(p) => match self.template(p, &tr.effective, &ctx) {
                Ok(v) => v,
                Err(f) => return Ok(Step::Flow(Flow::Failed(state_error(s, entered, f), prev))),
            },
            None => tr.effective.clone(),
        };
        let params = match self.jsonata_arguments(s, params, &tr.effective, &ctx, entered) {
            Ok(v) => v,
            Err((e, id)) => return self.task_attempt_result(fid, s, tr, Attempt::Error(e, id)),
        };
        let n = self.per_state.entry(s.name.clone()).or_insert(0);
        let state_invocation = *n;
        *n = n.saturating_add(1);
        let execution_invocation = self.invocations;
        self.invocations = self.invocations.saturating_add(1);
        let scheduled = match tr.family {
            TaskEventFamily::Task => self.emit(
                prev,
                EventDetails::TaskScheduled(TaskScheduledEventDetails {
                    resource_type: tr.resource_type.clone(),
                    resource: tr.res.clone(),
                    region: self.config.region.clone(),
                    parameters: text(&params),
                    timeout_in_seconds: tr.timeout,
                    heartbeat_in_seconds: tr.heartbeat,
                    task_credentials: tr.credentials.clone(),
                }),
            ),
            TaskEventFamily::LambdaFunction => self.emit(
                prev,
                EventDetails::LambdaFunctionScheduled(LambdaFunctionScheduledEventDetails {
                    resource: tr.res.clone(),
                    input: Some(text(&params)),
                    input_details: Some(DataDetails::default()),
                    timeout_in_seconds: tr.timeout,
                    task_credentials: tr.credentials.clone(),
                }),
            ),
            TaskEventFamily::Activity => self.emit(
                prev,
                EventDetails::ActivityScheduled(ActivityScheduledEventDetails {
                    resource: tr.res.clone(),
                    input: Some(text(&params)),
                    input_details: Some(DataDetails::default()),
                    timeout_in_seconds: tr.timeout,
                    heartbeat_in_seconds: tr.heartbeat,
                }),
            ),
        };
        tr.phase = TaskPhase::Scheduled {
            scheduled,
            params,
            ctx,
            token,
            state_invocation,
            execution_invocation,
        };
        self.sched.push_ready(fid);
        Ok(Step::Suspend(Susp::Task(tr)))
    }

    fn started_event(&mut self, tr: &TaskRun, scheduled: u64, worker: Option<String>) -> u64 {
        match tr.family {
            TaskEventFamily::Task => self.emit(
                scheduled,
                EventDetails::TaskStarted(TaskStartedEventDetails {
                    resource_type: tr.resource_type.clone(),
                    resource: tr.res.clone(),
                }),
            ),
            TaskEventFamily::LambdaFunction => {
                self.emit(scheduled, EventDetails::LambdaFunctionStarted)
            }
            TaskEventFamily::Activity => self.emit(
                scheduled,
                EventDetails::ActivityStarted(ActivityStartedEventDetails {
                    worker_name: worker,
                }),
            ),
        }
    }

    /// Timers of a task waiting for an outside actor, from now.
    fn outside_timers(&mut self, fid: FrameId, tr: &TaskRun) -> Option<TimerId> {
        let now = self.now();
        let timeout = tr.timeout.unwrap_or(DEFAULT_TASK_TIMEOUT_SECONDS);
        let ms = |secs: u64| i64::try_from(secs.saturating_mul(1000)).unwrap_or(i64::MAX);
        self.wake_at(fid, add_millis(now, ms(timeout)));
        let beats = tr.callback || tr.family == TaskEventFamily::Activity;
        match tr.heartbeat {
            Some(h) if beats => Some(self.wake_at(fid, add_millis(now, ms(h)))),
            _ => None,
        }
    }

    fn task_wake(
        &mut self,
        fid: FrameId,
        s: &State,
        mut tr: Box<TaskRun>,
    ) -> Result<Step, EngineError> {
        let phase = std::mem::replace(&mut tr.phase, TaskPhase::Backoff);
        match phase {
            TaskPhase::Backoff => self.task_attempt(fid, s, tr),
            TaskPhase::Scheduled {
                scheduled,
                params,
                ctx,
                token,
                state_invocation,
                execution_invocation,
            } => {
                let inv = Invocation {
                    state: &s.name,
                    resource: &tr.resource,
                    state_invocation,
                    execution_invocation,
                    parameters: &params,
                };
                let answer = self.resolver.resolve(&inv);
                if matches!(answer, Some(TaskAnswer::Pending))
                    && tr.family == TaskEventFamily::Activity
                {
                    // Waits for a worker: no ActivityStarted yet.
                    tr.phase = TaskPhase::Outside {
                        scheduled,
                        p: scheduled,
                        ctx,
                        params,
                        token: None,
                        heartbeat_timer: None,
                    };
                    self.activity_queue.push(fid);
                    return Ok(Step::Suspend(Susp::Task(tr)));
                }
                let started = self.started_event(&tr, scheduled, None);
                let Some(answer) = answer else {
                    let err = StatesError {
                        error: Some("AslSim.NoMockedResponse".into()),
                        cause: Some(format!(
                            "no answer for Task state {:?}, attempt {} (invocation {state_invocation} of the state)",
                            s.name,
                            tr.v.rs.retries.saturating_add(1)
                        )),
                    };
                    return Ok(Step::Flow(Flow::Failed(err, started)));
                };
                if let TaskAnswer::StartFailed { error, cause }
                | TaskAnswer::SubmitFailed { error, cause }
                | TaskAnswer::ScheduleFailed { error, cause } = answer
                {
                    // Failed before the task ran: no duration, no TaskSubmitted.
                    let _ = self.resolver.timing(&inv);
                    let e = StatesError { error, cause };
                    let id = self.failure_event(
                        tr.family,
                        &tr.resource_type,
                        &tr.res,
                        &e,
                        false,
                        started,
                    );
                    tr.phase = TaskPhase::Outcome {
                        ctx,
                        result: Err((e, id)),
                    };
                    self.sched.push_ready(fid);
                    return Ok(Step::Suspend(Susp::Task(tr)));
                }
                // A callback or `.sync` task is submitted when it starts; its
                // duration runs from there.
                let mut p = started;
                if tr.callback {
                    let out = match &answer {
                        TaskAnswer::Succeeded {
                            submitted_output, ..
                        } => submitted_output.clone(),
                        _ => self.resolver.submitted(&inv),
                    };
                    p = self.submitted(&tr.resource_type, &tr.res, out, started);
                }
                if answer == TaskAnswer::Pending {
                    let token = token.unwrap_or_else(|| self.rng.task_token());
                    self.tokens.insert(token.clone(), fid);
                    let heartbeat_timer = self.outside_timers(fid, &tr);
                    tr.phase = TaskPhase::Outside {
                        scheduled,
                        p,
                        ctx,
                        params,
                        token: Some(token),
                        heartbeat_timer,
                    };
                    return Ok(Step::Suspend(Susp::Task(tr)));
                }
                // The answer takes its virtual time, unless the task times out
                // first (TimeoutSeconds, default 99999999; HeartbeatSeconds for
                // callbacks and activities).
                let timing = self.resolver.timing(&inv);
                let heartbeat_limit = (tr.callback || tr.family == TaskEventFamily::Activity)
                    .then_some(tr.heartbeat)
                    .flatten();
                let timeout_at = timing.timeout_at(
                    tr.timeout.unwrap_or(DEFAULT_TASK_TIMEOUT_SECONDS),
                    heartbeat_limit,
                );
                let elapsed = timeout_at.unwrap_or(timing.after);
                let due = add_millis(self.now(), i64::try_from(elapsed).unwrap_or(i64::MAX));
                let answer = match timeout_at {
                    Some(_) => TaskAnswer::TimedOut {
                        error: None,
                        cause: None,
                    },
                    None => answer,
                };
                tr.phase = TaskPhase::Running { p, ctx, answer };
                self.wake_at(fid, due);
                Ok(Step::Suspend(Susp::Task(tr)))
            }
            TaskPhase::Outside { p, ctx, token, .. } => {
                // A timer fired while the outside actor had the task: the task
                // or its heartbeat timed out.
                self.drop_outside(fid, token.as_deref());
                let e = StatesError {
                    error: Some("States.Timeout".into()),
                    cause: None,
                };
                let id = self.failure_event(tr.family, &tr.resource_type, &tr.res, &e, true, p);
                tr.phase = TaskPhase::Outcome {
                    ctx,
                    result: Err((e, id)),
                };
                self.sched.push_ready(fid);
                Ok(Step::Suspend(Susp::Task(tr)))
            }
            TaskPhase::Running { p, ctx, answer } => {
                let result = self.task_outcome(&tr, p, answer);
                tr.phase = TaskPhase::Outcome { ctx, result };
                self.sched.push_ready(fid);
                Ok(Step::Suspend(Susp::Task(tr)))
            }
            TaskPhase::Outcome { ctx, result } => {
                let attempt = match result {
                    Ok((output, id)) => {
                        let (raw, entered) = (tr.v.raw.clone(), tr.v.entered);
                        self.finish(s, &raw, output, &ctx, entered, id, id)?
                    }
                    Err((e, id)) => Attempt::Error(e, id),
                };
                self.task_attempt_result(fid, s, tr, attempt)
            }
        }
    }

    /// Records the outcome event of an answer.
    fn task_outcome(
        &mut self,
        tr: &TaskRun,
        p: u64,
        answer: TaskAnswer,
    ) -> Result<(Value, u64), (StatesError, u64)> {
        let (family, rt, res) = (tr.family, tr.resource_type.clone(), tr.res.clone());
        match answer {
            TaskAnswer::Succeeded { output, .. } => {
                let out_text = text(&output);
                if out_text.len() > MAX_PAYLOAD_BYTES {
                    let who = match family {
                        TaskEventFamily::LambdaFunction => res.clone(),
                        _ => rt.clone(),
                    };
                    let e = StatesError {
                        error: Some("States.DataLimitExceeded".into()),
                        cause: Some(format!(
                            "The state/task '{who}' returned a result with a size exceeding the maximum number of bytes service limit."
                        )),
                    };
                    let id = self.failure_event(family, &rt, &res, &e, false, p);
                    return Err((e, id));
                }
                let id = match family {
                    TaskEventFamily::Task => self.emit(
                        p,
                        EventDetails::TaskSucceeded(TaskOutputDetails {
                            resource_type: rt,
                            resource: res,
                            output: Some(out_text),
                            output_details: Some(DataDetails::default()),
                        }),
                    ),
                    TaskEventFamily::LambdaFunction => self.emit(
                        p,
                        EventDetails::LambdaFunctionSucceeded(OutputDetails::new(out_text)),
                    ),
                    TaskEventFamily::Activity => self.emit(
                        p,
                        EventDetails::ActivitySucceeded(OutputDetails::new(out_text)),
                    ),
                };
                Ok((output, id))
            }
            TaskAnswer::TimedOut { error, cause } => {
                let e = StatesError {
                    error: Some(error.unwrap_or_else(|| "States.Timeout".into())),
                    cause,
                };
                let id = self.failure_event(family, &rt, &res, &e, true, p);
                Err((e, id))
            }
            TaskAnswer::Failed { error, cause }
            | TaskAnswer::StartFailed { error, cause }
            | TaskAnswer::SubmitFailed { error, cause }
            | TaskAnswer::ScheduleFailed { error, cause } => {
                let e = StatesError { error, cause };
                let id = self.failure_event(family, &rt, &res, &e, false, p);
                Err((e, id))
            }
            TaskAnswer::Pending => {
                let e = StatesError {
                    error: Some("AslSim.InternalError".into()),
                    cause: Some("a pending answer reached the outcome".into()),
                };
                Err((e, p))
            }
        }
    }

    fn task_attempt_result(
        &mut self,
        fid: FrameId,
        s: &State,
        mut tr: Box<TaskRun>,
        attempt: Attempt,
    ) -> Result<Step, EngineError> {
        let (e, failed_at) = match attempt {
            Attempt::Done(flow) => return Ok(Step::Flow(flow)),
            Attempt::Error(e, id) => (e, id),
        };
        let (raw, ctx, entered) = (tr.v.raw.clone(), tr.v.ctx.clone(), tr.v.entered);
        match self.after_error(s, &raw, entered, &ctx, &mut tr.v.rs, e, failed_at)? {
            AfterError::Flow(f) => Ok(Step::Flow(f)),
            AfterError::Retry(due) => {
                tr.phase = TaskPhase::Backoff;
                self.wake_at(fid, due);
                Ok(Step::Suspend(Susp::Task(tr)))
            }
        }
    }

    fn drop_outside(&mut self, fid: FrameId, token: Option<&str>) {
        if let Some(t) = token {
            self.tokens.remove(t);
            self.closed_tokens.insert(t.to_owned());
        }
        self.activity_queue.retain(|f| *f != fid);
    }

    // -------------------------------------------------------- outside actors

    pub(crate) fn open_tokens(&self) -> Vec<OpenToken> {
        self.tokens
            .iter()
            .filter_map(|(token, fid)| {
                let f = self.frames.get(*fid)?.as_ref()?;
                match &f.cursor {
                    Cursor::Suspended(Susp::Task(tr)) => Some(OpenToken {
                        token: token.clone(),
                        state: tr.v.name.clone(),
                        resource: tr.resource.clone(),
                    }),
                    _ => None,
                }
            })
            .collect()
    }

    pub(crate) fn activity_tasks(&self) -> Vec<ActivityTask> {
        self.activity_queue
            .iter()
            .filter_map(|fid| {
                let f = self.frames.get(*fid)?.as_ref()?;
                match &f.cursor {
                    Cursor::Suspended(Susp::Task(tr)) => match &tr.phase {
                        TaskPhase::Outside { params, .. } => Some(ActivityTask {
                            activity: tr.resource.clone(),
                            state: tr.v.name.clone(),
                            input: text(params),
                        }),
                        _ => None,
                    },
                    _ => None,
                }
            })
            .collect()
    }

    /// Hands the oldest task of `activity` to a worker: `ActivityStarted`
    /// (with `workerName`), a token, and the timeout/heartbeat clocks.
    pub(crate) fn start_activity(
        &mut self,
        activity: &str,
        worker: Option<&str>,
    ) -> Option<ActivityHandout> {
        let pos = self.activity_queue.iter().position(|fid| {
            matches!(
                self.frames.get(*fid).and_then(Option::as_ref).map(|f| &f.cursor),
                Some(Cursor::Suspended(Susp::Task(tr))) if tr.resource == activity
            )
        })?;
        let fid = self.activity_queue.remove(pos);
        let mut tr = match self.frames.get_mut(fid).and_then(Option::as_mut) {
            Some(f) => match std::mem::replace(&mut f.cursor, Cursor::Running) {
                Cursor::Suspended(Susp::Task(tr)) => tr,
                other => {
                    f.cursor = other;
                    return None;
                }
            },
            None => return None,
        };
        let TaskPhase::Outside {
            scheduled,
            ctx,
            params,
            ..
        } = std::mem::replace(&mut tr.phase, TaskPhase::Backoff)
        else {
            return None;
        };
        self.scratch = self
            .frames
            .get(fid)
            .and_then(Option::as_ref)
            .is_some_and(|f| f.scratch);
        let started = self.started_event(&tr, scheduled, worker.map(str::to_owned));
        self.scratch = false;
        let token = self.rng.task_token();
        self.tokens.insert(token.clone(), fid);
        let heartbeat_timer = self.outside_timers(fid, &tr);
        let input = text(&params);
        tr.phase = TaskPhase::Outside {
            scheduled,
            p: started,
            ctx,
            params,
            token: Some(token.clone()),
            heartbeat_timer,
        };
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            f.cursor = Cursor::Suspended(Susp::Task(tr));
        }
        Some(ActivityHandout { token, input })
    }

    fn token_task(&mut self, token: &str) -> Result<(FrameId, Box<TaskRun>), TokenError> {
        let Some(&fid) = self.tokens.get(token) else {
            return Err(if self.closed_tokens.contains(token) {
                TokenError::Closed
            } else {
                TokenError::Unknown
            });
        };
        let f = self
            .frames
            .get_mut(fid)
            .and_then(Option::as_mut)
            .ok_or(TokenError::Closed)?;
        match std::mem::replace(&mut f.cursor, Cursor::Running) {
            Cursor::Suspended(Susp::Task(tr)) => Ok((fid, tr)),
            other => {
                f.cursor = other;
                Err(TokenError::Closed)
            }
        }
    }

    /// SendTaskSuccess / SendTaskFailure: the outcome is recorded when the
    /// frame next runs.
    pub(crate) fn complete_token(
        &mut self,
        token: &str,
        outcome: Result<Value, (Option<String>, Option<String>)>,
    ) -> Result<(), TokenError> {
        let (fid, mut tr) = self.token_task(token)?;
        let phase = std::mem::replace(&mut tr.phase, TaskPhase::Backoff);
        let TaskPhase::Outside { p, ctx, .. } = phase else {
            tr.phase = phase;
            if let Some(Some(f)) = self.frames.get_mut(fid) {
                f.cursor = Cursor::Suspended(Susp::Task(tr));
            }
            return Err(TokenError::Closed);
        };
        self.cancel_timers(fid);
        self.drop_outside(fid, Some(token));
        let answer = match outcome {
            Ok(output) => TaskAnswer::Succeeded {
                output,
                submitted_output: None,
            },
            Err((error, cause)) => TaskAnswer::Failed { error, cause },
        };
        tr.phase = TaskPhase::Running { p, ctx, answer };
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            f.cursor = Cursor::Suspended(Susp::Task(tr));
        }
        self.sched.push_ready(fid);
        Ok(())
    }

    /// SendTaskHeartbeat: restarts the heartbeat clock.
    pub(crate) fn heartbeat(&mut self, token: &str) -> Result<(), TokenError> {
        let (fid, mut tr) = self.token_task(token)?;
        let beats = tr.callback || tr.family == TaskEventFamily::Activity;
        let limit = tr.heartbeat.filter(|_| beats);
        if let (
            TaskPhase::Outside {
                heartbeat_timer, ..
            },
            Some(h),
        ) = (&mut tr.phase, limit)
        {
            if let Some(old) = heartbeat_timer.take() {
                self.sched.cancel(old);
                if let Some(Some(f)) = self.frames.get_mut(fid) {
                    f.timers.retain(|t| *t != old);
                }
            }
            let ms = i64::try_from(h.saturating_mul(1000)).unwrap_or(i64::MAX);
            let due = add_millis(self.now(), ms);
            *heartbeat_timer = Some(self.wake_at(fid, due));
        }
        if let Some(Some(f)) = self.frames.get_mut(fid) {
            f.cursor = Cursor::Suspended(Susp::Task(tr));
        }
        Ok(())
    }

    // ------------------------------------------------------- Parallel / Map

    fn map_start(
        &mut self,
        fid: FrameId,
        s: &State,
        m: &asl_core::model::MapState,
        v: Visit,
        effective: Value,
    ) -> Result<Step, EngineError> {
        let entered = v.entered;
        let ctx = v.ctx.clone();
        let fail =
            |f: EvalFailure, at: u64| Step::Flow(Flow::Failed(state_error(s, entered, f), at));
        let mut concurrency = 0i64;
        // MaxConcurrencyPath is checked before MapStateStarted.
        match &m.max_concurrency {
            Some(Dynamic::Path(p)) => {
                let got = Self::env(&self.compiled, &self.vars, &mut self.rng, &effective, &ctx)
                    .select_src(&p.value);
                match got {
                    Ok(x) if int_like(&x).is_some_and(|n| n >= 0) => {
                        concurrency = int_like(&x).unwrap_or(0);
                    }
                    Ok(x) => {
                        let shown = match &x {
                            Value::String(s) => s.clone(),
                            o => text(o),
                        };
                        return Ok(fail(
                            EvalFailure::runtime(format!(
                                "The MaxConcurrencyPath field refers to value \"{shown}\" which is not a valid integer: {}",
                                p.value
                            )),
                            entered,
                        ));
                    }
                    Err(miss) => {
                        return Ok(fail(
                            EvalFailure::runtime(miss.invalid_path_cause(&p.value)),
                            entered,
                        ))
                    }
                }
            }
            Some(Dynamic::Literal(x)) => concurrency = int_like(x).unwrap_or(0),
            _ => {}
        }
        let items = match &m.items_path {
            None => effective.clone(),
            Some(p) => match Self::env(&self.compiled, &self.vars, &mut self.rng, &effective, &ctx)
                .select_src(&p.value)
            {
                Ok(v) => v,
                Err(miss) => {
                    return Ok(fail(
                        EvalFailure::runtime(miss.invalid_path_cause(&p.value)),
                        entered,
                    ))
                }
            },
        };
        let raw = v.raw.clone();
        let items = match self.jsonata_items(s, m, items, &raw, &ctx, entered) {
            Ok(v) => v,
            Err(flow) => return flow.map(Step::Flow),
        };
        if let Some(n) = self.jsonata_max_concurrency(m, &raw, &ctx) {
            concurrency = n;
        }
        let items = match items {
            Value::Array(a) => a,
            other => {
                return Ok(fail(
                    EvalFailure::runtime(format!(
                        "Map state input must be an array but was: {}",
                        text(&other)
                    )),
                    entered,
                ))
            }
        };
        let plan = FanPlan::Map {
            processor: Rc::new(m.processor.clone()),
            items,
            effective,
            concurrency: usize::try_from(concurrency.max(0)).unwrap_or(usize::MAX),
            distributed: m.mode == MapMode::Distributed,
        };
        self.fan_attempt(fid, s, Box::new(Fanout::new(v, plan)))
    }

    /// One attempt of a Parallel/Map state: `…StateStarted` and the first
    /// children.
    fn fan_attempt(
        &mut self,
        fid: FrameId,
        s: &State,
        mut fan: Box<Fanout>,
    ) -> Result<Step, EngineError> {
        fan.reset();
        let prev = fan.v.rs.prev;
        let entered = fan.v.entered;
        let parallel_branches = match &fan.plan {
            FanPlan::Parallel { branches, .. } => Some(branches.len()),
            FanPlan::Map { .. } => None,
        };
        if let Some(n) = parallel_branches {
            {
                fan.started = self.emit(prev, EventDetails::ParallelStateStarted);
                fan.last = fan.started;
                fan.children = vec![None; n];
                fan.results = vec![Value::Null; n];
                let started = fan.started;
                for i in 0..n {
                    self.spawn(fid, &mut fan, i, started)?;
                }
                if n == 0 {
                    return self.fan_complete(fid, s, fan);
                }
                return Ok(Step::Suspend(Susp::Fan(fan)));
            }
        }
        let (n, effective, distributed) = match &fan.plan {
            FanPlan::Map {
                items,
                effective,
                distributed,
                ..
            } => (items.len(), effective.clone(), *distributed),
            FanPlan::Parallel { .. } => return Err(internal("no plan")),
        };
        {
            {
                let length = u32::try_from(n).unwrap_or(u32::MAX);
                let started = self.emit(
                    prev,
                    EventDetails::MapStateStarted(MapStateStartedEventDetails { length }),
                );
                fan.started = started;
                fan.last = started;
                fan.children = vec![None; n];
                fan.results = vec![Value::Null; n];
                let m = match &s.kind {
                    StateKind::Map(m) => m,
                    _ => return Err(internal("Map plan on another state")),
                };
                // Tolerated-failure paths are checked after MapStateStarted.
                let ctx = fan.v.ctx.clone();
                for (field, d, float) in [
                    (
                        "ToleratedFailureCountPath",
                        &m.tolerated_failure_count,
                        false,
                    ),
                    (
                        "ToleratedFailurePercentagePath",
                        &m.tolerated_failure_percentage,
                        true,
                    ),
                ] {
                    if let Some(Dynamic::Path(p)) = d {
                        let v =
                            Self::env(&self.compiled, &self.vars, &mut self.rng, &effective, &ctx)
                                .select_src(&p.value);
                        let ok = match &v {
                            Ok(x) if float => {
                                float_like(x).is_some_and(|f| (0.0..=100.0).contains(&f))
                            }
                            Ok(x) => int_like(x).is_some_and(|i| i >= 0),
                            _ => false,
                        };
                        if !ok {
                            let cause = match &v {
                                Ok(Value::Number(n)) if float && n.as_f64().is_some() => {
                                    "ToleratedFailurePercentage must be between 0 and 100.".to_string()
                                }
                                Ok(Value::Number(n)) if !float && n.as_i64().is_some() => {
                                    "ToleratedFailureCount cannot be negative.".to_string()
                                }
                                Ok(other) => format!(
                                    "The {field} field refers to value \"{}\" which is not a valid {}: {}",
                                    match other {
                                        Value::String(s) => s.clone(),
                                        o => text(o),
                                    },
                                    if float { "float" } else { "integer" },
                                    p.value
                                ),
                                Err(miss) => miss.invalid_path_cause(&p.value),
                            };
                            return Ok(Step::Flow(Flow::Failed(
                                state_error(s, entered, EvalFailure::runtime(cause)),
                                started,
                            )));
                        }
                    }
                }
                if distributed {
                    let label = m
                        .label
                        .as_ref()
                        .map(|l| l.value.clone())
                        .unwrap_or_else(|| s.name.clone());
                    let run_id = self.rng.uuid_v4();
                    let map_run_arn = format!(
                        "arn:aws:states:{}:{}:mapRun:{}/{}:{}",
                        self.config.region,
                        self.config.account,
                        self.config.state_machine_name,
                        label,
                        run_id
                    );
                    fan.run_started = self.emit(
                        started,
                        EventDetails::MapRunStarted(MapRunStartedEventDetails { map_run_arn }),
                    );
                }
                if n == 0 {
                    return self.fan_complete(fid, s, fan);
                }
                let first = if distributed {
                    1
                } else {
                    match fan.concurrency() {
                        0 => n,
                        c => c.min(n),
                    }
                };
                for _ in 0..first {
                    if let Some(step) = self.map_next(fid, s, &mut fan, started)? {
                        self.abort_children(&mut fan, None);
                        return Ok(step);
                    }
                }
                Ok(Step::Suspend(Susp::Fan(fan)))
            }
        }
    }

    /// Starts the next Map iteration (← `prev`); `Some` when its ItemSelector
    /// failed the state.
    fn map_next(
        &mut self,
        fid: FrameId,
        s: &State,
        fan: &mut Fanout,
        prev: u64,
    ) -> Result<Option<Step>, EngineError> {
        let i = fan.next;
        let FanPlan::Map {
            items,
            effective,
            distributed,
            ..
        } = &fan.plan
        else {
            return Ok(None);
        };
        let Some(item) = items.get(i).cloned() else {
            return Ok(None);
        };
        let (effective, distributed) = (effective.clone(), *distributed);
        fan.next += 1;
        let entered = fan.v.entered;
        let it_started = if distributed {
            prev
        } else {
            self.emit(
                prev,
                EventDetails::MapIterationStarted(MapIterationEventDetails {
                    name: s.name.clone(),
                    index: u32::try_from(i).unwrap_or(u32::MAX),
                }),
            )
        };
        let selector = match &s.kind {
            StateKind::Map(m) => m.item_selector.clone(),
            _ => None,
        };
        let input = match &selector {
            None => item,
            Some(t) if s.query_language == QueryLanguage::Jsonata => {
                let time = if distributed {
                    format_rfc3339(self.now())
                } else {
                    fan.v.entered_time.clone()
                };
                let raw = fan.v.raw.clone();
                match self.jsonata_item_selector(s, t, &raw, i, &item, &time, entered) {
                    Ok(v) => v,
                    Err(a) => return self.fan_attempt_result(fid, s, fan, a).map(Some),
                }
            }
            Some(t) => {
                let time = if distributed {
                    format_rfc3339(self.now())
                } else {
                    fan.v.entered_time.clone()
                };
                let ictx = self.context(
                    &s.name,
                    &time,
                    CtxExtra {
                        item: Some((i, &item)),
                        ..Default::default()
                    },
                );
                match self.template(t, &effective, &ictx) {
                    Ok(v) => v,
                    Err(f) => {
                        let e = state_error(s, entered, f);
                        if distributed {
                            return self.distributed_failed(fid, s, fan).map(Some);
                        }
                        return Ok(Some(Step::Flow(Flow::Failed(e, it_started))));
                    }
                }
            }
        };
        self.spawn_with(fid, fan, i, it_started, input)?;
        Ok(None)
    }

    /// Starts branch `i` of a Parallel (input: the branch input).
    fn spawn(
        &mut self,
        fid: FrameId,
        fan: &mut Fanout,
        i: usize,
        prev: u64,
    ) -> Result<(), EngineError> {
        let input = match &fan.plan {
            FanPlan::Parallel { input, .. } => input.clone(),
            FanPlan::Map { .. } => Value::Null,
        };
        self.spawn_with(fid, fan, i, prev, input)
    }

    fn spawn_with(
        &mut self,
        fid: FrameId,
        fan: &mut Fanout,
        i: usize,
        prev: u64,
        input: Value,
    ) -> Result<(), EngineError> {
        let (machine, scratch) = match &fan.plan {
            FanPlan::Parallel { branches, .. } => (
                branches
                    .get(i)
                    .cloned()
                    .ok_or_else(|| internal("no branch"))?,
                false,
            ),
            FanPlan::Map {
                processor,
                distributed,
                ..
            } => (processor.clone(), *distributed),
        };
        let start = machine
            .start_at
            .as_ref()
            .map(|s| s.value.clone())
            .ok_or_else(|| EngineError::InvalidDefinition("no StartAt".into()))?;
        let mut vars = if scratch {
            Scopes::new()
        } else {
            self.vars.clone()
        };
        vars.push();
        let child = self.new_frame(Frame {
            machine,
            parent: Some((fid, i)),
            vars,
            scratch: scratch || self.scratch,
            cursor: Cursor::Enter {
                name: start,
                input,
                prev: if scratch { 0 } else { prev },
            },
            timers: Vec::new(),
            failed_in_task: false,
        });
        if let Some(c) = fan.children.get_mut(i) {
            *c = Some(child);
        }
        self.sched.push_ready(child);
        Ok(())
    }

    /// A child frame ended.
    fn child_done(
        &mut self,
        fid: FrameId,
        mut fan: Box<Fanout>,
        index: usize,
        flow: Flow,
        failed_in_task: bool,
    ) -> Result<Step, EngineError> {
        let machine = self.frame_mut(fid)?.machine.clone();
        let s = machine
            .state(&fan.v.name)
            .ok_or_else(|| internal("state gone"))?;
        if let Some(c) = fan.children.get_mut(index) {
            *c = None;
        }
        let distributed = matches!(
            fan.plan,
            FanPlan::Map {
                distributed: true,
                ..
            }
        );
        let is_map = matches!(fan.plan, FanPlan::Map { .. });
        match flow {
            Flow::End(out, id) => {
                if let Some(r) = fan.results.get_mut(index) {
                    *r = out;
                }
                fan.finished += 1;
                let mut next_prev = id;
                if is_map && !distributed {
                    fan.last = self.emit(
                        id,
                        EventDetails::MapIterationSucceeded(MapIterationEventDetails {
                            name: s.name.clone(),
                            index: u32::try_from(index).unwrap_or(u32::MAX),
                        }),
                    );
                } else if !is_map {
                    fan.last = id;
                } else {
                    next_prev = fan.run_started;
                }
                if is_map && fan.next < fan.results.len() {
                    if let Some(step) = self.map_next(fid, s, &mut fan, next_prev)? {
                        self.abort_children(&mut fan, None);
                        return Ok(step);
                    }
                }
                if fan.finished == fan.results.len() {
                    return self.fan_complete(fid, s, fan);
                }
                Ok(Step::Suspend(Susp::Fan(fan)))
            }
            Flow::Failed(e, id) => {
                if distributed {
                    return self.distributed_failed(fid, s, &mut fan);
                }
                if is_map {
                    self.emit(
                        id,
                        EventDetails::MapIterationFailed(MapIterationEventDetails {
                            name: s.name.clone(),
                            index: u32::try_from(index).unwrap_or(u32::MAX),
                        }),
                    );
                }
                self.abort_children(&mut fan, Some((index, failed_in_task, id)));
                if is_map && is_runtime(&e) {
                    let failed = self.emit(id, EventDetails::MapStateFailed);
                    return Ok(Step::Flow(Flow::Failed(e, failed)));
                }
                self.fan_attempt_result(fid, s, &mut fan, Attempt::Error(e, id))
            }
            Flow::Next(..) => Err(internal("a child ended on a transition")),
        }
    }

    /// Aborts the running children of a failing Parallel/Map (see the
    /// module docs for the events). `failing`: the failing child's index,
    /// whether it failed in a Task, and the failing event. Without it the
    /// children are dropped silently.
    fn abort_children(&mut self, fan: &mut Fanout, failing: Option<(usize, bool, u64)>) {
        let is_map = matches!(fan.plan, FanPlan::Map { .. });
        for j in 0..fan.children.len() {
            let child = fan.children.get_mut(j).and_then(Option::take);
            match failing {
                Some((k, in_task, f)) if j == k => {
                    if in_task {
                        self.emit(f, EventDetails::TaskStateAborted);
                    }
                }
                Some((_, _, f)) => {
                    if let Some(c) = child {
                        if is_map {
                            self.emit(
                                f,
                                EventDetails::MapIterationAborted(MapIterationEventDetails {
                                    name: fan.v.name.clone(),
                                    index: u32::try_from(j).unwrap_or(u32::MAX),
                                }),
                            );
                        }
                        self.abort_frame(c, Some(f));
                    }
                }
                None => {
                    if let Some(c) = child {
                        self.abort_frame(c, None);
                    }
                }
            }
        }
    }

    /// Removes a frame (and its children), recording its open state's
    /// `…StateAborted` ← `prev` (nothing when `prev` is `None`).
    fn abort_frame(&mut self, fid: FrameId, prev: Option<u64>) {
        let Some(frame) = self.frames.get_mut(fid).and_then(Option::take) else {
            return;
        };
        for t in frame.timers {
            self.sched.cancel(t);
        }
        let saved = self.scratch;
        self.scratch = frame.scratch;
        match frame.cursor {
            Cursor::Suspended(Susp::Task(tr)) => {
                if let TaskPhase::Outside { token, .. } = &tr.phase {
                    self.drop_outside(fid, token.as_deref());
                }
                if let Some(p) = prev {
                    self.emit(p, EventDetails::TaskStateAborted);
                }
            }
            Cursor::Suspended(Susp::Wait { .. }) => {
                if let Some(p) = prev {
                    self.emit(p, EventDetails::WaitStateAborted);
                }
            }
            Cursor::Suspended(Susp::Fan(mut fan)) => {
                let is_map = matches!(fan.plan, FanPlan::Map { .. });
                match prev {
                    Some(p) => {
                        for j in 0..fan.children.len() {
                            if let Some(c) = fan.children.get_mut(j).and_then(Option::take) {
                                if is_map {
                                    self.emit(
                                        p,
                                        EventDetails::MapIterationAborted(
                                            MapIterationEventDetails {
                                                name: fan.v.name.clone(),
                                                index: u32::try_from(j).unwrap_or(u32::MAX),
                                            },
                                        ),
                                    );
                                }
                                self.abort_frame(c, Some(p));
                            }
                        }
                        self.emit(
                            p,
                            if is_map {
                                EventDetails::MapStateAborted
                            } else {
                                EventDetails::ParallelStateAborted
                            },
                        );
                    }
                    None => self.abort_children(&mut fan, None),
                }
            }
            _ => {}
        }
        self.scratch = saved;
    }

    /// A distributed Map's child failed: `MapRunFailed`.
    fn distributed_failed(
        &mut self,
        fid: FrameId,
        s: &State,
        fan: &mut Fanout,
    ) -> Result<Step, EngineError> {
        self.abort_children(fan, None);
        let err = StatesError {
            error: Some("States.ExceedToleratedFailureThreshold".into()),
            cause: Some("The specified tolerated failure threshold was exceeded".into()),
        };
        let id = self.emit(
            fan.run_started,
            EventDetails::MapRunFailed(ErrorDetails::new(err.error.clone(), err.cause.clone())),
        );
        self.fan_attempt_result(fid, s, fan, Attempt::Error(err, id))
    }

    /// Every child succeeded.
    fn fan_complete(
        &mut self,
        fid: FrameId,
        s: &State,
        mut fan: Box<Fanout>,
    ) -> Result<Step, EngineError> {
        let results = Value::Array(std::mem::take(&mut fan.results));
        let (raw, ctx, entered) = (fan.v.raw.clone(), fan.v.ctx.clone(), fan.v.entered);
        let attempt = match &fan.plan {
            FanPlan::Parallel { .. } => {
                self.emit(fan.last, EventDetails::ParallelStateSucceeded);
                self.finish(s, &raw, results, &ctx, entered, fan.last, fan.last)?
            }
            FanPlan::Map {
                distributed: false, ..
            } => {
                self.emit(fan.last, EventDetails::MapStateSucceeded);
                self.finish(s, &raw, results, &ctx, entered, fan.last, fan.last)?
            }
            FanPlan::Map {
                distributed: true, ..
            } => {
                let succ = self.emit(fan.run_started, EventDetails::MapRunSucceeded);
                self.emit(succ, EventDetails::MapStateSucceeded);
                // `MapStateExited` ← `MapRunStarted` today; ← `MapRunSucceeded`
                // before November 2024 (see `AwsBehaviour`).
                let exit_prev = match self.config.aws_behaviour {
                    super::super::AwsBehaviour::Current => fan.run_started,
                    super::super::AwsBehaviour::Before2024_11 => succ,
                };
                self.finish(s, &raw, results, &ctx, entered, succ, exit_prev)?
            }
        };
        self.fan_attempt_result(fid, s, &mut fan, attempt)
    }

    fn fan_attempt_result(
        &mut self,
        fid: FrameId,
        s: &State,
        fan: &mut Fanout,
        attempt: Attempt,
    ) -> Result<Step, EngineError> {
        let (e, failed_at) = match attempt {
            Attempt::Done(flow) => {
                self.abort_children(fan, None);
                return Ok(Step::Flow(flow));
            }
            Attempt::Error(e, id) => (e, id),
        };
        self.abort_children(fan, None);
        let (raw, ctx, entered) = (fan.v.raw.clone(), fan.v.ctx.clone(), fan.v.entered);
        match self.after_error(s, &raw, entered, &ctx, &mut fan.v.rs, e, failed_at)? {
            AfterError::Flow(f) => Ok(Step::Flow(f)),
            AfterError::Retry(due) => {
                let mut moved = Box::new(Fanout::new(
                    Visit {
                        name: fan.v.name.clone(),
                        raw,
                        entered,
                        entered_time: fan.v.entered_time.clone(),
                        ctx,
                        rs: fan.v.rs.clone(),
                    },
                    std::mem::replace(
                        &mut fan.plan,
                        FanPlan::Parallel {
                            branches: Vec::new(),
                            input: Value::Null,
                        },
                    ),
                ));
                moved.backoff = true;
                self.wake_at(fid, due);
                Ok(Step::Suspend(Susp::Fan(moved)))
            }
        }
    }
}

impl Fanout {
    fn new(v: Visit, plan: FanPlan) -> Self {
        Fanout {
            v,
            plan,
            children: Vec::new(),
            results: Vec::new(),
            next: 0,
            finished: 0,
            started: 0,
            run_started: 0,
            last: 0,
            backoff: false,
        }
    }

    fn reset(&mut self) {
        self.children.clear();
        self.results.clear();
        self.next = 0;
        self.finished = 0;
        self.backoff = false;
    }

    fn concurrency(&self) -> usize {
        match &self.plan {
            FanPlan::Map { concurrency, .. } => *concurrency,
            FanPlan::Parallel { .. } => 0,
        }
    }
}
