//! asl-lint: static analysis for Amazon States Language definitions.
//!
//! [`lint::lint_text`] checks one definition; [`rules::ALL`] lists the
//! rules; [`cli::main`] is the command line.

pub mod cli;
pub mod context;
pub mod diagnostic;
pub mod exit;
pub mod files;
pub mod graph;
pub mod lint;
pub mod render;
pub mod report;
pub mod rule;
pub mod rules;
pub mod schema;
pub mod suggest;
pub mod templates;
