//! What a finding's penalties put at stake: certain, possible and
//! if-escalated fines per party, tier by tier; discretion, choices and
//! arguable links never certain; judgement timings and undated failures.
#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use chrono::NaiveDate;
use deon::{Exposure, Finding, FineRange, Likelihood, Policy, Status};

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test date")
}

/// One penalty in three steps: a first-step fine, a tier on refusal, a
/// tier for serious cases; each step fines the entity, the person in charge
/// and (a natural person's case) the individual.
const SCALE: &str = r#"
regulation example { title "An example" status in force effective from 2021-01-01 }
facts {
  x "The case." {
    acted_on: date? "Day the act was done."
    refused: bool "The party refused to correct after an order."
    serious: bool "The circumstances are serious."
  }
}
penalty scale {
  cite "Art. 9"
  warning
  fine 1,000 to 10,000 CNY on the entity
  tier "on refusal" when x.refused {
    fine 50,000 to 500,000 CNY on the entity
    fine 10,000 to 100,000 CNY on the person in charge
  }
  tier "serious" when x.serious {
    fine 500,000 to 5,000,000 CNY on the entity
    fine 100,000 to 1,000,000 CNY on the person in charge
    fine 20,000 to 200,000 CNY on the individual
  }
}
rule no_act { cite "Art. 1" must not "do the act" breached on x.acted_on penalty scale }
"#;

fn range(min: i64, certain_max: i64, possible_min: i64, max: i64, escalated: i64) -> FineRange {
    FineRange {
        min,
        max,
        certain_max,
        possible_min,
        escalated,
    }
}

fn scale_totals(refused: Option<bool>, serious: Option<bool>) -> Exposure {
    let policy = Policy::from_sources([("scale.deon", SCALE)]).expect("the policy checks");
    let mut x = serde_json::json!({"acted_on": "2025-05-01"});
    if let Some(refused) = refused {
        x["refused"] = refused.into();
    }
    if let Some(serious) = serious {
        x["serious"] = serious.into();
    }
    let case = policy
        .case_from_json(&serde_json::json!({ "x": x }))
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-03-10")));
    assert_eq!(report.findings[0].status, Status::Breached);
    assert_eq!(report.findings[0].exposure, report.totals);
    report.totals
}

#[test]
fn first_step_only_the_first_fine_is_certain() {
    let t = scale_totals(Some(false), Some(false));
    assert_eq!(t.entity, range(1_000, 10_000, 0, 10_000, 5_000_000));
    assert_eq!(t.person_in_charge, range(0, 0, 0, 0, 1_000_000));
    assert_eq!(t.individual, range(0, 0, 0, 0, 200_000));
}

#[test]
fn refusal_tier_reached_makes_its_fines_certain() {
    let t = scale_totals(Some(true), Some(false));
    // Alternative steps of one scale: the higher floor and ceiling count.
    assert_eq!(t.entity, range(50_000, 500_000, 0, 500_000, 5_000_000));
    assert_eq!(
        t.person_in_charge,
        range(10_000, 100_000, 0, 100_000, 1_000_000)
    );
    assert_eq!(t.individual, range(0, 0, 0, 0, 200_000));
}

#[test]
fn serious_tier_reached_is_as_high_as_escalation_goes() {
    let t = scale_totals(Some(true), Some(true));
    assert_eq!(t.entity, range(500_000, 5_000_000, 0, 5_000_000, 5_000_000));
    assert_eq!(
        t.person_in_charge,
        range(100_000, 1_000_000, 0, 1_000_000, 1_000_000)
    );
    assert_eq!(t.individual, range(20_000, 200_000, 0, 200_000, 200_000));
}

#[test]
fn unknown_tiers_are_possible_with_their_own_floor() {
    let t = scale_totals(None, None);
    assert_eq!(t.entity, range(1_000, 10_000, 50_000, 5_000_000, 5_000_000));
    assert_eq!(
        t.person_in_charge,
        range(0, 0, 10_000, 1_000_000, 1_000_000)
    );
    assert_eq!(t.individual, range(0, 0, 20_000, 200_000, 200_000));
}

/// The same fines, the authority's to impose or not, or reached only
/// arguably: none is ever certain.
const OPTIONS: &str = r#"
regulation example { title "An example" status in force effective from 2021-01-01 }
facts { x "The case." {
  acted_on: date? "Day the act was done."
  sold_on: date? "Day the data was sold."
  serious: bool "The circumstances are serious."
} }
penalty discretionary {
  cite "Art. 9"
  may fine 50,000 to 500,000 CNY on the entity
  tier "serious" when x.serious { fine 5,000,000 to 10,000,000 CNY on the entity }
}
penalty chosen { cite "Art. 10" one of { fine 10,000 to 100,000 CNY on the entity  warning } }
penalty plain { cite "Art. 11" fine 100,000 to 1,000,000 CNY on the entity }
rule may_fine { cite "Art. 1" must not "do the act" breached on x.acted_on penalty discretionary }
rule choice { cite "Art. 2" must not "do the other act" breached on x.acted_on penalty chosen }
rule arguable_sale { cite "Art. 3" must not "sell the data" breached on x.sold_on
                     penalty plain arguable "Art. 11 names selling only by analogy" }
"#;

fn options_report() -> deon::Report {
    let policy = Policy::from_sources([("options.deon", OPTIONS)]).expect("the policy checks");
    let case = policy
        .case_from_json(
            &serde_json::json!({"x": {"acted_on": "2025-05-01", "sold_on": "2025-06-01", "serious": false}}),
        )
        .expect("valid case");
    policy.evaluate(&case, Some(date("2026-03-10")))
}

/// Each penalty of a finding: the breach date and the version it picks.
fn versions(f: &Finding) -> Vec<(NaiveDate, Option<&str>)> {
    f.penalties
        .iter()
        .map(|p| (p.breach_date, p.version.as_deref()))
        .collect()
}

fn find<'r>(report: &'r deon::Report, rule: &str) -> &'r Finding {
    report
        .findings
        .iter()
        .find(|f| &*f.rule == rule)
        .expect("finding")
}

#[test]
fn a_discretionary_fine_is_possible_with_its_floor_and_escalation() {
    let report = options_report();
    let f = find(&report, "may_fine");
    assert_eq!(f.status, Status::Breached);
    assert_eq!(f.exposure.entity, range(0, 0, 50_000, 500_000, 10_000_000));
    let text = deon::report::human::render(&report, Default::default());
    assert!(
        text.contains(
            "the entity: none certain; possibly 50,000 to 500,000 CNY; up to 10,000,000 CNY if escalated"
        ),
        "{text}"
    );
    assert!(!text.contains(" 0 to "), "{text}");
    assert!(
        text.contains("regulator's option, may: fine of 50,000 to 500,000 CNY on the entity"),
        "{text}"
    );
}

#[test]
fn a_choice_is_the_regulators_option() {
    let report = options_report();
    let f = find(&report, "choice");
    assert_eq!(f.exposure.entity, range(0, 0, 10_000, 100_000, 100_000));
    assert!(
        f.penalties[0]
            .sanctions
            .iter()
            .all(|s| s.likelihood == Likelihood::Possible)
    );
}

#[test]
fn an_arguable_link_is_possible_and_needs_review() {
    let report = options_report();
    let f = find(&report, "arguable_sale");
    assert_eq!(
        f.exposure.entity,
        range(0, 0, 100_000, 1_000_000, 1_000_000)
    );
    assert_eq!(
        f.penalties[0].arguable.as_deref(),
        Some("Art. 11 names selling only by analogy")
    );
    let text = deon::report::human::render(&report, Default::default());
    assert!(
        text.contains(
            "possible, needs review: the link to this penalty is arguable: Art. 11 names selling only by analogy"
        ),
        "{text}"
    );
    // Totals: three penalties, nothing certain, the lowest possible fine is
    // the smallest floor.
    assert_eq!(report.totals.entity.min, 0);
    assert_eq!(report.totals.entity.possible_min, 10_000);
    assert_eq!(report.totals.entity.max, 1_600_000);
}

/// Penalties in the legal-time fixture change on 1 January 2026.
fn legal_time() -> Policy {
    Policy::load(["tests/fixtures/legal-time"]).expect("the legal-time policy checks")
}

#[test]
fn a_dated_breach_keeps_its_date_and_version_whatever_the_evaluation_date() {
    let policy = legal_time();
    let case = policy
        .case_from_json(&serde_json::json!({"x": {"breached_on": "2025-12-20", "refused": true}}))
        .expect("valid case");
    let penalties = |as_of: &str| {
        let report = policy.evaluate(&case, Some(date(as_of)));
        let f = find(&report, "forbidden_conduct").clone();
        (
            f.penalties
                .iter()
                .map(|p| (p.breach_date, p.version.clone()))
                .collect::<Vec<_>>(),
            f.breach_basis,
        )
    };
    let early = penalties("2026-01-02");
    let late = penalties("2027-06-30");
    assert_eq!(early, late);
    assert_eq!(
        early.0,
        [(date("2025-12-20"), Some("2017 text".to_string()))]
    );
    assert!(early.1.contains("x.breached_on"), "{}", early.1);
}

/// A report made late: the breach is the day after the last day to report,
/// and the version in force that day applies, whenever the case is read.
#[test]
fn a_missed_deadline_is_breached_the_day_after_it() {
    let policy = Policy::load(["tests/fixtures/penalties/policy"]).expect("the fixture checks");
    let case = policy
        .case_from_file("tests/fixtures/penalties/late_report_2025.yaml".as_ref())
        .expect("valid case");
    for as_of in ["2026-03-10", "2027-01-05"] {
        let report = policy.evaluate(&case, Some(date(as_of)));
        let f = find(&report, "report_incident");
        assert_eq!(f.status, Status::Violated);
        assert_eq!(versions(f), [(date("2025-12-24"), Some("2021 text"))]);
        assert!(
            f.breach_basis.contains("after the due date"),
            "{}",
            f.breach_basis
        );
    }
}

/// A log entry deleted too early: the breach is the day it was deleted, so
/// the version in force that day applies, not the one in force when the
/// case is read.
#[test]
fn a_log_entry_deleted_early_is_breached_the_day_it_was_deleted() {
    let measures = std::fs::read_to_string("tests/fixtures/penalties/policy/measures.deon")
        .expect("the fixture reads");
    let records = r#"
facts { records "Incident records." { log: log "One entry per incident: kept_from, deleted_on." } }
rule keep_incident_records "Keep each incident's record six months." {
  cite "Art. 14"
  must "keep each incident's record"
  for at least 6 months
  kept for records.log
  penalty reporting
}
"#;
    let policy = Policy::from_sources([("measures.deon", format!("{measures}{records}"))])
        .expect("the policy checks");
    let case = policy
        .case_from_str(
            "case.yaml",
            "records:\n  log:\n    - {kept_from: 2025-09-30, deleted_on: 2026-03-01}\n    - {kept_from: 2025-01-31, deleted_on: 2025-07-30}\n",
            deon::Format::Yaml,
        )
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-06-10")));
    let f = find(&report, "keep_incident_records");
    assert_eq!(f.status, Status::Violated);
    assert_eq!(versions(f), [(date("2025-07-30"), Some("2021 text"))]);
    assert_eq!(f.breach_basis, "the day record 2 of the log was deleted");
}

/// The penalties fixture: a complaints channel closed, no fact saying since
/// when, while two versions of the penalty were in force.
#[test]
fn an_undated_failure_shows_every_version_in_force_over_its_period() {
    let policy = Policy::load(["tests/fixtures/penalties/policy"]).expect("the fixture checks");
    let case = policy
        .case_from_file("tests/fixtures/penalties/channel_closed.yaml".as_ref())
        .expect("valid case");
    let report = policy.evaluate(&case, None);
    let f = find(&report, "keep_channel_open");
    assert_eq!(f.status, Status::Violated);
    assert_eq!(
        versions(f),
        [
            (date("2021-09-01"), Some("2021 text")),
            (date("2026-01-01"), Some("2026 text")),
        ]
    );
    assert!(
        f.breach_basis.contains("gives no date"),
        "{}",
        f.breach_basis
    );
    // Refused after an order: 10,000 to 100,000 (2021) or 50,000 to 500,000
    // (2026) on the entity; certain whichever applies, from the lower floor.
    assert_eq!(
        f.exposure.entity,
        range(10_000, 500_000, 10_000, 500_000, 2_000_000)
    );
}

#[test]
fn a_judgement_timing_carries_possible_exposure_and_its_days_outstanding() {
    let policy = Policy::load(["tests/fixtures/penalties/policy"]).expect("the fixture checks");
    let case = policy
        .case_from_json(&serde_json::json!({
            "party": {"kind": "organisation"},
            "incident": {"aware_on": "2025-12-20", "reported_on": "2025-12-21",
                         "report_complete": true, "contained_on": null},
            "conduct": {"sold_data_on": null, "buyer_abroad": false, "channel_open": true},
            "enforcement": {"ordered_to_correct": true, "refused": true, "harm": false, "serious": false}
        }))
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-03-10")));
    let f = find(&report, "contain_incident");
    assert_eq!(f.status, Status::NeedsReview);
    assert_eq!(f.days_outstanding, Some(80));
    // Never certain, though the refusal tier is reached.
    assert_eq!(f.exposure.entity, range(0, 0, 10_000, 100_000, 100_000));
    assert_eq!(f.penalties[0].breach_date, date("2025-12-20"));
    assert!(
        f.penalties[0]
            .sanctions
            .iter()
            .all(|s| s.likelihood != Likelihood::Applies)
    );
    let text = deon::report::human::render(&report, Default::default());
    assert!(text.contains("outstanding for 80 days"), "{text}");
    assert!(
        text.contains(
            "aggravating: on refusal to correct or harm: The regulator ordered the party to correct \
             [enforcement.ordered_to_correct] = true, The party refused to correct after the order \
             [enforcement.refused] = true"
        ),
        "{text}"
    );
}

mod never_certain {
    //! A discretionary (`may`) or chosen (`one of`) fine, or any fine
    //! reached through an arguable link, never counts as certain: the
    //! certain floor comes from the mandatory fines of reached steps alone.

    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Copy, Debug)]
    enum Form {
        Mandatory,
        May,
        Choice,
    }

    #[derive(Clone, Debug)]
    struct Fine {
        form: Form,
        min: i64,
        span: i64,
        party: usize,
        /// Outside any tier, or in the tier on `x.refused` or `x.serious`.
        step: usize,
    }

    const PARTIES: [&str; 3] = ["entity", "person in charge", "individual"];

    fn fine() -> impl Strategy<Value = Fine> {
        (
            prop_oneof![Just(Form::Mandatory), Just(Form::May), Just(Form::Choice)],
            1..100i64,
            0..100i64,
            0..3usize,
            0..3usize,
        )
            .prop_map(|(form, min, span, party, step)| Fine {
                form,
                min: min * 1_000,
                span: span * 1_000,
                party,
                step,
            })
    }

    fn source(fines: &[Fine], arguable: bool) -> String {
        let mut steps = [String::new(), String::new(), String::new()];
        for f in fines {
            let fine = format!(
                "fine {} to {} CNY on the {}",
                f.min,
                f.min + f.span,
                PARTIES[f.party]
            );
            let line = match f.form {
                Form::Mandatory => fine,
                Form::May => format!("may {fine}"),
                Form::Choice => format!("one of {{ {fine} warning }}"),
            };
            steps[f.step].push_str(&line);
            steps[f.step].push('\n');
        }
        let link = if arguable {
            r#" arguable "read in by analogy""#
        } else {
            ""
        };
        format!(
            r#"
regulation example {{ title "An example" status in force effective from 2021-01-01 }}
facts {{ x "The case." {{
  acted_on: date? "Day the act was done."
  refused: bool "Refused to correct."
  serious: bool "Serious."
}} }}
penalty p {{
  cite "Art. 9"
  warning
  {}
  tier "on refusal" when x.refused {{ warning {} }}
  tier "serious" when x.serious {{ warning {} }}
}}
rule no_act {{ cite "Art. 1" must not "do the act" breached on x.acted_on penalty p{link} }}
"#,
            steps[0], steps[1], steps[2]
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn optional_and_arguable_fines_are_never_certain(
            fines in proptest::collection::vec(fine(), 1..6),
            arguable in any::<bool>(),
            refused in proptest::option::of(any::<bool>()),
            serious in proptest::option::of(any::<bool>()),
        ) {
            let policy = Policy::from_sources([("p.deon", source(&fines, arguable).as_str())])
                .expect("the generated policy checks");
            let mut x = serde_json::json!({"acted_on": "2025-05-01"});
            if let Some(refused) = refused {
                x["refused"] = refused.into();
            }
            if let Some(serious) = serious {
                x["serious"] = serious.into();
            }
            let case = policy.case_from_json(&serde_json::json!({ "x": x })).expect("valid case");
            let report = policy.evaluate(&case, Some(date("2026-03-10")));
            let finding = &report.findings[0];
            prop_assert_eq!(finding.status, Status::Breached);
            for sanction in &finding.penalties[0].sanctions {
                if sanction.discretionary || sanction.choice.is_some() || arguable {
                    prop_assert_ne!(sanction.likelihood, Likelihood::Applies);
                }
            }
            let reached = [Some(true), refused, serious];
            let parties = [
                finding.exposure.entity,
                finding.exposure.person_in_charge,
                finding.exposure.individual,
            ];
            for (party, actual) in parties.into_iter().enumerate() {
                let certain = fines
                    .iter()
                    .filter(|f| !arguable && matches!(f.form, Form::Mandatory))
                    .filter(|f| f.party == party && reached[f.step] == Some(true));
                let floor = certain.clone().map(|f| f.min).max().unwrap_or(0);
                let ceiling = certain.map(|f| f.min + f.span).max().unwrap_or(0);
                prop_assert_eq!(actual.min, floor);
                prop_assert_eq!(actual.certain_max, ceiling);
                prop_assert!(actual.max >= actual.certain_max);
                prop_assert!(actual.escalated >= actual.max);
            }
        }
    }
}

#[test]
fn a_policy_test_fails_when_an_expected_review_note_is_missing() {
    let policy = Policy::from_sources([("options.deon", OPTIONS)]).expect("the policy checks");
    let text = r#"
- name: the arguable link carries its note
  as_of: 2026-03-10
  case: {x: {acted_on: 2025-05-01, sold_on: 2025-06-01, serious: false}}
  expect:
    arguable_sale: {status: breached, review: ['selling only by analogy']}
  totals:
    entity: {min: 0, possible_min: 10000, escalated: 11100000}
- name: a note the finding does not carry
  as_of: 2026-03-10
  case: {x: {acted_on: 2025-05-01, sold_on: 2025-06-01, serious: false}}
  expect:
    may_fine: {review: ['selling only by analogy']}
  totals:
    entity: {min: 50000}
"#;
    let tests = deon::testing::read_tests(&policy, "options.test.yaml", text).expect("tests read");
    let outcomes: Vec<_> = tests
        .iter()
        .map(|t| deon::testing::run_test(&policy, t))
        .collect();
    assert!(
        outcomes[0].passed(),
        "{}",
        deon::testing::render_outcome(&outcomes[0])
    );
    let fields: Vec<(&str, &str)> = outcomes[1]
        .mismatches
        .iter()
        .map(|m| (m.rule.as_str(), m.field.as_str()))
        .collect();
    assert_eq!(fields, [("may_fine", "review"), ("totals", "entity")]);
    assert_eq!(outcomes[1].mismatches[0].actual, "no review notes");
    assert_eq!(outcomes[1].mismatches[1].expected, "min 50000");
    assert_eq!(outcomes[1].mismatches[1].actual, "min 0");
}

/// The ceiling if escalated counts every tier, but not a fine whose own
/// condition the facts rule out: an organisation is never fined as an
/// individual, however far its case escalates.
#[test]
fn escalation_leaves_out_fines_for_another_kind_of_party() {
    let source = r#"
regulation example { title "An example" status in force effective from 2021-01-01 }
facts {
  x "The case." {
    acted_on: date? "Day the act was done."
    organisation: bool "The party is an organisation."
    serious: bool "The circumstances are serious."
  }
}
penalty kinds {
  cite "Art. 9"
  warning
  tier "serious" when x.serious {
    fine 500,000 to 5,000,000 CNY on the entity when x.organisation
    fine 20,000 to 200,000 CNY on the individual when not x.organisation
  }
}
rule no_act { cite "Art. 1" must not "do the act" breached on x.acted_on penalty kinds }
"#;
    let policy = Policy::from_sources([("kinds.deon", source)]).expect("the policy checks");
    let totals = |organisation: Option<bool>| {
        let mut x = serde_json::json!({"acted_on": "2025-05-01", "serious": false});
        if let Some(organisation) = organisation {
            x["organisation"] = organisation.into();
        }
        let case = policy
            .case_from_json(&serde_json::json!({ "x": x }))
            .expect("valid case");
        policy.evaluate(&case, Some(date("2026-03-10"))).totals
    };
    let company = totals(Some(true));
    assert_eq!(company.entity, range(0, 0, 0, 0, 5_000_000));
    assert_eq!(company.individual, range(0, 0, 0, 0, 0));
    let person = totals(Some(false));
    assert_eq!(person.entity, range(0, 0, 0, 0, 0));
    assert_eq!(person.individual, range(0, 0, 0, 0, 200_000));
    // Unknown kind: either could be reached on escalation.
    let unknown = totals(None);
    assert_eq!(unknown.entity, range(0, 0, 0, 0, 5_000_000));
    assert_eq!(unknown.individual, range(0, 0, 0, 0, 200_000));
}

/// A review note whose condition the case leaves open is shown, marked as
/// depending on it; one whose condition is false is left out; one whose
/// condition holds is shown plainly.
#[test]
fn a_review_note_with_an_open_condition_is_shown_as_depending_on_it() {
    let policy = Policy::from_sources([(
        "notes.deon",
        r#"
regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { x "The case." { done: bool "Done." platform: bool "A platform." small: bool "Small." big: bool "Big." } }
rule act "Act." {
  cite "Art. 1"
  must "act"
  done when x.done
  review "Platforms: read Art. 9 too." when x.platform
  review "Small firms are exempt in practice." when x.small
  review "Big firms are inspected first." when x.big
}
"#,
    )])
    .expect("the policy checks");
    let case = policy
        .case_from_str(
            "case.json",
            r#"{"x": {"done": false, "small": false, "big": true}}"#,
            deon::Format::Json,
        )
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-03-10")));
    let f = find(&report, "act");
    assert_eq!(f.status, Status::Violated);
    let notes: Vec<_> = f
        .review_notes
        .iter()
        .map(|n| (&*n.text, n.condition_unknown))
        .collect();
    assert_eq!(
        notes,
        [
            ("Platforms: read Art. 9 too.", true),
            ("Big firms are inspected first.", false)
        ]
    );
    let text = deon::report::human::render(&report, Default::default());
    assert!(
        text.contains("review: Platforms: read Art. 9 too. (rule, if x.platform)"),
        "{text}"
    );
    assert!(
        text.contains("review: Big firms are inspected first. (rule)"),
        "{text}"
    );
}

/// A deadline Deon cannot count (working days in a year without calendar
/// data, or a date past the last it can count) needs review like a
/// judgement timing, and carries the same possible exposure: every fine
/// possible, none certain, the breach undated.
#[test]
fn a_deadline_that_cannot_be_counted_carries_possible_exposure() {
    // Calendar data for 2026 only: 2040 has none.
    let calendar = include_str!("fixtures/legal-time/calendar/2026.toml");
    let policy = Policy::from_sources([
        ("calendar/2026.toml", calendar),
        (
        "uncounted.deon",
        r#"regulation example { title "An example" jurisdiction "CN" status in force effective from 2021-01-01 }
facts { x "The case." { on: date "The event." done_on: date? "Day the act was done." } }
penalty scale { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
rule far { cite "Art. 1" must "act" within 999999999999 days of x.on done on x.done_on penalty scale }
rule uncounted { cite "Art. 2" must "act" within 3 working days of x.on done on x.done_on penalty scale }
"#,
    ),
    ])
    .expect("the policy checks");
    for done_on in [serde_json::Value::Null, "2040-06-20".into()] {
        let case = policy
            .case_from_json(&serde_json::json!({"x": {"on": "2040-06-01", "done_on": done_on}}))
            .expect("valid case");
        let report = policy.evaluate(&case, Some(date("2040-07-01")));
        for (rule, why) in [
            ("far", "outside the dates Deon can count"),
            ("uncounted", "2040"),
        ] {
            let f = find(&report, rule);
            assert_eq!(f.status, Status::NeedsReview, "{rule}, {done_on}: {f:?}");
            assert!(f.summary.contains(why), "{rule}, {done_on}: {}", f.summary);
            assert_eq!(
                f.exposure.entity,
                range(0, 0, 1_000, 10_000, 10_000),
                "{rule}, {done_on}"
            );
            assert!(
                f.breach_basis.contains("gives no date"),
                "{rule}, {done_on}: {}",
                f.breach_basis
            );
            assert!(
                f.penalties[0]
                    .sanctions
                    .iter()
                    .all(|s| s.likelihood == Likelihood::Possible),
                "{rule}, {done_on}: {f:?}"
            );
        }
    }
}

/// A finding that needs review because a condition's value left the range
/// Deon counts in is undecided, as a conditional finding is: whether the
/// rule applies at all is open, so no penalty is put at stake.
#[test]
fn a_condition_out_of_range_puts_no_penalty_at_stake() {
    let policy = Policy::from_sources([(
        "overflow.deon",
        r#"regulation example { title "An example" status in force effective from 2021-01-01 }
facts { x "The case." { n: int "A count." done_on: date? "Day the act was done." } }
penalty scale { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
rule counted { cite "Art. 1" when x.n + 1 > 0 must "act" done on x.done_on penalty scale }
"#,
    )])
    .expect("the policy checks");
    let case = policy
        .case_from_json(&serde_json::json!({"x": {"n": i64::MAX, "done_on": null}}))
        .expect("valid case");
    let report = policy.evaluate(&case, Some(date("2026-01-01")));
    let f = find(&report, "counted");
    assert_eq!(f.status, Status::NeedsReview, "{f:?}");
    assert!(f.penalties.is_empty(), "{f:?}");
    assert_eq!(f.exposure.entity, range(0, 0, 0, 0, 0));
}

/// The law at the time of the act: a breach before a penalty's first
/// version took effect is under no version, and the report says so.
#[test]
fn a_breach_before_every_version_is_under_none() {
    let policy = Policy::from_sources([(
        "later.deon",
        r#"regulation example { title "An example" status in force effective from 2021-01-01 }
facts { x "The case." { acted_on: date? "Day the act was done." } }
penalty later "A penalty first in force in 2023." {
  cite "Art. 9"
  version "2023 text" from 2023-01-01 { warning fine 1,000 to 10,000 CNY on the entity }
}
rule no_act { cite "Art. 1" must not "do the act" breached on x.acted_on penalty later }
"#,
    )])
    .expect("the policy checks");
    for (acted, version, fine) in [
        ("2022-05-01", "none in force on 2022-05-01", 0),
        ("2023-01-01", "2023 text", 10_000),
    ] {
        let case = policy
            .case_from_json(&serde_json::json!({"x": {"acted_on": acted}}))
            .expect("valid case");
        let report = policy.evaluate(&case, Some(date("2026-01-01")));
        let f = find(&report, "no_act");
        assert_eq!(f.status, Status::Breached);
        assert_eq!(versions(f), [(date(acted), Some(version))]);
        assert_eq!(f.exposure.entity.max, fine, "{acted}");
    }
}
