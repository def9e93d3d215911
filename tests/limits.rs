//! The limits on input: each one enforced, changed with `--limit NAME=VALUE`
//! on the command line and with `deon::Limits` through the library.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use deon::{Format, Limits, Policy};
use miette::Diagnostic;

const BASE: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: bool "A." b: bool "B." s: text? "S." } }
rule one { cite "Art 1" when ((r.a)) and r.b must "do it" done when r.a }
rule two { cite "Art 2" when r.a must "do that" done when r.b }
"#;

fn deon(args: &[&str], input: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if input.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(input) = input {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    child.wait_with_output().expect("the binary finishes")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("limits")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.display().to_string()
}

/// Exit 2 with `code` on standard error, and exit 0 without the flag.
fn refused_only_with(args: &[&str], flag: &str, code: &str) {
    let plain = deon(args, None);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "{args:?}: {}",
        text(&plain.stderr)
    );
    let mut limited = args.to_vec();
    limited.extend(["--limit", flag]);
    let output = deon(&limited, None);
    let err = text(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{flag}: {err}");
    assert!(err.contains(code), "{flag}: expected {code} in {err}");
}

#[test]
fn each_limit_is_enforced_and_changed_with_a_flag() {
    let dir = scratch("flags");
    let policy = write(&dir.join("p.deon"), BASE);
    let case = write(
        &dir.join("c.json"),
        r#"{"r": {"a": true, "b": true, "s": "four"}}"#,
    );
    let check = ["check", policy.as_str()];
    refused_only_with(&check, "policy_file_bytes=100", "deon::io::too_large");
    refused_only_with(&check, "nesting=1", "deon::syntax::too_deep");
    refused_only_with(&check, "expression_operators=0", "deon::syntax::too_long");
    refused_only_with(&check, "rules=1", "deon::limits::too_many");
    refused_only_with(&check, "facts=2", "deon::limits::too_many");
    let eval = [
        "eval",
        policy.as_str(),
        case.as_str(),
        "--as-of",
        "2026-01-01",
    ];
    refused_only_with(&eval, "case_file_bytes=10", "deon::io::too_large");
    refused_only_with(&eval, "string_bytes=3", "deon::case::too_long");
    // Sizes take binary suffixes.
    let output = deon(
        &["check", &policy, "--limit", "policy_file_bytes=1KiB"],
        None,
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));

    // A batch line over the limit is an error record; the rest carry on.
    let lines = write(
        &dir.join("b.jsonl"),
        "{\"r\": {\"a\": true, \"b\": true, \"s\": \"a long text\"}}\n{}\n",
    );
    let output = deon(
        &[
            "eval",
            &policy,
            "--batch",
            &lines,
            "--limit",
            "batch_line_bytes=20",
        ],
        None,
    );
    let out = text(&output.stdout);
    let records: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON lines"))
        .collect();
    assert_eq!(records.len(), 2, "{out}");
    assert_eq!(records[0]["error"]["code"], "deon::batch::line_too_long");
    assert!(records[1]["report"].is_object(), "{out}");

    // errors_shown is the default of --max-errors.
    let broken = write(
        &dir.join("broken.deon"),
        "rule a { x }\nrule b { y }\nrule c { z }\n",
    );
    let output = deon(&["check", &broken, "--limit", "errors_shown=1"], None);
    assert!(
        text(&output.stderr).contains("… and 2 more problems"),
        "{}",
        text(&output.stderr)
    );
    let output = deon(
        &[
            "check",
            &broken,
            "--limit",
            "errors_shown=1",
            "--max-errors",
            "2",
        ],
        None,
    );
    assert!(
        text(&output.stderr).contains("… and 1 more problem\n"),
        "{}",
        text(&output.stderr)
    );

    // The REPL loads under the same limits.
    let output = deon(
        &["repl", "--limit", "rules=1"],
        Some(&format!(":load {policy}\n")),
    );
    assert!(
        text(&output.stderr).contains("deon::limits::too_many"),
        "{}",
        text(&output.stderr)
    );
}

#[test]
fn a_bad_limit_is_refused_with_the_names_or_the_form() {
    for (flag, says) in [
        (
            "lines=3",
            "no limit is called `lines`; the limits are policy_file_bytes",
        ),
        ("rules=lots", "`lots` is not a number"),
        ("rules", "is not NAME=VALUE"),
    ] {
        let output = deon(&["check", "policies", "--limit", flag], None);
        let err = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{flag}: {err}");
        assert!(err.contains(says), "{flag}: {err}");
    }
}

#[test]
fn limits_set_through_the_library_hold_for_the_cases_read() {
    let code = |d: &deon::Diagnostics| -> String {
        d.problems
            .first()
            .and_then(|p| p.code().map(|c| c.to_string()))
            .unwrap_or_default()
    };
    let few_rules = Limits {
        rules: 1,
        ..Limits::default()
    };
    let refused = Policy::from_sources_with_limits([("p.deon", BASE)], few_rules).unwrap_err();
    assert_eq!(code(&refused), "deon::limits::too_many");
    assert!(
        refused.problems[0]
            .to_string()
            .contains("2 rules, more than the 1")
    );

    let short = Limits {
        string_bytes: 4,
        case_file_bytes: 60,
        ..Limits::default()
    };
    let policy = Policy::from_sources_with_limits([("p.deon", BASE)], short).unwrap();
    assert_eq!(policy.limits().string_bytes, 4);
    for (text, ok) in [
        (r#"{"r": {"s": "four"}}"#, true),
        (r#"{"r": {"s": "fives"}}"#, false),
        (r#"{"r": {"s": "fi\u0076es"}}"#, false),
    ] {
        let read = policy.case_from_str("c.json", text, Format::Json);
        assert_eq!(read.is_ok(), ok, "{text}");
        if let Err(e) = read {
            assert_eq!(code(&e), "deon::case::too_long");
        }
    }
    let read = policy.case_from_str("c.yaml", "r: {s: fives}", Format::Yaml);
    assert_eq!(code(&read.unwrap_err()), "deon::case::too_long");

    let dir = scratch("api");
    let big = write(&dir.join("c.json"), &format!("{{{}}}", " ".repeat(100)));
    let err = policy.case_from_file(Path::new(&big)).unwrap_err();
    assert_eq!(code(&err), "deon::io::too_large");

    // The depth limits are clamped to what the stack allows.
    let deep = Limits {
        nesting: 1 << 20,
        expression_operators: 1 << 20,
        ..Limits::default()
    };
    let policy = Policy::from_sources_with_limits([("p.deon", BASE)], deep).unwrap();
    assert_eq!(policy.limits().nesting, Limits::MAX_NESTING);
    assert_eq!(
        policy.limits().expression_operators,
        Limits::MAX_EXPRESSION_OPERATORS
    );
    let chain = vec!["r.a"; Limits::MAX_EXPRESSION_OPERATORS + 2].join(" and ");
    let long = format!("{BASE}define d as {chain}\n");
    let refused = Policy::from_sources_with_limits([("p.deon", long.as_str())], deep).unwrap_err();
    assert_eq!(code(&refused), "deon::syntax::too_long");
    let chain = vec!["r.a"; 300].join(" and ");
    let within = format!("{BASE}define d as {chain}\n");
    assert!(Policy::from_sources([("p.deon", within.as_str())]).is_err());
    assert!(Policy::from_sources_with_limits([("p.deon", within.as_str())], deep).is_ok());

    // A batch reads lines up to the policy set's limit.
    let narrow = Limits {
        batch_line_bytes: 8,
        ..Limits::default()
    };
    let policy = Policy::from_sources_with_limits([("p.deon", BASE)], narrow).unwrap();
    let mut out = Vec::new();
    let summary = deon::batch::run(
        &policy,
        "{}\n{\"r\": {}}\n".as_bytes(),
        &mut out,
        &Default::default(),
    )
    .unwrap();
    assert_eq!((summary.reports, summary.errors), (1, 1), "{}", text(&out));
    assert!(text(&out).contains("deon::batch::line_too_long"));
}

/// The deepest input the limits allow checks, evaluates and reports on a
/// thread with a 2 MiB stack (a batch worker's, a test's, a server's), in
/// any build: the recursive walks grow their stack when it runs low. At the
/// default limits, which the formatter and the editor's analysis use, those
/// walks fit too.
#[test]
fn the_deepest_input_allowed_fits_a_small_thread_stack() {
    let most = Limits {
        expression_operators: Limits::MAX_EXPRESSION_OPERATORS,
        nesting: Limits::MAX_NESTING,
        ..Limits::default()
    };
    for (limits, tools) in [(most, false), (Limits::default(), true)] {
        for text in deepest_policies(limits) {
            let outcome = std::thread::Builder::new()
                .stack_size(2 << 20)
                .spawn(move || walk_everything(&text, limits, tools))
                .unwrap()
                .join()
                .expect("no overflow");
            assert_eq!(outcome, Ok((1, true)));
        }
    }
}

/// Policies at the edge of `limits`: the longest chains of each operator,
/// the deepest brackets, and a 3,000-long chain of definitions.
fn deepest_policies(limits: Limits) -> Vec<String> {
    let base = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: bool "A." b: bool "B." n: int "N." } }
"#;
    let most = limits.expression_operators;
    let mut chain = String::from("define d0 as r.a\n");
    for i in 1..3000 {
        chain.push_str(&format!("define d{i} as d{} and r.b\n", i - 1));
    }
    chain.push_str("define dd as d2999\n");
    let bodies = [
        format!("define dd as {}r.a\n", "not ".repeat(most)),
        format!("define dd as {} > 0\n", vec!["r.n"; most].join(" + ")),
        format!("define dd as {}\n", vec!["r.a"; most + 1].join(" or ")),
        format!(
            "define dd as {}r.a{}\n",
            "(".repeat(limits.nesting),
            ")".repeat(limits.nesting)
        ),
        chain,
    ];
    bodies
        .into_iter()
        .map(|body| {
            format!("{base}{body}rule x {{ cite \"A\" when dd must \"x\" done when r.b }}\n")
        })
        .collect()
}

/// Checks, evaluates, reports and lints `text`; with `tools`, also formats
/// it and runs the editor's analysis over it (index, hover, completion).
fn walk_everything(text: &str, limits: Limits, tools: bool) -> Result<(usize, bool), String> {
    let policy =
        Policy::from_sources_with_limits([("p.deon", text)], limits).map_err(|e| e.to_string())?;
    let case = policy
        .case_from_json(&serde_json::json!({"r": {"a": true, "b": true, "n": 1}}))
        .map_err(|e| e.to_string())?;
    let report = policy.evaluate(&case, None);
    let lint = deon::lint::lint(&policy);
    let mut fine = serde_json::to_string(&report).is_ok();
    if tools {
        let formatted = deon::format_source("p.deon", text).map_err(|e| e.to_string())?;
        let analysis = deon::analysis::Analysis::new([("p.deon", text)], Default::default());
        let middle = text.len() - 40;
        let _ = analysis.hover("p.deon", middle);
        let _ = analysis.completions("p.deon", middle);
        let _ = analysis.references("p.deon", text.find("dd").unwrap_or(0), true);
        fine &= formatted.contains("rule x")
            && analysis.diagnostics().len() == lint.warnings.len()
            && !analysis.symbols("p.deon").is_empty();
    }
    Ok((report.findings.len(), fine))
}

#[test]
fn holiday_calendars_are_read_under_the_policy_file_limit() {
    let dir = scratch("calendar");
    write(&dir.join("p.deon"), BASE);
    std::fs::create_dir_all(dir.join("calendar")).unwrap();
    // A valid calendar file padded with a comment: small enough for the
    // default limit, larger than the one given.
    let calendar = format!(
        "# {}\njurisdiction = \"XX\"\nyear = 2026\nnotice = \"Test\"\nadjusted_working_days = []\n",
        "x".repeat(4000)
    );
    write(&dir.join("calendar").join("2026.toml"), &calendar);
    let folder = dir.display().to_string();
    refused_only_with(
        &["check", &folder],
        "policy_file_bytes=2KiB",
        "deon::io::too_large",
    );
    let output = deon(
        &["check", &folder, "--limit", "policy_file_bytes=2KiB"],
        None,
    );
    assert!(
        text(&output.stderr).contains("2026.toml"),
        "the calendar file is named: {}",
        text(&output.stderr)
    );
}

/// The linter reads every operand of a condition: a fact at the far end of a
/// long `and` chain is read, not reported as unused.
#[test]
fn the_linter_reads_facts_at_the_far_end_of_a_long_chain() {
    let dir = scratch("lint_chain");
    let chain = std::iter::once("r.b")
        .chain(std::iter::repeat_n("r.a", 100))
        .collect::<Vec<_>>()
        .join(" and ");
    let policy = write(
        &dir.join("p.deon"),
        &format!(
            "regulation ex {{ title \"Ex\" status in force effective from 2021-09-01 }}\n\
             facts {{ r \"R.\" {{ a: bool \"A.\" b: bool \"B.\" }} }}\n\
             rule x {{ cite \"A\" when {chain} must \"x\" done when r.a }}\n"
        ),
    );
    let output = deon(&["lint", &policy, "--deny", "warnings"], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}
