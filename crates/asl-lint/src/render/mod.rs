//! Output formats. Each writes a whole run; none changes the exit code.

pub mod human;
pub mod json;

/// The `--format` values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Readable reports with source snippets.
    #[default]
    Human,
    /// One JSON object, described by `schemas/lint-output.schema.json`.
    Json,
}
