//! A lint warning: a stable code, a place, help, and for conflicts an
//! example case.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};

use super::codes::LintCode;
use crate::source::{Source, Span};

/// One thing the linter found: legal but probably not what the policy's
/// author meant. A [`miette::Diagnostic`] of severity warning.
#[derive(Clone)]
pub struct LintWarning {
    /// What kind of warning.
    pub code: LintCode,
    /// One sentence saying what is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// For a conflict: a case file (JSON) in which both rules bind the party.
    pub example: Option<String>,
    pub(crate) source: Source,
    pub(crate) span: Span,
    label: String,
    src: NamedSource<Arc<str>>,
    /// Other places, in the same file or another.
    pub(crate) also: Vec<Note>,
}

/// A place a warning also points at.
#[derive(Clone)]
pub(crate) struct Note {
    pub source: Source,
    pub span: Span,
    pub label: String,
    src: NamedSource<Arc<str>>,
}

impl LintWarning {
    pub(crate) fn new(
        code: LintCode,
        source: &Source,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> Self {
        let span = trimmed(source, span);
        LintWarning {
            code,
            message: message.into(),
            help: None,
            example: None,
            source: source.clone(),
            span,
            label: label.into(),
            src: source.named(),
            also: Vec::new(),
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_note(
        mut self,
        source: &Source,
        span: Span,
        label: impl Into<String>,
    ) -> Self {
        self.also.push(Note {
            source: source.clone(),
            span: trimmed(source, span),
            label: label.into(),
            src: source.named(),
        });
        self
    }

    /// The places the warning points at, each as (file name, byte span):
    /// its own first.
    pub(crate) fn places(&self) -> impl Iterator<Item = (&str, Span)> {
        std::iter::once((self.source.name.as_ref(), self.span))
            .chain(self.also.iter().map(|n| (n.source.name.as_ref(), n.span)))
    }
}

/// The span without the blank space and comments the parser let it swallow
/// at its end.
fn trimmed(source: &Source, span: Span) -> Span {
    let text = source.slice(span);
    let mut end = 0;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        // A `//` inside quotes would cut the line short, never past its end.
        let code = line.find("//").map_or(line, |i| &line[..i]);
        if !code.trim().is_empty() {
            end = offset + code.trim_end().len();
        }
        offset += line.len();
    }
    if end == 0 {
        return span;
    }
    Span::new(span.start, span.start + end)
}

impl fmt::Debug for LintWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code.as_str(), self.message)
    }
}

impl fmt::Display for LintWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for LintWarning {}

impl Diagnostic for LintWarning {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(self.code.as_str()))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Warning)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let own = std::iter::once(LabeledSpan::new_with_span(
            (!self.label.is_empty()).then(|| self.label.clone()),
            self.span,
        ));
        let same_file = self
            .also
            .iter()
            .filter(|n| n.source.name == self.source.name)
            .map(|n| LabeledSpan::new_with_span(Some(n.label.clone()), n.span));
        Some(Box::new(own.chain(same_file)))
    }

    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        let mut others = self
            .also
            .iter()
            .filter(|n| n.source.name != self.source.name)
            .map(|n| n as &dyn Diagnostic)
            .peekable();
        others.peek()?;
        Some(Box::new(others))
    }
}

impl fmt::Debug for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

impl std::error::Error for Note {}

impl Diagnostic for Note {
    fn severity(&self) -> Option<Severity> {
        Some(Severity::Advice)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            None, self.span,
        ))))
    }
}
