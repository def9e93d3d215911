//! Policy text through the parser and the checker: problems are diagnostics,
//! never a panic, and every diagnostic renders.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    match deon::Policy::from_sources([("fuzz.deon", text)]) {
        Ok(policy) => {
            let _ = policy.summary();
            let case = policy.empty_case();
            deon_fuzz::check_decision(&policy, &case);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.problems.is_empty());
            let _ = deon::diagnostic_json::all_to_json(&diagnostics.problems);
        }
    }
});
