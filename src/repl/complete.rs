//! Completion candidates, argument hints and name-aware tokens for
//! highlighting, all from the loaded policies.

use std::path::Path;

use super::input::{self, Token, TokenKind};
use super::{ALIASES, COMMANDS, Session};
use crate::analysis;

/// Keywords offered when completing an expression.
const EXPRESSION_WORDS: &[&str] = &[
    "and", "or", "not", "in", "is set", "is unset", "contains", "true", "false", "today",
];

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The start of the word (a dotted name) that ends at `pos`.
fn word_start(line: &str, pos: usize) -> usize {
    line[..pos]
        .char_indices()
        .rev()
        .take_while(|(_, c)| ident_char(*c) || *c == '.')
        .last()
        .map_or(pos, |(i, _)| i)
}

/// Files and folders whose path starts with `word`; folders end with `/`.
/// Only files with one of `extensions` are offered.
fn files(word: &str, extensions: &[&str]) -> Vec<String> {
    let (dir, prefix) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let read = if dir.is_empty() {
        std::fs::read_dir(".")
    } else {
        std::fs::read_dir(Path::new(dir))
    };
    let Ok(entries) = read else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !name.starts_with(prefix) || (name.starts_with('.') && !prefix.starts_with('.')) {
            continue;
        }
        let is_dir = entry.path().is_dir();
        if is_dir {
            out.push(format!("{dir}{name}/"));
        } else if extensions.iter().any(|e| name.ends_with(e)) {
            out.push(format!("{dir}{name}"));
        }
    }
    out
}

fn sorted(mut candidates: Vec<String>) -> Vec<String> {
    candidates.sort();
    candidates.dedup();
    candidates
}

impl Session {
    /// Completion candidates for the word before `pos`: the byte offset
    /// where the word starts and what could replace it.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// assert_eq!(session.complete(":rel", 4), (0, vec![":reload".to_string()]));
    /// session.handle(":load policies");
    /// let (start, candidates) = session.complete("vulnerability.aware", 19);
    /// assert_eq!(start, 0);
    /// assert!(candidates.contains(&"vulnerability.aware_on".to_string()));
    /// ```
    pub fn complete(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let pos = pos.min(line.len());
        if !line.is_char_boundary(pos) {
            return (pos, Vec::new());
        }
        let before = &line[..pos];
        if let Some((name, span)) = input::command(before) {
            if span.end == pos {
                let typed = &before[span.start + 1..];
                let names = COMMANDS
                    .iter()
                    .map(|c| c.name)
                    .filter(|n| n.starts_with(typed))
                    .map(|n| format!(":{n}"))
                    .collect();
                return (span.start, sorted(names));
            }
            return self.complete_arguments(name, span.end, line, pos);
        }
        self.complete_expression(line, pos)
    }

    fn complete_arguments(
        &self,
        name: &str,
        args: usize,
        line: &str,
        pos: usize,
    ) -> (usize, Vec<String>) {
        let before = &line[..pos];
        match name {
            "load" | "case" => {
                let start = before[args..]
                    .rfind(char::is_whitespace)
                    .map_or(args, |i| args + i + 1);
                let extensions: &[&str] = if name == "load" {
                    &[".deon"]
                } else {
                    &[".yaml", ".yml", ".json", ".toml"]
                };
                (start, sorted(files(&before[start..], extensions)))
            }
            "help" | "h" | "?" => {
                let start = word_start(line, pos);
                let word = &before[start..];
                let names = COMMANDS
                    .iter()
                    .map(|c| c.name.to_string())
                    .filter(|n| n.starts_with(word))
                    .collect();
                (start, sorted(names))
            }
            "asof" => {
                let start = word_start(line, pos);
                let word = &before[start..];
                let words = ["case", "today"]
                    .iter()
                    .filter(|w| w.starts_with(word))
                    .map(|w| w.to_string())
                    .collect();
                (start, words)
            }
            "type" => self.complete_expression(line, pos),
            _ => {
                let Some(policy) = self.policy() else {
                    return (pos, Vec::new());
                };
                let start = word_start(line, pos);
                let word = &before[start..];
                match name {
                    "rule" | "explain" => {
                        let ids = analysis::rule_ids(policy)
                            .into_iter()
                            .filter(|id| id.starts_with(word))
                            .collect();
                        (start, sorted(ids))
                    }
                    "unset" | "facts" => (start, sorted(analysis::complete_path(policy, word))),
                    "set" | "whatif" => {
                        // Within the item being typed: a path before `=`, a value after.
                        let items = input::assignments(before, args);
                        let current = items.last().filter(|a| a.span.end >= start);
                        match current.and_then(|a| a.value.map(|_| a.path)) {
                            Some(path) => {
                                let path = before[path.start..path.end].trim();
                                let candidates = analysis::fact_values(policy, path)
                                    .into_iter()
                                    .filter(|v| v.starts_with(word))
                                    .collect();
                                (start, sorted(candidates))
                            }
                            None => {
                                let mut candidates = analysis::complete_path(policy, word);
                                if "as_of".starts_with(word) {
                                    candidates.push("as_of".into());
                                }
                                (start, sorted(candidates))
                            }
                        }
                    }
                    _ => (pos, Vec::new()),
                }
            }
        }
    }

    fn complete_expression(&self, line: &str, pos: usize) -> (usize, Vec<String>) {
        let start = word_start(line, pos);
        let word = &line[start..pos];
        let Some(policy) = self.policy() else {
            return (start, Vec::new());
        };
        let mut candidates = analysis::complete_path(policy, word);
        if !word.contains('.') {
            candidates.extend(
                EXPRESSION_WORDS
                    .iter()
                    .map(|w| w.to_string())
                    .chain(analysis::expression_names(policy))
                    .filter(|c| c.starts_with(word)),
            );
        }
        (start, sorted(candidates))
    }

    /// What to type next after a complete command name: its arguments.
    ///
    /// # Examples
    ///
    /// ```
    /// let session = deon::repl::Session::new();
    /// assert_eq!(session.hint(":explain", 8).as_deref(), Some(" <rule>"));
    /// assert_eq!(session.hint(":explain x", 10), None);
    /// ```
    pub fn hint(&self, line: &str, pos: usize) -> Option<String> {
        if pos != line.len() {
            return None;
        }
        let (name, span) = input::command(line)?;
        if span.end != line.len() {
            return None;
        }
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name, |(_, full)| full);
        let info = COMMANDS.iter().find(|c| c.name == name)?;
        (!info.args.is_empty()).then(|| format!(" {}", info.args))
    }

    /// The input's tokens, covering every byte, with names the policies
    /// define as facts or records marked as such.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::repl::{Session, TokenKind};
    ///
    /// let mut session = Session::new();
    /// session.handle(":load policies");
    /// let tokens = session.highlight_tokens("vulnerability.aware_on is set");
    /// assert_eq!(tokens[0].kind, TokenKind::Fact);
    /// ```
    pub fn highlight_tokens(&self, line: &str) -> Vec<Token> {
        let mut tokens = input::tokens(line);
        if let Some(policy) = self.policy() {
            for token in &mut tokens {
                if token.kind == TokenKind::Name {
                    let name = &line[token.span.start..token.span.end];
                    if analysis::is_fact_or_record(policy, name) {
                        token.kind = TokenKind::Fact;
                    }
                }
            }
        }
        tokens
    }
}
