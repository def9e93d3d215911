//! The duty's own timing: what shows an act was done, its deadline counted
//! on the calendar (working days, roll-over, the range of countable dates),
//! and how long a record or a log was kept.

use chrono::NaiveDate;

use super::decision::{Entry, StepKind};
use super::summary::Reason;
use super::{RuleEval, Tri, dates};
use crate::check::ir::{ActTest, CExpr, DeadlineInfo, Text};
use crate::report::model::Status;
use crate::syntax::ast::{Modality, RegulationStatus};

impl<'a> RuleEval<'_, 'a> {
    pub(super) fn duty(&mut self) -> Entry<'a> {
        let words = &self.program.words;
        let encouraged = self.rule.modality == Modality::Should;
        let today = self.scope.today;

        if let Some(DeadlineInfo::AtLeastFor(required)) = &self.rule.deadline {
            let required = *required;
            let Some(kept) = &self.rule.kept_for else {
                return self.finish(Status::NeedsReview, Reason::RetentionNotStated);
            };
            return match self.condition(&words.kept_for, kept) {
                Tri::Known(crate::value::Value::Log(entries)) => {
                    let reason = log_reason(&entries, required);
                    let short = matches!(reason, Reason::LogDeletedEarly { .. });
                    let status = match (short, encouraged) {
                        (false, _) => Status::Satisfied,
                        (true, false) => Status::Violated,
                        (true, true) => Status::Encouraged,
                    };
                    self.finish(status, reason)
                }
                Tri::Known(crate::value::Value::Duration(d)) => {
                    let enough = dates::always_at_least(d, required);
                    let reason = Reason::Kept {
                        kept: d,
                        required,
                        enough,
                        short: if enough {
                            None
                        } else {
                            dates::worst_shortfall(d, required, today)
                        },
                    };
                    let status = match (enough, encouraged) {
                        (true, _) => Status::Satisfied,
                        (false, false) => Status::Violated,
                        (false, true) => Status::Encouraged,
                    };
                    self.finish(status, reason)
                }
                Tri::Null => self.finish(
                    if encouraged {
                        Status::Encouraged
                    } else {
                        Status::Violated
                    },
                    Reason::NothingKept {
                        required,
                        encouraged,
                    },
                ),
                _ => self.finish(Status::Conditional, Reason::DependsOn("the retention")),
            };
        }

        let due = self.due_date();
        let (done, done_on) = match &self.rule.done {
            Some(test) => {
                let (done, on, _) =
                    self.act(test, &words.done_on, &words.done_if, &words.done_when);
                (done, on)
            }
            None => (Some(false), None),
        };
        let judgement = match &self.rule.deadline {
            Some(DeadlineInfo::Judgement(j, _)) => Some(j.words()),
            _ => None,
        };
        let anchor = match &self.rule.deadline {
            Some(DeadlineInfo::Judgement(_, Some(anchor))) => {
                let date = self.condition(&words.runs_from, anchor).date();
                self.anchor = date.map(|d| (d, anchor));
                date
            }
            // A judgement timing runs from the rule's trigger unless it names its own event.
            Some(DeadlineInfo::Judgement(_, None)) => {
                self.anchor = self.trigger_date.zip(self.rule.trigger.as_ref());
                self.trigger_date
            }
            _ => None,
        };
        let same_day = matches!((anchor, done_on), (Some(a), Some(d)) if d <= a);
        let no_calendar = self.missing_calendar;
        let out_of_range = self.out_of_range;
        let (status, reason, days_left, days_overdue) = match (done, due) {
            // A deadline past the calendar's range is not an unknown fact:
            // nothing the case could add would decide it.
            (Some(true), Some(None)) if out_of_range => {
                (Status::NeedsReview, Reason::DoneButOutOfRange, None, None)
            }
            (Some(false), Some(None)) if out_of_range => {
                (Status::NeedsReview, Reason::NotDoneOutOfRange, None, None)
            }
            (Some(true), Some(Some(due))) => match done_on {
                Some(on) if on <= due => (
                    Status::Satisfied,
                    Reason::DoneOnTime { on, due },
                    None,
                    None,
                ),
                Some(on) if encouraged => (Status::Satisfied, Reason::DoneOn(on), None, None),
                Some(on) => {
                    let days = (on - due).num_days();
                    (
                        Status::Violated,
                        Reason::DoneLate { on, due, days },
                        None,
                        Some(days),
                    )
                }
                None => (Status::Satisfied, Reason::DoneNoDate, None, None),
            },
            (Some(true), Some(None)) => match no_calendar {
                Some(year) => (
                    Status::NeedsReview,
                    Reason::DoneButNoCalendar(year),
                    None,
                    None,
                ),
                None => (
                    Status::Conditional,
                    Reason::DependsOn("done; whether in time"),
                    None,
                    None,
                ),
            },
            // Done on the very day of the event it runs from: plainly in time.
            (Some(true), _) if judgement.is_some() && same_day => {
                (Status::Satisfied, Reason::DoneSameDay(done_on), None, None)
            }
            // The law gives no number for "immediately": whether the act came soon
            // enough is for a reviewer, never a number the engine invents.
            (Some(true), _) if judgement.is_some() && !encouraged => {
                let words = judgement.unwrap_or_default();
                (
                    Status::NeedsReview,
                    Reason::DoneJudgement { on: done_on, words },
                    None,
                    None,
                )
            }
            (Some(true), _) => match done_on {
                Some(on) => (Status::Satisfied, Reason::DoneOn(on), None, None),
                None => (Status::Satisfied, Reason::Done, None, None),
            },
            (Some(false), _) if encouraged => {
                (Status::Encouraged, Reason::NotDoneEncouraged, None, None)
            }
            (Some(false), Some(Some(due))) => {
                if today <= due {
                    let left = (due - today).num_days();
                    (
                        Status::Pending,
                        Reason::DueBy { due, left },
                        Some(left),
                        None,
                    )
                } else {
                    let days = (today - due).num_days();
                    (
                        Status::Violated,
                        Reason::Overdue { due, days },
                        None,
                        Some(days),
                    )
                }
            }
            (Some(false), Some(None)) => match no_calendar {
                Some(year) => (
                    Status::NeedsReview,
                    Reason::NotDoneNoCalendar(year),
                    None,
                    None,
                ),
                None => (
                    Status::Conditional,
                    Reason::DependsOn("the due date"),
                    None,
                    None,
                ),
            },
            (Some(false), None) => match judgement {
                Some(words) => (
                    Status::NeedsReview,
                    Reason::NotDoneJudgement(words),
                    None,
                    None,
                ),
                None => (Status::Violated, Reason::NotDone, None, None),
            },
            (None, _) => (
                Status::Conditional,
                Reason::DependsOn("whether it was done"),
                None,
                None,
            ),
        };
        let mut entry = self.finish(status, reason);
        entry.days_left = days_left;
        entry.days_overdue = days_overdue;
        entry.due = due.flatten();
        entry.done_on = done_on;
        entry
    }

    /// Whether an act happened and on which day: `on` a date given (null
    /// means it did not), `if` a condition holds. When it did not, also the
    /// expression that said so.
    pub(super) fn act(
        &mut self,
        test: &'a ActTest,
        on_word: &'a Text,
        if_word: &'a Text,
        when_word: &'a Text,
    ) -> (Option<bool>, Option<NaiveDate>, Option<&'a CExpr>) {
        let mut happened = Some(true);
        let mut date = None;
        if let Some(on) = &test.on {
            match self.condition(on_word, on) {
                Tri::Known(crate::value::Value::Date(day)) => date = Some(day),
                Tri::Null => return (Some(false), None, Some(on)),
                _ => happened = None,
            }
        }
        if let Some(condition) = &test.condition {
            let word = if test.on.is_some() {
                if_word
            } else {
                when_word
            };
            match self.condition(word, condition).truth() {
                Some(false) => return (Some(false), None, Some(condition)),
                Some(true) => {}
                None => happened = None,
            }
        }
        (happened, date.filter(|_| happened == Some(true)), None)
    }

    /// The day the rule starts to bind: its own `effective from`, or its
    /// regulation's (drafts have none).
    pub(super) fn commencement(&self) -> Option<NaiveDate> {
        let regulation = &self.program.regulations[self.rule.regulation as usize];
        if regulation.status == RegulationStatus::Draft {
            return self.rule.effective;
        }
        self.rule.effective.max(regulation.effective)
    }

    /// `None`: no fixed deadline. `Some(None)`: a deadline whose date is unknown.
    fn due_date(&mut self) -> Option<Option<NaiveDate>> {
        let due = match &self.rule.deadline {
            None | Some(DeadlineInfo::Judgement(..)) | Some(DeadlineInfo::AtLeastFor(_)) => {
                return None;
            }
            Some(DeadlineInfo::Within { period, of }) => {
                let base = self.condition(&self.rule.deadline_label, of).date();
                base.and_then(|d| self.count(d, *period, true))
            }
            Some(DeadlineInfo::Before { period, date }) => {
                let base = self.condition(&self.rule.deadline_label, date).date();
                base.and_then(|d| self.count(d, *period, false))
            }
            Some(DeadlineInfo::By(expr)) => self.condition(&self.program.words.by, expr).date(),
            Some(DeadlineInfo::StrictlyBefore(expr)) => self
                .condition(&self.program.words.before, expr)
                .date()
                .and_then(|d| d.pred_opt()),
        };
        let due = due.and_then(|d| self.roll_over(d));
        self.note_due(due);
        Some(due)
    }

    /// Counts a period from a date, in calendar or working days.
    fn count(
        &mut self,
        from: NaiveDate,
        period: crate::syntax::ast::Duration,
        forward: bool,
    ) -> Option<NaiveDate> {
        if period.unit != crate::syntax::ast::TimeUnit::WorkingDays {
            let due = if forward {
                dates::within(from, period)
            } else {
                dates::at_least_before(from, period)
            };
            self.out_of_range |= due.is_none();
            return due;
        }
        let calendar = self.program.calendar_for(self.rule.regulation)?;
        let Ok(n) = u32::try_from(period.amount) else {
            self.out_of_range = true;
            return None;
        };
        let counted = if forward {
            calendar.add_working_days(from, n)
        } else {
            calendar.sub_working_days(from, n)
        };
        match counted {
            Ok(day) => Some(day),
            Err(missing) => {
                self.note_missing_calendar(missing.0);
                None
            }
        }
    }

    /// Civil Code Art. 203: a period whose last day is a rest day ends on the
    /// next working day, when the rule (or the case, as a what-if) says so.
    fn roll_over(&mut self, due: NaiveDate) -> Option<NaiveDate> {
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
                    self.out
                        .steps
                        .push(StepKind::RollOver { from: due, to: day });
                }
                Some(day)
            }
            Err(missing) => {
                self.note_missing_calendar(missing.0);
                None
            }
        }
    }

    fn note_missing_calendar(&mut self, year: i32) {
        self.out.steps.push(StepKind::NoCalendar { year });
        self.missing_calendar = Some(year);
    }

    fn note_due(&mut self, due: Option<NaiveDate>) {
        if let Some(due) = due {
            self.out.steps.push(StepKind::Due(due));
        }
    }
}

/// Whether each record of a log was kept for `required` from the day it was
/// kept from (Civil Code Art 202: to the same day that many months later, or
/// the month's last day). A record still kept is never short. The first
/// record deleted too early is the one kept from the earliest day.
fn log_reason(
    entries: &[crate::value::LogEntry],
    required: crate::syntax::ast::Duration,
) -> Reason<'static> {
    let mut first: Option<(usize, crate::value::LogEntry, NaiveDate)> = None;
    let mut early = 0;
    for (n, e) in entries.iter().enumerate() {
        let (Some(deleted), Some(until)) =
            (e.deleted_on, dates::shift(e.kept_from, required, true))
        else {
            continue;
        };
        if deleted < until {
            early += 1;
            if first.is_none_or(|(_, f, _)| e.kept_from < f.kept_from) {
                first = Some((n + 1, *e, until));
            }
        }
    }
    match first {
        Some((number, e, until)) => Reason::LogDeletedEarly {
            required,
            number,
            kept_from: e.kept_from,
            deleted_on: e.deleted_on.unwrap_or(until),
            until,
            early,
            records: entries.len(),
        },
        None => Reason::LogKept {
            required,
            records: entries.len(),
        },
    }
}
