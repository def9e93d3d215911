//! `deon check`: load and check policies, print every problem.

use std::path::PathBuf;

use deon::Diagnostics;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, print_diagnostics};

pub fn run(paths: &[PathBuf], colors: Colors) -> u8 {
    match super::load_policies(paths) {
        Ok(policy) => {
            // The linter's warnings too, less those an `allow` silences.
            let problems = deon::lint::lint(&policy).warnings;
            let warnings = problems.len();
            print_diagnostics(&Diagnostics { problems }, colors.stderr);
            let warned = match warnings {
                0 => String::new(),
                1 => ", 1 warning".to_string(),
                n => format!(", {n} warnings"),
            };
            println!("checked {}{warned}", policy.summary());
            EXIT_OK
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!("{diagnostics} found; nothing was evaluated"));
            EXIT_BAD_INPUT
        }
    }
}
