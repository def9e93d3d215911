//! The REPL as a user drives it. Each `tests/repl/*.txt` is a script of
//! input lines, piped into the real binary; its snapshot shows the script
//! above everything the REPL printed (standard output and standard error,
//! interleaved as written). Adding a case is adding a file.
//!
//! A script line starting with `% ` is for this harness, not the REPL:
//! - `% args <arguments>` (first line only): arguments after `deon repl`;
//! - `% copy <from> <to>`: copy a file or folder (relative to the crate);
//! - `% append <file> <text>`: add a line of text to a file.
//!
//! `$TMP` stands for a scratch folder of the script's own. Before a `copy` or
//! `append`, the harness waits until the REPL has handled every line sent.
//!
//! The last tests run the REPL under a pseudo-terminal, as a person would:
//! completion, history and Ctrl-C.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_deon");
const CRATE: &str = env!("CARGO_MANIFEST_DIR");
/// Sent to learn that the REPL has caught up; its output is removed.
const SYNC: &str = ":help quit";
const SYNC_OUTPUT: &str = ":quit\n  leave the REPL (Ctrl-D does too)\n  e.g. :quit\n";
const TIMEOUT: Duration = Duration::from_secs(60);

fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("repl")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).expect("a scratch folder");
    dir
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        fs::create_dir_all(to).expect("a folder to copy into");
        for entry in fs::read_dir(from).expect("a readable folder") {
            let entry = entry.expect("a folder entry");
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        if let Some(parent) = to.parent() {
            fs::create_dir_all(parent).expect("a folder to copy into");
        }
        fs::copy(from, to).expect("the copy succeeds");
    }
}

fn wait_for(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Runs a script through `deon repl`; returns everything printed and the exit code.
fn run_script(name: &str, script: &str) -> String {
    let tmp = scratch(name);
    let tmp_text = tmp.to_string_lossy().into_owned();
    let expand = |text: &str| text.replace("$TMP", &tmp_text);
    let output_path = tmp.with_extension("out");
    let output = fs::File::create(&output_path).expect("an output file");

    let mut lines = script.lines().peekable();
    let mut args = vec!["repl".to_string()];
    if let Some(first) = lines.peek() {
        if let Some(rest) = first.strip_prefix("% args ") {
            args.extend(rest.split_whitespace().map(expand));
            lines.next();
        }
    }
    let mut child = Command::new(BIN)
        .args(&args)
        .current_dir(CRATE)
        .env("NO_COLOR", "1")
        .env("HOME", &tmp)
        .env("XDG_DATA_HOME", &tmp)
        .stdin(Stdio::piped())
        .stdout(output.try_clone().expect("a second handle"))
        .stderr(output)
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("a pipe to the REPL");
    let mut syncs = 0;
    for line in lines {
        let Some(directive) = line.strip_prefix("% ") else {
            writeln!(stdin, "{}", expand(line)).expect("the REPL reads its input");
            continue;
        };
        writeln!(stdin, "{SYNC}").expect("the REPL reads its input");
        stdin.flush().expect("the input is sent");
        syncs += 1;
        wait_for("the REPL to catch up", || {
            fs::read_to_string(&output_path)
                .unwrap_or_default()
                .matches(SYNC_OUTPUT)
                .count()
                >= syncs
        });
        let words: Vec<&str> = directive.splitn(3, ' ').collect();
        match words.as_slice() {
            ["copy", from, to] => copy(&Path::new(CRATE).join(from), Path::new(&expand(to))),
            ["append", file, text] => {
                let mut file = fs::OpenOptions::new()
                    .append(true)
                    .open(expand(file))
                    .expect("a file to append to");
                writeln!(file, "{text}").expect("the file is writable");
            }
            _ => panic!("unknown directive `{directive}` in {name}"),
        }
    }
    drop(stdin);
    let mut status = None;
    wait_for("the REPL to exit", || {
        status = child.try_wait().expect("the REPL can be waited for");
        status.is_some()
    });
    let code = status.and_then(|s| s.code()).unwrap_or(-1);
    let printed = fs::read_to_string(&output_path)
        .expect("the output is readable")
        .replace(SYNC_OUTPUT, "")
        .replace(&tmp_text, "$TMP");
    format!("{printed}[exit {code}]\n")
}

#[test]
fn transcripts() {
    insta::glob!("repl/*.txt", |path| {
        let script = fs::read_to_string(path).expect("the script is readable");
        let name = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let output = run_script(&name, &script);
        let mut settings = insta::Settings::clone_current();
        settings.set_input_file(path);
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!(
                "repl",
                format!("{script}\n──────── output ────────\n{output}")
            );
        });
    });
}

#[test]
fn a_script_with_an_error_exits_2_and_one_without_exits_0() {
    let ok = run_script("exit_ok", ":load policies\n1 + 1\n");
    assert!(ok.ends_with("[exit 0]\n"), "{ok}");
    let bad = run_script("exit_bad", ":load policies\n1 +* 1\n:quit\n");
    assert!(bad.ends_with("[exit 2]\n"), "{bad}");
}

#[test]
fn bad_bytes_and_huge_input_do_not_end_the_session() {
    let mut child = Command::new(BIN)
        .args(["repl", "policies"])
        .current_dir(CRATE)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    let mut input: Vec<u8> = b"\xff\xfe :set \xc3\n".to_vec();
    input.extend(std::iter::repeat_n(b'(', 5000));
    input.extend(b"\n)\n:set party.roles = [");
    input.extend(std::iter::repeat_n(b'[', 5000));
    input.extend(b"\n1 + 1\n");
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(&input);
    });
    let output = child.wait_with_output().expect("the REPL ends");
    writer.join().expect("the input was written");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stdout}\n{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stdout.contains("loaded 4 files"), "{stdout}");
}

mod terminal {
    //! The REPL under a pseudo-terminal: line editing, completion, history
    //! kept across sessions, Ctrl-C and Ctrl-D.

    use std::path::Path;
    use std::process::Command;
    use std::time::Duration;

    use expectrl::session::OsSession;
    use expectrl::{ControlCode, Eof, Expect, Session};

    type Repl = OsSession;

    fn spawn(home: &Path, args: &[&str]) -> Repl {
        spawn_with(home, args, false)
    }

    fn spawn_with(home: &Path, args: &[&str], color: bool) -> Repl {
        let mut command = Command::new(super::BIN);
        command
            .arg("repl")
            .args(args)
            .current_dir(super::CRATE)
            .env("HOME", home)
            .env("XDG_DATA_HOME", home)
            .env("TERM", "xterm");
        if color {
            command.env_remove("NO_COLOR");
        } else {
            command.env("NO_COLOR", "1");
        }
        let mut repl = Session::spawn(command).expect("the REPL starts in a terminal");
        repl.set_expect_timeout(Some(Duration::from_secs(30)));
        repl.expect("deon> ").expect("a prompt");
        repl
    }

    fn quit(mut repl: Repl) {
        repl.send(ControlCode::EndOfTransmission)
            .expect("Ctrl-D is sent");
        repl.expect(Eof).expect("Ctrl-D on an empty line leaves");
    }

    #[test]
    fn completion_history_and_ctrl_c() {
        let home = super::scratch("terminal");
        let mut repl = spawn(
            &home,
            &["policies", "examples/cases/provider_late_filing.yaml"],
        );

        // Tab completes a command, then a rule id.
        repl.send(":expl\t").expect("typing");
        repl.expect(":explain").expect("the command is completed");
        repl.send(" provider_file_with_m\t").expect("typing");
        repl.expect("provider_file_with_miit")
            .expect("the rule is completed");
        repl.send("\r").expect("Enter");
        repl.expect("provider_file_with_miit VIOLATED")
            .expect("the explanation");
        repl.expect("deon> ").expect("a prompt");

        // Tab completes a fact path below a record.
        repl.send("vulnerability.filed_w\t").expect("typing");
        repl.expect("vulnerability.filed_with_miit_on")
            .expect("the fact is completed");
        repl.send("\r").expect("Enter");
        repl.expect("2025-03-17 : date").expect("its value");
        repl.expect("deon> ").expect("a prompt");

        // An unfinished line continues on the next.
        repl.send("vulnerability.aware_on +\r").expect("typing");
        repl.send("2 days\r").expect("typing");
        repl.expect("2025-03-12 : date")
            .expect("the two lines as one");
        repl.expect("deon> ").expect("a prompt");

        // Ctrl-C drops the line being typed.
        repl.send("1 + ").expect("typing");
        repl.send(ControlCode::EndOfText).expect("Ctrl-C");
        repl.expect("deon> ").expect("a fresh prompt");
        repl.send("40 + 3\r").expect("typing");
        repl.expect("43 : int")
            .expect("only the new line was evaluated");
        repl.expect("deon> ").expect("a prompt");

        // Up recalls the last line.
        repl.send("\x1b[A\r").expect("Up, Enter");
        repl.expect("43 : int").expect("the line was run again");
        repl.expect("deon> ").expect("a prompt");
        quit(repl);

        // The history outlives the session.
        let saved = std::fs::read_to_string(home.join("deon").join("history"))
            .expect("the history was saved");
        assert!(saved.contains("40 + 3"), "{saved}");
        let mut repl = spawn(&home, &["policies"]);
        repl.send("\x1b[A\r").expect("Up, Enter");
        repl.expect("43 : int")
            .expect("a line from the last session");
        repl.expect("deon> ").expect("a prompt");
        quit(repl);
    }

    #[test]
    fn an_unwritable_history_is_not_fatal() {
        let home = super::scratch("terminal_no_history");
        // A file where the history folder should be.
        std::fs::write(home.join("deon"), "not a folder").expect("a file");
        let mut repl = spawn(&home, &["policies"]);
        repl.send("1 + 1\r").expect("typing");
        repl.expect("cannot save the history")
            .expect("a note, once");
        repl.expect("2 : int")
            .expect("the REPL works without history");
        repl.expect("deon> ").expect("a prompt");
        repl.send(":quit\r").expect("typing");
        repl.expect(Eof).expect(":quit leaves");
    }

    #[test]
    fn the_line_is_highlighted_as_it_is_typed() {
        let home = super::scratch("terminal_colour");
        let mut repl = spawn_with(&home, &["policies"], true);
        repl.send("vulnerability.aware_on is set").expect("typing");
        repl.expect("\x1b[36mvulnerability.aware_on\x1b[0m")
            .expect("a fact in its colour");
        repl.expect("\x1b[35mset\x1b[0m")
            .expect("a keyword in its colour");
        repl.send("\r").expect("Enter");
        repl.expect("unknown : bool").expect("the value");
        repl.send(":asof 2025-03-1").expect("typing");
        repl.expect("\x1b[33m2025").expect("a number in its colour");
        repl.send("2").expect("typing");
        repl.expect("\x1b[33m2025-03-12\x1b[0m")
            .expect("a date in its colour");
        repl.send("\r").expect("Enter");
        // Wait for the command's own answer: a prompt seen earlier, while the
        // line was being redrawn, would let Ctrl-D arrive too soon.
        repl.expect("evaluating as of 2025-03-12")
            .expect("the date is set");
        repl.expect("deon> ").expect("a prompt");
        quit(repl);
    }
}
