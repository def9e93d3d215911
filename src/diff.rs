//! What changed between two policy sets, or in one set between two dates,
//! in the terms a lawyer reads: duties added or removed, deadlines and
//! modalities changed, penalty ranges changed, each with its citation.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::check::ir::{DeadlineInfo, PenaltyInfo, Program, RuleInfo, SanctionInfo};
use crate::eval::penalties::describe;
use crate::syntax::ast::{Modality, RegulationStatus, SanctionKind};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    RuleAdded,
    RuleRemoved,
    ModalityChanged,
    ActChanged,
    DeadlineChanged,
    ConditionsChanged,
    CitationChanged,
    PenaltiesChanged,
    PenaltyAdded,
    PenaltyRemoved,
    SanctionAdded,
    SanctionRemoved,
    SanctionChanged,
}

/// One change, with where it comes from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub kind: ChangeKind,
    /// The rule or penalty concerned.
    pub subject: String,
    pub citations: Vec<String>,
    /// One sentence a lawyer can read.
    pub summary: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffReport {
    pub from: String,
    pub to: String,
    pub changes: Vec<Change>,
}

/// The view of a policy set at a date: which rules bind, which penalty versions apply.
struct View<'p> {
    program: &'p Program,
    /// `None`: every rule and the latest penalty versions, whatever their dates.
    on: Option<NaiveDate>,
}

impl View<'_> {
    fn rule_in_force(&self, rule: &RuleInfo) -> bool {
        let Some(on) = self.on else { return true };
        let regulation = &self.program.regulations[rule.regulation as usize];
        let regulation_binds = regulation.status != RegulationStatus::Draft
            && regulation.effective.is_some_and(|e| e <= on)
            && regulation.repealed.is_none_or(|r| on < r);
        regulation_binds
            && rule.effective.is_none_or(|e| e <= on)
            && rule.until.is_none_or(|u| on < u)
    }

    fn sanctions<'a>(
        &self,
        penalty: &'a PenaltyInfo,
    ) -> (Option<String>, Vec<&'a SanctionInfo>, Vec<String>) {
        let version = match self.on {
            Some(on) => penalty.version_on(on),
            None => penalty.versions.last(),
        };
        match version {
            Some(v) => {
                let mut cites = penalty.cites.clone();
                cites.extend(v.cites.iter().cloned());
                (v.label.clone(), v.sanctions.iter().collect(), cites)
            }
            None => (None, Vec::new(), penalty.cites.clone()),
        }
    }
}

fn modality_noun(m: Modality) -> &'static str {
    match m {
        Modality::Must => "obligation",
        Modality::MustNot => "prohibition",
        Modality::May => "permission",
        Modality::Should => "encouraged act",
    }
}

fn deadline_text(rule: &RuleInfo) -> String {
    match &rule.deadline {
        None => "no deadline".into(),
        Some(DeadlineInfo::Within { period, of }) => format!("within {period} of {}", of.text),
        Some(DeadlineInfo::Before { period, date }) => format!("{period} before {}", date.text),
        Some(DeadlineInfo::By(d)) => format!("by {}", d.text),
        Some(DeadlineInfo::StrictlyBefore(d)) => format!("before {}", d.text),
        Some(DeadlineInfo::AtLeastFor(p)) => format!("for at least {p}"),
        Some(DeadlineInfo::Judgement(j, _)) => j.words().to_string(),
    }
}

fn conditions_text(program: &Program, rule: &RuleInfo) -> String {
    let mut parts: Vec<String> = rule
        .roles
        .iter()
        .map(|&r| format!("applies to {}", program.roles[r as usize].name))
        .collect();
    parts.extend(rule.when.iter().map(|w| format!("when {}", w.text)));
    parts.extend(rule.unless.iter().map(|u| format!("unless {}", u.text)));
    if parts.is_empty() {
        "binds everyone, always".into()
    } else {
        parts.join("; ")
    }
}

fn sanction_key(s: &SanctionInfo) -> String {
    let kind = match &s.kind {
        SanctionKind::Fine { on, .. } => format!("fine on {}", on.label()),
        SanctionKind::Detention { on, .. } => format!("detention for {}", on.label()),
        SanctionKind::BanFromKeyPositions { on, .. } => format!("ban for {}", on.label()),
        other => describe(other),
    };
    format!(
        "{kind} when {}",
        s.condition.as_ref().map_or("always", |c| c.text.as_ref())
    )
}

fn sanction_text(s: &SanctionInfo) -> String {
    let may = if s.discretionary { "may: " } else { "" };
    match &s.condition {
        Some(c) => format!("{may}{} when {}", describe(&s.kind), c.text),
        None => format!("{may}{}", describe(&s.kind)),
    }
}

fn compare(old: &View<'_>, new: &View<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    let binding = |view: &View<'_>, id: &str| {
        view.program
            .rules
            .iter()
            .find(|r| r.id == id && view.rule_in_force(r))
            .cloned()
    };
    let mut ids: Vec<&str> = old
        .program
        .rules
        .iter()
        .chain(new.program.rules.iter())
        .map(|r| r.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        match (binding(old, id), binding(new, id)) {
            (None, Some(r)) => changes.push(Change {
                kind: ChangeKind::RuleAdded,
                subject: r.id.clone(),
                citations: r.cites.clone(),
                summary: format!(
                    "new {}: {} \"{}\" ({})",
                    modality_noun(r.modality),
                    r.modality.keyword(),
                    r.action,
                    deadline_text(&r)
                ),
                before: None,
                after: Some(conditions_text(new.program, &r)),
            }),
            (Some(r), None) => changes.push(Change {
                kind: ChangeKind::RuleRemoved,
                subject: r.id.clone(),
                citations: r.cites.clone(),
                summary: format!(
                    "{} no longer binds: {} \"{}\"",
                    modality_noun(r.modality),
                    r.modality.keyword(),
                    r.action
                ),
                before: Some(conditions_text(old.program, &r)),
                after: None,
            }),
            (Some(a), Some(b)) => {
                let mut push = |kind, summary: String, before: String, after: String| {
                    if before != after {
                        changes.push(Change {
                            kind,
                            subject: b.id.clone(),
                            citations: b.cites.clone(),
                            summary,
                            before: Some(before),
                            after: Some(after),
                        });
                    }
                };
                push(
                    ChangeKind::ModalityChanged,
                    format!("now a {}", modality_noun(b.modality)),
                    a.modality.keyword().into(),
                    b.modality.keyword().into(),
                );
                push(
                    ChangeKind::ActChanged,
                    "the act required changed".into(),
                    a.action.clone(),
                    b.action.clone(),
                );
                push(
                    ChangeKind::DeadlineChanged,
                    "the deadline changed".into(),
                    deadline_text(&a),
                    deadline_text(&b),
                );
                push(
                    ChangeKind::ConditionsChanged,
                    "who it binds, or when, changed".into(),
                    conditions_text(old.program, &a),
                    conditions_text(new.program, &b),
                );
                push(
                    ChangeKind::CitationChanged,
                    "the citation changed".into(),
                    a.cites.join("; "),
                    b.cites.join("; "),
                );
                let names = |p: &Program, r: &RuleInfo| {
                    r.penalties
                        .iter()
                        .map(|&i| p.penalties[i as usize].name.clone())
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                push(
                    ChangeKind::PenaltiesChanged,
                    "the penalties it exposes changed".into(),
                    names(old.program, &a),
                    names(new.program, &b),
                );
            }
            (None, None) => {}
        }
    }
    let mut names: Vec<&str> = old
        .program
        .penalties
        .iter()
        .chain(new.program.penalties.iter())
        .map(|p| p.name.as_str())
        .collect();
    names.sort_unstable();
    names.dedup();
    for name in names {
        let find = |view: &View<'_>| {
            view.program
                .penalties
                .iter()
                .find(|p| p.name == name)
                .cloned()
        };
        match (find(old), find(new)) {
            (None, Some(p)) => changes.push(Change {
                kind: ChangeKind::PenaltyAdded,
                subject: p.name.clone(),
                citations: p.cites.clone(),
                summary: "new penalty".into(),
                before: None,
                after: None,
            }),
            (Some(p), None) => changes.push(Change {
                kind: ChangeKind::PenaltyRemoved,
                subject: p.name.clone(),
                citations: p.cites.clone(),
                summary: "penalty removed".into(),
                before: None,
                after: None,
            }),
            (Some(a), Some(b)) => {
                let (va, sa, _) = old.sanctions(&a);
                let (vb, sb, cites) = new.sanctions(&b);
                let version_note = match (&va, &vb) {
                    (Some(x), Some(y)) if x != y => format!(" (version \"{x}\" → \"{y}\")"),
                    _ => String::new(),
                };
                for s in &sb {
                    let key = sanction_key(s);
                    match sa.iter().find(|o| sanction_key(o) == key) {
                        None => {
                            // A fine on the same party whose condition or range moved reads as a change.
                            changes.push(Change {
                                kind: ChangeKind::SanctionAdded,
                                subject: b.name.clone(),
                                citations: cites.clone(),
                                summary: format!("sanction added{version_note}"),
                                before: None,
                                after: Some(sanction_text(s)),
                            })
                        }
                        Some(o) if sanction_text(o) != sanction_text(s) => changes.push(Change {
                            kind: ChangeKind::SanctionChanged,
                            subject: b.name.clone(),
                            citations: cites.clone(),
                            summary: format!("sanction changed{version_note}"),
                            before: Some(sanction_text(o)),
                            after: Some(sanction_text(s)),
                        }),
                        Some(_) => {}
                    }
                }
                for o in &sa {
                    let key = sanction_key(o);
                    if !sb.iter().any(|s| sanction_key(s) == key) {
                        changes.push(Change {
                            kind: ChangeKind::SanctionRemoved,
                            subject: b.name.clone(),
                            citations: cites.clone(),
                            summary: format!("sanction removed{version_note}"),
                            before: Some(sanction_text(o)),
                            after: None,
                        });
                    }
                }
            }
            (None, None) => {}
        }
    }
    changes
}

/// Changes from one policy set to another, comparing every rule and each
/// penalty's latest version.
pub fn between_sets(old: &Program, new: &Program, old_label: &str, new_label: &str) -> DiffReport {
    let changes = compare(
        &View {
            program: old,
            on: None,
        },
        &View {
            program: new,
            on: None,
        },
    );
    DiffReport {
        from: old_label.into(),
        to: new_label.into(),
        changes,
    }
}

/// Changes in one policy set between two dates: rules that start or stop
/// binding, and penalty versions that take over.
pub fn between_dates(program: &Program, from: NaiveDate, to: NaiveDate) -> DiffReport {
    let changes = compare(
        &View {
            program,
            on: Some(from),
        },
        &View {
            program,
            on: Some(to),
        },
    );
    DiffReport {
        from: from.to_string(),
        to: to.to_string(),
        changes,
    }
}

/// The changes as text.
pub fn render(report: &DiffReport) -> String {
    use std::fmt::Write as _;
    let mut out = format!("Changes from {} to {}\n", report.from, report.to);
    if report.changes.is_empty() {
        out.push_str("  no changes in duties, deadlines or penalties\n");
        return out;
    }
    for change in &report.changes {
        let _ = writeln!(
            out,
            "\n  {} — {} ({})",
            change.subject,
            change.summary,
            change.citations.join("; ")
        );
        if let Some(before) = &change.before {
            let _ = writeln!(out, "    - {before}");
        }
        if let Some(after) = &change.after {
            let _ = writeln!(out, "    + {after}");
        }
    }
    let _ = writeln!(
        out,
        "\n{} change{}",
        report.changes.len(),
        if report.changes.len() == 1 { "" } else { "s" }
    );
    out
}
