//! `deon repl`: the interactive shell, a terminal front end over
//! `deon::repl::Session`. On a terminal it edits lines with rustyline
//! (completion, hints, highlighting, multi-line input, history); otherwise it
//! reads commands from standard input line by line, without prompts or
//! colours, so scripts and tests can drive it.

use std::borrow::Cow;
use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use deon::repl::{Item, Output, Session, TokenKind, needs_more_input};
use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{CompletionType, Config, Context, Editor, Helper};

use super::{Colors, EXIT_BAD_INPUT, EXIT_OK};

const PROMPT: &str = "deon> ";

pub fn run(policies: Option<&Path>, case: Option<&Path>, colors: Colors) -> u8 {
    let interactive = std::io::stdin().is_terminal();
    let mut session = Session::new();
    session.set_color(colors.stdout);
    session.set_limits(super::limits());
    let mut printer = Printer {
        color: colors.stderr,
        errors: false,
    };
    if interactive {
        println!(
            "Deon {} — `:help` lists the commands; Tab completes; Ctrl-D leaves.",
            env!("CARGO_PKG_VERSION")
        );
    }
    if let Some(path) = policies {
        printer.print(&session.load(&[path.to_path_buf()]));
    }
    if let Some(path) = case {
        printer.print(&session.open_case(path));
    }
    if interactive {
        edit_lines(session, printer, colors.stdout)
    } else {
        read_script(session, printer)
    }
}

/// Prints output items in order: text on standard output, diagnostics on
/// standard error.
struct Printer {
    color: bool,
    /// Whether any error was printed (for the exit code of a script).
    errors: bool,
}

impl Printer {
    fn print(&mut self, output: &Output) {
        for item in &output.items {
            match item {
                Item::Text(text) => {
                    let mut stdout = std::io::stdout().lock();
                    let text = shown(text, self.color);
                    let _ = stdout.write_all(text.as_bytes());
                    let _ = stdout.flush();
                }
                Item::Problem(problem) => {
                    self.errors |= !problem.is_warning();
                    let mut stderr = std::io::stderr().lock();
                    let _ = write!(stderr, "{}", deon::render::diagnostic(problem, self.color));
                    let _ = stderr.flush();
                }
            }
        }
    }

    fn exit_code(&self) -> u8 {
        if self.errors { EXIT_BAD_INPUT } else { EXIT_OK }
    }
}

/// Standard input is not a terminal: one command per line (more while the
/// input is unfinished). Exits 2 if any command reported an error.
fn read_script(mut session: Session, mut printer: Printer) -> u8 {
    let stdin = std::io::stdin();
    let mut reader = stdin.lock();
    let mut buffer = String::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot read standard input: {e}");
                printer.errors = true;
                break;
            }
        }
        let text = String::from_utf8_lossy(&line);
        if !buffer.is_empty() {
            buffer.push('\n');
        }
        buffer.push_str(text.trim_end_matches(['\n', '\r']));
        if needs_more_input(&buffer) {
            continue;
        }
        let output = session.handle(&buffer);
        buffer.clear();
        printer.print(&output);
        if output.quit {
            return printer.exit_code();
        }
    }
    if !buffer.trim().is_empty() {
        printer.print(&session.handle(&buffer));
    }
    printer.exit_code()
}

/// Where the history is kept: `$XDG_DATA_HOME/deon/history`, else
/// `$HOME/.local/share/deon/history`.
fn history_path() -> Option<PathBuf> {
    let absolute = |var: &str| {
        std::env::var_os(var)
            .map(PathBuf::from)
            .filter(|p| p.is_absolute())
    };
    let base = absolute("XDG_DATA_HOME")
        .or_else(|| absolute("HOME").map(|home| home.join(".local").join("share")))?;
    Some(base.join("deon").join("history"))
}

/// The rustyline helper: completion, hints, highlighting and multi-line
/// validation, all asked of the session.
struct ReplHelper {
    session: Session,
    highlight: bool,
}

impl Completer for ReplHelper {
    type Candidate = String;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(self.session.complete(line, pos))
    }
}

impl Hinter for ReplHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, _ctx: &Context<'_>) -> Option<String> {
        self.session.hint(line, pos)
    }
}

fn style(kind: TokenKind) -> Option<&'static str> {
    match kind {
        TokenKind::Command => Some("1;36"),
        TokenKind::Keyword => Some("35"),
        TokenKind::Text => Some("32"),
        TokenKind::Date | TokenKind::Number => Some("33"),
        TokenKind::Fact => Some("36"),
        TokenKind::Comment => Some("2"),
        _ => None,
    }
}

impl Highlighter for ReplHelper {
    fn highlight<'l>(&self, line: &'l str, _pos: usize) -> Cow<'l, str> {
        if !self.highlight {
            return Cow::Borrowed(line);
        }
        let mut out = String::with_capacity(line.len() * 2);
        for token in self.session.highlight_tokens(line) {
            let text = line.get(token.range()).unwrap_or("");
            match style(token.kind) {
                Some(code) => {
                    out.push_str("\x1b[");
                    out.push_str(code);
                    out.push('m');
                    out.push_str(text);
                    out.push_str("\x1b[0m");
                }
                None => out.push_str(text),
            }
        }
        Cow::Owned(out)
    }

    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if self.highlight {
            Cow::Owned(format!("\x1b[1;32m{prompt}\x1b[0m"))
        } else {
            Cow::Borrowed(prompt)
        }
    }

    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.highlight {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }

    fn highlight_char(&self, _line: &str, _pos: usize, kind: CmdKind) -> bool {
        self.highlight && kind != CmdKind::MoveCursor
    }
}

impl Validator for ReplHelper {
    fn validate(&self, ctx: &mut ValidationContext<'_>) -> rustyline::Result<ValidationResult> {
        Ok(if needs_more_input(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for ReplHelper {}

/// Standard input is a terminal: edit lines with rustyline.
fn edit_lines(session: Session, mut printer: Printer, highlight: bool) -> u8 {
    let config = Config::builder()
        .auto_add_history(false)
        .history_ignore_space(true)
        .history_ignore_dups(true)
        .map(|b| b.completion_type(CompletionType::List).build());
    let editor = config.and_then(Editor::<ReplHelper, DefaultHistory>::with_config);
    let mut editor = match editor {
        Ok(editor) => editor,
        Err(e) => {
            eprintln!("note: line editing is not available ({e}); reading lines as typed");
            return read_script(session, printer);
        }
    };
    editor.set_helper(Some(ReplHelper { session, highlight }));
    let history = history_path();
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        // A missing history file is the normal first run.
        let _ = editor.load_history(path);
    }
    let mut save_history = history.is_some();
    loop {
        match editor.readline(PROMPT) {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                    if let (true, Some(path)) = (save_history, &history) {
                        if let Err(e) = editor.append_history(path) {
                            eprintln!(
                                "note: cannot save the history to {}: {e}; carrying on without it",
                                path.display()
                            );
                            save_history = false;
                        }
                    }
                }
                let output = match editor.helper_mut() {
                    Some(helper) => helper.session.handle(&line),
                    None => Output::default(),
                };
                printer.print(&output);
                if output.quit {
                    break;
                }
            }
            // Ctrl-C: drop the line being typed and start a new one.
            Err(ReadlineError::Interrupted) => continue,
            // Ctrl-D on an empty line.
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: cannot read the terminal: {e}");
                break;
            }
        }
    }
    EXIT_OK
}

/// REPL text as it may reach the terminal: control characters escaped,
/// except, when colouring, the colour escapes the REPL itself writes
/// (`ESC [ digits/semicolons m`, which only change colour and weight).
fn shown(text: &str, color: bool) -> std::borrow::Cow<'_, str> {
    if !color {
        return deon::report::escape_controls(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('\x1b') {
        out.push_str(&deon::report::escape_controls(&rest[..at]));
        let after = &rest[at + 1..];
        let sgr_len = after
            .strip_prefix('[')
            .and_then(|a| {
                a.find(|c: char| !(c.is_ascii_digit() || c == ';'))
                    .map(|n| (a, n))
            })
            .filter(|(a, n)| a[*n..].starts_with('m'))
            .map(|(_, n)| n + 2);
        match sgr_len {
            Some(len) => {
                out.push_str(&rest[at..at + 1 + len]);
                rest = &after[len..];
            }
            None => {
                out.push_str("\\u{1b}");
                rest = after;
            }
        }
    }
    out.push_str(&deon::report::escape_controls(rest));
    std::borrow::Cow::Owned(out)
}
