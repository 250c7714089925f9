//! Exit codes of `asl-test` — a documented contract (DESIGN.md).

/// Every selected scenario passed.
pub const SUCCESS: i32 = 0;
/// At least one scenario failed (assertion, missing mock, snapshot, engine error).
pub const FAILURES: i32 = 1;
/// A file failed to load, no scenario file was found, the arguments are
/// invalid, or `review` has no terminal to ask on.
pub const ERROR: i32 = 2;
