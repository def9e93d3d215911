//! `deon lint`: the checker's warnings and the linter's, with `--deny
//! warnings` for CI; `deon explain <code>`.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};
use deon::report::escape_controls;
use deon::{Diagnostics, Problem, lint};

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, EXIT_TESTS_FAILED, print_diagnostics};

#[derive(Args)]
pub struct LintArgs {
    /// Policy files or folders of .deon files.
    #[arg(required = true, value_name = "POLICIES")]
    pub paths: Vec<PathBuf>,
    /// `--deny warnings`: exit with code 1 when any warning is found.
    #[arg(long, value_enum, value_name = "warnings")]
    pub deny: Option<Deny>,
    /// Also list the warnings an `allow` silenced, with its reason.
    #[arg(long)]
    pub show_allowed: bool,
    /// Write each conflict's example case as a JSON case file into this folder.
    #[arg(long, value_name = "DIR")]
    pub examples: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Deny {
    /// Every warning is an error.
    Warnings,
}

pub fn run(args: &LintArgs, colors: Colors) -> u8 {
    let policy = match super::load_policies(&args.paths) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!("{diagnostics} found; nothing was linted"));
            return EXIT_BAD_INPUT;
        }
    };
    let report = lint::lint(&policy);
    print_diagnostics(
        &Diagnostics {
            problems: report.warnings.clone(),
        },
        colors.stderr,
    );
    if args.show_allowed {
        for allowed in &report.allowed {
            let code = miette::Diagnostic::code(&allowed.warning)
                .map(|c| c.to_string())
                .unwrap_or_default();
            let line = format!(
                "allowed in rule `{}`: {code}: {}\n  reason: {}",
                allowed.rule, allowed.warning, allowed.reason
            );
            println!("{}", escape_controls(&line));
        }
    }
    if let Some(dir) = &args.examples {
        if let Err(message) = write_examples(dir, &report.warnings) {
            eprintln!("error: {message}");
            return EXIT_BAD_INPUT;
        }
    }
    let count = report.warnings.len();
    let allowed = match report.allowed.len() {
        0 => String::new(),
        n => format!(" ({n} allowed)"),
    };
    println!(
        "linted {}: {}{allowed}",
        policy.summary(),
        match count {
            0 => "no warnings".to_string(),
            1 => "1 warning".to_string(),
            n => format!("{n} warnings"),
        }
    );
    if count > 0 && args.deny.is_some() {
        EXIT_TESTS_FAILED
    } else {
        EXIT_OK
    }
}

/// Writes each warning's example case as `<n>-<code name>.json`.
fn write_examples(dir: &Path, warnings: &[Problem]) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let mut n = 0;
    for warning in warnings {
        let Problem::Lint(lint) = warning else {
            continue;
        };
        let Some(example) = &lint.example else {
            continue;
        };
        n += 1;
        let path = dir.join(format!("{n}-{}.json", lint.code.name()));
        std::fs::write(&path, example)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        println!("wrote {}", escape_controls(&path.display().to_string()));
    }
    Ok(())
}

pub fn explain(code: &str) -> u8 {
    match lint::explain(code) {
        Some(text) => {
            print!("{}", escape_controls(text));
            EXIT_OK
        }
        None => {
            let names: Vec<&str> = lint::LintCode::ALL.iter().map(|c| c.name()).collect();
            eprintln!(
                "error: no warning is called `{}`; the lint warnings are {}, and the checker's missing_citation and missing_doc",
                escape_controls(code),
                names.join(", ")
            );
            EXIT_BAD_INPUT
        }
    }
}
