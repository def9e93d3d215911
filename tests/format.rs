//! The formatter: idempotent, meaning-preserving and comment-keeping on every
//! fixture and shipped policy; `deon fmt --check` and `deon fmt` as a user
//! runs them.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn deon(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_deon"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn deon_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            deon_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "deon") {
            out.push(path);
        }
    }
}

/// The comments of a file, in order.
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        // Comments after a string would need a lexer; the fixtures keep
        // `//` out of strings.
        if let Some(i) = line.find("//") {
            out.push(line[i..].trim_end().to_string());
        }
    }
    out
}

#[test]
fn formatting_is_idempotent_and_keeps_meaning_and_comments() {
    let mut files = Vec::new();
    deon_files(Path::new("policies"), &mut files);
    deon_files(Path::new("tests/fixtures"), &mut files);
    let mut formatted_any = 0;
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let Ok(before) = deon::parse_policy_file(&name, &text) else {
            assert!(deon::format_source(&name, &text).is_err(), "{name}");
            continue;
        };
        let once = deon::format_source(&name, &text).unwrap();
        let twice = deon::format_source(&name, &once).unwrap();
        assert_eq!(once, twice, "formatting {name} twice differs from once");
        let after = deon::parse_policy_file(&name, &once)
            .unwrap_or_else(|e| panic!("{name} no longer parses: {e:?}\n{once}"));
        assert_eq!(before, after, "formatting {name} changed its meaning");
        if !text.contains("\"http") {
            assert_eq!(
                comments(&text),
                comments(&once),
                "{name} lost or moved a comment"
            );
        }
        assert!(
            once.lines().all(|l| l == l.trim_end()),
            "{name}: trailing spaces"
        );
        formatted_any += 1;
    }
    assert!(formatted_any > 20);
}

#[test]
fn the_layout_depends_only_on_the_code_not_on_how_it_was_laid_out() {
    // Every fixture and shipped policy, comments taken out, formats the same
    // from its own layout and with each paragraph on one line: where a long
    // condition breaks is decided by the condition alone.
    let mut files = Vec::new();
    deon_files(Path::new("policies"), &mut files);
    deon_files(Path::new("tests/fixtures"), &mut files);
    let mut compared = 0;
    for path in files {
        let name = path.display().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        if text.contains("\"http") || deon::parse_policy_file(&name, &text).is_err() {
            continue;
        }
        let code: String = text
            .lines()
            .map(|l| l.find("//").map_or(l, |i| &l[..i]))
            .collect::<Vec<_>>()
            .join("\n");
        // Blank lines are kept by design: each run of lines between them
        // becomes one line.
        let mut one_line = String::new();
        for line in code.lines() {
            if line.trim().is_empty() {
                one_line.push_str("\n\n");
            } else {
                one_line.push(' ');
                one_line.push_str(line.trim());
            }
        }
        assert_eq!(
            deon::format_source(&name, &code).unwrap(),
            deon::format_source(&name, &one_line).unwrap(),
            "{name} formats differently with its paragraphs on one line"
        );
        compared += 1;
    }
    assert!(compared > 20);
}

#[test]
fn a_messy_file_formats_like_the_snapshot() {
    let text = std::fs::read_to_string("tests/fixtures/fmt/messy.deon").unwrap();
    insta::assert_snapshot!(deon::format_source("messy.deon", &text).unwrap());
}

#[test]
fn a_file_with_every_construct_round_trips() {
    let name = "tests/fixtures/fmt/every_construct.deon";
    let text = std::fs::read_to_string(name).unwrap();
    let once = deon::format_source(name, &text).unwrap();
    insta::assert_snapshot!(once);
    assert_eq!(deon::format_source(name, &once).unwrap(), once);
    assert_eq!(
        deon::parse_policy_file(name, &text).unwrap(),
        deon::parse_policy_file(name, &once).unwrap()
    );
    // It is a policy set, so the formatted file still checks (working days
    // and the roll-over need a holiday calendar).
    let calendar = std::fs::read_to_string("tests/fixtures/legal-time/calendar/2021.toml").unwrap();
    if let Err(problems) = deon::Policy::from_sources([
        (name, once.as_str()),
        ("calendar/2021.toml", calendar.as_str()),
    ]) {
        panic!("{problems:?}");
    }
    // Every clause of the final syntax is written out, each on its own line.
    for construct in [
        "    tier \"on refusal or harm\" when refused_or_harm {",
        "      may order one of {",
        "    one of {",
        "      may one of {",
        "  review \"The 2026 text adds a tier; unverified.\" when party.serious",
        "  penalty p, q arguable \"Art. 61 reaches filing only by analogy.\"",
        "  from party.aware_on",
        "  done on party.filed_on if party.complete and party.filed_on >= party.aware_on",
        "  breached on party.sold_on if party.abroad",
        "  allow never_fires \"Art. 8 repeats Art. 7.\"",
        "  rolls over holidays",
        "  // a comment before the closing brace",
    ] {
        assert!(
            once.lines().any(|l| l == construct),
            "no line {construct:?} in\n{once}"
        );
    }
}

#[test]
fn long_conditions_break_at_or_before_and() {
    let text = r#"define d "D." as (a.first_long_condition_name and a.second_long_condition_name) or a.third_long_condition_name or a.fourth"#;
    let once = deon::format_source("d.deon", text).unwrap();
    assert_eq!(
        once,
        "define d \"D.\"\n  as (a.first_long_condition_name and a.second_long_condition_name)\n    or a.third_long_condition_name\n    or a.fourth\n"
    );
}

#[test]
fn check_prints_a_diff_and_fails_then_fmt_fixes_the_file() {
    let dir = std::env::temp_dir().join(format!("deon-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("messy.deon");
    std::fs::copy("tests/fixtures/fmt/messy.deon", &file).unwrap();
    let path = file.to_str().unwrap();

    let output = deon(&["fmt", "--check", path]);
    assert_eq!(output.status.code(), Some(1));
    let diff = String::from_utf8_lossy(&output.stdout);
    assert!(
        diff.starts_with(&format!("--- {path}\n+++ {path} (formatted)\n@@ ")),
        "{diff}"
    );
    assert!(diff.contains("-regulation   messy{"), "{diff}");
    assert!(diff.contains("+regulation messy {"), "{diff}");

    let output = deon(&["fmt", path]);
    assert_eq!(output.status.code(), Some(0));
    let output = deon(&["fmt", "--check", path]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stdout.is_empty());

    // A file that does not parse is reported and left alone.
    let broken = dir.join("broken.deon");
    std::fs::write(&broken, "rule {").unwrap();
    let output = deon(&["fmt", broken.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(std::fs::read_to_string(&broken).unwrap(), "rule {");
    let _ = std::fs::remove_dir_all(&dir);
}
