//! The `asl-test` command line (clap derive). `review` and `import` take
//! precedence over a path of the same name (write `./review` for the path).

use crate::coverage::Coverage;
use crate::import::{self, ImportArgs};
use crate::run::RunOptions;
use crate::runner::{self, Selection};
use crate::snapshot::Mode;
use crate::{exit, report, review};
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

/// Runs YAML scenario files against the Step Functions simulator with
/// mocked tasks, asserts outcomes and snapshot-tests execution histories.
#[derive(Debug, Parser)]
#[command(name = "asl-test", version, args_conflicts_with_subcommands = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// Scenario files or directories searched for `*.scenario.yaml` (default `.`).
    pub paths: Vec<PathBuf>,
    /// Run only scenarios whose `FILE::SCENARIO` contains PATTERN.
    #[arg(short = 'k', value_name = "PATTERN")]
    pub pattern: Option<String>,
    /// Run the K-th of N round-robin slices of the scenarios (1-based).
    #[arg(long, value_name = "K/N", value_parser = runner::parse_partition)]
    pub partition: Option<(usize, usize)>,
    /// Write a JUnit XML report to FILE.
    #[arg(long, value_name = "FILE")]
    pub junit: Option<PathBuf>,
    /// Write every new or changed snapshot to its `.snap`.
    #[arg(long)]
    pub accept: bool,
    /// Print state and transition coverage per state machine.
    #[arg(long)]
    pub coverage: bool,
    /// Write coverage as JSON to FILE.
    #[arg(long, value_name = "FILE")]
    pub coverage_json: Option<PathBuf>,
    /// Use this seed for every scenario instead of the files' seeds.
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Accept or reject pending `.snap.new` snapshots, one diff at a time.
    Review {
        /// Where to look for pending snapshots (default `.`).
        paths: Vec<PathBuf>,
    },
    /// Convert a Step Functions Local mock configuration into scenario files.
    Import {
        /// The mock configuration (MockConfigFile.json).
        config: PathBuf,
        /// NAME=PATH: the definition file of state machine NAME.
        #[arg(long = "definition", value_name = "NAME=PATH", required = true, num_args = 1.., value_parser = import::parse_definition_arg)]
        definitions: Vec<(String, PathBuf)>,
        /// Directory for the scenario files (default `.`).
        #[arg(short = 'o', value_name = "DIR", default_value = ".")]
        out: PathBuf,
    },
}

/// Entry point: parses `std::env::args` and returns the exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit::ERROR
            } else {
                exit::SUCCESS
            };
        }
    };
    run(cli)
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> i32 {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    match cli.command {
        Some(Command::Review { paths }) => {
            let pending = review::pending(&paths);
            if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
                let stdin = std::io::stdin();
                review::interactive(&pending, &mut stdin.lock(), &mut out)
            } else {
                review::list(&pending, &mut out)
            }
        }
        Some(Command::Import {
            config,
            definitions,
            out: dir,
        }) => {
            let args = ImportArgs {
                config,
                definitions,
                out_dir: dir,
            };
            import::run(&args, &mut out, &mut std::io::stderr())
        }
        None => run_scenarios(&cli, &mut out),
    }
}

fn run_scenarios(cli: &Cli, out: &mut dyn Write) -> i32 {
    let ci = Mode::ci_from_env(std::env::var("CI").ok().as_deref());
    let mode = if cli.accept {
        Mode::Accept
    } else if ci {
        Mode::Ci
    } else {
        Mode::Local
    };
    let want_coverage = cli.coverage || cli.coverage_json.is_some();
    let opts = RunOptions {
        mode,
        seed: cli.seed,
        keep_history: want_coverage,
    };
    let selection = Selection {
        pattern: cli.pattern.clone(),
        partition: cli.partition,
    };
    let report = runner::run(&cli.paths, &selection, &opts, runner::stderr_is_terminal());
    let _ = write!(out, "{}", report::render(&report));
    let mut code = report.exit_code();
    if let Some(path) = &cli.junit {
        if let Err(e) = write_file(path, &crate::junit::render(&report)) {
            let _ = writeln!(out, "error: cannot write {}: {e}", path.display());
            code = exit::ERROR;
        }
    }
    if want_coverage {
        let cov = Coverage::from_report(&report);
        if cli.coverage {
            let _ = write!(out, "\n{}", cov.table());
        }
        if let Some(path) = &cli.coverage_json {
            let text = serde_json::to_string_pretty(&cov.to_json()).unwrap_or_default() + "\n";
            if let Err(e) = write_file(path, &text) {
                let _ = writeln!(out, "error: cannot write {}: {e}", path.display());
                code = exit::ERROR;
            }
        }
    }
    let _ = writeln!(out, "{}", report::summary(&report));
    code
}

fn write_file(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text)
}
