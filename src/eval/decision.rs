//! A decided case, kept compact: each rule's status and the reasons for it
//! as indices into the checked program and the case, in a few flat vectors.
//! Text is written only when asked for: as an owned [`Report`], or straight
//! to JSON bytes (json/), which are the report's JSON without building the
//! report.

use std::fmt::{self, Display, Formatter};
use std::sync::Arc;

use chrono::NaiveDate;

use super::expr::{OutcomeText, ShowValue, Tri};
use super::penalties::Describe;
pub(crate) use super::summary::Basis;
use super::summary::{Reason, Sentence};
use super::verdict::Verdict;
use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, FactId, PenaltyId, Program, RuleId, Text, Words};
use crate::report::model::*;
use crate::value::Value;

/// A range of one of the decision's flat vectors.
pub(crate) type Slice = (u32, u32);

pub(super) fn part<T>(items: &[T], (start, end): Slice) -> &[T] {
    items.get(start as usize..end as usize).unwrap_or_default()
}

/// One rule's finding, in compact form.
#[derive(Clone, Copy, Debug)]
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
    /// Review notes shown on the finding, a slice of `Decision::notes`.
    pub notes: Slice,
    pub breach_date: NaiveDate,
    /// Why the breach date is what it is.
    pub basis: Basis<'a>,
    /// Days a duty with a judgement timing has been outstanding: from the
    /// event it runs from to the day it was done, or to the evaluation date.
    pub outstanding: Option<i64>,
    pub exposure: Exposure,
}

impl Entry<'_> {
    /// A finding not decided yet (of rule 0, until it is).
    pub fn blank(today: NaiveDate) -> Self {
        Entry {
            rule: 0,
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
            notes: (0, 0),
            breach_date: today,
            basis: Basis::None,
            outstanding: None,
            exposure: Exposure::default(),
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub(crate) enum Exemption<'a> {
    Rule(RuleId),
    Unless(&'a CExpr),
}

/// One step of an explanation.
#[derive(Clone, Debug)]
pub(crate) enum StepKind<'a> {
    Condition {
        clause: &'a Text,
        expr: &'a CExpr,
        outcome: Outcome,
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
    pub(super) fn clause<'s>(&'s self, words: &'s Words) -> &'s Text {
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
pub(super) struct StepOutcome<'s>(pub &'s Decision<'s>, pub &'s StepKind<'s>);

impl Display for StepOutcome<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let program = self.0.program;
        let words = &program.words;
        match self.1 {
            StepKind::Condition { outcome, .. } => {
                OutcomeText(program, &self.0.tri(*outcome)).fmt(f)
            }
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
                ShowValue(program, &Value::Date(*day)).fmt(f)
            }
        }
    }
}

/// What a condition came to, small enough to copy: the common values inline,
/// others kept in `Decision::values`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Outcome {
    True,
    False,
    Null,
    Unknown,
    Date(NaiveDate),
    /// An index into `Decision::values`.
    Value(u32),
}

/// A penalty a failure exposes: the version in force on the breach date and
/// whether each of its sanctions applies (a slice of `Decision::likelihoods`).
#[derive(Clone, Debug)]
pub(crate) struct PenaltyRecord<'a> {
    pub penalty: PenaltyId,
    pub version: Option<u32>,
    /// The date the version was chosen for.
    pub breach_date: NaiveDate,
    /// The rule's link to the penalty is arguable, for this reason.
    pub arguable: Option<&'a Text>,
    pub sanctions: Slice,
    /// Whether each tier of the version is reached, a slice of `Decision::likelihoods`.
    pub tiers: Slice,
}

/// A review note shown on a finding: what it is about, and its text.
#[derive(Clone, Copy, Debug)]
pub(crate) struct NoteRecord<'a> {
    pub about: NoteAbout,
    pub penalty: Option<PenaltyId>,
    pub tier: Option<&'a Text>,
    pub text: &'a Text,
    pub condition: Option<&'a CExpr>,
    /// Its condition reads facts the case leaves out.
    pub unknown: bool,
}

impl NoteRecord<'_> {
    pub(crate) fn to_note(self, program: &Program) -> ReviewNote {
        ReviewNote {
            text: Arc::clone(self.text),
            about: self.about,
            penalty: self
                .penalty
                .map(|p| program.penalties[p as usize].name.clone()),
            tier: self.tier.map(|t| Arc::clone(t)),
            condition: self.condition.map(|c| Arc::clone(c.text.shared())),
            condition_unknown: self.unknown,
        }
    }
}

/// What a policy set decides for one case on one date: every rule's status,
/// why, by when, and what failures expose, with the text left in the
/// policy and the case until it is asked for. [`Policy::decide`] makes one.
///
/// [`report`](Decision::report) turns it into an owned [`Report`];
/// [`write_json`](Decision::write_json) writes the same JSON as serialising
/// that report, without building it (serialising the decision with serde
/// builds the report and serialises it). Embedders that only need statuses and dates read
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
///                        within 2 days of report.received_on done on report.filed_on }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 4));
///
/// let verdict = decision.verdicts().next().unwrap();
/// assert_eq!(verdict.status(), deon::Status::Pending);
/// assert_eq!(verdict.due(), chrono::NaiveDate::from_ymd_opt(2026, 3, 5));
///
/// let mut json = Vec::new();
/// decision.write_json(&mut json);
/// assert_eq!(json, serde_json::to_vec(&decision.report()).unwrap());
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
    /// For each entry of `likelihoods`: the facts a tier's condition read
    /// (a slice of `reads`); empty for sanctions.
    pub(crate) tier_reads: Vec<Slice>,
    /// Outcomes of conditions that are neither true, false nor a date.
    pub(crate) values: Vec<Value>,
    pub(crate) unknown: Vec<FactId>,
    pub(crate) penalties: Vec<PenaltyRecord<'a>>,
    pub(crate) likelihoods: Vec<Likelihood>,
    pub(crate) notes: Vec<NoteRecord<'a>>,
    pub(crate) totals: Exposure,
    /// Facts some finding depends on, sorted by name, without repeats.
    pub(crate) unknown_facts: Vec<FactId>,
    /// How much reasoning its report carries.
    pub(crate) explain: Explain,
}

impl<'a> Decision<'a> {
    /// The same decision, with its report carrying the reasoning `level`
    /// asks for (the default is [`Explain::All`]). Statuses, dates,
    /// penalties and review notes are the same at every level.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    ///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
    ///                        within 2 days of report.received_on done on report.filed_on }
    /// "#)])?;
    /// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": "2026-03-04"}}))?;
    /// let decision = policy.decide(&case, None);
    /// assert!(!decision.report().findings[0].explanation.is_empty());
    ///
    /// // A satisfied finding is not explained at level `failing`.
    /// let decision = decision.explained(deon::Explain::Failing);
    /// assert_eq!(decision.explain(), deon::Explain::Failing);
    /// assert!(decision.report().findings[0].explanation.is_empty());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn explained(mut self, level: Explain) -> Self {
        self.explain = level;
        self
    }

    /// How much reasoning this decision's report carries.
    pub fn explain(&self) -> Explain {
        self.explain
    }

    /// The steps a finding's report shows at the decision's level: none
    /// when the level leaves the finding unexplained, and for a finding
    /// that does not apply only the steps that did not hold (the condition
    /// that failed), not every step that led up to it.
    pub(crate) fn shown_steps<'s>(
        &'s self,
        entry: &Entry<'a>,
    ) -> impl Iterator<Item = &'s StepKind<'a>> + 's {
        let steps = if self.explain.explains(entry.status) {
            part(&self.steps, entry.steps)
        } else {
            &[]
        };
        let not_applicable = entry.status == Status::NotApplicable;
        steps.iter().filter(move |step| {
            !(not_applicable
                && matches!(
                    step,
                    StepKind::Condition {
                        outcome: Outcome::True,
                        ..
                    }
                ))
        })
    }

    /// A condition's value as a step keeps it.
    pub(crate) fn outcome_of(&mut self, value: &Tri) -> Outcome {
        match value {
            Tri::Known(Value::Bool(true)) => Outcome::True,
            Tri::Known(Value::Bool(false)) => Outcome::False,
            Tri::Known(Value::Date(date)) => Outcome::Date(*date),
            Tri::Null => Outcome::Null,
            Tri::Unknown => Outcome::Unknown,
            Tri::Known(other) => {
                self.values.push(other.clone());
                Outcome::Value(self.values.len() as u32 - 1)
            }
        }
    }

    /// A step's outcome as a value again.
    pub(crate) fn tri(&self, outcome: Outcome) -> Tri {
        match outcome {
            Outcome::True => Tri::Known(Value::Bool(true)),
            Outcome::False => Tri::Known(Value::Bool(false)),
            Outcome::Date(date) => Tri::Known(Value::Date(date)),
            Outcome::Null => Tri::Null,
            Outcome::Unknown => Tri::Unknown,
            Outcome::Value(index) => self
                .values
                .get(index as usize)
                .map_or(Tri::Unknown, |v| Tri::Known(v.clone())),
        }
    }

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
                    other_titles: r
                        .other_titles()
                        .map(|(language, title)| LanguageTitle {
                            language: language.to_string(),
                            title: title.to_string(),
                        })
                        .collect(),
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
            explain: self.explain,
        }
    }

    pub(super) fn sentence(&self, entry: &Entry<'a>) -> Sentence<'_> {
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
    pub(super) fn finding(&self, entry: &Entry<'a>, shown: &mut Vec<Option<Arc<str>>>) -> Finding {
        let program = self.program;
        let rule = &program.rules[entry.rule as usize];
        let regulation = &program.regulations[rule.regulation as usize];
        let terse = self.explain == Explain::None;
        let mut explanation = Vec::new();
        for step in self.shown_steps(entry) {
            explanation.push(self.step(entry, step, shown));
        }
        Finding {
            rule: Arc::clone(&rule.id),
            regulation: Arc::clone(&regulation.id),
            regulation_status: regulation.status,
            citations: Arc::clone(&rule.cites),
            modality: rule.modality,
            action: if terse {
                Arc::from("")
            } else {
                Arc::clone(&rule.action)
            },
            status: entry.status,
            summary: if terse {
                String::new()
            } else {
                self.sentence(entry).to_string()
            },
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
                .map(|record| self.penalty(record))
                .collect(),
            breach_basis: entry.basis.to_string(),
            days_outstanding: entry.outstanding,
            review_notes: part(&self.notes, entry.notes)
                .iter()
                .map(|note| note.to_note(program))
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
                condition: Arc::clone(expr.text.shared()),
                outcome: super::expr::outcome_text(self.program, &self.tri(*outcome)),
                facts: part(&self.reads, *facts)
                    .iter()
                    .map(|&id| {
                        let fact = &self.program.facts[id as usize];
                        FactValue {
                            fact: Arc::clone(&fact.path),
                            value: self.fact_text(id, shown),
                            description: fact.description.clone(),
                        }
                    })
                    .collect(),
            },
            other => Step {
                clause,
                condition: self.synthetic_condition(entry, other).to_string().into(),
                outcome: StepOutcome(self, other).to_string().into(),
                facts: Vec::new(),
            },
        }
    }

    pub(super) fn synthetic_condition<'s>(
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

    /// The facts that put a case in a tier it reaches: what its condition
    /// read. Nothing for a tier not reached, or only possibly.
    pub(super) fn aggravation(&self, likelihood: Likelihood, read: Slice) -> &[FactId] {
        if likelihood == Likelihood::Applies {
            part(&self.reads, read)
        } else {
            &[]
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

    pub(super) fn penalty(&self, record: &PenaltyRecord<'a>) -> PenaltyExposure {
        let breach_date = record.breach_date;
        let penalty = &self.program.penalties[record.penalty as usize];
        let version = record
            .version
            .and_then(|v| penalty.versions.get(v as usize));
        let mut citations = penalty.cites.clone();
        let mut sanctions = Vec::new();
        let mut tiers = Vec::new();
        if let Some(version) = version {
            let reached = part(&self.likelihoods, record.tiers);
            let reads = part(&self.tier_reads, record.tiers);
            let mut shown = Vec::new();
            for ((tier, &likelihood), &read) in version.tiers.iter().zip(reached).zip(reads) {
                tiers.push(TierExposure {
                    name: Arc::clone(&tier.name),
                    condition: tier.condition.as_ref().map(|c| Arc::clone(c.text.shared())),
                    likelihood,
                    facts: self
                        .aggravation(likelihood, read)
                        .iter()
                        .map(|&id| FactValue {
                            fact: Arc::clone(&self.program.facts[id as usize].path),
                            value: self.fact_text(id, &mut shown),
                            description: self.program.facts[id as usize].description.clone(),
                        })
                        .collect(),
                });
            }
            citations.extend(version.cites.iter().cloned());
            let likelihoods = part(&self.likelihoods, record.sanctions);
            for (sanction, &likelihood) in version.sanctions.iter().zip(likelihoods) {
                sanctions.push(SanctionExposure {
                    sanction: sanction.kind.clone(),
                    description: Describe(&sanction.kind).to_string(),
                    likelihood,
                    discretionary: sanction.discretionary,
                    tier: sanction
                        .tier
                        .and_then(|t| version.tiers.get(t as usize))
                        .map(|t| Arc::clone(&t.name)),
                    choice: sanction.choice,
                    condition: sanction.condition.as_ref().map(|c| c.text.to_string()),
                });
            }
        }
        PenaltyExposure {
            penalty: penalty.name.clone(),
            citations,
            version: match version {
                Some(v) => v.label.clone(),
                None => Some(NoVersion(breach_date).to_string()),
            },
            breach_date,
            arguable: record.arguable.map(|a| Arc::clone(a)),
            tiers,
            sanctions,
        }
    }
}

/// The condition text of a step that is not a condition of the rule.
pub(super) struct SyntheticCondition<'s> {
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
pub(super) struct Exempted<'a>(pub &'a Program, pub Exemption<'a>);

impl Display for Exempted<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.1 {
            Exemption::Rule(rule) => write!(f, "rule {}", self.0.rules[rule as usize].id),
            Exemption::Unless(expr) => f.write_str(&expr.text),
        }
    }
}

/// The version label of a penalty with no version in force on the date.
pub(super) struct NoVersion(pub NaiveDate);

impl Display for NoVersion {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        write!(f, "none in force on {}", self.0)
    }
}
