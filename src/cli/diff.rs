//! `deon diff`: what changed between two policy sets, or between two dates.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use clap::Args;
use deon::Policy;

use deon::report::escape_controls;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, OutputFormat, parse_date, print_diagnostics};

#[derive(Args)]
pub struct DiffArgs {
    /// The policy set (or, with a second path, the old one).
    pub old: PathBuf,
    /// The new policy set, to compare two sets.
    pub new: Option<PathBuf>,
    /// With one set: the earlier date.
    #[arg(long, value_parser = parse_date, requires = "to")]
    pub from: Option<NaiveDate>,
    /// With one set: the later date.
    #[arg(long, value_parser = parse_date, requires = "from")]
    pub to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = OutputFormat::Human)]
    pub format: OutputFormat,
}

fn load(path: &Path, colors: Colors) -> Option<Policy> {
    match super::load_policies([path]) {
        Ok(policy) => Some(policy),
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!(
                "{diagnostics} in {}; nothing was compared",
                escape_controls(&path.display().to_string())
            ));
            None
        }
    }
}

pub fn run(args: &DiffArgs, colors: Colors) -> u8 {
    let report = match (&args.new, args.from, args.to) {
        (Some(new), None, None) => {
            let (Some(old_policy), Some(new_policy)) = (load(&args.old, colors), load(new, colors))
            else {
                return EXIT_BAD_INPUT;
            };
            deon::diff::between_sets(
                &old_policy,
                &new_policy,
                &args.old.display().to_string(),
                &new.display().to_string(),
            )
        }
        (None, Some(from), Some(to)) => {
            let Some(policy) = load(&args.old, colors) else {
                return EXIT_BAD_INPUT;
            };
            deon::diff::between_dates(&policy, from, to)
        }
        _ => {
            eprintln!(
                "error: compare two policy sets (`deon diff old new`) or one set at two dates (`deon diff policies --from D1 --to D2`)"
            );
            return EXIT_BAD_INPUT;
        }
    };
    match args.format {
        OutputFormat::Json => match serde_json::to_string_pretty(&report) {
            Ok(json) => println!("{json}"),
            Err(e) => {
                eprintln!("error: cannot write the changes as JSON: {e}");
                return EXIT_BAD_INPUT;
            }
        },
        // Names and texts come from the policies: escaped for the terminal.
        OutputFormat::Human => print!("{}", escape_controls(&deon::diff::render(&report))),
    }
    EXIT_OK
}
