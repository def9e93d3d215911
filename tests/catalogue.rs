//! The policy catalogue: docs/policies.md is current, and the HTML page
//! parses, links its contents, escapes every string and has no script.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use deon::Policy;
use deon::catalogue::Catalogue;

fn parse(html: &str) -> tl::VDom<'_> {
    tl::parse(html, tl::ParserOptions::default().track_ids()).expect("the page parses")
}

fn attribute(dom: &tl::VDom<'_>, handle: tl::NodeHandle, name: &str) -> Option<String> {
    let tag = handle.get(dom.parser())?.as_tag()?;
    let value = tag.attributes().get(name)??;
    Some(value.as_utf8_str().into_owned())
}

#[test]
fn policies_md_is_current() {
    let policy = Policy::load(["policies"]).unwrap();
    let expected = Catalogue::new(&policy).markdown("../");
    if std::env::var_os("DEON_UPDATE_DOCS").is_some() {
        std::fs::write("docs/policies.md", &expected).unwrap();
    }
    let actual = std::fs::read_to_string("docs/policies.md").unwrap_or_default();
    assert!(
        actual == expected,
        "docs/policies.md is stale: run `cargo run -- doc policies --link-base ../ -o docs/policies.md` \
         (or this test with DEON_UPDATE_DOCS=1)"
    );
}

#[test]
fn the_html_catalogue_parses_and_every_contents_link_resolves() {
    let policy = Policy::load(["policies"]).unwrap();
    let html = Catalogue::new(&policy).html("../");
    let dom = parse(&html);
    assert!(dom.query_selector("script").unwrap().next().is_none());
    let style = dom.query_selector("style").unwrap().next().unwrap();
    let css = style.get(dom.parser()).unwrap().inner_text(dom.parser());
    assert!(css.contains("@media print"));

    let nav = dom.get_element_by_id("contents").unwrap();
    let nav = nav.get(dom.parser()).unwrap().as_tag().unwrap();
    let links: Vec<String> = nav
        .query_selector(dom.parser(), "a")
        .unwrap()
        .filter_map(|a| attribute(&dom, a, "href"))
        .collect();
    assert!(links.len() > 5, "{links:?}");
    for link in &links {
        let id = link.strip_prefix('#').unwrap();
        assert!(
            dom.get_element_by_id(id).is_some(),
            "no element with id {id}"
        );
    }
    // Every rule is in the page, with a link to its source line.
    let text = dom.outer_html();
    for rule in policy.summary().rules {
        assert!(
            text.contains(&format!("<code>{rule}</code>")),
            "{rule} missing"
        );
    }
    let sources: Vec<String> = dom
        .query_selector("a")
        .unwrap()
        .filter_map(|a| attribute(&dom, a, "href"))
        .filter(|href| !href.starts_with('#'))
        .collect();
    assert!(
        sources
            .iter()
            .all(|s| s.starts_with("../policies/") && s.contains(".deon#L"))
    );
    // Each rule per role it binds; at least one link per rule.
    assert!(sources.len() >= policy.summary().rules.len());
}

#[test]
fn every_string_is_escaped() {
    let policy = Policy::from_sources([(
        "evil <b>.deon",
        r#"
        regulation evil { title "<script>alert('t')</script> & co" status in force effective from 2021-09-01 source "\"quoted\"" }
        facts { x "X." { done: bool "Done." } }
        penalty p "<img src=x onerror=alert(1)>" { cite "Art. <1>" may warning when x.done }
        rule r "<i>doc</i>" { cite "Art. \"9\" <b>" must "do <this> & 'that'" done when x.done penalty p }
        "#,
    )])
    .unwrap();
    let html = Catalogue::new(&policy).html("");
    let dom = parse(&html);
    for tag in ["script", "img", "b", "i"] {
        assert!(
            dom.query_selector(tag).unwrap().next().is_none(),
            "a <{tag}> element leaked from the policy"
        );
    }
    assert!(html.contains("&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co"));
    assert!(html.contains("do &lt;this&gt; &amp; &#39;that&#39;"));
    assert!(html.contains("href=\"evil &lt;b&gt;.deon#L"));
    let title = dom.query_selector("h2").unwrap().nth(1).unwrap();
    let title = title.get(dom.parser()).unwrap().inner_text(dom.parser());
    assert_eq!(
        title,
        "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; co"
    );
    assert!(html.contains("may impose: warning"));

    let markdown = Catalogue::new(&policy).markdown("");
    assert!(markdown.contains("\\<script\\>"));
    assert!(!markdown.contains("<script>"));
}

#[test]
fn deon_doc_writes_html() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(["doc", "policies", "--format", "html"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let html = String::from_utf8(output.stdout).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    parse(&html);
}

const TIERS_AND_NOTES: &str = r#"
regulation r { title "R" status in force effective from 2021-09-01 }
facts { x "X." { done: bool "Done." refused: bool "Refused." harm: bool "Harm." } }
penalty p "Art. 9 <penalty>." {
  cite "Art. 9"
  review "Amounts <unverified>."
  version "2017 text" from 2017-06-01 {
    review "Old text & unsure." when x.harm
    order to correct
    tier "on refusal <or harm>" when x.refused or x.harm {
      review "Refusal is the regulator's finding."
      fine 50,000 to 500,000 CNY on the entity
      may order one of {
        suspension of business
        closure of website
      }
    }
  }
  version "2026 text" from 2026-01-01 {
    one of {
      warning
      fine 1,000 to 10,000 CNY on the entity
    }
  }
}
rule file_it "File it." {
  cite "Art. 1"
  must "file"
  done when x.done
  review "Roll-over is <arguable>." when x.refused
  penalty p arguable "Reached only by <analogy> & custom."
}
"#;

#[test]
fn tiers_options_notes_and_arguable_links_are_in_both_formats() {
    let policy = Policy::from_sources([("t.deon", TIERS_AND_NOTES)]).unwrap();
    let catalogue = Catalogue::new(&policy);
    let markdown = catalogue.markdown("");
    for expected in [
        "  - Penalty: [`p`](#r-penalty-p) (arguable: Reached only by \\<analogy\\> & custom. · [t.deon:31](t.deon#L31))",
        "  - Review: Roll-over is \\<arguable\\>. — when `x.refused` (Art. 1 · [t.deon:30](t.deon#L30))",
        "- Review: Amounts \\<unverified\\>. (Art. 9 · [t.deon:6](t.deon#L6))",
        "- Version “2017 text”, from 2017-06-01 · [t.deon:7](t.deon#L7)",
        "  - Review: Old text & unsure. — when `x.harm` (Art. 9 · [t.deon:8](t.deon#L8))",
        "  - Whenever the penalty applies",
        "    - order to correct",
        "  - Tier “on refusal \\<or harm\\>” — when `x.refused or x.harm` · [t.deon:10](t.deon#L10)",
        "    - Review: Refusal is the regulator's finding. (Art. 9 · [t.deon:11](t.deon#L11))",
        "    - may impose one of, or none (the regulator's options):",
        "      - suspension of the related business",
        "      - closure of the website",
        "  - one of (the regulator chooses):",
        "    - fine of 1,000 to 10,000 CNY on the entity",
    ] {
        assert!(
            markdown.lines().any(|l| l == expected),
            "no line {expected:?} in\n{markdown}"
        );
    }

    let html = catalogue.html("");
    let dom = parse(&html);
    let text = dom.outer_html();
    for expected in [
        "(arguable: Reached only by &lt;analogy&gt; &amp; custom. · <a href=\"t.deon#L31\">t.deon:31</a>)",
        "Review: Roll-over is &lt;arguable&gt;. — when <code>x.refused</code>",
        "Tier “on refusal &lt;or harm&gt;” — when <code>x.refused or x.harm</code>",
        "may impose one of, or none (the regulator&#39;s options):",
        "<li>suspension of the related business</li><li>closure of the website</li>",
        "one of (the regulator chooses):",
    ] {
        assert!(text.contains(expected), "no {expected:?} in\n{html}");
    }
    // Markup in notes, tier names and reasons stays text.
    for tag in ["unverified", "or", "analogy", "arguable", "penalty"] {
        assert!(
            dom.query_selector(tag).unwrap().next().is_none(),
            "a <{tag}> element leaked from the policy"
        );
    }
    let reviews = dom.query_selector("li.review").unwrap().count();
    assert_eq!(reviews, 4, "every note, once");
    // Each note links to its own line.
    for line in [6, 8, 11, 30, 31] {
        assert!(
            html.contains(&format!("href=\"t.deon#L{line}\"")),
            "L{line}"
        );
    }
}
