//! `asl-test` — runs YAML scenario files against the `asl-sim` engine with
//! mocked Task answers, asserts outcomes and snapshot-tests execution
//! histories (DESIGN.md, "asl-test").
//!
//! The pipeline, one module per step:
//!
//! * [`load`] reads a `*.scenario.yaml` file into the [`model`] (positions
//!   for every error, "did you mean" for unknown keys), resolves and lints the
//!   definition and checks the mocks against it.
//! * [`mocks`] turns a scenario's mock entries into a
//!   [`TaskResolver`](asl_sim::resolver::TaskResolver).
//! * [`run`] executes one scenario and decides pass/fail with [`assert`]
//!   and [`snapshot`].
//! * [`runner`] discovers files, filters, partitions, runs in parallel and
//!   collects results in a deterministic order; [`report`] prints them,
//!   [`junit`] writes JUnit XML, [`coverage`] measures states and
//!   transitions.
//! * [`review`] steps through pending snapshots; [`import`] converts a Step
//!   Functions Local mock configuration ([`mockconfig`]) into scenario files.
//! * [`cli`] is the command line (the binary only calls [`cli::main`]).

pub mod assert;
pub mod cli;
pub mod coverage;
pub mod duration;
pub mod exit;
pub mod import;
pub mod junit;
pub mod load;
pub mod mockconfig;
pub mod mocks;
pub mod model;
pub mod report;
pub mod review;
pub mod run;
pub mod runner;
pub mod snapshot;
pub mod source;
pub mod yaml_out;
