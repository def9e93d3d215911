//! The validator's own tests: what each kind of value reads as, where a
//! problem is marked, and the limits every case format shares.

use super::*;

#[test]
fn durations_and_money_parse() {
    assert_eq!(
        parse_duration("6 months"),
        Some(Duration {
            amount: 6,
            unit: TimeUnit::Months
        })
    );
    assert_eq!(
        parse_duration("1 day"),
        Some(Duration {
            amount: 1,
            unit: TimeUnit::Days
        })
    );
    assert_eq!(parse_duration("six months"), None);
    assert_eq!(parse_money("50,000 CNY"), Some(50_000));
}

const POLICY: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { on: date? "On." done: bool? "Done." n: int? "N." } }
"#;

fn policy() -> &'static crate::Policy {
    static POLICY_SET: std::sync::OnceLock<crate::Policy> = std::sync::OnceLock::new();
    POLICY_SET.get_or_init(|| match crate::Policy::from_sources([("p.deon", POLICY)]) {
        Ok(policy) => policy,
        Err(e) => panic!("the test policy does not check: {e}"),
    })
}

fn read(text: &str, format: Format) -> Result<Facts, Vec<CaseError>> {
    load(policy().program(), &Source::new("case", text), format)
}

fn problems(text: &str, format: Format) -> Vec<CaseError> {
    read(text, format).err().unwrap_or_default()
}

#[test]
fn durations_in_every_unit() {
    for (text, amount, unit) in [
        ("5 days", 5, TimeUnit::Days),
        ("3 weeks", 3, TimeUnit::Weeks),
        ("2 months", 2, TimeUnit::Months),
        ("1 year", 1, TimeUnit::Years),
    ] {
        assert_eq!(
            parse_duration(text),
            Some(Duration { amount, unit }),
            "{text}"
        );
    }
    assert_eq!(parse_duration("3 fortnights"), None);
    assert_eq!(parse_duration("3 days later"), None);
}

#[test]
fn jsonl_files_are_json() {
    assert_eq!(Format::from_path("cases.jsonl"), Format::Json);
    assert_eq!(Format::from_path("CASES.JSONL"), Format::Json);
    assert_eq!(Format::from_path("case.json"), Format::Json);
}

#[test]
fn a_record_given_as_null_makes_its_optional_facts_null() {
    for (text, format) in [("{\"r\": null}", Format::Json), ("r: null\n", Format::Yaml)] {
        let Ok(facts) = read(text, format) else {
            panic!("not read: {text}")
        };
        assert!(facts.slots.iter().all(|s| *s == Slot::Null), "{text}");
    }
}

#[test]
fn a_case_error_shows_its_help() {
    let errors = problems("{\"r\": {\"n\": \"x\"}}", Format::Json);
    let help = errors
        .first()
        .and_then(|e| Diagnostic::help(e).map(|h| h.to_string()));
    assert!(help.is_some_and(|h| h.contains("without quotes")));
}

#[test]
fn a_byte_order_mark_is_not_part_of_any_position() {
    for (text, format) in [
        ("\u{feff}{\"r\": {\"n\": \"x\"}}", Format::Json),
        ("\u{feff}r:\n  n: \"x\"\n", Format::Yaml),
        ("\u{feff}[r]\nn = \"x\"\n", Format::Toml),
    ] {
        let errors = problems(text, format);
        let Some(at) = errors.first().map(|e| e.span.offset()) else {
            panic!("no problem in {text:?}")
        };
        let stripped = &text[3..];
        assert_eq!(stripped.get(at..at + 3), Some("\"x\""), "{text:?}");
        assert!(!errors[0].src.inner().starts_with('\u{feff}'));
    }
}

#[test]
fn roll_over_holidays_is_true_or_false() {
    for (text, format) in [
        ("{\"roll_over_holidays\": true}", Format::Json),
        ("roll_over_holidays: false\n", Format::Yaml),
    ] {
        let facts = read(text, format).ok().and_then(|f| f.roll_over_holidays);
        assert_eq!(facts, Some(format == Format::Json), "{text}");
    }
    let errors = problems("{\"roll_over_holidays\": \"yes\"}", Format::Json);
    assert_eq!(errors.len(), 1);
}

#[test]
fn toml_dates_are_dates() {
    let Ok(facts) = read("as_of = 2026-03-10\n[r]\non = 2026-03-03\n", Format::Toml) else {
        panic!("not read")
    };
    assert_eq!(facts.as_of, NaiveDate::from_ymd_opt(2026, 3, 10));
    let on = NaiveDate::from_ymd_opt(2026, 3, 3).map(|d| Slot::Known(Value::Date(d)));
    assert!(facts.slots.iter().any(|s| Some(s) == on.as_ref()));
}

#[test]
fn a_date_of_the_right_shape_but_not_in_the_calendar_is_told_apart() {
    let message = |date: &str| {
        let text = format!("{{\"as_of\": \"{date}\"}}");
        problems(&text, Format::Json)
            .first()
            .map(|e| e.message.clone())
            .unwrap_or_default()
    };
    assert!(message("2026-02-30").contains("is not a date in the calendar"));
    for shape in [
        "2026-3-01",
        "2026-02-300",
        "2026/02/30",
        "2026-02-3x",
        "20260-2-30",
    ] {
        assert!(
            message(shape).contains("is not written YYYY-MM-DD"),
            "{shape}"
        );
    }
}

/// Every format refuses the same nesting: a value inside 64 levels of
/// collections is read, one level more is not, whether the levels are
/// lists or records.
#[test]
fn every_format_stops_at_the_same_depth() {
    let lists = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
    let records = |n: usize| format!("{}1{}", "{\"a\": ".repeat(n), "}".repeat(n));
    for (levels, readable) in [(tree::MAX_DEPTH, true), (tree::MAX_DEPTH + 1, false)] {
        // The top-level mapping is the first level.
        let inner = levels - 1;
        let texts = [
            (format!("{{\"a\": {}}}", lists(inner)), Format::Json),
            (format!("{{\"a\": {}}}", records(inner)), Format::Json),
            (format!("{{\"a\": {}}}", lists(inner)), Format::Yaml),
            (format!("{{\"a\": {}}}", records(inner)), Format::Yaml),
            (format!("a = {}\n", lists(inner)), Format::Toml),
            (
                format!("{} = 1\n", vec!["a"; levels].join(".")),
                Format::Toml,
            ),
        ];
        for (text, format) in texts {
            let parsed = match format {
                Format::Json => json::parse(&text),
                Format::Yaml => yaml::parse(&text),
                Format::Toml => toml::parse(&text),
            };
            match parsed {
                Ok(_) => assert!(readable, "{format:?} read {levels} levels: {text}"),
                Err(p) => {
                    assert!(
                        !readable,
                        "{format:?} refused {levels} levels: {}",
                        p.message
                    );
                    assert!(p.message.contains("levels deep"), "{}", p.message);
                }
            }
        }
    }
}
