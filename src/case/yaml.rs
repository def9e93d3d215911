//! YAML case files, read from yaml-rust2's event stream so that every value
//! keeps its position.

use yaml_rust2::parser::{Event, MarkedEventReceiver, Parser};
use yaml_rust2::scanner::{Marker, TScalarStyle};

use super::tree::{MAX_DEPTH, Node, ReadProblem, Tree};
use crate::source::Span;

pub fn parse(text: &str) -> Result<Tree, ReadProblem> {
    let offsets = CharOffsets::new(text);
    let mut builder = Builder {
        offsets: &offsets,
        stack: Vec::new(),
        root: None,
        problem: None,
        documents: 0,
    };
    let mut parser = Parser::new_from_str(text);
    if let Err(e) = parser.load(&mut builder, true) {
        let at = offsets.byte(e.marker().index());
        return Err(ReadProblem::new(
            format!("this is not valid YAML: {}", e.info()),
            Span::new(at, at + 1),
        ));
    }
    if let Some(problem) = builder.problem {
        return Err(problem);
    }
    Ok(builder
        .root
        .unwrap_or_else(|| Tree::new(Node::Map(Vec::new()), Span::new(0, 0))))
}

/// yaml-rust2 counts positions in characters; spans are in bytes.
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

enum Frame {
    List(Vec<Tree>, usize),
    Map(Vec<(String, Span, Tree)>, usize, Option<(String, Span)>),
}

struct Builder<'o> {
    offsets: &'o CharOffsets,
    stack: Vec<Frame>,
    root: Option<Tree>,
    problem: Option<ReadProblem>,
    documents: usize,
}

impl Builder<'_> {
    fn fail(&mut self, problem: ReadProblem) {
        if self.problem.is_none() {
            self.problem = Some(problem);
        }
    }

    fn finish(&mut self, tree: Tree) {
        match self.stack.last_mut() {
            None => self.root = Some(tree),
            Some(Frame::List(items, _)) => items.push(tree),
            Some(Frame::Map(entries, _, pending)) => match pending.take() {
                None => match tree.node {
                    Node::Str(key) => *pending = Some((key, tree.span)),
                    Node::Int(i) => *pending = Some((i.to_string(), tree.span)),
                    Node::Bool(b) => *pending = Some((b.to_string(), tree.span)),
                    _ => {
                        let problem = ReadProblem::new("keys must be plain names", tree.span)
                            .help("write the fact's name, e.g. `vulnerability:`");
                        self.fail(problem);
                    }
                },
                Some((key, key_span)) => {
                    if entries.iter().any(|(k, _, _)| *k == key) {
                        let problem =
                            ReadProblem::new(format!("the key `{key}` appears twice"), key_span)
                                .help("give each fact once");
                        self.fail(problem);
                        return;
                    }
                    entries.push((key, key_span, tree));
                }
            },
        }
    }
}

fn scalar(value: String, style: TScalarStyle) -> Node {
    if style != TScalarStyle::Plain {
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

impl MarkedEventReceiver for Builder<'_> {
    fn on_event(&mut self, event: Event, mark: Marker) {
        if self.problem.is_some() {
            return;
        }
        let at = self.offsets.byte(mark.index());
        match event {
            Event::DocumentStart => {
                self.documents += 1;
                if self.documents > 1 {
                    self.fail(
                        ReadProblem::new(
                            "a case file holds one YAML document",
                            Span::new(at, at + 3),
                        )
                        .help("split the cases into separate files"),
                    );
                }
            }
            Event::Alias(_) => self.fail(
                ReadProblem::new(
                    "YAML aliases (`*name`) are not accepted in case files",
                    Span::new(at, at + 1),
                )
                .help("write the value out in full"),
            ),
            Event::Scalar(value, style, _, _) => {
                let quoted = matches!(
                    style,
                    TScalarStyle::SingleQuoted | TScalarStyle::DoubleQuoted
                );
                let width = value.len() + if quoted { 2 } else { 0 };
                let end = (at + width).min(self.offsets.len);
                self.finish(Tree::new(scalar(value, style), Span::new(at, end.max(at))));
            }
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                if self.stack.len() >= MAX_DEPTH {
                    self.fail(ReadProblem::too_deep(at));
                    return;
                }
                let frame = if matches!(event, Event::SequenceStart(..)) {
                    Frame::List(Vec::new(), at)
                } else {
                    Frame::Map(Vec::new(), at, None)
                };
                self.stack.push(frame);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let tree = match self.stack.pop() {
                    Some(Frame::List(items, start)) => {
                        Tree::new(Node::List(items), Span::new(start, at.max(start + 1)))
                    }
                    Some(Frame::Map(entries, start, _)) => {
                        Tree::new(Node::Map(entries), Span::new(start, at.max(start + 1)))
                    }
                    None => return,
                };
                self.finish(tree);
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_are_bytes_even_after_chinese_text() {
        let text = "title: 预警通报\ncount: 12\n";
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("not a map")
        };
        let count = &entries[1].2;
        assert_eq!(&text[count.span.start..count.span.end], "12");
        assert_eq!(entries[0].2.node, Node::Str("预警通报".into()));
    }

    #[test]
    fn scalars_get_their_yaml_types() {
        assert_eq!(scalar("null".into(), TScalarStyle::Plain), Node::Null);
        assert_eq!(scalar("true".into(), TScalarStyle::Plain), Node::Bool(true));
        assert_eq!(scalar("42".into(), TScalarStyle::Plain), Node::Int(42));
        assert_eq!(
            scalar("2021-09-01".into(), TScalarStyle::Plain),
            Node::Str("2021-09-01".into())
        );
        assert_eq!(
            scalar("42".into(), TScalarStyle::DoubleQuoted),
            Node::Str("42".into())
        );
    }

    #[test]
    fn aliases_are_refused() {
        assert!(parse("a: &x 1\nb: *x\n").is_err());
    }
}
