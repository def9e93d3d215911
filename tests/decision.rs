//! A decision written straight to JSON says exactly what its owned report
//! says, and its verdicts agree with the report's findings.
#![allow(clippy::expect_used, clippy::unwrap_used)]

#[path = "../benches/gen/mod.rs"]
mod casegen;

use deon::{Policy, Status};

fn shipped() -> Policy {
    Policy::load(["policies"]).expect("the shipped policies load")
}

/// Same bytes from the decision as from the report, and the same findings
/// from the verdicts.
fn assert_same(policy: &Policy, case: &deon::Case, what: &str) {
    let decision = policy.decide(case, None);
    let report = decision.report();
    assert_eq!(
        serde_json::to_string(&decision).unwrap(),
        serde_json::to_string(&report).unwrap(),
        "{what}: the decision's JSON differs from its report's"
    );
    assert_eq!(report, policy.evaluate(case, None), "{what}");
    let verdicts: Vec<_> = decision.verdicts().collect();
    assert_eq!(verdicts.len(), report.findings.len(), "{what}");
    for (verdict, finding) in verdicts.iter().zip(&report.findings) {
        assert_eq!(verdict.finding(), *finding, "{what}");
        assert_eq!(verdict.rule(), &*finding.rule);
        assert_eq!(verdict.status(), finding.status);
        assert_eq!(verdict.summary(), finding.summary);
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
