//! Case text in each format (JSON, YAML, TOML) against the shipped
//! policies: a case is read or refused with diagnostics, and a case that
//! reads always evaluates.
#![no_main]

use deon::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let policy = deon_fuzz::shipped();
    for (name, format) in [
        ("case.json", Format::Json),
        ("case.yaml", Format::Yaml),
        ("case.toml", Format::Toml),
    ] {
        match policy.case_from_str(name, text, format) {
            Ok(case) => deon_fuzz::check_decision(policy, &case),
            Err(diagnostics) => assert!(!diagnostics.problems.is_empty()),
        }
    }
});
