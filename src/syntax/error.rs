//! Syntax errors, one per broken item, each pointing at where the parser stopped.

use std::sync::Arc;

use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

#[derive(Debug, Error, Diagnostic, Clone)]
pub enum SyntaxError {
    #[error("{message}")]
    #[diagnostic(code(deon::syntax::unexpected))]
    Unexpected {
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },

    #[error("{message}")]
    #[diagnostic(code(deon::syntax::invalid_literal))]
    InvalidLiteral {
        message: String,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("here")]
        span: SourceSpan,
        #[help]
        help: Option<String>,
    },

    #[error("the file nests brackets {depth} deep; Deon stops at {limit}")]
    #[diagnostic(
        code(deon::syntax::too_deep),
        help("split the condition into named definitions with `define`")
    )]
    TooDeep {
        depth: usize,
        limit: usize,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("too deep from here")]
        span: SourceSpan,
    },

    #[error("this expression has more than {limit} operators")]
    #[diagnostic(
        code(deon::syntax::too_long),
        help(
            "split the condition into named definitions with `define`, or use `in {{a, b, c}}` for a list of alternatives"
        )
    )]
    TooLong {
        limit: usize,
        #[source_code]
        src: NamedSource<Arc<str>>,
        #[label("one operator too many")]
        span: SourceSpan,
    },
}
