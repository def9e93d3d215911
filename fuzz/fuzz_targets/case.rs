//! Case text in each format (JSON, YAML, TOML) against the shipped
//! policies: a case is read or refused with diagnostics, and a case that
//! reads always evaluates. For JSON, whether the text is JSON at all is
//! answered as serde_json answers it.
#![no_main]

use deon::{Diagnostics, Format, Problem};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let policy = deon_fuzz::shipped();
    for (name, format) in [
        ("case.json", Format::Json),
        ("case.yaml", Format::Yaml),
        ("case.toml", Format::Toml),
    ] {
        let read = policy.case_from_str(name, text, format);
        if format == Format::Json {
            json_agrees_with_serde(text, &read);
        }
        match read {
            Ok(case) => deon_fuzz::check_decision(policy, &case),
            Err(diagnostics) => assert!(!diagnostics.problems.is_empty()),
        }
    }
});

/// Deon's JSON syntax is RFC 8259's, as serde_json's is, apart from choices
/// of its own (docs/reliability.md): a leading byte-order mark is accepted,
/// nesting stops at 64 levels (serde_json's at 128), and a key given twice
/// is refused by a reading rule, not as bad JSON.
fn json_agrees_with_serde(text: &str, read: &Result<deon::Case, Diagnostics>) {
    if text.starts_with('\u{feff}') {
        return;
    }
    let serde = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(_) => true,
        Err(e) => {
            let message = e.to_string();
            if message.contains("recursion limit") {
                return;
            }
            false
        }
    };
    let mut deon = true;
    for problem in read.as_ref().err().map_or(&[][..], |d| &d.problems[..]) {
        if let Problem::Case(error) = problem {
            if error.code != "deon::case::syntax" || error.message.contains("appears twice") {
                continue;
            }
            if error.message.contains("nests more than") {
                return;
            }
            deon = false;
        }
    }
    assert_eq!(deon, serde, "Deon and serde_json disagree on {text:?}");
}
