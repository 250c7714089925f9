//! The service clock. `Virtual` time moves only when the service skips to
//! the end of executions (nothing holds the clock) or when told to advance;
//! `Real` time follows the wall clock from the start instant (the one place
//! the simulator reads it, as DESIGN.md allows for `serve --clock real`).

use std::time::Instant;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClockMode {
    Virtual,
    Real,
}

#[derive(Debug, Clone)]
pub struct ServiceClock {
    mode: ClockMode,
    base: i64,
    offset: i64,
    started: Instant,
}

impl ServiceClock {
    pub fn new(mode: ClockMode, start: i64) -> Self {
        ServiceClock {
            mode,
            base: start,
            offset: 0,
            started: Instant::now(),
        }
    }

    pub fn mode(&self) -> ClockMode {
        self.mode
    }

    pub fn now(&self) -> i64 {
        let wall = match self.mode {
            ClockMode::Virtual => 0,
            ClockMode::Real => {
                i64::try_from(self.started.elapsed().as_millis()).unwrap_or(i64::MAX)
            }
        };
        crate::clock::add_millis(crate::clock::add_millis(self.base, self.offset), wall)
    }

    /// Moves the clock forward by `ms` (negative values are ignored).
    pub fn advance(&mut self, ms: i64) {
        if ms > 0 {
            self.offset = self.offset.saturating_add(ms);
        }
    }

    /// Skips forward to `t` if it is later than now.
    pub fn skip_to(&mut self, t: i64) {
        let now = self.now();
        if t > now {
            self.advance(t - now);
        }
    }
}
