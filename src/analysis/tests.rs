//! Tests of the analysis queries; compiled only under #[cfg(test)] (see `mod tests` in mod.rs).

use super::*;

const FACTS: &str = r#"enum party_role "Who a party is." {
  product_provider "Provides network products."
  operator "Operates a network."
}
facts {
  party "The party." {
    roles: set of party_role "What the party is."
  }
  vulnerability "The vulnerability." {
    aware_on: date? "When the provider learned of it."
    filed_on: date? "When it was filed."
  }
}
role provider "A provider." when product_provider in party.roles
define late "Filed late." as vulnerability.filed_on is set and vulnerability.aware_on is set
  and vulnerability.filed_on > vulnerability.aware_on + 2 days
"#;

const RULES: &str = r#"regulation example {
  title "An example"
  jurisdiction "CN"
  status in force
  effective from 2021-09-01
}
penalty late_filing "Late filing." {
  cite "Art. 9"
  order to correct
  may fine 10,000 to 100,000 CNY on the entity when late
}
rule file_it "File in time." {
  cite "Art. 1 《规定》第七条"
  applies to provider
  when vulnerability.aware_on is set
  must "file the vulnerability"
  within 2 days of vulnerability.aware_on
  done on vulnerability.filed_on
  penalty late_filing
}
"#;

fn analysis() -> Analysis {
    Analysis::new(
        [("facts.deon", FACTS), ("rules.deon", RULES)],
        BTreeMap::new(),
    )
}

fn at(text: &str, needle: &str, nth: usize) -> usize {
    text.match_indices(needle)
        .nth(nth)
        .map_or(usize::MAX, |(i, _)| i)
}

#[test]
fn a_clean_set_has_no_errors() {
    let a = analysis();
    let errors: Vec<_> = a
        .diagnostics()
        .into_iter()
        .filter(|d| d.level == Level::Error)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    assert!(a.policy().is_some());
}

#[test]
fn finds_facts_values_and_rules_where_they_are_used() {
    let a = analysis();
    let used = at(RULES, "aware_on", 1) + 2;
    let item = a.item_at("rules.deon", used).expect("a fact");
    assert_eq!(
        (item.kind, item.name.as_str()),
        (Some(SymbolKind::Fact), "vulnerability.aware_on")
    );
    let record = a
        .item_at("rules.deon", at(RULES, "vulnerability", 0))
        .expect("a record");
    assert_eq!(record.kind, Some(SymbolKind::Record));
    let value = a
        .item_at("facts.deon", at(FACTS, "product_provider in", 0))
        .expect("a value");
    assert_eq!(value.name, "party_role.product_provider");
    let keyword = a
        .item_at("rules.deon", at(RULES, "within", 0))
        .expect("a keyword");
    assert_eq!((keyword.kind, keyword.name.as_str()), (None, "within"));
    assert_eq!(a.item_at("rules.deon", at(RULES, "file the", 0)), None);
}

#[test]
fn definition_and_references_cross_files() {
    let a = analysis();
    let used = at(RULES, "aware_on", 0);
    let definition = a.definition("rules.deon", used).expect("declared");
    assert_eq!(definition.file, "facts.deon");
    assert_eq!(definition.span.start, at(FACTS, "aware_on", 0));
    let refs = a.references("facts.deon", at(FACTS, "aware_on", 0), true);
    let places: Vec<(&str, usize)> = refs
        .iter()
        .map(|l| (l.file.as_str(), l.span.start))
        .collect();
    assert_eq!(
        places,
        [
            ("facts.deon", at(FACTS, "aware_on", 0)),
            ("facts.deon", at(FACTS, "aware_on", 1)),
            ("facts.deon", at(FACTS, "aware_on", 2)),
            ("rules.deon", at(RULES, "aware_on", 0)),
            ("rules.deon", at(RULES, "aware_on", 1)),
        ]
    );
    let penalty = a
        .definition("rules.deon", at(RULES, "late_filing", 1))
        .expect("a penalty");
    assert_eq!(penalty.span.start, at(RULES, "late_filing", 0));
}

#[test]
fn hover_says_what_a_name_is() {
    let a = analysis();
    let fact = a
        .hover("rules.deon", at(RULES, "aware_on", 0))
        .expect("hover")
        .markdown;
    assert!(
        fact.starts_with("**fact** `vulnerability.aware_on`: `date?`"),
        "{fact}"
    );
    assert!(fact.contains("When the provider learned of it."), "{fact}");
    assert!(
        fact.contains("rule `file_it`") && fact.contains("definition `late`"),
        "{fact}"
    );
    let rule = a
        .hover("rules.deon", at(RULES, "file_it", 0))
        .expect("hover")
        .markdown;
    assert!(rule.contains("must \"file the vulnerability\""), "{rule}");
    assert!(rule.contains("binds `provider`"), "{rule}");
    assert!(
        rule.contains("within 2 days of vulnerability.aware_on"),
        "{rule}"
    );
    assert!(
        rule.contains("may: fine of 10,000 to 100,000 CNY on the entity"),
        "{rule}"
    );
}

#[test]
fn renames_a_fact_everywhere_and_refuses_bad_names() {
    let a = analysis();
    let edits = a
        .rename("rules.deon", at(RULES, "filed_on", 0), "reported_on")
        .expect("renamed");
    assert_eq!(edits.len(), 4);
    assert!(edits.iter().all(|e| e.new_text == "reported_on"));
    assert!(
        a.rename("rules.deon", at(RULES, "filed_on", 0), "aware_on")
            .is_err()
    );
    assert!(
        a.rename("rules.deon", at(RULES, "filed_on", 0), "must")
            .is_err()
    );
    assert!(
        a.rename("rules.deon", at(RULES, "filed_on", 0), "2x")
            .is_err()
    );
    let rule = a
        .rename("rules.deon", at(RULES, "file_it", 0), "file_in_time")
        .expect("renamed");
    assert_eq!(rule.len(), 1);
}

#[test]
fn completes_paths_roles_and_keywords() {
    let text = format!("{RULES}rule r {{\n  when vulnerability.fi");
    let a = Analysis::new(
        [("facts.deon", FACTS), ("rules.deon", text.as_str())],
        BTreeMap::new(),
    );
    let labels = |offset: usize| -> Vec<String> {
        a.completions("rules.deon", offset)
            .into_iter()
            .map(|c| c.label)
            .collect()
    };
    assert_eq!(labels(text.len()), ["filed_on"]);
    let all = labels(text.len() - "vulnerability.fi".len() + 3);
    assert!(all.contains(&"vulnerability".to_string()), "{all:?}");
    let roles = text
        .find("applies to ")
        .map_or(0, |i| i + "applies to ".len());
    assert_eq!(labels(roles), ["provider"]);
}

#[test]
fn a_file_that_does_not_parse_still_gets_diagnostics_and_others_still_resolve() {
    let broken = "rule broken {\n  must \"x\"\n  within 2 days of\n}\n";
    let a = Analysis::new(
        [
            ("facts.deon", FACTS),
            ("rules.deon", RULES),
            ("broken.deon", broken),
        ],
        BTreeMap::new(),
    );
    let diagnostics = a.diagnostics();
    assert!(
        diagnostics
            .iter()
            .any(|d| d.location.file == "broken.deon" && d.level == Level::Error)
    );
    assert!(a.policy().is_none());
    assert!(a.hover("rules.deon", at(RULES, "aware_on", 0)).is_some());
    assert!(a.symbols("broken.deon").is_empty());
}

#[test]
fn outlines_nest_facts_in_records() {
    let a = analysis();
    let symbols = a.symbols("facts.deon");
    let names: Vec<(&str, usize)> = symbols
        .iter()
        .map(|s| (s.name.as_str(), s.children.len()))
        .collect();
    assert_eq!(
        names,
        [
            ("party_role", 2),
            ("party", 1),
            ("vulnerability", 2),
            ("provider", 0),
            ("late", 0)
        ]
    );
}

/// Every query at many offsets of the shipped policies, whole and cut short
/// at many places, answers without panicking; cut-off files still get
/// diagnostics.
#[test]
fn queries_never_panic_on_whole_or_broken_files() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/policies/cn");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "deon"))
        .collect();
    names.sort();
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(p).unwrap_or_default(),
            )
        })
        .collect();
    assert!(texts.len() >= 3);
    let (name, text) = &texts[texts.len() - 1];
    for cut in (0..=4).map(|i| text.len() * i / 4) {
        let mut cut = cut;
        while !text.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut files = texts.clone();
        let last = files.len() - 1;
        files[last].1 = text[..cut].to_string();
        let a = Analysis::new(files, BTreeMap::new());
        if cut < text.len() && cut > 0 {
            assert!(!a.diagnostics().is_empty(), "cut at {cut}");
        }
        let lines = a.line_index(name).expect("the file is known");
        for offset in (0..=cut + 3).step_by(97) {
            let _ = a.item_at(name, offset);
            let _ = a.hover(name, offset);
            let _ = a.definition(name, offset);
            let _ = a.references(name, offset, true);
            let _ = a.completions(name, offset);
            let _ = a.rename(name, offset, "renamed");
            let (line, column) = lines.position(offset);
            assert!(lines.offset(line, column).is_some());
        }
        let _ = a.symbols(name);
    }
}
