//! The full JSON case reader: RFC 8259 JSON (tokens from json_lex.rs) into
//! a tree that keeps the byte span of every value. serde_json does not
//! expose value positions, and diagnostics need them.

use super::json_lex::{self, Literal, Number};
use super::tree::{self, MAX_DEPTH, Node, ReadProblem, Tree};
use crate::source::Span;

pub fn parse(text: &str) -> Result<Tree, ReadProblem> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: json_lex::start(text),
        duplicate: None,
    };
    reader.skip_ws();
    let tree = reader.value(0)?;
    reader.skip_ws();
    if reader.pos < reader.bytes.len() {
        return Err(ReadProblem::new(
            "unexpected text after the JSON value",
            Span::new(reader.pos, reader.bytes.len()),
        )
        .help("a case file holds one JSON object"));
    }
    // Valid JSON, but which of the two values is meant? Reported after the
    // whole text is known to be JSON, so that a syntax error always comes
    // first.
    match reader.duplicate {
        Some(problem) => Err(problem),
        None => Ok(tree),
    }
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    /// The first key given twice in an object.
    duplicate: Option<ReadProblem>,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        self.pos = json_lex::skip_ws(self.bytes, self.pos);
    }

    fn here(&self) -> Span {
        let len = self
            .text
            .get(self.pos..)
            .and_then(|r| r.chars().next())
            .map_or(0, char::len_utf8);
        Span::new(self.pos, self.pos + len)
    }

    fn unexpected(&self, wanted: &str) -> ReadProblem {
        match self.text.get(self.pos..).and_then(|r| r.chars().next()) {
            None => ReadProblem::new(
                format!("the file ends where {wanted} was expected"),
                Span::new(self.pos, self.pos),
            )
            .help("check for a missing closing bracket or quote"),
            Some(c) => {
                let problem =
                    ReadProblem::new(format!("expected {wanted}, found `{c}`"), self.here());
                match c {
                    '\'' => problem.help("JSON strings use double quotes"),
                    '/' | '#' => problem.help("JSON has no comments"),
                    '+' => problem.help("JSON numbers have no leading `+`"),
                    '.' => problem
                        .help("write digits on both sides of the decimal point, e.g. 0.5 or 1.0"),
                    ',' | ']' | '}' if self.after_comma() => {
                        problem.help("JSON has no empty items or trailing commas")
                    }
                    _ => problem,
                }
            }
        }
    }

    fn after_comma(&self) -> bool {
        let before = self.bytes.get(..self.pos).unwrap_or_default();
        before
            .iter()
            .rev()
            .find(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
            == Some(&b',')
    }

    fn value(&mut self, depth: usize) -> Result<Tree, ReadProblem> {
        if depth > MAX_DEPTH {
            return Err(ReadProblem::too_deep(self.pos));
        }
        let start = self.pos;
        let node = match self.bytes.get(self.pos) {
            Some(b'{') => return self.object(depth),
            Some(b'[') => return self.array(depth),
            Some(b'"') => Node::Str(self.string()?),
            Some(b'-' | b'0'..=b'9') => {
                let (number, end) = json_lex::number(self.text, self.pos)?;
                self.pos = end;
                match number {
                    Number::Int(i) => Node::Int(i),
                    Number::Float(f) => Node::Float(f),
                }
            }
            _ => match json_lex::literal(self.bytes, self.pos) {
                Some((literal, end)) => {
                    self.pos = end;
                    match literal {
                        Literal::True => Node::Bool(true),
                        Literal::False => Node::Bool(false),
                        Literal::Null => Node::Null,
                    }
                }
                None => return Err(self.unexpected("a value")),
            },
        };
        Ok(Tree::new(node, Span::new(start, self.pos)))
    }

    fn string(&mut self) -> Result<String, ReadProblem> {
        let (text, end) = json_lex::string(self.text, self.pos)?;
        self.pos = end;
        Ok(text.into_owned())
    }

    fn array(&mut self, depth: usize) -> Result<Tree, ReadProblem> {
        let start = self.pos;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
            return Ok(Tree::new(Node::List(items), Span::new(start, self.pos)));
        }
        loop {
            self.skip_ws();
            items.push(self.value(depth + 1)?);
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(Tree::new(Node::List(items), Span::new(start, self.pos)));
                }
                _ => return Err(self.unexpected("`,` or `]`")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Result<Tree, ReadProblem> {
        let start = self.pos;
        self.pos += 1;
        let mut entries: Vec<(String, Span, Tree)> = Vec::new();
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            return Ok(Tree::new(Node::Map(entries), Span::new(start, self.pos)));
        }
        loop {
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b'"') {
                return Err(self.unexpected("a key in double quotes"));
            }
            let key_start = self.pos;
            let key = self.string()?;
            let key_span = Span::new(key_start, self.pos);
            if self.duplicate.is_none() && entries.iter().any(|(k, _, _)| *k == key) {
                self.duplicate = Some(
                    ReadProblem::new(
                        format!("the key \"{}\" appears twice", tree::clip(&key)),
                        key_span,
                    )
                    .help("give each fact once"),
                );
            }
            self.skip_ws();
            if self.bytes.get(self.pos) != Some(&b':') {
                return Err(self.unexpected("`:`"));
            }
            self.pos += 1;
            self.skip_ws();
            let value = self.value(depth + 1)?;
            entries.push((key, key_span, value));
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(Tree::new(Node::Map(entries), Span::new(start, self.pos)));
                }
                _ => return Err(self.unexpected("`,` or `}`")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_point_at_values_after_multibyte_text() {
        let text = r#"{"title": "预警", "n": 12}"#;
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("not a map")
        };
        let (_, _, n) = &entries[1];
        assert_eq!(&text[n.span.start..n.span.end], "12");
        assert_eq!(entries[0].2.node, Node::Str("预警".into()));
    }

    #[test]
    fn a_leading_byte_order_mark_is_skipped() {
        // RFC 8259 §8.1 lets a parser ignore it; a policy test file in JSON
        // reaches this reader with the mark still on.
        let text = "\u{feff}{\"n\": 12}";
        let Ok(Tree {
            node: Node::Map(entries),
            span,
        }) = parse(text)
        else {
            panic!("not a map")
        };
        assert_eq!(span.start, 3);
        assert_eq!(&text[entries[0].2.span.start..entries[0].2.span.end], "12");
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let problem = parse(&text).err().map(|p| p.message);
        assert!(problem.is_some_and(|m| m.contains("nests more than")));
    }

    #[test]
    fn nesting_stops_just_past_the_limit() {
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let Err(p) = parse(&nested(MAX_DEPTH + 1)) else {
            panic!("one level too deep")
        };
        assert_eq!(p.span, Span::new(MAX_DEPTH + 1, MAX_DEPTH + 2));
    }

    #[test]
    fn only_a_comma_before_brings_the_trailing_comma_hint() {
        for text in ["{\"n\": }", "[1 }", "{\"n\": 1 ]", "{\"n\": [2 }"] {
            let problem = parse(text).err();
            assert!(problem.is_some(), "{text}");
            assert_eq!(problem.and_then(|p| p.help), None, "{text}");
        }
    }

    #[test]
    fn what_is_not_json_is_marked_with_a_hint() {
        for (text, marked, help) in [
            ("{\"n\": 007}", "007", "no leading zeros"),
            ("{\"n\": -1.}", "-1.", "both sides of the decimal point"),
            ("{\"n\": 1e}", "1e", "an exponent needs digits"),
            ("{\"n\": +1}", "+", "no leading `+`"),
            ("{\"n\": -.5}", "-.5", "both sides of the decimal point"),
            ("{\"n\": .5}", ".", "both sides of the decimal point"),
            ("{\"n\": [1,]}", "]", "trailing commas"),
            ("{'n': 1}", "'", "double quotes"),
            ("{\"n\": /* one */ 1}", "/", "no comments"),
            ("{\"n\": \"\\x\"}", "\\x", "JSON's escapes"),
        ] {
            let problem = parse(text).err();
            let at = problem.as_ref().map(|p| &text[p.span.start..p.span.end]);
            assert_eq!(at, Some(marked), "{text}");
            let hint = problem.and_then(|p| p.help).unwrap_or_default();
            assert!(hint.contains(help), "{text}: {hint}");
        }
    }

    #[test]
    fn a_key_given_twice_is_reported_after_the_syntax() {
        let twice = parse(r#"{"a": 1, "a": 2}"#).err().map(|p| p.message);
        assert!(twice.is_some_and(|m| m.contains("appears twice")));
        let both = parse(r#"{"a": 1, "a": 2, }"#).err().map(|p| p.message);
        assert!(both.is_some_and(|m| m.starts_with("expected")));
    }

    #[test]
    fn errors_have_positions() {
        let err = parse("{\"a\": tru}").err();
        assert_eq!(err.map(|e| e.span.start), Some(6));
    }
}
