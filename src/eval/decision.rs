//! A decided case, kept compact: each rule's status and the reasons for it
//! as indices into the checked program and the case, in a few flat vectors.
//! Text is written only when asked for: as an owned [`Report`], or straight
//! to JSON through `Serialize`, which gives the report's JSON without
//! building the report.

use std::fmt::{self, Display, Formatter};
use std::sync::Arc;

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::expr::{ShowValue, Tri};
use super::penalties::Describe;
use super::summary::{Reason, Sentence};
use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, FactId, PenaltyId, Program, RuleId, Words};
use crate::report::model::*;

/// A range of one of the decision's flat vectors.
pub(crate) type Slice = (u32, u32);

fn part<T>(items: &[T], (start, end): Slice) -> &[T] {
    items.get(start as usize..end as usize).unwrap_or_default()
}

/// One rule's finding, in compact form.
#[derive(Clone, Debug)]
pub(crate) struct Entry<'a> {
    pub rule: RuleId,
    pub status: Status,
    pub reason: Reason<'a>,
    /// The rule's regulation is a draft and the finding says what it would require.
    pub draft: bool,
    pub due: Option<NaiveDate>,
    pub done_on: Option<NaiveDate>,
    pub days_left: Option<i64>,
    pub days_overdue: Option<i64>,
    pub exempted_by: Option<Exemption<'a>>,
    pub steps: Slice,
    /// Unknown facts the finding depends on (conditional findings only).
    pub depends: Slice,
    pub penalties: Slice,
    pub breach_date: NaiveDate,
    pub exposure: Exposure,
}

impl Entry<'_> {
    /// A rule not decided yet.
    pub fn blank(rule: RuleId, today: NaiveDate) -> Self {
        Entry {
            rule,
            status: Status::NotApplicable,
            reason: Reason::DoesNotApply,
            draft: false,
            due: None,
            done_on: None,
            days_left: None,
            days_overdue: None,
            exempted_by: None,
            steps: (0, 0),
            depends: (0, 0),
            penalties: (0, 0),
            breach_date: today,
            exposure: Exposure::default(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Exemption<'a> {
    Rule(RuleId),
    Unless(&'a Arc<str>),
}

/// One step of an explanation.
#[derive(Clone, Debug)]
pub(crate) enum StepKind<'a> {
    Condition {
        clause: &'a Arc<str>,
        expr: &'a CExpr,
        outcome: Tri,
        /// The facts it read, a slice of `Decision::reads`.
        facts: Slice,
    },
    Exception {
        rule: RuleId,
        applies: Option<bool>,
    },
    RollOver {
        from: NaiveDate,
        to: NaiveDate,
    },
    NoCalendar {
        year: i32,
    },
    Due(NaiveDate),
}

impl StepKind<'_> {
    /// The clause the step comes from, as explanations name it.
    fn clause<'s>(&'s self, words: &'s Words) -> &'s Arc<str> {
        match self {
            StepKind::Condition { clause, .. } => clause,
            StepKind::Exception { .. } => &words.exception,
            StepKind::RollOver { .. } => &words.rolls_over,
            StepKind::NoCalendar { .. } => &words.calendar,
            StepKind::Due(_) => &words.due,
        }
    }
}

/// What a step came to, as explanations show it.
struct StepOutcome<'s>(&'s Program, &'s StepKind<'s>);

impl Display for StepOutcome<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let words = &self.0.words;
        match self.1 {
            StepKind::Condition { outcome, .. } => OutcomeText(self.0, outcome).fmt(f),
            StepKind::Exception {
                applies: Some(true),
                ..
            } => f.write_str(&words.yes),
            StepKind::Exception {
                applies: Some(false),
                ..
            } => f.write_str(&words.no),
            StepKind::Exception { applies: None, .. } => f.write_str(&words.unknown),
            StepKind::NoCalendar { .. } => f.write_str(&words.no_calendar),
            StepKind::RollOver { to: day, .. } | StepKind::Due(day) => {
                ShowValue(self.0, &crate::value::Value::Date(*day)).fmt(f)
            }
        }
    }
}

/// A penalty a failure exposes: the version in force on the breach date and
/// whether each of its sanctions applies (a slice of `Decision::likelihoods`).
#[derive(Clone, Debug)]
pub(crate) struct PenaltyRecord {
    pub penalty: PenaltyId,
    pub version: Option<u32>,
    pub sanctions: Slice,
}

/// What a policy set decides for one case on one date: every rule's status,
/// why, by when, and what failures expose, with the text left in the
/// policy and the case until it is asked for. [`Policy::decide`] makes one.
///
/// [`report`](Decision::report) turns it into an owned [`Report`];
/// serialising it writes the same JSON as serialising that report, without
/// building it. Embedders that only need statuses and dates read
/// [`verdicts`](Decision::verdicts) and write nothing.
///
/// [`Policy::decide`]: crate::Policy::decide
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
///                        within 2 days of report.received_on done when report.filed_on is set on report.filed_on }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
///
/// let verdict = decision.verdicts().next().unwrap();
/// assert_eq!(verdict.status(), deon::Status::Pending);
/// assert_eq!(verdict.due(), chrono::NaiveDate::from_ymd_opt(2026, 3, 5));
///
/// let json = serde_json::to_value(&decision).unwrap();
/// assert_eq!(json, serde_json::to_value(decision.report()).unwrap());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Debug)]
pub struct Decision<'a> {
    pub(crate) program: &'a Program,
    pub(crate) facts: &'a Facts,
    pub(crate) as_of: NaiveDate,
    /// In rule declaration order.
    pub(crate) entries: Vec<Entry<'a>>,
    pub(crate) steps: Vec<StepKind<'a>>,
    pub(crate) reads: Vec<FactId>,
    pub(crate) unknown: Vec<FactId>,
    pub(crate) penalties: Vec<PenaltyRecord>,
    pub(crate) likelihoods: Vec<Likelihood>,
    pub(crate) totals: Exposure,
    /// Facts some finding depends on, sorted by name, without repeats.
    pub(crate) unknown_facts: Vec<FactId>,
}

/// One rule's finding in a [`Decision`], read without writing any text.
/// [`finding`](Verdict::finding) writes it out in full.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
///                        within 2 days of report.received_on done when report.filed_on is set on report.filed_on }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let verdict = decision.verdicts().next().unwrap();
///
/// assert_eq!(verdict.rule(), "file_report");
/// assert_eq!(verdict.citations(), ["Art. 1"]);
/// assert_eq!(verdict.status(), deon::Status::Violated);
/// assert_eq!((verdict.days_left(), verdict.days_overdue()), (None, Some(5)));
/// assert_eq!(verdict.summary(), "not done, and the due date 2026-03-05 passed 5 days ago");
/// assert_eq!(verdict.finding(), decision.report().findings[0]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Verdict<'d> {
    decision: &'d Decision<'d>,
    entry: &'d Entry<'d>,
}

impl<'a> Decision<'a> {
    /// The date the case was decided at.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("empty.deon", "")])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// assert_eq!(decision.as_of().to_string(), "2026-03-10");
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Each rule's finding, in declaration order (those kept by
    /// [`retain`](Decision::retain)).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.status().is_failure()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn verdicts(&self) -> impl Iterator<Item = Verdict<'_>> {
        self.entries.iter().map(move |entry| Verdict {
            decision: self,
            entry,
        })
    }

    /// The fines exposed by all failures together (see [`Report::totals`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert_eq!(decision.totals(), decision.report().totals);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn totals(&self) -> Exposure {
        self.totals
    }

    /// The facts the case left out that some finding depends on, by name,
    /// sorted (see [`Report::unknown_facts`]).
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { filed_on: date? "When it was filed." } }
    ///     rule file_report { cite "Art. 1" must "file the report" done when report.filed_on is set }
    /// "#)])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert_eq!(decision.unknown_facts().collect::<Vec<_>>(), ["report.filed_on"]);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn unknown_facts(&self) -> impl Iterator<Item = &str> {
        self.unknown_facts
            .iter()
            .map(|&id| self.program.facts[id as usize].path.as_ref())
    }

    /// Keeps only the findings for which `keep` is true. The totals and the
    /// unknown facts still count every finding, as in the full report.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let mut decision = policy.decide(&case, None);
    /// decision.retain(|status| status.is_failure());
    /// assert!(decision.verdicts().all(|v| v.status().is_failure()));
    /// assert!(decision.verdicts().count() > 0);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn retain(&mut self, mut keep: impl FnMut(Status) -> bool) {
        self.entries.retain(|entry| keep(entry.status));
    }

    /// The decision written out as an owned report.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let report = policy.decide(&case, None).report();
    /// assert_eq!(report, policy.evaluate(&case, None));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn report(&self) -> Report {
        let mut shown = Vec::new();
        Report {
            as_of: self.as_of,
            regulations: self
                .program
                .regulations
                .iter()
                .map(|r| RegulationSummary {
                    id: r.id.to_string(),
                    title: r.title().to_string(),
                    status: r.status,
                    effective: r.effective,
                    in_force: super::in_force(r.status, r.effective, r.repealed, self.as_of),
                })
                .collect(),
            findings: self
                .entries
                .iter()
                .map(|entry| self.finding(entry, &mut shown))
                .collect(),
            totals: self.totals,
            unknown_facts: self.unknown_facts().map(str::to_owned).collect(),
        }
    }

    fn sentence(&self, entry: &Entry<'a>) -> Sentence<'_> {
        Sentence {
            program: self.program,
            rule: entry.rule,
            reason: entry.reason,
            today: self.as_of,
            draft: entry.draft,
            unknown: part(&self.unknown, entry.depends),
        }
    }

    /// A finding written out; `shown` keeps each fact's value as text once
    /// written, for the next step that reads it.
    fn finding(&self, entry: &Entry<'a>, shown: &mut Vec<Option<Arc<str>>>) -> Finding {
        let program = self.program;
        let rule = &program.rules[entry.rule as usize];
        let regulation = &program.regulations[rule.regulation as usize];
        let steps = part(&self.steps, entry.steps);
        let mut explanation = Vec::with_capacity(steps.len());
        for step in steps {
            explanation.push(self.step(entry, step, shown));
        }
        Finding {
            rule: Arc::clone(&rule.id),
            regulation: Arc::clone(&regulation.id),
            regulation_status: regulation.status,
            citations: Arc::clone(&rule.cites),
            modality: rule.modality,
            action: Arc::clone(&rule.action),
            status: entry.status,
            summary: self.sentence(entry).to_string(),
            due: entry.due,
            done_on: entry.done_on,
            days_left: entry.days_left,
            days_overdue: entry.days_overdue,
            exempted_by: entry.exempted_by.map(|e| Exempted(program, e).to_string()),
            depends_on: part(&self.unknown, entry.depends)
                .iter()
                .map(|&id| program.facts[id as usize].path.to_string())
                .collect(),
            explanation,
            penalties: part(&self.penalties, entry.penalties)
                .iter()
                .map(|record| self.penalty(record, entry.breach_date))
                .collect(),
            exposure: entry.exposure,
        }
    }

    fn step(
        &self,
        entry: &Entry<'a>,
        step: &StepKind<'a>,
        shown: &mut Vec<Option<Arc<str>>>,
    ) -> Step {
        let clause = Arc::clone(step.clause(&self.program.words));
        match step {
            StepKind::Condition {
                expr,
                outcome,
                facts,
                ..
            } => Step {
                clause,
                condition: Arc::clone(&expr.text),
                outcome: super::expr::outcome_text(self.program, outcome),
                facts: part(&self.reads, *facts)
                    .iter()
                    .map(|&id| FactValue {
                        fact: Arc::clone(&self.program.facts[id as usize].path),
                        value: self.fact_text(id, shown),
                    })
                    .collect(),
            },
            other => Step {
                clause,
                condition: self.synthetic_condition(entry, other).to_string().into(),
                outcome: StepOutcome(self.program, other).to_string().into(),
                facts: Vec::new(),
            },
        }
    }

    fn synthetic_condition<'s>(
        &'s self,
        entry: &Entry<'a>,
        step: &'s StepKind<'a>,
    ) -> SyntheticCondition<'s> {
        SyntheticCondition {
            program: self.program,
            rule: entry.rule,
            step,
        }
    }

    fn fact_text(&self, id: FactId, shown: &mut Vec<Option<Arc<str>>>) -> Arc<str> {
        let index = id as usize;
        if shown.len() <= index {
            shown.resize(self.program.facts.len().max(index + 1), None);
        }
        if let Some(Some(text)) = shown.get(index) {
            return Arc::clone(text);
        }
        let text: Arc<str> = match self.facts.slots.get(index) {
            Some(Slot::Known(value)) => ShowValue(self.program, value).to_string().into(),
            Some(Slot::Null) => Arc::clone(&self.program.words.null),
            _ => Arc::clone(&self.program.words.unknown),
        };
        if let Some(slot) = shown.get_mut(index) {
            *slot = Some(Arc::clone(&text));
        }
        text
    }

    fn penalty(&self, record: &PenaltyRecord, breach_date: NaiveDate) -> PenaltyExposure {
        let penalty = &self.program.penalties[record.penalty as usize];
        let version = record
            .version
            .and_then(|v| penalty.versions.get(v as usize));
        let mut citations = penalty.cites.clone();
        let mut sanctions = Vec::new();
        if let Some(version) = version {
            citations.extend(version.cites.iter().cloned());
            let likelihoods = part(&self.likelihoods, record.sanctions);
            for (sanction, &likelihood) in version.sanctions.iter().zip(likelihoods) {
                sanctions.push(SanctionExposure {
                    sanction: sanction.kind.clone(),
                    description: Describe(&sanction.kind).to_string(),
                    likelihood,
                    discretionary: sanction.discretionary,
                    condition: sanction.condition.as_ref().map(|c| c.text.to_string()),
                });
            }
        }
        PenaltyExposure {
            penalty: penalty.name.clone(),
            citations,
            version: match version {
                Some(v) => v.label.clone(),
                None => Some(format!("none in force on {breach_date}")),
            },
            breach_date,
            sanctions,
        }
    }
}

/// The condition text of a step that is not a condition of the rule.
struct SyntheticCondition<'s> {
    program: &'s Program,
    rule: RuleId,
    step: &'s StepKind<'s>,
}

impl Display for SyntheticCondition<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.step {
            StepKind::Condition { expr, .. } => f.write_str(&expr.text),
            StepKind::Exception { rule, .. } => {
                write!(f, "rule {} applies", self.program.rules[*rule as usize].id)
            }
            StepKind::RollOver { from, .. } => write!(f, "{from} is a rest day"),
            StepKind::NoCalendar { year } => {
                let rule = &self.program.rules[self.rule as usize];
                let regulation = &self.program.regulations[rule.regulation as usize];
                let jurisdiction = regulation.jurisdiction.as_deref().unwrap_or_default();
                write!(f, "working days of {jurisdiction} in {year}")
            }
            StepKind::Due(_) => f.write_str(&self.program.words.last_day),
        }
    }
}

/// What exempts a party, as the report names it.
struct Exempted<'a>(&'a Program, Exemption<'a>);

impl Display for Exempted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.1 {
            Exemption::Rule(rule) => write!(f, "rule {}", self.0.rules[rule as usize].id),
            Exemption::Unless(text) => f.write_str(text),
        }
    }
}

impl<'d> Verdict<'d> {
    fn rule_info(&self) -> &'d crate::check::ir::RuleInfo {
        &self.decision.program.rules[self.entry.rule as usize]
    }

    /// The rule's name.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.rule() == "no_exploitation"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn rule(&self) -> &'d str {
        &self.rule_info().id
    }

    /// The rule's `cite` lines.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.citations().is_empty()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn citations(&self) -> &'d [String] {
        &self.rule_info().cites
    }

    /// What the rule means for the case.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.status().is_failure()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn status(&self) -> Status {
        self.entry.status
    }

    /// The last day to act, as in [`Finding::due`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.due().is_some()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn due(&self) -> Option<NaiveDate> {
        self.entry.due
    }

    /// Days until the due date of a pending finding.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| v.days_left().is_none() || v.status() == deon::Status::Pending));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn days_left(&self) -> Option<i64> {
        self.entry.days_left
    }

    /// Days past the due date, as in [`Finding::days_overdue`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.days_overdue().is_some_and(|d| d > 0)));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn days_overdue(&self) -> Option<i64> {
        self.entry.days_overdue
    }

    /// The fines this finding exposes.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// let report = decision.report();
    /// assert!(decision.verdicts().zip(&report.findings).all(|(v, f)| v.exposure() == f.exposure));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn exposure(&self) -> Exposure {
        self.entry.exposure
    }

    /// The one-sentence reason, as in [`Finding::summary`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.summary().is_empty()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn summary(&self) -> String {
        self.decision.sentence(self.entry).to_string()
    }

    /// The finding written out in full, explanation and penalties included.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// let first = decision.verdicts().next().unwrap().finding();
    /// assert_eq!(first, decision.report().findings[0]);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn finding(&self) -> Finding {
        self.decision.finding(self.entry, &mut Vec::new())
    }
}

// Serialising writes exactly what serialising `report()` would (a test holds
// the two to the same bytes), borrowing every string instead of owning it.

impl Serialize for Decision<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("Report", 5)?;
        report.serialize_field("as_of", &self.as_of)?;
        report.serialize_field("regulations", &Regulations(self))?;
        report.serialize_field("findings", &Findings(self))?;
        report.serialize_field("totals", &self.totals)?;
        report.serialize_field("unknown_facts", &FactNames(self, &self.unknown_facts))?;
        report.end()
    }
}

struct Regulations<'d>(&'d Decision<'d>);

impl Serialize for Regulations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let mut seq = serializer.serialize_seq(Some(decision.program.regulations.len()))?;
        for r in &decision.program.regulations {
            seq.serialize_element(&RegulationView {
                id: &r.id,
                title: r.title(),
                status: r.status,
                effective: r.effective,
                in_force: super::in_force(r.status, r.effective, r.repealed, decision.as_of),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct RegulationView<'a> {
    id: &'a str,
    title: &'a str,
    status: crate::syntax::ast::RegulationStatus,
    effective: Option<NaiveDate>,
    in_force: bool,
}

struct Findings<'d>(&'d Decision<'d>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let mut seq = serializer.serialize_seq(Some(decision.entries.len()))?;
        for entry in &decision.entries {
            seq.serialize_element(&FindingView { decision, entry })?;
        }
        seq.end()
    }
}

struct FactNames<'d>(&'d Decision<'d>, &'d [FactId]);

impl Serialize for FactNames<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let facts = &self.0.program.facts;
        serializer.collect_seq(self.1.iter().map(|&id| facts[id as usize].path.as_ref()))
    }
}

struct FindingView<'d> {
    decision: &'d Decision<'d>,
    entry: &'d Entry<'d>,
}

impl Serialize for FindingView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (decision, entry) = (self.decision, self.entry);
        let program = decision.program;
        let rule = &program.rules[entry.rule as usize];
        let regulation = &program.regulations[rule.regulation as usize];
        let mut s = serializer.serialize_struct("Finding", 17)?;
        s.serialize_field("rule", rule.id.as_ref())?;
        s.serialize_field("regulation", regulation.id.as_ref())?;
        s.serialize_field("regulation_status", &regulation.status)?;
        s.serialize_field("citations", rule.cites.as_ref())?;
        s.serialize_field("modality", &rule.modality)?;
        s.serialize_field("action", rule.action.as_ref())?;
        s.serialize_field("status", &entry.status)?;
        s.serialize_field("summary", &Text(&decision.sentence(entry)))?;
        if let Some(due) = &entry.due {
            s.serialize_field("due", due)?;
        }
        if let Some(done_on) = &entry.done_on {
            s.serialize_field("done_on", done_on)?;
        }
        if let Some(days) = &entry.days_left {
            s.serialize_field("days_left", days)?;
        }
        if let Some(days) = &entry.days_overdue {
            s.serialize_field("days_overdue", days)?;
        }
        if let Some(exemption) = entry.exempted_by {
            s.serialize_field("exempted_by", &Text(&Exempted(program, exemption)))?;
        }
        let depends = part(&decision.unknown, entry.depends);
        if !depends.is_empty() {
            s.serialize_field("depends_on", &FactNames(decision, depends))?;
        }
        s.serialize_field(
            "explanation",
            &Steps {
                decision,
                entry,
                steps: part(&decision.steps, entry.steps),
            },
        )?;
        let penalties = part(&decision.penalties, entry.penalties);
        if !penalties.is_empty() {
            s.serialize_field(
                "penalties",
                &Penalties {
                    decision,
                    penalties,
                    breach_date: entry.breach_date,
                },
            )?;
        }
        s.serialize_field("exposure", &entry.exposure)?;
        s.end()
    }
}

/// Anything displayable, serialised as a string without building one.
struct Text<'a, T: Display>(&'a T);

impl<T: Display> Serialize for Text<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

struct Steps<'d> {
    decision: &'d Decision<'d>,
    entry: &'d Entry<'d>,
    steps: &'d [StepKind<'d>],
}

impl Serialize for Steps<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.decision;
        let program = decision.program;
        let mut seq = serializer.serialize_seq(Some(self.steps.len()))?;
        for step in self.steps {
            let facts = match step {
                StepKind::Condition { facts, .. } => part(&decision.reads, *facts),
                _ => &[],
            };
            seq.serialize_element(&StepView {
                clause: step.clause(&program.words),
                condition: Text(&decision.synthetic_condition(self.entry, step)),
                outcome: Text(&StepOutcome(program, step)),
                facts: FactValues(decision, facts),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct StepView<'a, C: Serialize, O: Serialize> {
    clause: &'a str,
    condition: C,
    outcome: O,
    #[serde(skip_serializing_if = "FactValues::is_empty")]
    facts: FactValues<'a>,
}

struct FactValues<'d>(&'d Decision<'d>, &'d [FactId]);

impl FactValues<'_> {
    fn is_empty(&self) -> bool {
        self.1.is_empty()
    }
}

impl Serialize for FactValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let program = decision.program;
        let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
        for &id in self.1 {
            seq.serialize_element(&FactValueView {
                fact: &program.facts[id as usize].path,
                value: Text(&SlotText(program, decision.facts.slots.get(id as usize))),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct FactValueView<'a, V: Serialize> {
    fact: &'a str,
    value: V,
}

/// A fact's value as explanations show it.
struct SlotText<'a>(&'a Program, Option<&'a Slot>);

impl Display for SlotText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(Slot::Known(value)) => ShowValue(self.0, value).fmt(f),
            Some(Slot::Null) => f.write_str(&self.0.words.null),
            _ => f.write_str(&self.0.words.unknown),
        }
    }
}

/// A condition's outcome as explanations show it.
struct OutcomeText<'a>(&'a Program, &'a Tri);

impl Display for OutcomeText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let words = &self.0.words;
        match self.1 {
            Tri::Known(crate::value::Value::Bool(true)) => f.write_str(&words.yes),
            Tri::Known(crate::value::Value::Bool(false)) => f.write_str(&words.no),
            Tri::Known(value) => ShowValue(self.0, value).fmt(f),
            Tri::Null => f.write_str(&words.null),
            Tri::Unknown => f.write_str(&words.unknown),
        }
    }
}

struct Penalties<'d> {
    decision: &'d Decision<'d>,
    penalties: &'d [PenaltyRecord],
    breach_date: NaiveDate,
}

impl Serialize for Penalties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Few findings fail, and each has few penalties: writing them out
        // through the owned type keeps one definition of their shape.
        let mut seq = serializer.serialize_seq(Some(self.penalties.len()))?;
        for record in self.penalties {
            seq.serialize_element(&self.decision.penalty(record, self.breach_date))?;
        }
        seq.end()
    }
}
