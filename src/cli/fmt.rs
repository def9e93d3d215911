//! `deon fmt`: rewrite policy files in the canonical layout, or with
//! `--check` show what would change.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, EXIT_TESTS_FAILED, print_diagnostics};

#[derive(Args)]
pub struct FmtArgs {
    /// Policy files or folders of .deon files.
    #[arg(required = true, value_name = "POLICIES")]
    pub paths: Vec<PathBuf>,
    /// Change nothing: print a unified diff of what would change, and exit
    /// with code 1 if anything would.
    #[arg(long)]
    pub check: bool,
}

pub fn run(args: &FmtArgs, colors: Colors) -> u8 {
    let files = match deon::policy_files(&args.paths) {
        Ok(files) => files,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            return EXIT_BAD_INPUT;
        }
    };
    let mut bad_input = false;
    let mut changed = 0usize;
    for path in &files {
        let text = match deon::read_policy_text(path) {
            Ok(text) => text,
            Err(diagnostics) => {
                print_diagnostics(&diagnostics, colors.stderr);
                bad_input = true;
                continue;
            }
        };
        let name = path.display().to_string();
        let formatted = match deon::format_source(&name, &text) {
            Ok(formatted) => formatted,
            Err(diagnostics) => {
                print_diagnostics(&diagnostics, colors.stderr);
                bad_input = true;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if args.check {
            let diff = similar::TextDiff::from_lines(&text, &formatted);
            let mut stdout = std::io::stdout().lock();
            let _ = write!(
                stdout,
                "{}",
                diff.unified_diff()
                    .context_radius(3)
                    .header(&name, &format!("{name} (formatted)"))
            );
        } else {
            // Write beside the file, then rename over it: never half-written.
            let temporary = path.with_extension("deon.fmt-tmp");
            let written = std::fs::write(&temporary, &formatted)
                .and_then(|()| std::fs::rename(&temporary, path));
            if let Err(e) = written {
                let _ = std::fs::remove_file(&temporary);
                eprintln!("error: cannot write {}: {e}", path.display());
                bad_input = true;
                continue;
            }
            let _ = writeln!(std::io::stdout(), "formatted {name}");
        }
    }
    if bad_input {
        return EXIT_BAD_INPUT;
    }
    if args.check && changed > 0 {
        eprintln!(
            "{changed} of {} files would be reformatted; run `deon fmt` on them",
            files.len()
        );
        return EXIT_TESTS_FAILED;
    }
    EXIT_OK
}
