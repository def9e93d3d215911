//! The examples of docs/language.md, so the reference cannot drift from the
//! language: every `deon` block that is a whole item (or several) parses,
//! and the first, a complete policy, checks and evaluates.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

/// Keywords that start a top-level item.
const ITEMS: [&str; 7] = [
    "regulation",
    "enum",
    "facts",
    "define",
    "role",
    "penalty",
    "rule",
];

/// The fenced `deon` blocks of the page, with the line each starts on.
fn blocks() -> Vec<(usize, String)> {
    let page = std::fs::read_to_string("docs/language.md").unwrap();
    let mut blocks = Vec::new();
    let mut current: Option<(usize, String)> = None;
    for (n, line) in page.lines().enumerate() {
        match &mut current {
            None if line.trim() == "```deon" => current = Some((n + 2, String::new())),
            Some(_) if line.trim() == "```" => blocks.extend(current.take()),
            Some((_, text)) => {
                text.push_str(line);
                text.push('\n');
            }
            None => {}
        }
    }
    blocks
}

/// Whether the block is made of whole items: its first line that is not a
/// comment starts one (a `penalty` item has braces; the `penalty` clause of a
/// rule has none), and nothing is left out with a `...` line.
fn whole_items(text: &str) -> bool {
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("//"))
        .and_then(|l| l.split_whitespace().next());
    let elided = text.lines().any(|l| l.trim() == "...");
    match first {
        Some("penalty") => text.contains('{') && !elided,
        Some(word) => ITEMS.contains(&word) && !elided,
        None => false,
    }
}

#[test]
fn every_whole_item_example_parses() {
    let blocks = blocks();
    let items: Vec<_> = blocks.iter().filter(|(_, t)| whole_items(t)).collect();
    // The page has examples of every kind of item; if this count drops, the
    // extraction broke, not the page.
    assert!(
        items.len() >= 12,
        "only {} whole-item blocks found",
        items.len()
    );
    let mut broken = Vec::new();
    for (line, text) in &items {
        if let Err(errors) = deon::parse_policy_file("language.md", text) {
            broken.push(format!("docs/language.md:{line}: {errors:?}\n{text}"));
        }
    }
    assert!(broken.is_empty(), "{}", broken.join("\n\n"));
}

#[test]
fn the_complete_example_checks_and_evaluates() {
    let blocks = blocks();
    let (line, text) = blocks.first().unwrap();
    let policy = deon::Policy::from_sources([("language.md", text.as_str())])
        .unwrap_or_else(|e| panic!("docs/language.md:{line}: {e:?}"));
    let case = policy
        .case_from_json(&serde_json::json!({
            "party": {"roles": ["product_provider"], "refused_correction": false},
            "vulnerability": {"aware_on": "2026-03-03", "filed_with_miit_on": null}
        }))
        .unwrap();
    let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    assert_eq!(report.findings.len(), 1);
    assert_eq!(report.findings[0].status, deon::Status::Violated);
    assert_eq!(
        report.findings[0].due,
        chrono::NaiveDate::from_ymd_opt(2026, 3, 5)
    );
}
