//! Why a rule has its status, kept as data while deciding and put into words
//! only when a report or a reader asks: deciding a case writes no sentences.

use std::fmt::{self, Display, Formatter};

use chrono::NaiveDate;

use crate::check::ir::{ActTest, CExpr, Program, RuleId};
use crate::report::model::Status;
use crate::syntax::ast::Duration;

/// The reason behind a finding's status; [`Sentence`] writes it out.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Reason<'a> {
    Repealed(NaiveDate),
    TakesEffect(NaiveDate),
    NoDateOfEffect,
    RuleTakesEffect(NaiveDate),
    RuleCeased(NaiveDate),
    RuleNotInForce,
    NotInRole,
    ConditionFails(&'a str),
    DoesNotApply,
    ExceptionRule(RuleId),
    ExceptionHolds(&'a str),
    NothingBreaches,
    Breached(&'a ActTest, Option<NaiveDate>),
    /// Not breached: the date that is not set, or the condition that is false.
    NotBreached(Option<&'a CExpr>),
    /// The `from` event is not set: it has not happened.
    NotHappened(&'a str),
    /// The event a duty runs from, or a prohibited act (`act`), came
    /// before the rule bound.
    BeforeCommencement {
        event: NaiveDate,
        start: NaiveDate,
        act: bool,
    },
    /// `<what> depends on <the finding's unknown facts>`.
    DependsOn(&'static str),
    MayDo,
    RetentionNotStated,
    Kept {
        kept: Duration,
        required: Duration,
        enough: bool,
        /// When it is not enough: the start day it falls furthest short
        /// from, the day the required period runs to, and the days short.
        short: Option<(NaiveDate, NaiveDate, i64)>,
    },
    NothingKept {
        required: Duration,
        encouraged: bool,
    },
    /// Every record of a log was kept, or is still kept, for the period.
    LogKept {
        required: Duration,
        records: usize,
    },
    /// A record of a log was deleted before the period ran out: the first
    /// such record (by the day it was kept from), and how many there were.
    LogDeletedEarly {
        required: Duration,
        /// 1-based position of the record in the case's log.
        number: usize,
        kept_from: NaiveDate,
        deleted_on: NaiveDate,
        until: NaiveDate,
        early: usize,
        records: usize,
    },
    DoneOnTime {
        on: NaiveDate,
        due: NaiveDate,
    },
    DoneOn(NaiveDate),
    DoneLate {
        on: NaiveDate,
        due: NaiveDate,
        days: i64,
    },
    DoneNoDate,
    Done,
    DoneButNoCalendar(i32),
    /// Done, but the deadline lies outside the dates that can be counted.
    DoneButOutOfRange,
    DoneSameDay(Option<NaiveDate>),
    DoneJudgement {
        on: Option<NaiveDate>,
        words: &'static str,
    },
    NotDoneEncouraged,
    DueBy {
        due: NaiveDate,
        left: i64,
    },
    Overdue {
        due: NaiveDate,
        days: i64,
    },
    NotDoneNoCalendar(i32),
    /// Not done, and the deadline lies outside the dates that can be counted.
    NotDoneOutOfRange,
    NotDoneJudgement(&'static str),
    NotDone,
    /// A condition came out unknown although its facts are known: a value in
    /// it left the range Deon can count.
    OutOfRange {
        condition: &'a str,
        cause: super::OutOfRange,
    },
    /// Whether the rule applies, or is excused, depends on unknown facts;
    /// `would` is the status it has if it applies.
    Undecided {
        would: Status,
    },
}

impl Reason<'_> {
    /// Whether only a person can say if the act came in time: the law gives
    /// no number of days, or the deadline could not be counted. Such a
    /// finding carries the penalty it would attract if late, as possible.
    pub(crate) fn timing_for_review(&self) -> bool {
        matches!(
            self,
            Reason::NotDoneJudgement(_)
                | Reason::DoneJudgement { .. }
                | Reason::NotDoneNoCalendar(_)
                | Reason::DoneButNoCalendar(_)
                | Reason::NotDoneOutOfRange
                | Reason::DoneButOutOfRange
        )
    }
}

/// A finding's summary sentence.
pub(crate) struct Sentence<'d> {
    pub program: &'d Program,
    pub rule: RuleId,
    pub reason: Reason<'d>,
    pub today: NaiveDate,
    /// The rule's regulation is a draft: say so first.
    pub draft: bool,
    /// The facts the finding depends on, by name.
    pub unknown: &'d [u32],
}

impl Display for Sentence<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.draft {
            f.write_str("under the draft, which is not in force: ")?;
        }
        let program = self.program;
        let rule = &program.rules[self.rule as usize];
        let regulation = &program.regulations[rule.regulation as usize];
        let today = self.today;
        let names = Names {
            program,
            ids: self.unknown,
        };
        let calendar = |year: i32| NoCalendar {
            jurisdiction: regulation.jurisdiction.as_deref().unwrap_or_default(),
            year,
        };
        match self.reason {
            Reason::Repealed(on) => write!(f, "{} was repealed on {on}", regulation.id),
            Reason::TakesEffect(on) => {
                write!(f, "{} takes effect on {on}, after {today}", regulation.id)
            }
            Reason::NoDateOfEffect => write!(f, "{} has no date of effect", regulation.id),
            Reason::RuleTakesEffect(on) => write!(
                f,
                "this version of the rule takes effect on {on}, after {today}"
            ),
            Reason::RuleCeased(on) => write!(f, "this version of the rule ceased to apply on {on}"),
            Reason::RuleNotInForce => f.write_str("this version of the rule is not in force"),
            Reason::NotInRole => {
                f.write_str("the party is not ")?;
                for (n, &role) in rule.roles.iter().enumerate() {
                    if n > 0 {
                        f.write_str(" or ")?;
                    }
                    f.write_str(&program.roles[role as usize].name)?;
                }
                Ok(())
            }
            Reason::ConditionFails(text) => write!(f, "its condition `{text}` does not hold"),
            Reason::DoesNotApply => f.write_str("it does not apply"),
            Reason::ExceptionRule(other) => {
                let other = &program.rules[other as usize];
                write!(
                    f,
                    "the exception in rule {} ({}) applies",
                    other.id,
                    other.cites.join(", ")
                )
            }
            Reason::ExceptionHolds(text) => write!(f, "the exception `{text}` holds"),
            Reason::NothingBreaches => f.write_str("nothing in the case breaches it"),
            Reason::Breached(test, on) => {
                if let Some(on) = on {
                    write!(f, "breached on {on}")?;
                    if test.condition.is_some() {
                        f.write_str(": ")?;
                    }
                }
                match &test.condition {
                    Some(condition) => write!(f, "`{}` holds", condition.text),
                    None if on.is_none() => f.write_str("it is breached"),
                    None => Ok(()),
                }
            }
            Reason::NotBreached(Some(expr)) if expr.ty.base == crate::value::Base::Date => {
                write!(f, "`{}` is not set", expr.text)
            }
            Reason::NotBreached(Some(expr)) => write!(f, "`{}` does not hold", expr.text),
            Reason::NotBreached(None) => f.write_str("it is not breached"),
            Reason::NotHappened(text) => {
                write!(
                    f,
                    "`{text}` is not set: the event it runs from has not happened"
                )
            }
            Reason::BeforeCommencement { event, start, act } => write!(
                f,
                "the {} on {event} came before the rule took effect on {start}",
                if act { "act" } else { "event it runs from" }
            ),
            Reason::DependsOn(what) => write!(f, "{what} depends on {names}"),
            Reason::MayDo => f.write_str("the party may do this"),
            Reason::RetentionNotStated => f.write_str("the retention kept is not stated"),
            Reason::Kept {
                kept,
                required,
                enough: true,
                ..
            } => write!(
                f,
                "kept for {kept}, at least the required {required} from any start day"
            ),
            Reason::Kept {
                kept,
                required,
                enough: false,
                short,
            } => {
                write!(
                    f,
                    "kept for {kept}, which falls short of {required} for some start days"
                )?;
                match short {
                    Some((start, until, days)) => write!(
                        f,
                        ": by up to {} (a record kept from {start} must be kept to {until})",
                        Days(days)
                    ),
                    None => Ok(()),
                }
            }
            Reason::NothingKept {
                required,
                encouraged: false,
            } => write!(f, "nothing is kept; at least {required} is required"),
            Reason::NothingKept {
                required,
                encouraged: true,
            } => write!(f, "nothing is kept; the regulation encourages {required}"),
            Reason::LogKept { required, records } => match records {
                0 => write!(f, "the log lists no records; each must be kept {required}"),
                1 => write!(
                    f,
                    "the one record in the log is kept at least {required} from the day it was kept from, or is still kept"
                ),
                _ => write!(
                    f,
                    "each of the {records} records in the log is kept at least {required} from the day it was kept from, or is still kept"
                ),
            },
            Reason::LogDeletedEarly {
                required,
                number,
                kept_from,
                deleted_on,
                until,
                early,
                records,
            } => {
                let short = (until - deleted_on).num_days();
                write!(
                    f,
                    "record {number} of the log, kept from {kept_from}, was deleted on {deleted_on}, {} before {until} ({required} after {kept_from})",
                    Days(short)
                )?;
                if early > 1 && early == records {
                    write!(f, "; all {records} records were deleted too early")?;
                } else if early > 1 {
                    write!(
                        f,
                        "; {early} of the {records} records were deleted too early"
                    )?;
                }
                Ok(())
            }
            Reason::DoneOnTime { on, due } => {
                write!(f, "done on {on}, on or before the due date {due}")
            }
            Reason::DoneOn(on) => write!(f, "done on {on}"),
            Reason::DoneLate { on, due, days } => {
                write!(f, "done on {on}, {} after the due date {due}", Days(days))
            }
            Reason::DoneNoDate => f.write_str("done (the case gives no date)"),
            Reason::Done => f.write_str("done"),
            Reason::DoneButNoCalendar(year) => write!(f, "done, but {}", calendar(year)),
            Reason::DoneSameDay(on) => {
                f.write_str("done")?;
                if let Some(on) = on {
                    write!(f, " on {on}")?;
                }
                f.write_str(", the day of the event it runs from")
            }
            Reason::DoneJudgement { on, words } => {
                match on {
                    Some(on) => write!(f, "done on {on}")?,
                    None => f.write_str("done")?,
                }
                write!(
                    f,
                    "; the law says only \"{words}\" and gives no number of days, so whether that was soon enough needs review"
                )
            }
            Reason::NotDoneEncouraged => f.write_str("not done; the regulation encourages it"),
            Reason::DueBy { due, left } => {
                write!(f, "not done yet; due by {due}, {} left", Days(left))
            }
            Reason::Overdue { due, days } => write!(
                f,
                "not done, and the due date {due} passed {} ago",
                Days(days)
            ),
            Reason::NotDoneNoCalendar(year) => write!(f, "not done, and {}", calendar(year)),
            Reason::DoneButOutOfRange => write!(f, "done, but {OUT_OF_RANGE}"),
            Reason::NotDoneOutOfRange => write!(f, "not done, and {OUT_OF_RANGE}"),
            Reason::NotDoneJudgement(words) => write!(
                f,
                "not done; the law says \"{words}\" and gives no number of days, so timing is a judgment"
            ),
            Reason::NotDone => f.write_str("not done"),
            Reason::OutOfRange { condition, cause } => write!(
                f,
                "`{condition}` cannot be worked out: {cause}; review it by hand"
            ),
            Reason::Undecided {
                would: Status::Conditional,
            } => write!(f, "depends on {names}"),
            Reason::Undecided { would } => {
                write!(f, "depends on {names}; if it applies: {}", would.label())
            }
        }
    }
}

/// Where a finding's breach date comes from.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Basis<'a> {
    /// No penalty is exposed.
    None,
    /// The day after the last day to act.
    AfterDue(NaiveDate),
    /// The date of the act, read from this expression.
    Act(&'a CExpr),
    /// The day a record of a log was deleted too early (its number in the log).
    Deleted(usize),
    /// The event a duty with a judgement timing runs from.
    Anchor(&'a CExpr),
    /// The case gives no date: a continuing failure since the date of this
    /// event (or since the rule took effect), up to the evaluation date.
    Undated {
        since: NaiveDate,
        event: Option<&'a CExpr>,
        until: NaiveDate,
    },
}

impl Display for Basis<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self {
            Basis::None => Ok(()),
            Basis::AfterDue(due) => write!(f, "the day after the due date {due}"),
            Basis::Act(expr) => write!(f, "the date of the act, `{}`", expr.text),
            Basis::Deleted(number) => {
                write!(f, "the day record {number} of the log was deleted")
            }
            Basis::Anchor(expr) => {
                write!(f, "the date the duty arose, `{}`", expr.text)
            }
            Basis::Undated {
                since,
                event,
                until,
            } => {
                f.write_str("the case gives no date for the breach, a continuing failure since ")?;
                match event {
                    Some(expr) => write!(f, "`{}` ({since})", expr.text)?,
                    None => write!(f, "the rule took effect ({since})")?,
                }
                write!(
                    f,
                    "; the penalty is shown under each version in force from then to {until}"
                )
            }
        }
    }
}

/// Why a deadline too far from any real date gets a review, not a verdict.
const OUT_OF_RANGE: &str = "the deadline falls outside the dates Deon can count (the period is too long, or a date too far from today); review it by hand";

/// Why a working-day deadline could not be counted.
pub(crate) struct NoCalendar<'a> {
    pub jurisdiction: &'a str,
    pub year: i32,
}

impl Display for NoCalendar<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        let NoCalendar { jurisdiction, year } = self;
        write!(
            f,
            "the deadline runs into {year}, for which no {jurisdiction} holiday calendar is loaded; add calendar/{year}.toml to count working days"
        )
    }
}

/// Fact names joined with commas.
struct Names<'a> {
    program: &'a Program,
    ids: &'a [u32],
}

impl Display for Names<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        for (n, &id) in self.ids.iter().enumerate() {
            if n > 0 {
                f.write_str(", ")?;
            }
            f.write_str(&self.program.facts[id as usize].path)?;
        }
        Ok(())
    }
}

/// "1 day", "3 days".
struct Days(i64);

impl Display for Days {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        if self.0 == 1 {
            f.write_str("1 day")
        } else {
            write!(f, "{} days", self.0)
        }
    }
}
