//! YAML case files, read from saphyr-parser's event stream. Each event
//! carries the span of its text, start and end, so every value keeps its
//! whole extent and a message underlines exactly the value it is about.

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError};

use super::tree::{MAX_DEPTH, Node, ReadProblem, Tree};
use crate::source::Span;

pub fn parse(text: &str) -> Result<Tree, ReadProblem> {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder {
        text,
        stack: Vec::new(),
        root: None,
        documents: 0,
        last_end: 0,
    };
    // Events are pulled one at a time rather than through `Parser::load`,
    // which recurses once per level of nesting: this way the depth limit
    // stops the reading before the stack can overflow, and the first problem
    // ends it.
    let mut parser = Parser::new_from_str(text);
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(|e| syntax_error(text, &offsets, &e))?;
        let span = Span::new(
            offsets.byte(span.start.index()),
            offsets.byte(span.end.index()),
        );
        builder.event(event, span)?;
    }
    Ok(builder
        .root
        .unwrap_or_else(|| Tree::new(Node::Map(Vec::new()), Span::new(0, 0))))
}

fn syntax_error(text: &str, offsets: &CharOffsets, e: &ScanError) -> ReadProblem {
    let at = offsets.byte(e.marker().index());
    // The scanner reads ahead of the events and stops at 255 open brackets
    // with its own words; it is the same problem as nesting past MAX_DEPTH.
    if e.info() == "recursion limit exceeded" {
        return ReadProblem::too_deep(at);
    }
    // One whole character, so a multi-byte one is not cut; none at the end.
    let width = text
        .get(at..)
        .and_then(|rest| rest.chars().next())
        .map_or(0, char::len_utf8);
    ReadProblem::new(
        format!("this is not valid YAML: {}", e.info()),
        Span::new(at, at + width),
    )
}

/// saphyr-parser counts positions in characters; spans are in bytes.
struct CharOffsets {
    ascii: bool,
    bytes: Vec<usize>,
    len: usize,
}

impl CharOffsets {
    fn new(text: &str) -> Self {
        let ascii = text.is_ascii();
        let bytes = if ascii {
            Vec::new()
        } else {
            text.char_indices().map(|(i, _)| i).collect()
        };
        CharOffsets {
            ascii,
            bytes,
            len: text.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        if self.ascii {
            char_index.min(self.len)
        } else {
            self.bytes.get(char_index).copied().unwrap_or(self.len)
        }
    }
}

/// A collection being read; `end` is where its last item so far ends.
enum Frame {
    List {
        items: Vec<Tree>,
        start: usize,
        end: usize,
    },
    Map {
        entries: Vec<(String, Span, Tree)>,
        start: usize,
        end: usize,
        key: Option<(String, Span)>,
    },
}

struct Builder<'t> {
    text: &'t str,
    stack: Vec<Frame>,
    root: Option<Tree>,
    documents: usize,
    /// Where the previous event's text ended: a block scalar's header
    /// (`|`, `>`) lies between there and the scalar's content.
    last_end: usize,
}

impl Builder<'_> {
    fn event(&mut self, event: Event<'_>, span: Span) -> Result<(), ReadProblem> {
        let result = match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    Err(
                        ReadProblem::new("a case file holds one YAML document", span)
                            .help("split the cases into separate files"),
                    )
                } else {
                    Ok(())
                }
            }
            Event::Alias(_) => Err(ReadProblem::new(
                "YAML aliases (`*name`) are not accepted in case files",
                span,
            )
            .help("write the value out in full")),
            Event::Scalar(value, style, anchor, tag) => {
                let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
                let span = self.value_span(span, anchor != 0 || tag.is_some(), block);
                let node = match tag {
                    None => scalar(value.into_owned(), style),
                    Some(tag) => tagged(value.into_owned(), &tag).ok_or_else(|| {
                        ReadProblem::new(
                            format!("the YAML tag `{}` does not fit this value", tag_text(&tag)),
                            span,
                        )
                        .help(
                            "a case file may tag a value with !!str, !!int, !!float, !!bool or \
                             !!null, as long as the value is one; or leave the tag out",
                        )
                    })?,
                };
                self.finish(Tree::new(node, span))
            }
            Event::SequenceStart(anchor, ref tag) | Event::MappingStart(anchor, ref tag) => {
                let start = self
                    .value_span(span, anchor != 0 || tag.is_some(), false)
                    .start;
                if self.stack.len() >= MAX_DEPTH {
                    return Err(ReadProblem::too_deep(start));
                }
                self.stack
                    .push(if matches!(event, Event::SequenceStart(..)) {
                        Frame::List {
                            items: Vec::new(),
                            start,
                            end: start,
                        }
                    } else {
                        Frame::Map {
                            entries: Vec::new(),
                            start,
                            end: start,
                            key: None,
                        }
                    });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                // A flow collection ends at its bracket; a block one has no
                // closing text, so it ends where its last item does.
                let close = |start: usize, end: usize| {
                    Span::new(
                        start,
                        if span.is_empty() { end } else { span.end }.max(start),
                    )
                };
                match self.stack.pop() {
                    Some(Frame::List { items, start, end }) => {
                        self.finish(Tree::new(Node::List(items), close(start, end)))
                    }
                    Some(Frame::Map {
                        entries,
                        start,
                        end,
                        ..
                    }) => self.finish(Tree::new(Node::Map(entries), close(start, end))),
                    None => Ok(()),
                }
            }
            _ => Ok(()),
        };
        self.last_end = span.end;
        result
    }

    /// The part of an event's span that is the value itself: without its
    /// anchor or tag, with a block scalar's header, and without the line
    /// breaks and indentation a block value's span runs on into.
    fn value_span(&self, span: Span, has_properties: bool, block_scalar: bool) -> Span {
        let text = self.text;
        let mut start = span.start;
        if has_properties {
            start = skip_properties(text, start, span.end);
        } else if block_scalar {
            let header = skip_separation(text, self.last_end, start, ":-?");
            if header < start && matches!(text.as_bytes().get(header), Some(b'|' | b'>')) {
                start = header;
            }
        }
        let value = text.get(start..span.end).unwrap_or("");
        // Only YAML's own white space: a no-break space is content.
        let value = value.trim_end_matches([' ', '\t', '\r', '\n']);
        Span::new(start, start + value.len())
    }

    fn finish(&mut self, tree: Tree) -> Result<(), ReadProblem> {
        let Some(frame) = self.stack.last_mut() else {
            self.root = Some(tree);
            return Ok(());
        };
        match frame {
            Frame::List { items, end, .. } => {
                *end = tree.span.end;
                items.push(tree);
            }
            Frame::Map {
                entries, end, key, ..
            } => {
                *end = tree.span.end;
                match key.take() {
                    None => {
                        *key = Some(match tree.node {
                            Node::Str(name) => (name, tree.span),
                            Node::Int(i) => (i.to_string(), tree.span),
                            Node::Bool(b) => (b.to_string(), tree.span),
                            _ => {
                                return Err(ReadProblem::new(
                                    "keys must be plain names",
                                    tree.span,
                                )
                                .help("write the fact's name, e.g. `vulnerability:`"));
                            }
                        });
                    }
                    Some((name, key_span)) => {
                        if entries.iter().any(|(k, _, _)| *k == name) {
                            return Err(ReadProblem::new(
                                format!("the key `{name}` appears twice"),
                                key_span,
                            )
                            .help("give each fact once"));
                        }
                        entries.push((name, key_span, tree));
                    }
                }
            }
        }
        Ok(())
    }
}

/// Where the text after `from` stops being white space, line breaks,
/// comments and the given indicator characters; never past `to`.
fn skip_separation(text: &str, from: usize, to: usize, indicators: &str) -> usize {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < to {
        match bytes.get(at) {
            Some(b' ' | b'\t' | b'\r' | b'\n') => at += 1,
            Some(b'#') => {
                at = text
                    .get(at..to)
                    .and_then(|rest| rest.find('\n'))
                    .map_or(to, |n| at + n);
            }
            Some(&c) if indicators.as_bytes().contains(&c) => at += 1,
            _ => break,
        }
    }
    at
}

/// Where a node's content starts after its anchor (`&name`) and tag
/// (`!tag`), which come first, in either order, each one word.
fn skip_properties(text: &str, from: usize, to: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = skip_separation(text, from, to, "");
    while at < to && matches!(bytes.get(at), Some(b'&' | b'!')) {
        while at < to && !matches!(bytes.get(at), None | Some(b' ' | b'\t' | b'\r' | b'\n')) {
            at += 1;
        }
        at = skip_separation(text, at, to, "");
    }
    at
}

/// A scalar with a tag of YAML's core schema, read as the tag says:
/// `!!str 12` is the text "12", `!!int 12` the number. `None` for any other
/// tag, or a value the tag does not fit.
fn tagged(value: String, tag: &saphyr_parser::Tag) -> Option<Node> {
    if !tag.is_yaml_core_schema() {
        return None;
    }
    let plain = scalar(value.clone(), ScalarStyle::Plain);
    match (tag.suffix.as_str(), plain) {
        ("str", _) => Some(Node::Str(value)),
        ("int", node @ Node::Int(_))
        | ("float", node @ Node::Float(_))
        | ("bool", node @ Node::Bool(_))
        | ("null", node @ Node::Null) => Some(node),
        ("float", Node::Int(i)) => Some(Node::Float(i as f64)),
        _ => None,
    }
}

/// A tag as it was written: `!!int`, `!local`.
fn tag_text(tag: &saphyr_parser::Tag) -> String {
    if tag.is_yaml_core_schema() {
        format!("!!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

fn scalar(value: String, style: ScalarStyle) -> Node {
    if style != ScalarStyle::Plain {
        return Node::Str(value);
    }
    match value.as_str() {
        "" | "~" | "null" | "Null" | "NULL" => Node::Null,
        "true" | "True" | "TRUE" => Node::Bool(true),
        "false" | "False" | "FALSE" => Node::Bool(false),
        _ => {
            if let Ok(i) = value.replace('_', "").parse::<i64>() {
                Node::Int(i)
            } else if value.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '.') {
                value.parse::<f64>().map_or(Node::Str(value), Node::Float)
            } else {
                Node::Str(value)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text each value of a one-level mapping spans, by key.
    fn spanned(text: &str) -> Vec<(String, String)> {
        match parse(text) {
            Ok(Tree {
                node: Node::Map(entries),
                ..
            }) => entries
                .into_iter()
                .map(|(key, _, value)| (key, text[value.span.start..value.span.end].to_string()))
                .collect(),
            other => panic!("not a mapping: {other:?}"),
        }
    }

    fn span_of(text: &str, key: &str) -> String {
        spanned(text)
            .into_iter()
            .find(|(k, _)| k == key)
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("no `{key}` in {text:?}"))
    }

    fn problem(text: &str) -> (String, String) {
        match parse(text) {
            Err(p) => (p.message, text[p.span.start..p.span.end].to_string()),
            Ok(tree) => panic!("read: {tree:?}"),
        }
    }

    #[test]
    fn scalars_span_their_whole_text() {
        let text = "plain: hello big world  # a note\n\
                    multiline: first\n  second\n\
                    double: \"x\\ty\\u00e9 \\\"q\\\"\"\n\
                    single: 'it''s'\n\
                    number: -12.5e3\n\
                    empty:\n\
                    last: 1\n";
        assert_eq!(span_of(text, "plain"), "hello big world");
        assert_eq!(span_of(text, "multiline"), "first\n  second");
        assert_eq!(span_of(text, "double"), "\"x\\ty\\u00e9 \\\"q\\\"\"");
        assert_eq!(span_of(text, "single"), "'it''s'");
        assert_eq!(span_of(text, "number"), "-12.5e3");
        assert_eq!(span_of(text, "empty"), "");
    }

    #[test]
    fn core_schema_tags_say_what_a_value_is() {
        let text = "a: !!str 12\nb: !!int 12\nc: !!float 1\nd: !!bool true\ne: !!null null\n\
                    f: !!str true\ng: !!str |\n  six\n";
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("the text should read");
        };
        let nodes: Vec<Node> = entries.into_iter().map(|(_, _, v)| v.node).collect();
        assert_eq!(
            nodes,
            [
                Node::Str("12".into()),
                Node::Int(12),
                Node::Float(1.0),
                Node::Bool(true),
                Node::Null,
                Node::Str("true".into()),
                Node::Str("six\n".into()),
            ]
        );
        // A tag the value does not fit, a local tag, another core tag.
        for (text, tag) in [
            ("a: !!int twelve\n", "!!int"),
            ("a: !!bool 1\n", "!!bool"),
            ("a: !local x\n", "!local"),
            ("a: !!timestamp 2021-09-01\n", "!!timestamp"),
        ] {
            let Err(problem) = parse(text) else {
                panic!("{text:?} should be refused");
            };
            assert!(problem.message.contains(tag), "{}", problem.message);
            // The underline is the value; a tag is left out, as elsewhere.
            let span = problem.span;
            let value = text.trim_end().rsplit(' ').next().unwrap_or_default();
            assert_eq!(&text[span.start..span.end], value);
        }
    }

    #[test]
    fn block_scalars_span_header_to_last_line() {
        let text = "literal: |\n  one\n  two\n\n\
                    folded: >- # why\n  three\n  four\n\
                    kept: |+\n  five\n\n\
                    tagged: !!str |\n  six\n";
        assert_eq!(span_of(text, "literal"), "|\n  one\n  two");
        assert_eq!(span_of(text, "folded"), ">- # why\n  three\n  four");
        assert_eq!(span_of(text, "kept"), "|+\n  five");
        assert_eq!(span_of(text, "tagged"), "|\n  six");
        let windows = "a: |\r\n  one\r\n  two\r\n\r\nb: >\r\n  three\r\n";
        assert_eq!(span_of(windows, "a"), "|\r\n  one\r\n  two");
        assert_eq!(span_of(windows, "b"), ">\r\n  three");
        assert_eq!(span_of("a: x\u{a0}\n", "a"), "x\u{a0}");
        let listed = "- |\n  a\n- >\n  b\n";
        let Ok(Tree {
            node: Node::List(items),
            ..
        }) = parse(listed)
        else {
            panic!("not a list")
        };
        let texts: Vec<_> = items
            .iter()
            .map(|i| &listed[i.span.start..i.span.end])
            .collect();
        assert_eq!(texts, ["|\n  a", ">\n  b"]);
    }

    #[test]
    fn collections_span_from_their_start_to_their_last_item() {
        let text = "flow: [1, 2, {x: y}]\n\
                    map: {a: 1}\n\
                    none: []\n\
                    block:\n  - 1\n  - [2, 3]\n\
                    nested:\n  a: 1\n  b:\n    c: two words\n\
                    # a comment after\n\
                    anchored: &a [4]\n\
                    tagged: !!map\n  d: 5\n";
        assert_eq!(span_of(text, "flow"), "[1, 2, {x: y}]");
        assert_eq!(span_of(text, "map"), "{a: 1}");
        assert_eq!(span_of(text, "none"), "[]");
        assert_eq!(span_of(text, "block"), "- 1\n  - [2, 3]");
        assert_eq!(span_of(text, "nested"), "a: 1\n  b:\n    c: two words");
        assert_eq!(span_of(text, "anchored"), "[4]");
        assert_eq!(span_of(text, "tagged"), "d: 5");
    }

    #[test]
    fn a_comment_may_come_between_a_key_and_its_block_scalar() {
        let text = "a: # note\n  |\n  text\nb: # one\n  # two\n  >-\n  more\n";
        assert_eq!(span_of(text, "a"), "|\n  text");
        assert_eq!(span_of(text, "b"), ">-\n  more");
    }

    #[test]
    fn an_empty_value_after_its_tag_or_anchor_is_where_they_end() {
        for (text, at) in [("a: !!str\nb: 1\n", 8), ("a: &x\nb: 1\n", 5)] {
            let Ok(Tree {
                node: Node::Map(entries),
                ..
            }) = parse(text)
            else {
                panic!("not a map: {text:?}")
            };
            assert_eq!(entries[0].2.span, Span::new(at, at), "{text:?}");
        }
        // In a flow list, the empty value stays inside the brackets.
        let text = "a: [!!str]\n";
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("not a map: {text:?}")
        };
        let Node::List(items) = &entries[0].2.node else {
            panic!("not a list")
        };
        assert_eq!(items[0].span, Span::new(9, 9));
    }

    #[test]
    fn whole_numbers_and_truth_values_may_be_keys() {
        let text = "1: x\ntrue: y\n";
        let keys: Vec<String> = spanned(text).into_iter().map(|(k, _)| k).collect();
        assert_eq!(keys, ["1", "true"]);
    }

    #[test]
    fn keys_span_their_text() {
        let text = "first key: 1\n\"quoted\": 2\n";
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("not a map")
        };
        let keys: Vec<_> = entries
            .iter()
            .map(|(_, span, _)| &text[span.start..span.end])
            .collect();
        assert_eq!(keys, ["first key", "\"quoted\""]);
    }

    #[test]
    fn spans_are_bytes_even_after_chinese_text() {
        let text = "title: 预警通报\nsaid: \"é, ü\"\nplain: 第一 第二\ncount: 12\n";
        assert_eq!(span_of(text, "title"), "预警通报");
        assert_eq!(span_of(text, "said"), "\"é, ü\"");
        assert_eq!(span_of(text, "plain"), "第一 第二");
        assert_eq!(span_of(text, "count"), "12");
        let with_mark = "\u{feff}title: 预警\ncount: 12\n";
        assert_eq!(span_of(with_mark, "count"), "12");
    }

    #[test]
    fn scalars_get_their_yaml_types() {
        assert_eq!(scalar("null".into(), ScalarStyle::Plain), Node::Null);
        assert_eq!(scalar("".into(), ScalarStyle::Plain), Node::Null);
        assert_eq!(scalar("true".into(), ScalarStyle::Plain), Node::Bool(true));
        assert_eq!(scalar("42".into(), ScalarStyle::Plain), Node::Int(42));
        for (text, number) in [("1.5", 1.5), ("-2.5", -2.5), (".5", 0.5), ("1e3", 1000.0)] {
            assert_eq!(scalar(text.into(), ScalarStyle::Plain), Node::Float(number));
        }
        // Words Rust would read as numbers stay words.
        for word in ["inf", "NaN", "infinity", "-"] {
            assert_eq!(
                scalar(word.into(), ScalarStyle::Plain),
                Node::Str(word.into())
            );
        }
        assert_eq!(
            scalar("2021-09-01".into(), ScalarStyle::Plain),
            Node::Str("2021-09-01".into())
        );
        assert_eq!(
            scalar("42".into(), ScalarStyle::DoubleQuoted),
            Node::Str("42".into())
        );
        assert_eq!(
            scalar("true".into(), ScalarStyle::Literal),
            Node::Str("true".into())
        );
    }

    #[test]
    fn aliases_are_refused_where_they_are() {
        let (message, at) = problem("a: &x 1\nb: *x\n");
        assert!(message.contains("aliases"), "{message}");
        assert_eq!(at, "*x");
    }

    #[test]
    fn a_second_document_is_refused_at_its_marker() {
        let (message, at) = problem("a: 1\n---\nb: 2\n");
        assert_eq!(message, "a case file holds one YAML document");
        assert_eq!(at, "---");
        assert!(parse("---\na: 1\n...\n").is_ok());
    }

    #[test]
    fn a_repeated_key_is_refused_at_its_second_place() {
        let text = "a: 1\nb: 2\na: 3\n";
        let Err(p) = parse(text) else { panic!("read") };
        assert_eq!(p.message, "the key `a` appears twice");
        assert_eq!(p.span, Span::new(10, 11));
    }

    #[test]
    fn keys_that_are_not_names_are_refused() {
        let (message, at) = problem("[1, 2]: x\n");
        assert_eq!(message, "keys must be plain names");
        assert_eq!(at, "[1, 2]");
    }

    #[test]
    fn syntax_errors_point_where_the_parser_stopped() {
        let (message, at) = problem("a: [1, 2\n");
        assert!(message.starts_with("this is not valid YAML: "), "{message}");
        assert_eq!(at, "");
        let text = "a: 1\n b: 2\n";
        let Err(p) = parse(text) else { panic!("read") };
        assert!(p.message.contains("mapping values"), "{}", p.message);
        assert_eq!(p.span, Span::new(7, 8));
        // After non-ASCII text the place is still a whole character in bytes.
        let (_, at) = problem("名前: 1\n 値: 2\n");
        assert_eq!(at, ":");
    }

    #[test]
    fn nesting_past_the_limit_is_refused_without_overflowing() {
        for text in [
            "[".repeat(100_000),
            "{a: ".repeat(100_000),
            (0..200)
                .map(|i| format!("{}- \n", " ".repeat(i * 2)))
                .collect(),
        ] {
            let Err(p) = parse(&text) else { panic!("read") };
            assert!(p.message.contains("levels deep"), "{}", p.message);
        }
        let nested = |depth: usize| format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        assert!(parse(&nested(MAX_DEPTH)).is_ok());
        let Err(p) = parse(&nested(MAX_DEPTH + 1)) else {
            panic!("read")
        };
        assert_eq!(p.span, Span::new(MAX_DEPTH, MAX_DEPTH + 1));
    }
}
