//! The linter: a snapshot per lint fixture, the conflict search confirmed by
//! `deon eval`, `allow`, `--deny warnings`, `deon explain` and
//! `--error-format json`.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::path::Path;
use std::process::{Command, Output};

use deon::Policy;

fn deon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[test]
fn lint_fixtures() {
    insta::glob!("fixtures/lint/*.deon", |path| {
        let input = std::fs::read_to_string(path).expect("fixture is readable");
        let policy =
            Policy::from_sources([(file_name(path), input.as_str())]).expect("lint fixtures check");
        let report = deon::lint::lint(&policy);
        let mut output: Vec<String> = report
            .warnings
            .iter()
            .map(|w| deon::render::diagnostic(w, false))
            .collect();
        for allowed in &report.allowed {
            output.push(format!(
                "allowed in `{}` ({}): {}",
                allowed.rule, allowed.reason, allowed.warning
            ));
        }
        let mut settings = insta::Settings::clone_current();
        settings.set_input_file(path);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!(
                "lint",
                format!("{input}\n──────── output ────────\n{}", output.join("\n"))
            );
        });
    });
}

#[test]
fn every_lint_code_has_a_fixture_or_a_reason() {
    let mut seen = String::new();
    for entry in std::fs::read_dir("tests/fixtures/lint").unwrap() {
        let path = entry.unwrap().path();
        let input = std::fs::read_to_string(&path).unwrap();
        let policy = Policy::from_sources([(file_name(&path), input.as_str())]).unwrap();
        let report = deon::lint::lint(&policy);
        for w in report
            .warnings
            .iter()
            .chain(report.allowed.iter().map(|a| &a.warning))
        {
            seen.push_str(&miette::Diagnostic::code(w).unwrap().to_string());
            seen.push('\n');
        }
    }
    // The checker already refuses every unguarded optional read: that lint
    // cannot fire on a policy that checks today.
    let unreachable = ["unguarded_anchor"];
    for code in deon::lint::LintCode::ALL {
        if unreachable.contains(&code.name()) {
            continue;
        }
        assert!(
            seen.contains(code.as_str()),
            "no fixture triggers {}",
            code.as_str()
        );
    }
    assert!(seen.contains("deon::check::missing_citation"));
}

#[test]
fn a_planted_conflict_comes_with_a_case_that_eval_confirms() {
    let dir = std::env::temp_dir().join(format!("deon-lint-examples-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let policy = "tests/fixtures/lint/conflict.deon";
    let output = deon(&["lint", policy, "--examples", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("deon::lint::conflict"));
    let case = dir.join("1-conflict.json");
    let output = deon(&["eval", policy, case.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&output.stdout), text(&output.stderr)));
    let status = |rule: &str| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["rule"] == rule)
            .map(|f| f["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    for rule in ["must_publish", "no_early_publication"] {
        let status = status(rule);
        assert!(
            !["not_applicable", "exempt", "not_in_force"].contains(&status.as_str()),
            "{rule} should bind in the example case, but is {status}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn an_exception_that_separates_the_rules_is_no_conflict() {
    let policy = Policy::load(["tests/fixtures/lint/no_conflict_exception.deon"]).unwrap();
    assert!(deon::lint::lint(&policy).warnings.is_empty());
}

#[test]
fn deny_warnings_fails_and_show_allowed_gives_the_reason() {
    let output = deon(&[
        "lint",
        "--deny",
        "warnings",
        "tests/fixtures/lint/unused_fact.deon",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let output = deon(&["lint", "tests/fixtures/lint/unused_fact.deon"]);
    assert_eq!(output.status.code(), Some(0));

    let allowed = "tests/fixtures/lint/conflict_allowed.deon";
    let output = deon(&["lint", "--deny", "warnings", "--show-allowed", allowed]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let out = text(&output.stdout);
    assert!(out.contains("allowed in rule `must_publish`"), "{out}");
    assert!(
        out.contains("the regulator has not said which prevails"),
        "{out}"
    );
    assert!(out.contains("no warnings (1 allowed)"), "{out}");
}

#[test]
fn shipped_policies_lint_clean() {
    let output = deon(&["lint", "--deny", "warnings", "policies"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
}

#[test]
fn check_shows_lint_warnings() {
    let output = deon(&["check", "tests/fixtures/lint/never_holds.deon"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stderr).contains("deon::lint::never_holds"));
    assert!(text(&output.stdout).contains("1 warning"));
}

#[test]
fn explain_prints_every_code() {
    for code in deon::lint::LintCode::ALL {
        let output = deon(&["explain", code.name()]);
        assert_eq!(output.status.code(), Some(0));
        let out = text(&output.stdout);
        assert!(out.starts_with(code.as_str()), "{out}");
        assert!(out.contains("Example"), "{out}");
    }
    let output = deon(&["explain", "deon::check::missing_citation"]);
    assert!(text(&output.stdout).contains("cite"));
    let output = deon(&["explain", "no_such_thing"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("conflict"));
}

#[test]
fn error_format_json_gives_one_object_per_diagnostic() {
    let output = deon(&[
        "lint",
        "--error-format",
        "json",
        "tests/fixtures/lint/never_fires.deon",
    ]);
    let lines: Vec<serde_json::Value> = text(&output.stderr)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    let first = &lines[0];
    assert_eq!(first["code"], "deon::lint::never_fires");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["file"], "tests/fixtures/lint/never_fires.deon");
    assert_eq!(first["start"]["line"], 28);
    assert_eq!(first["start"]["column"], 3);
    let (start, end) = (
        first["span"]["start"].as_u64().unwrap(),
        first["span"]["end"].as_u64().unwrap(),
    );
    let source = std::fs::read_to_string("tests/fixtures/lint/never_fires.deon").unwrap();
    assert_eq!(
        &source[start as usize..end as usize],
        "unless provider not in party.roles"
    );
    assert!(first["help"].as_str().unwrap().contains("exempts nobody"));

    // Errors in a case, through `deon eval`, with columns in characters.
    let output = deon(&[
        "eval",
        "--error-format",
        "json",
        "tests/fixtures/eval/policy",
        "tests/fixtures/eval/error_wrong_type.yaml",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let first: serde_json::Value =
        serde_json::from_str(text(&output.stderr).lines().next().unwrap()).unwrap();
    assert_eq!(first["severity"], "error");
    assert!(first["code"].as_str().unwrap().starts_with("deon::case::"));
    assert!(first["start"]["line"].as_u64().unwrap() >= 1);

    // `deon check` on a file with Chinese text before the error.
    let output = deon(&[
        "check",
        "--error-format",
        "json",
        "tests/fixtures/check/error_chinese_columns.deon",
    ]);
    let first: serde_json::Value =
        serde_json::from_str(text(&output.stderr).lines().next().unwrap()).unwrap();
    assert_eq!(first["start"]["line"], 8);
    assert_eq!(first["start"]["column"], 37);
    assert_eq!(first["end"]["column"], 39);
}
