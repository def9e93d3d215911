//! What was typed, in pieces: a small lexer shared by highlighting, the
//! multi-line check and the splitting of `fact = value, …` lists.

use crate::source::Span;

/// What a piece of the input is, for highlighting.
///
/// # Examples
///
/// ```
/// use deon::repl::{Session, TokenKind};
///
/// let kinds: Vec<TokenKind> = Session::new().highlight_tokens(":asof 2025-03-11").iter().map(|t| t.kind).collect();
/// assert_eq!(kinds, [TokenKind::Command, TokenKind::Space, TokenKind::Date]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenKind {
    /// `:eval`, `:set`, … at the start of the input.
    Command,
    /// `and`, `or`, `not`, `in`, `is`, `set`, `true`, `null`, `days`, …
    Keyword,
    /// Brackets, comparisons, arithmetic, `,` and `;`.
    Operator,
    /// `"text"` (or `'text'`, which YAML values accept).
    Text,
    /// A date, `2025-03-12`.
    Date,
    /// A number, `50,000` included.
    Number,
    /// A name: a fact path, a definition, an enum value, a rule id.
    Name,
    /// A name the loaded policies define as a fact or record.
    Fact,
    /// A `//` comment.
    Comment,
    /// Spaces, tabs and line breaks.
    Space,
    /// Anything else, such as a file path after `:load`.
    Other,
}

/// A piece of the input: what it is and where it stands.
///
/// # Examples
///
/// ```
/// let line = ":asof 2025-03-11";
/// let tokens = deon::repl::Session::new().highlight_tokens(line);
/// let pieces: Vec<&str> = tokens.iter().map(|t| &line[t.range()]).collect();
/// assert_eq!(pieces, [":asof", " ", "2025-03-11"]);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    /// What the piece is.
    pub kind: TokenKind,
    pub(crate) span: Span,
}

impl Token {
    /// Where the piece stands in the input, in bytes.
    ///
    /// # Examples
    ///
    /// ```
    /// let tokens = deon::repl::Session::new().highlight_tokens(":eval all");
    /// assert_eq!(tokens[0].range(), 0..5);
    /// ```
    pub fn range(&self) -> std::ops::Range<usize> {
        self.span.start..self.span.end
    }
}

/// Words a typed value gives a meaning of its own, besides the grammar's
/// keywords (`crate::analysis::keywords`, read from the grammar itself).
const VALUE_WORDS: &[&str] = &["null", "today", "CNY"];

fn is_keyword(word: &str) -> bool {
    crate::analysis::is_keyword(word) || VALUE_WORDS.contains(&word)
}

/// Keywords after which an expression cannot end.
const OPEN_KEYWORDS: &[&str] = &["and", "or", "not", "in", "is", "contains"];
/// Operators after which an expression (or a value list) cannot end.
const OPEN_OPERATORS: &[&str] = &["=", "!=", "<", "<=", ">", ">=", "+", "-", ","];

/// Commands whose arguments are names or paths, never expressions or values.
const PLAIN_COMMANDS: &[&str] = &[
    "load", "reload", "case", "clear", "unset", "facts", "asof", "eval", "rule", "explain", "help",
    "quit", "q", "exit", "h",
];

/// Commands whose argument is a file path: not lexed at all.
const PATH_COMMANDS: &[&str] = &["load", "case"];

fn ident_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The command word of an input (`set` for `:set x = 1`), with its span
/// including the colon.
pub fn command(text: &str) -> Option<(&str, Span)> {
    let start = text.len() - text.trim_start().len();
    let rest = text.get(start..)?.strip_prefix(':')?;
    let len = rest
        .find(|c: char| !(ident_char(c) || c == '?' || c == '-'))
        .unwrap_or(rest.len());
    Some((&rest[..len], Span::new(start, start + 1 + len)))
}

/// Splits the input into tokens covering every byte.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut at = 0;
    if let Some((name, span)) = command(text) {
        if span.start > 0 {
            out.push(Token {
                kind: TokenKind::Space,
                span: Span::new(0, span.start),
            });
        }
        out.push(Token {
            kind: TokenKind::Command,
            span,
        });
        at = span.end;
        if PATH_COMMANDS.contains(&name) {
            if at < text.len() {
                out.push(Token {
                    kind: TokenKind::Other,
                    span: Span::new(at, text.len()),
                });
            }
            return out;
        }
    }
    while at < text.len() {
        let rest = &text[at..];
        let Some(c) = rest.chars().next() else {
            break;
        };
        let (kind, len) = if c.is_whitespace() {
            let len = rest
                .find(|c: char| !c.is_whitespace())
                .unwrap_or(rest.len());
            (TokenKind::Space, len)
        } else if rest.starts_with("//") {
            (TokenKind::Comment, rest.find('\n').unwrap_or(rest.len()))
        } else if c == '"' || c == '\'' && !text[..at].ends_with(ident_char) {
            // An apostrophe inside a word (`it's`) opens no string.
            (TokenKind::Text, quoted(rest, c).0)
        } else if c.is_ascii_digit() {
            number_or_date(rest)
        } else if ident_start(c) {
            let mut len = word_len(rest);
            // A dotted path is one name.
            while rest[len..].starts_with('.') && rest[len + 1..].starts_with(ident_start) {
                len += 1 + word_len(&rest[len + 1..]);
            }
            let word = &rest[..len];
            if is_keyword(word) {
                (TokenKind::Keyword, len)
            } else {
                (TokenKind::Name, len)
            }
        } else if ["!=", "<=", ">="].iter().any(|op| rest.starts_with(op)) {
            (TokenKind::Operator, 2)
        } else if "=<>+-()[]{},;".contains(c) {
            (TokenKind::Operator, 1)
        } else {
            (TokenKind::Other, c.len_utf8())
        };
        let len = len.max(1).min(rest.len());
        // Keep token ends on character boundaries.
        let mut end = at + len;
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push(Token {
            kind,
            span: Span::new(at, end),
        });
        at = end;
    }
    out
}

fn word_len(text: &str) -> usize {
    text.find(|c: char| !ident_char(c)).unwrap_or(text.len())
}

/// The length of a quoted string, the closing quote included if present,
/// and whether it is closed.
fn quoted(text: &str, quote: char) -> (usize, bool) {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        if escaped {
            escaped = false;
        } else if c == '\\' && quote == '"' {
            escaped = true;
        } else if c == quote {
            return (i + 1, true);
        }
    }
    (text.len(), false)
}

fn number_or_date(text: &str) -> (TokenKind, usize) {
    let bytes = text.as_bytes();
    let digits = |from: usize, n: usize| {
        (from..from + n).all(|i| bytes.get(i).is_some_and(u8::is_ascii_digit))
    };
    let after_ok = |at: usize| !text[at.min(text.len())..].starts_with(ident_char);
    if digits(0, 4)
        && bytes.get(4) == Some(&b'-')
        && digits(5, 2)
        && bytes.get(7) == Some(&b'-')
        && digits(8, 2)
        && after_ok(10)
    {
        return (TokenKind::Date, 10);
    }
    let len = text
        .find(|c: char| !(c.is_ascii_digit() || c == ',' || c == '_'))
        .unwrap_or(text.len());
    // A trailing comma separates values; it is not part of the number.
    let len = text[..len].trim_end_matches(',').len();
    (TokenKind::Number, len.max(1))
}

/// What leaves an input unfinished, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Open {
    /// A bracket that is never closed.
    Bracket(Span),
    /// A quoted string that is never closed.
    Quote(Span),
    /// An operator or keyword that needs something after it.
    Operator(Span),
}

/// Whether the input is unfinished: a bracket or quote left open, or an
/// expression or value list ending in an operator (`and`, `+`, `=`, `in`, …).
/// Used to read input over several lines.
///
/// # Examples
///
/// ```
/// use deon::repl::needs_more_input;
///
/// assert!(needs_more_input("vulnerability.aware_on is set and"));
/// assert!(needs_more_input("(1 + 2"));
/// assert!(!needs_more_input("1 + 2"));
/// assert!(!needs_more_input(":load policies"));
/// ```
pub fn needs_more_input(text: &str) -> bool {
    open_part(text).is_some()
}

/// What leaves the input unfinished: the innermost bracket still open, an
/// unclosed quote, or a trailing operator. `None` when it is complete.
pub(crate) fn open_part(text: &str) -> Option<Open> {
    if let Some((name, _)) = command(text) {
        if PLAIN_COMMANDS.contains(&name) {
            return None;
        }
    }
    let tokens = tokens(text);
    // The brackets still open, innermost last.
    let mut open: Vec<Span> = Vec::new();
    for token in &tokens {
        let piece = &text[token.span.start..token.span.end];
        match token.kind {
            TokenKind::Operator if matches!(piece, "(" | "[" | "{") => open.push(token.span),
            TokenKind::Operator if matches!(piece, ")" | "]" | "}") => {
                open.pop();
            }
            TokenKind::Text => {
                let quote = piece.chars().next().unwrap_or('"');
                if !quoted(piece, quote).1 {
                    return Some(Open::Quote(token.span));
                }
            }
            _ => {}
        }
    }
    if let Some(&bracket) = open.last() {
        return Some(Open::Bracket(bracket));
    }
    let last = tokens
        .iter()
        .rev()
        .find(|t| !matches!(t.kind, TokenKind::Space | TokenKind::Comment))?;
    let piece = &text[last.span.start..last.span.end];
    let dangling = match last.kind {
        TokenKind::Operator => OPEN_OPERATORS.contains(&piece),
        TokenKind::Keyword => OPEN_KEYWORDS.contains(&piece),
        _ => false,
    };
    dangling.then_some(Open::Operator(last.span))
}

/// One `fact = value` (or a bare `fact`) of a list typed after `:set`,
/// `:whatif` or `:unset`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Assignment {
    pub path: Span,
    /// Where the value stands, if there is an `=`.
    pub value: Option<Span>,
    /// The whole item.
    pub span: Span,
}

/// Splits `a = 1, b.c = [x, y]; d = "6 months"` into assignments. A comma or
/// semicolon outside brackets and quotes separates two items only when the
/// next item starts like `name =`, so `50,000` and lists stay whole.
pub fn assignments(text: &str, from: usize) -> Vec<Assignment> {
    let mut items = Vec::new();
    let mut start = from;
    let mut depth: i64 = 0;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in text[from..].char_indices() {
        let at = from + i;
        if let Some(q) = quote {
            if escaped {
                escaped = false;
            } else if c == '\\' && q == '"' {
                escaped = true;
            } else if c == q {
                quote = None;
            }
            continue;
        }
        match c {
            '"' => quote = Some(c),
            '\'' if !text[..at].ends_with(ident_char) => quote = Some(c),
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            ',' | ';' if depth <= 0 && (c == ';' || starts_assignment(&text[at + 1..])) => {
                items.push(Span::new(start, at));
                start = at + 1;
            }
            _ => {}
        }
    }
    items.push(Span::new(start, text.len()));
    items
        .into_iter()
        .filter(|span| !text[span.start..span.end].trim().is_empty())
        .map(|span| {
            let piece = &text[span.start..span.end];
            let lead = piece.len() - piece.trim_start().len();
            let span = Span::new(span.start + lead, span.start + piece.trim_end().len());
            let piece = &text[span.start..span.end];
            match piece.find('=') {
                Some(eq) => {
                    let path = &piece[..eq];
                    Assignment {
                        path: Span::new(span.start, span.start + path.trim_end().len()),
                        value: Some(Span::new(span.start + eq + 1, span.end)),
                        span,
                    }
                }
                None => Assignment {
                    path: span,
                    value: None,
                    span,
                },
            }
        })
        .collect()
}

/// Whether the text starts like `name.path =` (but not `==`).
fn starts_assignment(text: &str) -> bool {
    let text = text.trim_start();
    if !text.starts_with(ident_start) {
        return false;
    }
    let len = text
        .find(|c: char| !(ident_char(c) || c == '.'))
        .unwrap_or(text.len());
    let rest = text[len..].trim_start();
    rest.starts_with('=') && !rest.starts_with("==")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(TokenKind, &str)> {
        tokens(text)
            .into_iter()
            .filter(|t| t.kind != TokenKind::Space)
            .map(|t| (t.kind, &text[t.span.start..t.span.end]))
            .collect()
    }

    #[test]
    fn lexes_commands_names_and_literals() {
        assert_eq!(
            kinds(":set vulnerability.aware_on = 2025-03-10 // note"),
            vec![
                (TokenKind::Command, ":set"),
                (TokenKind::Name, "vulnerability.aware_on"),
                (TokenKind::Operator, "="),
                (TokenKind::Date, "2025-03-10"),
                (TokenKind::Comment, "// note"),
            ]
        );
        assert_eq!(
            kinds("x is set and \"a\" + 50,000"),
            vec![
                (TokenKind::Name, "x"),
                (TokenKind::Keyword, "is"),
                (TokenKind::Keyword, "set"),
                (TokenKind::Keyword, "and"),
                (TokenKind::Text, "\"a\""),
                (TokenKind::Operator, "+"),
                (TokenKind::Number, "50,000"),
            ]
        );
        assert_eq!(
            kinds(":load policies/cn"),
            vec![
                (TokenKind::Command, ":load"),
                (TokenKind::Other, " policies/cn")
            ]
        );
    }

    #[test]
    fn tokens_cover_every_byte_even_in_chinese_text() {
        for text in ["\"预警\" and 通报", ":type 1 + é", "(((", "\"unterminated"] {
            let covered: usize = tokens(text).iter().map(|t| t.span.len()).sum();
            assert_eq!(covered, text.len(), "{text}");
        }
    }

    #[test]
    fn unfinished_input_asks_for_more() {
        for text in [
            "a and",
            "(a or",
            "x.y =",
            ":set party.roles = [a,",
            ":whatif a = 1,",
            "x in",
            "today +",
            "\"open",
            "x is not",
        ] {
            assert!(needs_more_input(text), "{text}");
        }
        for text in [
            "a and b",
            "(a or b)",
            ":set x = 1",
            ":eval",
            ":load (",
            "",
            "x is set",
            "\"closed\"",
            "a)",
            ":help =",
            "2025-03-10",
        ] {
            assert!(!needs_more_input(text), "{text}");
        }
    }

    #[test]
    fn assignments_split_only_between_items() {
        let text = ":whatif a.b = 50,000, c = [x, y]; d = \"1, e = 2\", f";
        let items: Vec<(String, Option<String>)> = assignments(text, 7)
            .into_iter()
            .map(|a| {
                (
                    text[a.path.start..a.path.end].to_string(),
                    a.value.map(|v| text[v.start..v.end].trim().to_string()),
                )
            })
            .collect();
        assert_eq!(
            items,
            vec![
                ("a.b".to_string(), Some("50,000".to_string())),
                ("c".to_string(), Some("[x, y]".to_string())),
                ("d".to_string(), Some("\"1, e = 2\", f".to_string())),
            ]
        );
    }
}
