//! Properties of evaluation over generated cases: it is deterministic; the
//! findings do not depend on the order of policy files, of rules, or of a
//! case's keys; a case that reads always evaluates; and the human and JSON
//! reports of one decision agree on statuses and due dates.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::collections::BTreeMap;

use deon::{Format, Policy};
use proptest::prelude::*;

const HEAD: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
enum Kind "K." { a "A." b "B." c "C." }
"#;
const FACTS: &str = r#"facts { r "R." {
  on: date? "On."
  done: date? "Done."
  yes: bool "Yes."
  no: bool "No."
  n: int "N."
  kind: Kind "Kind."
  kinds: set of Kind "Kinds."
} }
define big as r.n > 100
"#;
const RULES: [&str; 6] = [
    "rule alpha_file { cite \"Art 1\" when r.on is set and r.yes must \"file\" within 5 days of r.on done on r.done }\n",
    "rule beta_keep { cite \"Art 2\" when big or r.kind = a must \"keep\" done when r.no }\n",
    "rule gamma_share { cite \"Art 3\" when r.kind in {b, c} must not \"share\" breached when r.yes and not r.no }\n",
    "rule delta_skip { cite \"Art 4\" when r.n < 0 may \"skip\" exception to alpha_file }\n",
    "rule epsilon_report { cite \"Art 5\" when r.on is set must \"report\" within 2 months of r.on done on r.done unless r.no }\n",
    "rule zeta_count { cite \"Art 6\" when r.n + 1 > 0 and b in r.kinds must \"count\" by 2027-01-01 done on r.done }\n",
];

fn policy_from(files: &[(String, String)]) -> Policy {
    Policy::from_sources(files.iter().map(|(n, t)| (n.as_str(), t.as_str())))
        .unwrap_or_else(|e| panic!("{e:?}"))
}

fn in_order(order: &[usize]) -> Policy {
    let rules: String = order.iter().map(|&i| RULES[i]).collect();
    policy_from(&[("p.deon".into(), format!("{HEAD}{FACTS}{rules}"))])
}

/// A fact's value as JSON text, or `None` to leave it out (unknown).
fn fact(
    name: &'static str,
    values: Vec<&'static str>,
) -> impl Strategy<Value = (&'static str, Option<String>)> {
    let choices: Vec<Option<String>> = std::iter::once(None)
        .chain(values.into_iter().map(|v| Some(v.to_string())))
        .collect();
    proptest::sample::select(choices).prop_map(move |v| (name, v))
}

fn date() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        Just(Some("null".to_string())),
        (2021i32..2028, 1u32..13, 1u32..29)
            .prop_map(|(y, m, d)| Some(format!("\"{y:04}-{m:02}-{d:02}\""))),
    ]
}

/// The facts of a case, each `Some(json)` or left out.
fn case_facts() -> impl Strategy<Value = Vec<(&'static str, Option<String>)>> {
    (
        date().prop_map(|v| ("on", v)),
        date().prop_map(|v| ("done", v)),
        fact("yes", vec!["true", "false"]),
        fact("no", vec!["true", "false"]),
        prop_oneof![
            Just(None),
            Just(Some(i64::MAX.to_string())),
            Just(Some(i64::MIN.to_string())),
            (-200i64..200).prop_map(|n| Some(n.to_string())),
        ]
        .prop_map(|v| ("n", v)),
        fact("kind", vec!["\"a\"", "\"b\"", "\"c\""]),
        fact(
            "kinds",
            vec!["[]", "[\"b\"]", "[\"a\", \"c\"]", "[\"c\", \"b\", \"b\"]"],
        ),
    )
        .prop_map(|(a, b, c, d, e, f, g)| vec![a, b, c, d, e, f, g])
}

/// The case as JSON text, its keys in the order given.
fn case_text(facts: &[(&str, Option<String>)], as_of: &str) -> String {
    let inner: Vec<String> = facts
        .iter()
        .filter_map(|(name, value)| value.as_ref().map(|v| format!("\"{name}\": {v}")))
        .collect();
    format!(
        "{{\"as_of\": \"{as_of}\", \"r\": {{{}}}}}",
        inner.join(", ")
    )
}

/// Each rule's finding as (status, summary, due), by rule.
type Findings = BTreeMap<String, (String, String, Option<chrono::NaiveDate>)>;

fn by_rule(report: &deon::Report) -> Findings {
    report
        .findings
        .iter()
        .map(|f| {
            (
                f.rule.to_string(),
                (f.status.key().to_string(), f.summary.clone(), f.due),
            )
        })
        .collect()
}

fn as_of() -> impl Strategy<Value = String> {
    (2021i32..2028, 1u32..13, 1u32..29).prop_map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn evaluation_is_deterministic(facts in case_facts(), as_of in as_of()) {
        let policy = in_order(&[0, 1, 2, 3, 4, 5]);
        let case = policy.case_from_str("c.json", &case_text(&facts, &as_of), Format::Json).unwrap();
        let first = serde_json::to_string(&policy.decide(&case, None)).unwrap();
        let again = serde_json::to_string(&policy.decide(&case, None)).unwrap();
        prop_assert_eq!(&first, &again);
        let copy = policy_from(&policy.sources().map(|(n, t)| (n.to_string(), t.to_string())).collect::<Vec<_>>());
        prop_assert_eq!(first, serde_json::to_string(&copy.decide(&case, None)).unwrap());
    }

    #[test]
    fn findings_do_not_depend_on_the_order_of_rules_files_or_keys(
        facts in case_facts(),
        as_of in as_of(),
        order in Just((0..RULES.len()).collect::<Vec<_>>()).prop_shuffle(),
        keys in Just((0..7).collect::<Vec<usize>>()).prop_shuffle(),
        split in 0..RULES.len(),
        files_first in any::<bool>(),
    ) {
        let reference = in_order(&[0, 1, 2, 3, 4, 5]);
        let text = case_text(&facts, &as_of);
        let case = reference.case_from_str("c.json", &text, Format::Json).unwrap();
        let expected = by_rule(&reference.evaluate(&case, None));

        // Rules in another order.
        let shuffled = in_order(&order);
        let case = shuffled.case_from_str("c.json", &text, Format::Json).unwrap();
        prop_assert_eq!(&by_rule(&shuffled.evaluate(&case, None)), &expected);

        // The same declarations spread over files, given in another order.
        let (one, two) = order.split_at(split);
        // (A rule needs a regulation header in its file: two alike.)
        let enums = HEAD.lines().skip(1).collect::<Vec<_>>().join("\n");
        let header = |id: &str| HEAD.lines().next().unwrap_or_default().replace("ex", id);
        let rules = |ids: &[usize]| ids.iter().map(|&i| RULES[i]).collect::<String>();
        let mut files = vec![
            ("a.deon".to_string(), format!("{enums}\n{FACTS}")),
            ("b.deon".to_string(), format!("{}\n{}", header("ex"), rules(one))),
            ("c.deon".to_string(), format!("{}\n{}", header("ey"), rules(two))),
        ];
        if !files_first {
            files.reverse();
        }
        let spread = policy_from(&files);
        let case = spread.case_from_str("c.json", &text, Format::Json).unwrap();
        // Summaries name the regulation: the same name on both sides.
        let same_regulation = |findings: &Findings| {
            findings
                .iter()
                .map(|(rule, (status, summary, due))| {
                    (rule.clone(), (status.clone(), summary.replace("ey", "ex"), *due))
                })
                .collect::<Findings>()
        };
        prop_assert_eq!(
            same_regulation(&by_rule(&spread.evaluate(&case, None))),
            same_regulation(&expected)
        );

        // The case's keys in another order.
        let permuted: Vec<_> = keys.iter().map(|&i| facts[i].clone()).collect();
        let case = reference
            .case_from_str("c.json", &case_text(&permuted, &as_of), Format::Json)
            .unwrap();
        prop_assert_eq!(&by_rule(&reference.evaluate(&case, None)), &expected);
    }

    #[test]
    fn human_and_json_reports_agree_on_statuses_and_due_dates(facts in case_facts(), as_of in as_of()) {
        let policy = in_order(&[0, 1, 2, 3, 4, 5]);
        let case = policy.case_from_str("c.json", &case_text(&facts, &as_of), Format::Json).unwrap();
        let decision = policy.decide(&case, None);
        let mut written = Vec::new();
        decision.write_json(&mut written);
        let json: serde_json::Value = serde_json::from_slice(&written).unwrap();
        let report = decision.report();
        let options = deon::report::human::Options { verbose: true, ..Default::default() };
        let human = deon::report::human::render(&report, options);
        let sections = sections(&human);
        for finding in json["findings"].as_array().unwrap() {
            let rule = finding["rule"].as_str().unwrap();
            let status = finding["status"].as_str().unwrap();
            let label = deon::Status::from_key(status).unwrap().label().to_uppercase();
            let section = sections.get(&label).unwrap_or_else(|| panic!("no {label} section in\n{human}"));
            prop_assert!(section.contains(rule), "{} not under {}:\n{}", rule, label, human);
            if let Some(due) = finding["due"].as_str() {
                prop_assert!(section.contains(due), "due {} of {} not shown:\n{}", due, rule, human);
            }
        }
    }

    /// Any JSON the shipped policies accept as a case evaluates, renders and
    /// serialises.
    #[test]
    fn a_case_that_reads_always_evaluates(value in json_value(3)) {
        let policy = shipped();
        let wrapped = serde_json::json!({"party": value.clone(), "vulnerability": value.clone(), "as_of": "2026-03-10"});
        for candidate in [value, wrapped] {
            if let Ok(case) = policy.case_from_json(&candidate) {
                let decision = policy.decide(&case, None);
                let mut json = Vec::new();
                decision.write_json(&mut json);
                let _: serde_json::Value = serde_json::from_slice(&json).unwrap();
                let _ = deon::report::human::render(&decision.report(), Default::default());
            }
        }
    }
}

fn shipped() -> &'static Policy {
    static POLICY: std::sync::OnceLock<Policy> = std::sync::OnceLock::new();
    POLICY.get_or_init(|| Policy::load(["policies"]).unwrap())
}

/// Arbitrary JSON, with the shipped schema's words as keys and values so
/// that some of it reads as a case.
fn json_value(depth: u32) -> BoxedStrategy<serde_json::Value> {
    let words = proptest::sample::select(vec![
        "roles",
        "kind",
        "provider",
        "aware_on",
        "filed_with_miit_on",
        "organisation",
        "individual",
        "2026-03-03",
        "refused_correction",
        "null",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        words.clone().prop_map(|w| serde_json::json!(w)),
        "[ -~]{0,12}".prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(depth, 32, 6, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::Array),
            proptest::collection::btree_map(words.clone().prop_map(String::from), inner, 0..5)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

/// The human report's text under each status heading (`VIOLATED (2)`).
fn sections(human: &str) -> BTreeMap<String, String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    let mut current = String::new();
    for line in human.lines() {
        let heading = line
            .strip_suffix(')')
            .and_then(|l| l.rsplit_once(" ("))
            .filter(|(label, n)| {
                !label.starts_with(' ')
                    && label.chars().all(|c| c.is_ascii_uppercase() || c == ' ')
                    && n.chars().all(|c| c.is_ascii_digit())
            });
        match heading {
            Some((label, _)) => current = label.to_string(),
            None => out
                .entry(current.clone())
                .or_default()
                .push_str(&format!("{line}\n")),
        }
    }
    out
}
