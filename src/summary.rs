//! What a policy set declares, in names: its summary and its fact schema.

use std::fmt;

/// What a policy set declares, by name, each list in declaration order
/// (files in sorted path order). [`Policy::summary`](crate::Policy::summary) makes one.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
///     rule file_report { cite "Art. 1" must "file the report" done when report.filed_on is set }
/// "#)])?;
/// let summary = policy.summary();
/// assert_eq!(summary.files, ["filing.deon"]);
/// assert_eq!(summary.rules, ["file_report"]);
/// assert_eq!(summary.facts, ["report.filed_on"]);
/// assert_eq!(summary.records, ["report"]);
/// assert!(summary.penalties.is_empty());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PolicySummary {
    /// The policy files, as named when loaded.
    pub files: Vec<String>,
    /// The regulations' identifiers.
    pub regulations: Vec<String>,
    /// The rules' names.
    pub rules: Vec<String>,
    /// The penalties' names.
    pub penalties: Vec<String>,
    /// The roles' names.
    pub roles: Vec<String>,
    /// The definitions' names (`define`).
    pub definitions: Vec<String>,
    /// The facts of the schema, by dotted path (`vulnerability.aware_on`).
    pub facts: Vec<String>,
    /// The records of the schema that group facts, by dotted path
    /// (`vulnerability`).
    pub records: Vec<String>,
}

/// One fact of a policy set's schema: [`Policy::fact_schema`](crate::Policy::fact_schema) lists them.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { filed_on: date? "When it was filed." } }
/// "#)])?;
/// let fact = &policy.fact_schema()[0];
/// assert_eq!((fact.path.as_str(), fact.ty.as_str()), ("report.filed_on", "date?"));
/// assert_eq!(fact.description.as_deref(), Some("When it was filed."));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FactSchema {
    /// The fact's dotted path (`vulnerability.aware_on`).
    pub path: String,
    /// Its type as a policy writes it: `bool`, `int`, `text`, `date`,
    /// `duration`, `money`, an enumeration's name, `set of <enum>` or
    /// `list of <enum>`, with `?` after it when the fact may be `null`.
    pub ty: String,
    /// For an enumeration (or a set or list of one): the values it allows.
    pub values: Vec<String>,
    /// The description the policy gives the fact.
    pub description: Option<String>,
}

/// Counts in words: `4 files: 2 regulations, 59 rules, 5 penalties, 88 facts`.
impl fmt::Display for PolicySummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plural =
            |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        write!(
            f,
            "{}: {}, {}, {}, {}",
            plural(self.files.len(), "file", "files"),
            plural(self.regulations.len(), "regulation", "regulations"),
            plural(self.rules.len(), "rule", "rules"),
            plural(self.penalties.len(), "penalty", "penalties"),
            plural(self.facts.len(), "fact", "facts"),
        )
    }
}
