//! What a policy set declares, in full, as plain data: regulations, the fact
//! schema with its types and enum values, roles, definitions, penalties and
//! every rule with its text as written. [`Policy::declarations`] makes one.
//!
//! It is what a program needs to show a policy set to people without
//! parsing it: a form generated from the fact schema, a catalogue of rules.
//! Everything serialises (JSON field names as below); optional fields are
//! left out when empty.
//!
//! ```
//! let policy = deon::Policy::load(["policies"])?;
//! let declarations = policy.declarations();
//! let aware = declarations.facts.iter().find(|f| f.path == "vulnerability.aware_on").unwrap();
//! assert_eq!((aware.kind, aware.optional), (deon::declarations::FactKind::Date, true));
//! let rule = declarations.rules.iter().find(|r| r.id == "provider_file_with_miit").unwrap();
//! assert!(rule.text.starts_with("rule provider_file_with_miit"));
//! # Ok::<(), deon::Diagnostics>(())
//! ```
//!
//! [`Policy::declarations`]: crate::Policy::declarations

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::check::ir::{PenaltyInfo, Program, RuleInfo};
use crate::value::Base;
use crate::{Modality, RegulationStatus, SanctionKind};

/// Everything a policy set declares, each list in declaration order.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Declarations {
    /// The regulations.
    pub regulations: Vec<RegulationEntry>,
    /// The records that group facts, by dotted path.
    pub records: Vec<RecordEntry>,
    /// Every fact of the schema.
    pub facts: Vec<FactEntry>,
    /// The enums fact types name.
    pub enums: Vec<EnumEntry>,
    /// The roles rules bind.
    pub roles: Vec<RoleEntry>,
    /// The definitions (`define`).
    pub definitions: Vec<DefinitionEntry>,
    /// The penalties.
    pub penalties: Vec<PenaltyEntry>,
    /// The rules.
    pub rules: Vec<RuleEntry>,
}

/// A regulation's header.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RegulationEntry {
    /// The identifier after `regulation`.
    pub id: String,
    /// The first title without a language tag, else the first title.
    pub title: String,
    /// Every title, with its language tag if it has one.
    pub titles: Vec<Title>,
    /// The status the header declares.
    pub status: RegulationStatus,
    /// The bodies that issued it.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issuers: Vec<String>,
    /// Its jurisdiction, e.g. `CN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jurisdiction: Option<String>,
    /// The day it was issued.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<NaiveDate>,
    /// The day it took effect.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The day it was repealed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repealed: Option<NaiveDate>,
    /// Where its text is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// A regulation's title in one language.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Title {
    /// The language tag, e.g. `zh`; none for the main title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    /// The title.
    pub text: String,
}

/// A record of the fact schema: a group of facts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RecordEntry {
    /// Its dotted path, e.g. `vulnerability`.
    pub path: String,
    /// What it describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// What kind of value a fact takes, as a case writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FactKind {
    /// `true` or `false`.
    Bool,
    /// A whole number.
    Int,
    /// Text.
    Text,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A length of time, e.g. `"6 months"`.
    Duration,
    /// Whole yuan, e.g. `50000` or `"50,000 CNY"`.
    Money,
    /// One value of an enum.
    Enum,
    /// A set of values of an enum, e.g. `[product_provider]`.
    Set,
    /// A list of values of an enum.
    List,
    /// A log of records: `[{kept_from: YYYY-MM-DD, deleted_on: YYYY-MM-DD or null}]`.
    Log,
}

/// One fact of the schema.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FactEntry {
    /// Its dotted path, e.g. `vulnerability.aware_on`.
    pub path: String,
    /// Its type as a policy writes it, e.g. `date?` or `set of Role`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// The kind of value it takes.
    pub kind: FactKind,
    /// Whether a case may say `null`: the event is known not to have happened.
    pub optional: bool,
    /// For enums, sets and lists: the enum's name (see [`Declarations::enums`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enumeration: Option<String>,
    /// What the fact means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// An enum and its values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnumEntry {
    /// Its name.
    pub name: String,
    /// What it describes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Its values, in declaration order.
    pub values: Vec<EnumValue>,
}

/// One value of an enum.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct EnumValue {
    /// The value as a case writes it.
    pub name: String,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
}

/// A role and the condition that gives it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RoleEntry {
    /// Its name.
    pub name: String,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// When a party holds it, as written.
    pub condition: String,
}

/// A definition (`define`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DefinitionEntry {
    /// Its name.
    pub name: String,
    /// What it means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Its type.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Its body, as written.
    pub body: String,
}

/// A penalty, with each of its dated versions.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PenaltyEntry {
    /// Its name.
    pub name: String,
    /// What it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// Its `cite` lines.
    pub citations: Vec<String>,
    /// Its versions: one without label or date for a penalty without versions.
    pub versions: Vec<PenaltyVersion>,
}

/// One version of a penalty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PenaltyVersion {
    /// Its label.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// In force from this date until the next version's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<NaiveDate>,
    /// Its own `cite` lines, added to the penalty's.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub citations: Vec<String>,
    /// Its sanctions, in order.
    pub sanctions: Vec<SanctionEntry>,
}

/// One sanction of a penalty.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SanctionEntry {
    /// The sanction, as in reports.
    pub sanction: SanctionKind,
    /// The sanction in words.
    pub description: String,
    /// Its `when` condition, as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// Written `may ...`: the authority may impose it but need not.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub discretionary: bool,
}

/// A rule: where it comes from, what it asks, and its text as written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RuleEntry {
    /// Its name.
    pub id: String,
    /// The sentence after its name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The `id` of its regulation.
    pub regulation: String,
    /// Its `cite` lines.
    pub citations: Vec<String>,
    /// Its modality.
    pub modality: Modality,
    /// The act, as the rule states it.
    pub action: String,
    /// The roles it binds; empty means everyone.
    pub roles: Vec<String>,
    /// The penalties a breach exposes.
    pub penalties: Vec<String>,
    /// The rule it is an exception to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exception_to: Option<String>,
    /// The rule's own first day, within its regulation's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The rule's own last day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// The policy file it is in.
    pub file: String,
    /// The line its name is on (1-based).
    pub line: usize,
    /// The rule as written, from `rule` to its closing brace, dedented.
    pub text: String,
}

pub(crate) fn declarations(program: &Program) -> Declarations {
    let mut records: Vec<(u32, &str)> = program
        .record_index
        .iter()
        .filter(|(path, _)| !path.is_empty())
        .map(|(path, &id)| (id, path.as_str()))
        .collect();
    records.sort_unstable();
    Declarations {
        regulations: program
            .regulations
            .iter()
            .map(|r| RegulationEntry {
                id: r.id.to_string(),
                title: r.title().to_string(),
                titles: r
                    .titles
                    .iter()
                    .map(|(lang, text)| Title {
                        lang: lang.clone(),
                        text: text.clone(),
                    })
                    .collect(),
                status: r.status,
                issuers: r.issuers.clone(),
                jurisdiction: r.jurisdiction.clone(),
                issued: r.issued,
                effective: r.effective,
                repealed: r.repealed,
                source: r.source.clone(),
            })
            .collect(),
        records: records
            .into_iter()
            .map(|(id, path)| RecordEntry {
                path: path.to_string(),
                doc: program.records.get(id as usize).and_then(|r| r.doc.clone()),
            })
            .collect(),
        facts: program
            .facts
            .iter()
            .map(|f| {
                let (kind, enumeration) = match f.ty.base {
                    Base::Bool => (FactKind::Bool, None),
                    Base::Int => (FactKind::Int, None),
                    Base::Text => (FactKind::Text, None),
                    Base::Date => (FactKind::Date, None),
                    Base::Duration => (FactKind::Duration, None),
                    Base::Money => (FactKind::Money, None),
                    Base::Enum(e) => (FactKind::Enum, Some(e)),
                    Base::Set(e) => (FactKind::Set, Some(e)),
                    Base::List(e) => (FactKind::List, Some(e)),
                    Base::Log => (FactKind::Log, None),
                };
                FactEntry {
                    path: f.path.to_string(),
                    type_name: program.type_name(f.ty),
                    kind,
                    optional: f.ty.optional,
                    enumeration: enumeration
                        .and_then(|e| program.enums.get(e as usize))
                        .map(|e| e.name.clone()),
                    doc: f.doc.clone(),
                }
            })
            .collect(),
        enums: program
            .enums
            .iter()
            .map(|e| EnumEntry {
                name: e.name.clone(),
                doc: e.doc.clone(),
                values: e
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, name)| EnumValue {
                        name: name.clone(),
                        doc: e.docs.get(i).cloned().flatten(),
                    })
                    .collect(),
            })
            .collect(),
        roles: program
            .roles
            .iter()
            .map(|r| RoleEntry {
                name: r.name.clone(),
                doc: r.doc.clone(),
                condition: r.condition.text.to_string(),
            })
            .collect(),
        definitions: program
            .definitions
            .iter()
            .map(|d| DefinitionEntry {
                name: d.name.clone(),
                doc: d.doc.clone(),
                type_name: program.type_name(d.ty),
                body: d.body.text.to_string(),
            })
            .collect(),
        penalties: program.penalties.iter().map(penalty).collect(),
        rules: program.rules.iter().map(|r| rule(program, r)).collect(),
    }
}

fn penalty(info: &PenaltyInfo) -> PenaltyEntry {
    PenaltyEntry {
        name: info.name.clone(),
        doc: info.doc.clone(),
        citations: info.cites.clone(),
        versions: info
            .versions
            .iter()
            .map(|v| PenaltyVersion {
                label: v.label.clone(),
                from: v.from,
                citations: v.cites.clone(),
                sanctions: v
                    .sanctions
                    .iter()
                    .map(|s| SanctionEntry {
                        sanction: s.kind.clone(),
                        description: crate::eval::penalties::describe(&s.kind),
                        condition: s.condition.as_ref().map(|c| c.text.to_string()),
                        discretionary: s.discretionary,
                    })
                    .collect(),
            })
            .collect(),
    }
}

fn rule(program: &Program, info: &RuleInfo) -> RuleEntry {
    let name = |id: u32| program.rules.get(id as usize).map(|r| r.id.to_string());
    let source = program.sources.get(info.file as usize);
    RuleEntry {
        id: info.id.to_string(),
        doc: info.doc.clone(),
        regulation: program
            .regulations
            .get(info.regulation as usize)
            .map(|r| r.id.to_string())
            .unwrap_or_default(),
        citations: info.cites.to_vec(),
        modality: info.modality,
        action: info.action.to_string(),
        roles: info
            .roles
            .iter()
            .filter_map(|&r| program.roles.get(r as usize).map(|r| r.name.clone()))
            .collect(),
        penalties: info
            .penalties
            .iter()
            .filter_map(|&p| program.penalties.get(p as usize).map(|p| p.name.clone()))
            .collect(),
        exception_to: info.exception_to.and_then(name),
        effective: info.effective,
        until: info.until,
        file: source.map(|s| s.name.to_string()).unwrap_or_default(),
        line: source.map_or(0, |s| s.line_col(info.span.start).0),
        text: source
            .and_then(|s| crate::analysis::describe::declaration(s, info.span))
            .map(|text| {
                crate::analysis::describe::indented(&text, "")
                    .trim_end()
                    .to_string()
            })
            .unwrap_or_default(),
    }
}
