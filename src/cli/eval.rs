//! `deon eval`: evaluate one case and print the findings, or a batch of
//! cases (JSON Lines) and print one JSON record per case.

use std::fs::File;
use std::io::{BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use deon::{Case, Explain, Format, Policy, Status};

use super::progress::Progress;
use super::{
    Colors, EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, OutputFormat, parse_date, parse_status,
    print_diagnostics,
};

/// Cases read from standard input are refused past this size, as case files are.
const MAX_STDIN_CASE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Args)]
pub struct EvalArgs {
    /// A policy file or a folder of .deon files.
    #[arg(value_name = "POLICIES")]
    pub policies: PathBuf,
    /// The case: .json, .yaml/.yml or .toml, or `-` to read it from standard
    /// input (see --case-format). Leave it out with --batch.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub case: Option<PathBuf>,
    /// The format of a case read from standard input (`-`); JSON if left out.
    /// A case file's format comes from its extension.
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub case_format: Option<CaseFormat>,
    /// Evaluate many cases: a JSON Lines file (one case per line), or `-` for
    /// standard input. Writes one JSON record per case line, in order; on a
    /// terminal, shows progress and a summary on standard error.
    #[arg(long, value_name = "CASES.jsonl")]
    pub batch: Option<PathBuf>,
    /// Worker threads for --batch (default: one per core).
    #[arg(
        long,
        short = 'j',
        alias = "threads",
        requires = "batch",
        value_name = "N",
        value_parser = clap::value_parser!(u16).range(1..)
    )]
    pub jobs: Option<u16>,
    /// With --batch: no progress bar and no summary on the terminal.
    #[arg(long, short = 'q', requires = "batch")]
    pub quiet: bool,
    /// Evaluate on this date (YYYY-MM-DD) instead of the case's `as_of`.
    #[arg(long, value_parser = parse_date, value_name = "DATE")]
    pub as_of: Option<NaiveDate>,
    /// Output format (human by default; --batch always writes JSON Lines).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub format: Option<OutputFormat>,
    /// Show only findings with these statuses (comma separated), e.g. violated,pending.
    #[arg(long, value_delimiter = ',', value_parser = parse_status, value_name = "STATUS")]
    pub status: Vec<Status>,
    /// Treat every fact a rule reads but the case leaves out as an error.
    #[arg(long)]
    pub strict: bool,
    /// Exit with code 3 when any finding has one of these statuses (comma separated).
    #[arg(long, value_delimiter = ',', value_parser = parse_status, value_name = "STATUS")]
    pub fail_on: Vec<Status>,
    /// Explain every finding, not only those that need attention.
    #[arg(long, short)]
    pub verbose: bool,
    /// How much reasoning each finding carries: none, failing or all
    /// (default: all; failing with --batch).
    #[arg(long, value_name = "LEVEL")]
    pub explain: Option<Explain>,
}

pub fn run(args: &EvalArgs, colors: Colors) -> u8 {
    let policy = match super::load_policies([&args.policies]) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!(
                "{diagnostics} in the policies; nothing was evaluated"
            ));
            return EXIT_BAD_INPUT;
        }
    };
    let case_path = match (&args.batch, &args.case) {
        (Some(batch), _) => return run_batch(&policy, batch, args, colors),
        (None, Some(case)) => case,
        (None, None) => {
            eprintln!("error: give a case file, or --batch with a JSON Lines file");
            return EXIT_BAD_INPUT;
        }
    };
    let Some(case) = read_case(&policy, case_path, args.case_format, colors) else {
        return EXIT_BAD_INPUT;
    };
    let level = args.explain.unwrap_or(Explain::All);
    let mut decision = policy.decide(&case, args.as_of).explained(level);
    if args.strict && decision.unknown_facts().next().is_some() {
        eprintln!(
            "error: --strict: the case leaves out facts that rules read: {}",
            decision.unknown_facts().collect::<Vec<_>>().join(", ")
        );
        eprintln!("help: give each of them a value, or null if the event has not happened");
        return EXIT_BAD_INPUT;
    }
    let failed = decision
        .verdicts()
        .any(|v| args.fail_on.contains(&v.status()));
    if !args.status.is_empty() {
        decision.retain(|status| args.status.contains(&status));
    }
    let mut stdout = std::io::stdout().lock();
    let written = match args.format.unwrap_or(OutputFormat::Human) {
        OutputFormat::Json => {
            let mut json = Vec::new();
            decision.write_json_pretty(&mut json);
            json.push(b'\n');
            stdout.write_all(&json)
        }
        OutputFormat::Human => {
            let report = decision.report();
            write!(
                stdout,
                "{}",
                deon::report::human::render(
                    &report,
                    deon::report::human::Options {
                        color: colors.stdout,
                        verbose: args.verbose,
                        width: report_width(),
                    }
                )
            )
        }
    };
    if written.is_err() {
        // A closed pipe (e.g. `| head`) is not an error of the evaluation.
        return EXIT_OK;
    }
    if failed { EXIT_FINDINGS } else { EXIT_OK }
}

/// `--batch`: one record per case line on standard output. Exit 0 when the
/// batch ran, even if some lines are error records; 3 when `--fail-on`
/// matched a finding; 2 when the input cannot be read.
fn run_batch(policy: &Policy, batch: &Path, args: &EvalArgs, colors: Colors) -> u8 {
    if matches!(args.format, Some(OutputFormat::Human)) {
        eprintln!("error: --batch writes JSON Lines; leave out --format human");
        return EXIT_BAD_INPUT;
    }
    for warning in policy.warnings() {
        let _ = write!(
            std::io::stderr(),
            "{}",
            deon::render::diagnostic(warning, colors.stderr)
        );
    }
    let options = deon::batch::Options {
        as_of: args.as_of,
        statuses: args.status.clone(),
        strict: args.strict,
        fail_on: args.fail_on.clone(),
        threads: args.jobs.map_or(0, usize::from),
        explain: args.explain.unwrap_or(Explain::Failing),
    };
    let stdout = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let result = if batch.as_os_str() == "-" {
        let stdin = BufReader::with_capacity(1 << 16, std::io::stdin());
        let progress = Progress::start(None, args.quiet);
        let result = deon::batch::run_watched(policy, stdin, stdout, &options, |so_far| {
            progress.update(so_far)
        });
        progress.finish(result.as_ref().ok());
        result
    } else {
        match File::open(batch) {
            Ok(file) => {
                let size = file
                    .metadata()
                    .ok()
                    .filter(|m| m.is_file())
                    .map(|m| m.len());
                let progress = Progress::start(size, args.quiet);
                let input = BufReader::with_capacity(1 << 16, file);
                let result = deon::batch::run_watched(policy, input, stdout, &options, |so_far| {
                    progress.update(so_far)
                });
                progress.finish(result.as_ref().ok());
                result
            }
            Err(e) => {
                eprintln!("error: cannot read {}: {e}", batch.display());
                return EXIT_BAD_INPUT;
            }
        }
    };
    match result {
        Ok(summary) if summary.failed > 0 => EXIT_FINDINGS,
        Ok(_) => EXIT_OK,
        // A closed pipe (e.g. `| head`) is not an error of the evaluation.
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(e) => {
            eprintln!("error: the batch stopped: {e}");
            EXIT_BAD_INPUT
        }
    }
}

/// `--case-format`.
#[derive(Clone, Copy, ValueEnum)]
pub enum CaseFormat {
    Json,
    Yaml,
    Toml,
}

/// A case file, or with `-` a case on standard input; `None` once every
/// problem with it is printed.
fn read_case(
    policy: &Policy,
    path: &Path,
    format: Option<CaseFormat>,
    colors: Colors,
) -> Option<Case> {
    let read = if path.as_os_str() == "-" {
        read_stdin_case(policy, format)?
    } else {
        if format.is_some() {
            eprintln!(
                "note: --case-format is for a case read from standard input (`-`); {} is read by its extension",
                path.display()
            );
        }
        policy.case_from_file(path)
    };
    match read {
        Ok(case) => Some(case),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!("{diagnostics} in the case; nothing was evaluated"));
            None
        }
    }
}

/// The case on standard input, in `format` (JSON if not given); `None` when
/// it cannot be read as text at all (the reason is printed).
fn read_stdin_case(
    policy: &Policy,
    format: Option<CaseFormat>,
) -> Option<Result<Case, deon::Diagnostics>> {
    let format = match format.unwrap_or(CaseFormat::Json) {
        CaseFormat::Json => Format::Json,
        CaseFormat::Yaml => Format::Yaml,
        CaseFormat::Toml => Format::Toml,
    };
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        eprintln!("reading the case from standard input; end it with Ctrl-D");
    }
    let mut bytes = Vec::new();
    let read = stdin
        .lock()
        .take(MAX_STDIN_CASE_BYTES + 1)
        .read_to_end(&mut bytes);
    if let Err(e) = read {
        eprintln!("error: cannot read standard input: {e}");
        return None;
    }
    if bytes.len() as u64 > MAX_STDIN_CASE_BYTES {
        eprintln!("error: the case on standard input is larger than {MAX_STDIN_CASE_BYTES} bytes");
        return None;
    }
    match String::from_utf8(bytes) {
        Ok(text) => Some(policy.case_from_str("<stdin>", &text, format)),
        Err(e) => {
            eprintln!(
                "error: the case on standard input is not UTF-8 (byte {})",
                e.utf8_error().valid_up_to() + 1
            );
            eprintln!("help: write the case as UTF-8");
            None
        }
    }
}

/// How wide to wrap a text report: `COLUMNS` if set, else the terminal's
/// width when standard output is one; through a pipe, lines stay whole.
fn report_width() -> Option<usize> {
    let columns = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok());
    let terminal = || {
        std::io::stdout()
            .is_terminal()
            .then(terminal_size::terminal_size)
            .flatten()
            .map(|(width, _)| usize::from(width.0))
    };
    columns.or_else(terminal).filter(|&w| w >= 20)
}
