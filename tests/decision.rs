//! A decision written straight to JSON says exactly what its owned report
//! says, and its verdicts agree with the report's findings.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../benches/gen/mod.rs"]
mod casegen;

use deon::{Explain, Policy, Status};

fn shipped() -> Policy {
    Policy::load(["policies"]).expect("the shipped policies load")
}

/// Same bytes from the decision as from the report, and the same findings
/// from the verdicts.
fn assert_same(policy: &Policy, case: &deon::Case, what: &str) {
    for level in Explain::ALL {
        assert_same_at(policy, case, level, &format!("{what} (explain {level})"));
    }
    assert_eq!(
        policy.decide(case, None).report(),
        policy.evaluate(case, None),
        "{what}"
    );
}

fn assert_same_at(policy: &Policy, case: &deon::Case, level: Explain, what: &str) {
    let decision = policy.decide(case, None).explained(level);
    let report = decision.report();
    assert_eq!(
        serde_json::to_string(&decision).unwrap(),
        serde_json::to_string(&report).unwrap(),
        "{what}: the decision's JSON differs from its report's"
    );
    let verdicts: Vec<_> = decision.verdicts().collect();
    assert_eq!(verdicts.len(), report.findings.len(), "{what}");
    for (verdict, finding) in verdicts.iter().zip(&report.findings) {
        assert_eq!(verdict.finding(), *finding, "{what}");
        assert_eq!(verdict.rule(), &*finding.rule);
        assert_eq!(verdict.status(), finding.status);
        if level != Explain::None {
            assert_eq!(verdict.summary(), finding.summary);
        }
        assert_eq!(verdict.due(), finding.due);
        assert_eq!(verdict.exposure(), finding.exposure);
        assert_eq!(verdict.citations(), &finding.citations[..]);
    }
    assert_eq!(decision.totals(), report.totals);
    assert_eq!(
        decision.unknown_facts().collect::<Vec<_>>(),
        report.unknown_facts
    );
}

#[test]
fn decisions_of_the_example_cases_match_their_reports() {
    let policy = shipped();
    let mut seen = 0;
    for entry in std::fs::read_dir("examples/cases").unwrap() {
        let path = entry.unwrap().path();
        let case = policy.case_from_file(&path).unwrap();
        assert_same(&policy, &case, &path.display().to_string());
        seen += 1;
    }
    assert!(seen >= 10, "only {seen} example cases");
}

#[test]
fn decisions_of_generated_cases_match_their_reports() {
    let policy = shipped();
    let mut rng = casegen::Rng::new(77);
    let mut statuses = std::collections::BTreeSet::new();
    for n in 0..400 {
        let case = policy.case_from_json(&casegen::case(&mut rng)).unwrap();
        assert_same(&policy, &case, &format!("generated case {n}"));
        statuses.extend(policy.decide(&case, None).verdicts().map(|v| v.status()));
    }
    // The cases reach the statuses whose findings carry the most detail.
    for status in [
        Status::Violated,
        Status::Breached,
        Status::Pending,
        Status::Conditional,
        Status::Exempt,
    ] {
        assert!(
            statuses.contains(&status),
            "no generated case is {status:?}"
        );
    }
}

#[test]
fn a_filtered_decision_keeps_its_totals() {
    let policy = shipped();
    let case = policy
        .case_from_file("examples/cases/provider_late_filing.yaml".as_ref())
        .unwrap();
    let mut decision = policy.decide(&case, None);
    let all = decision.report();
    decision.retain(Status::is_failure);
    let kept = decision.report();
    assert!(!kept.findings.is_empty());
    assert!(kept.findings.len() < all.findings.len());
    assert!(kept.findings.iter().all(|f| f.status.is_failure()));
    assert_eq!(kept.totals, all.totals);
    assert_eq!(kept.unknown_facts, all.unknown_facts);
}

/// The levels change explanations only: every status, date, penalty and
/// review note is the same, and each level says no more than the next.
#[test]
fn explanation_levels_leave_out_explanations_and_nothing_else() {
    let policy = shipped();
    let mut rng = casegen::Rng::new(78);
    for n in 0..200 {
        let case = policy.case_from_json(&casegen::case(&mut rng)).unwrap();
        let [none, failing, all] =
            Explain::ALL.map(|level| policy.decide(&case, None).explained(level).report());
        let bytes = |r: &deon::Report| serde_json::to_string(r).unwrap().len();
        assert!(bytes(&none) <= bytes(&failing) && bytes(&failing) <= bytes(&all));
        for ((n0, f), a) in none
            .findings
            .iter()
            .zip(&failing.findings)
            .zip(&all.findings)
        {
            let strip = |finding: &deon::Finding| deon::Finding {
                explanation: Vec::new(),
                ..finding.clone()
            };
            // `none` leaves out the act and the summary too.
            let terse = |finding: &deon::Finding| deon::Finding {
                action: "".into(),
                summary: String::new(),
                ..strip(finding)
            };
            assert_eq!(*n0, terse(a), "generated case {n}");
            assert_eq!(strip(f), strip(a), "generated case {n}");
            assert!(!a.summary.is_empty() && !a.action.is_empty());
            assert!(!a.explanation.is_empty() || a.status == Status::NotInForce);
            let quiet = matches!(
                a.status,
                Status::Satisfied | Status::Respected | Status::NotApplicable | Status::NotInForce
            );
            assert_eq!(
                f.explanation.is_empty(),
                quiet,
                "generated case {n}: {}",
                a.rule
            );
            if !quiet {
                assert_eq!(f.explanation, a.explanation);
            }
            if a.status == Status::NotApplicable {
                // Explained by what failed, not by the conditions that held.
                assert!(
                    a.explanation.iter().all(|step| &*step.outcome != "true"),
                    "{}",
                    a.rule
                );
            }
        }
    }
}

/// The penalty fixtures reach what the shipped policies rarely do: arguable
/// links, judgement timings carrying exposure, undated failures under
/// several penalty versions.
#[test]
fn decisions_of_the_penalty_fixtures_match_their_reports() {
    let policy = Policy::load(["tests/fixtures/penalties/policy"]).expect("the fixture checks");
    let mut seen = 0;
    for entry in std::fs::read_dir("tests/fixtures/penalties").unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "yaml") {
            let case = policy.case_from_file(&path).unwrap();
            assert_same(&policy, &case, &path.display().to_string());
            seen += 1;
        }
    }
    assert!(seen >= 5, "only {seen} penalty fixtures");
}
