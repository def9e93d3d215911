//! `deon eval --batch`: one record per case line, in order, whatever the lines hold.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

#[path = "../benches/gen/mod.rs"]
mod casegen;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use deon::{Format, Policy};
use serde_json::Value;

fn deon(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // A run that stops early (bad policies) closes its end: not a failure here.
        let _ = pipe.write_all(text.as_bytes());
    }
    child.wait_with_output().expect("the binary finishes")
}

fn records(output: &Output) -> Vec<Value> {
    String::from_utf8(output.stdout.clone())
        .expect("the output is UTF-8")
        .lines()
        .map(|l| serde_json::from_str(l).expect("every output line is JSON"))
        .collect()
}

fn temp_file(name: &str, contents: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("deon-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

const GOOD: &str = r#"{"as_of": "2026-03-10", "party": {"roles": ["product_provider"], "kind": "organisation", "active_in_mainland": true}}"#;

/// A batch mixing good cases with every kind of broken line.
fn mixed_batch() -> (String, Vec<(u64, &'static str)>) {
    let lines: Vec<(&str, Option<&'static str>)> = vec![
        (GOOD, Some("report")),
        ("{not json", Some("deon::case::syntax")),
        ("", None),
        (
            r#"{"party": {"roles": "provider"}}"#,
            Some("deon::case::wrong_type"),
        ),
        ("   \t", None),
        (r#"{"vulnerabilty": {}}"#, Some("deon::case::unknown_key")),
        ("[1, 2, 3]", Some("deon::case::not_a_map")),
        (
            r#"{"vulnerability": {"aware_on": "2025-02-30"}}"#,
            Some("deon::case::invalid_date"),
        ),
        (GOOD, Some("report")),
        (r#"{"a": 1} trailing"#, Some("deon::case::syntax")),
        ("null", Some("deon::case::not_a_map")),
        (GOOD, Some("report")),
    ];
    let text = lines.iter().map(|(l, _)| *l).collect::<Vec<_>>().join("\n");
    let expected = lines
        .iter()
        .enumerate()
        .filter_map(|(i, (_, kind))| kind.map(|k| (i as u64 + 1, k)))
        .collect();
    (text, expected)
}

fn check_mixed(found: &[Value], expected: &[(u64, &str)]) {
    assert_eq!(found.len(), expected.len(), "one record per case line");
    for (record, (line, kind)) in found.iter().zip(expected) {
        assert_eq!(record["line"], *line, "{record}");
        if *kind == "report" {
            assert!(record["report"]["findings"].is_array(), "{record}");
        } else {
            let error = &record["error"];
            assert_eq!(error["code"], *kind, "{record}");
            assert_eq!(error["line"], *line);
            assert!(error["column"].as_u64().is_some_and(|c| c >= 1));
            assert!(error["message"].as_str().is_some_and(|m| !m.is_empty()));
            assert!(error.get("help").is_some(), "help is always present");
        }
    }
}

#[test]
fn broken_lines_get_error_records_and_the_batch_goes_on() {
    let (text, expected) = mixed_batch();
    let path = temp_file("mixed.jsonl", text.as_bytes());
    let output = deon(
        &["eval", "policies", "--batch", path.to_str().unwrap()],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    check_mixed(&records(&output), &expected);
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let (text, expected) = mixed_batch();
    let output = deon(&["eval", "policies", "--batch", "-"], Some(&text));
    assert_eq!(output.status.code(), Some(0));
    check_mixed(&records(&output), &expected);
}

#[test]
fn error_columns_point_into_the_line() {
    let line = r#"{"party": {"kind": "company"}}"#;
    let output = deon(&["eval", "policies", "--batch", "-"], Some(line));
    let found = records(&output);
    assert_eq!(found[0]["error"]["code"], "deon::case::unknown_value");
    let column = found[0]["error"]["column"].as_u64().unwrap() as usize;
    assert_eq!(&line[column - 1..column + 8], "\"company\"");
}

#[test]
fn invalid_utf8_and_crlf_lines_are_handled() {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(GOOD.as_bytes());
    bytes.extend_from_slice(b"\r\n{\"a\": \"\xff\"}\r\n");
    bytes.extend_from_slice(GOOD.as_bytes());
    let path = temp_file("bytes.jsonl", &bytes);
    let output = deon(
        &["eval", "policies", "--batch", path.to_str().unwrap()],
        None,
    );
    let found = records(&output);
    assert_eq!(found.len(), 3);
    assert!(found[0]["report"].is_object());
    assert_eq!(found[1]["error"]["code"], "deon::batch::invalid_utf8");
    assert_eq!(found[1]["error"]["column"], 8);
    assert!(found[2]["report"].is_object());
}

#[test]
fn a_batch_file_may_begin_with_a_byte_order_mark() {
    let mut bytes = "\u{feff}".as_bytes().to_vec();
    bytes.extend_from_slice(format!("{GOOD}\n{GOOD}\n").as_bytes());
    let path = temp_file("bom.jsonl", &bytes);
    let output = deon(
        &["eval", "policies", "--batch", path.to_str().unwrap()],
        None,
    );
    let found = records(&output);
    assert_eq!(found.len(), 2);
    assert!(found.iter().all(|r| r["report"].is_object()), "{found:?}");
}

#[test]
fn batch_flags_filter_and_fail() {
    let output = deon(
        &[
            "eval",
            "policies",
            "--batch",
            "-",
            "--status",
            "pending",
            "--as-of",
            "2026-03-11",
        ],
        Some(
            r#"{"party": {"roles": ["product_provider"], "kind": "organisation", "active_in_mainland": true}, "vulnerability": {"aware_on": "2026-03-10", "filed_with_miit_on": null}}"#,
        ),
    );
    assert_eq!(output.status.code(), Some(0));
    let found = records(&output);
    assert_eq!(found[0]["report"]["as_of"], "2026-03-11");
    let findings = found[0]["report"]["findings"].as_array().unwrap();
    assert!(!findings.is_empty());
    assert!(findings.iter().all(|f| f["status"] == "pending"));

    let failing = deon(
        &["eval", "policies", "--batch", "-", "--fail-on", "violated"],
        Some(&casegen::jsonl(20, 3)),
    );
    assert_eq!(failing.status.code(), Some(3));

    let strict = deon(
        &["eval", "policies", "--batch", "-", "--strict"],
        Some(GOOD),
    );
    assert_eq!(strict.status.code(), Some(0));
    assert_eq!(
        records(&strict)[0]["error"]["code"],
        "deon::batch::unknown_facts"
    );
}

#[test]
fn bad_policies_exit_2_and_a_case_is_not_allowed_with_batch() {
    let output = deon(
        &["eval", "tests/fixtures/check", "--batch", "-"],
        Some(GOOD),
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let both = deon(
        &[
            "eval",
            "policies",
            "examples/cases/provider_on_time.yaml",
            "--batch",
            "-",
        ],
        Some(GOOD),
    );
    assert_eq!(both.status.code(), Some(2));
    let neither = deon(&["eval", "policies"], None);
    assert_eq!(neither.status.code(), Some(2));
}

#[test]
fn a_large_batch_matches_single_case_evaluation() {
    let policy = Policy::load(["policies"]).unwrap();
    let text = casegen::jsonl(2_000, 42);
    let mut out = Vec::new();
    let options = deon::batch::Options {
        threads: 3,
        ..Default::default()
    };
    let summary = deon::batch::run(&policy, text.as_bytes(), &mut out, &options).unwrap();
    assert_eq!(summary.lines, 2_000);
    assert_eq!(summary.reports, 2_000);
    assert_eq!(summary.errors, 0);
    let out = String::from_utf8(out).unwrap();
    let mut count = 0;
    for (i, (input, output)) in text.lines().zip(out.lines()).enumerate() {
        let case = policy
            .case_from_str("case.json", input, Format::Json)
            .unwrap();
        // A batch explains the findings that need attention (the default level).
        let single = policy.decide(&case, None).explained(deon::Explain::Failing);
        let single = serde_json::to_value(single.report()).unwrap();
        let record: Value = serde_json::from_str(output).unwrap();
        assert_eq!(record["line"], i as u64 + 1);
        assert_eq!(record["report"], single, "line {}", i + 1);
        count += 1;
    }
    assert_eq!(count, 2_000);
}

#[test]
fn the_command_line_batch_matches_the_library() {
    let text = casegen::jsonl(500, 9);
    let path = temp_file("gen.jsonl", text.as_bytes());
    let output = deon(
        &[
            "eval",
            "policies",
            "--batch",
            path.to_str().unwrap(),
            "--threads",
            "2",
        ],
        None,
    );
    assert_eq!(output.status.code(), Some(0));
    let policy = Policy::load(["policies"]).unwrap();
    let mut expected = Vec::new();
    deon::batch::run(&policy, text.as_bytes(), &mut expected, &Default::default()).unwrap();
    assert_eq!(output.stdout, expected);
}
