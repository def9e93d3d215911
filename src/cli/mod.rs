//! Command-line arguments and the dispatch to one module per subcommand.

mod calendar;
mod check;
mod diff;
mod doc;
mod eval;
mod fmt;
mod generate;
mod lint;
mod lsp;
mod progress;
mod repl;
#[cfg(feature = "serve")]
mod serve;
mod test;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::OnceLock;
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
    about = "Policy-as-code for regulatory obligations: check policies, evaluate cases.",
    after_help = examples::DEON
)]
pub struct Cli {
    /// When to colour the output: auto (on a terminal, unless NO_COLOR is
    /// set), always (also through a pipe), or never.
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "WHEN",
        default_value_t = ColorWhen::Auto
    )]
    color: ColorWhen,
    /// The same as --color never.
    #[arg(long, global = true, hide = true)]
    no_color: bool,
    /// Show at most this many problems, then how many more there are (0
    /// shows all) [default: 50].
    #[arg(long, global = true, value_name = "N")]
    max_errors: Option<usize>,
    /// Change one of the limits on input, e.g. `--limit case_file_bytes=128MiB`
    /// (repeatable). The limits: policy_file_bytes, case_file_bytes,
    /// nesting, expression_operators, rules, facts, string_bytes,
    /// batch_line_bytes, errors_shown (docs/reliability.md).
    #[arg(long = "limit", global = true, value_name = "NAME=VALUE", value_parser = parse_limit)]
    limits: Vec<(String, String)>,
    /// How problems are written to standard error: human (drawn) or json
    /// (one JSON object per line, per diagnostic).
    #[arg(
        long,
        global = true,
        value_enum,
        value_name = "FORMAT",
        default_value = "human"
    )]
    error_format: ErrorFormat,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and type-check policy files; report every problem.
    #[command(after_help = examples::CHECK)]
    Check {
        /// Policy files or folders of .deon files.
        #[arg(required = true, value_name = "POLICIES")]
        paths: Vec<PathBuf>,
    },
    /// Evaluate a case against policies and explain every finding.
    #[command(after_help = examples::EVAL)]
    Eval(eval::EvalArgs),
    /// Warn about policies that check but are probably not meant: conflicts,
    /// conditions that never hold, unused facts, rules without citations.
    #[command(after_help = examples::LINT)]
    Lint(lint::LintArgs),
    /// Write the policy catalogue for lawyers: duties per regulation and role,
    /// with deadlines, citations, status, penalties and source lines.
    #[command(after_help = examples::DOC)]
    Doc(doc::DocArgs),
    /// Format policy files in the one canonical layout, keeping comments.
    #[command(after_help = examples::FMT)]
    Fmt(fmt::FmtArgs),
    /// Explain a warning code at length, with an example (e.g. `deon explain conflict`).
    #[command(after_help = examples::EXPLAIN)]
    Explain {
        /// The code, e.g. deon::lint::conflict, or its last part.
        code: String,
    },
    /// Run the policy tests (*.test.yaml, *.test.json, *.test.toml) found with the policies.
    #[command(after_help = examples::TEST)]
    Test(test::TestArgs),
    /// What changed between two policy sets, or in one set between two dates.
    #[command(after_help = examples::DIFF)]
    Diff(diff::DiffArgs),
    /// Show a jurisdiction's holiday calendar for a year, month by month.
    #[command(after_help = examples::CALENDAR)]
    Calendar {
        /// The jurisdiction, e.g. cn.
        jurisdiction: String,
        /// The year, e.g. 2026.
        year: i32,
        /// Where the policies and their calendar/ folders are.
        #[arg(long, default_value = "policies", value_name = "DIR")]
        policies: PathBuf,
    },
    /// Serve decisions over HTTP, with a web page to evaluate cases.
    #[cfg(feature = "serve")]
    #[command(after_help = examples::SERVE)]
    Serve(serve::ServeArgs),
    /// Run the language server for editors, speaking LSP on standard input and output.
    #[command(after_help = examples::LSP)]
    Lsp,
    /// Explore policies and cases interactively.
    #[command(after_help = examples::REPL)]
    Repl {
        /// A policy file or folder to load at start.
        policies: Option<PathBuf>,
        /// A case file to load at start.
        case: Option<PathBuf>,
    },
    /// Print a shell completion script for bash, zsh, fish, PowerShell or elvish.
    #[command(after_help = examples::COMPLETIONS)]
    Completions {
        /// The shell to complete for.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder.
    #[command(after_help = examples::MAN)]
    Man(generate::ManArgs),
}

/// The Examples section of each command's help (and of its man page).
mod examples {
    pub const DEON: &str = "\
Examples:
  deon check policies
  deon eval policies examples/cases/provider_late_filing.yaml
  deon eval policies --batch cases.jsonl > records.jsonl
  deon repl policies
  deon help eval";

    pub const CHECK: &str = "\
Examples:
  deon check policies
  deon check policies/cn/miit_vuln_provisions_2021.deon policies/cn/csl_penalties.deon";

    pub const EVAL: &str = "\
Examples:
  deon eval policies examples/cases/provider_late_filing.yaml
  deon eval policies case.json --format json --as-of 2026-03-10
  deon eval policies case.toml --status violated,pending --fail-on violated
  deon eval policies case.yaml --strict
  cat case.yaml | deon eval policies - --case-format yaml
  deon eval policies --batch cases.jsonl --jobs 4 > records.jsonl
  deon eval policies --batch - --status violated,breached < cases.jsonl";

    pub const LINT: &str = "\
Examples:
  deon lint policies
  deon lint policies --deny warnings
  deon lint policies --show-allowed --examples conflict-cases";

    pub const DOC: &str = "\
Examples:
  deon doc policies > catalogue.md
  deon doc policies --format html -o catalogue.html
  deon doc policies --link-base ../ -o docs/policies.md";

    pub const FMT: &str = "\
Examples:
  deon fmt policies
  deon fmt --check policies";

    pub const EXPLAIN: &str = "\
Examples:
  deon explain conflict
  deon explain deon::lint::unused_fact";

    pub const TEST: &str = "\
Examples:
  deon test policies
  deon test policies --filter late
  deon test policies --coverage --min-coverage 90";

    pub const DIFF: &str = "\
Examples:
  deon diff policies --from 2025-12-31 --to 2026-01-01
  deon diff old-policies policies --format json";

    pub const CALENDAR: &str = "\
Examples:
  deon calendar cn 2026
  deon calendar cn 2025 --policies my-policies";

    #[cfg(feature = "serve")]
    pub const SERVE: &str = "\
Examples:
  deon serve policies --examples examples/cases
  deon serve policies --addr 127.0.0.1:9000 --token-file /etc/deon/token";

    pub const LSP: &str = "\
Examples:
  deon lsp    # started by an editor: VS Code, Neovim or Emacs (docs/editors.md)";

    pub const REPL: &str = "\
Examples:
  deon repl
  deon repl policies examples/cases/provider_late_filing.yaml";

    pub const COMPLETIONS: &str = "\
Examples:
  deon completions bash > ~/.local/share/bash-completion/completions/deon
  deon completions zsh > ~/.zfunc/_deon
  deon completions fish > ~/.config/fish/completions/deon.fish
  deon completions powershell >> $PROFILE";

    pub const MAN: &str = "\
Examples:
  deon man | man -l -
  deon man eval | man -l -
  deon man --out-dir ~/.local/share/man/man1";
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

/// `--color`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorWhen {
    Auto,
    Always,
    Never,
}

/// Whether to colour each stream.
#[derive(Clone, Copy)]
pub struct Colors {
    pub stdout: bool,
    pub stderr: bool,
}

impl Colors {
    /// `always` colours even through a pipe, and wins over `NO_COLOR` (as
    /// no-color.org asks of an explicit flag); `auto` colours a terminal
    /// unless `NO_COLOR` is set to something.
    fn choose(when: ColorWhen) -> Colors {
        match when {
            ColorWhen::Always => Colors {
                stdout: true,
                stderr: true,
            },
            ColorWhen::Never => Colors {
                stdout: false,
                stderr: false,
            },
            ColorWhen::Auto => {
                let allowed = std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
                Colors {
                    stdout: allowed && std::io::stdout().is_terminal(),
                    stderr: allowed && std::io::stderr().is_terminal(),
                }
            }
        }
    }
}

pub fn parse_date(text: &str) -> Result<NaiveDate, String> {
    deon::parse_date(text).ok_or_else(|| {
        format!(
            "`{}` is not a date written YYYY-MM-DD (four-digit year, two-digit month and day, e.g. 2026-03-10)",
            deon::report::escape_controls(text)
        )
    })
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

/// `NAME=VALUE` of `--limit`, checked against the limits' names and values.
fn parse_limit(text: &str) -> Result<(String, String), String> {
    let (name, value) = text
        .split_once('=')
        .ok_or_else(|| format!("`{text}` is not NAME=VALUE, e.g. case_file_bytes=128MiB"))?;
    let (name, value) = (name.trim(), value.trim());
    deon::Limits::default().set(name, value)?;
    Ok((name.to_string(), value.to_string()))
}

/// The limits on input (`--limit`), set once at start.
static LIMITS: OnceLock<deon::Limits> = OnceLock::new();

/// The limits on input this run applies.
pub fn limits() -> deon::Limits {
    LIMITS.get().copied().unwrap_or_default()
}

/// Loads a policy set under the limits of this run.
pub fn load_policies<P: AsRef<std::path::Path>>(
    paths: impl IntoIterator<Item = P>,
) -> Result<deon::Policy, Diagnostics> {
    deon::Policy::load_with_limits(paths, limits())
}

/// How many problems to show (`--max-errors`), set once at start.
static MAX_SHOWN: AtomicUsize = AtomicUsize::new(deon::render::DEFAULT_MAX_SHOWN);

pub fn print_diagnostics(diagnostics: &Diagnostics, color: bool) {
    let mut stderr = std::io::stderr().lock();
    if ERROR_FORMAT.get() == Some(&ErrorFormat::Json) {
        // Every problem: a program reading them wants all, and each is one line.
        let mut locator = deon::diagnostic_json::Locator::default();
        for problem in &diagnostics.problems {
            let object = locator.to_json(problem);
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

/// The line after the diagnostics that sums them up, for people only: with
/// `--error-format json` standard error holds nothing but JSON lines.
pub fn print_summary(line: &str) {
    if ERROR_FORMAT.get() != Some(&ErrorFormat::Json) {
        eprintln!("{line}");
    }
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    let mut limits = deon::Limits::default();
    for (name, value) in &cli.limits {
        // Checked while parsing the arguments.
        let _ = limits.set(name, value);
    }
    let _ = LIMITS.set(limits);
    MAX_SHOWN.store(
        cli.max_errors.unwrap_or(limits.errors_shown),
        Ordering::Relaxed,
    );
    let _ = ERROR_FORMAT.set(cli.error_format);
    let when = if cli.no_color {
        ColorWhen::Never
    } else {
        cli.color
    };
    let colors = Colors::choose(when);
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
        Command::Repl { policies, case } => repl::run(policies.as_deref(), case.as_deref(), colors),
        Command::Completions { shell } => generate::completions(shell),
        Command::Man(args) => generate::man(&args),
    };
    ExitCode::from(code)
}
