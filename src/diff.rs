//! What changed between two policy sets, or in one set between two dates,
//! in the terms a lawyer reads: duties added or removed, deadlines and
//! modalities changed, penalty ranges changed, each with its citation.
//!
//! [`between_sets`] compares two revisions; [`between_dates`] compares one
//! set with itself at two dates (rules that start or stop binding, penalty
//! versions that take over). [`render`] writes a [`DiffReport`] as text; it
//! also serialises as JSON (`deon diff --format json`).
//!
//! ```
//! use chrono::NaiveDate;
//!
//! // The Cybersecurity Law's 2026 amendment, as the shipped policies date it.
//! let policy = deon::Policy::load(["policies"])?;
//! let from = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
//! let to = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
//! let report = deon::diff::between_dates(&policy, from, to);
//! assert!(!report.changes.is_empty());
//! println!("{}", deon::diff::render(&report));
//! # Ok::<(), deon::Diagnostics>(())
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::Policy;
use crate::check::ir::{DeadlineInfo, PenaltyInfo, Program, RuleInfo, SanctionInfo};
use crate::eval::penalties::describe;
use crate::syntax::ast::{Modality, RegulationStatus, SanctionKind};

/// What kind of change a [`Change`] is. In JSON, the `snake_case` name.
///
/// # Examples
///
/// ```
/// use deon::diff::ChangeKind;
///
/// assert_eq!(serde_json::to_string(&ChangeKind::DeadlineChanged).unwrap(), r#""deadline_changed""#);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A rule binds that did not.
    RuleAdded,
    /// A rule no longer binds.
    RuleRemoved,
    /// A rule's modality (`must`, `must not`, `may`, `should`) changed.
    ModalityChanged,
    /// The act a rule states changed.
    ActChanged,
    /// A rule's deadline changed.
    DeadlineChanged,
    /// Who a rule binds, or when, changed: its roles, `when` or `unless`.
    ConditionsChanged,
    /// A rule's citation changed.
    CitationChanged,
    /// The penalties a rule exposes changed.
    PenaltiesChanged,
    /// A penalty was added.
    PenaltyAdded,
    /// A penalty was removed.
    PenaltyRemoved,
    /// A penalty gained a sanction.
    SanctionAdded,
    /// A penalty lost a sanction.
    SanctionRemoved,
    /// A sanction of a penalty changed, e.g. its range or its condition.
    SanctionChanged,
    /// A penalty, its version or one of its tiers gained a review note: a
    /// caveat its findings now show (an unverified figure, say).
    ReviewAdded,
    /// A penalty's review note went away.
    ReviewRemoved,
}

/// One change, with where it comes from.
///
/// # Examples
///
/// A revision shortens a deadline from five days to two:
///
/// ```
/// use deon::diff::{between_sets, ChangeKind};
///
/// # let old = deon::Policy::from_sources([("v1.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 5 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let new = deon::Policy::from_sources([("v2.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// let report = between_sets(&old, &new, "v1", "v2");
/// let change = &report.changes[0];
/// assert_eq!(change.kind, ChangeKind::DeadlineChanged);
/// assert_eq!(change.subject, "file_report");
/// assert_eq!(change.citations, ["Art. 1"]);
/// assert_eq!(change.summary, "the deadline changed");
/// assert_eq!(change.before.as_deref(), Some("within 5 days of report.received_on"));
/// assert_eq!(change.after.as_deref(), Some("within 2 days of report.received_on"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// What kind of change it is.
    pub kind: ChangeKind,
    /// The rule or penalty concerned.
    pub subject: String,
    /// The citations of the rule or penalty (as it is after the change,
    /// where it still exists).
    pub citations: Vec<String>,
    /// One sentence a lawyer can read.
    pub summary: String,
    /// What it was, in words, where that says something.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub before: Option<String>,
    /// What it is now, in words, where that says something.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub after: Option<String>,
}

/// Every change from one policy set (or date) to another.
///
/// # Examples
///
/// ```
/// # let old = deon::Policy::from_sources([("v1.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 5 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let new = deon::Policy::from_sources([("v2.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// let report = deon::diff::between_sets(&old, &new, "v1", "v2");
/// assert_eq!((report.from.as_str(), report.to.as_str()), ("v1", "v2"));
/// assert_eq!(report.changes.len(), 1);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DiffReport {
    /// The old set's label, or the earlier date.
    pub from: String,
    /// The new set's label, or the later date.
    pub to: String,
    /// The changes: rules (by name) first, then penalties (by name).
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
    ) -> (Option<String>, Vec<Placed<'a>>, Vec<String>) {
        let version = match self.on {
            Some(on) => penalty.version_on(on),
            None => penalty.versions.last(),
        };
        match version {
            Some(v) => {
                let mut cites = penalty.cites.clone();
                cites.extend(v.cites.iter().cloned());
                let placed = v
                    .sanctions
                    .iter()
                    .map(|s| Placed {
                        sanction: s,
                        tier: s
                            .tier
                            .and_then(|t| v.tiers.get(t as usize))
                            .map(|t| t.name.as_ref()),
                    })
                    .collect();
                (v.label.clone(), placed, cites)
            }
            None => (None, Vec::new(), penalty.cites.clone()),
        }
    }

    /// The review notes of a penalty as its findings would show them at
    /// this view's date: the penalty's own, its version's and its tiers'.
    fn notes(&self, penalty: &PenaltyInfo) -> Vec<String> {
        let words = |r: &crate::check::ir::ReviewInfo, tier: Option<&str>| {
            let place = tier.map_or(String::new(), |t| format!("in tier \"{t}\": "));
            let when = r
                .condition
                .as_ref()
                .map_or(String::new(), |c| format!(" (when {})", c.text.as_ref()));
            format!("{place}{}{when}", r.text)
        };
        let mut notes: Vec<String> = penalty.reviews.iter().map(|r| words(r, None)).collect();
        let version = match self.on {
            Some(on) => penalty.version_on(on),
            None => penalty.versions.last(),
        };
        if let Some(v) = version {
            notes.extend(v.reviews.iter().map(|r| words(r, None)));
            for tier in &v.tiers {
                notes.extend(tier.reviews.iter().map(|r| words(r, Some(&tier.name))));
            }
        }
        notes
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
    parts.extend(rule.trigger.iter().map(|t| format!("from {}", t.text)));
    parts.extend(rule.when.iter().map(|w| format!("when {}", w.text)));
    parts.extend(rule.unless.iter().map(|u| format!("unless {}", u.text)));
    if parts.is_empty() {
        "binds everyone, always".into()
    } else {
        parts.join("; ")
    }
}

/// A sanction and the name of the tier it sits in.
struct Placed<'a> {
    sanction: &'a SanctionInfo,
    tier: Option<&'a str>,
}

fn sanction_key(placed: &Placed<'_>) -> String {
    let s = placed.sanction;
    let kind = match &s.kind {
        SanctionKind::Fine { on, .. } => format!("fine on {}", on.label()),
        SanctionKind::Detention { on, .. } => format!("detention for {}", on.label()),
        SanctionKind::BanFromKeyPositions { on, .. } => format!("ban for {}", on.label()),
        other => describe(other),
    };
    format!(
        "{}{kind} when {}",
        Tier(placed.tier),
        s.condition.as_ref().map_or("always", |c| c.text.as_ref())
    )
}

fn sanction_text(placed: &Placed<'_>) -> String {
    let s = placed.sanction;
    let may = match (s.discretionary, s.choice.is_some()) {
        (true, true) => "may, one of: ",
        (false, true) => "one of: ",
        (true, false) => "may: ",
        (false, false) => "",
    };
    let tier = Tier(placed.tier);
    match &s.condition {
        Some(c) => format!("{tier}{may}{} when {}", describe(&s.kind), c.text),
        None => format!("{tier}{may}{}", describe(&s.kind)),
    }
}

/// `in tier "serious": `, or nothing for the first step.
struct Tier<'a>(Option<&'a str>);

impl std::fmt::Display for Tier<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            Some(name) => write!(f, "in tier \"{name}\": "),
            None => Ok(()),
        }
    }
}

fn compare(old: &View<'_>, new: &View<'_>) -> Vec<Change> {
    let mut changes = Vec::new();
    let binding = |view: &View<'_>, id: &str| {
        view.program
            .rules
            .iter()
            .find(|r| &*r.id == id && view.rule_in_force(r))
            .cloned()
    };
    let mut ids: Vec<&str> = old
        .program
        .rules
        .iter()
        .chain(new.program.rules.iter())
        .map(|r| r.id.as_ref())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        match (binding(old, id), binding(new, id)) {
            (None, Some(r)) => changes.push(Change {
                kind: ChangeKind::RuleAdded,
                subject: r.id.to_string(),
                citations: r.cites.to_vec(),
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
                subject: r.id.to_string(),
                citations: r.cites.to_vec(),
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
                            subject: b.id.to_string(),
                            citations: b.cites.to_vec(),
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
                    a.action.to_string(),
                    b.action.to_string(),
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
                let (va, sa, old_cites) = old.sanctions(&a);
                let (vb, sb, cites) = new.sanctions(&b);
                // A version taking over is a change of its own, even where the amounts stay
                // the same: the article cited (and any note in the citation) changes with it.
                if let (Some(x), Some(y)) = (&va, &vb) {
                    if x != y {
                        changes.push(Change {
                            kind: ChangeKind::CitationChanged,
                            subject: b.name.clone(),
                            citations: cites.clone(),
                            summary: format!("version \"{y}\" takes over from \"{x}\""),
                            before: Some(old_cites.join("; ")),
                            after: Some(cites.join("; ")),
                        });
                    }
                }
                for s in &sb {
                    let key = sanction_key(s);
                    match sa.iter().find(|o| sanction_key(o) == key) {
                        None => {
                            // A fine on the same party whose condition or range moved reads as a change.
                            changes.push(Change {
                                kind: ChangeKind::SanctionAdded,
                                subject: b.name.clone(),
                                citations: cites.clone(),
                                summary: "sanction added".into(),
                                before: None,
                                after: Some(sanction_text(s)),
                            })
                        }
                        Some(o) if sanction_text(o) != sanction_text(s) => changes.push(Change {
                            kind: ChangeKind::SanctionChanged,
                            subject: b.name.clone(),
                            citations: cites.clone(),
                            summary: "sanction changed".into(),
                            before: Some(sanction_text(o)),
                            after: Some(sanction_text(s)),
                        }),
                        Some(_) => {}
                    }
                }
                let (notes_before, notes_after) = (old.notes(&a), new.notes(&b));
                for note in notes_after.iter().filter(|n| !notes_before.contains(n)) {
                    changes.push(Change {
                        kind: ChangeKind::ReviewAdded,
                        subject: b.name.clone(),
                        citations: cites.clone(),
                        summary: "review note added".into(),
                        before: None,
                        after: Some(note.clone()),
                    });
                }
                for note in notes_before.iter().filter(|n| !notes_after.contains(n)) {
                    changes.push(Change {
                        kind: ChangeKind::ReviewRemoved,
                        subject: b.name.clone(),
                        citations: cites.clone(),
                        summary: "review note removed".into(),
                        before: Some(note.clone()),
                        after: None,
                    });
                }
                for o in &sa {
                    let key = sanction_key(o);
                    if !sb.iter().any(|s| sanction_key(s) == key) {
                        changes.push(Change {
                            kind: ChangeKind::SanctionRemoved,
                            subject: b.name.clone(),
                            citations: cites.clone(),
                            summary: "sanction removed".into(),
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
/// penalty's latest version. The labels name the two sets in the report.
///
/// # Examples
///
/// ```
/// # let old = deon::Policy::from_sources([("v1.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 5 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let new = deon::Policy::from_sources([("v2.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// let report = deon::diff::between_sets(&old, &new, "v1", "v2");
/// assert_eq!(report.changes[0].subject, "file_report");
/// assert!(deon::diff::between_sets(&old, &old, "v1", "v1").changes.is_empty());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn between_sets(old: &Policy, new: &Policy, old_label: &str, new_label: &str) -> DiffReport {
    let changes = compare(
        &View {
            program: old.program(),
            on: None,
        },
        &View {
            program: new.program(),
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
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use deon::diff::{between_dates, ChangeKind};
///
/// let policy = deon::Policy::from_sources([("rules.deon", r#"
///     regulation example { title "An example" status in force effective from 2026-01-01 }
///     facts { records "The records." { kept: bool "Records are kept." } }
///     rule keep_records { cite "Art. 2" must "keep records" done when records.kept }
/// "#)])?;
/// let report = between_dates(&policy, NaiveDate::from_ymd_opt(2025, 12, 31).unwrap(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
/// assert_eq!(report.from, "2025-12-31");
/// assert_eq!(report.changes[0].kind, ChangeKind::RuleAdded);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn between_dates(policy: &Policy, from: NaiveDate, to: NaiveDate) -> DiffReport {
    let program = policy.program();
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

/// The changes as text, one paragraph each with its citation and the
/// before and after. This is what `deon diff` prints.
///
/// # Examples
///
/// ```
/// # let old = deon::Policy::from_sources([("v1.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 5 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let new = deon::Policy::from_sources([("v2.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// let text = deon::diff::render(&deon::diff::between_sets(&old, &new, "v1", "v2"));
/// assert!(text.starts_with("Changes from v1 to v2\n"));
/// assert!(text.contains("- within 5 days of report.received_on"));
/// assert!(text.ends_with("1 change\n"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn render(report: &DiffReport) -> String {
    use std::fmt::Write as _;
    let mut out = format!("Changes from {} to {}\n", report.from, report.to);
    if report.changes.is_empty() {
        out.push_str("  no changes in duties, deadlines or penalties\n");
        return out;
    }
    // Consecutive changes to one subject under the same citations share one heading.
    let mut heading: Option<(&str, &[String])> = None;
    for change in &report.changes {
        let this = (change.subject.as_str(), change.citations.as_slice());
        if heading != Some(this) {
            let _ = writeln!(
                out,
                "\n  {} ({})",
                change.subject,
                change.citations.join("; ")
            );
            heading = Some(this);
        }
        let _ = writeln!(out, "    {}", change.summary);
        if let Some(before) = &change.before {
            let _ = writeln!(out, "      - {before}");
        }
        if let Some(after) = &change.after {
            let _ = writeln!(out, "      + {after}");
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
