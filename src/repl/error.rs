//! Problems with what was typed at the REPL that are not problems of a policy
//! or a case: an unknown command, a missing argument, an unknown rule.

use std::fmt;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, Severity, SourceCode};

use crate::Problem;
use crate::source::{Source, Span};

/// A problem with a typed command, pointing into the typed text when it can.
///
/// # Examples
///
/// ```
/// use deon::repl::{ReplProblem, Session};
///
/// let out = Session::new().handle(":eval");
/// let Some(ReplProblem::Input(error)) = out.problems().next() else {
///     panic!("no policies are loaded");
/// };
/// assert_eq!(error.code, "deon::repl::no_policies");
/// assert_eq!(error.message, "no policies are loaded");
/// assert!(error.help.is_some());
/// ```
#[derive(Clone, Debug)]
pub struct InputError {
    /// What is wrong.
    pub message: String,
    /// A stable code such as `deon::repl::unknown_command`.
    pub code: String,
    /// What to do about it, if Deon can say.
    pub help: Option<String>,
    src: Option<NamedSource<Arc<str>>>,
    label: Option<(Span, String)>,
}

impl InputError {
    /// A problem with no place in the typed text.
    pub(crate) fn new(code: &str, message: impl Into<String>) -> InputError {
        InputError {
            message: message.into(),
            code: format!("deon::repl::{code}"),
            help: None,
            src: None,
            label: None,
        }
    }

    /// A problem at `span` of the typed text.
    pub(crate) fn at(
        code: &str,
        source: &Source,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> InputError {
        InputError {
            src: Some(source.named()),
            label: Some((span, label.into())),
            ..InputError::new(code, message)
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> InputError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for InputError {}

impl Diagnostic for InputError {
    fn code<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<Severity> {
        Some(Severity::Error)
    }

    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.src.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (span, text) = self.label.as_ref()?;
        let text = (!text.is_empty()).then(|| text.clone());
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            text, *span,
        ))))
    }
}

/// The error for input that ends while something is still open.
pub(crate) fn unfinished(source: &Source, open: super::input::Open) -> InputError {
    let piece = |span: Span| source.text.get(span.start..span.end).unwrap_or("");
    let (span, message, label, help) = match open {
        super::input::Open::Bracket(span) => {
            let close = match piece(span) {
                "[" => "]",
                "{" => "}",
                _ => ")",
            };
            (
                span,
                format!("the input ends before `{}` is closed", piece(span)),
                "opened here".to_string(),
                format!("close it with `{close}`"),
            )
        }
        super::input::Open::Quote(span) => {
            let quote = piece(span).chars().next().unwrap_or('"');
            (
                Span::new(span.start, span.start + quote.len_utf8()),
                "the input ends inside a quoted text".to_string(),
                "opened here".to_string(),
                format!("close it with `{quote}`"),
            )
        }
        super::input::Open::Operator(span) => (
            span,
            format!(
                "the input ends after `{}`, which needs something after it",
                piece(span)
            ),
            "nothing follows".to_string(),
            format!(
                "complete the entry, or remove the trailing `{}`",
                piece(span)
            ),
        ),
    };
    InputError::at("unfinished_input", source, span, message, label).help(help)
}

/// Anything the REPL reports: a problem of the policies or the case, or of
/// the typed command itself. A [`miette::Diagnostic`], like [`Problem`].
///
/// # Examples
///
/// ```
/// use deon::repl::{ReplProblem, Session};
///
/// let mut session = Session::new();
/// session.handle(":load policies");
/// let out = session.handle(":set vulnerability.aware_on = 2025-02-30");
/// assert!(matches!(out.problems().next(), Some(ReplProblem::Deon(deon::Problem::Case(_)))));
/// ```
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
pub enum ReplProblem {
    /// A problem of the policies or the case (or a value typed for a fact).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Deon(#[from] Problem),
    /// A problem with the typed command itself.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Input(#[from] InputError),
}

impl ReplProblem {
    /// Whether this is a warning of the policies rather than an error.
    ///
    /// # Examples
    ///
    /// ```
    /// let out = deon::repl::Session::new().handle(":nonsense");
    /// assert!(out.problems().all(|p| !p.is_warning()));
    /// ```
    pub fn is_warning(&self) -> bool {
        match self {
            ReplProblem::Deon(problem) => problem.is_warning(),
            ReplProblem::Input(_) => false,
        }
    }
}
