//! What Deon reports when something is wrong: one [`Problem`] each, all of
//! a step's problems together in [`Diagnostics`].

use std::fmt;

use miette::Diagnostic;

use crate::case::CaseError;
use crate::check::PolicyError;
use crate::load::LoadError;
use crate::{calendar, lint};

/// One problem Deon reports: in a policy, a case, a file it read, or a
/// holiday calendar.
///
/// Every problem is a [`miette::Diagnostic`]: it has a stable code (such as
/// `deon::case::wrong_type`; docs/language.md lists them all), a message (its
/// `Display`), usually a help text, and labels pointing into the source it
/// was found in. Warnings, such as a rule without a citation, are problems
/// too: see [`Problem::is_warning`].
///
/// The variant says where the problem arose. What a variant holds is
/// opaque: read it through `Display` and [`miette::Diagnostic`].
///
/// # Examples
///
/// ```
/// use deon::{Format, Policy, Problem};
/// use miette::Diagnostic;
///
/// let policy = Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
/// "#)])?;
/// let Err(diagnostics) = policy.case_from_str("case.json", r#"{"report": {"filed_on": 3}}"#, Format::Json) else {
///     panic!("a number is not a date");
/// };
/// let problem = &diagnostics.problems[0];
/// assert!(matches!(problem, Problem::Case(_)));
/// assert!(!problem.is_warning());
/// assert_eq!(problem.to_string(), "`report.filed_on` should be a date, but this is the number 3");
/// assert_eq!(problem.code().map(|c| c.to_string()).as_deref(), Some("deon::case::wrong_type"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone, thiserror::Error, Diagnostic)]
#[non_exhaustive]
pub enum Problem {
    /// A problem in a policy file: its syntax, a name, a type, a rule's
    /// shape. Warnings are of this kind.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] PolicyError),
    /// A problem in a case (or a policy test file): its syntax, an unknown
    /// fact, a value of the wrong type.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Case(#[from] CaseError),
    /// A file that could not be read: missing, too large, not UTF-8, or a
    /// folder without policy files.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Load(#[from] LoadError),
    /// A malformed holiday calendar file (`calendar/<year>.toml`).
    #[error(transparent)]
    #[diagnostic(transparent)]
    Calendar(#[from] calendar::CalendarError),
    /// A warning of the linter ([`lint`]): legal, but probably not meant.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Lint(#[from] Box<lint::LintWarning>),
}

impl Problem {
    /// Whether this is a warning, which does not stop a policy set from
    /// loading, rather than an error.
    ///
    /// # Examples
    ///
    /// ```
    /// // A rule without a `cite` line checks, with a warning.
    /// let policy = deon::Policy::from_sources([("rule.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { records "The records." { kept: bool "Records are kept." } }
    ///     rule keep_records { must "keep records" done when records.kept }
    /// "#)])?;
    /// assert_eq!(policy.warnings().len(), 1);
    /// assert!(policy.warnings()[0].is_warning());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn is_warning(&self) -> bool {
        match self {
            Problem::Policy(PolicyError::Check(c)) => c.is_warning(),
            Problem::Lint(_) => true,
            _ => false,
        }
    }
}

/// Every problem found in one step: loading policies, or reading a case.
///
/// Deon reports all the problems it finds, not just the first. `Display`
/// counts the errors (`"1 problem"`, `"3 problems"`), leaving warnings out;
/// as a [`miette::Diagnostic`], each problem is a related diagnostic.
///
/// # Examples
///
/// ```
/// use deon::{Format, Policy};
///
/// let policy = Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
/// "#)])?;
/// let text = r#"{"report": {"filed_on": 3, "colour": "red"}}"#;
/// let Err(diagnostics) = policy.case_from_str("case.json", text, Format::Json) else {
///     panic!("the case has two problems");
/// };
/// assert_eq!(diagnostics.problems.len(), 2);
/// assert_eq!(diagnostics.to_string(), "2 problems");
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone)]
pub struct Diagnostics {
    /// The problems, in the order they were found (by file, then by place).
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
