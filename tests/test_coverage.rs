//! `deon test --coverage`, `--min-coverage`, `--filter` and `--format json`,
//! run as a user runs them.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::process::{Command, Output};

const FIXTURE: &str = "tests/fixtures/coverage";

fn deon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_table_names_every_outcome_missed() {
    let output = deon(&["test", FIXTURE, "--coverage"]);
    assert_eq!(output.status.code(), Some(0));
    insta::assert_snapshot!(stdout(&output));
}

#[test]
fn min_coverage_fails_below_the_threshold() {
    let output = deon(&["test", FIXTURE, "--coverage", "--min-coverage", "50"]);
    assert_eq!(output.status.code(), Some(0));
    let output = deon(&["test", FIXTURE, "--coverage", "--min-coverage", "50.1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("50.0% of outcomes reached"));
}

#[test]
fn filter_runs_only_matching_tests_and_json_has_the_coverage() {
    let output = deon(&[
        "test",
        FIXTURE,
        "--coverage",
        "--filter",
        "exempt",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["passed"], 1);
    assert_eq!(json["tests"][0]["name"], "trivial reports are exempt");
    let rule = &json["coverage"]["rules"][0];
    assert_eq!(rule["rule"], "file_report");
    let reached: Vec<&str> = rule["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["reached"].as_u64() > Some(0))
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(reached, ["exempt by report.trivial"]);
    // and `urgent_matters` did not apply.
    assert_eq!(json["coverage"]["reached"], 2);
    assert_eq!(json["coverage"]["outcomes"], 8);
}

#[test]
fn shipped_policies_report_every_rule() {
    let output = deon(&["test", "policies", "--coverage", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let rules = json["coverage"]["rules"].as_array().unwrap().len();
    let policy = deon::Policy::load(["policies"]).unwrap();
    assert_eq!(rules, policy.summary().rules.len());
}
