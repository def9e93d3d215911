//! Rendering diagnostics for terminals and snapshots (needs the `cli` feature).
//!
//! ```
//! match deon::Policy::load(["no/such/folder"]) {
//!     Ok(_) => unreachable!("there is no such folder"),
//!     Err(diagnostics) => {
//!         for problem in &diagnostics.problems {
//!             eprint!("{}", deon::render::diagnostic(problem, false));
//!         }
//!     }
//! }
//! ```

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, Severity, SourceCode, SourceSpan, SpanContents,
};

use crate::report::{escape_controls, needs_escape};

/// A diagnostic as miette draws it for a terminal, 100 columns wide, with
/// or without colour: its code, message, the source lines it points at and
/// its help. This is how the command line prints problems.
///
/// Control characters from the input are shown escaped (`\u{1b}`), and a
/// long line is cut to a window around the place a label points at, with
/// the line and column it has in the file.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
/// "#)])?;
/// let Err(diagnostics) = policy.case_from_str("case.json", r#"{"report": {"filed_on": 3}}"#, deon::Format::Json) else {
///     panic!("a number is not a date");
/// };
/// let text = deon::render::diagnostic(&diagnostics.problems[0], false);
/// assert!(text.contains("deon::case::wrong_type"));
/// assert!(text.contains("case.json:1:"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn diagnostic(diagnostic: &dyn Diagnostic, color: bool) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(100)
        .with_links(false);
    let shown = Shown::new(diagnostic);
    let mut out = String::new();
    if handler.render_report(&mut out, &shown).is_err() {
        out = format!("{shown}\n");
    }
    out
}

/// How many problems the command line shows by default (`--max-errors`).
pub const DEFAULT_MAX_SHOWN: usize = 50;

/// The first `limit` problems as [`diagnostic`] draws them, then, if some
/// were left out, a line saying how many (`… and 120 more problems`).
/// A `limit` of 0 shows them all. Rendering time and output size grow
/// with the number shown, not the number found.
///
/// # Examples
///
/// ```
/// let broken = deon::Policy::from_sources([("broken.deon", "define a as zz define b as zz define c as zz")]);
/// let problems = broken.unwrap_err().problems;
/// let text = deon::render::diagnostics(&problems, false, 2);
/// assert!(text.ends_with("… and 1 more problem\n"));
/// assert_eq!(text.matches("deon::check::").count(), 2);
/// ```
pub fn diagnostics(problems: &[crate::Problem], color: bool, limit: usize) -> String {
    let shown = if limit == 0 {
        problems.len()
    } else {
        limit.min(problems.len())
    };
    let mut out = String::new();
    for problem in &problems[..shown] {
        out.push_str(&diagnostic(problem, color));
    }
    match problems.len() - shown {
        0 => {}
        1 => out.push_str("… and 1 more problem\n"),
        n => out.push_str(&format!("… and {n} more problems\n")),
    }
    out
}

/// Lines longer than this many bytes are cut to a window around the labels
/// on them. miette cannot underline past column 65,535, and reprinting a
/// whole long line for each of many errors on it would make the output grow
/// with the square of the input.
const MAX_LINE_BYTES: usize = 240;
/// Bytes kept on each side of a label's start or end on a cut line.
const WINDOW_BYTES: usize = 60;

/// A diagnostic as it is shown: its text with control characters escaped
/// (see [`escape_controls`]) and, when the lines it points at are long or
/// hold control characters, its source replaced by an [`Excerpt`] of them.
struct Shown<'a> {
    inner: &'a dyn Diagnostic,
    message: String,
    help: Option<String>,
    excerpt: Option<Excerpt>,
    labels: Vec<LabeledSpan>,
    related: Vec<Shown<'a>>,
    cause: Option<Box<Shown<'a>>>,
}

impl<'a> Shown<'a> {
    fn new(inner: &'a dyn Diagnostic) -> Self {
        let labels: Vec<LabeledSpan> = inner.labels().map(|l| l.collect()).unwrap_or_default();
        let excerpt = inner
            .source_code()
            .and_then(|source| Excerpt::new(source, &labels));
        let labels = labels
            .iter()
            .map(|label| {
                let span = match &excerpt {
                    Some(excerpt) => excerpt.span(label.inner()),
                    None => *label.inner(),
                };
                let text = label.label().map(|t| escape_controls(t).into_owned());
                if label.primary() {
                    LabeledSpan::new_primary_with_span(text, span)
                } else {
                    LabeledSpan::new_with_span(text, span)
                }
            })
            .collect();
        Shown {
            inner,
            message: escape_controls(&inner.to_string()).into_owned(),
            help: inner
                .help()
                .map(|h| escape_controls(&h.to_string()).into_owned()),
            excerpt,
            labels,
            related: inner
                .related()
                .map(|r| r.map(Shown::new).collect())
                .unwrap_or_default(),
            cause: inner.diagnostic_source().map(|d| Box::new(Shown::new(d))),
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.code()
    }

    fn severity(&self) -> Option<Severity> {
        self.inner.severity()
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.inner.url()
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.excerpt {
            Some(excerpt) => Some(excerpt),
            None => self.inner.source_code(),
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            None
        } else {
            Some(Box::new(self.labels.iter().cloned()))
        }
    }

    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            None
        } else {
            Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
        }
    }

    fn diagnostic_source(&self) -> Option<&dyn Diagnostic> {
        self.cause.as_deref().map(|c| c as &dyn Diagnostic)
    }
}

/// The lines a diagnostic points at, cut and escaped for a terminal, with
/// the line numbers and columns they have in the original source.
///
/// miette draws all the labels of one diagnostic in a single snippet, from
/// the line before the first label to the line after the last; the excerpt
/// holds exactly those lines, one excerpt line per source line, so the line
/// numbers stay right.
struct Excerpt {
    name: Option<String>,
    text: String,
    /// The 0-based source line of the excerpt's first line.
    first_line: usize,
    /// Source offsets of label ends, with where they landed in the excerpt.
    moved: Vec<(usize, usize)>,
    /// Excerpt offsets of label starts, with their source line and column.
    anchors: Vec<(usize, usize, usize)>,
}

impl Excerpt {
    /// An excerpt of `source` around `labels`, or `None` when the lines
    /// are short and free of control characters (miette then draws the
    /// source itself) or a label lies outside the source.
    fn new(source: &dyn SourceCode, labels: &[LabeledSpan]) -> Option<Excerpt> {
        let start = labels.iter().map(|l| l.offset()).min()?;
        let end = labels.iter().map(|l| l.offset() + l.len()).max()?;
        let context = source
            .read_span(&SourceSpan::new(start.into(), end - start), 1, 1)
            .ok()?;
        let data = std::str::from_utf8(context.data()).ok()?;
        let base = context.span().offset();
        let lines = split_lines(data);
        let unusual = lines
            .iter()
            .any(|&(a, b)| b - a > MAX_LINE_BYTES || data[a..b].chars().any(needs_escape));
        if !unusual {
            return None;
        }
        let mut bounds: Vec<usize> = labels
            .iter()
            .flat_map(|l| [l.offset(), l.offset() + l.len()])
            .filter_map(|o| o.checked_sub(base))
            .collect();
        bounds.sort_unstable();
        bounds.dedup();
        let mut excerpt = Excerpt {
            name: context.name().map(str::to_string),
            text: String::new(),
            first_line: context.line(),
            moved: Vec::new(),
            anchors: Vec::new(),
        };
        for (index, &(a, b)) in lines.iter().enumerate() {
            if index > 0 {
                excerpt.text.push('\n');
            }
            let here: Vec<usize> = bounds
                .iter()
                .copied()
                .filter(|&o| o >= a && o <= b)
                .collect();
            for (from, to) in windows(data, a, b, &here) {
                if from > a {
                    excerpt.text.push('…');
                }
                excerpt.copy(data, from, to, base, &here);
                if to < b {
                    excerpt.text.push('…');
                }
            }
            for &o in &here {
                excerpt.anchors.push((
                    excerpt.excerpt_offset(base + o),
                    context.line() + index,
                    o - a,
                ));
            }
        }
        Some(excerpt)
    }

    /// Copies `data[from..to]`, escaping controls and noting where each
    /// label boundary in `here` lands.
    fn copy(&mut self, data: &str, from: usize, to: usize, base: usize, here: &[usize]) {
        for (i, c) in data[from..to].char_indices() {
            if here.contains(&(from + i)) {
                self.moved.push((base + from + i, self.text.len()));
            }
            if needs_escape(c) {
                self.text
                    .push_str(&escape_controls(c.encode_utf8(&mut [0; 4])));
            } else {
                self.text.push(c);
            }
        }
        if here.contains(&to) {
            self.moved.push((base + to, self.text.len()));
        }
    }

    fn excerpt_offset(&self, source_offset: usize) -> usize {
        self.moved
            .iter()
            .find(|(s, _)| *s == source_offset)
            .map_or(self.text.len(), |(_, e)| *e)
    }

    /// Where a label's span lands in the excerpt.
    fn span(&self, span: &SourceSpan) -> SourceSpan {
        let start = self.excerpt_offset(span.offset());
        let end = self.excerpt_offset(span.offset() + span.len()).max(start);
        SourceSpan::new(start.into(), end - start)
    }
}

impl SourceCode for Excerpt {
    fn read_span<'b>(
        &'b self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'b> + 'b>, MietteError> {
        let local = self.text.as_bytes().read_span(span, before, after)?;
        let (line, column) = match self.anchors.iter().find(|a| a.0 == span.offset()) {
            Some(&(_, line, column)) if before == 0 => (line, column),
            _ => (self.first_line + local.line(), local.column()),
        };
        let data = local.data();
        let span = *local.span();
        let lines = local.line_count();
        Ok(Box::new(match &self.name {
            Some(name) => {
                MietteSpanContents::new_named(name.clone(), data, span, line, column, lines)
            }
            None => MietteSpanContents::new(data, span, line, column, lines),
        }))
    }
}

/// The lines of `data` as byte ranges without their line breaks; a line
/// ends at `\n`, `\r\n` or a lone `\r`, as miette counts them.
fn split_lines(data: &str) -> Vec<(usize, usize)> {
    let bytes = data.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                lines.push((start, i));
                start = i + 1;
            }
            b'\r' => {
                lines.push((start, i));
                if bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    lines.push((start, bytes.len()));
    lines
}

/// The parts of the line `data[a..b]` to show: all of it when short,
/// otherwise a window around each label boundary on it (merged where they
/// overlap), or its start when no label touches it.
fn windows(data: &str, a: usize, b: usize, here: &[usize]) -> Vec<(usize, usize)> {
    if b - a <= MAX_LINE_BYTES {
        return vec![(a, b)];
    }
    if here.is_empty() {
        return vec![(a, floor(data, a + WINDOW_BYTES))];
    }
    let mut parts: Vec<(usize, usize)> = Vec::new();
    for &o in here {
        let from = floor(data, o.saturating_sub(WINDOW_BYTES).max(a));
        let to = floor(data, (o + WINDOW_BYTES).min(b));
        match parts.last_mut() {
            Some(last) if from <= last.1 => last.1 = last.1.max(to),
            _ => parts.push((from, to)),
        }
    }
    parts
}

/// The nearest char boundary at or before `at`.
fn floor(data: &str, mut at: usize) -> usize {
    while !data.is_char_boundary(at) {
        at -= 1;
    }
    at
}
