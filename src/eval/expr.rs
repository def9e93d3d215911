//! Three-valued evaluation of checked expressions: a fact the case leaves out
//! is unknown, and unknown propagates unless the other operand decides.

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use super::dates;
use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, CExprKind, Compare, FactId, Program, Words};
use crate::syntax::ast::{Duration, TimeUnit};
use crate::value::{Value, format_amount};

/// The outcome of evaluating an expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Tri {
    Known(Value),
    /// A fact known to be absent.
    Null,
    Unknown,
}

impl Tri {
    pub fn truth(&self) -> Option<bool> {
        match self {
            Tri::Known(Value::Bool(b)) => Some(*b),
            Tri::Null => Some(false),
            _ => None,
        }
    }

    pub fn date(&self) -> Option<NaiveDate> {
        match self {
            Tri::Known(Value::Date(d)) => Some(*d),
            _ => None,
        }
    }
}

/// Why a value could not be worked out although the facts it needs are
/// known. The value is then unknown, but no fact the case could add would
/// decide it, so a finding that depends on it needs review.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutOfRange {
    /// A whole number or an amount past the 64-bit range.
    Number,
    /// A date moved outside the dates Deon can count.
    Date,
    /// Working days counted into a year without holiday data.
    NoCalendar(i32),
}

impl fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OutOfRange::Number => {
                write!(f, "a whole number or amount goes past {} in size", i64::MAX)
            }
            OutOfRange::Date => f.write_str("a date falls outside the dates Deon can count"),
            OutOfRange::NoCalendar(year) => write!(
                f,
                "working days run into {year}, for which no holiday calendar is loaded"
            ),
        }
    }
}

/// Evaluates expressions against one case, remembering which facts were read.
pub struct Scope<'a> {
    pub program: &'a Program,
    pub facts: &'a Facts,
    pub today: NaiveDate,
    /// Facts read since the last `clear_reads`, in order, without repeats.
    reads: Vec<FactId>,
    /// Each definition's value and the facts it read (a range of `memo_reads`).
    memo: Vec<Option<(Tri, u32, u32)>>,
    memo_reads: Vec<FactId>,
    /// Emptied read lists, kept for the next definition evaluated.
    spare: Vec<Vec<FactId>>,
    /// The first value out of range since the last `clear_reads`.
    out_of_range: Option<OutOfRange>,
    /// Each definition's value out of range, if any, for memoised uses.
    memo_range: Vec<Option<OutOfRange>>,
    /// How deep in expressions the evaluation is, to check the stack only
    /// every few levels.
    depth: u32,
}

/// Levels of expression between two checks of the stack. Asking how much
/// stack is left costs more than evaluating most nodes, and the margin
/// `with_stack` keeps holds far more than this many levels' frames.
const STACK_CHECK_EVERY: u32 = 8;

impl<'a> Scope<'a> {
    pub fn new(program: &'a Program, facts: &'a Facts, today: NaiveDate) -> Self {
        Scope {
            program,
            facts,
            today,
            reads: Vec::new(),
            memo: vec![None; program.definitions.len()],
            memo_reads: Vec::new(),
            spare: Vec::new(),
            out_of_range: None,
            memo_range: vec![None; program.definitions.len()],
            depth: 0,
        }
    }

    /// Forgets the facts read so far, and any value out of range.
    pub fn clear_reads(&mut self) {
        self.reads.clear();
        self.out_of_range = None;
    }

    /// The first value that left the countable range since the last
    /// `clear_reads`. It matters only when the outcome is unknown: a value
    /// short-circuited away (`false and …`) decided nothing.
    pub fn out_of_range(&self) -> Option<OutOfRange> {
        self.out_of_range
    }

    fn overflow(&mut self, cause: OutOfRange) -> Tri {
        self.out_of_range.get_or_insert(cause);
        Tri::Unknown
    }

    /// The facts read since the last `clear_reads`, in order, without repeats.
    pub fn reads(&self) -> &[FactId] {
        &self.reads
    }

    fn read(&mut self, id: FactId) {
        if !self.reads.contains(&id) {
            self.reads.push(id);
        }
    }

    pub fn eval(&mut self, expr: &CExpr) -> Tri {
        self.depth += 1;
        let value = if self.depth % STACK_CHECK_EVERY == 0 {
            crate::limits::with_stack(|| self.eval_here(expr))
        } else {
            self.eval_here(expr)
        };
        self.depth -= 1;
        value
    }

    fn eval_here(&mut self, expr: &CExpr) -> Tri {
        match &expr.kind {
            CExprKind::Literal(v) => Tri::Known(v.clone()),
            CExprKind::Today => Tri::Known(Value::Date(self.today)),
            CExprKind::Fact(id) => {
                self.read(*id);
                match self.facts.slots.get(*id as usize) {
                    Some(Slot::Known(Value::Bool(b))) => Tri::Known(Value::Bool(*b)),
                    Some(Slot::Known(v)) => Tri::Known(v.clone()),
                    Some(Slot::Null) => Tri::Null,
                    _ => Tri::Unknown,
                }
            }
            CExprKind::Def(id) => self.definition(*id),
            CExprKind::Not(inner) => match self.eval(inner).truth() {
                Some(b) => Tri::Known(Value::Bool(!b)),
                None => Tri::Unknown,
            },
            CExprKind::IsSet(inner) | CExprKind::IsUnset(inner) => {
                let set = match self.eval(inner) {
                    Tri::Known(_) => true,
                    Tri::Null => false,
                    Tri::Unknown => return Tri::Unknown,
                };
                Tri::Known(Value::Bool(set == matches!(expr.kind, CExprKind::IsSet(_))))
            }
            CExprKind::And(l, r) => match self.eval(l).truth() {
                Some(false) => Tri::Known(Value::Bool(false)),
                left => match (left, self.eval(r).truth()) {
                    (_, Some(false)) => Tri::Known(Value::Bool(false)),
                    (Some(true), Some(true)) => Tri::Known(Value::Bool(true)),
                    _ => Tri::Unknown,
                },
            },
            CExprKind::Or(l, r) => match self.eval(l).truth() {
                Some(true) => Tri::Known(Value::Bool(true)),
                left => match (left, self.eval(r).truth()) {
                    (_, Some(true)) => Tri::Known(Value::Bool(true)),
                    (Some(false), Some(false)) => Tri::Known(Value::Bool(false)),
                    _ => Tri::Unknown,
                },
            },
            CExprKind::Compare(op, l, r) => {
                let (l, r) = (self.eval(l), self.eval(r));
                let (Tri::Known(l), Tri::Known(r)) = (l, r) else {
                    return Tri::Unknown;
                };
                match self.compare(*op, &l, &r) {
                    Some(b) => Tri::Known(Value::Bool(b)),
                    // Durations of different units are compared by counting
                    // them from today, which only fails out of range.
                    None if matches!(l, Value::Duration(_)) => self.overflow(OutOfRange::Date),
                    None => Tri::Unknown,
                }
            }
            CExprKind::Member {
                element,
                collection,
                negated,
            } => {
                // A literal looked up in a fact's set, the shape of every role
                // test: read the set where it lies instead of copying it.
                if let (CExprKind::Literal(Value::Enum(_, i)), CExprKind::Fact(id)) =
                    (&element.kind, &collection.kind)
                {
                    self.read(*id);
                    return match self.facts.slots.get(*id as usize) {
                        Some(Slot::Known(Value::Set(_, items))) => {
                            Tri::Known(Value::Bool(items.contains(i) != *negated))
                        }
                        _ => Tri::Unknown,
                    };
                }
                let (e, c) = (self.eval(element), self.eval(collection));
                match (e, c) {
                    (Tri::Known(Value::Enum(_, i)), Tri::Known(Value::Set(_, items))) => {
                        Tri::Known(Value::Bool(items.contains(&i) != *negated))
                    }
                    _ => Tri::Unknown,
                }
            }
            CExprKind::Add(l, r) | CExprKind::Sub(l, r) => {
                let add = matches!(expr.kind, CExprKind::Add(..));
                let (Tri::Known(l), Tri::Known(r)) = (self.eval(l), self.eval(r)) else {
                    return Tri::Unknown;
                };
                if let (Value::Date(date), Value::Duration(d)) = (&l, &r) {
                    if d.unit == crate::syntax::ast::TimeUnit::WorkingDays {
                        return self.working_days(*date, d.amount, add);
                    }
                }
                let cause = match &l {
                    Value::Int(_) | Value::Money(_) => OutOfRange::Number,
                    _ => OutOfRange::Date,
                };
                match arithmetic(add, l, r) {
                    Some(value) => Tri::Known(value),
                    None => self.overflow(cause),
                }
            }
        }
    }

    /// A date moved by working days on the one calendar loaded (the checker
    /// allows working days in an expression only then). A year the calendar
    /// has no data for gives unknown, never a guess.
    fn working_days(&mut self, date: NaiveDate, amount: i64, add: bool) -> Tri {
        let mut calendars = self.program.calendars.values();
        let (Some(calendar), None) = (calendars.next(), calendars.next()) else {
            return Tri::Unknown;
        };
        let Ok(n) = u32::try_from(amount.unsigned_abs()) else {
            return self.overflow(OutOfRange::Date);
        };
        let moved = if add == (amount >= 0) {
            calendar.add_working_days(date, n)
        } else {
            calendar.sub_working_days(date, n)
        };
        match moved {
            Ok(day) => Tri::Known(Value::Date(day)),
            Err(missing) => self.overflow(OutOfRange::NoCalendar(missing.0)),
        }
    }

    fn definition(&mut self, id: u32) -> Tri {
        if let Some(Some((value, start, end))) = self.memo.get(id as usize) {
            let (value, start, end) = (copy(value), *start as usize, *end as usize);
            for n in start..end {
                if let Some(&fact) = self.memo_reads.get(n) {
                    self.read(fact);
                }
            }
            if let Some(&Some(cause)) = self.memo_range.get(id as usize) {
                self.out_of_range.get_or_insert(cause);
            }
            return value;
        }
        let Some(def) = self.program.definitions.get(id as usize) else {
            return Tri::Unknown;
        };
        // The definition's own reads are kept apart, to be replayed when it is
        // used again.
        let own = self.spare.pop().unwrap_or_default();
        let outer = std::mem::replace(&mut self.reads, own);
        let outer_range = self.out_of_range.take();
        let value = self.eval(&def.body);
        let mut inner = std::mem::replace(&mut self.reads, outer);
        let inner_range = std::mem::replace(&mut self.out_of_range, outer_range);
        if let Some(cause) = inner_range {
            self.out_of_range.get_or_insert(cause);
        }
        if let Some(slot) = self.memo_range.get_mut(id as usize) {
            *slot = inner_range;
        }
        let start = self.memo_reads.len() as u32;
        for &r in &inner {
            self.read(r);
        }
        self.memo_reads.extend_from_slice(&inner);
        if let Some(slot) = self.memo.get_mut(id as usize) {
            *slot = Some((value.clone(), start, self.memo_reads.len() as u32));
        }
        inner.clear();
        self.spare.push(inner);
        value
    }

    fn compare(&self, op: Compare, l: &Value, r: &Value) -> Option<bool> {
        let ordering = match (l, r) {
            (Value::Int(a), Value::Int(b)) | (Value::Money(a), Value::Money(b)) => a.cmp(b),
            (Value::Date(a), Value::Date(b)) => a.cmp(b),
            (Value::Duration(a), Value::Duration(b)) => dates::compare(*a, *b, self.today)?,
            _ => {
                let equal = l == r;
                return match op {
                    Compare::Eq => Some(equal),
                    Compare::Ne => Some(!equal),
                    _ => None,
                };
            }
        };
        Some(match op {
            Compare::Eq => ordering == Ordering::Equal,
            Compare::Ne => ordering != Ordering::Equal,
            Compare::Lt => ordering == Ordering::Less,
            Compare::Le => ordering != Ordering::Greater,
            Compare::Gt => ordering == Ordering::Greater,
            Compare::Ge => ordering != Ordering::Less,
        })
    }
}

/// A value copied the cheap way when it is a truth value: built afresh, not
/// cloned field by field through a temporary, which the processor stalls on.
fn copy(value: &Tri) -> Tri {
    match value {
        Tri::Known(Value::Bool(b)) => Tri::Known(Value::Bool(*b)),
        Tri::Null => Tri::Null,
        Tri::Unknown => Tri::Unknown,
        other => other.clone(),
    }
}

fn arithmetic(add: bool, l: Value, r: Value) -> Option<Value> {
    Some(match (l, r) {
        (Value::Date(d), Value::Duration(p)) => Value::Date(dates::shift(d, p, add)?),
        (Value::Duration(p), Value::Date(d)) if add => Value::Date(dates::shift(d, p, true)?),
        (Value::Date(a), Value::Date(b)) => Value::Duration(Duration {
            amount: (a - b).num_days(),
            unit: TimeUnit::Days,
        }),
        (Value::Int(a), Value::Int(b)) => Value::Int(if add {
            a.checked_add(b)?
        } else {
            a.checked_sub(b)?
        }),
        (Value::Money(a), Value::Money(b)) => Value::Money(if add {
            a.checked_add(b)?
        } else {
            a.checked_sub(b)?
        }),
        _ => return None,
    })
}

/// A value as a reader would write it.
pub fn show(program: &Program, value: &Value) -> String {
    ShowValue(program, value).to_string()
}

/// A value as a reader would write it, written straight into a formatter.
pub(crate) struct ShowValue<'a>(pub &'a Program, pub &'a Value);

impl fmt::Display for ShowValue<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let program = self.0;
        let name = |e: u32, i: u32| {
            program
                .enums
                .get(e as usize)
                .and_then(|info| info.values.get(i as usize))
                .map_or("?", String::as_str)
        };
        match self.1 {
            Value::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Value::Int(i) => write!(f, "{i}"),
            Value::Text(t) => write!(f, "\"{t}\""),
            Value::Date(d) => DateText::new(*d).fmt(f),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Money(m) => write!(f, "{} CNY", format_amount(*m)),
            Value::Log(entries) => {
                f.write_str("[")?;
                for (n, e) in entries.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "kept from {}", e.kept_from)?;
                    if let Some(d) = e.deleted_on {
                        write!(f, " deleted on {d}")?;
                    }
                }
                f.write_str("]")
            }
            Value::Enum(e, i) => f.write_str(name(*e, *i)),
            Value::Set(e, items) => {
                f.write_str("[")?;
                for (n, i) in items.iter().enumerate() {
                    if n > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(name(*e, *i))?;
                }
                f.write_str("]")
            }
        }
    }
}

/// A date as `YYYY-MM-DD` without the formatting machinery, for the common
/// four-digit years; chrono's own `Display` otherwise.
enum DateText {
    Short([u8; 10]),
    Long(NaiveDate),
}

impl DateText {
    fn new(date: NaiveDate) -> DateText {
        use chrono::Datelike;
        let year = date.year();
        if !(0..=9999).contains(&year) {
            return DateText::Long(date);
        }
        let digits = |n: u32, out: &mut [u8]| {
            let mut n = n;
            for slot in out.iter_mut().rev() {
                *slot = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        let mut bytes = *b"0000-00-00";
        digits(year.unsigned_abs(), &mut bytes[0..4]);
        digits(date.month(), &mut bytes[5..7]);
        digits(date.day(), &mut bytes[8..10]);
        DateText::Short(bytes)
    }
}

impl fmt::Display for DateText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateText::Short(bytes) => f.write_str(std::str::from_utf8(bytes).unwrap_or_default()),
            DateText::Long(date) => write!(f, "{date}"),
        }
    }
}

/// The policy set's shared word for an outcome that is not a value of its
/// own: true, false, null or unknown.
fn outcome_word<'w>(words: &'w Words, value: &Tri) -> Option<&'w Arc<str>> {
    match value {
        Tri::Known(Value::Bool(true)) => Some(&words.yes),
        Tri::Known(Value::Bool(false)) => Some(&words.no),
        Tri::Null => Some(&words.null),
        Tri::Unknown => Some(&words.unknown),
        Tri::Known(_) => None,
    }
}

/// An outcome as a reader would write it, sharing the common words.
pub fn outcome_text(program: &Program, value: &Tri) -> Arc<str> {
    match outcome_word(&program.words, value) {
        Some(word) => Arc::clone(word),
        None => OutcomeText(program, value).to_string().into(),
    }
}

/// An outcome as a reader would write it, as an owned string.
pub fn show_tri(program: &Program, value: &Tri) -> String {
    OutcomeText(program, value).to_string()
}

/// An outcome as a reader would write it, written straight into a formatter.
pub(crate) struct OutcomeText<'a>(pub &'a Program, pub &'a Tri);

impl fmt::Display for OutcomeText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (outcome_word(&self.0.words, self.1), self.1) {
            (Some(word), _) => f.write_str(word),
            (None, Tri::Known(value)) => ShowValue(self.0, value).fmt(f),
            (None, _) => Ok(()),
        }
    }
}
