//! The `asl-lint` command line: `asl-lint [PATHS…]`, `rules`, `explain`, `lsp`.

use crate::context::{LintOptions, MachineType};
use crate::diagnostic::Severity;
use crate::exit;
use crate::files;
use crate::lint::find_rule;
use crate::render::{self, Format};
use crate::report::RunReport;
use crate::rules;
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "asl-lint",
    version,
    about = "Lint AWS Step Functions state machine definitions (Amazon States Language)",
    args_conflicts_with_subcommands = true
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    lint: LintArgs,
}

#[derive(Args)]
struct LintArgs {
    /// Files or directories to lint (default `.`; `-` reads stdin). Directory
    /// walks take `*.asl.json`, `*.asl.yaml` and `*.asl.yml`, honouring `.gitignore`.
    paths: Vec<PathBuf>,
    /// The state machine type: EXPRESS enables the EXPRESS-only rules.
    #[arg(long = "type", value_enum, default_value_t = MachineType::Standard)]
    machine_type: MachineType,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Exit with 1 when there are warnings, not only errors.
    #[arg(long)]
    deny_warnings: bool,
    /// Colour in human output: auto (when stdout is a terminal), always, never.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Color {
    Auto,
    Always,
    Never,
}

#[derive(Subcommand)]
enum Command {
    /// List every rule: code, slug, severity, AWS code and summary.
    Rules,
    /// Print the documentation of a rule, by code (ASL-G001) or slug.
    Explain {
        /// Rule code or slug.
        rule: String,
    },
    /// Run the Language Server (LSP over stdin/stdout) for editors.
    Lsp {
        /// Accepted for clients that pass it; stdio is the only transport.
        #[arg(long)]
        stdio: bool,
    },
    /// Check names against AWS's naming rules; exit 1 if any is invalid.
    Names {
        /// state-machine, execution, activity, map-run-label, state, alias,
        /// variable, tag-key, tag-value or worker-name.
        #[arg(long)]
        kind: String,
        /// The names to check.
        #[arg(required = true)]
        names: Vec<String>,
    },
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return if error.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            };
        }
    };
    match cli.command {
        Some(Command::Rules) => print_rules(),
        Some(Command::Explain { rule }) => explain(&rule),
        Some(Command::Names { kind, names }) => check_names(&kind, &names),
        Some(Command::Lsp { .. }) => crate::lsp::run_stdio(),
        None => lint(cli.lint),
    }
}

fn print_rules() -> i32 {
    let mut out = String::new();
    for rule in rules::ALL {
        let m = rule.meta();
        out.push_str(&format!(
            "{:<9} {:<34} {:<8} {:<26} {}\n",
            m.code,
            m.slug,
            m.severity.as_str(),
            m.aws_code.unwrap_or("-"),
            m.summary()
        ));
    }
    write_stdout(&out);
    exit::OK
}

fn explain(code: &str) -> i32 {
    match find_rule(code) {
        Some(rule) => {
            let m = rule.meta();
            let aws = m
                .aws_code
                .map(|c| format!("AWS code: `{c}`\n\n"))
                .unwrap_or_default();
            write_stdout(&format!(
                "# {} {}\n\nSeverity: {}\n{aws}{}",
                m.code,
                m.slug,
                m.severity.as_str(),
                strip_doc_indent(m.docs)
            ));
            exit::OK
        }
        None => {
            eprintln!("error: no rule `{code}`; `asl-lint rules` lists them");
            exit::USAGE
        }
    }
}

fn check_names(kind: &str, names: &[String]) -> i32 {
    use asl_core::names::{check_name, NameKind, NAME_KINDS};
    let kind = match NameKind::parse(kind) {
        Ok(kind) => kind,
        Err(_) => {
            let known: Vec<_> = NAME_KINDS.iter().map(|(k, _)| *k).collect();
            eprintln!(
                "error: unknown --kind `{kind}`; use one of: {}",
                known.join(", ")
            );
            return exit::USAGE;
        }
    };
    let mut out = String::new();
    let mut invalid = 0;
    for name in names {
        match check_name(kind, name) {
            Ok(()) => out.push_str(&format!("ok       {name:?}\n")),
            Err(error) => {
                invalid += 1;
                out.push_str(&format!("invalid  {name:?}: {}\n", error.message()));
                if let Some(fixed) = error.suggestion() {
                    out.push_str(&format!("         try {fixed:?}\n"));
                }
            }
        }
    }
    write_stdout(&out);
    if invalid > 0 {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Doc comments keep the space after `///`; drop it.
pub fn strip_doc_indent(docs: &str) -> String {
    docs.lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
        + "\n"
}

fn lint(args: LintArgs) -> i32 {
    let options = LintOptions {
        machine_type: args.machine_type,
    };
    let (paths, problems) = files::collect(&args.paths);
    let inputs = paths.iter().map(|p| files::read(p)).collect();
    let mut run = RunReport::lint_inputs(inputs, &options);
    run.unreadable
        .extend(problems.into_iter().map(|p| (p.path, p.message)));
    let color = match args.color {
        Color::Always => true,
        Color::Never => false,
        Color::Auto => std::io::stdout().is_terminal(),
    };
    let text = match args.format {
        Format::Human => render::human::render(&run, color),
        Format::Json => render::json::render(&run),
        Format::Sarif => render::sarif::render(&run),
        Format::Github => render::github::render(&run),
        Format::Junit => render::junit::render(&run),
    };
    write_stdout(&text);
    for (path, message) in &run.unreadable {
        eprintln!("error: {path}: {message}");
    }
    if !run.unreadable.is_empty() {
        exit::USAGE
    } else if run.count(Severity::Error) > 0
        || (args.deny_warnings && run.count(Severity::Warning) > 0)
    {
        exit::FINDINGS
    } else {
        exit::OK
    }
}

/// Writes to stdout, ignoring a closed pipe (`asl-lint … | head`).
fn write_stdout(text: &str) {
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}
