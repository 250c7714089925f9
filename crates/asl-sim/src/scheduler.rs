//! The event-loop skeleton the engine runs on: a FIFO of runnable work and a
//! timer queue (`BinaryHeap<Reverse<(due, seq)>>`) on a [`VirtualClock`].
//!
//! [`Scheduler::next_step`] hands out runnable items first; when none is left it
//! jumps the clock to the earliest timer — unless the clock is *held* (an
//! outside actor such as an activity worker or an unanswered task token is
//! pending), in which case it reports [`Next::Blocked`] and only
//! [`Scheduler::advance_by`] (real elapsed time fed by a server) moves time.
//! Ties between timers are broken by insertion order (`seq`), so the order
//! never depends on anything but the calls made.

use crate::clock::{add_millis, Millis, VirtualClock};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, VecDeque};

/// Identifies a scheduled timer, for cancellation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimerId(u64);

/// What the loop should do next.
#[derive(Debug, PartialEq, Eq)]
pub enum Next<T> {
    /// Run this item now (the clock already shows its time).
    Ready(T),
    /// Nothing runnable, timers pending, but the clock is held.
    Blocked,
    /// Nothing runnable and no timers: the loop is done.
    Idle,
}

/// Runnable queue + timer queue + virtual clock.
#[derive(Debug)]
pub struct Scheduler<T> {
    clock: VirtualClock,
    ready: VecDeque<T>,
    timers: BinaryHeap<Reverse<(Millis, u64)>>,
    payloads: BTreeMap<u64, T>,
    next_seq: u64,
    holds: u32,
}

impl<T> Scheduler<T> {
    /// An empty scheduler on `clock`.
    pub fn new(clock: VirtualClock) -> Self {
        Scheduler {
            clock,
            ready: VecDeque::new(),
            timers: BinaryHeap::new(),
            payloads: BTreeMap::new(),
            next_seq: 0,
            holds: 0,
        }
    }

    /// The current virtual time.
    pub fn now(&self) -> Millis {
        self.clock.now()
    }

    /// Queues `item` to run now, after the items already queued.
    pub fn push_ready(&mut self, item: T) {
        self.ready.push_back(item);
    }

    /// Fires `item` at `due` (a time in the past fires at once, at the
    /// current time).
    pub fn schedule_at(&mut self, due: Millis, item: T) -> TimerId {
        let seq = self.next_seq;
        self.next_seq += 1;
        self.timers.push(Reverse((due.max(self.clock.now()), seq)));
        self.payloads.insert(seq, item);
        TimerId(seq)
    }

    /// Fires `item` after `delay` milliseconds (saturating).
    pub fn schedule_in(&mut self, delay: Millis, item: T) -> TimerId {
        let due = add_millis(self.clock.now(), delay.max(0));
        self.schedule_at(due, item)
    }

    /// Cancels a timer; returns its item if it had not fired.
    pub fn cancel(&mut self, id: TimerId) -> Option<T> {
        self.payloads.remove(&id.0)
    }

    /// The due time of the earliest live timer.
    pub fn next_due(&mut self) -> Option<Millis> {
        self.drop_cancelled();
        self.timers.peek().map(|Reverse((due, _))| *due)
    }

    fn drop_cancelled(&mut self) {
        while let Some(Reverse((_, seq))) = self.timers.peek() {
            if self.payloads.contains_key(seq) {
                break;
            }
            self.timers.pop();
        }
    }

    /// An outside actor holds the clock (nested holds count).
    pub fn hold(&mut self) {
        self.holds = self.holds.saturating_add(1);
    }

    /// Releases one hold.
    pub fn release(&mut self) {
        self.holds = self.holds.saturating_sub(1);
    }

    /// Whether the clock is held.
    pub fn is_held(&self) -> bool {
        self.holds > 0
    }

    /// Real elapsed time while held: moves the clock and makes the timers
    /// that came due runnable (in due order).
    pub fn advance_by(&mut self, ms: Millis) {
        self.clock.advance(ms);
        let now = self.clock.now();
        while let Some(due) = self.next_due() {
            if due > now {
                break;
            }
            if let Some(item) = self.pop_timer() {
                self.ready.push_back(item);
            }
        }
    }

    fn pop_timer(&mut self) -> Option<T> {
        self.drop_cancelled();
        let Reverse((due, seq)) = self.timers.pop()?;
        self.clock.advance_to(due);
        self.payloads.remove(&seq)
    }

    /// The next runnable item, without touching the timers or the clock.
    pub fn pop_ready(&mut self) -> Option<T> {
        self.ready.pop_front()
    }

    /// Whether anything is runnable now.
    pub fn has_ready(&self) -> bool {
        !self.ready.is_empty()
    }

    /// Moves the clock to the earliest timer and makes every timer due at
    /// that instant runnable, in insertion order — timers that come due
    /// together fire before the work they cause. Returns whether a timer
    /// fired.
    pub fn fire_due_batch(&mut self) -> bool {
        let Some(due) = self.next_due() else {
            return false;
        };
        while self.next_due() == Some(due) {
            if let Some(item) = self.pop_timer() {
                self.ready.push_back(item);
            }
        }
        true
    }

    /// Moves the clock forward to `t` without firing anything (the clock
    /// never goes back).
    pub fn set_clock(&mut self, t: Millis) {
        self.clock.advance_to(t);
    }

    /// The next item to run (see the module docs).
    pub fn next_step(&mut self) -> Next<T> {
        if let Some(item) = self.ready.pop_front() {
            return Next::Ready(item);
        }
        match self.next_due() {
            None => Next::Idle,
            Some(due) if self.is_held() && due > self.clock.now() => Next::Blocked,
            Some(_) => match self.pop_timer() {
                Some(item) => Next::Ready(item),
                None => Next::Idle,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::{DEFAULT_START, MAX_TIME};

    #[test]
    fn ready_first_then_timers_in_due_then_insertion_order() {
        let mut s = Scheduler::new(VirtualClock::default());
        s.schedule_in(5_000, "b");
        s.schedule_in(1_000, "a");
        s.schedule_in(5_000, "c");
        s.push_ready("now");
        assert_eq!(s.next_step(), Next::Ready("now"));
        assert_eq!(s.now(), DEFAULT_START);
        assert_eq!(s.next_step(), Next::Ready("a"));
        assert_eq!(s.now(), DEFAULT_START + 1_000);
        assert_eq!(s.next_step(), Next::Ready("b"));
        assert_eq!(s.next_step(), Next::Ready("c"));
        assert_eq!(s.now(), DEFAULT_START + 5_000);
        assert_eq!(s.next_step(), Next::Idle);
    }

    #[test]
    fn a_year_long_wait_takes_no_time_and_cancel_works() {
        let mut s = Scheduler::new(VirtualClock::default());
        let year = 365 * 24 * 3600 * 1000;
        let t = s.schedule_in(10, "cancelled");
        s.schedule_in(year, "wake");
        assert_eq!(s.cancel(t), Some("cancelled"));
        assert_eq!(s.cancel(t), None);
        assert_eq!(s.next_step(), Next::Ready("wake"));
        assert_eq!(s.now(), DEFAULT_START + year);
        s.schedule_in(i64::MAX, "never");
        assert_eq!(s.next_step(), Next::Ready("never"));
        assert_eq!(s.now(), MAX_TIME);
    }

    #[test]
    fn held_clock_blocks_until_real_time_passes() {
        let mut s = Scheduler::new(VirtualClock::default());
        s.schedule_in(2_000, "heartbeat timeout");
        s.hold();
        assert_eq!(s.next_step(), Next::Blocked);
        s.advance_by(1_000);
        assert_eq!(s.next_step(), Next::Blocked);
        s.advance_by(1_000);
        assert_eq!(s.next_step(), Next::Ready("heartbeat timeout"));
        assert_eq!(s.now(), DEFAULT_START + 2_000);
        s.release();
        s.release();
        assert!(!s.is_held());
        assert_eq!(s.next_step(), Next::Idle);
    }
}
