//! Output formats. Each writes a whole run; none changes the exit code.

pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod sarif;

/// The `--format` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable reports with source snippets.
    #[default]
    Human,
    /// One JSON object, described by `schemas/lint-output.schema.json`.
    Json,
    /// SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.
    Sarif,
    /// GitHub Actions workflow-command annotations.
    Github,
    /// JUnit XML: one test case per file.
    Junit,
}
