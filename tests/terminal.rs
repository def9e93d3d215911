//! The `deon` binary as people meet it at a terminal: help with examples,
//! shell completions and manual pages for every command, colour, a case on
//! standard input, text wrapped by display width, and the batch's progress.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_deon");
const POLICY: &str = "tests/fixtures/eval/policy";

fn deon_with(args: &[&str], env: &[(&str, &str)], stdin: Option<&[u8]>) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("COLUMNS")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        let _ = pipe.write_all(bytes);
    }
    child.wait_with_output().expect("the binary finishes")
}

fn deon(args: &[&str]) -> Output {
    deon_with(args, &[], None)
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("deon-terminal-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

/// The subcommands, as `deon --help` lists them: whatever is added later is
/// covered by every test below without a change here.
fn subcommands() -> Vec<String> {
    let help = text(&deon(&["--help"]).stdout);
    let listed = help
        .split("Commands:\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .expect("`deon --help` lists the commands");
    let names: Vec<String> = listed
        .lines()
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_owned)
        .collect();
    for expected in ["check", "eval", "completions", "man"] {
        assert!(names.iter().any(|n| n == expected), "{names:?}");
    }
    names
}

/// The `--long` options a help text lists.
fn long_options(help: &str) -> Vec<String> {
    help.split_whitespace()
        .filter_map(|word| word.strip_prefix("--"))
        .map(|word| word.trim_end_matches([',', '.', ')']))
        .filter(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase() || c == '-'))
        .map(|word| format!("--{word}"))
        .collect()
}

#[test]
fn every_command_has_readable_value_names_and_examples() {
    for command in std::iter::once(None).chain(subcommands().iter().map(Some)) {
        let args: Vec<&str> = command
            .iter()
            .map(|c| c.as_str())
            .chain(["--help"])
            .collect();
        let output = deon(&args);
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let help = text(&output.stdout);
        let examples = help
            .split("\nExamples:\n")
            .nth(1)
            .unwrap_or_else(|| panic!("`deon {args:?}` has no Examples section:\n{help}"));
        let first = examples.lines().next().unwrap_or_default();
        assert!(first.starts_with("  ") && first.contains("deon"), "{help}");
        if let Some(name) = command {
            assert!(
                examples.contains(&format!("deon {name}")),
                "the examples of `deon {name}` use it:\n{help}"
            );
        }
        // Value names read as words (<DATE>), not as field names (<AS_OF>).
        for placeholder in help.split('<').skip(1).filter_map(|p| p.split('>').next()) {
            assert!(
                !placeholder.contains('_'),
                "`<{placeholder}>` in the help of {args:?} reads as a field name"
            );
        }
    }
}

#[test]
fn completions_cover_every_command_in_every_shell() {
    let commands = subcommands();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let output = deon(&["completions", shell]);
        assert_eq!(output.status.code(), Some(0), "{shell}");
        let script = text(&output.stdout);
        for command in &commands {
            assert!(
                script.contains(command.as_str()),
                "the {shell} completions leave out `{command}`"
            );
        }
        assert!(script.contains("--color"), "{shell}");
    }
    let unknown = deon(&["completions", "tcsh"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// Loads the bash completions into a real bash and asks them what follows
/// what is typed.
#[test]
fn bash_completes_commands_and_options() {
    let dir = scratch("bash");
    let script = dir.join("deon.bash");
    std::fs::write(&script, deon(&["completions", "bash"]).stdout).expect("write");
    let complete = |line: &str| -> Vec<String> {
        let words: Vec<&str> = line.split(' ').collect();
        let program = format!(
            "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{line}'; COMP_POINT={}; _deon deon '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
            script.display(),
            words
                .iter()
                .map(|w| format!("'{w}'"))
                .collect::<Vec<_>>()
                .join(" "),
            words.len() - 1,
            line.len(),
            words.last().unwrap_or(&""),
            words.get(words.len().wrapping_sub(2)).unwrap_or(&""),
        );
        let output = Command::new("bash")
            .args(["--norc", "-c", &program])
            .output()
            .expect("bash runs");
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stdout).lines().map(str::to_owned).collect()
    };
    let commands = complete("deon ");
    for command in subcommands() {
        assert!(
            commands.contains(&command),
            "`deon <TAB>` offers {commands:?}"
        );
    }
    assert_eq!(complete("deon ev"), ["eval"]);
    assert_eq!(complete("deon eval --case-f"), ["--case-format"]);
    let formats = complete("deon eval policies - --case-format ");
    assert_eq!(formats, ["json", "yaml", "toml"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn man_pages_cover_every_command_and_option() {
    let main = text(&deon(&["man"]).stdout);
    assert!(main.contains(".TH deon 1"), "{main}");
    assert!(main.contains(".SH EXAMPLES"), "{main}");
    let commands = subcommands();
    for command in &commands {
        assert!(
            main.contains(&format!("deon\\-{}(1)", command.replace('-', "\\-"))),
            "the main page lists `{command}`"
        );
        let page = text(&deon(&["man", command]).stdout);
        assert!(
            page.contains(&format!(".TH deon\\-{command} 1"))
                || page.contains(&format!(".TH deon-{command} 1")),
            "{page}"
        );
        assert!(
            page.contains(".SH EXAMPLES"),
            "`deon man {command}` has examples"
        );
        let help = text(&deon(&[command, "--help"]).stdout);
        for option in long_options(&help) {
            assert!(
                page.contains(&option.replace('-', "\\-")),
                "`deon man {command}` leaves out {option}"
            );
        }
    }
    let dir = scratch("man");
    let output = deon(&["man", "--out-dir", dir.to_str().expect("utf-8")]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    for name in
        std::iter::once("deon".to_string()).chain(commands.iter().map(|c| format!("deon-{c}")))
    {
        assert!(
            dir.join(format!("{name}.1")).is_file(),
            "{name}.1 is written"
        );
    }
    // groff reads every page without a warning, where it is installed.
    match Command::new("groff").arg("--version").output() {
        Ok(_) => {
            for entry in std::fs::read_dir(&dir).expect("read").flatten() {
                let output = Command::new("groff")
                    .args(["-k", "-man", "-Tutf8", "-ww", "-z"])
                    .arg(entry.path())
                    .output()
                    .expect("groff runs");
                assert!(
                    output.status.success() && output.stderr.is_empty(),
                    "{}: {}",
                    entry.path().display(),
                    text(&output.stderr)
                );
            }
        }
        Err(_) => eprintln!("skipped: groff is not installed, so the pages are not typeset"),
    }
    let unknown = deon(&["man", "nosuch"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("the commands are"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn color_always_works_through_a_pipe_and_wins_over_no_color() {
    let case = "tests/fixtures/eval/late_filing.yaml";
    let bad = "tests/fixtures/eval/error_wrong_type.yaml";
    let plain = [("NO_COLOR", "")];
    let no_color = [("NO_COLOR", "1")];
    for (when, env, coloured) in [
        ("always", &no_color[..], true),
        ("always", &plain[..], true),
        ("auto", &plain[..], false),
        ("never", &plain[..], false),
    ] {
        let output = deon_with(&["eval", POLICY, case, "--color", when], env, None);
        assert_eq!(
            text(&output.stdout).contains("\x1b["),
            coloured,
            "--color {when} {env:?}"
        );
        let output = deon_with(&["--color", when, "eval", POLICY, bad], env, None);
        assert_eq!(output.status.code(), Some(2));
        assert_eq!(
            text(&output.stderr).contains("\x1b["),
            coloured,
            "diagnostics, --color {when}"
        );
    }
    // The older spelling still works.
    let output = deon_with(&["eval", POLICY, case, "--no-color"], &[], None);
    assert!(!text(&output.stdout).contains('\x1b'));
    let wrong = deon(&["eval", POLICY, case, "--color", "sometimes"]);
    assert_eq!(wrong.status.code(), Some(2));
}

/// The same case as tests/fixtures/eval/late_filing.yaml, in each format.
const LATE_JSON: &str = r#"{"as_of": "2026-03-10",
 "party": {"roles": ["provider"], "refused_correction": true},
 "vuln": {"aware_on": "2026-03-03", "filed_on": "2026-03-06", "duplicate_of_filed": false},
 "intake": {"log_retention": "6 months"}}"#;
const LATE_TOML: &str = r#"as_of = 2026-03-10
[party]
roles = ["provider"]
refused_correction = true
[vuln]
aware_on = 2026-03-03
filed_on = 2026-03-06
duplicate_of_filed = false
[intake]
log_retention = "6 months"
"#;

#[test]
fn eval_reads_a_case_from_stdin_in_each_format() {
    let from_file = deon(&[
        "eval",
        POLICY,
        "tests/fixtures/eval/late_filing.yaml",
        "--format",
        "json",
    ]);
    assert_eq!(
        from_file.status.code(),
        Some(0),
        "{}",
        text(&from_file.stderr)
    );
    let expected: serde_json::Value = serde_json::from_slice(&from_file.stdout).expect("JSON");
    let yaml = std::fs::read("tests/fixtures/eval/late_filing.yaml").expect("read");
    for (format, case) in [
        (Some("json"), LATE_JSON.as_bytes()),
        (None, LATE_JSON.as_bytes()),
        (Some("yaml"), &yaml[..]),
        (Some("toml"), LATE_TOML.as_bytes()),
    ] {
        let mut args = vec!["eval", POLICY, "-", "--format", "json"];
        if let Some(format) = format {
            args.extend(["--case-format", format]);
        }
        let output = deon_with(&args, &[], Some(case));
        assert_eq!(
            output.status.code(),
            Some(0),
            "{format:?}: {}",
            text(&output.stderr)
        );
        let report: serde_json::Value = serde_json::from_slice(&output.stdout).expect("JSON");
        assert_eq!(
            report, expected,
            "the {format:?} case on stdin reads as the file does"
        );
    }
    // Problems point into standard input.
    let output = deon_with(
        &["eval", POLICY, "-", "--case-format", "yaml"],
        &[("NO_COLOR", "1")],
        Some(b"vuln:\n  filed_on: 2026-02-30\n"),
    );
    assert_eq!(output.status.code(), Some(2));
    let err = text(&output.stderr);
    assert!(err.contains("<stdin>:2:13"), "{err}");
    assert!(err.contains("not a date in the calendar"), "{err}");
    // YAML read as JSON is a JSON syntax error, not a guess.
    let output = deon_with(&["eval", POLICY, "-"], &[("NO_COLOR", "1")], Some(&yaml));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("deon::case::syntax"),
        "{}",
        text(&output.stderr)
    );
    // Bytes that are not text.
    let output = deon_with(&["eval", POLICY, "-"], &[], Some(b"{\"as_of\": \"\xff\"}"));
    assert_eq!(output.status.code(), Some(2));
    assert!(
        text(&output.stderr).contains("not UTF-8 (byte 12)"),
        "{}",
        text(&output.stderr)
    );
}

/// Each line's width on a terminal: a Chinese character takes two columns.
fn columns(line: &str) -> usize {
    textwrap::core::display_width(line)
}

#[test]
fn chinese_titles_and_quotations_wrap_at_the_terminal_edge() {
    let args = [
        "eval",
        "tests/fixtures/wrap",
        "tests/fixtures/wrap/late.yaml",
    ];
    let output = deon_with(&args, &[("COLUMNS", "40")], None);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    for line in report.lines() {
        assert!(
            columns(line) <= 40,
            "{line:?} takes {} columns",
            columns(line)
        );
    }
    // The Chinese title sits beside the English one, and a quotation with no
    // spaces still breaks.
    assert!(report.contains("《网络产品安全漏洞管"), "{report}");
    assert!(report.contains("must \"在2日内向"), "{report}");
    insta::assert_snapshot!("chinese_wrapped_at_40_columns", report);

    // Through a pipe, without COLUMNS, lines stay whole.
    let whole = text(&deon_with(&args, &[], None).stdout);
    assert!(
        whole.contains(
            "must \"在2日内向工业和信息化部网络安全威胁和漏洞信息共享平台报送相关漏洞信息\""
        ),
        "{whole}"
    );
}

#[test]
fn batch_shows_nothing_on_stderr_when_piped() {
    let cases = "{\"as_of\": \"2026-03-10\"}\nnot json\n".repeat(20);
    let output = deon_with(
        &["eval", "policies", "--batch", "-", "--jobs", "2"],
        &[],
        Some(cases.as_bytes()),
    );
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(text(&output.stdout).lines().count(), 40);
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    let zero = deon(&["eval", "policies", "--batch", "-", "--jobs", "0"]);
    assert_eq!(zero.status.code(), Some(2), "at least one worker");
}

#[cfg(unix)]
mod pty {
    //! The batch under a pseudo-terminal, with its records sent elsewhere.

    use std::process::Command;
    use std::time::Duration;

    use expectrl::{Eof, Expect, Regex, Session};

    fn batch_in_terminal(extra: &str) -> expectrl::session::OsSession {
        let dir = super::scratch(&format!("pty{}", extra.len()));
        let cases = dir.join("cases.jsonl");
        let mut lines = "{\"as_of\": \"2026-03-10\"}\n".repeat(60);
        lines.push_str("not json\n\n{\"vuln\": 3}\n");
        std::fs::write(&cases, lines).expect("write");
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!(
                "\"{}\" eval policies --batch \"{}\" --jobs 2 {extra} > /dev/null",
                super::BIN,
                cases.display()
            ))
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("TERM", "xterm")
            .env("NO_COLOR", "1");
        let mut session = Session::spawn(command).expect("the batch starts in a terminal");
        session.set_expect_timeout(Some(Duration::from_secs(120)));
        session
    }

    #[test]
    fn progress_and_summary_on_a_terminal() {
        let mut session = batch_in_terminal("");
        session
            .expect(Regex(r"lines/s · \d+ rejected"))
            .expect("a progress bar with lines per second and errors so far");
        let summary = session
            .expect(Regex(r"\d+ lines read, \d+ evaluated, \d+ rejected; findings: [^;]+; [0-9.]+ s \([0-9,]+ lines/s\)"))
            .expect("a one-line summary");
        let line = String::from_utf8_lossy(summary.get(0).unwrap_or_default()).into_owned();
        assert!(
            line.starts_with("63 lines read, 60 evaluated, 2 rejected; findings: "),
            "{line}"
        );
        assert!(line.contains(" conditional"), "{line}");
        session.expect(Eof).expect("the batch ends");
    }

    #[test]
    fn quiet_shows_nothing() {
        let mut session = batch_in_terminal("--quiet");
        let rest = session.expect(Eof).expect("the batch ends");
        // At the end of output, the match is all that was left unread.
        let shown = String::from_utf8_lossy(rest.get(0).unwrap_or_default()).into_owned();
        assert!(shown.trim().is_empty(), "{shown:?}");
    }
}
