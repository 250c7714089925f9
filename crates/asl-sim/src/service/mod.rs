//! The Step Functions service: the 26 operations of API 2016-11-23 as a
//! typed in-process API ([`Service`]), with AWS's validation, error codes,
//! idempotency rules, pagination tokens and tags.
//!
//! Executions run through the [`driver::ExecutionDriver`] seam; see its
//! docs for what waits on the engine's stepping API. Everything is
//! deterministic: ids and tokens come from the seeded PRNG, time from the
//! service clock ([`clock::ServiceClock`]: virtual by default; the wall
//! clock only with `ClockMode::Real`).

pub mod clock;
pub mod driver;
pub mod error;
mod ops;
pub mod paging;
pub mod persist;
mod records;
pub mod types;

pub use clock::{ClockMode, ServiceClock};
pub use error::ServiceError;
pub use ops::ServiceConfig;
pub use records::State;

use crate::conformance::tasks::MockConfig;
use driver::{ExecutionDriver, ReplayDriver};
use paging::Pager;
use std::sync::Arc;

/// Result of a service operation.
pub type SfnResult<T> = Result<T, ServiceError>;

/// The simulated Step Functions service of one account and region.
pub struct Service {
    account: String,
    region: String,
    seed: u64,
    clock: ServiceClock,
    pager: Pager,
    driver: Arc<dyn ExecutionDriver>,
    mock: Option<Arc<MockConfig>>,
    state: State,
    depth: u32,
}

impl Service {
    pub fn new(config: ServiceConfig) -> Service {
        Self::with_state(config, State::default())
    }

    /// A service continuing from a saved [`State`] (see [`persist`]).
    pub fn with_state(config: ServiceConfig, state: State) -> Service {
        let start = state.clock_now.unwrap_or(config.start);
        Service {
            account: config.account,
            region: config.region,
            seed: config.seed,
            clock: ServiceClock::new(config.clock, start),
            pager: Pager::new(format!("asl-sim-pages-{}", config.seed)),
            driver: Arc::new(ReplayDriver),
            mock: config.mock_config.map(Arc::new),
            state,
            depth: 0,
        }
    }

    /// Replaces the execution driver (tests, or a future stepping engine).
    pub fn set_driver(&mut self, driver: Arc<dyn ExecutionDriver>) {
        self.driver = driver;
    }

    /// Current service time, epoch milliseconds.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    pub fn clock_mode(&self) -> ClockMode {
        self.clock.mode()
    }

    /// Moves the clock forward (`/_asl/clock/advance`).
    pub fn advance_clock(&mut self, ms: i64) {
        self.clock.advance(ms);
    }

    /// Whether some execution waits on an outside actor (holds the clock).
    pub fn clock_held(&self) -> bool {
        !self.state.blocked.is_empty()
    }

    /// A copy of the persistent state (for `--state-file`).
    pub fn snapshot(&self) -> State {
        let mut s = self.state.clone();
        s.clock_now = Some(self.clock.now());
        s
    }

    /// A change counter: bumped by every operation that changed state.
    pub fn generation(&self) -> u64 {
        self.state.generation
    }
}
