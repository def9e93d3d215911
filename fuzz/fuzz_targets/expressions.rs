//! Generated expressions (long chains, deep brackets) over a small policy:
//! checked and evaluated at the REPL and as a rule's condition, with
//! problems as diagnostics and never a panic or a stack overflow.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|expr: deon_fuzz::Expr| {
    let text = expr.text();
    let small = deon_fuzz::small();
    let case = small
        .case_from_json(&serde_json::json!({
            "r": {"on": "2026-03-01", "at": "2026-03-02", "yes": true, "no": false,
                  "n": i64::MAX, "m": null, "s": "x", "kind": "a", "kinds": ["a", "c"],
                  "fine": 100, "kept": "6 months"}
        }))
        .ok();
    if let Ok(checked) = small.check_expression("input", &text) {
        for case in [Some(small.empty_case()), case.clone()]
            .into_iter()
            .flatten()
        {
            let _ = small.evaluate_expression(&checked, &case, None);
        }
    }
    let policy = format!(
        "{}define fuzzed as {text}\nrule fuzzed_rule {{ cite \"X\" when fuzzed is set must \"x\" done when r.yes }}\n",
        deon_fuzz::SMALL
    );
    if let Ok(policy) = deon::Policy::from_sources([("fuzz.deon", policy.as_str())]) {
        deon_fuzz::check_decision(&policy, &policy.empty_case());
        if let Ok(case) = policy.case_from_json(&serde_json::json!({"r": {"yes": true, "n": 5}})) {
            deon_fuzz::check_decision(&policy, &case);
        }
    }
});
