//! Hostile input, run through the real binary: every case here once made
//! Deon panic, overflow its stack, block, loop or use unbounded memory. Big
//! inputs are generated here, not stored.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BASE: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: date? "A." b: bool "B." n: int "N." s: text "S." } }
rule rr "A rule." { cite "Art 1" when r.a is set and r.b must "do it" within 2 days of r.a done on r.a }
"#;

fn deon(args: &[&str]) -> Output {
    deon_with_input(args, None)
}

fn deon_with_input(args: &[&str], input: Option<&str>) -> Output {
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
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(input.as_bytes()).unwrap();
    }
    child.wait_with_output().expect("the binary finishes")
}

/// Runs the binary and returns its output with its peak resident memory in
/// megabytes, read from `/proc` while it runs (an address-space limit would
/// measure thread stacks and allocator reservations, not use).
#[cfg(target_os = "linux")]
fn deon_peak_memory(args: &[&str]) -> (Output, u64) {
    let child = Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let status = format!("/proc/{}/status", child.id());
    let watcher = std::thread::spawn(move || {
        let mut peak_kb = 0u64;
        while let Ok(text) = std::fs::read_to_string(&status) {
            if text.contains("State:\tZ") {
                break;
            }
            let hwm = text
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok());
            peak_kb = peak_kb.max(hwm.unwrap_or(0));
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        peak_kb
    });
    let output = child.wait_with_output().expect("the binary finishes");
    (output, watcher.join().unwrap() / 1024)
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A fresh folder for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("hostile")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.display().to_string()
}

/// A clean failure: exit 2, a diagnostic with `code`, and no panic.
fn assert_refused(output: &Output, code: &str) {
    let err = stderr(output);
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert!(err.contains(code), "expected {code} in:\n{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_label_past_column_65535_is_drawn_on_a_cut_line() {
    let dir = scratch("long_line");
    let case = write(
        &dir.join("case.json"),
        &format!("{{{}\"zz\": 1}}", " ".repeat(70_000)),
    );
    let output = deon(&["eval", "tests/fixtures/eval/policy", &case]);
    assert_refused(&output, "deon::case::unknown_key");
    let err = stderr(&output);
    assert!(err.contains("case.json:1:70002]"), "{err}");
    assert!(err.contains("…"), "{err}");
    assert!(err.len() < 2_000, "{} bytes:\n{err}", err.len());

    let policy = write(
        &dir.join("p.deon"),
        &format!("{BASE}define d as{}zz\n", " ".repeat(70_000)),
    );
    assert_refused(&deon(&["check", &policy]), "deon::check::unknown_name");

    let line = format!("r.b = {}zz\n", " ".repeat(70_000));
    let output = deon_with_input(&["repl", &policy], Some(&line));
    assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
}

#[test]
fn long_operator_chains_are_refused_not_overflowing_the_stack() {
    let dir = scratch("chains");
    let chains = [
        format!("r.b{}", " and r.b".repeat(5_000)),
        format!("r.b{}", " or r.b".repeat(5_000)),
        format!("{}r.b", "not ".repeat(5_000)),
        format!("r.n{} > 0", " + 1".repeat(5_000)),
        format!("r.a{}", " is set".repeat(5_000)),
    ];
    for chain in &chains {
        let policy = write(&dir.join("p.deon"), &format!("{BASE}define d as {chain}\n"));
        assert_refused(&deon(&["check", &policy]), "deon::syntax::too_long");
        let output = deon_with_input(&["repl", &policy], Some(&format!("{chain}\n")));
        assert_refused(&output, "deon::syntax::too_long");
    }
    // Just under the limit, nested in brackets as deep as allowed, still works.
    let chain = format!("r.b{}", " and r.b".repeat(200));
    let nested = format!("{}{chain}{}", "(".repeat(60), ")".repeat(60));
    let policy = write(
        &dir.join("ok.deon"),
        &format!("{BASE}define d as {nested}\n"),
    );
    let output = deon(&["check", &policy]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[cfg(target_os = "linux")]
#[test]
fn checking_a_long_expression_does_not_copy_its_text_per_node() {
    // 250 operators with 8 KB comments between them: 2 MB of policy. When
    // every checked node copied its own text this took over 250 MB.
    let dir = scratch("quadratic");
    let pad = format!(" // {}\n", "x".repeat(8_000));
    let chain = format!("r.b{}", format!("{pad}and r.b").repeat(250));
    let policy = write(&dir.join("p.deon"), &format!("{BASE}define d as {chain}\n"));
    let (output, megabytes) = deon_peak_memory(&["check", &policy]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(megabytes > 0 && megabytes < 120, "peak {megabytes} MB");
}

#[cfg(unix)]
#[test]
fn devices_pipes_and_links_to_them_are_refused_without_reading() {
    let output = deon(&["eval", "tests/fixtures/eval/policy", "/dev/zero"]);
    assert_refused(&output, "deon::io::not_a_file");
    assert_refused(&deon(&["check", "/dev/zero"]), "deon::io::not_a_file");
    assert_refused(&deon(&["test", "/dev/zero"]), "");

    let dir = scratch("special");
    write(&dir.join("base.deon"), BASE);
    std::os::unix::fs::symlink("/dev/zero", dir.join("zero.deon")).unwrap();
    assert_refused(
        &deon(&["check", dir.to_str().unwrap()]),
        "deon::io::not_a_file",
    );

    let fifo = dir.join("case.json");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    // A FIFO nobody writes to would block a reader forever.
    let output = deon(&["eval", "tests/fixtures/eval/policy", fifo.to_str().unwrap()]);
    assert_refused(&output, "named pipe");

    let output = deon_with_input(
        &["repl", "tests/fixtures/eval/policy"],
        Some(":load /dev/zero\n:case /dev/zero\n"),
    );
    let err = stderr(&output);
    assert_eq!(err.matches("deon::io::not_a_file").count(), 2, "{err}");
}

#[cfg(unix)]
#[test]
fn links_back_up_a_policy_folder_are_followed_once() {
    let dir = scratch("loops");
    write(&dir.join("base.deon"), BASE);
    std::os::unix::fs::symlink(".", dir.join("self")).unwrap();
    std::os::unix::fs::symlink(".", dir.join("again")).unwrap();
    std::fs::create_dir(dir.join("sub")).unwrap();
    std::os::unix::fs::symlink("..", dir.join("sub/up")).unwrap();
    let output = deon(&["check", dir.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("checked 1 file"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn the_same_file_given_twice_is_read_once() {
    let dir = scratch("twice");
    let policy = write(&dir.join("a.deon"), BASE);
    let folder = dir.display().to_string();
    let output = deon(&["check", &policy, &policy, &folder]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("checked 1 file"),
        "{}",
        stdout(&output)
    );
    let output = deon(&["check", "policies", "policies/cn"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn hundreds_of_errors_on_one_line_are_capped_and_cut() {
    let dir = scratch("many_errors");
    let errors: String = (0..300).map(|i| format!("define d{i} as zz ")).collect();
    let policy = write(&dir.join("p.deon"), &format!("{BASE}{errors}\n"));
    let output = deon(&["check", &policy]);
    assert_refused(&output, "… and 250 more problems");
    let err = stderr(&output);
    assert_eq!(err.matches("deon::check::unknown_name").count(), 50);
    // Each error shows a window of its line, not the whole 6 KB line.
    assert!(err.len() < 50 * 1_500, "{} bytes", err.len());

    let output = deon(&["check", "--max-errors", "70", &policy]);
    assert_eq!(
        stderr(&output).matches("deon::check::unknown_name").count(),
        70
    );
}

#[test]
fn thousands_of_errors_as_json_are_all_placed_on_their_lines() {
    // JSON diagnostics are not capped. Each used to be placed by reading the
    // file from its start, and each unknown name compared with every
    // definition for a hint: 2,000 problems in a 300 KB file took seconds.
    let dir = scratch("many_errors_json");
    let errors: String = (0..2_000)
        .map(|i| {
            format!(
                "define zz{i}q as {}r.s = \"é→\" and zz{i}\n",
                "r.b and ".repeat(16)
            )
        })
        .collect();
    let text = format!("{BASE}{errors}");
    let policy = write(&dir.join("p.deon"), &text);
    let output = deon(&["check", "--error-format", "json", &policy]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let lines: Vec<serde_json::Value> = stderr(&output)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 2_000);
    for (i, problem) in lines.iter().enumerate() {
        let needle = format!(" zz{i}\n");
        // Hints compare a name with every other: only the first ones get one.
        let hinted = problem["help"]
            .as_str()
            .is_some_and(|h| h.contains("did you mean"));
        assert_eq!(hinted, i < 100, "{problem}");
        let at = text.find(&needle).unwrap() + 1;
        let before = &text[..at];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap().chars().count() + 1;
        assert_eq!(problem["span"]["start"], at, "{problem}");
        assert_eq!(problem["start"]["line"], line, "{problem}");
        assert_eq!(problem["start"]["column"], column, "{problem}");
    }
}

#[test]
fn control_characters_from_a_case_are_shown_escaped() {
    let dir = scratch("escapes");
    let policy = write(
        &dir.join("p.deon"),
        &format!(
            "{BASE}enum Kind \"K.\" {{ a \"A.\" }}\nfacts {{ k \"K.\" {{ kind: Kind \"K.\" }} }}\n"
        ),
    );
    let cases = [
        r#"{"k": {"kind": "\u001b]52;c;aGk=\u0007"}}"#.to_string(),
        r#"{"\u001b[2J": 1}"#.to_string(),
        "k:\n  kind: \"\u{1b}]0;title\u{7}\u{9b}2J\"\n".to_string(),
    ];
    for (i, case) in cases.iter().enumerate() {
        let ext = if i == 2 { "yaml" } else { "json" };
        let path = write(&dir.join(format!("c{i}.{ext}")), case);
        let output = deon(&["eval", &policy, &path]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{err}");
        assert!(
            !err.contains('\u{1b}') && !err.contains('\u{9b}'),
            "{err:?}"
        );
        assert!(err.contains("\\u{1b}"), "{err}");
    }
    let reads_text = write(
        &dir.join("text.deon"),
        &format!("{BASE}rule rs {{ cite \"Art 2\" when r.s = \"x\" must \"x\" done when r.b }}\n"),
    );
    let text = write(
        &dir.join("t.json"),
        r#"{"r": {"s": "\u001b[2Jcleared", "b": true, "a": null, "n": 1}}"#,
    );
    let out = stdout(&deon(&["eval", &reads_text, &text, "-v"]));
    assert!(!out.contains('\u{1b}'), "{out:?}");
    assert!(out.contains("\\u{1b}[2Jcleared"), "{out}");
    let json = stdout(&deon(&[
        "eval",
        &reads_text,
        &text,
        "--format",
        "json",
        "-v",
    ]));
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert!(parsed.to_string().contains("\\u001b[2Jcleared"), "{json}");
}

#[test]
fn dates_are_exactly_yyyy_mm_dd_and_durations_never_negative() {
    let dir = scratch("lenient");
    let policy = write(&dir.join("p.deon"), BASE);
    for date in [
        "2026-3-1",
        "+10000-01-01",
        "-0001-01-01",
        " 2021-01-01 ",
        "+262142-12-31",
    ] {
        let case = write(
            &dir.join("c.json"),
            &format!(r#"{{"r": {{"a": "{date}"}}}}"#),
        );
        assert_refused(&deon(&["eval", &policy, &case]), "deon::case::invalid_date");
    }
    let case = write(&dir.join("ok.json"), r#"{"r": {"a": "2021-01-01"}}"#);
    assert_eq!(deon(&["eval", &policy, &case]).status.code(), Some(0));
    for number in ["1e2", "9223372036854775808"] {
        let case = write(
            &dir.join("n.json"),
            &format!(r#"{{"r": {{"n": {number}}}}}"#),
        );
        let output = deon(&["eval", &policy, &case]);
        assert_refused(&output, "deon::case::wrong_type");
        assert!(
            stderr(&output).contains(&format!("the number {number}")),
            "{}",
            stderr(&output)
        );
    }
}

#[test]
fn a_byte_order_mark_is_accepted_by_every_case_format() {
    let dir = scratch("bom");
    let policy = write(&dir.join("p.deon"), BASE);
    for (ext, text) in [
        ("json", r#"{"r": {"b": true}}"#),
        ("yaml", "r:\n  b: true\n"),
        ("toml", "[r]\nb = true\n"),
    ] {
        let case = write(&dir.join(format!("c.{ext}")), &format!("\u{feff}{text}"));
        let output = deon(&["eval", &policy, &case]);
        assert_eq!(output.status.code(), Some(0), "{ext}: {}", stderr(&output));
    }
}

#[test]
fn a_deadline_past_the_countable_dates_needs_review_not_a_fact() {
    let dir = scratch("overflow");
    let policy = write(
        &dir.join("p.deon"),
        &BASE.replace("within 2 days", "within 999999999999 days"),
    );
    let case = write(
        &dir.join("c.json"),
        r#"{"r": {"a": "2021-09-01", "b": true}}"#,
    );
    let output = deon(&["eval", &policy, &case, "--strict"]);
    let out = stdout(&output);
    assert!(out.contains("NEEDS REVIEW"), "{out}");
    assert!(out.contains("outside the dates Deon can count"), "{out}");
    assert!(!out.contains("CONDITIONAL"), "{out}");
}

#[test]
fn a_huge_unknown_value_is_clipped_and_cheap() {
    let dir = scratch("huge_value");
    let policy = write(
        &dir.join("p.deon"),
        &format!(
            "{BASE}enum Kind \"K.\" {{ a \"A.\" }}\nfacts {{ k \"K.\" {{ kind: Kind \"K.\" }} }}\n"
        ),
    );
    let huge = "x".repeat(2_000_000);
    let case = write(
        &dir.join("c.json"),
        &format!(r#"{{"k": {{"kind": "{huge}"}}, "{huge}": 1}}"#),
    );
    let output = deon(&["eval", &policy, &case]);
    assert_refused(&output, "characters in all");
    assert!(
        stderr(&output).len() < 10_000,
        "{} bytes",
        stderr(&output).len()
    );
}

#[test]
fn input_cut_off_by_the_end_says_what_is_left_open() {
    let dir = scratch("eof");
    let policy = write(&dir.join("p.deon"), BASE);
    for (input, expected) in [
        ("r.a + (2 days\n", "the input ends before `(` is closed"),
        (
            "r.b and\n",
            "the input ends after `and`, which needs something after it",
        ),
        (":set r.s = \"open\n", "the input ends inside a quoted text"),
        (
            "r.b or (r.b and\n  r.b\n",
            "the input ends before `(` is closed",
        ),
        ("1 + 2\nr.b and", "the input ends after `and`"),
    ] {
        let output = deon_with_input(&["repl", &policy], Some(input));
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{input:?}: {err}");
        assert!(err.contains("deon::repl::unfinished_input"), "{err}");
        assert!(err.contains(expected), "{input:?}: {err}");
        assert!(!err.contains("join conditions"), "{err}");
    }
    // The last entry needs no newline, and a finished script exits 0.
    let output = deon_with_input(&["repl", &policy], Some("1 + 2"));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).ends_with("3 : int\n"),
        "{}",
        stdout(&output)
    );
    let output = deon_with_input(&["repl", &policy], Some(""));
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

#[test]
fn arithmetic_out_of_range_needs_review_naming_the_cause() {
    let dir = scratch("expr_overflow");
    let policy = write(
        &dir.join("p.deon"),
        &format!(
            "{BASE}rule big {{ cite \"Art 3\" when r.n + 1 > 0 must \"count\" done when r.b }}\n\
             rule far {{ cite \"Art 4\" when r.a is set and r.a + 999999999 days > 2021-01-01 must \"wait\" done when r.b }}\n\
             rule cut {{ cite \"Art 5\" when r.n + 1 > 0 and r.s = \"no\" must \"skip\" done when r.b }}\n"
        ),
    );
    let case = write(
        &dir.join("c.json"),
        r#"{"r": {"n": 9223372036854775807, "a": "2021-09-01", "b": true, "s": "x"}}"#,
    );
    let json = stdout(&deon(&[
        "eval",
        &policy,
        &case,
        "--format",
        "json",
        "--as-of",
        "2026-01-01",
    ]));
    let report: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    let finding = |rule: &str| {
        report["findings"]
            .as_array()
            .and_then(|all| all.iter().find(|f| f["rule"] == rule))
            .cloned()
            .unwrap_or_else(|| panic!("no finding for {rule}: {json}"))
    };
    let big = finding("big");
    assert_eq!(big["status"], "needs_review", "{big}");
    let summary = big["summary"].as_str().unwrap_or_default();
    assert!(
        summary.contains("`r.n + 1 > 0` cannot be worked out"),
        "{summary}"
    );
    assert!(summary.contains("9223372036854775807"), "{summary}");
    let far = finding("far");
    assert_eq!(far["status"], "needs_review", "{far}");
    assert!(
        far["summary"]
            .as_str()
            .unwrap_or_default()
            .contains("a date falls outside"),
        "{far}"
    );
    // `false and …` decides without the value out of range.
    assert_eq!(finding("cut")["status"], "not_applicable");

    let human = stdout(&deon(&["eval", &policy, &case, "--as-of", "2026-01-01"]));
    assert!(human.contains("NEEDS REVIEW"), "{human}");
    assert!(!human.contains("CONDITIONAL"), "{human}");

    // The REPL says why, instead of `unknown : int`.
    let output = deon_with_input(
        &["repl", &policy, &case],
        Some("r.n + 1\nr.a + 999999999 days\nr.n + 1 > 0 or true\n"),
    );
    let (out, err) = (stdout(&output), stderr(&output));
    assert_eq!(output.status.code(), Some(2), "{err}");
    assert_eq!(err.matches("deon::repl::out_of_range").count(), 2, "{err}");
    assert!(err.contains("goes past 9223372036854775807"), "{err}");
    assert!(!out.contains("unknown"), "{out}");
    assert!(out.contains("true : bool"), "{out}");
}

#[test]
fn as_of_on_the_command_line_is_exactly_yyyy_mm_dd() {
    let dir = scratch("as_of");
    let policy = write(&dir.join("p.deon"), BASE);
    let case = write(&dir.join("c.json"), r#"{"r": {"b": true}}"#);
    for date in [
        "2026-3-1",
        "+10000-01-01",
        " 2026-03-01",
        "2026-03-01 ",
        "2026-02-30",
        "20260301",
    ] {
        let output = deon(&["eval", &policy, &case, "--as-of", date]);
        let err = stderr(&output);
        assert_eq!(output.status.code(), Some(2), "{date:?}: {err}");
        assert!(
            err.contains("is not a date written YYYY-MM-DD"),
            "{date:?}: {err}"
        );
    }
    let output = deon(&["diff", &policy, "--from", "2026-1-1", "--to", "2026-02-01"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let output = deon(&["eval", &policy, &case, "--as-of", "2026-03-01"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(
        stdout(&output).contains("2026-03-01"),
        "{}",
        stdout(&output)
    );
}

#[test]
fn control_characters_are_escaped_in_every_human_output() {
    let dir = scratch("escapes_everywhere");
    let old = dir.join("old");
    let new = dir.join("new");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::create_dir_all(&new).unwrap();
    write(&old.join("p.deon"), BASE);
    let hostile = format!(
        "{BASE}rule esc \"Clears \u{1b}[2J the screen.\" {{ allow missing_citation \"\u{1b}]0;title\u{7}\" must \"do \u{1b}[2J \u{9b}it\" done when r.b }}\n"
    );
    let policy = write(&new.join("p.deon"), &hostile);
    write(
        &new.join("p.test.yaml"),
        "- name: \"named \\e[2J here\"\n  as_of: 2026-03-10\n  case: {r: {b: false}}\n  expect:\n    esc: {status: satisfied}\n",
    );
    let (old_dir, new_dir) = (old.display().to_string(), new.display().to_string());
    let runs: Vec<(&str, Vec<&str>)> = vec![
        ("diff", vec!["diff", &old_dir, &new_dir]),
        ("lint", vec!["lint", &policy, "--show-allowed"]),
        ("test", vec!["test", &new_dir]),
        ("doc", vec!["doc", &policy]),
        ("explain", vec!["explain", "\u{1b}[2Jconflict"]),
        (
            "calendar",
            vec!["calendar", "\u{1b}[2Jcn", "2026", "--policies", &new_dir],
        ),
    ];
    for (name, args) in runs {
        let output = deon(&args);
        let shown = format!("{}{}", stdout(&output), stderr(&output));
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\u{9b}') && !shown.contains('\u{7}'),
            "{name}: {shown:?}"
        );
        assert!(
            shown.contains("\\u{1b}"),
            "{name} shows the text escaped: {shown}"
        );
    }
    // JSON stays JSON, with the text intact.
    for args in [
        vec!["diff", &old_dir, &new_dir, "--format", "json"],
        vec!["test", &new_dir, "--format", "json"],
    ] {
        let out = stdout(&deon(&args));
        let parsed: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
        assert!(parsed.to_string().contains("\\u001b"), "{args:?}: {out}");
    }
}
