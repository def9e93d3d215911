//! The report: what evaluation produces. Every type here is serialisable;
//! its JSON shape is documented in docs/json-report.md.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::syntax::ast::{LiableParty, Modality, RegulationStatus, SanctionKind};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The date the case was evaluated at.
    pub as_of: NaiveDate,
    pub regulations: Vec<RegulationSummary>,
    pub findings: Vec<Finding>,
    /// Fines exposed by all violated or breached findings together: each
    /// penalty counted once, at its highest exposure, summed across penalties.
    pub totals: Exposure,
    /// Facts the case left out that some finding depends on.
    pub unknown_facts: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegulationSummary {
    pub id: String,
    pub title: String,
    pub status: RegulationStatus,
    pub effective: Option<NaiveDate>,
    /// Whether it binds on the evaluation date.
    pub in_force: bool,
}

/// What a rule means for the case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Violated,
    Breached,
    Pending,
    NeedsReview,
    Conditional,
    Satisfied,
    Respected,
    Exempt,
    Permitted,
    Encouraged,
    NotApplicable,
    NotInForce,
}

impl Status {
    pub const ALL: [Status; 12] = [
        Status::Violated,
        Status::Breached,
        Status::Pending,
        Status::NeedsReview,
        Status::Conditional,
        Status::Satisfied,
        Status::Respected,
        Status::Exempt,
        Status::Permitted,
        Status::Encouraged,
        Status::NotApplicable,
        Status::NotInForce,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Breached => "breached",
            Status::Pending => "pending",
            Status::NeedsReview => "needs review",
            Status::Conditional => "conditional",
            Status::Satisfied => "satisfied",
            Status::Respected => "respected",
            Status::Exempt => "exempt",
            Status::Permitted => "permitted",
            Status::Encouraged => "encouraged",
            Status::NotApplicable => "not applicable",
            Status::NotInForce => "not in force",
        }
    }

    /// The name used on the command line and in JSON.
    pub fn key(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Breached => "breached",
            Status::Pending => "pending",
            Status::NeedsReview => "needs_review",
            Status::Conditional => "conditional",
            Status::Satisfied => "satisfied",
            Status::Respected => "respected",
            Status::Exempt => "exempt",
            Status::Permitted => "permitted",
            Status::Encouraged => "encouraged",
            Status::NotApplicable => "not_applicable",
            Status::NotInForce => "not_in_force",
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        let key = key.replace(['-', ' '], "_");
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// A finding the party must act on or answer for.
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Violated | Status::Breached)
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub rule: String,
    pub regulation: String,
    /// `draft` findings say what a draft would require; they expose no penalty.
    pub regulation_status: RegulationStatus,
    pub citations: Vec<String>,
    pub modality: Modality,
    /// The act, as the rule states it.
    pub action: String,
    pub status: Status,
    /// One sentence saying why the rule has this status.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// Days until the due date (pending findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// Days past the due date (violated findings), or days late when done late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_overdue: Option<i64>,
    /// The exception that exempts the party: an `unless` condition or another rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exempted_by: Option<String>,
    /// Facts left out of the case that decide this finding.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends_on: Vec<String>,
    /// Each condition that was considered, with the facts it read.
    pub explanation: Vec<Step>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub penalties: Vec<PenaltyExposure>,
    pub exposure: Exposure,
}

/// One condition of a rule and what it came to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Which clause: `in force`, `applies to`, `when`, `unless`, `exception`, `due`, `done when`, `breached when`, `kept for`.
    pub clause: String,
    /// The condition as written in the policy.
    pub condition: String,
    /// `true`, `false`, `unknown`, or a value such as a date.
    pub outcome: String,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub facts: Vec<FactValue>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactValue {
    pub fact: String,
    /// The value as the case gave it, `null`, or `unknown`.
    pub value: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PenaltyExposure {
    pub penalty: String,
    pub citations: Vec<String>,
    /// The dated version applied (the one in force on `breach_date`), if the penalty has versions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<String>,
    /// The date of the breach, which decides the version.
    pub breach_date: NaiveDate,
    pub sanctions: Vec<SanctionExposure>,
}

/// Whether a sanction's own condition holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    Applies,
    DoesNotApply,
    /// Its condition reads facts the case leaves out.
    Possible,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SanctionExposure {
    pub sanction: SanctionKind,
    pub description: String,
    pub likelihood: Likelihood,
    /// The authority may impose it but need not: never counted as certain.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub discretionary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

/// A range of fines in CNY: `min` is certain, `max` is possible.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FineRange {
    pub min: i64,
    pub max: i64,
}

impl FineRange {
    pub fn is_zero(self) -> bool {
        self.max == 0 && self.min == 0
    }

    fn add(&mut self, other: FineRange) {
        self.min = self.min.saturating_add(other.min);
        self.max = self.max.saturating_add(other.max);
    }
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exposure {
    pub entity: FineRange,
    pub person_in_charge: FineRange,
    pub individual: FineRange,
}

impl Exposure {
    pub fn add(&mut self, other: &Exposure) {
        self.entity.add(other.entity);
        self.person_in_charge.add(other.person_in_charge);
        self.individual.add(other.individual);
    }

    /// Keeps, for each party, the larger of the two ranges.
    pub fn max_with(&mut self, other: &Exposure) {
        for (mine, theirs) in [
            (&mut self.entity, other.entity),
            (&mut self.person_in_charge, other.person_in_charge),
            (&mut self.individual, other.individual),
        ] {
            mine.min = mine.min.max(theirs.min);
            mine.max = mine.max.max(theirs.max);
        }
    }

    pub fn range_mut(&mut self, party: LiableParty) -> &mut FineRange {
        match party {
            LiableParty::Entity => &mut self.entity,
            LiableParty::PersonInCharge => &mut self.person_in_charge,
            LiableParty::Individual => &mut self.individual,
        }
    }

    pub fn is_zero(&self) -> bool {
        self.entity.is_zero() && self.person_in_charge.is_zero() && self.individual.is_zero()
    }
}
