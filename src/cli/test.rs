//! `deon test`: run the policy tests that ship beside the policies, and
//! with `--coverage` say which outcomes of each rule they reach.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use deon::report::escape_controls;
use deon::testing::{self, coverage::Coverage};

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, EXIT_TESTS_FAILED, OutputFormat, print_diagnostics};

#[derive(Args)]
pub struct TestArgs {
    /// Folders (or files) holding policies and their tests.
    #[arg(required = true, value_name = "POLICIES")]
    pub paths: Vec<PathBuf>,
    /// Run only the tests whose name contains this text.
    #[arg(long, value_name = "NAME")]
    pub filter: Option<String>,
    /// Report which outcomes of each rule the tests reached.
    #[arg(long)]
    pub coverage: bool,
    /// With --coverage: fail (exit 1) when less than PERCENT of the outcomes are reached.
    #[arg(long, value_name = "PERCENT", requires = "coverage")]
    pub min_coverage: Option<f64>,
    /// Output format: human (default) or json (the outcomes, and the coverage).
    #[arg(long, value_enum)]
    pub format: Option<OutputFormat>,
}

pub fn run(args: &TestArgs, colors: Colors) -> u8 {
    let policy = match super::load_policies(&args.paths) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            super::print_summary(&format!("{diagnostics} in the policies; no test was run"));
            return EXIT_BAD_INPUT;
        }
    };
    let files = testing::test_files(&args.paths);
    if files.is_empty() {
        eprintln!(
            "error: no test files (*.test.yaml, *.test.json, *.test.toml) under the given paths"
        );
        return EXIT_BAD_INPUT;
    }
    let json = matches!(args.format, Some(OutputFormat::Json));
    let mut coverage = Coverage::new(&policy);
    let mut outcomes = Vec::new();
    let mut bad_input = false;
    let (mut passed, mut failed) = (0usize, 0usize);
    let mut stdout = std::io::stdout().lock();
    for file in files {
        let tests = match testing::read_test_file(&policy, &file) {
            Ok(tests) => tests,
            Err(diagnostics) => {
                print_diagnostics(&diagnostics, colors.stderr);
                bad_input = true;
                continue;
            }
        };
        let selected: Vec<_> = tests
            .iter()
            .filter(|t| {
                args.filter
                    .as_ref()
                    .is_none_or(|f| t.name.contains(f.as_str()))
            })
            .collect();
        if selected.is_empty() {
            continue;
        }
        if !json {
            let _ = writeln!(stdout, "{}", escape_controls(&file.display().to_string()));
        }
        for test in selected {
            let report = testing::evaluate_test(&policy, test);
            coverage.record(&report);
            let outcome = testing::check_report(&report, test);
            if outcome.passed() {
                passed += 1;
            } else {
                failed += 1;
            }
            if json {
                outcomes.push(outcome);
            } else {
                // Test names and values come from the test files.
                let text = testing::render_outcome(&outcome);
                let _ = write!(stdout, "{}", escape_controls(&text));
            }
        }
    }
    let below = args
        .min_coverage
        .is_some_and(|min| coverage.percent() + 1e-9 < min);
    if json {
        let mut value = serde_json::json!({
            "passed": passed,
            "failed": failed,
            "tests": outcomes,
        });
        if args.coverage {
            value["coverage"] = serde_json::json!({
                "percent": coverage.percent(),
                "reached": coverage.counts().0,
                "outcomes": coverage.counts().1,
                "rules": coverage.rules,
            });
        }
        let _ = writeln!(
            stdout,
            "{}",
            serde_json::to_string_pretty(&value).unwrap_or_default()
        );
    } else {
        if args.coverage {
            let _ = write!(stdout, "\n{}", escape_controls(&coverage.table()));
        }
        let _ = writeln!(stdout, "{passed} passed, {failed} failed");
    }
    if below {
        eprintln!(
            "error: {:.1}% of outcomes reached, below --min-coverage {}",
            coverage.percent(),
            args.min_coverage.unwrap_or_default()
        );
    }
    if bad_input {
        EXIT_BAD_INPUT
    } else if failed > 0 || below {
        EXIT_TESTS_FAILED
    } else {
        EXIT_OK
    }
}
