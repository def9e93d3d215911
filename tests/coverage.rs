//! docs/coverage.md accounts for every rule of the shipped policies, and
//! names nothing that does not exist.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::collections::HashSet;

fn backticked(text: &str) -> Vec<String> {
    text.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn coverage_lists_every_rule_and_only_real_names() {
    let policy = deon::Policy::load(["policies"]).expect("shipped policies check");
    let summary = policy.summary();
    let coverage = std::fs::read_to_string("docs/coverage.md").expect("docs/coverage.md exists");
    let named: HashSet<String> = backticked(&coverage).into_iter().collect();

    let missing: Vec<&str> = summary
        .rules
        .iter()
        .map(String::as_str)
        .filter(|id| !named.contains(*id))
        .collect();
    assert!(
        missing.is_empty(),
        "rules not listed in docs/coverage.md: {missing:?}"
    );

    let mut known: HashSet<String> = HashSet::new();
    known.extend(summary.rules);
    known.extend(summary.penalties);
    known.extend(summary.roles);
    known.extend(summary.definitions);
    known.extend(summary.regulations);
    known.extend(summary.facts);
    known.extend(summary.records);
    let unknown: Vec<&String> = named
        .iter()
        .filter(|n| {
            let looks_like_a_name = n
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.');
            let file = [".deon", ".yaml", ".json", ".toml"]
                .iter()
                .any(|ext| n.ends_with(ext));
            let keyword = matches!(n.as_str(), "must" | "must not" | "may" | "should");
            looks_like_a_name && !file && !keyword && !known.contains(*n)
        })
        .collect();
    assert!(
        unknown.is_empty(),
        "docs/coverage.md names things the policies do not have: {unknown:?}"
    );
}
