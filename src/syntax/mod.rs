//! Syntax: policy text in, AST with spans out. pest stays inside this module.

pub mod ast;
mod error;
mod format;
mod parser;

pub use error::SyntaxError;
pub use format::format_source;
pub use parser::{parse_expr_with, parse_file, parse_file_with};
