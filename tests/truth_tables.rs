//! Deon's three-valued logic, written out as tables (Kleene's strong logic):
//! a fact a case leaves out is unknown, and unknown propagates unless the
//! other operand decides. Each expected value is written by hand, not worked
//! out by the same rules as the evaluator.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use deon::Policy;

const POLICY: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: bool "A." b: bool "B." n: int "N." on: date? "On." } }
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
fn comparisons_and_arithmetic_with_an_unknown_number_are_unknown() {
    let policy = policy();
    let known = policy
        .case_from_json(&serde_json::json!({"r": {"n": 5}}))
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
