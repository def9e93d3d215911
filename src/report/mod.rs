//! Report: findings out, as text for people or JSON for programs.

pub mod human;
pub mod model;

pub use model::*;
