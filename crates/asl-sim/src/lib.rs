//! `asl-sim` — a deterministic simulator of AWS Step Functions.
//!
//! Phase 1 provides the pieces the execution engine is built on:
//!
//! * [`history`] — the `HistoryEvent` wire model of GetExecutionHistory
//!   (every event type, every `…EventDetails` shape).
//! * [`clock`] — virtual time in epoch milliseconds with saturating arithmetic.
//! * [`scheduler`] — the event-loop skeleton: runnable queue plus timer queue,
//!   jumping the virtual clock when nothing is runnable.
//! * [`rng`] — the seeded PRNG (xoshiro256** seeded by splitmix64) with child
//!   streams, UUIDs and task tokens.
//! * [`engine`] — the execution engine (in progress; see its docs for what
//!   runs today).
//! * [`resolver`] — how a Task asks the embedder for its answer.
//! * [`conformance`] — loading recorded AWS cases, normalising produced
//!   histories and comparing them with the recordings (`asl-sim conformance`).
//!
//! Nothing in this crate reads the wall clock or depends on hash-map
//! iteration order: same inputs and seed give byte-identical output.

pub mod clock;
pub mod conformance;
pub mod engine;
pub mod history;
pub mod resolver;
pub mod rng;
pub mod run_cli;
pub mod scheduler;
#[cfg(feature = "serve")]
pub mod server;
pub mod service;
