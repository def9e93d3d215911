//! Legal time: working days on the Chinese calendar, holiday roll-over, and
//! penalty versions chosen by the date of the breach.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use chrono::NaiveDate;
use deon::{Finding, Format, Policy, Status};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

fn policy() -> Policy {
    Policy::load(["tests/fixtures/legal-time"]).expect("the legal-time policy checks")
}

fn finding(rule: &str, facts: &str, as_of: &str) -> Finding {
    let policy = policy();
    let case = policy
        .case_from_str("case.json", facts, Format::Json)
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date(as_of)));
    report
        .findings
        .into_iter()
        .find(|f| &*f.rule == rule)
        .expect("finding")
}

fn due(rule: &str, event: &str) -> Option<NaiveDate> {
    finding(
        rule,
        &format!(r#"{{"x": {{"event_on": "{event}", "done_on": null}}}}"#),
        "2020-01-01",
    )
    .due
}

#[test]
fn working_days_skip_spring_festival_and_count_the_adjusted_saturday() {
    // Spring Festival 2021: 11-17 February off; Sunday 7 and Saturday 20 February worked.
    // From Wednesday 10 February: Thursday 18, Friday 19, Saturday 20.
    assert_eq!(
        due("three_working_days", "2021-02-10"),
        Some(date("2021-02-20"))
    );
    // From Friday 5 February: the adjusted Sunday the 7th counts, then the 8th and 9th.
    assert_eq!(
        due("three_working_days", "2021-02-05"),
        Some(date("2021-02-09"))
    );
}

#[test]
fn working_days_skip_national_day() {
    // 1-7 October 2024 off; Sunday 29 September and Saturday 12 October worked.
    assert_eq!(
        due("three_working_days", "2024-09-27"),
        Some(date("2024-10-08"))
    );
    assert_eq!(
        due("three_working_days", "2024-09-30"),
        Some(date("2024-10-10"))
    );
}

#[test]
fn a_deadline_ending_in_a_holiday_rolls_over_when_the_rule_says_so() {
    // 7 days from 28 September 2024 end on 5 October, inside National Day: next working day 8 October.
    assert_eq!(
        due("seven_days_rolled", "2024-09-28"),
        Some(date("2024-10-08"))
    );
    // A plain weekday stays put.
    assert_eq!(
        due("seven_days_rolled", "2024-03-04"),
        Some(date("2024-03-11"))
    );
    // The explanation says when the day moved, and only then.
    let rolls = |event: &str| {
        finding(
            "seven_days_rolled",
            &format!(r#"{{"x": {{"event_on": "{event}", "done_on": null}}}}"#),
            "2020-01-01",
        )
        .explanation
        .iter()
        .filter(|step| &*step.clause == "rolls over holidays")
        .map(|step| (step.condition.to_string(), step.outcome.to_string()))
        .collect::<Vec<_>>()
    };
    assert_eq!(
        rolls("2024-09-28"),
        [(
            "2024-10-05 is a rest day".to_string(),
            "2024-10-08".to_string()
        )]
    );
    assert_eq!(rolls("2024-03-04"), []);
    // The case can switch the roll-over off, as a what-if.
    let f = finding(
        "seven_days_rolled",
        r#"{"roll_over_holidays": false, "x": {"event_on": "2024-09-28", "done_on": null}}"#,
        "2024-09-29",
    );
    assert_eq!(f.due, Some(date("2024-10-05")));
}

#[test]
fn the_due_day_on_the_calendar_is_on_time_and_the_next_working_day_is_late() {
    let on_time = finding(
        "three_working_days",
        r#"{"x": {"event_on": "2021-02-10", "done_on": "2021-02-20"}}"#,
        "2021-03-01",
    );
    assert_eq!(on_time.status, Status::Satisfied);
    let late = finding(
        "three_working_days",
        r#"{"x": {"event_on": "2021-02-10", "done_on": "2021-02-21"}}"#,
        "2021-03-01",
    );
    assert_eq!(late.status, Status::Violated);
}

#[test]
fn a_year_without_calendar_data_needs_review_instead_of_a_guess() {
    let f = finding(
        "three_working_days",
        r#"{"x": {"event_on": "2022-06-01", "done_on": null}}"#,
        "2022-06-02",
    );
    assert_eq!(f.status, Status::NeedsReview);
    assert!(f.summary.contains("2022"), "{}", f.summary);
    assert_eq!(f.due, None);
}

#[test]
fn the_penalty_version_follows_the_breach_date_not_the_evaluation_date() {
    let before = finding(
        "forbidden_conduct",
        r#"{"x": {"breached_on": "2025-12-20", "refused": true}}"#,
        "2026-03-01",
    );
    let after = finding(
        "forbidden_conduct",
        r#"{"x": {"breached_on": "2026-01-05", "refused": true}}"#,
        "2026-03-01",
    );
    assert_eq!(before.status, Status::Breached);
    assert_eq!(before.penalties[0].version.as_deref(), Some("2017 text"));
    assert_eq!(
        (before.exposure.entity.min, before.exposure.entity.max),
        (10_000, 100_000)
    );
    assert_eq!(
        after.penalties[0].version.as_deref(),
        Some("2026 amendment")
    );
    assert_eq!(
        (after.exposure.entity.min, after.exposure.entity.max),
        (50_000, 500_000)
    );
    assert!(
        after.penalties[0]
            .citations
            .iter()
            .any(|c| c.contains("amended"))
    );
}

#[test]
fn the_text_report_names_the_version_and_the_breach_date() {
    let dir = std::env::temp_dir().join(format!("deon-legal-time-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let case = dir.join("after.json");
    std::fs::write(
        &case,
        r#"{"as_of": "2026-03-01", "x": {"breached_on": "2026-01-05", "refused": true}}"#,
    )
    .expect("write");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_deon"))
        .args([
            "eval",
            "tests/fixtures/legal-time",
            case.to_str().expect("utf-8 path"),
        ])
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs");
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains(r#"version "2026 amendment", for a breach on 2026-01-05"#),
        "{out}"
    );
    assert!(
        out.contains("the entity: 50,000 to 500,000 CNY certain"),
        "{out}"
    );
    assert!(
        out.contains("breach date from: the date of the act, `x.breached_on`"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// `deon calendar CN 2019`: every month with its days off and worked
/// weekend days marked, and the holidays of the year, including New Year's
/// Day, which began on 30 December 2018.
#[test]
fn the_year_view_marks_days_off_and_worked_weekend_days() {
    let mut calendars = std::collections::BTreeMap::new();
    let problems = deon::calendar::load_dir("policies/cn".as_ref(), &mut calendars);
    assert!(problems.is_empty());
    insta::assert_snapshot!(calendars["CN"].year_view(2019).expect("2019 is known"));
}

/// A regulation binds from the day it takes effect up to, but not on, the
/// day it is repealed.
#[test]
fn a_regulation_binds_from_its_first_day_until_the_day_it_is_repealed() {
    let policy = Policy::from_sources([(
        "old.deon",
        r#"regulation old { title "Old" status repealed effective from 2021-09-01 repealed on 2026-05-01 }
facts { r "R." { done: bool "Done." } }
rule act { cite "Art. 1" must "act" done when r.done }
"#,
    )])
    .expect("the policy checks");
    let case = policy
        .case_from_str("case.json", r#"{"r": {"done": true}}"#, Format::Json)
        .expect("valid case");
    for (day, binds, why) in [
        ("2021-08-31", false, "takes effect on 2021-09-01"),
        ("2021-09-01", true, ""),
        ("2026-04-30", true, ""),
        ("2026-05-01", false, "was repealed on 2026-05-01"),
    ] {
        let finding = &policy.evaluate(&case, Some(date(day))).findings[0];
        assert_eq!(
            finding.status != Status::NotInForce,
            binds,
            "{day}: {finding:?}"
        );
        assert!(finding.summary.contains(why), "{day}: {}", finding.summary);
    }
}

/// A rule's own dates work the same way: from its first day until, not on,
/// its last, each side saying why the rule does not bind.
#[test]
fn a_rule_binds_from_its_own_first_day_until_its_end() {
    let policy = Policy::from_sources([(
        "rev.deon",
        r#"regulation rev { title "Rev" status in force effective from 2021-09-01 }
facts { r "R." { done: bool "Done." } }
rule act { cite "Art. 1" effective from 2023-01-01 until 2025-01-01 must "act" done when r.done }
"#,
    )])
    .expect("the policy checks");
    let case = policy
        .case_from_str("case.json", r#"{"r": {"done": true}}"#, Format::Json)
        .expect("valid case");
    for (day, binds, why) in [
        ("2022-12-31", false, "takes effect on 2023-01-01"),
        ("2023-01-01", true, ""),
        ("2024-12-31", true, ""),
        ("2025-01-01", false, "ceased to apply on 2025-01-01"),
    ] {
        let finding = &policy.evaluate(&case, Some(date(day))).findings[0];
        assert_eq!(
            finding.status != Status::NotInForce,
            binds,
            "{day}: {finding:?}"
        );
        assert!(finding.summary.contains(why), "{day}: {}", finding.summary);
    }
}

/// A deadline that falls past the last date Deon can count needs a person,
/// whether the act was done or not; neither outcome is an unknown fact.
#[test]
fn a_deadline_past_the_countable_dates_needs_review_done_or_not() {
    let policy = Policy::from_sources([(
        "far.deon",
        r#"regulation far { title "Far" status in force effective from 2021-09-01 }
facts { r "R." { on: date "The event." done_on: date? "Done on." } }
rule act { cite "Art. 1" must "act" within 999999999999 days of r.on done on r.done_on }
"#,
    )])
    .expect("the policy checks");
    for (done, words) in [("\"2021-09-02\"", "done, but"), ("null", "not done, and")] {
        let case = policy
            .case_from_str(
                "case.json",
                &format!(r#"{{"r": {{"on": "2021-09-01", "done_on": {done}}}}}"#),
                Format::Json,
            )
            .expect("valid case");
        let finding = &policy.evaluate(&case, Some(date("2026-01-01"))).findings[0];
        assert_eq!(finding.status, Status::NeedsReview, "{done}: {finding:?}");
        assert!(
            finding.summary.contains(words),
            "{done}: {}",
            finding.summary
        );
        assert!(
            finding.summary.contains("outside the dates Deon can count"),
            "{done}: {}",
            finding.summary
        );
        assert!(finding.depends_on.is_empty(), "{done}: {finding:?}");
    }
}

/// When whether an exception applies is unknown, the excepted rule depends on
/// the exception's unknown facts as well as its own, each named once.
#[test]
fn an_open_exception_adds_its_unknown_facts_once() {
    let policy = Policy::from_sources([(
        "exc.deon",
        r#"regulation exc { title "Exc" status in force effective from 2021-09-01 }
facts { r "R." { a: bool "A." b: bool "B." done: bool "Done." } }
rule act { cite "Art. 1" when r.a must "act" done when r.done }
rule carve { cite "Art. 2" when r.a when r.b when r.a or r.b may "skip it" exception to act }
"#,
    )])
    .expect("the policy checks");
    let case = policy
        .case_from_str("case.json", r#"{"r": {"done": false}}"#, Format::Json)
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-01-01")));
    let act = report
        .findings
        .iter()
        .find(|f| &*f.rule == "act")
        .expect("finding");
    assert_eq!(act.status, Status::Conditional, "{act:?}");
    assert_eq!(act.depends_on, ["r.a", "r.b"], "{act:?}");
}
