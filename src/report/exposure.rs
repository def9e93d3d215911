//! The fines a finding or a report puts at stake, per liable party:
//! certain, possible, and the ceiling if the case escalated.

use serde::{Deserialize, Serialize};

use crate::syntax::ast::LiableParty;

/// The fines at stake for one party, in whole yuan (CNY), kept in three
/// parts a practitioner reads apart: fines that surely apply (`min` to
/// `certain_max`), fines that may apply (`possible_min` to `max`), and the
/// most the penalty could reach if the case escalated (`escalated`).
///
/// A fine is certain only when its sanction is mandatory, its tier is
/// reached, its condition holds, and the rule's link to the penalty is not
/// arguable. Fines the authority may impose (`may`, `one of`), fines behind
/// unknown facts or an arguable link, and fines for a timing only a
/// reviewer can judge are possible, never certain.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let entity = report.totals.entity;
/// assert_eq!((entity.min, entity.max), (1_000, 10_000));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FineRange {
    /// The certain floor: the lowest fine that surely applies (0 when no
    /// fine is certain).
    pub min: i64,
    /// The possible ceiling: the highest fine that may apply, certain or
    /// not.
    pub max: i64,
    /// The ceiling of the fines that surely apply; 0 (absent in JSON) when
    /// none does.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub certain_max: i64,
    /// The floor of the fines that may apply but are not certain: the
    /// lowest such fine, not 0. Absent in JSON when it is 0 (no such fine,
    /// or one with no minimum).
    #[serde(skip_serializing_if = "is_zero", default)]
    pub possible_min: i64,
    /// The highest fine the applicable version of the penalty reaches in
    /// any tier, even one the facts say is not reached (serious harm, a
    /// refusal to correct): the ceiling if the case escalated. Absent in
    /// JSON when it is 0.
    #[serde(skip_serializing_if = "is_zero", default)]
    pub escalated: i64,
}

fn is_zero(n: &i64) -> bool {
    *n == 0
}

/// The smaller of two floors, where 0 means "none".
fn floor(a: i64, b: i64) -> i64 {
    match (a, b) {
        (0, x) | (x, 0) => x,
        (a, b) => a.min(b),
    }
}

impl FineRange {
    /// Whether no fine is at stake, not even if the case escalated.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::FineRange;
    ///
    /// assert!(FineRange::default().is_zero());
    /// assert!(!FineRange { min: 0, max: 500, ..FineRange::default() }.is_zero());
    /// assert!(!FineRange { escalated: 500, ..FineRange::default() }.is_zero());
    /// ```
    pub fn is_zero(self) -> bool {
        self.max == 0 && self.min == 0 && self.escalated == 0
    }

    /// Whether some fine surely applies.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::FineRange;
    ///
    /// let possible_only = FineRange { max: 500_000, possible_min: 50_000, ..FineRange::default() };
    /// assert!(!possible_only.has_certain() && possible_only.has_possible());
    /// let certain = FineRange { min: 10_000, certain_max: 100_000, max: 100_000, ..FineRange::default() };
    /// assert!(certain.has_certain() && !certain.has_possible());
    /// ```
    pub fn has_certain(self) -> bool {
        self.min > 0 || self.certain_max > 0
    }

    /// Whether some fine may apply beyond the certain ones.
    pub fn has_possible(self) -> bool {
        self.max > self.certain_max || self.possible_min > 0
    }

    /// A fine that surely applies.
    pub(crate) fn certain(&mut self, min: i64, max: i64) {
        self.min = self.min.max(min);
        self.certain_max = self.certain_max.max(max);
        self.max = self.max.max(max);
    }

    /// A fine that may apply.
    pub(crate) fn possible(&mut self, min: i64, max: i64) {
        self.possible_min = floor(self.possible_min, min);
        self.max = self.max.max(max);
    }

    fn add(&mut self, other: FineRange) {
        self.min = self.min.saturating_add(other.min);
        self.max = self.max.saturating_add(other.max);
        self.certain_max = self.certain_max.saturating_add(other.certain_max);
        self.escalated = self.escalated.saturating_add(other.escalated);
        // The lowest fine that may come on top of the certain ones is the
        // lowest of any penalty: one of them may be imposed alone.
        self.possible_min = floor(self.possible_min, other.possible_min);
    }

    fn max_with(&mut self, other: FineRange) {
        self.min = self.min.max(other.min);
        self.max = self.max.max(other.max);
        self.certain_max = self.certain_max.max(other.certain_max);
        self.escalated = self.escalated.max(other.escalated);
        self.possible_min = floor(self.possible_min, other.possible_min);
    }

    /// What holds under whichever of two versions applies: a fine is
    /// certain only if it is under both; otherwise it becomes possible.
    fn either(&mut self, other: FineRange) {
        if self.has_certain() && other.has_certain() {
            self.min = self.min.min(other.min);
            self.certain_max = self.certain_max.max(other.certain_max);
        } else {
            for side in [*self, other] {
                if side.has_certain() {
                    self.possible_min = floor(self.possible_min, side.min);
                }
            }
            self.min = 0;
            self.certain_max = 0;
        }
        self.possible_min = floor(self.possible_min, other.possible_min);
        self.max = self.max.max(other.max);
        self.escalated = self.escalated.max(other.escalated);
    }
}

/// The fines at stake, one range per liable party.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let exposure = report.findings[0].exposure;
/// assert_eq!((exposure.entity.min, exposure.entity.max), (1_000, 10_000));
/// assert!(exposure.person_in_charge.is_zero() && exposure.individual.is_zero());
/// assert_eq!(report.totals, exposure);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    /// Fines on the organisation.
    pub entity: FineRange,
    /// Fines on the directly responsible person in charge.
    pub person_in_charge: FineRange,
    /// Fines on a natural person who is the party.
    pub individual: FineRange,
}

impl Exposure {
    pub(crate) fn add(&mut self, other: &Exposure) {
        self.entity.add(other.entity);
        self.person_in_charge.add(other.person_in_charge);
        self.individual.add(other.individual);
    }

    /// Keeps, for each party, the larger of the two ranges.
    pub(crate) fn max_with(&mut self, other: &Exposure) {
        self.entity.max_with(other.entity);
        self.person_in_charge.max_with(other.person_in_charge);
        self.individual.max_with(other.individual);
    }

    /// What is at stake under whichever of two versions of a penalty
    /// applies.
    pub(crate) fn either(&mut self, other: &Exposure) {
        self.entity.either(other.entity);
        self.person_in_charge.either(other.person_in_charge);
        self.individual.either(other.individual);
    }

    /// The ranges of each party.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::{Exposure, LiableParty};
    ///
    /// let parties = Exposure::default().parties();
    /// assert_eq!(parties[1].0, LiableParty::PersonInCharge);
    /// assert!(parties.iter().all(|(_, range)| range.is_zero()));
    /// ```
    pub fn parties(&self) -> [(LiableParty, FineRange); 3] {
        [
            (LiableParty::Entity, self.entity),
            (LiableParty::PersonInCharge, self.person_in_charge),
            (LiableParty::Individual, self.individual),
        ]
    }

    pub(crate) fn range_mut(&mut self, party: LiableParty) -> &mut FineRange {
        match party {
            LiableParty::Entity => &mut self.entity,
            LiableParty::PersonInCharge => &mut self.person_in_charge,
            LiableParty::Individual => &mut self.individual,
        }
    }

    /// Whether no fine is at stake for any party.
    ///
    /// # Examples
    ///
    /// ```
    /// assert!(deon::Exposure::default().is_zero());
    /// ```
    pub fn is_zero(&self) -> bool {
        self.entity.is_zero() && self.person_in_charge.is_zero() && self.individual.is_zero()
    }
}
