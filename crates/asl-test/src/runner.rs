//! A whole run: discover `*.scenario.yaml` files, load them (in parallel),
//! select scenarios (`-k`, `--partition`), run them in parallel (rayon) and
//! return results in (file, position) order — deterministic whatever the
//! thread scheduling.

use crate::load;
use crate::model::ScenarioFile;
use crate::run::{run_scenario, RunOptions, ScenarioResult};
use crate::source::{display_path, LoadError};
use rayon::prelude::*;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The suffix of scenario files.
pub const SUFFIX: &str = ".scenario.yaml";

/// Which scenarios to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// `-k`: substring of `FILE::SCENARIO`.
    pub pattern: Option<String>,
    /// `--partition K/N` (1-based K).
    pub partition: Option<(usize, usize)>,
}

/// One scenario file's part of the run.
#[derive(Debug)]
pub struct FileRun {
    pub path: PathBuf,
    /// Loaded file, or why it could not be loaded.
    pub loaded: Result<ScenarioFile, LoadError>,
    /// Results of the selected scenarios, by position.
    pub results: Vec<ScenarioResult>,
}

/// Everything a run produced.
#[derive(Debug, Default)]
pub struct RunReport {
    pub files: Vec<FileRun>,
    /// Paths named on the command line that do not exist.
    pub missing_paths: Vec<PathBuf>,
}

impl RunReport {
    pub fn passed(&self) -> usize {
        self.results().filter(|r| r.passed()).count()
    }

    pub fn failed(&self) -> usize {
        self.results().filter(|r| !r.passed()).count()
    }

    pub fn load_errors(&self) -> impl Iterator<Item = &LoadError> {
        self.files.iter().filter_map(|f| f.loaded.as_ref().err())
    }

    pub fn results(&self) -> impl Iterator<Item = &ScenarioResult> {
        self.files.iter().flat_map(|f| f.results.iter())
    }

    /// DESIGN.md: 2 if a file failed to load or none was found; else 1 if
    /// a scenario failed; else 0.
    pub fn exit_code(&self) -> i32 {
        if self.files.is_empty()
            || !self.missing_paths.is_empty()
            || self.load_errors().next().is_some()
        {
            crate::exit::ERROR
        } else if self.failed() > 0 {
            crate::exit::FAILURES
        } else {
            crate::exit::SUCCESS
        }
    }
}

/// Finds scenario files: a named file is always taken; directories are
/// walked (respecting `.gitignore`) for `*.scenario.yaml`. Sorted, deduplicated.
pub fn discover(paths: &[PathBuf]) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let default = [PathBuf::from(".")];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    let mut missing = Vec::new();
    for p in paths {
        if p.is_file() {
            files.push(p.clone());
        } else if p.is_dir() {
            for entry in ignore::WalkBuilder::new(p)
                .sort_by_file_name(|a, b| a.cmp(b))
                .build()
                .flatten()
            {
                let path = entry.path();
                if entry.file_type().is_some_and(|t| t.is_file())
                    && path
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().ends_with(SUFFIX))
                {
                    files.push(clean(path));
                }
            }
        } else {
            missing.push(p.clone());
        }
    }
    files.sort();
    files.dedup();
    (files, missing)
}

/// Drops a leading `./` so paths print as users write them.
fn clean(p: &Path) -> PathBuf {
    p.strip_prefix(".")
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| p.to_path_buf())
}

/// Loads, selects and runs. `progress` draws a progress line on stderr.
pub fn run(
    paths: &[PathBuf],
    selection: &Selection,
    opts: &RunOptions,
    progress: bool,
) -> RunReport {
    let (found, missing_paths) = discover(paths);
    let loaded: Vec<Result<ScenarioFile, LoadError>> =
        found.par_iter().map(|p| load::load_file(p)).collect();
    // Selected (file index, scenario index), in (file, position) order.
    let mut selected: Vec<(usize, usize)> = Vec::new();
    for (fi, f) in loaded.iter().enumerate() {
        if let Ok(file) = f {
            for (si, s) in file.scenarios.iter().enumerate() {
                let id = format!("{}::{}", display_path(&file.path), s.name);
                if selection.pattern.as_deref().is_none_or(|k| id.contains(k)) {
                    selected.push((fi, si));
                }
            }
        }
    }
    if let Some((k, n)) = selection.partition {
        selected = selected
            .into_iter()
            .enumerate()
            .filter(|(i, _)| i % n == k - 1)
            .map(|(_, x)| x)
            .collect();
    }
    let total = selected.len();
    let done = AtomicUsize::new(0);
    let results: Vec<ScenarioResult> = selected
        .par_iter()
        .map(|&(fi, si)| {
            let file = loaded[fi].as_ref().expect("only loaded files are selected");
            let scenario = &file.scenarios[si];
            // A bug in the engine must fail one scenario, not the whole run.
            let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                run_scenario(file, scenario, opts)
            }))
            .unwrap_or_else(|panic| crashed(file, scenario, opts, panic));
            let n = done.fetch_add(1, Ordering::Relaxed) + 1;
            if progress {
                let mut err = std::io::stderr().lock();
                let _ = write!(err, "\r\x1b[2K[{n}/{total}] {}", truncate(&r.name, 60));
                let _ = err.flush();
            }
            r
        })
        .collect();
    if progress && total > 0 {
        let _ = write!(std::io::stderr(), "\r\x1b[2K");
    }
    let mut files: Vec<FileRun> = found
        .into_iter()
        .zip(loaded)
        .map(|(path, loaded)| FileRun {
            path,
            loaded,
            results: Vec::new(),
        })
        .collect();
    for (&(fi, _), r) in selected.iter().zip(results) {
        files[fi].results.push(r);
    }
    RunReport {
        files,
        missing_paths,
    }
}

/// The result of a scenario whose run panicked.
fn crashed(
    file: &ScenarioFile,
    scenario: &crate::model::Scenario,
    opts: &RunOptions,
    panic: Box<dyn std::any::Any + Send>,
) -> ScenarioResult {
    let msg = panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic".into());
    ScenarioResult {
        name: scenario.name.clone(),
        position: scenario.position,
        seed: opts.seed.unwrap_or(file.seed),
        status: None,
        path: Vec::new(),
        failures: vec![crate::assert::Failure {
            message: format!("internal error: the run panicked: {msg}"),
            detail: Some("please report this with the scenario file and its definition".into()),
        }],
        warnings: Vec::new(),
        elapsed: std::time::Duration::ZERO,
        history: None,
    }
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        s.chars().take(n - 1).chain(std::iter::once('…')).collect()
    }
}

/// Whether stderr is a terminal (the progress line is drawn only then).
pub fn stderr_is_terminal() -> bool {
    std::io::stderr().is_terminal()
}

/// Parses `K/N` (1 ≤ K ≤ N).
pub fn parse_partition(s: &str) -> Result<(usize, usize), String> {
    let err = || format!("invalid partition {s:?}: write K/N with 1 ≤ K ≤ N, e.g. 1/3");
    let (k, n) = s.split_once('/').ok_or_else(err)?;
    let k: usize = k.trim().parse().map_err(|_| err())?;
    let n: usize = n.trim().parse().map_err(|_| err())?;
    if k == 0 || n == 0 || k > n {
        return Err(err());
    }
    Ok((k, n))
}

#[cfg(test)]
mod tests {
    use super::parse_partition;

    #[test]
    fn partitions() {
        assert_eq!(parse_partition("1/3"), Ok((1, 3)));
        assert_eq!(parse_partition("3/3"), Ok((3, 3)));
        for bad in ["0/3", "4/3", "1/0", "x", "1/", "/2", "-1/2"] {
            assert!(parse_partition(bad).is_err(), "{bad}");
        }
    }
}
