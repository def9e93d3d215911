//! The totals a policy test expects: any of the parts of a party's fines,
//! compared only where given.

use serde::Serialize;

use crate::report::FineRange;

/// The fines a test expects one party to face in the totals: only the
/// parts given are compared (see [`FineRange`] for what each means).
///
/// # Examples
///
/// ```
/// use deon::FineRange;
/// use deon::testing::ExpectedFines;
///
/// let expected = ExpectedFines { min: Some(0), escalated: Some(1_000_000), ..Default::default() };
/// let actual = FineRange { min: 0, max: 500_000, escalated: 1_000_000, ..Default::default() };
/// assert!(expected.matches(actual));
/// assert!(!ExpectedFines { max: Some(0), ..Default::default() }.matches(actual));
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ExpectedFines {
    /// The certain floor.
    pub min: Option<i64>,
    /// The possible ceiling.
    pub max: Option<i64>,
    /// The ceiling of the certain fines.
    pub certain_max: Option<i64>,
    /// The floor of the fines that are possible but not certain.
    pub possible_min: Option<i64>,
    /// The ceiling if the case escalated.
    pub escalated: Option<i64>,
}

impl ExpectedFines {
    fn parts(self, actual: FineRange) -> [(&'static str, Option<i64>, i64); 5] {
        [
            ("min", self.min, actual.min),
            ("max", self.max, actual.max),
            ("certain_max", self.certain_max, actual.certain_max),
            ("possible_min", self.possible_min, actual.possible_min),
            ("escalated", self.escalated, actual.escalated),
        ]
    }

    /// Whether every part given equals the actual range's.
    pub fn matches(self, actual: FineRange) -> bool {
        self.parts(actual)
            .iter()
            .all(|(_, expected, actual)| expected.is_none_or(|e| e == *actual))
    }

    /// The parts given, as `min 0, max 500000`, with the actual values
    /// when `actual` is true.
    pub(super) fn show(self, range: FineRange, actual: bool) -> String {
        let shown: Vec<String> = self
            .parts(range)
            .iter()
            .filter_map(|(name, expected, value)| {
                let value = if actual { Some(*value) } else { *expected };
                expected.and(value).map(|v| format!("{name} {v}"))
            })
            .collect();
        shown.join(", ")
    }
}
