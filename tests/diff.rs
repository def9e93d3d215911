//! `deon diff`, between two policy sets and between two dates.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::process::Command;

fn deon(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn two_policy_sets() {
    let (code, out, err) = deon(&["diff", "tests/fixtures/diff/old", "tests/fixtures/diff/new"]);
    assert_eq!(code, 0, "{err}");
    insta::assert_snapshot!("diff_two_sets", out);
}

#[test]
fn the_2026_cybersecurity_law_amendment() {
    let (code, out, err) = deon(&[
        "diff",
        "policies",
        "--from",
        "2025-12-31",
        "--to",
        "2026-01-01",
    ]);
    assert_eq!(code, 0, "{err}");
    // The caveats that come with the amended text are changes a lawyer must
    // see: each unverified 2026 figure or number is a review note added.
    let added = out.matches("review note added").count();
    assert!(added >= 5, "{added} review notes added:\n{out}");
    assert!(out.contains("Art. 65: the article number"), "{out}");
    insta::assert_snapshot!("diff_2026_amendment", out);
}

#[test]
fn the_provisions_taking_effect() {
    let (code, out, _) = deon(&[
        "diff",
        "policies",
        "--from",
        "2021-08-31",
        "--to",
        "2021-09-01",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let changes = report["changes"].as_array().expect("changes");
    let added = changes.iter().filter(|c| c["kind"] == "rule_added").count();
    let rules_2021 = std::fs::read_to_string("policies/cn/miit_vuln_provisions_2021.deon")
        .expect("policy")
        .lines()
        .filter(|l| l.starts_with("rule "))
        .count();
    assert_eq!(
        added, rules_2021,
        "every rule of the Provisions starts to bind on 2021-09-01"
    );
    assert!(
        changes.iter().all(|c| c["kind"] == "rule_added"),
        "nothing else changed that day"
    );
    // Nothing changes between two ordinary days.
    let (_, quiet, _) = deon(&[
        "diff",
        "policies",
        "--from",
        "2024-03-01",
        "--to",
        "2024-03-02",
    ]);
    assert!(quiet.contains("no changes"), "{quiet}");
}

#[test]
fn bad_arguments_are_explained() {
    let (code, _, err) = deon(&["diff", "policies"]);
    assert_eq!(code, 2);
    assert!(err.contains("--from D1 --to D2"), "{err}");
}
