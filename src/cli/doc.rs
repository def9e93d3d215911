//! `deon doc`: the policy catalogue, as Markdown or one HTML page.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use deon::catalogue::Catalogue;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, print_diagnostics};

#[derive(Args)]
pub struct DocArgs {
    /// Policy files or folders of .deon files.
    #[arg(required = true, value_name = "POLICIES")]
    pub paths: Vec<PathBuf>,
    /// md (Markdown) or html (one self-contained page).
    #[arg(long, value_enum, default_value = "md", value_name = "FORMAT")]
    pub format: DocFormat,
    /// Put before each policy file's path in links to its lines, e.g. `../`.
    #[arg(long, default_value = "", value_name = "PREFIX")]
    pub link_base: String,
    /// Write to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum DocFormat {
    Md,
    Html,
}

pub fn run(args: &DocArgs, colors: Colors) -> u8 {
    let policy = match super::load_policies(&args.paths) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!(
                "{diagnostics} in the policies; no catalogue was written"
            ));
            return EXIT_BAD_INPUT;
        }
    };
    let catalogue = Catalogue::new(&policy);
    let text = match args.format {
        DocFormat::Md => catalogue.markdown(&args.link_base),
        DocFormat::Html => catalogue.html(&args.link_base),
    };
    match &args.output {
        Some(path) => {
            // Escaped in the file too: it is read on a terminal as often as not.
            if let Err(e) = std::fs::write(path, deon::report::escape_controls(&text).as_bytes()) {
                eprintln!("error: cannot write {}: {e}", path.display());
                return EXIT_BAD_INPUT;
            }
        }
        None => print!("{}", deon::report::escape_controls(&text)),
    }
    EXIT_OK
}
