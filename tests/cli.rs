//! The `deon` binary, run as a user runs it.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::path::Path;
use std::process::{Command, Output};

const POLICY: &str = "tests/fixtures/eval/policy";

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

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn shipped_policies_check_clean() {
    let output = deon(&["check", "policies"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("2 regulations"),
        "{}",
        stdout(&output)
    );
    assert!(
        !stderr(&output).contains("warning"),
        "shipped policies should have no warnings:\n{}",
        stderr(&output)
    );
}

#[test]
fn every_problem_of_a_broken_policy_is_reported_with_exit_2() {
    let output = deon(&["check", "tests/fixtures/check/error_many_problems.deon"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    for code in [
        "unknown_type",
        "definition_cycle",
        "unknown_role",
        "unknown_enum_value",
        "unguarded_optional",
        "unknown_fact",
        "unknown_penalty",
        "type_mismatch",
        "duplicate",
    ] {
        assert!(
            err.contains(&format!("deon::check::{code}")),
            "missing {code} in:\n{err}"
        );
    }
    assert!(
        err.contains("error_many_problems.deon:26:20"),
        "diagnostics point at line and column:\n{err}"
    );
    assert!(err.contains("did you mean `party.aware_on`?"));
}

#[test]
fn eval_json_is_valid_and_every_finding_is_explained() {
    let output = deon(&[
        "eval",
        POLICY,
        "tests/fixtures/eval/late_filing.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("valid JSON");
    let findings = report["findings"].as_array().expect("findings");
    assert!(!findings.is_empty());
    for finding in findings {
        assert!(
            finding["citations"]
                .as_array()
                .is_some_and(|c| !c.is_empty()),
            "{finding}"
        );
        assert!(
            finding["summary"].as_str().is_some_and(|s| !s.is_empty()),
            "{finding}"
        );
        // Every finding applying on the date explains itself; one whose
        // regulation is not in force has no steps to show.
        assert!(
            finding["explanation"].is_array() || finding["status"] == "not_in_force",
            "{finding}"
        );
    }
    let filing = findings
        .iter()
        .find(|f| f["rule"] == "file_with_miit")
        .expect("filing finding");
    assert_eq!(filing["status"], "violated");
    assert_eq!(filing["due"], "2026-03-05");
    assert_eq!(filing["days_overdue"], 1);
    assert_eq!(filing["exposure"]["entity"]["max"], 500_000);
    assert_eq!(report["as_of"], "2026-03-10");
    // The JSON report reads back into the library's types.
    let _: deon::Report = serde_json::from_slice(&output.stdout).expect("round-trips");
}

#[test]
fn a_case_with_a_wrong_type_points_into_the_case_file() {
    let output = deon(&["eval", POLICY, "tests/fixtures/eval/error_wrong_type.yaml"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("deon::case::wrong_type"), "{err}");
    assert!(err.contains("error_wrong_type.yaml:4:23"), "{err}");
    assert!(
        err.contains("2026-02-30 is not a date in the calendar"),
        "{err}"
    );
    assert!(err.contains("did you mean `filed_on`?"), "{err}");
    assert!(
        stdout(&output).is_empty(),
        "nothing is evaluated from a bad case"
    );
}

#[test]
fn as_of_on_the_command_line_wins_over_the_case() {
    // Due on 2026-03-05: on that day the filing is still pending, the day after it is late.
    let case = "tests/fixtures/eval/pending.json";
    let on_due = deon(&[
        "eval",
        POLICY,
        case,
        "--as-of",
        "2026-03-05",
        "--format",
        "json",
    ]);
    let day_after = deon(&[
        "eval",
        POLICY,
        case,
        "--as-of",
        "2026-03-06",
        "--format",
        "json",
    ]);
    let status = |o: &Output| {
        let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["findings"]
            .as_array()
            .and_then(|f| {
                f.iter()
                    .find(|f| f["rule"] == "file_with_miit")
                    .map(|f| f["status"].clone())
            })
            .unwrap_or_default()
    };
    assert_eq!(status(&on_due), "pending");
    assert_eq!(status(&day_after), "violated");
}

#[test]
fn fail_on_gives_its_own_exit_code() {
    let case = "tests/fixtures/eval/late_filing.yaml";
    assert_eq!(
        deon(&["eval", POLICY, case, "--fail-on", "violated"])
            .status
            .code(),
        Some(3)
    );
    assert_eq!(
        deon(&["eval", POLICY, case, "--fail-on", "pending"])
            .status
            .code(),
        Some(0)
    );
}

#[test]
fn status_filter_keeps_only_the_named_statuses() {
    let output = deon(&[
        "eval",
        POLICY,
        "tests/fixtures/eval/pending.json",
        "--status",
        "pending,needs_review",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&output.stdout).expect("json");
    let statuses: Vec<&str> = v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["status"].as_str())
        .collect();
    assert_eq!(statuses, ["pending", "needs_review"]);
    let bad = deon(&[
        "eval",
        POLICY,
        "tests/fixtures/eval/pending.json",
        "--status",
        "late",
    ]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("is not a status"));
}

#[test]
fn strict_mode_refuses_unknown_facts() {
    let output = deon(&[
        "eval",
        POLICY,
        "tests/fixtures/eval/empty_provider.yaml",
        "--strict",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("vuln.aware_on"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn human_output_groups_by_status_without_colour_off_a_terminal() {
    let output = deon(&["eval", POLICY, "tests/fixtures/eval/pending.json"]);
    let out = stdout(&output);
    assert!(
        out.contains("PENDING (1)") && out.contains("NEEDS REVIEW (1)"),
        "{out}"
    );
    assert!(
        !out.contains('\x1b'),
        "no escape codes when not on a terminal"
    );
}

#[test]
fn unreadable_and_invalid_files_are_diagnostics_not_panics() {
    let missing = deon(&["eval", POLICY, "no/such/case.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("deon::io::unreadable"));

    let dir = std::env::temp_dir().join(format!("deon-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let bad_utf8 = dir.join("bad.deon");
    std::fs::write(&bad_utf8, b"rule r {\n  cite \"Art. \xff\"\n}\n").expect("write");
    let output = deon(&["check", bad_utf8.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("deon::io::invalid_utf8"),
        "{}",
        stderr(&output)
    );

    let deep = dir.join("deep.deon");
    std::fs::write(
        &deep,
        format!("define d as {}true{}", "(".repeat(5000), ")".repeat(5000)),
    )
    .expect("write");
    let output = deon(&["check", deep.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("deon::syntax::too_deep"),
        "{}",
        stderr(&output)
    );

    let deep_case = dir.join("deep.json");
    std::fs::write(&deep_case, "[".repeat(100_000)).expect("write");
    let output = deon(&["eval", POLICY, deep_case.to_str().expect("utf-8 path")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("nests more than"),
        "{}",
        stderr(&output)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn readme_main_command_runs_on_a_shipped_example() {
    let examples: Vec<_> = std::fs::read_dir("examples/cases")
        .expect("examples/cases exists")
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "yaml" || e == "json" || e == "toml")
        })
        .collect();
    assert!(examples.len() >= 3, "at least three example cases");
    for case in &examples {
        let output = deon(&[
            "eval",
            "policies",
            case.to_str().expect("utf-8 path"),
            "--format",
            "json",
        ]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{}: {}",
            case.display(),
            stderr(&output)
        );
        let _: deon::Report = serde_json::from_slice(&output.stdout).expect("valid report");
    }
    assert!(Path::new("README.md").exists());
}

#[test]
fn policy_tests_show_expected_against_actual() {
    let output = deon(&["test", "tests/fixtures/policy-tests"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(out.contains("ok      filed on the due day"), "{out}");
    assert!(out.contains("FAILED  a lawyer's mistaken expectation (tests/fixtures/policy-tests/wrong.test.yaml:10)"), "{out}");
    assert!(
        out.contains("- expected: satisfied\n        + actual:   violated"),
        "{out}"
    );
    assert!(
        out.contains("- expected: 2026-03-06\n        + actual:   2026-03-05"),
        "{out}"
    );
    assert!(out.trim_end().ends_with("1 passed, 1 failed"), "{out}");
}

#[test]
fn broken_policy_tests_are_diagnostics() {
    let output = deon(&["test", "tests/fixtures/policy-tests-bad"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("did you mean `file_with_miit`?"), "{err}");
    assert!(err.contains("did you mean `provider`?"), "{err}");
    assert!(err.contains("`late` is not a status"), "{err}");
    assert!(err.contains("did you mean `totals`?"), "{err}");
}

#[test]
fn shipped_policy_tests_pass() {
    let output = deon(&["test", "policies"]);
    let out = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}\n{}", stderr(&output));
    let last = out.lines().last().unwrap_or_default();
    let passed: usize = last
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(last.ends_with("passed, 0 failed") && passed >= 60, "{last}");
}
