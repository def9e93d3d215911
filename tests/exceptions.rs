//! Exceptions in three-valued logic: whether a rule applies and whether its
//! exception holds, each true, false or unknown, give every finding a
//! status that is true whichever way the unknown facts turn out.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use chrono::NaiveDate;
use deon::{Policy, Status};

const POLICY: &str = r#"
regulation ex { title "Exceptions" status in force effective from 2021-09-01 }
facts { r "R." { applies: bool "The rule applies." excused: bool "The exception holds." done: bool "Done." } }
rule by_unless { cite "Art. 1" when r.applies unless r.excused must "act" done when r.done }
rule by_rule { cite "Art. 2" when r.applies must "act" done when r.done }
rule carve_out { cite "Art. 3" when r.excused may "leave it undone" exception to by_rule }
"#;

/// The status of `rule`, and its summary, with each fact `t`, `f` or `?`
/// (left out of the case).
fn decide(rule: &str, applies: char, excused: char) -> (Status, String) {
    let policy = Policy::from_sources([("ex.deon", POLICY)]).expect("the policy checks");
    let mut r = serde_json::json!({"done": false});
    for (name, v) in [("applies", applies), ("excused", excused)] {
        match v {
            't' => r[name] = true.into(),
            'f' => r[name] = false.into(),
            _ => {}
        }
    }
    let case = policy
        .case_from_json(&serde_json::json!({ "r": r }))
        .expect("valid case");
    let date = NaiveDate::from_ymd_opt(2026, 1, 1);
    let finding = policy
        .evaluate(&case, date)
        .findings
        .into_iter()
        .find(|f| &*f.rule == rule)
        .expect("finding");
    (finding.status, finding.summary)
}

#[test]
fn an_exception_decides_a_rule_whichever_way_the_unknown_facts_turn_out() {
    // applies, excused: the status, and for a conditional finding what it
    // would be if it applies.
    let rows = [
        ('t', 't', Status::Exempt, ""),
        ('t', 'f', Status::Violated, ""),
        ('t', '?', Status::Conditional, "if it applies: violated"),
        ('f', 't', Status::NotApplicable, ""),
        ('f', 'f', Status::NotApplicable, ""),
        ('f', '?', Status::NotApplicable, ""),
        // If the rule applies, the exception that holds exempts the party:
        // the duty's own facts (not done) do not make it a violation.
        ('?', 't', Status::Conditional, "if it applies: exempt"),
        ('?', 'f', Status::Conditional, "if it applies: violated"),
        ('?', '?', Status::Conditional, "if it applies: violated"),
    ];
    for rule in ["by_unless", "by_rule"] {
        for (applies, excused, status, would) in rows {
            let (got, summary) = decide(rule, applies, excused);
            assert_eq!(
                got, status,
                "{rule}: applies {applies}, excused {excused}: {summary}"
            );
            assert!(
                summary.contains(would),
                "{rule}: applies {applies}, excused {excused}: {summary}"
            );
        }
    }
}
