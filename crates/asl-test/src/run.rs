//! Running one scenario: the engine with the scenario's mocks, then the
//! missing-mock check, the assertions and the snapshot.

use crate::assert::{self, Failure};
use crate::mocks::MockResolver;
use crate::model::{Scenario, ScenarioFile};
use crate::snapshot::{self, Header, Mode};
use asl_sim::engine::{execute, ExecutionConfig};
use asl_sim::history::HistoryEvent;
use std::time::{Duration, Instant};

/// Settings shared by every scenario of a run.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub mode: Mode,
    /// `--seed`: replaces every file's seed.
    pub seed: Option<u64>,
    /// Keep histories (for coverage).
    pub keep_history: bool,
}

/// What one scenario did.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub name: String,
    pub position: usize,
    pub seed: u64,
    /// Execution status (`None` when the engine could not run it).
    pub status: Option<String>,
    /// Entered top-level states.
    pub path: Vec<String>,
    pub failures: Vec<Failure>,
    pub warnings: Vec<String>,
    pub elapsed: Duration,
    pub history: Option<Vec<HistoryEvent>>,
}

impl ScenarioResult {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// Runs `scenario` of `file`.
pub fn run_scenario(file: &ScenarioFile, scenario: &Scenario, opts: &RunOptions) -> ScenarioResult {
    let started = Instant::now();
    let seed = opts.seed.unwrap_or(file.seed);
    let mut result = ScenarioResult {
        name: scenario.name.clone(),
        position: scenario.position,
        seed,
        status: None,
        path: Vec::new(),
        failures: Vec::new(),
        warnings: Vec::new(),
        elapsed: Duration::ZERO,
        history: None,
    };
    let config = ExecutionConfig {
        state_machine_name: file.definition.machine_name.clone(),
        execution_name: scenario.slug.chars().take(80).collect(),
        seed,
        ..ExecutionConfig::default()
    };
    let start = config.start;
    let mut resolver = MockResolver::new(&scenario.mocks);
    let input = scenario.input.to_string();
    let exec = execute(&file.definition.json, &input, &config, &mut resolver);
    let exec = match exec {
        Ok(e) => e,
        Err(e) => {
            result.failures.push(Failure {
                message: format!("the engine could not run the scenario: {e}"),
                detail: None,
            });
            result.elapsed = started.elapsed();
            return result;
        }
    };
    result.status = Some(exec.status.as_str().to_owned());
    result.path = assert::entered_path(&exec.history);
    for (state, n) in resolver.leftovers() {
        let (noun, verb) = if n == 1 {
            ("entry", "was")
        } else {
            ("entries", "were")
        };
        result
            .warnings
            .push(format!("{n} mock {noun} of {state:?} {verb} never used"));
    }
    if !resolver.missing.is_empty() {
        for m in &resolver.missing {
            result.failures.push(Failure {
                message: format!(
                    "no mock entry left for state {:?}, attempt {} (it has {} entr{})",
                    m.state,
                    m.attempt,
                    m.entries,
                    if m.entries == 1 { "y" } else { "ies" }
                ),
                detail: Some(format!(
                    "add an entry under `mocks: {{{}: [...]}}`, or end its list with `repeat: true`\n",
                    m.state
                )),
            });
        }
    } else {
        result
            .failures
            .extend(assert::check(&scenario.expect, &exec));
        if scenario.snapshot {
            let header = Header {
                scenario_file: &file.path,
                scenario: &scenario.name,
                definition: &file.definition.label,
                seed,
            };
            let text = snapshot::render(&header, &exec.history, start);
            let path = snapshot::snap_path(&file.path, &scenario.slug);
            if let snapshot::Outcome::Failed { message, detail } =
                snapshot::check(&path, &text, opts.mode)
            {
                result.failures.push(Failure { message, detail });
            }
        }
    }
    if opts.keep_history {
        result.history = Some(exec.history);
    }
    result.elapsed = started.elapsed();
    result
}
