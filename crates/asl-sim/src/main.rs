//! `asl-sim` command line. Thin: parses arguments and calls the library.

use asl_sim::conformance::{run_cli, ConformanceOptions, EngineRunner};
use asl_sim::run_cli::{RunFormat, RunOptions};
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
    /// Run one execution of a definition and print its result and history.
    Run {
        /// The definition (`.json`, `.asl.json`, `.yaml`, `.asl.yaml`).
        definition: PathBuf,
        /// Execution input (JSON); `-` reads stdin. Default `{}`.
        #[arg(long, value_name = "FILE")]
        input: Option<PathBuf>,
        /// Task answers: a scenario-style `mocks` mapping (YAML or JSON) or
        /// `MockConfigFile.json#TestCase`.
        #[arg(long, value_name = "FILE")]
        mocks: Option<String>,
        /// Directory of mocked S3 objects (`bucket/key`) for ItemReader.
        #[arg(long, value_name = "DIR")]
        s3: Option<PathBuf>,
        /// Seed of everything random (ids, tokens, UUIDs, jitter).
        #[arg(long, default_value_t = 0)]
        seed: u64,
        /// Output format.
        #[arg(long, value_enum, default_value = "table")]
        format: Format,
        /// Execution name (default: a seeded UUID).
        #[arg(long)]
        name: Option<String>,
        /// State machine name (default: the file stem).
        #[arg(long)]
        state_machine_name: Option<String>,
        #[arg(long)]
        account: Option<String>,
        #[arg(long)]
        region: Option<String>,
        #[arg(long)]
        role_arn: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Json,
    Yaml,
    Table,
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
        Command::Run {
            definition,
            input,
            mocks,
            s3,
            seed,
            format,
            name,
            state_machine_name,
            account,
            region,
            role_arn,
        } => {
            let opts = RunOptions {
                definition,
                input,
                mocks,
                s3,
                seed,
                format: match format {
                    Format::Json => RunFormat::Json,
                    Format::Yaml => RunFormat::Yaml,
                    Format::Table => RunFormat::Table,
                },
                name,
                state_machine_name,
                account,
                region,
                role_arn,
            };
            let stdout = std::io::stdout();
            let stderr = std::io::stderr();
            asl_sim::run_cli::run(&opts, &mut stdout.lock(), &mut stderr.lock())
        }
    };
    std::process::exit(code);
}
