//! The `deon` command: a thin shell over the library.

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use deon::{Diagnostics, Policy, Status};

/// Exit codes, documented in the README.
const EXIT_OK: u8 = 0;
const EXIT_BAD_INPUT: u8 = 2;
const EXIT_FINDINGS: u8 = 3;

#[derive(Parser)]
#[command(
    name = "deon",
    version,
    about = "Policy-as-code for regulatory obligations: check policies, evaluate cases."
)]
struct Cli {
    /// Never colour the output.
    #[arg(long, global = true)]
    no_color: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check policy files; report every problem.
    Check {
        /// Policy files or folders of .deon files.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Evaluate a case against policies and explain every finding.
    Eval {
        /// A policy file or a folder of .deon files.
        policies: PathBuf,
        /// The case: .json, .yaml/.yml or .toml.
        case: PathBuf,
        /// Evaluate on this date (YYYY-MM-DD) instead of the case's `as_of`.
        #[arg(long, value_parser = parse_date)]
        as_of: Option<NaiveDate>,
        #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
        format: OutputFormat,
        /// Show only findings with these statuses (comma separated), e.g. violated,pending.
        #[arg(long, value_delimiter = ',', value_parser = parse_status)]
        status: Vec<Status>,
        /// Treat every fact a rule reads but the case leaves out as an error.
        #[arg(long)]
        strict: bool,
        /// Exit with code 3 when any finding has one of these statuses.
        #[arg(long, value_delimiter = ',', value_parser = parse_status)]
        fail_on: Vec<Status>,
        /// Explain every finding, not only those that need attention.
        #[arg(long, short)]
        verbose: bool,
    },
}

#[derive(Clone, Copy, ValueEnum)]
enum OutputFormat {
    Human,
    Json,
}

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))
}

fn parse_status(text: &str) -> Result<Status, String> {
    Status::from_key(text).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        format!(
            "`{text}` is not a status; the statuses are {}",
            all.join(", ")
        )
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = !cli.no_color && std::env::var_os("NO_COLOR").is_none();
    let code = match cli.command {
        Command::Check { paths } => check(&paths, color && std::io::stderr().is_terminal()),
        Command::Eval {
            policies,
            case,
            as_of,
            format,
            status,
            strict,
            fail_on,
            verbose,
        } => {
            let options = EvalOptions {
                as_of,
                format,
                status,
                strict,
                fail_on,
                verbose,
                color: color && std::io::stdout().is_terminal(),
                diag_color: color && std::io::stderr().is_terminal(),
            };
            eval(&policies, &case, &options)
        }
    };
    ExitCode::from(code)
}

fn print_diagnostics(diagnostics: &Diagnostics, color: bool) {
    let mut stderr = std::io::stderr().lock();
    for problem in &diagnostics.problems {
        let _ = write!(stderr, "{}", deon::render::diagnostic(problem, color));
    }
}

fn check(paths: &[PathBuf], color: bool) -> u8 {
    match Policy::load(paths) {
        Ok(policy) => {
            print_diagnostics(
                &Diagnostics {
                    problems: policy.warnings().to_vec(),
                },
                color,
            );
            let program = policy.program();
            let warnings = policy.warnings().len();
            println!(
                "checked {} file{}: {} regulation{}, {} rules, {} penalties, {} facts{}",
                program.sources.len(),
                if program.sources.len() == 1 { "" } else { "s" },
                program.regulations.len(),
                if program.regulations.len() == 1 {
                    ""
                } else {
                    "s"
                },
                program.rules.len(),
                program.penalties.len(),
                program.facts.len(),
                if warnings == 0 {
                    String::new()
                } else {
                    format!(
                        ", {warnings} warning{}",
                        if warnings == 1 { "" } else { "s" }
                    )
                }
            );
            EXIT_OK
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, color);
            eprintln!("{diagnostics} found; nothing was evaluated");
            EXIT_BAD_INPUT
        }
    }
}

struct EvalOptions {
    as_of: Option<NaiveDate>,
    format: OutputFormat,
    status: Vec<Status>,
    strict: bool,
    fail_on: Vec<Status>,
    verbose: bool,
    color: bool,
    diag_color: bool,
}

fn eval(policies: &Path, case: &Path, options: &EvalOptions) -> u8 {
    let policy = match Policy::load([policies]) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, options.diag_color);
            eprintln!("{diagnostics} in the policies; nothing was evaluated");
            return EXIT_BAD_INPUT;
        }
    };
    let case = match policy.case_from_file(case) {
        Ok(case) => case,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, options.diag_color);
            eprintln!("{diagnostics} in the case; nothing was evaluated");
            return EXIT_BAD_INPUT;
        }
    };
    let mut report = policy.evaluate(&case, options.as_of);
    if options.strict && !report.unknown_facts.is_empty() {
        eprintln!(
            "error: --strict: the case leaves out facts that rules read: {}",
            report.unknown_facts.join(", ")
        );
        eprintln!("help: give each of them a value, or null if the event has not happened");
        return EXIT_BAD_INPUT;
    }
    let failed = report
        .findings
        .iter()
        .any(|f| options.fail_on.contains(&f.status));
    if !options.status.is_empty() {
        report
            .findings
            .retain(|f| options.status.contains(&f.status));
    }
    let mut stdout = std::io::stdout().lock();
    let written = match options.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => writeln!(stdout, "{json}"),
            Err(e) => writeln!(
                std::io::stderr(),
                "error: cannot write the report as JSON: {e}"
            ),
        },
        OutputFormat::Human => {
            write!(
                stdout,
                "{}",
                deon::report::human::render(
                    &report,
                    deon::report::human::Options {
                        color: options.color,
                        verbose: options.verbose
                    }
                )
            )
        }
    };
    if written.is_err() {
        // A closed pipe (e.g. `| head`) is not an error of the evaluation.
        return EXIT_OK;
    }
    if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
