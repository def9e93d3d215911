//! The formatter's round trip: formatting twice changes nothing more, and
//! the formatted file parses to the same syntax tree.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let Ok(once) = deon::format_source("fuzz.deon", text) else {
        return;
    };
    let twice = match deon::format_source("fuzz.deon", &once) {
        Ok(twice) => twice,
        Err(e) => panic!("formatted text does not format again: {e:?}\n{once}"),
    };
    assert_eq!(once, twice, "formatting is not idempotent");
    let before = deon::parse_policy_file("fuzz.deon", text);
    let after = deon::parse_policy_file("fuzz.deon", &once);
    match (before, after) {
        (Ok(a), Ok(b)) => assert!(a == b, "formatting changed the syntax tree"),
        (a, b) => panic!("parse differs: {} vs {}", a.is_ok(), b.is_ok()),
    }
});
