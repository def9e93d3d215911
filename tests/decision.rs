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
    let expected = serde_json::to_string(&report).unwrap();
    // Written after other text, as the batch writes records one after another.
    let mut out = b"[".to_vec();
    decision.write_json(&mut out);
    assert_eq!(
        String::from_utf8(out[1..].to_vec()).unwrap(),
        expected,
        "{what}: the decision's JSON differs from its report's"
    );
    let mut pretty = Vec::new();
    decision.write_json_pretty(&mut pretty);
    assert_eq!(
        String::from_utf8(pretty).unwrap(),
        serde_json::to_string_pretty(&report).unwrap(),
        "{what}: the decision's indented JSON differs from its report's"
    );
    assert_eq!(
        serde_json::to_string(&decision).unwrap(),
        expected,
        "{what}"
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
        assert_eq!(verdict.days_left(), finding.days_left, "{what}");
        assert_eq!(verdict.days_overdue(), finding.days_overdue, "{what}");
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

/// Text that JSON must escape, in the policy and in the case: quotes,
/// backslashes, control characters, non-ASCII and U+2028 (which JSON
/// leaves as it is) in titles, citations, acts, conditions, review notes,
/// tiers, versions, arguable links and text facts.
#[test]
fn text_that_needs_escaping_is_written_as_serde_json_writes_it() {
    let awkward = "q\"uote b\\ack \t\u{1}\u{1f}\u{7f} é 网络 \u{2028}\u{2029} \u{1F600}";
    // The same text as a Deon string literal's inside.
    let a = awkward.replace('\\', "\\\\").replace('"', "\\\"");
    let policy_text = format!(
        r#"
regulation awkward {{
  title "{a}"
  title zh "标题 \"{a}"
  jurisdiction "CN"
  status in force
  effective from 2021-09-01
}}

facts {{
  memo "A note \\ with \"quotes\"." {{
    body: text "Free text\t{a}."
    done_on: date? "When."
    flag: bool "A flag."
  }}
}}

penalty odd_penalty "A penalty." {{
  cite "Art. \"1\" {a}"
  version "v \"1\" {a}" from 2021-09-01 {{
    cite "Art. 2\\{a}"
    review "Review \"this\" {a}" when memo.body = "x\"y"
    warning
    tier "tier \"{a}\"" when memo.flag or memo.body = "\\" {{
      review "tier note {a}"
      fine 1,000 to 2,000 CNY on the entity when memo.body != "\t"
    }}
  }}
}}

rule odd_rule "A rule." {{
  cite "Art. 3 \"{a}\""
  cite "Art. 4\n(second line)"
  review "Rule review \"{a}\""
  when memo.body != "\"never\"" or memo.flag
  unless memo.body = "exempt \\ {a}"
  must "do the \"thing\" {a}"
  by 2022-01-01
  done on memo.done_on
  penalty odd_penalty arguable "arguable \"{a}\""
}}
"#
    );
    let policy = Policy::from_sources([("awkward.deon", policy_text.as_str())])
        .unwrap_or_else(|d| panic!("{:#?}", d.problems));
    let mut seen = 0;
    for (text, flag, done_on) in [
        (awkward.to_string(), true, serde_json::Value::Null),
        ("x\"y".to_string(), false, serde_json::json!("2023-05-01")),
        (
            "\u{0}\u{8}\u{c}\n\r\"\\/".to_string(),
            true,
            serde_json::Value::Null,
        ),
        (
            format!("exempt \\ {awkward}"),
            false,
            serde_json::Value::Null,
        ),
    ] {
        let case = serde_json::json!({"memo": {"body": text, "flag": flag, "done_on": done_on}});
        let case = policy
            .case_from_json(&case)
            .unwrap_or_else(|d| panic!("{d}"));
        assert_same(&policy, &case, &format!("text {text:?}"));
        let json = serde_json::to_string(&policy.decide(&case, None).report()).unwrap();
        seen += usize::from(json.contains("\\u0001") && json.contains("\u{2028}"));
    }
    assert_eq!(
        seen, 4,
        "the reports carry the escaped and the unescaped text"
    );
}
