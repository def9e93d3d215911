//! Deon: a policy-as-code language for regulatory obligations.
//!
//! Policies state who must do what, by when, unless what, and what a breach
//! costs; cases state facts. Deon checks the policies, validates the case
//! against their fact schema and explains, rule by rule, what the law asks.
//!
//! ```
//! use deon::{Policy, Format};
//!
//! let policy = Policy::from_sources([("filing.deon", r#"
//!     regulation example {
//!       title "An example"
//!       status in force
//!       effective from 2021-09-01
//!     }
//!     facts {
//!       report "The report." {
//!         received_on: date? "When the report arrived."
//!         filed_on: date? "When it was filed."
//!       }
//!     }
//!     rule file_report {
//!       cite "Art. 1"
//!       when report.received_on is set
//!       must "file the report"
//!       within 2 days of report.received_on
//!       done on report.filed_on
//!     }
//! "#)])?;
//! let case = policy.case_from_str("case.json", r#"{"report": {"received_on": "2026-03-03", "filed_on": null}}"#, Format::Json)?;
//! let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
//! assert_eq!(report.findings[0].status, deon::Status::Pending);
//! # Ok::<(), deon::Diagnostics>(())
//! ```
//!
//! # The API
//!
//! - [`Policy`]: a checked policy set, loaded from files ([`Policy::load`])
//!   or from memory ([`Policy::from_sources`]). It reads cases
//!   ([`Policy::case_from_str`], [`Policy::case_from_file`],
//!   [`Policy::case_from_json`], [`Policy::empty_case`]) and evaluates them
//!   ([`Policy::evaluate`]) into a [`Report`].
//! - [`Case`]: the facts of one case, validated against a policy's schema,
//!   in a [`Format`].
//! - [`Report`] and the types it holds ([`Finding`], [`Status`], [`Step`],
//!   [`PenaltyExposure`], [`Exposure`], …): what evaluation produces. They
//!   serialise to the JSON described in `docs/json-report.md` and
//!   `docs/report.schema.json`.
//! - [`Diagnostics`] and [`Problem`]: everything wrong with a policy set or a
//!   case, each problem with a stable code and a place in its source.
//! - [`Expression`]: an expression checked against a policy, evaluated
//!   against a case with [`Policy::evaluate_expression`].
//! - [`batch`]: many cases at once, JSON Lines in and out, on every core.
//! - Tooling: [`analysis`] (the queries editors and the REPL share: hover,
//!   definitions, references, completion, outlines, diagnostics in memory),
//!   [`testing`] (policy tests), [`diff`] (what a revision changed),
//!   [`calendar`] (holiday calendars and working days), [`repl`] (the REPL's
//!   logic, without a terminal), [`report::human`] (reports as text) and,
//!   with the `render` feature (part of `cli`), `render` (diagnostics drawn
//!   for a terminal).
//!
//! A [`Policy`] is `Send + Sync` and cheap to clone: load it once and share
//! it between threads. Depend on `deon` with `default-features = false` to
//! leave out the terminal dependencies of the `cli` feature.

#![warn(missing_docs)]

pub mod analysis;
pub mod batch;
pub mod calendar;
pub mod catalogue;
pub mod declarations;
pub mod diagnostic_json;
pub mod diff;
pub mod lint;
#[cfg(feature = "render")]
pub mod render;
pub mod repl;
pub mod report;
pub mod testing;

// Format and its variants are documented on the re-export below.
#[allow(missing_docs)]
mod case;
mod check;
mod eval;
mod json;
mod limits;
mod load;
mod policy;
mod problem;
mod source;
mod summary;
mod syntax;
mod text;
mod value;

use std::path::Path;

use chrono::NaiveDate;

use check::PolicyError;
use source::Source;

/// The format of a case's text: `Json`, `Yaml` or `Toml`.
///
/// [`Format::from_path`] picks one by a file's extension: `.json` and
/// `.jsonl` are JSON, `.toml` is TOML, anything else is YAML (a superset of
/// JSON).
///
/// # Examples
///
/// ```
/// use deon::Format;
///
/// assert_eq!(Format::from_path("cases/late.json"), Format::Json);
/// assert_eq!(Format::from_path("cases/late.TOML"), Format::Toml);
/// assert_eq!(Format::from_path("cases/late.yml"), Format::Yaml);
/// assert_eq!(Format::from_path("cases/late"), Format::Yaml);
/// ```
pub use case::Format;
pub use eval::{Decision, Verdict};
pub use limits::Limits;
pub use policy::{Case, Expression, Policy};
pub use problem::{Diagnostics, Problem};
pub use report::model::{
    Explain, Exposure, FactValue, Finding, FineRange, LanguageTitle, Likelihood, NoteAbout,
    PenaltyExposure, RegulationSummary, Report, ReviewNote, SanctionExposure, Status, Step,
    TierExposure,
};
pub use summary::{FactSchema, PolicySummary};
pub use syntax::ast::{LiableParty, Modality, RegulationStatus, SanctionKind};

/// Reads a date written exactly `YYYY-MM-DD`, as cases, policy tests and the
/// REPL do: a four-digit year, two-digit month and day, no sign, no spaces.
///
/// # Examples
///
/// ```
/// assert_eq!(deon::parse_date("2026-03-01"), chrono::NaiveDate::from_ymd_opt(2026, 3, 1));
/// for lenient in ["2026-3-1", "+10000-01-01", " 2026-03-01", "2026-02-30"] {
///     assert_eq!(deon::parse_date(lenient), None, "{lenient}");
/// }
/// ```
pub fn parse_date(text: &str) -> Option<NaiveDate> {
    case::strict_date(text)
}

/// Formats a policy file's text in Deon's one canonical layout (what
/// `deon fmt` writes), keeping its comments. Formatting is idempotent and
/// never changes what the file means. A file that does not parse gives its
/// syntax errors.
///
/// # Examples
///
/// ```
/// let messy = "rule   r{cite \"Art. 1\"   // the article\n must \"act\" done when x}";
/// let tidy = deon::format_source("r.deon", messy)?;
/// assert_eq!(tidy, "rule r {\n  cite \"Art. 1\" // the article\n  must \"act\"\n  done when x\n}\n");
/// assert_eq!(deon::format_source("r.deon", &tidy)?, tidy);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn format_source(name: &str, text: &str) -> Result<String, Diagnostics> {
    syntax::format_source(&Source::new(name, text)).map_err(|errors| {
        Diagnostics::from(
            errors
                .into_iter()
                .map(|e| Problem::Policy(PolicyError::Syntax(e)))
                .collect::<Vec<_>>(),
        )
    })
}

/// The policy files (`.deon`) under the paths, as [`Policy::load`] reads
/// them: folders walked in sorted order, hidden entries skipped.
pub fn policy_files<P: AsRef<Path>>(
    paths: impl IntoIterator<Item = P>,
) -> Result<Vec<std::path::PathBuf>, Diagnostics> {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match load::policy_files(path.as_ref()) {
            Ok(found) => files.extend(found),
            Err(e) => problems.push(Problem::Load(e)),
        }
    }
    if problems.is_empty() {
        Ok(files)
    } else {
        Err(problems.into())
    }
}

/// A policy file's text, with the limits [`Policy::load`] applies (size,
/// UTF-8).
pub fn read_policy_text(path: &Path) -> Result<String, Diagnostics> {
    load::read_text(path, load::MAX_POLICY_BYTES)
        .map(|source| source.text.to_string())
        .map_err(|e| Diagnostics::from(vec![Problem::Load(e)]))
}

/// The JSON case readers one by one, for Deon's benchmarks; not part of the
/// stable API.
#[cfg(feature = "bench-internals")]
#[doc(hidden)]
pub use case::bench as case_readers;

/// Parses one policy file without checking it. For Deon's own snapshot
/// tests of the parser; not part of the stable API.
#[doc(hidden)]
pub fn parse_policy_file(
    name: &str,
    text: &str,
) -> Result<syntax::ast::File, Vec<syntax::SyntaxError>> {
    syntax::parse_file(&Source::new(name, text))
}
