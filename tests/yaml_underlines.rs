//! A wrong value in a YAML case is underlined whole, whatever way it is
//! written: plain, quoted, block scalar, flow or block collection, and in
//! any script.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use deon::{Format, Policy};
use miette::Diagnostic;

const POLICY: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
enum Kind "K." { a "A." b "B." }
facts { r "R." {
  on: date? "On."
  done: bool? "Done."
  n: int? "N."
  kinds: set of Kind "Kinds."
  note: text? "Note."
} }
"#;

/// The code and the underlined text of each problem with the case.
fn underlined(case: &str) -> Vec<(String, String)> {
    let policy = Policy::from_sources([("p.deon", POLICY)]).expect("the policy checks");
    let Err(diagnostics) = policy.case_from_str("c.yaml", case, Format::Yaml) else {
        panic!("the case was read: {case}");
    };
    diagnostics
        .problems
        .iter()
        .map(|problem| {
            let code = problem.code().map(|c| c.to_string()).unwrap_or_default();
            let label = problem
                .labels()
                .and_then(|mut labels| labels.next())
                .expect("a label");
            let at = label.offset()..label.offset() + label.len();
            (
                code,
                case.get(at).expect("a span inside the case").to_string(),
            )
        })
        .collect()
}

fn wrong_type(text: &str) -> (String, String) {
    ("deon::case::wrong_type".to_string(), text.to_string())
}

fn invalid_date(text: &str) -> (String, String) {
    ("deon::case::invalid_date".to_string(), text.to_string())
}

#[test]
fn scalars_are_underlined_whole() {
    let case = "r:\n  on: the first of May  # not a date\n  done: \"yes \\\"really\\\"\\t\"\n  n: 'twelve, or so'\n  note: 7\n";
    assert_eq!(
        underlined(case),
        [
            invalid_date("the first of May"),
            wrong_type("\"yes \\\"really\\\"\\t\""),
            wrong_type("'twelve, or so'"),
            wrong_type("7"),
        ]
    );
}

#[test]
fn a_plain_scalar_over_lines_is_underlined_to_its_last_word() {
    let case = "r:\n  done: perhaps, if the\n    report was sent\n  n: 1\n";
    assert_eq!(
        underlined(case),
        [wrong_type("perhaps, if the\n    report was sent")]
    );
}

#[test]
fn block_scalars_are_underlined_from_header_to_last_line() {
    let case = "r:\n  done: |\n    first line\n    second line\n\n  n: >-\n    folded\n    text\n";
    assert_eq!(
        underlined(case),
        [
            wrong_type("|\n    first line\n    second line"),
            wrong_type(">-\n    folded\n    text"),
        ]
    );
}

#[test]
fn collections_are_underlined_whole() {
    let case = "r:\n  on: [2021, 9, 1]\n  done: {yes: please}\n  n:\n    - 1\n    - 2\n  note:\n    text: here\n    more: there\n";
    assert_eq!(
        underlined(case),
        [
            wrong_type("[2021, 9, 1]"),
            wrong_type("{yes: please}"),
            wrong_type("- 1\n    - 2"),
            wrong_type("text: here\n    more: there"),
        ]
    );
}

#[test]
fn values_after_and_in_other_scripts_are_underlined_in_bytes() {
    let case = "r:\n  note: 预警通报 — ünïcode\n  on: 二〇二一年 九月\n  done: \"é ü\"\n";
    assert_eq!(
        underlined(case),
        [invalid_date("二〇二一年 九月"), wrong_type("\"é ü\"")]
    );
}

#[test]
fn anchors_and_tags_are_not_underlined_with_the_value() {
    let case = "r:\n  done: &x maybe so\n  n: !!str twelve\n";
    assert_eq!(
        underlined(case),
        [wrong_type("maybe so"), wrong_type("twelve")]
    );
}

#[test]
fn a_wrong_item_is_underlined_alone() {
    let case = "r:\n  kinds: [a, not a kind, b]\n";
    let problems = underlined(case);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].1, "not a kind");
}

#[test]
fn a_syntax_error_points_where_reading_stopped() {
    let case = "r:\n  done: true\n   n: 1\n";
    let problems = underlined(case);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].0, "deon::case::syntax");
    let at = case.find(": 1").expect("in the case");
    assert_eq!(problems[0].1, ":");
    let policy = Policy::from_sources([("p.deon", POLICY)]).expect("the policy checks");
    let err = policy
        .case_from_str("c.yaml", case, Format::Yaml)
        .unwrap_err();
    let label = err.problems[0].labels().unwrap().next().unwrap();
    assert_eq!(label.offset(), at);
}
