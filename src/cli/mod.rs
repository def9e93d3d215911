//! Command-line arguments and the dispatch to one module per subcommand.

mod calendar;
mod check;
mod diff;
mod doc;
mod eval;
mod fmt;
mod lint;
mod lsp;
mod repl;
#[cfg(feature = "serve")]
mod serve;
mod test;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};

use chrono::NaiveDate;
use clap::{Parser, Subcommand, ValueEnum};
use deon::{Diagnostics, Status};

/// Exit codes, documented in the README and docs/json-report.md.
pub const EXIT_OK: u8 = 0;
/// Tests ran and some failed.
pub const EXIT_TESTS_FAILED: u8 = 1;
pub const EXIT_BAD_INPUT: u8 = 2;
pub const EXIT_FINDINGS: u8 = 3;

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
    /// Show at most this many problems, then how many more there are (0 shows all).
    #[arg(long, global = true, value_name = "N", default_value_t = deon::render::DEFAULT_MAX_SHOWN)]
    max_errors: usize,
    /// How problems are written to standard error: human (drawn) or json
    /// (one JSON object per line, per diagnostic).
    #[arg(long, global = true, value_enum, default_value = "human")]
    error_format: ErrorFormat,
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
    Eval(eval::EvalArgs),
    /// Warn about policies that check but are probably not meant: conflicts,
    /// conditions that never hold, unused facts, rules without citations.
    Lint(lint::LintArgs),
    /// Write the policy catalogue for lawyers: duties per regulation and role,
    /// with deadlines, citations, status, penalties and source lines.
    Doc(doc::DocArgs),
    /// Format policy files in the one canonical layout, keeping comments.
    Fmt(fmt::FmtArgs),
    /// Explain a warning code at length, with an example (e.g. `deon explain conflict`).
    Explain {
        /// The code, e.g. deon::lint::conflict, or its last part.
        code: String,
    },
    /// Run the policy tests (*.test.yaml, *.test.json, *.test.toml) found with the policies.
    Test(test::TestArgs),
    /// What changed between two policy sets, or in one set between two dates.
    Diff(diff::DiffArgs),
    /// Show a jurisdiction's holiday calendar for a year, month by month.
    Calendar {
        /// The jurisdiction, e.g. cn.
        jurisdiction: String,
        /// The year, e.g. 2026.
        year: i32,
        /// Where the policies and their calendar/ folders are.
        #[arg(long, default_value = "policies")]
        policies: PathBuf,
    },
    /// Serve decisions over HTTP, with a web page to evaluate cases.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Run the language server for editors, speaking LSP on standard input and output.
    Lsp,
    /// Explore policies and cases interactively.
    Repl {
        /// A policy file or folder to load at start.
        policies: Option<PathBuf>,
        /// A case file to load at start.
        case: Option<PathBuf>,
    },
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ErrorFormat {
    Human,
    Json,
}

/// Set once from the command line, read wherever problems are printed.
static ERROR_FORMAT: std::sync::OnceLock<ErrorFormat> = std::sync::OnceLock::new();

#[derive(Clone, Copy, ValueEnum)]
pub enum OutputFormat {
    Human,
    Json,
}

/// Whether to colour each stream.
#[derive(Clone, Copy)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| format!("`{text}` is not a date written YYYY-MM-DD"))
}

pub fn parse_status(text: &str) -> Result<Status, String> {
    Status::from_key(text).ok_or_else(|| {
        let all: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
        format!(
            "`{text}` is not a status; the statuses are {}",
            all.join(", ")
        )
    })
}

/// How many problems to show (`--max-errors`), set once at start.
static MAX_SHOWN: AtomicUsize = AtomicUsize::new(deon::render::DEFAULT_MAX_SHOWN);

pub fn print_diagnostics(diagnostics: &Diagnostics, color: bool) {
    let mut stderr = std::io::stderr().lock();
    if ERROR_FORMAT.get() == Some(&ErrorFormat::Json) {
        // Every problem: a program reading them wants all, and each is one line.
        for problem in &diagnostics.problems {
            let object = deon::diagnostic_json::to_json(problem);
            let _ = writeln!(
                stderr,
                "{}",
                serde_json::to_string(&object).unwrap_or_default()
            );
        }
    } else {
        let limit = MAX_SHOWN.load(Ordering::Relaxed);
        let text = deon::render::diagnostics(&diagnostics.problems, color, limit);
        let _ = stderr.write_all(text.as_bytes());
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    MAX_SHOWN.store(cli.max_errors, Ordering::Relaxed);
    let _ = ERROR_FORMAT.set(cli.error_format);
    let color = !cli.no_color && std::env::var_os("NO_COLOR").is_none();
    let colors = Colors {
        stdout: color && std::io::stdout().is_terminal(),
        stderr: color && std::io::stderr().is_terminal(),
    };
    let code = match cli.command {
        Command::Check { paths } => check::run(&paths, colors),
        Command::Eval(args) => eval::run(&args, colors),
        Command::Lint(args) => lint::run(&args, colors),
        Command::Doc(args) => doc::run(&args, colors),
        Command::Fmt(args) => fmt::run(&args, colors),
        Command::Explain { code } => lint::explain(&code),
        Command::Test(args) => test::run(&args, colors),
        Command::Diff(args) => diff::run(&args, colors),
        Command::Calendar {
            jurisdiction,
            year,
            policies,
        } => calendar::run(&jurisdiction, year, &policies, colors),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::run(&args, colors),
        Command::Lsp => lsp::run(),
        Command::Repl { policies, case } => repl::run(policies.as_deref(), case.as_deref(), color),
    };
    ExitCode::from(code)
}
