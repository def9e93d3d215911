//! Eval: facts in, findings out. Every rule is decided against the case into
//! a compact [`Decision`]: statuses, dates, and the conditions behind them as
//! indices into the program and the case. Words are written only when a
//! report is asked for (decision.rs, summary.rs).

pub mod dates;
mod decision;
mod duty;
mod expr;
mod json;
pub mod penalties;
mod summary;
mod verdict;

use chrono::NaiveDate;

pub use decision::Decision;
pub use expr::{OutOfRange, Scope, Tri, show, show_tri};
pub use verdict::Verdict;

use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, FactId, Program, RoleId, RuleId, RuleInfo, Text};
use crate::report::model::NoteAbout;
use crate::report::model::{Explain, Exposure, Status};
use crate::syntax::ast::{Modality, RegulationStatus};
use decision::{Basis, Entry, Exemption, NoteRecord, Outcome, Slice, StepKind};
use summary::Reason;

/// Decides every rule of `program` against `facts` on the date `as_of`.
pub fn decide<'a>(program: &'a Program, facts: &'a Facts, as_of: NaiveDate) -> Decision<'a> {
    let rules = program.rules.len();
    let mut scope = Scope::new(program, facts, as_of);
    let mut decision = Decision {
        program,
        facts,
        as_of,
        entries: Vec::new(),
        // Sized for a typical case of the shipped policies, so that a
        // decision rarely grows a vector (each growth is a reallocation).
        steps: Vec::with_capacity(4 * rules),
        reads: Vec::with_capacity(8 * rules),
        tier_reads: Vec::with_capacity(32),
        values: Vec::with_capacity(16),
        unknown: Vec::with_capacity(16),
        penalties: Vec::with_capacity(16),
        likelihoods: Vec::with_capacity(16),
        notes: Vec::with_capacity(32),
        totals: Exposure::default(),
        unknown_facts: Vec::new(),
        explain: Explain::All,
    };
    // One entry per rule, in declaration order, each filled in when its rule
    // is decided (exceptions first).
    // (Copied from one template: building each blank in place costs more
    // than the copy.)
    let template = Entry::blank(as_of);
    let mut entries: Vec<Entry<'a>> = vec![template; rules];
    let mut decided: Vec<bool> = vec![false; rules];
    // Whether each rule applies, for the exceptions that point at it.
    let mut applies: Vec<Option<bool>> = vec![None; rules];
    // Each role's test, decided once per case: its outcome and the facts it read.
    let mut roles: Vec<Option<(Outcome, Option<bool>, Slice)>> = vec![None; program.roles.len()];
    let mut unknown = Vec::new();
    for &id in &program.rule_order {
        let Some(rule) = program.rules.get(id as usize) else {
            continue;
        };
        unknown.clear();
        let (entry, applicable) = RuleEval {
            scope: &mut scope,
            program,
            id,
            rule,
            applies: &applies,
            earlier: Earlier {
                entries: &entries,
                decided: &decided,
            },
            roles: &mut roles,
            template: &template,
            out: &mut decision,
            steps_from: 0,
            unknown: &mut unknown,
            missing_calendar: None,
            out_of_range: false,
            value_out_of_range: None,
            trigger_date: None,
            anchor: None,
        }
        .run();
        applies[id as usize] = applicable;
        decided[id as usize] = true;
        entries[id as usize] = entry;
    }
    decision.entries = entries;
    decision.totals = totals(&decision);
    let mut names: Vec<FactId> = Vec::new();
    for entry in &decision.entries {
        let (start, end) = entry.depends;
        for &id in decision
            .unknown
            .get(start as usize..end as usize)
            .unwrap_or_default()
        {
            if !names.contains(&id) {
                names.push(id);
            }
        }
    }
    names.sort_by(|a, b| {
        program.facts[*a as usize]
            .path
            .cmp(&program.facts[*b as usize].path)
    });
    decision.unknown_facts = names;
    decision
}

/// The totals: the same penalty reached by several rules is one sanction of
/// the party, counted once at its highest; different penalties add up.
fn totals(decision: &Decision<'_>) -> Exposure {
    let penalty_ids = |entry: &Entry<'_>| {
        let (start, end) = entry.penalties;
        decision
            .penalties
            .get(start as usize..end as usize)
            .unwrap_or_default()
            .iter()
            .map(|p| p.penalty)
    };
    // A finding's exposure is already the heavier of its penalties; group
    // findings that reach the same penalties.
    let mut groups: Vec<(&Entry<'_>, Exposure)> = Vec::new();
    for entry in decision.entries.iter().filter(|e| !e.exposure.is_zero()) {
        match groups
            .iter_mut()
            .find(|(first, _)| penalty_ids(first).eq(penalty_ids(entry)))
        {
            Some((_, exposure)) => exposure.max_with(&entry.exposure),
            None => groups.push((entry, entry.exposure)),
        }
    }
    let mut total = Exposure::default();
    for (_, exposure) in &groups {
        total.add(exposure);
    }
    total
}

pub(crate) fn in_force(
    status: RegulationStatus,
    effective: Option<NaiveDate>,
    repealed: Option<NaiveDate>,
    on: NaiveDate,
) -> bool {
    status != RegulationStatus::Draft
        && effective.is_some_and(|e| e <= on)
        && repealed.is_none_or(|r| on < r)
}

/// Deciding one rule, recording its steps in the decision's vectors.
struct RuleEval<'s, 'a> {
    scope: &'s mut Scope<'a>,
    program: &'a Program,
    id: RuleId,
    rule: &'a RuleInfo,
    applies: &'s [Option<bool>],
    /// Entries of the rules decided so far (every exception comes first).
    earlier: Earlier<'s, 'a>,
    roles: &'s mut Vec<Option<(Outcome, Option<bool>, Slice)>>,
    /// A blank entry, to start each finding from.
    template: &'s Entry<'a>,
    out: &'s mut Decision<'a>,
    /// Where this rule's steps start in `out.steps`.
    steps_from: u32,
    /// Unknown facts read by conditions that came out unknown.
    unknown: &'s mut Vec<FactId>,
    /// Set when a working-day count ran past the calendar data: the year.
    missing_calendar: Option<i32>,
    /// Set when a deadline fell outside the dates that can be counted.
    out_of_range: bool,
    /// The first condition that came out unknown because a value in it left
    /// the countable range, and why.
    value_out_of_range: Option<(&'a CExpr, OutOfRange)>,
    /// The date of the rule's `from` event, once read.
    trigger_date: Option<NaiveDate>,
    /// The event a judgement timing runs from, and its date, once read.
    anchor: Option<(NaiveDate, &'a CExpr)>,
}

/// The entries decided before the current rule, by rule.
#[derive(Clone, Copy)]
struct Earlier<'s, 'a> {
    entries: &'s [Entry<'a>],
    decided: &'s [bool],
}

impl<'s, 'a> Earlier<'s, 'a> {
    fn get(&self, rule: RuleId) -> Option<&'s Entry<'a>> {
        if *self.decided.get(rule as usize)? {
            self.entries.get(rule as usize)
        } else {
            None
        }
    }
}

impl<'a> RuleEval<'_, 'a> {
    /// Evaluates a condition, recording it as a step of the explanation.
    fn condition(&mut self, clause: &'a Text, expr: &'a CExpr) -> Tri {
        self.scope.clear_reads();
        let value = self.scope.eval(expr);
        if let (Tri::Unknown, Some(cause), None) =
            (&value, self.scope.out_of_range(), self.value_out_of_range)
        {
            self.value_out_of_range = Some((expr, cause));
        }
        let start = self.out.reads.len() as u32;
        self.out.reads.extend_from_slice(self.scope.reads());
        let facts = (start, self.out.reads.len() as u32);
        let outcome = self.out.outcome_of(&value);
        self.record(clause, expr, outcome, facts);
        value
    }

    /// Records a condition's step; an unknown outcome makes the unknown
    /// facts it read the finding's.
    fn record(&mut self, clause: &'a Text, expr: &'a CExpr, outcome: Outcome, facts: Slice) {
        if outcome == Outcome::Unknown {
            let reads = self.out.reads.get(facts.0 as usize..facts.1 as usize);
            for &id in reads.unwrap_or_default() {
                if matches!(self.scope.facts.slots.get(id as usize), Some(Slot::Unknown))
                    && !self.unknown.contains(&id)
                {
                    self.unknown.push(id);
                }
            }
        }
        self.out.steps.push(StepKind::Condition {
            clause,
            expr,
            outcome,
            facts,
        });
    }

    /// Tests a role, at most once per case: every rule binding the role
    /// shares the outcome and the facts read.
    fn role(&mut self, role: RoleId) -> Option<bool> {
        let info = &self.program.roles[role as usize];
        if let Some(&Some((outcome, truth, facts))) = self.roles.get(role as usize) {
            self.record(&info.label, &info.condition, outcome, facts);
            return truth;
        }
        let truth = self.condition(&info.label, &info.condition).truth();
        if let (Some(slot), Some(&StepKind::Condition { outcome, facts, .. })) =
            (self.roles.get_mut(role as usize), self.out.steps.last())
        {
            *slot = Some((outcome, truth, facts));
        }
        truth
    }

    fn finish(&self, status: Status, reason: Reason<'a>) -> Entry<'a> {
        Entry {
            status,
            reason,
            rule: self.id,
            steps: (self.steps_from, self.out.steps.len() as u32),
            ..*self.template
        }
    }

    /// Returns the entry and whether the rule applies (for exceptions to it),
    /// with the rule's review notes and what a failure exposes.
    fn run(mut self) -> (Entry<'a>, Option<bool>) {
        let (mut entry, applicable) = self.decide();
        let notes_from = self.out.notes.len() as u32;
        if !matches!(entry.status, Status::NotApplicable | Status::NotInForce) {
            for note in &self.rule.reviews {
                penalties::note(
                    self.scope,
                    &mut self.out.notes,
                    NoteRecord {
                        about: NoteAbout::Rule,
                        penalty: None,
                        tier: None,
                        text: &note.text,
                        condition: note.condition.as_ref(),
                        unknown: false,
                    },
                );
            }
        }
        let regulation = &self.program.regulations[self.rule.regulation as usize];
        entry.draft = regulation.status == RegulationStatus::Draft;
        // A duty whose timing only a reviewer can judge carries the penalty
        // it would attract if found late, as possible exposure.
        let judged = entry.status == Status::NeedsReview && entry.reason.timing_for_review();
        if judged {
            if let Some((anchor, _)) = self.anchor {
                let end = entry.done_on.unwrap_or(self.scope.today);
                entry.outstanding = Some((end - anchor).num_days().max(0));
            }
        }
        if (entry.status.is_failure() || judged) && regulation.status != RegulationStatus::Draft {
            let breach = penalties::breach(
                self.rule,
                &mut entry,
                judged,
                penalties::Known {
                    today: self.scope.today,
                    anchor: self.anchor,
                    event: self.trigger_date.zip(self.rule.trigger.as_ref()),
                    commencement: self.commencement(),
                },
            );
            entry.breach_date = breach.date;
            let start = self.out.penalties.len() as u32;
            entry.exposure = penalties::expose(
                self.scope,
                self.rule,
                breach,
                penalties::Records {
                    penalties: &mut self.out.penalties,
                    likelihoods: &mut self.out.likelihoods,
                    reads: &mut self.out.reads,
                    tier_reads: &mut self.out.tier_reads,
                    notes: &mut self.out.notes,
                },
            );
            entry.penalties = (start, self.out.penalties.len() as u32);
            if entry.penalties.0 == entry.penalties.1 {
                entry.basis = Basis::None;
            }
        }
        entry.notes = (notes_from, self.out.notes.len() as u32);
        (entry, applicable)
    }

    fn decide(&mut self) -> (Entry<'a>, Option<bool>) {
        self.steps_from = self.out.steps.len() as u32;
        let program = self.program;
        let regulation = &program.regulations[self.rule.regulation as usize];
        let today = self.scope.today;
        if regulation.status != RegulationStatus::Draft
            && !in_force(
                regulation.status,
                regulation.effective,
                regulation.repealed,
                today,
            )
        {
            let reason = match (regulation.effective, regulation.repealed) {
                (_, Some(r)) if r <= today => Reason::Repealed(r),
                (Some(e), _) => Reason::TakesEffect(e),
                _ => Reason::NoDateOfEffect,
            };
            return (self.finish(Status::NotInForce, reason), Some(false));
        }

        let rule_dates = (self.rule.effective, self.rule.until);
        if rule_dates.0.is_some_and(|from| today < from)
            || rule_dates.1.is_some_and(|until| until <= today)
        {
            let reason = match rule_dates {
                (Some(from), _) if today < from => Reason::RuleTakesEffect(from),
                (_, Some(until)) => Reason::RuleCeased(until),
                _ => Reason::RuleNotInForce,
            };
            return (self.finish(Status::NotInForce, reason), Some(false));
        }

        // Who the rule binds, and when.
        let mut applicable = Some(true);
        if !self.rule.roles.is_empty() {
            let mut any = Some(false);
            for &role in &self.rule.roles {
                match self.role(role) {
                    Some(true) => {
                        any = Some(true);
                        break;
                    }
                    Some(false) => {}
                    None => any = None,
                }
            }
            applicable = any;
        }
        if applicable != Some(false) {
            if let Some(trigger) = &self.rule.trigger {
                match self.condition(&program.words.from, trigger) {
                    Tri::Known(crate::value::Value::Date(day)) => {
                        self.trigger_date = Some(day);
                        if let Some(start) = self.commencement().filter(|&start| day < start) {
                            let reason = Reason::BeforeCommencement {
                                event: day,
                                start,
                                act: false,
                            };
                            return (self.finish(Status::NotApplicable, reason), Some(false));
                        }
                    }
                    Tri::Unknown => applicable = None,
                    _ => {
                        let reason = Reason::NotHappened(&trigger.text);
                        return (self.finish(Status::NotApplicable, reason), Some(false));
                    }
                }
            }
        }
        if applicable != Some(false) {
            for when in &self.rule.when {
                match self.condition(&program.words.when, when).truth() {
                    Some(false) => {
                        applicable = Some(false);
                        break;
                    }
                    None => applicable = None,
                    Some(true) => {}
                }
            }
        }
        if applicable == Some(false) {
            let reason = match self.out.steps.last() {
                Some(StepKind::Condition { clause, .. }) if clause.starts_with("applies to") => {
                    Reason::NotInRole
                }
                Some(StepKind::Condition { expr, .. }) => Reason::ConditionFails(&expr.text),
                _ => Reason::DoesNotApply,
            };
            return (self.finish(Status::NotApplicable, reason), Some(false));
        }

        // Exceptions: another rule declared an exception to this one, or an `unless`.
        let mut exception_unknown = false;
        let mut exception_depends: Vec<FactId> = Vec::new();
        // An exception that holds while whether the rule applies is unknown:
        // if it applies, the party is exempt, whatever the duty's own facts say.
        let mut exempt_if_applies = false;
        let exceptions = program.exceptions.get(self.id as usize);
        for &other in exceptions.map(Vec::as_slice).unwrap_or_default() {
            let outcome = self.applies.get(other as usize).copied().flatten();
            self.out.steps.push(StepKind::Exception {
                rule: other,
                applies: outcome,
            });
            if outcome.is_none() && applicable != Some(false) {
                exception_unknown = true;
                // The exception's own unknown facts decide this finding too.
                if let Some(earlier) = self.earlier.get(other) {
                    let (start, end) = earlier.depends;
                    for &fact in self
                        .out
                        .unknown
                        .get(start as usize..end as usize)
                        .unwrap_or_default()
                    {
                        if !exception_depends.contains(&fact) {
                            exception_depends.push(fact);
                        }
                    }
                }
            }
            if outcome == Some(true) {
                if applicable == Some(true) {
                    let mut entry = self.finish(Status::Exempt, Reason::ExceptionRule(other));
                    entry.exempted_by = Some(Exemption::Rule(other));
                    return (entry, Some(true));
                }
                exempt_if_applies = true;
            }
        }
        let mut exempt_unknown = exception_unknown;
        for unless in &self.rule.unless {
            match self.condition(&program.words.unless, unless).truth() {
                Some(true) if applicable == Some(true) => {
                    let mut entry =
                        self.finish(Status::Exempt, Reason::ExceptionHolds(&unless.text));
                    entry.exempted_by = Some(Exemption::Unless(unless));
                    return (entry, Some(true));
                }
                Some(true) => exempt_if_applies = true,
                None => exempt_unknown = true,
                _ => {}
            }
        }

        let mut entry = self.outcome();
        // An exception can only excuse a failure: a duty met or a prohibition
        // respected stays so whatever the exception's facts.
        let excusable = !matches!(
            entry.status,
            Status::Satisfied | Status::Respected | Status::Permitted | Status::Encouraged
        );
        if applicable.is_none() || (exempt_unknown && excusable) {
            entry.reason = Reason::Undecided {
                would: if exempt_if_applies {
                    Status::Exempt
                } else {
                    entry.status
                },
            };
            entry.status = Status::Conditional;
        }
        // Unknown because a value left the countable range: no fact the case
        // could add decides it, so a person must.
        if let (Status::Conditional, Some((expr, cause))) = (entry.status, self.value_out_of_range)
        {
            entry.status = Status::NeedsReview;
            entry.reason = Reason::OutOfRange {
                condition: &expr.text,
                cause,
            };
        }
        entry.steps = (self.steps_from, self.out.steps.len() as u32);
        if entry.status == Status::Conditional {
            let start = self.out.unknown.len() as u32;
            self.out.unknown.extend_from_slice(self.unknown);
            for fact in exception_depends {
                if !self.unknown.contains(&fact) {
                    self.out.unknown.push(fact);
                }
            }
            entry.depends = (start, self.out.unknown.len() as u32);
        }
        (entry, applicable)
    }

    /// The status of an applicable rule: was the act done, and in time?
    fn outcome(&mut self) -> Entry<'a> {
        let words = &self.program.words;
        match self.rule.modality {
            Modality::MustNot => {
                let Some(test) = &self.rule.breached else {
                    return self.finish(Status::Respected, Reason::NothingBreaches);
                };
                let (breached, date, failed) = self.act(
                    test,
                    &words.breached_on,
                    &words.breached_if,
                    &words.breached_when,
                );
                match breached {
                    Some(true) => {
                        if let (Some(day), Some(start)) = (date, self.commencement()) {
                            if day < start {
                                return self.finish(
                                    Status::Respected,
                                    Reason::BeforeCommencement {
                                        event: day,
                                        start,
                                        act: true,
                                    },
                                );
                            }
                        }
                        let mut entry = self.finish(Status::Breached, Reason::Breached(test, date));
                        entry.done_on = date;
                        entry
                    }
                    Some(false) => self.finish(Status::Respected, Reason::NotBreached(failed)),
                    None => self.finish(
                        Status::Conditional,
                        Reason::DependsOn("whether it is breached"),
                    ),
                }
            }
            Modality::May => self.finish(Status::Permitted, Reason::MayDo),
            Modality::Should | Modality::Must => self.duty(),
        }
    }
}
