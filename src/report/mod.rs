//! Reports: what evaluation produces. The report types themselves
//! ([`Report`], [`Finding`], …) live at the
//! crate root; [`human`] renders them as text for people, and serde
//! serialises them as JSON for programs (`docs/json-report.md`).
//!
//! ```
//! use std::path::Path;
//! use deon::report::human::{render, Options};
//!
//! let policy = deon::Policy::load(["policies"])?;
//! let case = policy.case_from_file(Path::new("examples/cases/provider_late_filing.yaml"))?;
//! let report = policy.evaluate(&case, None);
//! let text = render(&report, Options { color: false, verbose: true, width: None });
//! let json = serde_json::to_string_pretty(&report).unwrap();
//! assert!(text.starts_with("Findings as of"));
//! assert!(json.starts_with("{\n  \"as_of\""));
//! # Ok::<(), deon::Diagnostics>(())
//! ```

mod escape;
mod exposure;
pub mod human;
pub(crate) mod model;

pub use escape::escape_controls;
#[cfg(feature = "render")]
pub(crate) use escape::needs_escape;
pub(crate) use model::*;
