//! A format-neutral tree of case data with a span on every node, so that a
//! problem with any value can point into the case file.

use chrono::NaiveDate;

use crate::source::Span;

/// Nesting deeper than this is refused by every case-file reader.
pub const MAX_DEPTH: usize = 64;

#[derive(Clone, Debug, PartialEq)]
pub enum Node {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    /// TOML has dates of its own.
    Date(NaiveDate),
    List(Vec<Tree>),
    Map(Vec<(String, Span, Tree)>),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Tree {
    pub node: Node,
    pub span: Span,
}

impl Tree {
    pub fn new(node: Node, span: Span) -> Tree {
        Tree { node, span }
    }

    /// What the value is, in words, for "expected a date, found ..." messages.
    pub fn describe(&self) -> String {
        match &self.node {
            Node::Null => "null".into(),
            Node::Bool(b) => format!("`{b}` (true/false)"),
            Node::Int(i) => format!("the number {i}"),
            Node::Float(f) => format!("the number {f}"),
            Node::Str(s) => format!("the text \"{}\"", clip(s)),
            Node::Date(d) => format!("the date {d}"),
            Node::List(_) => "a list".into(),
            Node::Map(_) => "a group of keys".into(),
        }
    }
}

/// Text from a case as echoed in a message: whole when short, otherwise its
/// start and its length, so a 60 MB value does not come back in the error.
/// Line breaks and tabs are shown as `\n`, `\r` and `\t`, so the quoted text
/// stays on the message's line.
pub fn clip(text: &str) -> std::borrow::Cow<'_, str> {
    const SHOWN: usize = 80;
    let shown = match text.char_indices().nth(SHOWN + 20) {
        None => std::borrow::Cow::Borrowed(text),
        Some(_) => {
            let cut = text
                .char_indices()
                .nth(SHOWN)
                .map_or(text.len(), |(i, _)| i);
            std::borrow::Cow::Owned(format!(
                "{}… ({} characters in all)",
                &text[..cut],
                text.chars().count()
            ))
        }
    };
    if !shown.contains(['\n', '\r', '\t']) {
        return shown;
    }
    let mut flat = String::with_capacity(shown.len() + 8);
    for c in shown.chars() {
        match c {
            '\n' => flat.push_str("\\n"),
            '\r' => flat.push_str("\\r"),
            '\t' => flat.push_str("\\t"),
            c => flat.push(c),
        }
    }
    std::borrow::Cow::Owned(flat)
}

/// A date written exactly YYYY-MM-DD: four-digit year, two-digit month and
/// day, no sign, no spaces. Every case format and the REPL read dates with
/// this, as the language documents them.
pub fn strict_date(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return None;
    }
    let year: i32 = text.get(0..4)?.parse().ok()?;
    let month: u32 = text.get(5..7)?.parse().ok()?;
    let day: u32 = text.get(8..10)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day)
}

/// A problem reading the file itself, before its meaning is considered.
#[derive(Clone, Debug)]
pub struct ReadProblem {
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

impl ReadProblem {
    pub fn new(message: impl Into<String>, span: Span) -> Self {
        ReadProblem {
            message: message.into(),
            span,
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn too_deep(at: usize) -> Self {
        ReadProblem::new(
            format!("the case nests more than {MAX_DEPTH} levels deep"),
            Span::new(at, at + 1),
        )
        .help("facts are records of values a few levels deep; check the file for runaway brackets")
    }
}

#[cfg(test)]
mod tests {
    use super::clip;

    #[test]
    fn echoed_text_stays_on_one_line_and_short() {
        assert_eq!(clip("plain"), "plain");
        assert_eq!(clip("two\nlines\tand\r"), "two\\nlines\\tand\\r");
        let long = format!("{}\n", "x".repeat(200));
        let shown = clip(&long);
        assert!(shown.ends_with("… (201 characters in all)"), "{shown}");
        assert!(!shown.contains('\n'));
    }
}
