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
    /// Serve the Step Functions API (AWS JSON 1.0) for boto3, the AWS CLI and SDKs.
    #[cfg(feature = "serve")]
    Serve(Box<ServeArgs>),
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
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve(*args),
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

#[cfg(feature = "serve")]
#[derive(Debug, clap::Args)]
struct ServeArgs {
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// 0 picks a free port.
    #[arg(long, default_value_t = 8083)]
    port: u16,
    #[arg(long, value_parser = ["virtual", "real"], default_value = "virtual")]
    clock: String,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Keep state machines, activities and executions across restarts.
    #[arg(long, value_name = "FILE")]
    state_file: Option<PathBuf>,
    /// Step Functions Local mock configuration; select a test case with
    /// StartExecution's `<stateMachineArn>#<TestCase>`.
    #[arg(long, value_name = "FILE")]
    mock_config: Option<PathBuf>,
    /// Log one line per request to stderr.
    #[arg(short, long)]
    verbose: bool,
    /// Seconds GetActivityTask waits for a task (wall clock).
    #[arg(long, default_value_t = 60.0, hide = true)]
    poll_timeout: f64,
}

#[cfg(feature = "serve")]
fn serve(args: ServeArgs) -> i32 {
    use asl_sim::service::{ClockMode, ServiceConfig};
    let mock_config = match &args.mock_config {
        Some(p) => match asl_sim::conformance::tasks::load_mock_config(p) {
            Ok(m) => Some(m),
            Err(e) => {
                eprintln!("asl-sim serve: mock config {}: {e}", p.display());
                return 2;
            }
        },
        None => None,
    };
    let config = asl_sim::server::ServerConfig {
        host: args.host,
        port: args.port,
        service: ServiceConfig {
            seed: args.seed,
            clock: if args.clock == "real" {
                ClockMode::Real
            } else {
                ClockMode::Virtual
            },
            mock_config,
            ..ServiceConfig::default()
        },
        state_file: args.state_file,
        verbose: args.verbose,
        poll_timeout: std::time::Duration::from_secs_f64(args.poll_timeout.clamp(0.0, 3600.0)),
    };
    match asl_sim::server::run(config) {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("asl-sim serve: {e}");
            2
        }
    }
}
