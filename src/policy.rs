//! The library's front door: a checked [`Policy`], the [`Case`]s it reads
//! and the [`Expression`]s it checks, and what it evaluates them into.

use std::path::Path;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::case::{self, Facts};
use crate::check;
use crate::check::ir::Program;
use crate::source::Source;
use crate::{Decision, Format, Limits, calendar, declarations, eval, load};
use crate::{Diagnostics, FactSchema, PolicySummary, Problem, Report};
/// A checked set of policies, ready to evaluate cases.
///
/// `Send + Sync`, and cheap to clone (the checked program is shared): one
/// load can serve many threads.
///
/// # Examples
///
/// ```
/// use std::sync::Arc;
/// use deon::{Format, Policy, Status};
///
/// let policy = Arc::new(Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report {
///       cite "Art. 1"
///       when report.received_on is set
///       must "file the report"
///       within 2 days of report.received_on
///       done on report.filed_on
///     }
/// "#)])?);
/// let threads: Vec<_> = (3..=6)
///     .map(|day| {
///         let policy = Arc::clone(&policy);
///         std::thread::spawn(move || {
///             let json = serde_json::json!({"as_of": format!("2026-03-0{day}"), "report": {"received_on": "2026-03-03", "filed_on": null}});
///             let case = policy.case_from_json(&json)?;
///             Ok::<_, deon::Diagnostics>(policy.evaluate(&case, None).findings[0].status)
///         })
///     })
///     .collect();
/// let statuses: Vec<Status> = threads.into_iter().map(|t| t.join().unwrap()).collect::<Result<_, _>>()?;
/// assert_eq!(statuses, [Status::Pending, Status::Pending, Status::Pending, Status::Violated]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone)]
pub struct Policy {
    pub(crate) program: Arc<Program>,
    warnings: Vec<Problem>,
    /// The holiday calendar files the policy was checked with, kept so that
    /// [`Policy::sources`] can hand out everything needed to rebuild it.
    calendar_sources: Arc<[Source]>,
    hash: Arc<str>,
}

/// An expression checked against a policy's facts and definitions, ready to
/// evaluate with [`Policy::evaluate_expression`].
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." } }
/// "#)])?;
/// let expression = policy.check_expression("input", "report.received_on + 2 days")?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03"}}))?;
/// let (value, ty) = policy.evaluate_expression(&expression, &case, None);
/// assert_eq!((value.as_str(), ty.as_str()), ("2026-03-05", "date"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone)]
pub struct Expression {
    expr: check::ir::CExpr,
}

/// The facts of one case, validated against a policy's fact schema.
///
/// A fact the case leaves out is *unknown*; `null` says the event is known
/// not to have happened. A case belongs to the [`Policy`] that read it:
/// evaluate it with that policy.
///
/// # Examples
///
/// ```
/// use deon::{Format, Policy};
///
/// let policy = Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." } }
/// "#)])?;
/// let case = policy.case_from_str("case.yaml", "as_of: 2026-03-10\nreport: {received_on: 2026-03-03}\n", Format::Yaml)?;
/// assert_eq!(case.as_of(), chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug, Clone)]
pub struct Case {
    facts: Facts,
}

impl Case {
    pub(crate) fn from_facts(facts: Facts) -> Case {
        Case { facts }
    }

    /// The evaluation date the case names (`as_of`), if any.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("empty.deon", "")])?;
    /// let case = policy.case_from_json(&serde_json::json!({"as_of": "2026-03-10"}))?;
    /// assert_eq!(case.as_of(), chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// assert_eq!(policy.empty_case().as_of(), None);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn as_of(&self) -> Option<NaiveDate> {
        self.facts.as_of
    }

    pub(crate) fn facts(&self) -> &Facts {
        &self.facts
    }
}

impl Policy {
    /// Loads every `.deon` file under each path (a file or a folder), with
    /// the holiday calendars found in `calendar/` folders beside them, and
    /// checks them together.
    ///
    /// Folders are walked in a stable (sorted) order, skipping hidden
    /// entries. On any error, every problem found is returned; warnings
    /// alone do not stop the load (see [`Policy::warnings`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// assert!(!policy.summary().rules.is_empty());
    ///
    /// let missing = deon::Policy::load(["no/such/folder"]).unwrap_err();
    /// assert_eq!(missing.to_string(), "1 problem");
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn load<P: AsRef<Path>>(paths: impl IntoIterator<Item = P>) -> Result<Policy, Diagnostics> {
        Self::load_limited(paths, Limits::DEFAULT)
    }

    /// [`Policy::load`] under `limits` (already clamped).
    pub(crate) fn load_limited<P: AsRef<Path>>(
        paths: impl IntoIterator<Item = P>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        let mut sources = Vec::new();
        let mut problems = Vec::new();
        let mut files = Vec::new();
        let mut calendar_files = Vec::new();
        for path in paths {
            calendar_files.extend(calendar::calendar_files(path.as_ref()));
            match load::policy_files(path.as_ref()) {
                Ok(found) => files.extend(found),
                Err(e) => problems.push(Problem::Load(e)),
            }
        }
        // A file named twice (or reached through a link) is read once.
        load::dedup_files(&mut files);
        load::dedup_files(&mut calendar_files);
        let (calendar_sources, unreadable) =
            calendar::read_files(calendar_files, limits.policy_file_bytes);
        problems.extend(unreadable);
        let mut calendars = std::collections::BTreeMap::new();
        problems.extend(calendar_sources.iter().filter_map(|source| {
            calendar::add_source(source, &mut calendars)
                .err()
                .map(|e| Problem::Calendar(*e))
        }));
        for file in files {
            match load::read_text(&file, limits.policy_file_bytes) {
                Ok(source) => sources.push(source),
                Err(e) => problems.push(Problem::Load(e)),
            }
        }
        if !problems.is_empty() {
            return Err(problems.into());
        }
        let mut policy = Self::check_with(sources, calendars, limits)?;
        policy.calendar_sources = calendar_sources.into();
        Ok(policy)
    }

    /// Checks policies held in memory, as (name, text) pairs. The names
    /// appear in diagnostics.
    ///
    /// A pair whose name ends in `.toml` is a holiday calendar file (the
    /// `calendar/<year>.toml` files that [`Policy::load`] reads beside the
    /// policies); every other pair is a policy file. Without calendar files,
    /// rules counting working days have no calendar to count on.
    /// [`Policy::sources`] gives the pairs that rebuild a loaded policy.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([
    ///     ("facts.deon", r#"facts { records "The records." { kept: bool "Records are kept." } }"#),
    ///     ("rules.deon", r#"
    ///         regulation example { title "An example" status in force effective from 2021-09-01 }
    ///         rule keep_records { cite "Art. 2" must "keep records" done when records.kept }
    ///     "#),
    /// ])?;
    /// assert_eq!(policy.summary().rules, ["keep_records"]);
    ///
    /// let broken = deon::Policy::from_sources([("broken.deon", "rule {")]).unwrap_err();
    /// assert!(!broken.problems.is_empty());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn from_sources<N: AsRef<str>, T: AsRef<str>>(
        sources: impl IntoIterator<Item = (N, T)>,
    ) -> Result<Policy, Diagnostics> {
        Self::from_sources_limited(sources, Limits::DEFAULT)
    }

    /// [`Policy::from_sources`] under `limits` (already clamped).
    pub(crate) fn from_sources_limited<N: AsRef<str>, T: AsRef<str>>(
        sources: impl IntoIterator<Item = (N, T)>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        let (calendars, policies): (Vec<Source>, Vec<Source>) = sources
            .into_iter()
            .map(|(n, t)| Source::new(n.as_ref(), t.as_ref()))
            .partition(|source| is_calendar_name(&source.name));
        Self::check_with_calendar_files(policies, calendars, limits)
    }

    /// Checks policies with the holiday calendar files given as text, and
    /// keeps those files for [`Policy::sources`].
    fn check_with_calendar_files(
        sources: Vec<Source>,
        calendar_sources: Vec<Source>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        let mut calendars = std::collections::BTreeMap::new();
        let problems: Vec<Problem> = calendar_sources
            .iter()
            .filter_map(|source| {
                calendar::add_source(source, &mut calendars)
                    .err()
                    .map(|e| Problem::Calendar(*e))
            })
            .collect();
        if !problems.is_empty() {
            return Err(problems.into());
        }
        let mut policy = Self::check_with(sources, calendars, limits)?;
        policy.calendar_sources = calendar_sources.into();
        Ok(policy)
    }

    pub(crate) fn check_with(
        sources: Vec<Source>,
        calendars: std::collections::BTreeMap<String, calendar::Calendar>,
        limits: Limits,
    ) -> Result<Policy, Diagnostics> {
        let checked = check::check_with_calendars(sources, calendars, limits);
        let problems: Vec<Problem> = checked.problems.into_iter().map(Problem::Policy).collect();
        match checked.program {
            Some(program) => Ok(Policy {
                hash: content_hash(&program).into(),
                program: Arc::new(program),
                warnings: problems,
                calendar_sources: Arc::from([]),
            }),
            None => Err(problems.into()),
        }
    }

    /// The text the policy set was checked from, as (name, text) pairs:
    /// every policy file, then every holiday calendar file, in the order
    /// they were read. [`Policy::from_sources`] on these pairs checks the
    /// same policy set again, which is how a policy loaded once travels to
    /// another process or machine as plain text.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let sources: Vec<(String, String)> = policy
    ///     .sources()
    ///     .map(|(name, text)| (name.to_string(), text.to_string()))
    ///     .collect();
    /// assert!(sources.iter().any(|(name, _)| name.ends_with("calendar/2026.toml")));
    ///
    /// let again = deon::Policy::from_sources(sources)?;
    /// assert_eq!(again.summary(), policy.summary());
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let case_again = again.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// assert_eq!(again.evaluate(&case_again, None), policy.evaluate(&case, None));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn sources(&self) -> impl Iterator<Item = (&str, &str)> {
        self.program
            .sources
            .iter()
            .chain(self.calendar_sources.iter())
            .map(|source| (source.name.as_ref(), source.text.as_ref()))
    }

    /// Warnings found while checking (e.g. a rule without a citation).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("rule.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { records "The records." { kept: bool "Records are kept." } }
    ///     rule keep_records { must "keep records" done when records.kept }
    /// "#)])?;
    /// let codes: Vec<String> = policy
    ///     .warnings()
    ///     .iter()
    ///     .filter_map(|w| miette::Diagnostic::code(w).map(|c| c.to_string()))
    ///     .collect();
    /// assert_eq!(codes, ["deon::check::missing_citation"]);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn warnings(&self) -> &[Problem] {
        &self.warnings
    }

    /// What the policy set declares: its files, regulations, rules,
    /// penalties, roles, definitions, facts and records, by name.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let summary = policy.summary();
    /// assert!(summary.rules.iter().any(|r| r == "provider_file_with_miit"));
    /// assert!(summary.facts.iter().any(|f| f == "vulnerability.aware_on"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn summary(&self) -> PolicySummary {
        fn names<'a>(items: impl Iterator<Item = &'a str>) -> Vec<String> {
            items.map(str::to_string).collect()
        }
        let program = &self.program;
        let mut records: Vec<(u32, &str)> = program
            .record_index
            .iter()
            .filter(|(path, _)| !path.is_empty())
            .map(|(path, &id)| (id, path.as_str()))
            .collect();
        records.sort_unstable();
        PolicySummary {
            files: names(program.sources.iter().map(|s| s.name.as_ref())),
            regulations: names(program.regulations.iter().map(|r| r.id.as_ref())),
            rules: names(program.rules.iter().map(|r| r.id.as_ref())),
            penalties: names(program.penalties.iter().map(|p| p.name.as_str())),
            roles: names(program.roles.iter().map(|r| r.name.as_str())),
            definitions: names(program.definitions.iter().map(|d| d.name.as_str())),
            facts: names(program.facts.iter().map(|f| f.path.as_ref())),
            records: names(records.into_iter().map(|(_, path)| path)),
        }
    }

    /// The fact schema: every fact a case may give, with its type, in the
    /// order of [`PolicySummary::facts`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let schema = policy.fact_schema();
    /// assert_eq!(schema.len(), policy.summary().facts.len());
    /// let roles = schema.iter().find(|f| f.path == "party.roles").unwrap();
    /// assert!(roles.ty.starts_with("set of "));
    /// assert!(roles.values.iter().any(|v| v == "product_provider"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn fact_schema(&self) -> Vec<FactSchema> {
        use crate::value::Base;
        let program = &self.program;
        program
            .facts
            .iter()
            .map(|fact| {
                let values = match fact.ty.base {
                    Base::Enum(id) | Base::Set(id) | Base::List(id) => program
                        .enums
                        .get(id as usize)
                        .map(|e| e.values.clone())
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                FactSchema {
                    path: fact.path.to_string(),
                    ty: program.type_name(fact.ty),
                    values,
                    description: fact.doc.clone(),
                }
            })
            .collect()
    }

    /// Everything the policy set declares, in full: regulations, the fact
    /// schema with types and enum values, roles, definitions, penalties, and
    /// each rule with its text as written. See [`declarations`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { filed_on: date? "When it was filed." } }
    ///     rule file_report { cite "Art. 1" must "file the report" done when report.filed_on is set }
    /// "#)])?;
    /// let declarations = policy.declarations();
    /// assert_eq!(declarations.facts[0].type_name, "date?");
    /// assert_eq!(declarations.rules[0].line, 4);
    /// assert!(declarations.rules[0].text.ends_with("done when report.filed_on is set }"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn declarations(&self) -> declarations::Declarations {
        declarations::declarations(&self.program)
    }

    /// A SHA-256 hash of everything the policy set was checked from: each
    /// file's name and text, in load order, and the holiday calendars.
    /// Two sets with the same hash give the same answers, so a service
    /// names it beside each answer to make the answer auditable. Written
    /// `sha256:` and 64 hex digits.
    ///
    /// # Examples
    ///
    /// ```
    /// let text = r#"regulation example { title "An example" status in force effective from 2021-09-01 }"#;
    /// let one = deon::Policy::from_sources([("a.deon", text)])?;
    /// let same = deon::Policy::from_sources([("a.deon", text)])?;
    /// let renamed = deon::Policy::from_sources([("b.deon", text)])?;
    /// assert_eq!(one.content_hash(), same.content_hash());
    /// assert_ne!(one.content_hash(), renamed.content_hash());
    /// assert!(one.content_hash().starts_with("sha256:"));
    /// assert_eq!(one.content_hash().len(), 7 + 64);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn content_hash(&self) -> &str {
        &self.hash
    }

    /// A case's facts as JSON, as a case file would give them: known
    /// values, `null` for events known not to have happened, and nothing
    /// for unknown facts. Reading the result back gives the same case.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    /// "#)])?;
    /// let case = policy.case_from_str("case.yaml", "as_of: 2026-03-10\nreport: {received_on: 2026-03-03, filed_on: null}", deon::Format::Yaml)?;
    /// let json = policy.case_to_json(&case);
    /// assert_eq!(json, serde_json::json!({"as_of": "2026-03-10", "report": {"received_on": "2026-03-03", "filed_on": null}}));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn case_to_json(&self, case: &Case) -> serde_json::Value {
        case::to_json(&self.program, &case.facts)
    }

    /// The checked program, for Deon's own tools that inspect rules and facts.
    pub(crate) fn program(&self) -> &Program {
        &self.program
    }

    /// Reads a case from text in the given format, validating it against
    /// the policy's fact schema. Every problem is reported, each pointing at
    /// its line and column in the text; `name` names the text in them.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Format, Policy};
    ///
    /// let policy = Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." } }
    /// "#)])?;
    /// policy.case_from_str("case.json", r#"{"report": {"received_on": "2026-03-03"}}"#, Format::Json)?;
    /// policy.case_from_str("case.yaml", "report:\n  received_on: 2026-03-03\n", Format::Yaml)?;
    /// policy.case_from_str("case.toml", "[report]\nreceived_on = 2026-03-03\n", Format::Toml)?;
    /// assert!(policy.case_from_str("case.yaml", "report: {recieved_on: 2026-03-03}", Format::Yaml).is_err());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
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

    /// Reads a case file, choosing the format by its extension (see
    /// [`Format::from_path`]). Files over 64 MiB, or not UTF-8, are refused.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    ///
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file(Path::new("examples/cases/provider_on_time.yaml"))?;
    /// let report = policy.evaluate(&case, None);
    /// assert!(report.findings.iter().all(|f| !f.status.is_failure()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn case_from_file(&self, path: &Path) -> Result<Case, Diagnostics> {
        let source = load::read_text(path, self.program.limits.case_file_bytes)
            .map_err(|e| Diagnostics::from(vec![Problem::Load(e)]))?;
        let format = Format::from_path(&source.name);
        self.case_from_str(&source.name.clone(), &source.text.clone(), format)
    }

    /// Reads a case from a JSON value, as if it were JSON text. The value is
    /// read directly; only a value with a problem is written out as text, so
    /// that its diagnostics can point at the place.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." } }
    /// "#)])?;
    /// let value = serde_json::json!({"as_of": "2026-03-04", "report": {"received_on": "2026-03-03"}});
    /// let case = policy.case_from_json(&value)?;
    /// assert_eq!(case.as_of(), chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn case_from_json(&self, value: &serde_json::Value) -> Result<Case, Diagnostics> {
        if let Some(facts) = case::read_value(&self.program, value) {
            return Ok(Case { facts });
        }
        let text = serde_json::to_string_pretty(value).unwrap_or_default();
        self.case_from_str("case.json", &text, Format::Json)
    }

    /// A case in which nothing is known: every rule comes out as far as the
    /// policy alone can say.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Policy, Status};
    ///
    /// let policy = Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    ///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report" done when report.filed_on is set }
    /// "#)])?;
    /// let report = policy.evaluate(&policy.empty_case(), chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// assert_eq!(report.findings[0].status, Status::Conditional);
    /// assert_eq!(report.unknown_facts, ["report.filed_on", "report.received_on"]);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn empty_case(&self) -> Case {
        Case {
            facts: Facts::unknown(&self.program),
        }
    }

    /// Checks an expression typed by a user (e.g. at the REPL) against the
    /// policy's facts and definitions. `name` names the text in diagnostics.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." } }
    /// "#)])?;
    /// assert!(policy.check_expression("input", "report.received_on is set").is_ok());
    /// assert!(policy.check_expression("input", "report.recieved_on is set").is_err());
    /// assert!(policy.check_expression("input", "1 + true").is_err());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
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
    /// (`unknown` and `null` included) and its type's name. The date
    /// (`today` in the expression) is `as_of` if given, else the case's own
    /// `as_of`, else today.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." } }
    /// "#)])?;
    /// let expression = policy.check_expression("input", "report.received_on + 2 days")?;
    /// let (value, ty) = policy.evaluate_expression(&expression, &policy.empty_case(), None);
    /// assert_eq!((value.as_str(), ty.as_str()), ("unknown", "date"));
    ///
    /// let overdue = policy.check_expression("input", "today > 2026-03-05")?;
    /// let on = chrono::NaiveDate::from_ymd_opt(2026, 3, 10);
    /// let (value, ty) = policy.evaluate_expression(&overdue, &policy.empty_case(), on);
    /// assert_eq!((value.as_str(), ty.as_str()), ("true", "bool"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn evaluate_expression(
        &self,
        expression: &Expression,
        case: &Case,
        as_of: Option<NaiveDate>,
    ) -> (String, String) {
        let (value, ty, _) = self.evaluate_expression_in_range(expression, case, as_of);
        (value, ty)
    }

    /// [`Policy::evaluate_expression`], with why an unknown value is
    /// unknown when no fact is missing: a number or date out of range.
    pub(crate) fn evaluate_expression_in_range(
        &self,
        expression: &Expression,
        case: &Case,
        as_of: Option<NaiveDate>,
    ) -> (String, String, Option<eval::OutOfRange>) {
        let date = as_of
            .or(case.facts.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        let mut scope = eval::Scope::new(&self.program, &case.facts, date);
        let value = scope.eval(&expression.expr);
        let out_of_range = scope.out_of_range().filter(|_| value == eval::Tri::Unknown);
        (
            eval::show_tri(&self.program, &value),
            self.program.type_name(expression.expr.ty),
            out_of_range,
        )
    }

    /// Evaluates a case: one [`Finding`](crate::Finding) per rule, in declaration order.
    /// The date is `as_of` if given, else the case's own `as_of`, else today.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Format, Policy, Status};
    ///
    /// let policy = Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    ///     rule file_report {
    ///       cite "Art. 1"
    ///       when report.received_on is set
    ///       must "file the report"
    ///       within 2 days of report.received_on
    ///       done on report.filed_on
    ///     }
    /// "#)])?;
    /// let case = policy.case_from_str("case.yaml", "report: {received_on: 2026-03-03, filed_on: null}", Format::Yaml)?;
    /// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// let finding = &report.findings[0];
    /// assert_eq!(finding.status, Status::Violated);
    /// assert_eq!(finding.due, chrono::NaiveDate::from_ymd_opt(2026, 3, 5));
    /// assert_eq!(finding.days_overdue, Some(5));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn evaluate(&self, case: &Case, as_of: Option<NaiveDate>) -> Report {
        self.decide(case, as_of).report()
    }

    /// Decides a case without writing the report: every rule's status, dates
    /// and reasons, kept compact until asked for. Serialising the
    /// [`Decision`] writes the same JSON as serialising
    /// [`evaluate`](Policy::evaluate)'s report, with less work; reading its
    /// [`verdicts`](Decision::verdicts) writes nothing. The date is chosen as
    /// for `evaluate`.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Format, Policy, Status};
    ///
    /// let policy = Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    ///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
    ///                        within 2 days of report.received_on done on report.filed_on }
    /// "#)])?;
    /// let case = policy.case_from_str("case.yaml", "report: {received_on: 2026-03-03, filed_on: null}", Format::Yaml)?;
    /// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// assert!(decision.verdicts().any(|v| v.status() == Status::Violated));
    ///
    /// let mut json = Vec::new();
    /// decision.write_json(&mut json);
    /// assert_eq!(json, serde_json::to_vec(&policy.evaluate(&case, decision.as_of().into())).unwrap());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn decide<'a>(&'a self, case: &'a Case, as_of: Option<NaiveDate>) -> Decision<'a> {
        let date = as_of
            .or(case.facts.as_of)
            .unwrap_or_else(|| chrono::Local::now().date_naive());
        eval::decide(&self.program, &case.facts, date)
    }
}

/// Whether a source passed to [`Policy::from_sources`] is a holiday calendar.
fn is_calendar_name(name: &str) -> bool {
    Path::new(name)
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
}

/// The hash [`Policy::content_hash`] gives.
fn content_hash(program: &Program) -> String {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for source in &program.sources {
        // Lengths first, so that no two different sets give the same stream.
        hasher.update((source.name.len() as u64).to_le_bytes());
        hasher.update(source.name.as_bytes());
        hasher.update((source.text.len() as u64).to_le_bytes());
        hasher.update(source.text.as_bytes());
    }
    for calendar in program.calendars.values() {
        let text = calendar.canonical_text();
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    let digest = hasher.finalize();
    let mut out = String::with_capacity(7 + 64);
    out.push_str("sha256:");
    for byte in digest {
        use std::fmt::Write as _;
        let _ = write!(out, "{byte:02x}");
    }
    out
}
