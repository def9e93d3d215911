//! `deon eval`: evaluate one case and print the findings, or a batch of
//! cases (JSON Lines) and print one JSON record per case.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use deon::{Explain, Policy, Status};

use super::{
    Colors, EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, OutputFormat, parse_date, parse_status,
    print_diagnostics,
};

#[derive(Args)]
pub struct EvalArgs {
    /// A policy file or a folder of .deon files.
    pub policies: PathBuf,
    /// The case: .json, .yaml/.yml or .toml. Leave it out with --batch.
    #[arg(required_unless_present = "batch", conflicts_with = "batch")]
    pub case: Option<PathBuf>,
    /// Evaluate many cases: a JSON Lines file (one case per line), or `-` for
    /// standard input. Writes one JSON record per case line, in order.
    #[arg(long, value_name = "CASES.jsonl")]
    pub batch: Option<PathBuf>,
    /// Worker threads for --batch (default: one per core).
    #[arg(long, requires = "batch", value_name = "N")]
    pub threads: Option<usize>,
    /// Evaluate on this date (YYYY-MM-DD) instead of the case's `as_of`.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    /// Output format (human by default; --batch always writes JSON Lines).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
    /// Show only findings with these statuses (comma separated), e.g. violated,pending.
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
    pub status: Vec<Status>,
    /// Treat every fact a rule reads but the case leaves out as an error.
    #[arg(long)]
    pub strict: bool,
    /// Exit with code 3 when any finding has one of these statuses.
    #[arg(long, value_delimiter = ',', value_parser = parse_status)]
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
    let policy = match Policy::load([&args.policies]) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} in the policies; nothing was evaluated");
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
    let case = match policy.case_from_file(case_path) {
        Ok(case) => case,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} in the case; nothing was evaluated");
            return EXIT_BAD_INPUT;
        }
    };
    let level = args.explain.unwrap_or(Explain::All);
    let mut report = policy.decide(&case, args.as_of).explained(level).report();
    if args.strict && !report.unknown_facts.is_empty() {
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
        .any(|f| args.fail_on.contains(&f.status));
    if !args.status.is_empty() {
        report.findings.retain(|f| args.status.contains(&f.status));
    }
    let mut stdout = std::io::stdout().lock();
    let written = match args.format.unwrap_or(OutputFormat::Human) {
        OutputFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => writeln!(stdout, "{json}"),
            Err(e) => writeln!(
                std::io::stderr(),
                "error: cannot write the report as JSON: {e}"
            ),
        },
        OutputFormat::Human => write!(
            stdout,
            "{}",
            deon::report::human::render(
                &report,
                deon::report::human::Options {
                    color: colors.stdout,
                    verbose: args.verbose
                }
            )
        ),
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
        threads: args.threads.unwrap_or(0),
        explain: args.explain.unwrap_or(Explain::Failing),
    };
    let stdout = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
    let result = if batch.as_os_str() == "-" {
        let stdin = BufReader::with_capacity(1 << 16, std::io::stdin());
        deon::batch::run(policy, stdin, stdout, &options)
    } else {
        match File::open(batch) {
            Ok(file) => deon::batch::run(
                policy,
                BufReader::with_capacity(1 << 16, file),
                stdout,
                &options,
            ),
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
