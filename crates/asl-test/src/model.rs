//! The loaded form of a scenario file (DESIGN.md, "asl-test").

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// The seed used when neither the file nor `--seed` gives one.
pub const DEFAULT_SEED: u64 = 0;

/// One `*.scenario.yaml` file, loaded and checked.
#[derive(Debug, Clone)]
pub struct ScenarioFile {
    /// The file as found (relative to the working directory when given so).
    pub path: PathBuf,
    pub definition: LoadedDefinition,
    /// The file's `seed` (default [`DEFAULT_SEED`]); `--seed` overrides it.
    pub seed: u64,
    pub scenarios: Vec<Scenario>,
    /// Problems that do not stop the file from running.
    pub warnings: Vec<String>,
}

/// The state machine a file tests.
#[derive(Debug, Clone)]
pub struct LoadedDefinition {
    /// `definition` as written in the scenario file, or `(inline)`.
    pub label: String,
    /// The definition file on disk (absent for an inline definition).
    pub file: Option<PathBuf>,
    /// The definition as compact JSON text (what the engine runs).
    pub json: String,
    /// State machine name: the definition file's stem (before `.asl.*`),
    /// or the scenario file's stem for an inline definition.
    pub machine_name: String,
    /// Coverage key: the definition path, or `FILE (inline)`.
    pub coverage_key: String,
    /// Task states with their literal timing fields.
    pub tasks: BTreeMap<String, TaskTiming>,
}

/// A Task state's literal `TimeoutSeconds` / `HeartbeatSeconds`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TaskTiming {
    pub timeout_seconds: Option<u64>,
    pub heartbeat_seconds: Option<u64>,
}

/// One entry of `scenarios`.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    /// Lowercased name, non-`[a-z0-9]` runs as `-`, trimmed, ≤ 80 chars.
    pub slug: String,
    /// 0-based position in the file.
    pub position: usize,
    /// 1-based line of the scenario in the file.
    pub line: u32,
    pub input: Value,
    /// Mock entries per Task state name.
    pub mocks: BTreeMap<String, Vec<MockEntry>>,
    pub expect: Expect,
    pub snapshot: bool,
    /// Mocked S3 objects (`bucket/key` → JSON value or text), for
    /// `ItemReader`.
    pub s3: BTreeMap<String, Value>,
}

/// One mocked answer of a Task invocation.
#[derive(Debug, Clone, PartialEq)]
pub struct MockEntry {
    pub outcome: MockOutcome,
    /// Virtual task duration in milliseconds (default 0).
    pub after_ms: u64,
    /// Heartbeat times in milliseconds from the task's start.
    pub heartbeats_ms: Vec<u64>,
    /// Answers this and every later invocation (must be the last entry).
    pub repeat: bool,
}

/// `return` or `throw`.
#[derive(Debug, Clone, PartialEq)]
pub enum MockOutcome {
    /// The task result exactly as the integration returns it.
    Return(Value),
    /// A task failure.
    Throw {
        error: String,
        cause: Option<String>,
    },
}

/// `expect`: what the execution must produce.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Expect {
    /// `SUCCEEDED` unless given.
    pub status: String,
    pub output: Option<Value>,
    pub output_contains: Option<Value>,
    pub error: Option<String>,
    pub cause: Option<String>,
    pub path: Option<Vec<String>>,
}

/// Execution status names `expect.status` accepts.
pub const STATUSES: [&str; 4] = ["SUCCEEDED", "FAILED", "TIMED_OUT", "ABORTED"];

/// The snapshot slug of a scenario name (DESIGN.md).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    let mut dash = false;
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.push(c);
        } else {
            dash = true;
        }
    }
    if out.len() > 80 {
        out.truncate(80);
        while out.ends_with('-') {
            out.pop();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::slug;

    #[test]
    fn slugs() {
        assert_eq!(
            slug("Card declined, then retried successfully"),
            "card-declined-then-retried-successfully"
        );
        assert_eq!(slug("  --Hello__World!! "), "hello-world");
        assert_eq!(slug("ÄÖÜ straße 42"), "stra-e-42");
        assert_eq!(slug("!!!"), "");
        let long = "a ".repeat(100);
        let s = slug(&long);
        assert!(s.len() <= 80 && !s.ends_with('-'), "{s}");
    }
}
