//! The policy catalogue (`deon doc`): every regulation's duties, per role,
//! as a lawyer holds them against the statute: obligations with their
//! deadlines, prohibitions, permissions and encouraged acts, with their
//! conditions, exceptions, citations, status and source line, and the
//! penalties they lead to with their versions and sanctions.
//!
//! ```
//! let policy = deon::Policy::load(["policies"])?;
//! let catalogue = deon::catalogue::Catalogue::new(&policy);
//! let markdown = catalogue.markdown("");
//! assert!(markdown.contains("## Provisions on the Administration of Security Vulnerabilities"));
//! let html = catalogue.html("");
//! assert!(html.starts_with("<!DOCTYPE html>"));
//! # Ok::<(), deon::Diagnostics>(())
//! ```

mod html;
mod markdown;
mod penalties;

pub use penalties::{
    NoteEntry, PenaltyEntry, SanctionEntry, SanctionGroup, StepEntry, VersionEntry,
};

use chrono::NaiveDate;
use serde::Serialize;

use std::collections::HashMap;

use crate::Policy;
use crate::check::ir::{DeadlineInfo, PenaltyId, Program, RuleInfo};
use crate::source::Source;
use crate::syntax::ast::{Clause, File, Item, Modality, PenaltyDecl, RegulationStatus, RuleDecl};

/// Every regulation of a policy set, as the catalogue shows it.
#[derive(Debug, Clone, Serialize)]
pub struct Catalogue {
    /// The regulations, in declaration order.
    pub regulations: Vec<RegulationEntry>,
}

/// One regulation: its header, its duties per role, its penalties.
#[derive(Debug, Clone, Serialize)]
pub struct RegulationEntry {
    /// The regulation's identifier.
    pub id: String,
    /// Its title.
    pub title: String,
    /// Titles in other languages: (language, title).
    pub other_titles: Vec<(String, String)>,
    /// Draft, in force or repealed.
    pub status: RegulationStatus,
    /// Issuing bodies.
    pub issuers: Vec<String>,
    /// Date of issue.
    pub issued: Option<NaiveDate>,
    /// Date it takes effect.
    pub effective: Option<NaiveDate>,
    /// Date it was repealed.
    pub repealed: Option<NaiveDate>,
    /// Document number.
    pub source: Option<String>,
    /// Duties grouped by the role they bind (a rule binding several roles
    /// appears under each); `everyone` for rules without roles.
    pub roles: Vec<RoleEntry>,
    /// The penalties the regulation's rules lead to.
    pub penalties: Vec<PenaltyEntry>,
}

/// The rules binding one role.
#[derive(Debug, Clone, Serialize)]
pub struct RoleEntry {
    /// The role's name, or `everyone`.
    pub name: String,
    /// The role's description.
    pub description: Option<String>,
    /// Its rules, in declaration order.
    pub rules: Vec<RuleEntry>,
}

/// A rule's link to a penalty.
#[derive(Debug, Clone, Serialize)]
pub struct LinkEntry {
    /// The penalty's name.
    pub penalty: String,
    /// Why the link is arguable, when it is (`penalty p arguable "..."`).
    pub arguable: Option<String>,
    /// The line the link is written on.
    pub line: usize,
}

/// One rule.
#[derive(Debug, Clone, Serialize)]
pub struct RuleEntry {
    /// The rule's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Must, must not, may or should.
    pub modality: Modality,
    /// The act.
    pub action: String,
    /// When the act is due, as written.
    pub deadline: Option<String>,
    /// The `when` conditions, as written.
    pub conditions: Vec<String>,
    /// The `unless` conditions, and `rule <name>` for each exception to it.
    pub exceptions: Vec<String>,
    /// Its citations.
    pub citations: Vec<String>,
    /// The rule's own dates, as written (`effective from …`, `until …`).
    pub dates: Vec<String>,
    /// The penalties it leads to.
    pub penalties: Vec<LinkEntry>,
    /// Its `review` notes.
    pub notes: Vec<NoteEntry>,
    /// The policy file it is in.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
}

impl Catalogue {
    /// The catalogue of a checked policy set.
    pub fn new(policy: &Policy) -> Catalogue {
        let program = &policy.program;
        let files: Vec<Option<File>> = program
            .sources
            .iter()
            .map(|s| crate::syntax::parse_file(s).ok())
            .collect();
        let written = Written::new(&program.sources, &files);
        let regulations = program
            .regulations
            .iter()
            .enumerate()
            .map(|(index, reg)| {
                let rules: Vec<&RuleInfo> = program
                    .rules
                    .iter()
                    .filter(|r| r.regulation as usize == index)
                    .collect();
                let mut penalty_ids: Vec<PenaltyId> = Vec::new();
                for rule in &rules {
                    for &p in &rule.penalties {
                        if !penalty_ids.contains(&p) {
                            penalty_ids.push(p);
                        }
                    }
                }
                RegulationEntry {
                    id: reg.id.to_string(),
                    title: reg.title().to_string(),
                    other_titles: reg
                        .titles
                        .iter()
                        .filter_map(|(l, t)| Some((l.clone()?, t.clone())))
                        .collect(),
                    status: reg.status,
                    issuers: reg.issuers.clone(),
                    issued: reg.issued,
                    effective: reg.effective,
                    repealed: reg.repealed,
                    source: reg.source.clone(),
                    roles: roles(program, &written, &rules),
                    penalties: penalty_ids
                        .into_iter()
                        .filter_map(|id| program.penalties.get(id as usize))
                        .filter_map(|p| written.penalties.get(p.name.as_str()))
                        .map(|(source, decl)| penalties::entry(source, decl))
                        .collect(),
                }
            })
            .collect();
        Catalogue { regulations }
    }

    /// The catalogue as Markdown. Links to source lines are `link_base`
    /// followed by the policy file's path and `#L<line>`.
    pub fn markdown(&self, link_base: &str) -> String {
        markdown::render(self, link_base)
    }

    /// The catalogue as one self-contained HTML page, with a table of
    /// contents and a print stylesheet; every string is escaped.
    pub fn html(&self, link_base: &str) -> String {
        html::render(self, link_base)
    }
}

/// Each rule's and penalty's syntax tree, by name, with its file.
struct Written<'a> {
    rules: HashMap<&'a str, (&'a Source, &'a RuleDecl)>,
    penalties: HashMap<&'a str, (&'a Source, &'a PenaltyDecl)>,
}

impl<'a> Written<'a> {
    fn new(sources: &'a [Source], files: &'a [Option<File>]) -> Written<'a> {
        let mut written = Written {
            rules: HashMap::new(),
            penalties: HashMap::new(),
        };
        for (source, file) in sources.iter().zip(files) {
            for item in file.iter().flat_map(|f| &f.items) {
                match item {
                    Item::Rule(r) => {
                        written.rules.insert(r.name.node.as_str(), (source, r));
                    }
                    Item::Penalty(p) => {
                        written.penalties.insert(p.name.node.as_str(), (source, p));
                    }
                    _ => {}
                }
            }
        }
        written
    }
}

fn roles(program: &Program, written: &Written<'_>, rules: &[&RuleInfo]) -> Vec<RoleEntry> {
    let mut groups: Vec<RoleEntry> = Vec::new();
    for rule in rules {
        let names: Vec<(String, Option<String>)> = if rule.roles.is_empty() {
            vec![("everyone".to_string(), None)]
        } else {
            rule.roles
                .iter()
                .filter_map(|&id| program.roles.get(id as usize))
                .map(|r| (r.name.clone(), r.doc.clone()))
                .collect()
        };
        let entry = rule_entry(program, written, rule);
        for (name, description) in names {
            match groups.iter_mut().find(|g| g.name == name) {
                Some(group) => group.rules.push(entry.clone()),
                None => groups.push(RoleEntry {
                    name,
                    description,
                    rules: vec![entry.clone()],
                }),
            }
        }
    }
    groups
}

fn rule_entry(program: &Program, written: &Written<'_>, rule: &RuleInfo) -> RuleEntry {
    let source = program.sources.get(rule.file as usize);
    let mut exceptions: Vec<String> = rule.unless.iter().map(|u| u.text.to_string()).collect();
    let id = program.rules.iter().position(|r| r.id == rule.id);
    for &e in id
        .and_then(|id| program.exceptions.get(id))
        .into_iter()
        .flatten()
    {
        if let Some(other) = program.rules.get(e as usize) {
            exceptions.push(format!("rule {}", other.id));
        }
    }
    let line = source.map_or(0, |s| s.line_col(rule.span.start).0);
    let mut dates = Vec::new();
    dates.extend(rule.effective.map(|d| format!("effective from {d}")));
    dates.extend(rule.until.map(|d| format!("until {d}")));
    RuleEntry {
        name: rule.id.to_string(),
        description: rule.doc.clone(),
        modality: rule.modality,
        action: rule.action.to_string(),
        deadline: deadline(rule),
        conditions: rule
            .trigger
            .iter()
            .map(|t| format!("from {}", &*t.text))
            .chain(rule.when.iter().map(|w| w.text.to_string()))
            .collect(),
        exceptions,
        citations: rule.cites.to_vec(),
        dates,
        penalties: rule
            .penalties
            .iter()
            .zip(
                rule.arguable
                    .iter()
                    .map(Some)
                    .chain(std::iter::repeat(None)),
            )
            .filter_map(|(&p, arguable)| {
                let penalty = program.penalties.get(p as usize)?.name.clone();
                Some(LinkEntry {
                    line: link_line(written, rule, &penalty).unwrap_or(line),
                    penalty,
                    arguable: arguable.and_then(Option::as_ref).map(|a| a.to_string()),
                })
            })
            .collect(),
        notes: written
            .rules
            .get(rule.id.as_ref())
            .map(|(source, decl)| {
                let reviews = decl.clauses.iter().filter_map(|c| match &c.node {
                    Clause::Review(review) => Some((c.span, review)),
                    _ => None,
                });
                penalties::notes(source, reviews, &rule.cites)
            })
            .unwrap_or_default(),
        file: source.map_or(String::new(), |s| s.name.to_string()),
        line,
    }
}

/// The line a rule's link to a penalty is written on.
fn link_line(written: &Written<'_>, rule: &RuleInfo, penalty: &str) -> Option<usize> {
    let (source, decl) = written.rules.get(rule.id.as_ref())?;
    decl.clauses.iter().find_map(|c| match &c.node {
        Clause::Penalties(links) => links
            .iter()
            .find(|l| l.penalty.node == penalty)
            .map(|l| penalties::line(source, l.penalty.span)),
        _ => None,
    })
}

fn deadline(rule: &RuleInfo) -> Option<String> {
    let text = match rule.deadline.as_ref()? {
        DeadlineInfo::Within { period, of } => format!("within {period} of {}", of.text),
        DeadlineInfo::Before { period, date } => format!("{period} before {}", date.text),
        DeadlineInfo::By(date) => format!("by {}", date.text),
        DeadlineInfo::StrictlyBefore(date) => format!("before {}", date.text),
        DeadlineInfo::AtLeastFor(period) => format!("for at least {period}"),
        DeadlineInfo::Judgement(j, None) => j.words().to_string(),
        DeadlineInfo::Judgement(j, Some(after)) => format!("{} after {}", j.words(), after.text),
    };
    Some(if rule.rolls_over_holidays {
        format!("{text} (rolls over holidays)")
    } else {
        text
    })
}

/// The regulation's status in words, with its dates.
fn status_line(reg: &RegulationEntry) -> String {
    let mut out = reg.status.label().to_string();
    match reg.status {
        RegulationStatus::Draft => {}
        _ => {
            if let Some(from) = reg.effective {
                out.push_str(&format!(" from {from}"));
            }
        }
    }
    if let Some(repealed) = reg.repealed {
        out.push_str(&format!(", repealed on {repealed}"));
    }
    out
}

/// The heading of each modality's section, in the order shown.
const SECTIONS: [(Modality, &str); 4] = [
    (Modality::Must, "Obligations"),
    (Modality::MustNot, "Prohibitions"),
    (Modality::May, "Permissions"),
    (Modality::Should, "Encouraged acts"),
];

/// An anchor for a heading: the parts joined with `-`, kept to letters,
/// digits, `-` and `_`.
fn anchor(parts: &[&str]) -> String {
    parts
        .join("-")
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}
