//! Penalties and review notes as the catalogue shows them, read from the
//! files' syntax trees: they keep what the checked program drops (where
//! each tier and note is written, and which sanctions a `one of` groups).

use chrono::NaiveDate;
use serde::Serialize;

use crate::source::{Source, Span, Spanned};
use crate::syntax::ast::{PenaltyBody, PenaltyDecl, Review, Sanction};

/// One penalty.
#[derive(Debug, Clone, Serialize)]
pub struct PenaltyEntry {
    /// The penalty's name.
    pub name: String,
    /// Its description.
    pub description: Option<String>,
    /// Its citations.
    pub citations: Vec<String>,
    /// Notes on the penalty as a whole.
    pub notes: Vec<NoteEntry>,
    /// Its versions; one, without label or date, when it has none.
    pub versions: Vec<VersionEntry>,
    /// The policy file it is in.
    pub file: String,
    /// The line it starts on.
    pub line: usize,
}

/// One dated version of a penalty.
#[derive(Debug, Clone, Serialize)]
pub struct VersionEntry {
    /// The version's label.
    pub label: Option<String>,
    /// In force from.
    pub from: Option<NaiveDate>,
    /// The version's own citations.
    pub citations: Vec<String>,
    /// Notes on this version.
    pub notes: Vec<NoteEntry>,
    /// The statute's scale: the first step (sanctions outside any tier, when
    /// there are any), then each tier in order.
    pub steps: Vec<StepEntry>,
    /// The line it starts on (the penalty's, when unversioned).
    pub line: usize,
}

/// A step of a penalty's scale: its first step, or a tier.
#[derive(Debug, Clone, Serialize)]
pub struct StepEntry {
    /// The tier's name; none for the first step, imposed whenever the penalty is.
    pub tier: Option<String>,
    /// The tier's condition, as written.
    pub condition: Option<String>,
    /// Notes on the tier.
    pub notes: Vec<NoteEntry>,
    /// Its sanctions, single or grouped as the regulator's options.
    pub groups: Vec<SanctionGroup>,
    /// The line the tier starts on (the version's, for the first step).
    pub line: usize,
}

/// Sanctions the regulator imposes together, or a `one of` group.
#[derive(Debug, Clone, Serialize)]
pub struct SanctionGroup {
    /// `one of { ... }`: the regulator imposes one of the sanctions.
    pub one_of: bool,
    /// The regulator may impose them but need not (`may`, `may order one of`).
    pub discretionary: bool,
    /// The sanctions (one, unless `one_of`).
    pub sanctions: Vec<SanctionEntry>,
}

/// One sanction.
#[derive(Debug, Clone, Serialize)]
pub struct SanctionEntry {
    /// The sanction in words, e.g. `fine 50,000 to 500,000 CNY on the entity`.
    pub text: String,
    /// The authority may impose it but need not.
    pub discretionary: bool,
    /// The condition under which it applies, as written.
    pub condition: Option<String>,
}

/// A `review` note: a caveat a lawyer must check.
#[derive(Debug, Clone, Serialize)]
pub struct NoteEntry {
    /// What to check.
    pub text: String,
    /// When the note applies, as written.
    pub condition: Option<String>,
    /// The citations of the rule or penalty it stands in.
    pub citations: Vec<String>,
    /// The policy file it is in.
    pub file: String,
    /// Its line.
    pub line: usize,
}

/// An expression or clause as written, on one line.
pub(super) fn written(source: &Source, span: Span) -> String {
    source
        .slice(span)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn line(source: &Source, span: Span) -> usize {
    source.line_col(span.start).0
}

/// The notes written in one place.
pub(super) fn notes<'a>(
    source: &Source,
    reviews: impl IntoIterator<Item = (Span, &'a Review)>,
    citations: &[String],
) -> Vec<NoteEntry> {
    reviews
        .into_iter()
        .map(|(span, review)| NoteEntry {
            text: review.text.clone(),
            condition: review.condition.as_ref().map(|c| written(source, c.span)),
            citations: citations.to_vec(),
            file: source.name.to_string(),
            line: line(source, span),
        })
        .collect()
}

fn spanned_notes(source: &Source, reviews: &[Spanned<Review>], cites: &[String]) -> Vec<NoteEntry> {
    notes(source, reviews.iter().map(|r| (r.span, &r.node)), cites)
}

/// A penalty as written in `source`.
pub(super) fn entry(source: &Source, decl: &PenaltyDecl) -> PenaltyEntry {
    let citations: Vec<String> = decl.cites.iter().map(|c| c.node.clone()).collect();
    let start = line(source, decl.name.span);
    let (notes, versions) = if decl.versions.is_empty() {
        let version = version(source, &decl.body, &citations, start);
        (Vec::new(), vec![version])
    } else {
        let versions = decl
            .versions
            .iter()
            .map(|v| {
                let mut cites = citations.clone();
                cites.extend(v.node.cites.iter().map(|c| c.node.clone()));
                VersionEntry {
                    label: Some(v.node.label.clone()),
                    from: Some(v.node.from),
                    citations: v.node.cites.iter().map(|c| c.node.clone()).collect(),
                    ..version(source, &v.node.body, &cites, line(source, v.span))
                }
            })
            .collect();
        (
            spanned_notes(source, &decl.body.reviews, &citations),
            versions,
        )
    };
    PenaltyEntry {
        name: decl.name.node.clone(),
        description: decl.doc.as_ref().map(|d| d.node.clone()),
        citations,
        notes,
        versions,
        file: source.name.to_string(),
        line: start,
    }
}

fn version(source: &Source, body: &PenaltyBody, cites: &[String], start: usize) -> VersionEntry {
    let mut steps = Vec::new();
    if !body.sanctions.is_empty() {
        steps.push(StepEntry {
            tier: None,
            condition: None,
            notes: Vec::new(),
            groups: groups(source, &body.sanctions),
            line: start,
        });
    }
    for tier in &body.tiers {
        steps.push(StepEntry {
            tier: Some(tier.node.name.clone()),
            condition: tier
                .node
                .condition
                .as_ref()
                .map(|c| written(source, c.span)),
            notes: spanned_notes(source, &tier.node.reviews, cites),
            groups: groups(source, &tier.node.sanctions),
            line: line(source, tier.span),
        });
    }
    VersionEntry {
        label: None,
        from: None,
        citations: Vec::new(),
        notes: spanned_notes(source, &body.reviews, cites),
        steps,
        line: start,
    }
}

/// Sanctions in order, the members of each `one of` gathered in one group.
fn groups(source: &Source, sanctions: &[Spanned<Sanction>]) -> Vec<SanctionGroup> {
    let mut out: Vec<(Option<u32>, SanctionGroup)> = Vec::new();
    for s in sanctions {
        let entry = SanctionEntry {
            text: crate::eval::penalties::describe(&s.node.kind),
            discretionary: s.node.discretionary,
            condition: s.node.condition.as_ref().map(|c| written(source, c.span)),
        };
        match (s.node.choice, out.last_mut()) {
            (Some(choice), Some((Some(last), group))) if *last == choice => {
                group.sanctions.push(entry);
            }
            (choice, _) => out.push((
                choice,
                SanctionGroup {
                    one_of: choice.is_some(),
                    discretionary: entry.discretionary,
                    sanctions: vec![entry],
                },
            )),
        }
    }
    out.into_iter().map(|(_, g)| g).collect()
}

/// A sanction in words: `may impose` first when discretionary, its condition after.
pub(super) fn sanction_text(s: &SanctionEntry) -> String {
    let mut out = if s.discretionary {
        format!("may impose: {}", s.text)
    } else {
        s.text.clone()
    };
    if let Some(c) = &s.condition {
        out.push_str(&format!(" — when {c}"));
    }
    out
}

/// The words introducing a group's options.
pub(super) fn group_heading(group: &SanctionGroup) -> &'static str {
    if group.discretionary {
        "may impose one of, or none (the regulator's options):"
    } else {
        "one of (the regulator chooses):"
    }
}

/// A step's heading: `Tier “name”`, with its condition, or the first step.
pub(super) fn step_heading(step: &StepEntry) -> (String, Option<&str>) {
    match &step.tier {
        Some(name) => (format!("Tier “{name}”"), step.condition.as_deref()),
        None => ("Whenever the penalty applies".to_string(), None),
    }
}
