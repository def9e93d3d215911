//! `deon test`: run the policy tests that ship beside the policies.

use std::io::Write;
use std::path::PathBuf;

use deon::Policy;
use deon::testing;

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK, EXIT_TESTS_FAILED, print_diagnostics};

pub fn run(paths: &[PathBuf], colors: Colors) -> u8 {
    let policy = match Policy::load(paths) {
        Ok(policy) => policy,
        Err(diagnostics) => {
            print_diagnostics(&diagnostics, colors.stderr);
            eprintln!("{diagnostics} in the policies; no test was run");
            return EXIT_BAD_INPUT;
        }
    };
    let files = testing::test_files(paths);
    if files.is_empty() {
        eprintln!(
            "error: no test files (*.test.yaml, *.test.json, *.test.toml) under the given paths"
        );
        return EXIT_BAD_INPUT;
    }
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
        let _ = writeln!(stdout, "{}", file.display());
        for test in &tests {
            let outcome = testing::run_test(&policy, test);
            if outcome.passed() {
                passed += 1;
            } else {
                failed += 1;
            }
            let _ = write!(stdout, "{}", testing::render_outcome(&outcome));
        }
    }
    let _ = writeln!(stdout, "{passed} passed, {failed} failed");
    if bad_input {
        EXIT_BAD_INPUT
    } else if failed > 0 {
        EXIT_TESTS_FAILED
    } else {
        EXIT_OK
    }
}
