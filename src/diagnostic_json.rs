//! Diagnostics as JSON, for editors and CI (`--error-format json`): one
//! object per problem, with its code, severity, message, help, file, byte
//! range, line and column range, and the other places it points at.
//!
//! ```
//! let Err(diagnostics) = deon::Policy::from_sources([("broken.deon", "rule {")]) else {
//!     panic!("a rule needs a name");
//! };
//! let json = deon::diagnostic_json::to_json(&diagnostics.problems[0]);
//! assert_eq!(json.file.as_deref(), Some("broken.deon"));
//! assert_eq!(json.severity, "error");
//! assert_eq!(json.start.map(|p| p.line), Some(1));
//! ```

use miette::{Diagnostic, LabeledSpan, Severity, SourceCode};
use serde::Serialize;

use crate::Problem;

/// One diagnostic as JSON.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct JsonDiagnostic {
    /// The stable code, e.g. `deon::check::unknown_fact`.
    pub code: Option<String>,
    /// `error`, `warning` or `advice`.
    pub severity: &'static str,
    /// What is wrong, in one sentence.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The file the diagnostic points into.
    pub file: Option<String>,
    /// The label of the main place.
    pub label: Option<String>,
    /// Byte range of the main place, half open.
    pub span: Option<ByteRange>,
    /// Line and column (1-based, columns in characters) where it starts.
    pub start: Option<Position>,
    /// Line and column where it ends (exclusive).
    pub end: Option<Position>,
    /// Other places: further labels, and notes in other files.
    pub related: Vec<Related>,
    /// For a lint conflict: a case file (JSON text) in which both rules bind.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub example: Option<String>,
}

/// A half-open byte range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ByteRange {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A line and column, both 1-based; columns count characters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The line.
    pub line: usize,
    /// The column, in characters.
    pub column: usize,
}

/// Another place a diagnostic points at.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Related {
    /// The file.
    pub file: Option<String>,
    /// What the place is.
    pub label: Option<String>,
    /// Byte range.
    pub span: ByteRange,
    /// Where it starts.
    pub start: Option<Position>,
    /// Where it ends.
    pub end: Option<Position>,
}

/// A problem as JSON. To convert many problems, use one [`Locator`]: it
/// indexes each file once instead of once per problem.
pub fn to_json(problem: &Problem) -> JsonDiagnostic {
    Locator::default().to_json(problem)
}

/// Any miette diagnostic as JSON.
pub fn from_diagnostic(diagnostic: &dyn Diagnostic) -> JsonDiagnostic {
    Locator::default().from_diagnostic(diagnostic)
}

/// Every problem as JSON, in order, each file indexed once.
pub fn all_to_json(problems: &[Problem]) -> Vec<JsonDiagnostic> {
    let mut locator = Locator::default();
    problems.iter().map(|p| locator.to_json(p)).collect()
}

/// Turns byte offsets into lines and columns. It keeps an index of every file
/// it has seen, so converting all the problems of a file costs the file's size
/// once plus a small amount per problem; reading each position from the start
/// of the file made thousands of problems in a large file take seconds.
#[derive(Default)]
pub struct Locator<'a> {
    files: Vec<FileIndex<'a>>,
}

impl<'a> Locator<'a> {
    /// A problem as JSON.
    pub fn to_json(&mut self, problem: &'a Problem) -> JsonDiagnostic {
        let mut json = self.from_diagnostic(problem);
        if let Problem::Lint(warning) = problem {
            json.example = warning.example.clone();
        }
        json
    }

    /// Any miette diagnostic as JSON.
    pub fn from_diagnostic(&mut self, diagnostic: &'a dyn Diagnostic) -> JsonDiagnostic {
        let severity = match diagnostic.severity() {
            Some(Severity::Warning) => "warning",
            Some(Severity::Advice) => "advice",
            _ => "error",
        };
        let source = diagnostic.source_code();
        let labels: Vec<LabeledSpan> = diagnostic
            .labels()
            .map(Iterator::collect)
            .unwrap_or_default();
        let mut json = JsonDiagnostic {
            code: diagnostic.code().map(|c| c.to_string()),
            severity,
            message: diagnostic.to_string(),
            help: diagnostic.help().map(|h| h.to_string()),
            file: None,
            label: None,
            span: None,
            start: None,
            end: None,
            related: Vec::new(),
            example: None,
        };
        let mut labels = labels.into_iter();
        if let Some(first) = labels.next() {
            let place = self.locate(source, &first);
            json.file = place.file.clone();
            json.label = place.label;
            json.span = Some(place.span);
            json.start = place.start;
            json.end = place.end;
        }
        for label in labels {
            let place = self.locate(source, &label);
            json.related.push(place);
        }
        for related in diagnostic.related().into_iter().flatten() {
            let inner = related.source_code().or(source);
            for label in related.labels().into_iter().flatten() {
                let mut place = self.locate(inner, &label);
                if place.label.is_none() {
                    place.label = Some(related.to_string());
                }
                json.related.push(place);
            }
        }
        json
    }

    fn locate(&mut self, source: Option<&'a dyn SourceCode>, label: &LabeledSpan) -> Related {
        let span = ByteRange {
            start: label.offset(),
            end: label.offset() + label.len(),
        };
        let file = source.and_then(|s| self.file(s));
        let position = |offset| file.and_then(|f| f.position(offset));
        let (start, end) = (position(span.start), position(span.end));
        Related {
            file: file.and_then(|f| f.name.clone()),
            label: label.label().map(str::to_string),
            span,
            start,
            end,
        }
    }

    /// The index of a source, made the first time it is seen. An empty span
    /// at its start is read in constant time and names the text it belongs to.
    fn file(&mut self, source: &'a dyn SourceCode) -> Option<&FileIndex<'a>> {
        let head = source.read_span(&(0, 0).into(), 0, 0).ok()?;
        let (address, name) = (head.data().as_ptr() as usize, head.name());
        let found = self
            .files
            .iter()
            .position(|f| f.address == address && f.name.as_deref() == name);
        let at = match found {
            Some(at) => at,
            None => {
                // No limit on the lines after the span: the whole text.
                let whole = source.read_span(&(0, 0).into(), 0, usize::MAX).ok()?;
                let text = std::str::from_utf8(whole.data()).ok()?;
                let name = whole.name().map(str::to_string);
                self.files.push(FileIndex::new(address, name, text));
                self.files.len() - 1
            }
        };
        self.files.get(at)
    }
}

/// The name of a source, read in constant time: any span would name it, and
/// an empty one at the start is found without scanning the text.
pub(crate) fn source_name(source: &dyn SourceCode) -> Option<String> {
    let head = source.read_span(&(0, 0).into(), 0, 0).ok()?;
    head.name().map(str::to_string)
}

/// Line starts and character counts of one text, for positions in
/// logarithmic time and columns in time bounded by [`BLOCK`].
struct FileIndex<'a> {
    address: usize,
    name: Option<String>,
    text: &'a str,
    /// Byte offset of the start of every line.
    line_starts: Vec<usize>,
    /// Characters before each multiple of `BLOCK` bytes.
    chars_before_block: Vec<usize>,
}

/// Bytes per block of the character count: a column is counted over at most
/// this many bytes however long its line is.
const BLOCK: usize = 256;

impl<'a> FileIndex<'a> {
    fn new(address: usize, name: Option<String>, text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let line_starts = std::iter::once(0)
            .chain(newlines(bytes).map(|at| at + 1))
            .collect();
        let mut chars_before_block = Vec::with_capacity(bytes.len() / BLOCK + 1);
        let mut chars = 0;
        for block in bytes.chunks(BLOCK) {
            chars_before_block.push(chars);
            chars += char_starts(block);
        }
        chars_before_block.push(chars);
        FileIndex {
            address,
            name,
            text,
            line_starts,
            chars_before_block,
        }
    }

    /// Line and column of a byte offset: `None` past the end or inside a character.
    fn position(&self, offset: usize) -> Option<Position> {
        if !self.text.is_char_boundary(offset) {
            return None;
        }
        let line = self.line_starts.partition_point(|&start| start <= offset);
        let line_start = *self.line_starts.get(line.checked_sub(1)?)?;
        let column = self.chars_before(offset)? - self.chars_before(line_start)? + 1;
        Some(Position { line, column })
    }

    fn chars_before(&self, offset: usize) -> Option<usize> {
        let block = offset / BLOCK;
        let counted = *self.chars_before_block.get(block)?;
        let rest = self.text.as_bytes().get(block * BLOCK..offset)?;
        Some(counted + char_starts(rest))
    }
}

/// Offsets of the line feeds in a text.
fn newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes
        .iter()
        .enumerate()
        .filter_map(|(at, &b)| (b == b'\n').then_some(at))
}

/// Characters starting in a run of UTF-8 bytes: every byte that is not a
/// continuation byte. Counts correctly on any cut of valid UTF-8.
fn char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| b & 0xC0 != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use miette::{MietteError, NamedSource, SourceSpan, SpanContents};
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// A source that counts the bytes handed out by `read_span`.
    struct Counting {
        inner: NamedSource<Arc<str>>,
        bytes: AtomicUsize,
    }

    impl SourceCode for Counting {
        fn read_span<'a>(
            &'a self,
            span: &SourceSpan,
            before: usize,
            after: usize,
        ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
            let contents = self.inner.read_span(span, before, after)?;
            self.bytes
                .fetch_add(contents.data().len(), Ordering::Relaxed);
            Ok(contents)
        }
    }

    #[derive(Debug, thiserror::Error)]
    #[error("problem")]
    struct AtOffset<'s> {
        text: &'s Counting,
        span: (usize, usize),
    }

    impl std::fmt::Debug for Counting {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("Counting")
        }
    }

    impl Diagnostic for AtOffset<'_> {
        fn source_code(&self) -> Option<&dyn SourceCode> {
            Some(self.text)
        }
        fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
            let label = LabeledSpan::new(Some("here".into()), self.span.0, self.span.1);
            Some(Box::new(std::iter::once(label)))
        }
    }

    /// Line and column the slow, obvious way.
    fn expected(text: &str, offset: usize) -> Position {
        let before = &text[..offset];
        Position {
            line: before.matches('\n').count() + 1,
            column: before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1,
        }
    }

    #[test]
    fn many_problems_in_one_file_read_it_once() {
        // 2,000 lines of 150 bytes with non-ASCII text, one problem per line.
        let line = format!("{}é→{}\n", "x".repeat(70), "y".repeat(72));
        let text: String = line.repeat(2_000) + "last line without a break";
        let source = Counting {
            inner: NamedSource::new("big.deon", Arc::from(text.as_str())),
            bytes: AtomicUsize::new(0),
        };
        let offsets: Vec<usize> = (0..2_000)
            .map(|i| i * line.len() + 71 + i % 3)
            .chain([text.len()])
            .collect();
        let problems: Vec<AtOffset> = offsets
            .iter()
            .map(|&at| AtOffset {
                text: &source,
                span: (at, 2),
            })
            .collect();
        let mut locator = Locator::default();
        for (problem, &at) in problems.iter().zip(&offsets) {
            let json = locator.from_diagnostic(problem);
            assert_eq!(json.file.as_deref(), Some("big.deon"));
            if text.is_char_boundary(at) {
                assert_eq!(json.start, Some(expected(&text, at)), "offset {at}");
            } else {
                assert_eq!(json.start, None, "offset {at} is inside a character");
            }
            if at + 2 <= text.len() && text.is_char_boundary(at + 2) {
                assert_eq!(json.end, Some(expected(&text, at + 2)));
            }
        }
        // Reading from the start of the file for every position would hand
        // out about 2,000 x 150 KB; one index reads the file once.
        let read = source.bytes.load(Ordering::Relaxed);
        assert!(
            read < 2 * text.len(),
            "{read} bytes read for {}",
            text.len()
        );
    }

    #[test]
    fn a_position_past_the_end_has_no_line() {
        let source = Counting {
            inner: NamedSource::new("short.deon", Arc::from("ab\ncd")),
            bytes: AtomicUsize::new(0),
        };
        let json = Locator::default().from_diagnostic(&AtOffset {
            text: &source,
            span: (4, 9),
        });
        assert_eq!(json.start, Some(Position { line: 2, column: 2 }));
        assert_eq!(json.end, None);
        assert_eq!(json.span, Some(ByteRange { start: 4, end: 13 }));
    }
}
