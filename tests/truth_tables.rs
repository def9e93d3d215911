//! Deon's three-valued logic, written out as tables (Kleene's strong logic):
//! a fact a case leaves out is unknown, and unknown propagates unless the
//! other operand decides. Each expected value is written by hand, not worked
//! out by the same rules as the evaluator.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use deon::Policy;

const POLICY: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
enum Kind "K." { a "A." b "B." c "C." }
facts { r "R." { a: bool "A." b: bool "B." n: int "N." on: date? "On." kept: duration? "Kept." kind: Kind "Kind." kinds: set of Kind "Kinds." m: money? "M." } }
"#;

fn policy() -> Policy {
    Policy::from_sources([("p.deon", POLICY)]).unwrap()
}

/// `T`, `F` or `U` (left out of the case).
fn value(v: char) -> Option<bool> {
    match v {
        'T' => Some(true),
        'F' => Some(false),
        _ => None,
    }
}

/// Evaluates `expr` with `r.a` and `r.b` as given.
fn eval(policy: &Policy, expr: &str, a: char, b: char) -> String {
    let mut facts = serde_json::Map::new();
    for (name, v) in [("a", a), ("b", b)] {
        if let Some(v) = value(v) {
            facts.insert(name.into(), v.into());
        }
    }
    let case = policy
        .case_from_json(&serde_json::json!({ "r": facts }))
        .unwrap();
    let checked = policy.check_expression("input", expr).unwrap();
    policy.evaluate_expression(&checked, &case, None).0
}

fn word(v: char) -> &'static str {
    match v {
        'T' => "true",
        'F' => "false",
        _ => "unknown",
    }
}

/// Each row is `a b result`.
fn table(expr: &str, rows: &[&str]) {
    let policy = policy();
    assert_eq!(rows.len(), 9, "{expr}: every pair of T, F, U");
    for row in rows {
        let cells: Vec<char> = row.chars().filter(|c| !c.is_whitespace()).collect();
        let (a, b, expected) = (cells[0], cells[1], cells[2]);
        assert_eq!(
            eval(&policy, expr, a, b),
            word(expected),
            "{expr} with r.a = {}, r.b = {}",
            word(a),
            word(b)
        );
    }
}

#[test]
fn and_is_false_when_either_side_is_false() {
    table(
        "r.a and r.b",
        &[
            "T T T", "T F F", "T U U", //
            "F T F", "F F F", "F U F", //
            "U T U", "U F F", "U U U",
        ],
    );
}

#[test]
fn or_is_true_when_either_side_is_true() {
    table(
        "r.a or r.b",
        &[
            "T T T", "T F T", "T U T", //
            "F T T", "F F F", "F U U", //
            "U T T", "U F U", "U U U",
        ],
    );
}

#[test]
fn not_flips_a_known_value_and_keeps_unknown() {
    table(
        "not r.a",
        &[
            "T T F", "T F F", "T U F", //
            "F T T", "F F T", "F U T", //
            "U T U", "U F U", "U U U",
        ],
    );
}

#[test]
fn comparisons_of_truth_values_are_unknown_when_a_side_is() {
    table(
        "r.a = r.b",
        &[
            "T T T", "T F F", "T U U", //
            "F T F", "F F T", "F U U", //
            "U T U", "U F U", "U U U",
        ],
    );
    table(
        "r.a != r.b",
        &[
            "T T F", "T F T", "T U U", //
            "F T T", "F F F", "F U U", //
            "U T U", "U F U", "U U U",
        ],
    );
}

#[test]
fn a_decided_side_wins_whichever_side_it_is_on() {
    // Short-circuiting must not depend on the order of the operands.
    table(
        "r.b and r.a",
        &[
            "T T T", "T F F", "T U U", //
            "F T F", "F F F", "F U F", //
            "U T U", "U F F", "U U U",
        ],
    );
    table(
        "r.b or r.a",
        &[
            "T T T", "T F T", "T U T", //
            "F T T", "F F F", "F U U", //
            "U T T", "U F U", "U U U",
        ],
    );
}

#[test]
fn is_set_knows_null_from_unknown() {
    let policy = policy();
    let cases = [
        (
            serde_json::json!({"r": {"on": "2026-03-01"}}),
            "true",
            "false",
        ),
        (serde_json::json!({"r": {"on": null}}), "false", "true"),
        (serde_json::json!({"r": {}}), "unknown", "unknown"),
    ];
    for (case, set, unset) in cases {
        let case = policy.case_from_json(&case).unwrap();
        for (expr, expected) in [("r.on is set", set), ("r.on is unset", unset)] {
            let checked = policy.check_expression("input", expr).unwrap();
            assert_eq!(
                policy.evaluate_expression(&checked, &case, None).0,
                expected,
                "{expr}"
            );
        }
    }
}

#[test]
fn comparisons_and_arithmetic_with_an_unknown_value_are_unknown() {
    let policy = policy();
    let known = policy
        .case_from_json(&serde_json::json!({"r": {"n": 5, "on": "2026-03-01", "m": 5000}}))
        .unwrap();
    let unknown = policy.empty_case();
    for (expr, with_five) in [
        ("r.n > 3", "true"),
        ("r.n < 3", "false"),
        ("r.n >= 5", "true"),
        ("r.n <= 4", "false"),
        ("r.n = 5", "true"),
        ("r.n != 5", "false"),
        ("r.n + 1", "6"),
        ("r.n - 10", "-5"),
        ("r.n > 3 or r.n < 3", "true"),
        ("r.on - 2026-02-27", "2 days"),
        ("3 days + r.on", "2026-03-04"),
        ("r.on - 3 days", "2026-02-26"),
        ("r.m + 1,500 CNY", "6,500 CNY"),
        ("r.m - 7,000 CNY", "-2,000 CNY"),
        ("r.m > 4,999 CNY", "true"),
        ("r.on < 2026-03-02", "true"),
        ("r.on >= 2026-03-02", "false"),
        ("r.on = 2026-03-01", "true"),
        ("r.on > 2026-02-28 and r.on <= 2026-03-01", "true"),
    ] {
        let checked = policy.check_expression("input", expr).unwrap();
        assert_eq!(
            policy.evaluate_expression(&checked, &known, None).0,
            with_five,
            "{expr}"
        );
        assert_eq!(
            policy.evaluate_expression(&checked, &unknown, None).0,
            "unknown",
            "{expr}"
        );
    }
    // A decided side still decides: false and unknown is false.
    let checked = policy
        .check_expression("input", "r.n > 3 and false")
        .unwrap();
    assert_eq!(
        policy.evaluate_expression(&checked, &unknown, None).0,
        "false"
    );
    let checked = policy.check_expression("input", "true or r.n > 3").unwrap();
    assert_eq!(
        policy.evaluate_expression(&checked, &unknown, None).0,
        "true"
    );
}

/// A value out of range is unknown whatever the facts, and the REPL says
/// why instead of printing `unknown`.
#[test]
fn values_out_of_range_say_why_they_are_unknown() {
    let mut session = deon::repl::Session::from_policy(policy());
    let code = |out: &deon::repl::Output| {
        use miette::Diagnostic;
        out.problems()
            .filter_map(|p| p.code().map(|c| c.to_string()))
            .collect::<Vec<_>>()
    };
    session.handle(":set r.n = 9223372036854775807, r.kept = \"6 months\", r.on = 2026-03-01");
    for (expr, shown) in [
        ("r.n - 1", "9223372036854775806 : int"),
        ("r.kept > 3 days", "true : bool"),
        ("r.n + 1 > 0 and false", "false : bool"),
        ("r.on + 1 day", "2026-03-02 : date"),
    ] {
        let out = session.handle(expr);
        assert_eq!(out.text(), format!("{shown}\n"), "{expr}");
        assert!(code(&out).is_empty(), "{expr}");
    }
    let out = session.handle("r.n + 1");
    let message: String = out.problems().map(|p| p.to_string()).collect();
    assert!(
        message.contains("a whole number or amount goes past"),
        "{message}"
    );
    for expr in [
        "r.n + 1",
        "r.n + 1 > 0 or false",
        "r.kept > 999999999999 days",
        "r.on + 999999999999 days",
        "r.on - 999999999 days",
    ] {
        let out = session.handle(expr);
        assert_eq!(out.text(), "", "{expr}");
        assert_eq!(code(&out), ["deon::repl::out_of_range"], "{expr}");
    }
}

#[test]
fn membership_is_unknown_only_when_a_side_is() {
    let policy = policy();
    let known = policy
        .case_from_json(&serde_json::json!({"r": {"kind": "a", "kinds": ["a", "b"]}}))
        .unwrap();
    let unknown = policy.empty_case();
    for (expr, with_values) in [
        ("a in r.kinds", "true"),
        ("c in r.kinds", "false"),
        ("a not in r.kinds", "false"),
        ("c not in r.kinds", "true"),
        ("r.kind in r.kinds", "true"),
        ("r.kind not in r.kinds", "false"),
        ("r.kind in {b, c}", "false"),
        ("r.kind not in {b, c}", "true"),
        ("r.kind in {a}", "true"),
    ] {
        let checked = policy.check_expression("input", expr).unwrap();
        assert_eq!(
            policy.evaluate_expression(&checked, &known, None).0,
            with_values,
            "{expr}"
        );
        assert_eq!(
            policy.evaluate_expression(&checked, &unknown, None).0,
            "unknown",
            "{expr}"
        );
    }
}
