//! A decision written as JSON: exactly what serialising its report writes
//! (a test holds the two to the same bytes), borrowing every string from the
//! policy and the case instead of building the report first.

use std::fmt::{self, Display, Formatter};

use chrono::NaiveDate;
use serde::ser::{SerializeSeq, SerializeStruct};
use serde::{Serialize, Serializer};

use super::decision::{
    Basis, Decision, Entry, Exempted, NoVersion, NoteRecord, PenaltyRecord, StepKind, StepOutcome,
    part,
};
use super::expr::ShowValue;
use super::penalties::Describe;
use crate::case::Slot;
use crate::check::ir::{FactId, Program, RegulationInfo};
use crate::report::model::Explain;

impl Serialize for Decision<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut report = serializer.serialize_struct("Report", 5)?;
        report.serialize_field("as_of", &self.as_of)?;
        report.serialize_field("regulations", &Regulations(self))?;
        report.serialize_field("findings", &Findings(self))?;
        report.serialize_field("totals", &self.totals)?;
        report.serialize_field("unknown_facts", &FactNames(self, &self.unknown_facts))?;
        if self.explain != Explain::All {
            report.serialize_field("explain", &self.explain)?;
        }
        report.end()
    }
}

struct Regulations<'d>(&'d Decision<'d>);

impl Serialize for Regulations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let mut seq = serializer.serialize_seq(Some(decision.program.regulations.len()))?;
        for r in &decision.program.regulations {
            seq.serialize_element(&RegulationView {
                id: &r.id,
                title: r.title(),
                other_titles: OtherTitles(r),
                status: r.status,
                effective: r.effective,
                in_force: super::in_force(r.status, r.effective, r.repealed, decision.as_of),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct RegulationView<'a> {
    id: &'a str,
    title: &'a str,
    other_titles: OtherTitles<'a>,
    status: crate::syntax::ast::RegulationStatus,
    effective: Option<NaiveDate>,
    in_force: bool,
}

struct OtherTitles<'a>(&'a RegulationInfo);

impl Serialize for OtherTitles<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct LanguageTitle<'a> {
            language: &'a str,
            title: &'a str,
        }
        serializer.collect_seq(
            self.0
                .other_titles()
                .map(|(language, title)| LanguageTitle { language, title }),
        )
    }
}

struct Findings<'d>(&'d Decision<'d>);

impl Serialize for Findings<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let mut seq = serializer.serialize_seq(Some(decision.entries.len()))?;
        for entry in &decision.entries {
            seq.serialize_element(&FindingView { decision, entry })?;
        }
        seq.end()
    }
}

struct FactNames<'d>(&'d Decision<'d>, &'d [FactId]);

impl Serialize for FactNames<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let facts = &self.0.program.facts;
        serializer.collect_seq(self.1.iter().map(|&id| facts[id as usize].path.as_ref()))
    }
}

struct FindingView<'d> {
    decision: &'d Decision<'d>,
    entry: &'d Entry<'d>,
}

impl Serialize for FindingView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let (decision, entry) = (self.decision, self.entry);
        let program = decision.program;
        let rule = &program.rules[entry.rule as usize];
        let regulation = &program.regulations[rule.regulation as usize];
        let mut s = serializer.serialize_struct("Finding", 20)?;
        s.serialize_field("rule", rule.id.as_ref())?;
        s.serialize_field("regulation", regulation.id.as_ref())?;
        s.serialize_field("regulation_status", &regulation.status)?;
        s.serialize_field("citations", rule.cites.as_ref())?;
        s.serialize_field("modality", &rule.modality)?;
        let terse = decision.explain == Explain::None;
        if !terse && !rule.action.is_empty() {
            s.serialize_field("action", rule.action.as_ref())?;
        }
        s.serialize_field("status", &entry.status)?;
        if !terse {
            s.serialize_field("summary", &Text(&decision.sentence(entry)))?;
        }
        if let Some(due) = &entry.due {
            s.serialize_field("due", due)?;
        }
        if let Some(done_on) = &entry.done_on {
            s.serialize_field("done_on", done_on)?;
        }
        if let Some(days) = &entry.days_left {
            s.serialize_field("days_left", days)?;
        }
        if let Some(days) = &entry.days_overdue {
            s.serialize_field("days_overdue", days)?;
        }
        if let Some(days) = &entry.outstanding {
            s.serialize_field("days_outstanding", days)?;
        }
        if let Some(exemption) = entry.exempted_by {
            s.serialize_field("exempted_by", &Text(&Exempted(program, exemption)))?;
        }
        let depends = part(&decision.unknown, entry.depends);
        if !depends.is_empty() {
            s.serialize_field("depends_on", &FactNames(decision, depends))?;
        }
        if decision.shown_steps(entry).next().is_some() {
            s.serialize_field("explanation", &Steps { decision, entry })?;
        }
        let penalties = part(&decision.penalties, entry.penalties);
        if !penalties.is_empty() {
            s.serialize_field(
                "penalties",
                &Penalties {
                    decision,
                    penalties,
                },
            )?;
        }
        if !matches!(entry.basis, Basis::None) {
            s.serialize_field("breach_basis", &Text(&entry.basis))?;
        }
        s.serialize_field("exposure", &entry.exposure)?;
        let notes = part(&decision.notes, entry.notes);
        if !notes.is_empty() {
            s.serialize_field("review_notes", &Notes(program, notes))?;
        }
        s.end()
    }
}

struct Notes<'d>(&'d Program, &'d [NoteRecord<'d>]);

impl Serialize for Notes<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let program = self.0;
        serializer.collect_seq(self.1.iter().map(|note| {
            NoteView {
                text: note.text,
                about: note.about,
                penalty: note
                    .penalty
                    .map(|p| program.penalties[p as usize].name.as_str()),
                tier: note.tier.map(|t| t.as_ref()),
                condition: note.condition.map(|c| c.text.as_ref()),
                condition_unknown: note.unknown,
            }
        }))
    }
}

// The shape of `ReviewNote`, borrowed.
#[derive(Serialize)]
struct NoteView<'a> {
    text: &'a str,
    about: crate::report::model::NoteAbout,
    #[serde(skip_serializing_if = "Option::is_none")]
    penalty: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    condition_unknown: bool,
}

/// Anything displayable, serialised as a string without building one.
struct Text<'a, T: Display>(&'a T);

impl<T: Display> Serialize for Text<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self.0)
    }
}

struct Steps<'d> {
    decision: &'d Decision<'d>,
    entry: &'d Entry<'d>,
}

impl Serialize for Steps<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.decision;
        let program = decision.program;
        let mut seq = serializer.serialize_seq(None)?;
        for step in decision.shown_steps(self.entry) {
            let facts = match step {
                StepKind::Condition { facts, .. } => part(&decision.reads, *facts),
                _ => &[],
            };
            seq.serialize_element(&StepView {
                clause: step.clause(&program.words),
                condition: Text(&decision.synthetic_condition(self.entry, step)),
                outcome: Text(&StepOutcome(decision, step)),
                facts: FactValues(decision, facts),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct StepView<'a, C: Serialize, O: Serialize> {
    clause: &'a str,
    condition: C,
    outcome: O,
    #[serde(skip_serializing_if = "FactValues::is_empty")]
    facts: FactValues<'a>,
}

struct FactValues<'d>(&'d Decision<'d>, &'d [FactId]);

impl FactValues<'_> {
    fn is_empty(&self) -> bool {
        self.1.is_empty()
    }
}

impl Serialize for FactValues<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let decision = self.0;
        let program = decision.program;
        let mut seq = serializer.serialize_seq(Some(self.1.len()))?;
        for &id in self.1 {
            seq.serialize_element(&FactValueView {
                fact: &program.facts[id as usize].path,
                value: Text(&SlotText(program, decision.facts.slots.get(id as usize))),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct FactValueView<'a, V: Serialize> {
    fact: &'a str,
    value: V,
}

/// A fact's value as explanations show it.
struct SlotText<'a>(&'a Program, Option<&'a Slot>);

impl Display for SlotText<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> fmt::Result {
        match self.1 {
            Some(Slot::Known(value)) => ShowValue(self.0, value).fmt(f),
            Some(Slot::Null) => f.write_str(&self.0.words.null),
            _ => f.write_str(&self.0.words.unknown),
        }
    }
}

struct Penalties<'d> {
    decision: &'d Decision<'d>,
    penalties: &'d [PenaltyRecord<'d>],
}

impl Serialize for Penalties<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let program = self.decision.program;
        let mut seq = serializer.serialize_seq(Some(self.penalties.len()))?;
        for record in self.penalties {
            let penalty = &program.penalties[record.penalty as usize];
            let version = record
                .version
                .and_then(|v| penalty.versions.get(v as usize));
            let no_version = NoVersion(record.breach_date);
            seq.serialize_element(&PenaltyView {
                penalty: &penalty.name,
                citations: Citations(&penalty.cites, version.map(|v| v.cites.as_slice())),
                version: match version {
                    Some(v) => v.label.as_deref().map(Either::Label),
                    None => Some(Either::None(Text(&no_version))),
                },
                breach_date: record.breach_date,
                arguable: record.arguable.map(|a| a.as_ref()),
                tiers: Tiers {
                    decision: self.decision,
                    tiers: version.map(|v| v.tiers.as_slice()).unwrap_or_default(),
                    likelihoods: part(&self.decision.likelihoods, record.tiers),
                    reads: part(&self.decision.tier_reads, record.tiers),
                },
                sanctions: Sanctions {
                    version,
                    likelihoods: part(&self.decision.likelihoods, record.sanctions),
                },
            })?;
        }
        seq.end()
    }
}

// The shape of `PenaltyExposure` and `SanctionExposure`, borrowed.

#[derive(Serialize)]
struct PenaltyView<'a> {
    penalty: &'a str,
    citations: Citations<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    version: Option<Either<'a>>,
    breach_date: NaiveDate,
    #[serde(skip_serializing_if = "Option::is_none")]
    arguable: Option<&'a str>,
    #[serde(skip_serializing_if = "Tiers::is_empty")]
    tiers: Tiers<'a>,
    sanctions: Sanctions<'a>,
}

struct Tiers<'a> {
    decision: &'a Decision<'a>,
    tiers: &'a [crate::check::ir::TierInfo],
    likelihoods: &'a [crate::report::model::Likelihood],
    reads: &'a [super::decision::Slice],
}

impl Tiers<'_> {
    fn is_empty(&self) -> bool {
        self.tiers.is_empty()
    }
}

impl Serialize for Tiers<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.tiers.iter().zip(self.likelihoods).zip(self.reads).map(
            |((tier, l), &read)| TierView {
                name: &tier.name,
                condition: tier.condition.as_ref().map(|c| c.text.as_ref()),
                likelihood: *l,
                facts: FactValues(self.decision, self.decision.aggravation(*l, read)),
            },
        ))
    }
}

// The shape of `TierExposure`, borrowed.
#[derive(Serialize)]
struct TierView<'a> {
    name: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<&'a str>,
    likelihood: crate::report::model::Likelihood,
    #[serde(skip_serializing_if = "FactValues::is_empty")]
    facts: FactValues<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Either<'a> {
    Label(&'a str),
    None(Text<'a, NoVersion>),
}

/// A penalty's citations followed by its version's.
struct Citations<'a>(&'a [String], Option<&'a [String]>);

impl Serialize for Citations<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().chain(self.1.unwrap_or_default()))
    }
}

struct Sanctions<'a> {
    version: Option<&'a crate::check::ir::PenaltyVersionInfo>,
    likelihoods: &'a [crate::report::model::Likelihood],
}

impl Serialize for Sanctions<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.likelihoods.len()))?;
        let Some(version) = self.version else {
            return seq.end();
        };
        for (sanction, likelihood) in version.sanctions.iter().zip(self.likelihoods) {
            seq.serialize_element(&SanctionView {
                sanction: &sanction.kind,
                description: Text(&Describe(&sanction.kind)),
                likelihood: *likelihood,
                discretionary: sanction.discretionary,
                tier: sanction
                    .tier
                    .and_then(|t| version.tiers.get(t as usize))
                    .map(|t| t.name.as_ref()),
                choice: sanction.choice,
                condition: sanction.condition.as_ref().map(|c| c.text.as_ref()),
            })?;
        }
        seq.end()
    }
}

#[derive(Serialize)]
struct SanctionView<'a> {
    sanction: &'a crate::syntax::ast::SanctionKind,
    description: Text<'a, Describe<'a>>,
    likelihood: crate::report::model::Likelihood,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    discretionary: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    tier: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    choice: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    condition: Option<&'a str>,
}
