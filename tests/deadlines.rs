//! Deadlines at their boundaries, through the whole pipeline: the due day
//! itself is on time, the day after is late; month ends and leap days.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use chrono::NaiveDate;
use deon::{Finding, Format, Policy, Status};

const POLICY: &str = r#"
regulation r {
  title "Deadlines"
  status in force
  effective from 2000-01-01
}
facts {
  x "Facts." {
    event_on: date? "The trigger."
    done_on: date? "When the act was done."
    publish_on: date? "A later event."
    start_on: date "The day a deadline runs from."
  }
}
rule two_days { cite "A" when x.event_on is set must "act" within 2 days of x.event_on done on x.done_on }
rule six_months { cite "B" when x.event_on is set must "act" within 6 months of x.event_on done on x.done_on }
rule one_year { cite "C" when x.event_on is set must "act" within 1 year of x.event_on done on x.done_on }
rule thirty_before { cite "D" when x.publish_on is set must "report" 30 days before x.publish_on done on x.done_on }
rule strictly_before { cite "E" when x.publish_on is set must "report" before x.publish_on done on x.done_on }
rule by_date { cite "F" when x.publish_on is set must "report" by x.publish_on done on x.done_on }
rule open_due { cite "H" must "act" within 2 days of x.start_on done on x.done_on }
rule encouraged { cite "G" when x.event_on is set should "act" within 2 days of x.event_on done on x.done_on }
"#;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// The finding of `rule` for the case `facts` (JSON), as of `as_of`.
fn decided(rule: &str, facts: &str, as_of: &str) -> Finding {
    let policy = Policy::from_sources([("deadlines.deon", POLICY)]).expect("policy checks");
    let case = policy
        .case_from_str("case.json", facts, Format::Json)
        .expect("case is valid");
    policy
        .evaluate(&case, Some(date(as_of)))
        .findings
        .into_iter()
        .find(|f| &*f.rule == rule)
        .expect("finding exists")
}

fn finding(rule: &str, facts: &str) -> (Status, Option<NaiveDate>) {
    let f = decided(rule, facts, "2030-01-01");
    (f.status, f.due)
}

fn done(rule: &str, event: &str, done_on: &str) -> (Status, Option<NaiveDate>) {
    finding(
        rule,
        &format!(
            r#"{{"x": {{"event_on": "{event}", "publish_on": "{event}", "done_on": "{done_on}"}}}}"#
        ),
    )
}

#[test]
fn the_due_day_is_on_time_and_the_day_after_is_late() {
    assert_eq!(
        done("two_days", "2026-03-03", "2026-03-05"),
        (Status::Satisfied, Some(date("2026-03-05")))
    );
    assert_eq!(
        done("two_days", "2026-03-03", "2026-03-06").0,
        Status::Violated
    );
}

#[test]
fn day_counts_cross_month_ends_and_leap_days() {
    assert_eq!(
        done("two_days", "2024-02-28", "2024-03-01"),
        (Status::Satisfied, Some(date("2024-03-01")))
    );
    assert_eq!(
        done("two_days", "2023-02-28", "2023-03-02").1,
        Some(date("2023-03-02"))
    );
    assert_eq!(
        done("two_days", "2025-12-31", "2026-01-02").0,
        Status::Satisfied
    );
}

#[test]
fn months_end_on_the_last_day_of_a_shorter_month() {
    assert_eq!(
        done("six_months", "2021-08-31", "2022-02-28"),
        (Status::Satisfied, Some(date("2022-02-28")))
    );
    assert_eq!(
        done("six_months", "2021-08-31", "2022-03-01").0,
        Status::Violated
    );
    assert_eq!(
        done("six_months", "2023-08-31", "2024-02-29").0,
        Status::Satisfied
    );
    assert_eq!(
        done("one_year", "2024-02-29", "2025-02-28"),
        (Status::Satisfied, Some(date("2025-02-28")))
    );
    assert_eq!(
        done("one_year", "2024-02-29", "2025-03-01").0,
        Status::Violated
    );
}

#[test]
fn before_deadlines_count_back_from_the_later_event() {
    // At least 30 days before 31 March: 1 March is the last good day.
    assert_eq!(
        done("thirty_before", "2026-03-31", "2026-03-01"),
        (Status::Satisfied, Some(date("2026-03-01")))
    );
    let late = finding(
        "thirty_before",
        r#"{"x": {"publish_on": "2026-03-31", "done_on": "2026-03-02"}}"#,
    );
    assert_eq!(late.0, Status::Violated);
    let same_day = finding(
        "strictly_before",
        r#"{"x": {"publish_on": "2026-03-31", "done_on": "2026-03-31"}}"#,
    );
    assert_eq!(same_day.0, Status::Violated);
    let by_same_day = finding(
        "by_date",
        r#"{"x": {"publish_on": "2026-03-31", "done_on": "2026-03-31"}}"#,
    );
    assert_eq!(by_same_day.0, Status::Satisfied);
}

#[test]
fn pending_until_the_due_day_then_violated() {
    let status_on = |d: &str| {
        let f = decided(
            "two_days",
            r#"{"x": {"event_on": "2026-03-03", "done_on": null}}"#,
            d,
        );
        (f.status, f.days_left, f.days_overdue)
    };
    assert_eq!(status_on("2026-03-04"), (Status::Pending, Some(1), None));
    assert_eq!(status_on("2026-03-05"), (Status::Pending, Some(0), None));
    assert_eq!(status_on("2026-03-06"), (Status::Violated, None, Some(1)));
}

/// A `should` is encouraged, never breached: done after its deadline it is
/// still satisfied (the summary names the day, not a lateness), and not done
/// it is only encouraged, whatever the date.
#[test]
fn an_encouraged_act_is_satisfied_whenever_it_is_done() {
    assert_eq!(
        done("encouraged", "2026-03-03", "2026-03-05"),
        (Status::Satisfied, Some(date("2026-03-05")))
    );
    assert_eq!(
        done("encouraged", "2026-03-03", "2026-04-30").0,
        Status::Satisfied
    );
    assert_eq!(
        finding(
            "encouraged",
            r#"{"x": {"event_on": "2026-03-03", "done_on": null}}"#
        )
        .0,
        Status::Encouraged
    );
}

/// Done, but the day the deadline runs from is left out: whether it was in
/// time depends on that fact, which the case can add; it is not a date out
/// of range for a person to review.
#[test]
fn done_with_the_deadline_unknown_depends_on_its_start() {
    let f = decided(
        "open_due",
        r#"{"x": {"done_on": "2026-03-03"}}"#,
        "2026-04-01",
    );
    assert_eq!(f.status, Status::Conditional, "{f:?}");
    assert!(f.summary.contains("x.start_on"), "{}", f.summary);
    assert_eq!(f.depends_on, ["x.start_on"]);
}
