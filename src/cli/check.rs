//! `deon check`: load and check policies, print every problem.

use std::path::PathBuf;

use deon::{Diagnostics, Policy};

use super::{print_diagnostics, Colors, EXIT_BAD_INPUT, EXIT_OK};

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn run(paths: &[PathBuf], colors: Colors) -> u8 {
    match Policy::load(paths) {
        Ok(policy) => {
            print_diagnostics(
                &Diagnostics {
                    problems: policy.warnings().to_vec(),
                },
                colors.stderr,
            );
            let summary = policy.summary();
            let warnings = policy.warnings().len();
            println!(
                "checked {}: {}, {}, {}, {}{}",
                plural(summary.files.len(), "file", "files"),
                plural(summary.regulations.len(), "regulation", "regulations"),
                plural(summary.rules.len(), "rule", "rules"),
                plural(summary.penalties.len(), "penalty", "penalties"),
                plural(summary.facts.len(), "fact", "facts"),
                if warnings == 0 {
                    String::new()
                } else {
                    format!(", {}", plural(warnings, "warning", "warnings"))
                }
            );
            EXIT_OK
        }
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} found; nothing was evaluated");
            EXIT_BAD_INPUT
        }
    }
}
