//! Exit codes: a documented contract (DESIGN.md, asl-lint part).
//!
//! * 0 — no error diagnostics (and no warnings with `--deny-warnings`);
//! * 1 — some file has an error diagnostic, including "not JSON" and
//!   "not a definition" (or a warning with `--deny-warnings`);
//! * 2 — invalid arguments, a named path that does not exist, or a file that
//!   could not be read. Decided after everything else was linted and printed.
//!
//! The output format never changes the exit code.

pub const OK: i32 = 0;
pub const FINDINGS: i32 = 1;
pub const USAGE: i32 = 2;
