//! Calendar arithmetic for legal periods. Defaults follow Civil Code
//! Arts. 201–202: the day of the event is not counted, and a period in months
//! ends on the same day number of the last month, or on that month's last day.

use chrono::{Days, Months, NaiveDate};

use crate::syntax::ast::{Duration, TimeUnit};

/// `date` moved forward by `period` (backward when `forward` is false).
/// `None` only when the result would leave chrono's calendar.
pub fn shift(date: NaiveDate, period: Duration, forward: bool) -> Option<NaiveDate> {
    let amount = period.amount.unsigned_abs();
    let forward = forward == (period.amount >= 0);
    match period.unit {
        TimeUnit::Days | TimeUnit::WorkingDays => shift_days(date, amount, forward),
        TimeUnit::Weeks => shift_days(date, amount.checked_mul(7)?, forward),
        TimeUnit::Months => shift_months(date, u32::try_from(amount).ok()?, forward),
        TimeUnit::Years => {
            shift_months(date, u32::try_from(amount.checked_mul(12)?).ok()?, forward)
        }
    }
}

fn shift_days(date: NaiveDate, days: u64, forward: bool) -> Option<NaiveDate> {
    if forward {
        date.checked_add_days(Days::new(days))
    } else {
        date.checked_sub_days(Days::new(days))
    }
}

/// chrono clamps to the last day of a shorter month, which is Art. 202's rule.
fn shift_months(date: NaiveDate, months: u32, forward: bool) -> Option<NaiveDate> {
    if forward {
        date.checked_add_months(Months::new(months))
    } else {
        date.checked_sub_months(Months::new(months))
    }
}

/// The last day of a period of `period` counted from the day after `event`.
pub fn within(event: NaiveDate, period: Duration) -> Option<NaiveDate> {
    shift(event, period, true)
}

/// The last day on which an act is at least `period` before `date`:
/// R is on time when R + period <= date.
pub fn at_least_before(date: NaiveDate, period: Duration) -> Option<NaiveDate> {
    shift(date, period, false)
}

/// Compares two durations. Durations in the same unit compare by amount;
/// mixed units compare by where they land when counted from `anchor`
/// ("6 months" is not "180 days").
pub fn compare(a: Duration, b: Duration, anchor: NaiveDate) -> Option<std::cmp::Ordering> {
    if a.unit == b.unit {
        return Some(a.amount.cmp(&b.amount));
    }
    Some(shift(anchor, a, true)?.cmp(&shift(anchor, b, true)?))
}

/// Whether keeping something for `kept` meets a duty to keep it for at
/// least `required`, whatever day the keeping starts. "6 months" lasts 181
/// to 184 days depending on the start, so only 184 days always meets it.
pub fn always_at_least(kept: Duration, required: Duration) -> bool {
    fn split(d: Duration) -> (bool, i64) {
        match d.unit {
            TimeUnit::Days | TimeUnit::WorkingDays => (false, d.amount),
            TimeUnit::Weeks => (false, d.amount.saturating_mul(7)),
            TimeUnit::Months => (true, d.amount),
            TimeUnit::Years => (true, d.amount.saturating_mul(12)),
        }
    }
    let (kept_months, kept_n) = split(kept);
    let (required_months, required_n) = split(required);
    if kept_months == required_months {
        return kept_n >= required_n;
    }
    // Mixed units: try every start day of a four-year cycle.
    let Some(first) = NaiveDate::from_ymd_opt(2024, 1, 1) else {
        return false;
    };
    let length = |start: NaiveDate, months: bool, n: i64| -> Option<i64> {
        let unit = if months {
            TimeUnit::Months
        } else {
            TimeUnit::Days
        };
        shift(start, Duration { amount: n, unit }, true).map(|end| (end - start).num_days())
    };
    (0..1461).all(|offset| {
        let Some(start) = first.checked_add_days(Days::new(offset)) else {
            return false;
        };
        match (
            length(start, kept_months, kept_n),
            length(start, required_months, required_n),
        ) {
            (Some(k), Some(r)) => k >= r,
            _ => false,
        }
    })
}

/// Where keeping for `kept` falls furthest short of `required`: among the
/// start days of the four years up to `before`, the first with the largest
/// shortfall, with the day `required` runs to and the days short. `None`
/// when no start day falls short.
pub fn worst_shortfall(
    kept: Duration,
    required: Duration,
    before: NaiveDate,
) -> Option<(NaiveDate, NaiveDate, i64)> {
    let first = before.checked_sub_days(Days::new(1461))?;
    let mut worst: Option<(NaiveDate, NaiveDate, i64)> = None;
    for offset in 0..1461 {
        let start = first.checked_add_days(Days::new(offset))?;
        let (Some(kept_to), Some(until)) = (shift(start, kept, true), shift(start, required, true))
        else {
            continue;
        };
        let short = (until - kept_to).num_days();
        if short > 0 && worst.is_none_or(|(_, _, most)| short > most) {
            worst = Some((start, until, short));
        }
    }
    worst
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }
    fn days(n: i64) -> Duration {
        Duration {
            amount: n,
            unit: TimeUnit::Days,
        }
    }
    fn months(n: i64) -> Duration {
        Duration {
            amount: n,
            unit: TimeUnit::Months,
        }
    }

    #[test]
    fn two_days_of_an_event_end_on_the_second_day_after() {
        assert_eq!(within(d(2026, 3, 3), days(2)), Some(d(2026, 3, 5)));
    }

    #[test]
    fn day_counting_crosses_month_and_year_ends() {
        assert_eq!(within(d(2025, 12, 31), days(2)), Some(d(2026, 1, 2)));
        assert_eq!(within(d(2024, 2, 28), days(2)), Some(d(2024, 3, 1)));
        assert_eq!(within(d(2023, 2, 28), days(2)), Some(d(2023, 3, 2)));
    }

    #[test]
    fn months_end_on_the_last_day_of_a_shorter_month() {
        assert_eq!(within(d(2021, 8, 31), months(6)), Some(d(2022, 2, 28)));
        assert_eq!(within(d(2023, 8, 31), months(6)), Some(d(2024, 2, 29)));
        assert_eq!(within(d(2021, 1, 31), months(1)), Some(d(2021, 2, 28)));
    }

    #[test]
    fn leap_day_plus_a_year_is_the_end_of_february() {
        assert_eq!(
            within(
                d(2024, 2, 29),
                Duration {
                    amount: 1,
                    unit: TimeUnit::Years
                }
            ),
            Some(d(2025, 2, 28))
        );
    }

    #[test]
    fn thirty_days_before() {
        assert_eq!(
            at_least_before(d(2026, 3, 31), days(30)),
            Some(d(2026, 3, 1))
        );
    }

    #[test]
    fn six_months_is_not_180_days() {
        let anchor = d(2026, 1, 1);
        assert_eq!(
            compare(months(6), days(180), anchor),
            Some(std::cmp::Ordering::Greater)
        );
        assert_eq!(
            compare(months(6), days(181), anchor),
            Some(std::cmp::Ordering::Equal)
        );
    }

    #[test]
    fn retention_must_hold_from_any_start_day() {
        assert!(!always_at_least(days(181), months(6)));
        assert!(!always_at_least(days(183), months(6)));
        assert!(always_at_least(days(184), months(6)));
        assert!(always_at_least(months(6), months(6)));
        assert!(always_at_least(
            Duration {
                amount: 1,
                unit: TimeUnit::Years
            },
            months(6)
        ));
        assert!(!always_at_least(
            Duration {
                amount: 26,
                unit: TimeUnit::Weeks
            },
            months(6)
        ));
        assert!(always_at_least(months(6), days(181)));
        assert!(!always_at_least(months(6), days(182)));
    }

    #[test]
    fn far_dates_do_not_panic() {
        assert_eq!(within(NaiveDate::MAX, days(1)), None);
        assert_eq!(
            within(
                d(2026, 1, 1),
                Duration {
                    amount: i64::MAX,
                    unit: TimeUnit::Months
                }
            ),
            None
        );
    }

    #[test]
    fn the_worst_shortfall_is_the_first_start_day_falling_furthest_short() {
        // A month against 31 days falls short by 3 days from a start in a
        // 28-day February (and from 31 January, whose month ends on 28
        // February); by less from any other start. Many start days fall 3
        // short in four years; the first of them is named.
        let worst = worst_shortfall(months(1), days(31), d(2026, 6, 1));
        assert_eq!(worst, Some((d(2023, 1, 31), d(2023, 3, 3), 3)));
    }

    #[test]
    fn the_worst_shortfall_names_its_start_day_and_days() {
        // 180 days against 6 months: the longest six months (184 days)
        // start on 1 July... or any day whose six months span a 31-day
        // July, August, October and December.
        let (start, until, short) = worst_shortfall(days(180), months(6), d(2026, 3, 10)).unwrap();
        assert_eq!(short, 4);
        assert_eq!((until - start).num_days(), 184);
        assert!(start >= d(2022, 3, 9) && start < d(2026, 3, 10));
        assert_eq!(worst_shortfall(days(184), months(6), d(2026, 3, 10)), None);
        assert_eq!(
            worst_shortfall(months(3), months(6), d(2026, 3, 10)).map(|w| w.2),
            Some(92)
        );
    }
}
