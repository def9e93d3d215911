//! Unit tests of the REPL session, compiled only for `cargo test`.

#[cfg(test)]
use super::*;

const POLICY: &str = r#"
    regulation example {
      title "An example"
      status in force
      effective from 2021-09-01
    }
    enum Role "A role." { provider "Supplies." operator "Runs." }
    facts {
      party "The party." {
        roles: set of Role "Its roles."
      }
      report "The report." {
        received_on: date? "When the report arrived."
        filed_on: date? "When it was filed."
      }
    }
    role provider "A provider." when provider in party.roles
    penalty fine_it "A fine." {
      cite "Art. 9"
      warning
      fine 1,000 to 5,000 CNY on the entity
    }
    rule file_report "File reports." {
      cite "Art. 1"
      applies to provider
      when report.received_on is set
      must "file the report"
      within 2 days of report.received_on
      done on report.filed_on
      penalty fine_it
    }
"#;

fn session() -> Session {
    let policy = Policy::from_sources([("p.deon", POLICY)]).expect("the policy checks");
    let mut session = Session::from_policy(policy);
    let out = session.handle(":asof 2025-03-20");
    assert!(!out.has_errors());
    session
}

fn codes(out: &Output) -> Vec<String> {
    out.problems()
        .map(|p| match p {
            ReplProblem::Input(e) => e.code.clone(),
            ReplProblem::Deon(crate::Problem::Case(e)) => e.code.clone(),
            ReplProblem::Deon(other) => other.to_string(),
        })
        .collect()
}

#[test]
fn expressions_print_their_value_and_type() {
    let mut s = session();
    assert_eq!(s.handle("1 + 2").text(), "3 : int\n");
    assert_eq!(s.handle("report.received_on").text(), "unknown : date\n");
    assert_eq!(s.handle("// a comment").items.len(), 0);
    assert_eq!(s.handle("  ").items.len(), 0);
    let out = s.handle("1 +");
    assert!(out.has_errors());
}

#[test]
fn set_whatif_and_explain() {
    let mut s = session();
    let out = s.handle(
        ":set party.roles = [provider], report.received_on = 2025-03-10; report.filed_on = null",
    );
    assert!(!out.has_errors(), "{out:?}");
    assert_eq!(
        out.text(),
        "  party.roles: unknown → [provider]\n  report.received_on: unknown → 2025-03-10\n  report.filed_on: unknown → null\n"
    );
    assert_eq!(
        s.handle("report.received_on + 2 days").text(),
        "2025-03-12 : date\n"
    );

    let out = s.handle(":whatif report.filed_on = 2025-03-11");
    let text = out.text();
    assert!(text.contains("file_report violated → satisfied"), "{text}");
    assert!(text.contains("fines at stake for all findings"), "{text}");
    // Nothing was kept.
    assert_eq!(s.handle("report.filed_on").text(), "null : date\n");

    let text = s.handle(":explain file_report").text();
    assert!(text.contains("file_report VIOLATED"), "{text}");
    assert!(
        text.contains("When the report arrived [report.received_on] = 2025-03-10"),
        "{text}"
    );
    assert!(text.contains("penalty fine_it"), "{text}");

    let out = s.handle(":unset report");
    assert!(!out.has_errors());
    assert_eq!(s.handle("report.received_on").text(), "unknown : date\n");
}

#[test]
fn typing_mistakes_are_diagnostics_not_failures() {
    let mut s = session();
    for (input, code) in [
        (
            ":set report.recieved_on = 2025-03-10",
            "deon::case::unknown_key",
        ),
        (
            ":set report.received_on = 2025-02-30",
            "deon::case::invalid_date",
        ),
        (":set report.received_on", "deon::repl::usage"),
        (":set", "deon::repl::usage"),
        (
            ":whatif party.roles = [providr]",
            "deon::case::unknown_value",
        ),
        (":explain file_reprt", "deon::repl::unknown_rule"),
        (":rule nothing_like_it", "deon::repl::unknown_rule"),
        (":asof 2025-13-01", "deon::repl::invalid_date"),
        (":facts repot", "deon::repl::unknown_fact"),
        (":evaluate", "deon::repl::unknown_command"),
        (":eval everything", "deon::repl::usage"),
        (":reload", "deon::repl::usage"),
    ] {
        let out = s.handle(input);
        assert_eq!(codes(&out), vec![code.to_string()], "{input}");
    }
    let out = s.handle(":explain file_reprt");
    let Some(ReplProblem::Input(error)) = out.problems().next() else {
        panic!("an input error");
    };
    assert_eq!(error.help.as_deref(), Some("did you mean `file_report`?"));
}

#[test]
fn nothing_loaded_is_explained() {
    let mut s = Session::new();
    assert_eq!(codes(&s.handle("1 + 1")), vec!["deon::repl::no_policies"]);
    assert_eq!(codes(&s.handle(":eval")), vec!["deon::repl::no_policies"]);
    assert!(s.handle(":help").text().contains(":whatif"));
    assert!(s.handle(":quit").quit);
    assert!(s.handle(":q").quit);
}

#[test]
fn the_evaluation_date() {
    let mut s = session();
    assert_eq!(
        s.handle(":asof").text(),
        "evaluating as of 2025-03-20 (set with :asof)\n"
    );
    s.handle(":set as_of = 2025-01-01");
    assert_eq!(
        s.handle(":asof case").text(),
        "evaluating as of 2025-01-01 (the case's as_of)\n"
    );
    assert_eq!(s.handle("today").text(), "2025-01-01 : date\n");
}

#[test]
fn rules_are_shown_as_written() {
    let mut s = session();
    let text = s.handle(":rule file_report").text();
    assert!(text.contains("rule file_report — Art. 1"), "{text}");
    assert!(
        text.contains("  rule file_report \"File reports.\" {"),
        "{text}"
    );
    assert!(
        text.contains("provider — when provider in party.roles"),
        "{text}"
    );
    assert!(
        text.contains("- fine of 1,000 to 5,000 CNY on the entity"),
        "{text}"
    );
    assert!(s.handle(":rule").text().contains("file_report"));
    assert_eq!(
        s.handle(":type report.received_on + 1 day").text(),
        "date\n"
    );
}

#[test]
fn completion_offers_what_fits_the_place() {
    let s = session();
    let complete = |line: &str| s.complete(line, line.len());
    assert_eq!(complete(":wh"), (0, vec![":whatif".to_string()]));
    assert_eq!(complete(":set rep"), (5, vec!["report.".to_string()]));
    assert_eq!(
        complete(":set report.f"),
        (5, vec!["report.filed_on".to_string()])
    );
    assert_eq!(
        complete(":set party.roles = [provider, op"),
        (30, vec!["operator".to_string()])
    );
    assert_eq!(
        complete(":whatif report.filed_on = n"),
        (26, vec!["null".to_string()])
    );
    assert_eq!(
        complete(":explain fi"),
        (9, vec!["file_report".to_string()])
    );
    let (start, words) = complete("report.received_on is set an");
    assert_eq!((start, words), (26, vec!["and".to_string()]));
    let (_, words) = complete("prov");
    assert!(words.contains(&"provider".to_string()), "{words:?}");
    assert_eq!(complete(":help wh"), (6, vec!["whatif".to_string()]));
    // A cursor inside a multi-byte character offers nothing, and does not panic.
    assert_eq!(s.complete("é", 1), (1, Vec::new()));
}

#[test]
fn hints_and_highlighting() {
    let s = session();
    assert_eq!(
        s.hint(":whatif", 7),
        Some(" <fact> = <value>, …".to_string())
    );
    assert_eq!(s.hint(":eval x", 7), None);
    let kinds: Vec<TokenKind> = s
        .highlight_tokens("report.filed_on is set")
        .into_iter()
        .map(|t| t.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![
            TokenKind::Fact,
            TokenKind::Space,
            TokenKind::Keyword,
            TokenKind::Space,
            TokenKind::Keyword
        ]
    );
}

#[test]
fn expressions_count_working_days_on_the_loaded_calendar() {
    let mut session = Session::new();
    assert!(!session.handle(":load policies").has_errors());
    session.handle(":set vulnerability.aware_on = 2025-09-30");
    // 1 October 2025 starts the National Day holiday (1–8 October); the
    // Saturday 11 October is a working day in lieu.
    let out = session.handle("vulnerability.aware_on + 2 working days");
    assert!(!out.has_errors(), "{:?}", out.items);
    assert_eq!(out.text(), "2025-10-10 : date\n");
    let out = session.handle("2025-10-10 - 2 working days");
    assert_eq!(out.text(), "2025-09-30 : date\n");
    // No data for 1990: not a guess, and not a silent unknown either.
    let out = session.handle("1990-01-02 + 1 working day");
    assert_eq!(out.text(), "");
    let message = out.problems().map(|p| p.to_string()).collect::<String>();
    assert!(
        message.contains("working days run into 1990, for which no holiday calendar is loaded"),
        "{message}"
    );
}

#[test]
fn working_days_without_a_calendar_are_refused() {
    let mut session = session();
    let out = session.handle("2025-10-10 + 2 working days");
    assert!(out.has_errors());
}

#[test]
fn explain_shows_what_a_judgement_timing_puts_at_stake() {
    let policy = Policy::from_sources([(
        "p.deon",
        r#"
        regulation example { title "An example" status in force effective from 2021-09-01 }
        facts { x "The case." {
          aware_on: date? "When the party learned of it."
          fixed_on: date? "When it was fixed."
          harm: bool "Harm followed."
        } }
        penalty slow { cite "Art. 9" warning
          tier "on harm" when x.harm { fine 50,000 to 500,000 CNY on the entity } }
        rule fix { cite "Art. 1" from x.aware_on must "fix it" promptly done on x.fixed_on penalty slow }
        "#,
    )])
    .expect("the policy checks");
    let mut s = Session::from_policy(policy);
    let out = s.handle(
        ":set x.aware_on = 2025-03-01, x.fixed_on = null, x.harm = true; as_of = 2025-03-21",
    );
    assert!(!out.has_errors(), "{}", out.text());
    let text = s.handle(":explain fix").text();
    assert!(text.contains("fix NEEDS REVIEW"), "{text}");
    assert!(text.contains("outstanding for 20 days"), "{text}");
    assert!(
        text.contains("aggravating: on harm: Harm followed [x.harm] = true"),
        "{text}"
    );
    assert!(
        text.contains("the entity: none certain; possibly 50,000 to 500,000 CNY"),
        "{text}"
    );
    // One day is a day: the REPL prints these lines as the report does.
    s.handle(":set as_of = 2025-03-02");
    let text = s.handle(":explain fix").text();
    assert!(text.contains("  outstanding for 1 day; any fine"), "{text}");
}
