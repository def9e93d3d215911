//! `log` facts: a case lists records with the day each was kept from and
//! deleted on, and `kept for` a log checks each record on its own dates.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

const POLICY: &str = r#"
regulation example { title "An example" status in force effective from 2021-09-01 }
facts {
  intake "Reports received." {
    log: log "One entry per report: kept_from, the day it arrived; deleted_on, the day its entry was deleted."
  }
}
rule keep_each "Keep each report's entry six months." {
  cite "Art. 5"
  must "keep each report's log entry"
  for at least 6 months
  kept for intake.log
}
"#;

fn policy() -> deon::Policy {
    deon::Policy::from_sources([("log.deon", POLICY)]).expect("the policy checks")
}

fn summary(case: &str, name: &str) -> (deon::Status, String) {
    let policy = policy();
    let case = policy
        .case_from_str(name, case, deon::Format::from_path(name))
        .expect("the case reads");
    let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    let finding = &report.findings[0];
    (finding.status, finding.summary.clone())
}

fn errors(case: &str, name: &str) -> String {
    let policy = policy();
    let Err(errors) = policy.case_from_str(name, case, deon::Format::from_path(name)) else {
        panic!("the case should be refused");
    };
    format!("{errors:?}")
}

#[test]
fn a_deletion_before_the_same_day_six_months_later_is_too_early() {
    let (status, text) = summary(
        "intake:\n  log:\n    - {kept_from: 2025-08-31, deleted_on: 2026-02-27}\n    - {kept_from: 2025-09-01, deleted_on: null}\n",
        "case.yaml",
    );
    assert_eq!(status, deon::Status::Violated);
    assert!(
        text.contains("record 1 of the log, kept from 2025-08-31, was deleted on 2026-02-27, 1 day before 2026-02-28"),
        "{text}"
    );
}

#[test]
fn json_cases_read_logs_too() {
    let (status, text) = summary(
        r#"{"intake": {"log": [{"kept_from": "2025-08-31", "deleted_on": "2026-02-28"}]}}"#,
        "case.json",
    );
    assert_eq!(status, deon::Status::Satisfied, "{text}");
}

#[test]
fn an_entry_deleted_before_it_was_kept_is_refused() {
    let text = errors(
        "intake:\n  log:\n    - {kept_from: 2025-08-31, deleted_on: 2025-08-01}\n",
        "case.yaml",
    );
    assert!(
        text.contains("before it was kept from 2025-08-31"),
        "{text}"
    );
}

#[test]
fn an_entry_needs_both_dates_and_no_other_keys() {
    let text = errors(
        "intake:\n  log:\n    - {kept_from: 2025-08-31}\n",
        "case.yaml",
    );
    assert!(text.contains("both kept_from and deleted_on"), "{text}");
    let text = errors(
        "intake:\n  log:\n    - {kept_from: 2025-08-31, deleted_on: null, name: x}\n",
        "case.yaml",
    );
    assert!(text.contains("a log entry has no `name`"), "{text}");
    let text = errors("intake:\n  log: \"6 months\"\n", "case.yaml");
    assert!(text.contains("a list of log entries"), "{text}");
}

#[test]
fn a_log_is_shown_record_by_record() {
    let policy = policy();
    let case = policy
        .case_from_str(
            "case.yaml",
            "intake:\n  log:\n    - {kept_from: 2025-08-31, deleted_on: 2026-02-27}\n    - {kept_from: 2025-09-01, deleted_on: null}\n",
            deon::Format::Yaml,
        )
        .expect("the case reads");
    let log = policy
        .check_expression("input", "intake.log")
        .expect("the expression checks");
    assert_eq!(
        policy.evaluate_expression(&log, &case, None).0,
        "[kept from 2025-08-31 deleted on 2026-02-27, kept from 2025-09-01]"
    );
}

/// Kept for exactly the period is enough: a record deleted on the same day
/// six months on is on time, one deleted the day before is early.
#[test]
fn a_deletion_on_the_last_day_of_the_period_is_on_time() {
    for (deleted, status) in [
        ("2026-02-28", deon::Status::Satisfied),
        ("2026-02-27", deon::Status::Violated),
    ] {
        let (got, text) = summary(
            &format!(
                r#"{{"intake": {{"log": [{{"kept_from": "2025-08-28", "deleted_on": "{deleted}"}}]}}}}"#
            ),
            "case.json",
        );
        assert_eq!(got, status, "{deleted}: {text}");
    }
}

/// A retention period with nothing kept (`null`) is a violation of a duty
/// and only encouraged for a `should`; left out of the case, it is unknown.
#[test]
fn nothing_kept_fails_a_retention_duty() {
    let policy = deon::Policy::from_sources([(
        "kept.deon",
        r#"regulation example { title "An example" status in force effective from 2021-09-01 }
facts { intake "Reports." { kept: duration? "How long entries are kept." } }
rule keep "Keep entries six months." { cite "Art. 5" must "keep entries" for at least 6 months kept for intake.kept }
rule keep_more "Keep entries a year." { cite "Art. 6" should "keep entries longer" for at least 1 year kept for intake.kept }
"#,
    )])
    .expect("the policy checks");
    for (text, keep, keep_more) in [
        (
            r#"{"intake": {"kept": null}}"#,
            deon::Status::Violated,
            deon::Status::Encouraged,
        ),
        (
            r#"{"intake": {}}"#,
            deon::Status::Conditional,
            deon::Status::Conditional,
        ),
    ] {
        let case = policy
            .case_from_str("case.json", text, deon::Format::Json)
            .expect("the case reads");
        let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
        let status = |rule: &str| {
            report
                .findings
                .iter()
                .find(|f| &*f.rule == rule)
                .map(|f| (f.status, f.summary.clone()))
                .expect("finding")
        };
        assert_eq!(status("keep").0, keep, "{text}: {:?}", status("keep"));
        assert_eq!(
            status("keep_more").0,
            keep_more,
            "{text}: {:?}",
            status("keep_more")
        );
    }
}

/// Of several records deleted too early, the finding names the one kept
/// from the earliest day, and of those the first listed.
#[test]
fn the_earliest_record_deleted_too_early_is_named_and_ties_go_to_the_first() {
    let (status, text) = summary(
        "intake:\n  log:\n    - {kept_from: 2025-09-01, deleted_on: 2025-10-01}\n    - {kept_from: 2025-08-31, deleted_on: 2025-12-01}\n    - {kept_from: 2025-08-31, deleted_on: 2025-11-01}\n",
        "case.yaml",
    );
    assert_eq!(status, deon::Status::Violated);
    assert!(
        text.contains("record 2 of the log, kept from 2025-08-31, was deleted on 2025-12-01"),
        "{text}"
    );
}
