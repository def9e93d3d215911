//! The formatter: one canonical layout for a policy file, comments kept
//! where they were.
//!
//! It walks pest's parse tree rather than the AST, because the tree keeps
//! every token's place: the keywords and braces between a rule's children
//! are read from the source text between the children's spans, and the
//! comments with them. The layout rules are few and apply to every
//! construct, so a new clause formats without new code:
//!
//! - inside braces, each child (a clause, a field, a fact, a sanction, an
//!   enum value) starts its own line, indented two spaces per level;
//! - everything else is one line with single spaces, except no space before
//!   `,`, `:`, `?` and `)` or after `(`;
//! - a `define`'s `as` and a `role`'s `when` go on a continuation line;
//! - a condition that makes its line longer than 100 characters breaks
//!   before each top-level `or` (or, without one, each `and`), continuation
//!   lines indented four more spaces; the same expression always breaks the
//!   same way, whatever its old layout;
//! - top-level items are separated by one blank line; elsewhere blank lines
//!   are kept, at most one in a row;
//! - a comment on its own line stays on its own line before what followed
//!   it; a comment after code stays after that code.

#![allow(clippy::result_large_err)]

use pest::Parser as _;
use pest::iterators::Pair;

use super::error::SyntaxError;
use super::parser::{DeonParser, Rule, check_nesting, parse_file};
use crate::source::Source;

/// Lines longer than this break their conditions at `and`/`or`.
pub const MAX_WIDTH: usize = 100;
const INDENT: &str = "  ";

/// Formats a policy file. A file that does not parse is returned as its
/// syntax errors, untouched.
pub fn format_source(source: &Source) -> Result<String, Vec<SyntaxError>> {
    // The full parse reports every broken item and checks literals.
    parse_file(source)?;
    if let Some(error) = check_nesting(source) {
        return Err(vec![error]);
    }
    let text: &str = &source.text;
    let file = DeonParser::parse(Rule::file, text)
        .ok()
        .and_then(|mut pairs| pairs.next());
    let Some(file) = file else {
        return Ok(text.to_string());
    };
    let mut out = Writer {
        text,
        lines: Vec::new(),
        line: String::new(),
        indent: 0,
    };
    out.statement(file, true);
    out.flush();
    while out.lines.last().is_some_and(|l| l.is_empty()) {
        out.lines.pop();
    }
    let mut formatted = out.lines.join("\n");
    formatted.push('\n');
    Ok(formatted)
}

/// Where a pair's code ends: pest lets a span swallow the blank space and
/// comments after its last token, which belong to what follows.
fn code_end(text: &str, pair: &Pair<'_, Rule>) -> usize {
    let span = pair.as_span();
    let body = text.get(span.start()..span.end()).unwrap_or("");
    let mut last = 0;
    let mut chars = body.char_indices().peekable();
    let mut in_string = false;
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => {
                    in_string = false;
                    last = i + 1;
                }
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '/' if chars.peek().is_some_and(|(_, n)| *n == '/') => {
                for (_, n) in chars.by_ref() {
                    if n == '\n' {
                        break;
                    }
                }
            }
            c if c.is_whitespace() || c == '\u{feff}' => {}
            c => last = i + c.len_utf8(),
        }
    }
    span.start() + last
}

/// One piece of the text between a rule's children.
#[derive(Debug)]
enum Gap<'t> {
    Token(&'t str),
    /// A comment; `own_line` when only blank space precedes it on its line.
    Comment {
        text: &'t str,
        own_line: bool,
    },
    /// Two or more line breaks: a blank line in the source.
    Blank,
}

fn gap_pieces(gap: &str, at_line_start: bool) -> Vec<Gap<'_>> {
    let mut out = Vec::new();
    let mut newlines = 0;
    let mut own_line = at_line_start;
    let mut rest = gap;
    while let Some(c) = rest.chars().next() {
        if c == '\n' {
            newlines += 1;
            own_line = true;
            rest = &rest[1..];
            continue;
        }
        if c.is_whitespace() || c == '\u{feff}' {
            rest = &rest[c.len_utf8()..];
            continue;
        }
        if newlines >= 2 {
            out.push(Gap::Blank);
        }
        newlines = 0;
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push(Gap::Comment {
                text: rest[..end].trim_end(),
                own_line,
            });
            rest = &rest[end..];
            continue;
        }
        let len = if c.is_ascii_alphanumeric() || c == '_' {
            rest.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                .unwrap_or(rest.len())
        } else {
            c.len_utf8()
        };
        out.push(Gap::Token(&rest[..len]));
        own_line = false;
        rest = &rest[len..];
    }
    if newlines >= 2 {
        out.push(Gap::Blank);
    }
    out
}

struct Writer<'t> {
    text: &'t str,
    lines: Vec<String>,
    line: String,
    indent: usize,
}

impl<'t> Writer<'t> {
    fn flush(&mut self) {
        if !self.line.trim().is_empty() {
            let line = std::mem::take(&mut self.line);
            self.lines.push(line.trim_end().to_string());
        }
        self.line.clear();
    }

    fn blank(&mut self) {
        self.flush();
        if self
            .lines
            .last()
            .is_some_and(|l| !l.is_empty() && !l.ends_with('{'))
        {
            self.lines.push(String::new());
        }
    }

    fn start_line(&mut self) {
        if self.line.is_empty() {
            self.line = INDENT.repeat(self.indent);
        }
    }

    /// Appends a token with the spacing rules.
    fn token(&mut self, token: &str) {
        self.start_line();
        let bare = self.line.trim().is_empty();
        let glue_left = matches!(token, "," | ":" | "?" | ")");
        let glue_right = self.line.ends_with('(');
        if !bare && !glue_left && !glue_right {
            self.line.push(' ');
        }
        self.line.push_str(token);
    }

    fn comment(&mut self, text: &str, own_line: bool) {
        if own_line {
            self.flush();
            self.start_line();
            self.line.push_str(text);
            self.flush();
        } else if self.line.trim().is_empty() {
            match self.lines.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(text);
                }
                None => {
                    self.line.push_str(text);
                    self.flush();
                }
            }
        } else {
            self.line.push(' ');
            self.line.push_str(text);
            self.flush();
        }
    }

    /// Writes a pair that starts its own line; its children inside braces
    /// are statements too.
    fn statement(&mut self, pair: Pair<'t, Rule>, top: bool) {
        let rule = pair.as_rule();
        let start = pair.as_span().start();
        let end = if top {
            pair.as_span().end()
        } else {
            code_end(self.text, &pair)
        };
        let mut pos = start;
        let mut depth = 0usize;
        // At the top level: a blank line is owed before the next item or
        // the comments above it.
        let mut owed_blank = false;
        let mut children = pair.into_inner().peekable();
        loop {
            let next_start = children.peek().map_or(end, |c| c.as_span().start());
            let gap = self.text.get(pos..next_start).unwrap_or("");
            let at_line_start = self.text.get(..pos).is_none_or(|before| {
                before
                    .rsplit('\n')
                    .next()
                    .is_none_or(|l| l.trim().is_empty())
            });
            for piece in gap_pieces(gap, at_line_start) {
                match piece {
                    Gap::Token("{") => {
                        self.token("{");
                        self.flush();
                        self.indent += 1;
                        depth += 1;
                    }
                    Gap::Token("}") => {
                        self.flush();
                        self.indent = self.indent.saturating_sub(1);
                        depth = depth.saturating_sub(1);
                        while self.lines.last().is_some_and(|l| l.is_empty()) {
                            self.lines.pop();
                        }
                        self.start_line();
                        self.line.push('}');
                    }
                    Gap::Token(token) => {
                        if matches!(
                            (rule, token),
                            (Rule::define_decl, "as") | (Rule::role_decl, "when")
                        ) {
                            self.flush();
                            self.start_line();
                            self.line.push_str(INDENT);
                        }
                        self.token(token);
                    }
                    Gap::Comment { text, own_line } => {
                        if own_line && std::mem::take(&mut owed_blank) {
                            self.blank();
                        }
                        self.comment(text, own_line);
                    }
                    Gap::Blank => {
                        if depth > 0 || top {
                            owed_blank = false;
                            self.blank();
                        }
                    }
                }
            }
            let Some(child) = children.next() else { break };
            pos = code_end(self.text, &child);
            if child.as_rule() == Rule::EOI {
                continue;
            }
            if top || depth > 0 {
                self.flush();
                if std::mem::take(&mut owed_blank) {
                    self.blank();
                }
                self.statement(child, false);
                self.flush();
                owed_blank = top;
            } else {
                self.inline(child);
            }
        }
    }

    /// Writes a pair on the current line.
    fn inline(&mut self, pair: Pair<'t, Rule>) {
        match pair.as_rule() {
            Rule::expr => self.expr(pair),
            Rule::string | Rule::doc | Rule::path | Rule::date | Rule::number => {
                let text = pair.as_str().trim();
                self.token(text);
            }
            _ => {
                if pair.clone().into_inner().next().is_none() {
                    let words: Vec<&str> = pair.as_str().split_whitespace().collect();
                    self.token(&words.join(" "));
                    return;
                }
                // Keywords between the children, then the children.
                let mut pos = pair.as_span().start();
                let end = code_end(self.text, &pair);
                let children: Vec<Pair<'t, Rule>> = pair.into_inner().collect();
                for child in children {
                    let gap = self.text.get(pos..child.as_span().start()).unwrap_or("");
                    self.gap_inline(gap);
                    pos = code_end(self.text, &child);
                    self.inline(child);
                }
                let gap = self.text.get(pos..end).unwrap_or("");
                self.gap_inline(gap);
            }
        }
    }

    fn gap_inline(&mut self, gap: &str) {
        for piece in gap_pieces(gap, false) {
            match piece {
                Gap::Token(t) => self.token(t),
                Gap::Comment { text, .. } => self.pending_comment(text),
                Gap::Blank => {}
            }
        }
    }

    /// A comment found inside a line's code: kept on its own line above it.
    fn pending_comment(&mut self, text: &str) {
        let line = std::mem::take(&mut self.line);
        self.start_line();
        self.line.push_str(text);
        self.flush();
        self.line = line;
    }

    /// Writes an expression, breaking it at `or`/`and` if the line gets long.
    fn expr(&mut self, pair: Pair<'t, Rule>) {
        let mut tokens = Vec::new();
        let mut comments = Vec::new();
        expr_tokens(self.text, pair, &mut tokens, &mut comments, 0);
        for comment in comments {
            self.pending_comment(comment);
        }
        let flat = join(&tokens);
        self.start_line();
        let room = self.line.trim_end().len() + 1 + flat.chars().count();
        if room <= MAX_WIDTH {
            self.token(&flat);
            return;
        }
        let continuation = format!("{}{INDENT}{INDENT}", INDENT.repeat(self.indent));
        let first_width = self.line.trim_end().len() + 1;
        let lines = break_tokens(&tokens, 0, first_width, &continuation);
        let mut lines = lines.into_iter();
        if let Some(first) = lines.next() {
            self.token(&first);
        }
        for line in lines {
            self.flush();
            self.line = line;
        }
    }
}

/// Joins tokens with single spaces, without spaces inside brackets.
fn join(tokens: &[(String, usize)]) -> String {
    let mut out = String::new();
    let mut after_open = true;
    for (token, _) in tokens {
        if !after_open && token != ")" {
            out.push(' ');
        }
        out.push_str(token);
        after_open = token == "(";
    }
    out
}

/// Lays out an expression's tokens at bracket depth `depth` and deeper: on
/// one line if it fits in the width left after `first_width` columns, else
/// broken before each `or` at this depth (or each `and` when there is no
/// `or`), each piece laid out the same way one level down. The first line
/// is returned without indentation; the others start with `continuation`.
fn break_tokens(
    tokens: &[(String, usize)],
    depth: usize,
    first_width: usize,
    continuation: &str,
) -> Vec<String> {
    let flat = join(tokens);
    if first_width + flat.chars().count() <= MAX_WIDTH || depth > 16 {
        return vec![flat];
    }
    let at = |op: &str| {
        tokens
            .iter()
            .enumerate()
            .filter(|(i, (t, d))| *d == depth && t == op && *i > 0)
            .map(|(i, _)| i)
            .collect::<Vec<_>>()
    };
    let mut cuts = at("or");
    if cuts.is_empty() {
        cuts = at("and");
    }
    if cuts.is_empty() {
        // Nothing to break here: look inside the first bracket group.
        if tokens.iter().any(|(_, d)| *d > depth) {
            return break_tokens(tokens, depth + 1, first_width, continuation);
        }
        return vec![flat];
    }
    let mut lines: Vec<String> = Vec::new();
    let mut start = 0;
    cuts.push(tokens.len());
    let inner = format!("{continuation}{INDENT}{INDENT}");
    for cut in cuts {
        let piece = &tokens[start..cut];
        start = cut;
        let width = if lines.is_empty() {
            first_width
        } else {
            continuation.len()
        };
        let mut broken = break_tokens(piece, depth + 1, width, &inner).into_iter();
        if let Some(first) = broken.next() {
            if lines.is_empty() {
                lines.push(first);
            } else {
                lines.push(format!("{continuation}{first}"));
            }
        }
        lines.extend(broken);
    }
    lines
}

/// The tokens of an expression, each with its bracket depth, and the
/// comments inside it.
fn expr_tokens<'t>(
    text: &'t str,
    pair: Pair<'t, Rule>,
    out: &mut Vec<(String, usize)>,
    comments: &mut Vec<&'t str>,
    depth: usize,
) {
    let mut pos = pair.as_span().start();
    let end = code_end(text, &pair);
    for child in pair.into_inner() {
        for piece in gap_pieces(text.get(pos..child.as_span().start()).unwrap_or(""), false) {
            match piece {
                Gap::Token(t) => out.push((t.to_string(), depth)),
                Gap::Comment { text, .. } => comments.push(text),
                Gap::Blank => {}
            }
        }
        pos = code_end(text, &child);
        match child.as_rule() {
            Rule::paren => {
                out.push(("(".into(), depth));
                for inner in child.into_inner() {
                    expr_tokens(text, inner, out, comments, depth + 1);
                }
                out.push((")".into(), depth));
            }
            Rule::set_literal => {
                let names: Vec<&str> = child.into_inner().map(|p| p.as_str()).collect();
                out.push((format!("{{{}}}", names.join(", ")), depth));
            }
            Rule::is_unset => out.push(("is unset".into(), depth)),
            Rule::expr => expr_tokens(text, child, out, comments, depth),
            _ => {
                // Collect comments the token's own span may hold (none in
                // atomic rules), and normalise its spacing.
                let words: Vec<&str> = child.as_str().split_whitespace().collect();
                out.push((words.join(" "), depth));
            }
        }
    }
    for piece in gap_pieces(text.get(pos..end).unwrap_or(""), false) {
        match piece {
            Gap::Token(t) => out.push((t.to_string(), depth)),
            Gap::Comment { text, .. } => comments.push(text),
            Gap::Blank => {}
        }
    }
}
