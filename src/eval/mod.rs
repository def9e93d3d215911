//! Eval: facts in, findings out. One finding per rule, each carrying the
//! conditions that decided it, its citation and the penalties it exposes.

pub mod dates;
mod expr;
pub mod penalties;

use std::sync::Arc;

use chrono::NaiveDate;

pub use expr::{show, show_tri, Scope, Tri};

use crate::case::Facts;
use crate::check::ir::{CExpr, DeadlineInfo, FactId, Program, RuleInfo};
use crate::report::model::*;
use crate::syntax::ast::{Modality, RegulationStatus};

/// Evaluates every rule of `program` against `facts` on the date `as_of`.
pub fn evaluate(program: &Program, facts: &Facts, as_of: NaiveDate) -> Report {
    let mut scope = Scope::new(program, facts, as_of);
    let mut findings: Vec<Option<Finding>> = vec![None; program.rules.len()];
    // Whether each rule applies, for the exceptions that point at it.
    let mut applies: Vec<Option<bool>> = vec![None; program.rules.len()];
    for &id in &program.rule_order {
        let rule = &program.rules[id as usize];
        let (finding, applicable) = RuleEval {
            scope: &mut scope,
            rule,
            program,
            applies: &applies,
            earlier: &findings,
        }
        .run();
        applies[id as usize] = applicable;
        findings[id as usize] = Some(finding);
    }
    let findings: Vec<Finding> = findings.into_iter().flatten().collect();
    let totals = totals(&findings);
    let mut unknown_facts: Vec<String> = Vec::new();
    for finding in &findings {
        for fact in &finding.depends_on {
            if !unknown_facts.contains(fact) {
                unknown_facts.push(fact.clone());
            }
        }
    }
    unknown_facts.sort();
    let regulations = program
        .regulations
        .iter()
        .map(|r| RegulationSummary {
            id: r.id.to_string(),
            title: r.title().to_string(),
            status: r.status,
            effective: r.effective,
            in_force: in_force(r.status, r.effective, r.repealed, as_of),
        })
        .collect();
    Report {
        as_of,
        regulations,
        findings,
        totals,
        unknown_facts,
    }
}

/// The report's totals: the same penalty reached by several rules is one
/// sanction of the party, counted once at its highest; different penalties add up.
fn totals(findings: &[Finding]) -> Exposure {
    let mut by_penalty: Vec<(String, Exposure)> = Vec::new();
    for finding in findings.iter().filter(|f| !f.exposure.is_zero()) {
        // A finding's exposure is already the heavier of its penalties; group
        // findings that reach the same penalties.
        let key = finding
            .penalties
            .iter()
            .map(|p| p.penalty.as_str())
            .collect::<Vec<_>>()
            .join("+");
        match by_penalty.iter_mut().find(|(k, _)| *k == key) {
            Some((_, e)) => e.max_with(&finding.exposure),
            None => by_penalty.push((key, finding.exposure)),
        }
    }
    let mut total = Exposure::default();
    for (_, e) in &by_penalty {
        total.add(e);
    }
    total
}

fn in_force(
    status: RegulationStatus,
    effective: Option<NaiveDate>,
    repealed: Option<NaiveDate>,
    on: NaiveDate,
) -> bool {
    status != RegulationStatus::Draft
        && effective.is_some_and(|e| e <= on)
        && repealed.is_none_or(|r| on < r)
}

struct RuleEval<'s, 'a> {
    scope: &'s mut Scope<'a>,
    rule: &'a RuleInfo,
    program: &'a Program,
    applies: &'s [Option<bool>],
    /// Findings of the rules evaluated so far (every exception comes first).
    earlier: &'s [Option<Finding>],
}

/// The finding under construction.
struct Draft {
    steps: Vec<Step>,
    unknown: Vec<FactId>,
    /// Set when a working-day count ran past the calendar data.
    missing_calendar: Option<String>,
}

impl Draft {
    fn unknown_names(&self, program: &Program) -> Vec<String> {
        self.unknown
            .iter()
            .map(|&id| program.facts[id as usize].path.as_ref().to_owned())
            .collect()
    }
}

impl RuleEval<'_, '_> {
    /// Evaluates a condition, recording it as a step of the explanation.
    fn condition(&mut self, draft: &mut Draft, clause: &Arc<str>, expr: &CExpr) -> Tri {
        self.scope.clear_reads();
        let value = self.scope.eval(expr);
        let reads = self.scope.take_reads();
        if value == Tri::Unknown {
            for &id in &reads {
                if matches!(
                    self.scope.facts.slots.get(id as usize),
                    Some(crate::case::Slot::Unknown)
                ) && !draft.unknown.contains(&id)
                {
                    draft.unknown.push(id);
                }
            }
        }
        let mut facts = Vec::with_capacity(reads.len());
        for &id in &reads {
            facts.push(FactValue {
                fact: Arc::clone(&self.program.facts[id as usize].path),
                value: self.scope.show_fact_cached(id),
            });
        }
        self.scope.recycle_reads(reads);
        draft.steps.push(Step {
            clause: Arc::clone(clause),
            condition: Arc::clone(&expr.text),
            outcome: expr::outcome_text(self.program, &value),
            facts,
        });
        value
    }

    fn finish(&self, draft: Draft, status: Status, summary: String) -> Finding {
        let regulation = &self.program.regulations[self.rule.regulation as usize];
        let depends_on = if status == Status::Conditional {
            draft.unknown_names(self.program)
        } else {
            Vec::new()
        };
        Finding {
            rule: Arc::clone(&self.rule.id),
            regulation: Arc::clone(&regulation.id),
            regulation_status: regulation.status,
            citations: Arc::clone(&self.rule.cites),
            modality: self.rule.modality,
            action: Arc::clone(&self.rule.action),
            status,
            summary,
            due: None,
            done_on: None,
            days_left: None,
            days_overdue: None,
            exempted_by: None,
            depends_on,
            explanation: draft.steps,
            penalties: Vec::new(),
            exposure: Exposure::default(),
        }
    }

    /// Returns the finding and whether the rule applies (for exceptions to it).
    fn run(mut self) -> (Finding, Option<bool>) {
        let mut draft = Draft {
            steps: Vec::with_capacity(6),
            unknown: Vec::new(),
            missing_calendar: None,
        };
        let regulation = &self.program.regulations[self.rule.regulation as usize];
        let today = self.scope.today;
        if regulation.status != RegulationStatus::Draft
            && !in_force(
                regulation.status,
                regulation.effective,
                regulation.repealed,
                today,
            )
        {
            let summary = match (regulation.effective, regulation.repealed) {
                (_, Some(r)) if r <= today => format!("{} was repealed on {r}", regulation.id),
                (Some(e), _) => {
                    format!("{} takes effect on {e}, after {today}", regulation.id)
                }
                _ => format!("{} has no date of effect", regulation.id),
            };
            return (self.finish(draft, Status::NotInForce, summary), Some(false));
        }

        let rule_dates = (self.rule.effective, self.rule.until);
        if rule_dates.0.is_some_and(|from| today < from)
            || rule_dates.1.is_some_and(|until| until <= today)
        {
            let summary = match rule_dates {
                (Some(from), _) if today < from => {
                    format!("this version of the rule takes effect on {from}, after {today}")
                }
                (_, Some(until)) => format!("this version of the rule ceased to apply on {until}"),
                _ => "this version of the rule is not in force".to_string(),
            };
            return (self.finish(draft, Status::NotInForce, summary), Some(false));
        }

        // Who the rule binds, and when.
        let mut applicable = Some(true);
        if !self.rule.roles.is_empty() {
            let mut any = Some(false);
            for &role in &self.rule.roles {
                let info = &self.program.roles[role as usize];
                match self
                    .condition(&mut draft, &info.label, &info.condition)
                    .truth()
                {
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
            for when in &self.rule.when {
                match self
                    .condition(&mut draft, &self.program.words.when, when)
                    .truth()
                {
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
            let summary = match draft.steps.last() {
                Some(step) if step.clause.starts_with("applies to") => {
                    let roles: Vec<&str> = self
                        .rule
                        .roles
                        .iter()
                        .map(|&r| self.program.roles[r as usize].name.as_str())
                        .collect();
                    format!("the party is not {}", roles.join(" or "))
                }
                Some(step) => format!("its condition `{}` does not hold", step.condition),
                None => "it does not apply".into(),
            };
            return (
                self.finish(draft, Status::NotApplicable, summary),
                Some(false),
            );
        }

        // Exceptions: another rule declared an exception to this one, or an `unless`.
        let mut exception_unknown = false;
        let mut exception_depends: Vec<String> = Vec::new();
        for (other_id, other) in self.program.rules.iter().enumerate() {
            if other
                .exception_to
                .is_some_and(|t| std::ptr::eq(&self.program.rules[t as usize], self.rule))
            {
                let outcome = self.applies.get(other_id).copied().flatten();
                draft.steps.push(Step {
                    clause: "exception".into(),
                    condition: format!("rule {} applies", other.id).into(),
                    outcome: outcome.map_or("unknown".into(), |b| b.to_string().into()),
                    facts: Vec::new(),
                });
                if outcome.is_none() && applicable != Some(false) {
                    exception_unknown = true;
                    // The exception's own unknown facts decide this finding too.
                    if let Some(Some(earlier)) = self.earlier.get(other_id) {
                        for fact in &earlier.depends_on {
                            if !exception_depends.contains(fact) {
                                exception_depends.push(fact.clone());
                            }
                        }
                    }
                }
                if outcome == Some(true) && applicable == Some(true) {
                    let mut finding = self.finish(
                        draft,
                        Status::Exempt,
                        format!(
                            "the exception in rule {} ({}) applies",
                            other.id,
                            other.cites.join(", ")
                        ),
                    );
                    finding.exempted_by = Some(format!("rule {}", other.id));
                    return (finding, Some(true));
                }
            }
        }
        let mut exempt_unknown = exception_unknown;
        for unless in &self.rule.unless {
            match self
                .condition(&mut draft, &self.program.words.unless, unless)
                .truth()
            {
                Some(true) if applicable == Some(true) => {
                    let mut finding = self.finish(
                        draft,
                        Status::Exempt,
                        format!("the exception `{}` holds", unless.text),
                    );
                    finding.exempted_by = Some(unless.text.as_ref().to_owned());
                    return (finding, Some(true));
                }
                None => exempt_unknown = true,
                _ => {}
            }
        }

        let mut finding = self.outcome(&mut draft);
        if finding.status == Status::Conditional && finding.depends_on.is_empty() {
            finding.depends_on = draft.unknown_names(self.program);
        }
        // An exception can only excuse a failure: a duty met or a prohibition
        // respected stays so whatever the exception's facts.
        let excusable = !matches!(
            finding.status,
            Status::Satisfied | Status::Respected | Status::Permitted | Status::Encouraged
        );
        if applicable.is_none() || (exempt_unknown && excusable) {
            let mut names = draft.unknown_names(self.program);
            for fact in exception_depends {
                if !names.contains(&fact) {
                    names.push(fact);
                }
            }
            let would = finding.status;
            let summary = if would == Status::Conditional {
                format!("depends on {}", names.join(", "))
            } else {
                format!(
                    "depends on {}; if it applies: {}",
                    names.join(", "),
                    would.label()
                )
            };
            finding = Finding {
                status: Status::Conditional,
                summary,
                depends_on: names,
                ..finding
            };
        }
        finding.explanation = draft.steps;
        if regulation.status == RegulationStatus::Draft {
            finding.summary = format!(
                "under the draft, which is not in force: {}",
                finding.summary
            );
        }
        if finding.status.is_failure() && regulation.status != RegulationStatus::Draft {
            let (penalties, exposure) =
                penalties::expose(self.scope, self.rule, breach_date(&finding, today));
            finding.penalties = penalties;
            finding.exposure = exposure;
        }
        (finding, applicable)
    }

    /// The status of an applicable rule: was the act done, and in time?
    fn outcome(&mut self, draft: &mut Draft) -> Finding {
        let blank = || Draft {
            steps: Vec::new(),
            unknown: Vec::new(),
            missing_calendar: None,
        };
        let conditional = |this: &Self, draft: &Draft, what: &str| {
            let names = draft.unknown_names(this.program);
            this.finish(
                blank(),
                Status::Conditional,
                format!("{what} depends on {}", names.join(", ")),
            )
        };
        match self.rule.modality {
            Modality::MustNot => {
                let Some((condition, on)) = &self.rule.breached else {
                    return self.finish(
                        blank(),
                        Status::Respected,
                        "nothing in the case breaches it".into(),
                    );
                };
                match self
                    .condition(draft, &self.program.words.breached_when, condition)
                    .truth()
                {
                    Some(true) => {
                        let date = on.as_ref().and_then(|on| {
                            self.condition(draft, &self.program.words.breached_on, on)
                                .date()
                        });
                        let mut f = self.finish(
                            blank(),
                            Status::Breached,
                            format!("`{}` holds", condition.text),
                        );
                        f.done_on = date;
                        f
                    }
                    Some(false) => self.finish(
                        blank(),
                        Status::Respected,
                        format!("`{}` does not hold", condition.text),
                    ),
                    None => {
                        let mut f = conditional(self, draft, "whether it is breached");
                        f.depends_on = draft.unknown_names(self.program);
                        f
                    }
                }
            }
            Modality::May => {
                self.finish(blank(), Status::Permitted, "the party may do this".into())
            }
            Modality::Should | Modality::Must => self.duty(draft),
        }
    }

    fn duty(&mut self, draft: &mut Draft) -> Finding {
        let blank = || Draft {
            steps: Vec::new(),
            unknown: Vec::new(),
            missing_calendar: None,
        };
        let encouraged = self.rule.modality == Modality::Should;
        let today = self.scope.today;

        if let Some(DeadlineInfo::AtLeastFor(required)) = &self.rule.deadline {
            let Some(kept) = &self.rule.kept_for else {
                return self.finish(
                    blank(),
                    Status::NeedsReview,
                    "the retention kept is not stated".into(),
                );
            };
            let value = self.condition(draft, &self.program.words.kept_for, kept);
            return match value {
                Tri::Known(crate::value::Value::Duration(d)) => {
                    let enough = dates::always_at_least(d, *required);
                    let summary = if enough {
                        format!("kept for {d}, at least the required {required} from any start day")
                    } else {
                        format!("kept for {d}, which falls short of {required} for some start days")
                    };
                    match (enough, encouraged) {
                        (true, _) => self.finish(blank(), Status::Satisfied, summary),
                        (false, false) => self.finish(blank(), Status::Violated, summary),
                        (false, true) => self.finish(blank(), Status::Encouraged, summary),
                    }
                }
                Tri::Null if !encouraged => self.finish(
                    blank(),
                    Status::Violated,
                    format!("nothing is kept; at least {required} is required"),
                ),
                Tri::Null => self.finish(
                    blank(),
                    Status::Encouraged,
                    format!("nothing is kept; the regulation encourages {required}"),
                ),
                _ => {
                    let names = draft.unknown_names(self.program);
                    self.finish(
                        blank(),
                        Status::Conditional,
                        format!("the retention depends on {}", names.join(", ")),
                    )
                }
            };
        }

        let due = self.due_date(draft);
        let (done, done_on) = match &self.rule.done {
            Some((condition, on)) => {
                let done = self
                    .condition(draft, &self.program.words.done_when, condition)
                    .truth();
                let date = match (done, on) {
                    (Some(true), Some(on)) => self
                        .condition(draft, &self.program.words.done_on, on)
                        .date(),
                    _ => None,
                };
                (done, date)
            }
            None => (Some(false), None),
        };
        let judgement = match &self.rule.deadline {
            Some(DeadlineInfo::Judgement(j, _)) => Some(j.words()),
            _ => None,
        };
        let anchor = match &self.rule.deadline {
            Some(DeadlineInfo::Judgement(_, Some(anchor))) => self
                .condition(draft, &self.program.words.runs_from, anchor)
                .date(),
            _ => None,
        };
        let same_day = matches!((anchor, done_on), (Some(a), Some(d)) if d <= a);
        let mut finding = match (done, due) {
            (Some(true), Some(Some(due))) => match done_on {
                Some(on) if on <= due => self.finish(blank(), Status::Satisfied, format!("done on {on}, on or before the due date {due}")),
                Some(on) if encouraged => self.finish(blank(), Status::Satisfied, format!("done on {on}")),
                Some(on) => {
                    let mut f = self.finish(blank(), Status::Violated, format!("done on {on}, {} after the due date {due}", plural_days((on - due).num_days())));
                    f.days_overdue = Some((on - due).num_days());
                    f
                }
                None => self.finish(blank(), Status::Satisfied, "done (the case gives no date)".into()),
            },
            (Some(true), Some(None)) => match &draft.missing_calendar {
                Some(why) => self.finish(blank(), Status::NeedsReview, format!("done, but {why}")),
                None => {
                    let names = draft.unknown_names(self.program);
                    self.finish(blank(), Status::Conditional, format!("done; whether in time depends on {}", names.join(", ")))
                }
            },
            // Done on the very day of the event it runs from: plainly in time.
            (Some(true), _) if judgement.is_some() && same_day => {
                let on = done_on.map_or(String::new(), |d| format!(" on {d}"));
                self.finish(blank(), Status::Satisfied, format!("done{on}, the day of the event it runs from"))
            }
            // The law gives no number for "immediately": whether the act came soon
            // enough is for a reviewer, never a number the engine invents.
            (Some(true), _) if judgement.is_some() && !encouraged => {
                let words = judgement.unwrap_or_default();
                let when = done_on.map_or("done".to_string(), |on| format!("done on {on}"));
                self.finish(blank(), Status::NeedsReview, format!("{when}; the law says only \"{words}\" and gives no number of days, so whether that was soon enough needs review"))
            }
            (Some(true), _) => {
                let summary = done_on.map_or("done".to_string(), |on| format!("done on {on}"));
                self.finish(blank(), Status::Satisfied, summary)
            }
            (Some(false), _) if encouraged => self.finish(blank(), Status::Encouraged, "not done; the regulation encourages it".into()),
            (Some(false), Some(Some(due))) => {
                if today <= due {
                    let mut f = self.finish(blank(), Status::Pending, format!("not done yet; due by {due}, {} left", plural_days((due - today).num_days())));
                    f.days_left = Some((due - today).num_days());
                    f
                } else {
                    let mut f = self.finish(blank(), Status::Violated, format!("not done, and the due date {due} passed {} ago", plural_days((today - due).num_days())));
                    f.days_overdue = Some((today - due).num_days());
                    f
                }
            }
            (Some(false), Some(None)) => match &draft.missing_calendar {
                Some(why) => self.finish(blank(), Status::NeedsReview, format!("not done, and {why}")),
                None => {
                    let names = draft.unknown_names(self.program);
                    self.finish(blank(), Status::Conditional, format!("the due date depends on {}", names.join(", ")))
                }
            },
            (Some(false), None) => match judgement {
                Some(words) => self.finish(blank(), Status::NeedsReview, format!("not done; the law says \"{words}\" and gives no number of days, so timing is a judgment")),
                None => self.finish(blank(), Status::Violated, "not done".into()),
            },
            (None, _) => {
                let names = draft.unknown_names(self.program);
                self.finish(blank(), Status::Conditional, format!("whether it was done depends on {}", names.join(", ")))
            }
        };
        finding.due = due.flatten();
        finding.done_on = done_on;
        finding
    }

    /// `None`: no fixed deadline. `Some(None)`: a deadline whose date is unknown.
    fn due_date(&mut self, draft: &mut Draft) -> Option<Option<NaiveDate>> {
        let due = match &self.rule.deadline {
            None | Some(DeadlineInfo::Judgement(..)) | Some(DeadlineInfo::AtLeastFor(_)) => {
                return None
            }
            Some(DeadlineInfo::Within { period, of }) => {
                let base = self.condition(draft, &self.rule.deadline_label, of).date();
                base.and_then(|d| self.count(draft, d, *period, true))
            }
            Some(DeadlineInfo::Before { period, date }) => {
                let base = self
                    .condition(draft, &self.rule.deadline_label, date)
                    .date();
                base.and_then(|d| self.count(draft, d, *period, false))
            }
            Some(DeadlineInfo::By(expr)) => {
                self.condition(draft, &self.program.words.by, expr).date()
            }
            Some(DeadlineInfo::StrictlyBefore(expr)) => self
                .condition(draft, &self.program.words.before, expr)
                .date()
                .and_then(|d| d.pred_opt()),
        };
        let due = due.and_then(|d| self.roll_over(draft, d));
        self.note_due(draft, due);
        Some(due)
    }

    /// Counts a period from a date, in calendar or working days.
    fn count(
        &mut self,
        draft: &mut Draft,
        from: NaiveDate,
        period: crate::syntax::ast::Duration,
        forward: bool,
    ) -> Option<NaiveDate> {
        if period.unit != crate::syntax::ast::TimeUnit::WorkingDays {
            return if forward {
                dates::within(from, period)
            } else {
                dates::at_least_before(from, period)
            };
        }
        let calendar = self.program.calendar_for(self.rule.regulation)?;
        let n = u32::try_from(period.amount).ok()?;
        let counted = if forward {
            calendar.add_working_days(from, n)
        } else {
            calendar.sub_working_days(from, n)
        };
        match counted {
            Ok(day) => Some(day),
            Err(missing) => {
                self.missing_calendar(draft, missing.0);
                None
            }
        }
    }

    /// Civil Code Art. 203: a period whose last day is a rest day ends on the
    /// next working day, when the rule (or the case, as a what-if) says so.
    fn roll_over(&mut self, draft: &mut Draft, due: NaiveDate) -> Option<NaiveDate> {
        let applies = self
            .scope
            .facts
            .roll_over_holidays
            .unwrap_or(self.rule.rolls_over_holidays);
        if !applies {
            return Some(due);
        }
        let Some(calendar) = self.program.calendar_for(self.rule.regulation) else {
            return Some(due);
        };
        match calendar.roll_forward(due) {
            Ok(day) => {
                if day != due {
                    draft.steps.push(Step {
                        clause: "rolls over holidays".into(),
                        condition: format!("{due} is a rest day").into(),
                        outcome: day.to_string().into(),
                        facts: Vec::new(),
                    });
                }
                Some(day)
            }
            Err(missing) => {
                self.missing_calendar(draft, missing.0);
                None
            }
        }
    }

    fn missing_calendar(&self, draft: &mut Draft, year: i32) {
        let jurisdiction = self.program.regulations[self.rule.regulation as usize]
            .jurisdiction
            .clone()
            .unwrap_or_default();
        draft.steps.push(Step {
            clause: "calendar".into(),
            condition: format!("working days of {jurisdiction} in {year}").into(),
            outcome: "no calendar data".into(),
            facts: Vec::new(),
        });
        draft.missing_calendar = Some(format!("the deadline runs into {year}, for which no {jurisdiction} holiday calendar is loaded; add calendar/{year}.toml to count working days"));
    }

    fn note_due(&self, draft: &mut Draft, due: Option<NaiveDate>) {
        if let Some(due) = due {
            draft.steps.push(Step {
                clause: "due".into(),
                condition: "last day to act".into(),
                outcome: due.to_string().into(),
                facts: Vec::new(),
            });
        }
    }
}

/// When the breach happened, which decides the penalty version: the day after
/// a missed deadline, the date a prohibition was breached, else the evaluation date.
fn breach_date(finding: &Finding, today: NaiveDate) -> NaiveDate {
    match (finding.modality, finding.due, finding.done_on) {
        (Modality::MustNot, _, Some(on)) => on,
        (_, Some(due), _) => due.succ_opt().unwrap_or(due),
        _ => today,
    }
}

fn plural_days(n: i64) -> String {
    if n == 1 {
        "1 day".into()
    } else {
        format!("{n} days")
    }
}
