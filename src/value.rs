//! Runtime values and their types, shared by the checker, case loading and evaluation.

use std::fmt;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::syntax::ast::{Duration, TimeUnit};

/// Index of an enum in the policy set.
pub type EnumId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Base {
    Bool,
    Int,
    Text,
    Date,
    Duration,
    Money,
    Enum(EnumId),
    Set(EnumId),
    List(EnumId),
    /// A log of records, each kept from one day and perhaps deleted on a later one.
    Log,
}

/// A type as the checker knows it: a base type, possibly optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Type {
    pub base: Base,
    pub optional: bool,
}

impl Type {
    pub const BOOL: Type = Type::new(Base::Bool);
    pub const DATE: Type = Type::new(Base::Date);
    pub const DURATION: Type = Type::new(Base::Duration);

    pub const fn new(base: Base) -> Type {
        Type {
            base,
            optional: false,
        }
    }

    pub fn required(self) -> Type {
        Type {
            optional: false,
            ..self
        }
    }
}

/// A known value. "Unknown" and "null" are not values; see `eval::Tri`.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Text(Arc<str>),
    Date(NaiveDate),
    Duration(Duration),
    Money(i64),
    /// An enum value: which enum, and the value's index in it.
    Enum(EnumId, u32),
    /// A set or list of values of one enum, as indices.
    Set(EnumId, Arc<[u32]>),
    /// A log: one entry per record, in the order the case gives them.
    Log(Arc<[LogEntry]>),
}

/// One record of a `log` fact: the day it was made or received, and the day
/// it was deleted (`None` while it is still kept).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LogEntry {
    pub kept_from: NaiveDate,
    pub deleted_on: Option<NaiveDate>,
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (one, many) = match self.unit {
            TimeUnit::Days => ("day", "days"),
            TimeUnit::WorkingDays => ("working day", "working days"),
            TimeUnit::Weeks => ("week", "weeks"),
            TimeUnit::Months => ("month", "months"),
            TimeUnit::Years => ("year", "years"),
        };
        write!(
            f,
            "{} {}",
            self.amount,
            if self.amount == 1 { one } else { many }
        )
    }
}

/// Formats whole yuan with thousands separators: 50,000.
pub fn format_amount(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if amount < 0 {
        out.insert(0, '-');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_have_separators() {
        assert_eq!(format_amount(500_000), "500,000");
        assert_eq!(format_amount(1_000), "1,000");
        assert_eq!(format_amount(999), "999");
        assert_eq!(format_amount(-12_345), "-12,345");
    }
}
