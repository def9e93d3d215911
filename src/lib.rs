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
//!       done when report.filed_on is set on report.filed_on
//!     }
//! "#)])?;
//! let case = policy.case_from_str("case.json", r#"{"report": {"received_on": "2026-03-03", "filed_on": null}}"#, Format::Json)?;
//! let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
//! assert_eq!(report.findings[0].status, deon::Status::Pending);
//! # Ok::<(), deon::Diagnostics>(())
//! ```

pub mod batch;
pub mod calendar;
pub mod case;
pub mod check;
pub mod diff;
pub mod eval;
pub mod load;
pub mod repl;
pub mod report;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod value;

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;
use miette::Diagnostic;

pub use case::Format;
use case::{CaseError, Facts};
use check::ir::Program;
use check::PolicyError;
use load::LoadError;
pub use report::{Finding, Report, Status};
use source::Source;

/// Any problem Deon reports: in a policy, a case, or reading a file.
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
pub enum Problem {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Case(#[from] CaseError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Calendar(#[from] calendar::CalendarError),
}

impl Problem {
    pub fn is_warning(&self) -> bool {
        matches!(self, Problem::Policy(PolicyError::Check(c)) if c.is_warning())
    }
}

/// Every problem found in one step (loading policies, reading a case).
#[derive(Debug, Clone)]
pub struct Diagnostics {
    pub problems: Vec<Problem>,
}

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let errors = self.problems.iter().filter(|p| !p.is_warning()).count();
        match errors {
            1 => write!(f, "1 problem"),
            n => write!(f, "{n} problems"),
        }
    }
}

impl std::error::Error for Diagnostics {}

impl Diagnostic for Diagnostics {
    fn related<'a>(&'a self) -> Option<Box<dyn Iterator<Item = &'a dyn Diagnostic> + 'a>> {
        Some(Box::new(self.problems.iter().map(|p| p as &dyn Diagnostic)))
    }
}

impl From<Vec<Problem>> for Diagnostics {
    fn from(problems: Vec<Problem>) -> Self {
        Diagnostics { problems }
    }
}

/// A checked set of policies, ready to evaluate cases. `Send + Sync`: one
/// load can serve many threads.
#[derive(Debug, Clone)]
pub struct Policy {
    program: Arc<Program>,
    warnings: Vec<Problem>,
}

/// An expression checked against a policy, ready to evaluate.
#[derive(Debug, Clone)]
pub struct Expression {
    expr: check::ir::CExpr,
}

/// The facts of one case, validated against a policy's fact schema.
#[derive(Debug, Clone)]
pub struct Case {
    facts: Facts,
}

impl Case {
    pub(crate) fn from_facts(facts: Facts) -> Case {
        Case { facts }
    }

    /// The evaluation date the case names (`as_of`), if any.
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.facts.as_of
    }

    pub fn facts(&self) -> &Facts {
        &self.facts
    }
}

impl Policy {
    /// Loads every `.deon` file under each path (a file or a folder).
    pub fn load<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Policy, Diagnostics> {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        let mut calendars = std::collections::BTreeMap::new();
        for path in paths {
            problems.extend(calendar::load_dir(path.as_ref(), &mut calendars));
            match load::policy_files(path.as_ref()) {
                Ok(files) => {
                    for file in files {
                        match load::read_text(&file, load::MAX_POLICY_BYTES) {
                            Ok(source) => sources.push(source),
                            Err(e) => problems.push(Problem::Load(e)),
                        }
                    }
                }
                Err(e) => problems.push(Problem::Load(e)),
            }
        }
        if !problems.is_empty() {
            return Err(problems.into());
        }
        Self::check_with(sources, calendars)
    }

    /// Checks policies held in memory, as (name, text) pairs.
    pub fn from_sources<N: AsRef<str>, T: AsRef<str>>(
        sources: impl IntoIterator<Item = (N, T)>,
    ) -> Result<Policy, Diagnostics> {
        Self::check(
            sources
                .into_iter()
                .map(|(n, t)| Source::new(n.as_ref(), t.as_ref()))
                .collect(),
        )
    }

    fn check(sources: Vec<Source>) -> Result<Policy, Diagnostics> {
        Self::check_with(sources, std::collections::BTreeMap::new())
    }

    fn check_with(
        sources: Vec<Source>,
        calendars: std::collections::BTreeMap<String, calendar::Calendar>,
    ) -> Result<Policy, Diagnostics> {
        let checked = check::check_with_calendars(sources, calendars);
        let problems: Vec<Problem> = checked.problems.into_iter().map(Problem::Policy).collect();
        match checked.program {
            Some(program) => Ok(Policy {
                program: Arc::new(program),
                warnings: problems,
            }),
            None => Err(problems.into()),
        }
    }

    /// Warnings found while checking (e.g. a rule without a citation).
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// The checked program, for tools that inspect rules and facts.
    pub fn program(&self) -> &Program {
        &self.program
    }

    /// Reads a case from text in the given format.
    pub fn case_from_str(
        &self,
        name: &str,
        text: &str,
        format: Format,
    ) -> Result<Case, Diagnostics> {
        let source = Source::new(name, text);
        case::load(&self.program, &source, format)
            .map(|facts| Case { facts })
            .map_err(|errors| {
                errors
                    .into_iter()
                    .map(Problem::Case)
                    .collect::<Vec<_>>()
                    .into()
            })
    }

    /// Reads a case file, choosing the format by its extension.
    pub fn case_from_file(&self, path: &Path) -> Result<Case, Diagnostics> {
        let source = load::read_text(path, load::MAX_CASE_BYTES)
            .map_err(|e| Diagnostics::from(vec![Problem::Load(e)]))?;
        let format = Format::from_path(&source.name);
        self.case_from_str(&source.name.clone(), &source.text.clone(), format)
    }

    /// Reads a case from a JSON value.
    pub fn case_from_json(&self, value: &serde_json::Value) -> Result<Case, Diagnostics> {
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.case_from_str("case.json", &text, Format::Json)
    }

    /// A case in which nothing is known: every rule comes out as far as the
    /// policy alone can say.
    pub fn empty_case(&self) -> Case {
        Case {
            facts: Facts::unknown(&self.program),
        }
    }

    /// Checks an expression typed by a user (e.g. at the REPL) against the
    /// policy's facts and definitions.
    pub fn check_expression(&self, name: &str, text: &str) -> Result<Expression, Diagnostics> {
        let source = Source::new(name, text);
        check::check_expression(&self.program, &source)
            .map(|expr| Expression { expr })
            .map_err(|errors| {
                errors
                    .into_iter()
                    .map(Problem::Policy)
                    .collect::<Vec<_>>()
                    .into()
            })
    }

    /// Evaluates a checked expression against a case: its value as text
    /// (`unknown` and `null` included) and its type's name.
    pub fn evaluate_expression(
        &self,
        expression: &Expression,
        case: &Case,
        as_of: Option<NaiveDate>,
    ) -> (String, String) {
        let date = as_of
            .or(case.facts.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let mut scope = eval::Scope::new(&self.program, &case.facts, date);
        let value = scope.eval(&expression.expr);
        (
            eval::show_tri(&self.program, &value),
            self.program.type_name(expression.expr.ty),
        )
    }

    /// Evaluates a case. The date is `as_of` if given, else the case's own
    /// `as_of`, else today.
    pub fn evaluate(&self, case: &Case, as_of: Option<NaiveDate>) -> Report {
        let date = as_of
            .or(case.facts.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        eval::evaluate(&self.program, &case.facts, date)
    }
}

#[cfg(feature = "cli")]
pub mod render;
