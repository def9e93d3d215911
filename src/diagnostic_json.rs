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

/// A problem as JSON.
pub fn to_json(problem: &Problem) -> JsonDiagnostic {
    let mut json = from_diagnostic(problem);
    if let Problem::Lint(warning) = problem {
        json.example = warning.example.clone();
    }
    json
}

/// Any miette diagnostic as JSON.
pub fn from_diagnostic(diagnostic: &dyn Diagnostic) -> JsonDiagnostic {
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
        let place = locate(source, &first);
        json.file = place.file.clone();
        json.label = place.label;
        json.span = Some(place.span);
        json.start = place.start;
        json.end = place.end;
    }
    json.related.extend(labels.map(|l| locate(source, &l)));
    for related in diagnostic.related().into_iter().flatten() {
        let inner = related.source_code().or(source);
        for label in related.labels().into_iter().flatten() {
            let mut place = locate(inner, &label);
            if place.label.is_none() {
                place.label = Some(related.to_string());
            }
            json.related.push(place);
        }
    }
    json
}

fn locate(source: Option<&dyn SourceCode>, label: &LabeledSpan) -> Related {
    let span = ByteRange {
        start: label.offset(),
        end: label.offset() + label.len(),
    };
    // Everything before the offset, read from the start of the file.
    let position = |offset: usize| -> Option<(Option<String>, Position)> {
        let source = source?;
        let contents = source.read_span(&(0, offset).into(), 0, 0).ok()?;
        let before = contents
            .data()
            .get(..offset.checked_sub(contents.span().offset())?)
            .and_then(|b| std::str::from_utf8(b).ok())?;
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        Some((
            contents.name().map(str::to_string),
            Position { line, column },
        ))
    };
    let start = position(span.start);
    let end = position(span.end);
    Related {
        file: start.as_ref().and_then(|(f, _)| f.clone()),
        label: label.label().map(str::to_string),
        span,
        start: start.map(|(_, p)| p),
        end: end.map(|(_, p)| p),
    }
}
