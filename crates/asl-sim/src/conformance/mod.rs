//! The conformance harness: recorded AWS executions as test cases.
//!
//! A case directory (format: `shared/conformance/README.md`) holds
//! `meta.json`, `definition.json`, `input.json`, `history.json`,
//! `task_results.json` and sometimes `mock_config.json`. The harness
//!
//! 1. finds and loads cases ([`case`], [`load`]),
//! 2. hands each self-contained case to a [`CaseRunner`] (the engine),
//! 3. normalises the produced history exactly as the recorder normalised the
//!    recording ([`normalise`], [`parallel`]),
//! 4. compares event `type`, `id`, `previousEventId` and every
//!    `…EventDetails` object, reporting the first difference with its event
//!    index and JSON pointer ([`compare`], [`pattern`]), and
//! 5. prints `PASS`/`FAIL`/`SKIP` lines, a per-category table and
//!    `N passed, M failed` ([`runner`]).
//!
//! Task answers come from `task_results.json` or `mock_config.json`
//! ([`tasks`]).

pub mod case;
pub mod compare;
pub mod engine_runner;
pub mod load;
pub mod normalise;
pub mod parallel;
pub mod pattern;
pub mod replay;
pub mod runner;
pub mod tasks;

pub use case::{discover, Case, CaseRef, FinalRecord, Meta};
pub use compare::{compare_case, Difference, Verdict};
pub use engine_runner::EngineRunner;
pub use load::LoadError;
pub use runner::{
    run_cli, CaseRunner, ConformanceOptions, ExecutionStatus, NotImplementedRunner, Produced,
};

#[cfg(test)]
pub(crate) mod test_support;
