//! Hostile input, run through the real binary: every case here once made
//! Deon panic, overflow its stack, block, loop or use unbounded memory. Big
//! inputs are generated here, not stored.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const BASE: &str = r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { a: date? "A." b: bool "B." n: int "N." s: text "S." } }
rule rr "A rule." { cite "Art 1" when r.a is set and r.b must "do it" within 2 days of r.a done when r.a is set on r.a }
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
