//! Syntax: policy text in, AST with spans out. pest stays inside this module.

pub mod ast;
mod error;
mod parser;

pub use error::SyntaxError;
pub use parser::{parse_expr, parse_file};
