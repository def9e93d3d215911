//! A JSON reader that keeps the byte span of every value. serde_json does not
//! expose value positions, and diagnostics need them.

use super::tree::{MAX_DEPTH, Node, ReadProblem, Tree};
use crate::source::Span;

pub fn parse(text: &str) -> Result<Tree, ReadProblem> {
    let mut reader = Reader {
        bytes: text.as_bytes(),
        text,
        pos: 0,
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
    Ok(tree)
}

struct Reader<'t> {
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
}

impl Reader<'_> {
    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
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
                if c == '\'' {
                    problem.help("JSON strings use double quotes")
                } else {
                    problem
                }
            }
        }
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
            Some(b't') => self.word("true", Node::Bool(true))?,
            Some(b'f') => self.word("false", Node::Bool(false))?,
            Some(b'n') => self.word("null", Node::Null)?,
            Some(b'-' | b'0'..=b'9') => self.number()?,
            _ => return Err(self.unexpected("a value")),
        };
        Ok(Tree::new(node, Span::new(start, self.pos)))
    }

    fn word(&mut self, word: &str, node: Node) -> Result<Node, ReadProblem> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(node)
        } else {
            Err(self.unexpected("a value"))
        }
    }

    fn number(&mut self) -> Result<Node, ReadProblem> {
        let start = self.pos;
        while let Some(b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
        let text = &self.text[start..self.pos];
        if let Ok(i) = text.parse::<i64>() {
            return Ok(Node::Int(i));
        }
        text.parse::<f64>().map(Node::Float).map_err(|_| {
            ReadProblem::new(
                format!("`{text}` is not a number"),
                Span::new(start, self.pos),
            )
        })
    }

    fn string(&mut self) -> Result<String, ReadProblem> {
        let start = self.pos;
        self.pos += 1;
        let mut out = String::new();
        loop {
            let Some(&b) = self.bytes.get(self.pos) else {
                return Err(ReadProblem::new(
                    "this text is never closed",
                    Span::new(start, self.pos),
                )
                .help("add the closing `\"`"));
            };
            match b {
                b'"' => {
                    self.pos += 1;
                    return Ok(out);
                }
                b'\\' => {
                    let escape = self.bytes.get(self.pos + 1).copied();
                    self.pos += 2;
                    match escape {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'n') => out.push('\n'),
                        Some(b'r') => out.push('\r'),
                        Some(b't') => out.push('\t'),
                        Some(b'u') => out.push(self.unicode_escape()?),
                        _ => {
                            return Err(ReadProblem::new(
                                "unknown escape in text",
                                Span::new(self.pos - 2, self.pos.min(self.bytes.len())),
                            ));
                        }
                    }
                }
                b if b < 0x20 => {
                    return Err(ReadProblem::new(
                        "a line break or control character inside text",
                        self.here(),
                    )
                    .help("write it as \\n"));
                }
                _ => {
                    // Copy a run of ordinary characters at once; the text is valid UTF-8.
                    let run_end = self.bytes[self.pos..]
                        .iter()
                        .position(|&c| c == b'"' || c == b'\\' || c < 0x20)
                        .map_or(self.bytes.len(), |n| self.pos + n);
                    out.push_str(&self.text[self.pos..run_end]);
                    self.pos = run_end;
                }
            }
        }
    }

    fn unicode_escape(&mut self) -> Result<char, ReadProblem> {
        let hex = |r: &mut Self| -> Result<u32, ReadProblem> {
            let digits = r
                .text
                .get(r.pos..r.pos + 4)
                .ok_or_else(|| ReadProblem::new("a \\u escape needs four hex digits", r.here()))?;
            let value = u32::from_str_radix(digits, 16).map_err(|_| {
                ReadProblem::new(
                    "a \\u escape needs four hex digits",
                    Span::new(r.pos, r.pos + 4),
                )
            })?;
            r.pos += 4;
            Ok(value)
        };
        let first = hex(self)?;
        let code =
            if (0xD800..0xDC00).contains(&first) && self.bytes[self.pos..].starts_with(b"\\u") {
                self.pos += 2;
                let second = hex(self)?;
                0x10000 + ((first - 0xD800) << 10) + (second.wrapping_sub(0xDC00) & 0x3FF)
            } else {
                first
            };
        char::from_u32(code).ok_or_else(|| {
            ReadProblem::new(
                "this \\u escape is not a character",
                Span::new(self.pos - 6, self.pos),
            )
        })
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
            if entries.iter().any(|(k, _, _)| *k == key) {
                return Err(
                    ReadProblem::new(format!("the key \"{key}\" appears twice"), key_span)
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
    fn deep_nesting_is_refused() {
        let text = "[".repeat(10_000);
        let problem = parse(&text).err().map(|p| p.message);
        assert!(problem.is_some_and(|m| m.contains("nests more than")));
    }

    #[test]
    fn errors_have_positions() {
        let err = parse("{\"a\": tru}").err();
        assert_eq!(err.map(|e| e.span.start), Some(6));
    }
}
