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
    let output = deon(&["test", FIXTURE, "--coverage", "--min-coverage", "60"]);
    assert_eq!(output.status.code(), Some(0));
    let output = deon(&["test", FIXTURE, "--coverage", "--min-coverage", "60.1"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("60.0% of outcomes reached"));
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
    // Six outcomes of `file_report`, two of its penalty's tiers, two of `urgent_matters`.
    assert_eq!(json["coverage"]["outcomes"], 10);
    // An exempt finding exposes no penalty: no tier was met.
    for tier in rule["tiers"].as_array().unwrap() {
        assert_eq!(tier["reached"], 0);
        assert_eq!(tier["not_reached"], 0);
        assert_eq!(tier["possible"], 0);
    }
}

#[test]
fn each_tier_counts_the_tests_that_reached_it_missed_it_or_left_it_open() {
    let output = deon(&["test", FIXTURE, "--coverage", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let tiers = &json["coverage"]["rules"][0]["tiers"];
    // Two violations: one refused to correct (the case says nothing of
    // seriousness), one neither refused nor serious.
    assert_eq!(
        tiers,
        &serde_json::json!([
            {"penalty": "late_filing", "tier": "on refusal to correct",
             "reached": 1, "not_reached": 1, "possible": 0},
            {"penalty": "late_filing", "tier": "serious consequences",
             "reached": 0, "not_reached": 1, "possible": 1},
        ])
    );
    assert_eq!(json["coverage"]["reached"], 6);
    assert_eq!(json["coverage"]["outcomes"], 10);
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
