//! `asl-sim` command line. Thin: parses arguments and calls the library.

use asl_sim::conformance::{run_cli, ConformanceOptions, EngineRunner};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Deterministic simulator of AWS Step Functions.
#[derive(Debug, Parser)]
#[command(name = "asl-sim", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run recorded AWS executions and compare the histories.
    Conformance {
        /// Case directories, or folders searched recursively for them.
        #[arg(required = true, value_name = "DIR")]
        dirs: Vec<PathBuf>,
        /// Only cases of this category (`meta.category`); repeatable,
        /// comma-separated values allowed.
        #[arg(long = "category", value_name = "C", value_delimiter = ',')]
        categories: Vec<String>,
        /// Only cases whose name or `category/case` matches (glob with `*`
        /// and `?`, else substring).
        #[arg(long = "case", value_name = "PATTERN")]
        case: Option<String>,
    },
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Conformance {
            dirs,
            categories,
            case,
        } => {
            let opts = ConformanceOptions {
                dirs,
                categories,
                case_pattern: case,
            };
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            run_cli(&opts, &EngineRunner, &mut stdout.lock(), &mut stderr.lock())
        }
    };
    std::process::exit(code);
}
