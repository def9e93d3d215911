//! Three-valued evaluation of checked expressions: a fact the case leaves out
//! is unknown, and unknown propagates unless the other operand decides.

use std::cmp::Ordering;
use std::sync::Arc;

use chrono::NaiveDate;

use super::dates;
use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, CExprKind, Compare, FactId, Program};
use crate::syntax::ast::{Duration, TimeUnit};
use crate::value::{format_amount, Value};

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

/// Evaluates expressions against one case, remembering which facts were read.
pub struct Scope<'a> {
    pub program: &'a Program,
    pub facts: &'a Facts,
    pub today: NaiveDate,
    /// Facts read since the last `take_reads`, in order, without repeats.
    reads: Vec<FactId>,
    memo: Vec<Option<(Tri, Vec<FactId>)>>,
    /// Each fact's value as shown in explanations, worked out once.
    shown: Vec<Option<Arc<str>>>,
}

impl<'a> Scope<'a> {
    pub fn new(program: &'a Program, facts: &'a Facts, today: NaiveDate) -> Self {
        Scope {
            program,
            facts,
            today,
            reads: Vec::new(),
            memo: vec![None; program.definitions.len()],
            shown: Vec::new(),
        }
    }

    pub fn take_reads(&mut self) -> Vec<FactId> {
        std::mem::take(&mut self.reads)
    }

    /// Forgets the facts read so far.
    pub fn clear_reads(&mut self) {
        self.reads.clear();
    }

    /// Hands back a vector taken with `take_reads`, so that its memory
    /// serves the next condition.
    pub fn recycle_reads(&mut self, mut reads: Vec<FactId>) {
        if self.reads.is_empty() && self.reads.capacity() < reads.capacity() {
            reads.clear();
            self.reads = reads;
        }
    }

    fn read(&mut self, id: FactId) {
        if !self.reads.contains(&id) {
            self.reads.push(id);
        }
    }

    pub fn eval(&mut self, expr: &CExpr) -> Tri {
        match &expr.kind {
            CExprKind::Literal(v) => Tri::Known(v.clone()),
            CExprKind::Today => Tri::Known(Value::Date(self.today)),
            CExprKind::Fact(id) => {
                self.read(*id);
                match self.facts.slots.get(*id as usize) {
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
                    None => Tri::Unknown,
                }
            }
            CExprKind::Member {
                element,
                collection,
                negated,
            } => {
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
                arithmetic(add, l, r).map_or(Tri::Unknown, Tri::Known)
            }
        }
    }

    fn definition(&mut self, id: u32) -> Tri {
        if let Some(Some((value, reads))) = self.memo.get_mut(id as usize).map(Option::take) {
            for &r in &reads {
                self.read(r);
            }
            let result = value.clone();
            if let Some(slot) = self.memo.get_mut(id as usize) {
                *slot = Some((value, reads));
            }
            return result;
        }
        let Some(def) = self.program.definitions.get(id as usize) else {
            return Tri::Unknown;
        };
        let outer = std::mem::take(&mut self.reads);
        let value = self.eval(&def.body);
        let inner = std::mem::replace(&mut self.reads, outer);
        for &r in &inner {
            self.read(r);
        }
        if let Some(slot) = self.memo.get_mut(id as usize) {
            *slot = Some((value.clone(), inner));
        }
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

    /// Like `show_fact`, remembering the text for the next time the fact is shown.
    pub fn show_fact_cached(&mut self, id: FactId) -> Arc<str> {
        let index = id as usize;
        if self.shown.len() <= index {
            self.shown
                .resize(self.facts.slots.len().max(index + 1), None);
        }
        if let Some(Some(text)) = self.shown.get(index) {
            return text.clone();
        }
        let text: Arc<str> = match self.facts.slots.get(index) {
            Some(Slot::Known(v)) => show(self.program, v).into(),
            Some(Slot::Null) => Arc::clone(&self.program.words.null),
            _ => Arc::clone(&self.program.words.unknown),
        };
        if let Some(slot) = self.shown.get_mut(index) {
            *slot = Some(Arc::clone(&text));
        }
        text
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
    let enum_value = |e: u32, i: u32| {
        program
            .enums
            .get(e as usize)
            .and_then(|info| info.values.get(i as usize))
            .map_or("?".to_string(), Clone::clone)
    };
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Text(t) => format!("\"{t}\""),
        Value::Date(d) => show_date(*d),
        Value::Duration(d) => d.to_string(),
        Value::Money(m) => format!("{} CNY", format_amount(*m)),
        Value::Enum(e, i) => enum_value(*e, *i),
        Value::Set(e, items) => {
            let names = program.enums.get(*e as usize).map(|info| &info.values);
            let mut out = String::with_capacity(2 + 16 * items.len());
            out.push('[');
            for (n, i) in items.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                match names.and_then(|values| values.get(*i as usize)) {
                    Some(name) => out.push_str(name),
                    None => out.push('?'),
                }
            }
            out.push(']');
            out
        }
    }
}

/// A date as `YYYY-MM-DD`, the way chrono displays it, without the
/// formatting machinery for the common four-digit years.
pub fn show_date(date: NaiveDate) -> String {
    use chrono::Datelike;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let digits = |n: u32, width: usize, out: &mut [u8]| {
        let mut n = n;
        for slot in out[..width].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    let mut bytes = *b"0000-00-00";
    digits(year.unsigned_abs(), 4, &mut bytes[0..4]);
    digits(date.month(), 2, &mut bytes[5..7]);
    digits(date.day(), 2, &mut bytes[8..10]);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// An outcome as a reader would write it.
/// An outcome as a reader would write it, sharing the common words.
pub fn outcome_text(program: &Program, value: &Tri) -> Arc<str> {
    let words = &program.words;
    match value {
        Tri::Known(Value::Bool(true)) => Arc::clone(&words.yes),
        Tri::Known(Value::Bool(false)) => Arc::clone(&words.no),
        Tri::Known(v) => show(program, v).into(),
        Tri::Null => Arc::clone(&words.null),
        Tri::Unknown => Arc::clone(&words.unknown),
    }
}

pub fn show_tri(program: &Program, value: &Tri) -> String {
    match value {
        Tri::Known(v) => show(program, v),
        Tri::Null => "null".into(),
        Tri::Unknown => "unknown".into(),
    }
}
