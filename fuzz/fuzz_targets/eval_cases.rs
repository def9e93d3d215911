//! Generated cases for the shipped policies (keys from the fact schema,
//! values of every kind): read the same from a JSON value and from its
//! text, and evaluated whenever they read.
#![no_main]

use deon::Format;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|case: deon_fuzz::Case| {
    let policy = deon_fuzz::shipped();
    let from_value = policy.case_from_json(&case.0);
    let text = case.0.to_string();
    let from_text = policy.case_from_str("case.json", &text, Format::Json);
    assert_eq!(
        from_value.is_ok(),
        from_text.is_ok(),
        "a JSON value and its text read differently: {text:.300}"
    );
    if let (Ok(a), Ok(b)) = (&from_value, &from_text) {
        let (ra, rb) = (policy.evaluate(a, None), policy.evaluate(b, None));
        assert_eq!(ra, rb, "a JSON value and its text evaluate differently");
        deon_fuzz::check_decision(policy, a);
    }
});
