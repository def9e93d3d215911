//! `deon eval`: evaluate one case and print the findings.

use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;
use clap::Args;
use deon::{Policy, Status};

use super::{
    parse_date, parse_status, print_diagnostics, Colors, OutputFormat, EXIT_BAD_INPUT,
    EXIT_FINDINGS, EXIT_OK,
};

#[derive(Args)]
pub struct EvalArgs {
    /// A policy file or a folder of .deon files.
    pub policies: PathBuf,
    /// The case: .json, .yaml/.yml or .toml.
    pub case: PathBuf,
    /// Evaluate on this date (YYYY-MM-DD) instead of the case's `as_of`.
    #[arg(long, value_parser = parse_date)]
    pub as_of: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
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
    let case = match policy.case_from_file(&args.case) {
        Ok(case) => case,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} in the case; nothing was evaluated");
            return EXIT_BAD_INPUT;
        }
    };
    let mut report = policy.evaluate(&case, args.as_of);
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
    let written = match args.format {
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
    if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}
