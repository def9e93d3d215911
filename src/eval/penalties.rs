//! Which sanctions a violation exposes, and the fines they add up to.

use chrono::NaiveDate;

use super::decision::{Basis, Entry, NoteRecord, PenaltyRecord, Slice};
use super::expr::Scope;
use super::summary::Reason;

use crate::check::ir::{CExpr, FactId, PenaltyId, ReviewInfo, RuleInfo, Text};
use crate::report::model::{Exposure, Likelihood, NoteAbout};
use crate::syntax::ast::{LiableParty, Modality, SanctionKind};
use crate::value::format_amount;

/// When a failure happened, as far as the case says.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Breach {
    /// The breach date, which picks the version of each penalty.
    pub date: NaiveDate,
    /// For a continuing failure the case gives no date for: the end of the
    /// period it may have happened in (`date` is its start). Every version
    /// in force over the period is shown.
    pub until: Option<NaiveDate>,
    /// Whether the failure is only a reviewer's call (a judgement timing):
    /// then nothing is certain.
    pub reviewable: bool,
}

/// The dates a breach date may come from, as the rule's evaluation read them.
pub(crate) struct Known<'a> {
    pub today: NaiveDate,
    /// The event a judgement timing runs from.
    pub anchor: Option<(NaiveDate, &'a CExpr)>,
    /// The rule's `from` event.
    pub event: Option<(NaiveDate, &'a CExpr)>,
    /// The day the rule started to bind.
    pub commencement: Option<NaiveDate>,
}

/// When the breach happened, which decides the penalty version, and
/// why: the day a record was deleted too early, the date a prohibited
/// act was done, the day after a missed deadline, the event a duty with
/// a judgement timing ran from. With none of these, the failure is a
/// continuing one from the rule's start (its `from` event, or the day it
/// took effect) to the evaluation date, and the basis says so.
pub(crate) fn breach<'a>(
    rule: &'a RuleInfo,
    entry: &mut Entry<'a>,
    judged: bool,
    known: Known<'a>,
) -> Breach {
    let today = known.today;
    let (date, basis) = match (entry.reason, rule.modality, entry.due, entry.done_on) {
        (
            Reason::LogDeletedEarly {
                deleted_on, number, ..
            },
            _,
            _,
            _,
        ) => (Some(deleted_on), Basis::Deleted(number)),
        (_, Modality::MustNot, _, Some(on)) => (
            Some(on),
            match rule.breached.as_ref().and_then(|t| t.on.as_ref()) {
                Some(expr) => Basis::Act(expr),
                None => Basis::None,
            },
        ),
        (_, _, Some(due), _) => (Some(due.succ_opt().unwrap_or(due)), Basis::AfterDue(due)),
        _ => match known.anchor {
            Some((day, expr)) if judged => (Some(day), Basis::Anchor(expr)),
            _ => (None, Basis::None),
        },
    };
    if let Some(date) = date {
        entry.basis = basis;
        return Breach {
            date,
            until: None,
            reviewable: judged,
        };
    }
    let since = match known.event {
        Some((day, _)) => day,
        None => known.commencement.unwrap_or(today),
    }
    .min(today);
    entry.basis = Basis::Undated {
        since,
        event: known.event.map(|(_, expr)| expr),
        until: today,
    };
    Breach {
        date: since,
        until: Some(today),
        reviewable: judged,
    }
}

/// Where [`expose`] records what it finds, in the decision's pools.
pub(crate) struct Records<'o, 'a> {
    pub penalties: &'o mut Vec<PenaltyRecord<'a>>,
    /// Each sanction's and each tier's likelihood.
    pub likelihoods: &'o mut Vec<Likelihood>,
    pub reads: &'o mut Vec<FactId>,
    /// Beside `likelihoods`: the facts each tier's condition read.
    pub tier_reads: &'o mut Vec<Slice>,
    pub notes: &'o mut Vec<NoteRecord<'a>>,
}

/// Penalties a violated rule exposes, recorded in `records` (with each
/// sanction's likelihood in `likelihoods`); returns the fines at stake.
/// Within one penalty, fines on the same party are alternative tiers: the
/// certain floor is the highest minimum of the tiers that surely apply, the
/// possible ceiling the highest maximum of those that may. Across the
/// penalties of one rule (one act), the heavier one counts.
pub(crate) fn expose<'a>(
    scope: &mut Scope<'a>,
    rule: &'a RuleInfo,
    breach: Breach,
    out: Records<'_, 'a>,
) -> Exposure {
    let Records {
        penalties: records,
        likelihoods,
        reads,
        tier_reads,
        notes,
    } = out;
    let mut total = Exposure::default();
    for (index, &id) in rule.penalties.iter().enumerate() {
        let penalty = &scope.program.penalties[id as usize];
        let arguable = rule.arguable.get(index).and_then(Option::as_ref);
        if let Some(why) = arguable {
            notes.push(NoteRecord {
                about: NoteAbout::Link,
                penalty: Some(id),
                tier: None,
                text: why,
                condition: None,
                unknown: false,
            });
        }
        for review in &penalty.reviews {
            note(scope, notes, penalty_note(id, None, review));
        }
        let versions = in_force(penalty, breach);
        if versions.is_empty() {
            let start = likelihoods.len() as u32;
            records.push(PenaltyRecord {
                penalty: id,
                version: None,
                breach_date: breach.date,
                arguable,
                sanctions: (start, start),
                tiers: (start, start),
            });
            continue;
        }
        // Under a continuing failure with no date, whichever version
        // applies: only what all of them impose is certain.
        let mut exposure: Option<Exposure> = None;
        for (index, from) in versions {
            let version = &penalty.versions[index];
            let start = likelihoods.len() as u32;
            for review in &version.reviews {
                note(scope, notes, penalty_note(id, None, review));
            }
            // Each tier's outcome, and the facts its condition read: what
            // puts the case in the tier (harm, an order, a refusal).
            let mut tier_outcomes: Vec<Likelihood> = Vec::with_capacity(version.tiers.len());
            let mut tier_facts: Vec<Slice> = Vec::with_capacity(version.tiers.len());
            for tier in &version.tiers {
                scope.clear_reads();
                tier_outcomes.push(weigh(scope, tier.condition.as_ref()));
                let start = reads.len() as u32;
                reads.extend_from_slice(scope.reads());
                tier_facts.push((start, reads.len() as u32));
            }
            for (tier, &outcome) in version.tiers.iter().zip(&tier_outcomes) {
                if outcome == Likelihood::DoesNotApply {
                    continue;
                }
                for review in &tier.reviews {
                    note(scope, notes, penalty_note(id, Some(&tier.name), review));
                }
            }
            let mut tiers = Exposure::default();
            for sanction in &version.sanctions {
                let own = weigh(scope, sanction.condition.as_ref());
                let tier = sanction
                    .tier
                    .and_then(|t| tier_outcomes.get(t as usize).copied())
                    .unwrap_or(Likelihood::Applies);
                let likelihood = both(tier, own);
                // A sanction the authority may impose, one of several it
                // chooses between, one reached through an arguable link, or
                // one for a timing only a reviewer can judge is never certain.
                let uncertain = sanction.discretionary
                    || sanction.choice.is_some()
                    || arguable.is_some()
                    || breach.reviewable;
                let likelihood = if uncertain && likelihood == Likelihood::Applies {
                    Likelihood::Possible
                } else {
                    likelihood
                };
                if let SanctionKind::Fine { min, max, on } = sanction.kind {
                    let range = tiers.range_mut(on);
                    match likelihood {
                        Likelihood::Applies => range.certain(min, max),
                        Likelihood::Possible => range.possible(min, max),
                        Likelihood::DoesNotApply => {}
                    }
                    // Every tier counts when the case escalates, reached or
                    // not; a sanction whose own condition fails (a fine for
                    // individuals, and the party is an organisation) does not.
                    if own != Likelihood::DoesNotApply {
                        range.escalated = range.escalated.max(max);
                    }
                    range.escalated = range.escalated.max(range.max);
                }
                likelihoods.push(likelihood);
                tier_reads.push((0, 0));
            }
            match &mut exposure {
                Some(so_far) => so_far.either(&tiers),
                None => exposure = Some(tiers),
            }
            let sanctions_end = likelihoods.len() as u32;
            likelihoods.extend_from_slice(&tier_outcomes);
            tier_reads.extend_from_slice(&tier_facts);
            records.push(PenaltyRecord {
                penalty: id,
                version: u32::try_from(index).ok(),
                breach_date: from,
                arguable,
                sanctions: (start, sanctions_end),
                tiers: (sanctions_end, likelihoods.len() as u32),
            });
        }
        // One act breaching several provisions is fined once, under the heavier
        // (Administrative Penalty Law Art. 29): take the larger range, not the sum.
        if let Some(exposure) = exposure {
            total.max_with(&exposure);
        }
    }
    total
}

/// The versions of a penalty that apply to a breach, each with the date it
/// is applied for: the one in force on the breach date, and for a breach
/// with no date, every later one taking effect before the period ends.
fn in_force(penalty: &crate::check::ir::PenaltyInfo, breach: Breach) -> Vec<(usize, NaiveDate)> {
    let versions = &penalty.versions;
    let mut found: Vec<(usize, NaiveDate)> = versions
        .iter()
        .enumerate()
        .filter(|(_, v)| v.from.is_none_or(|from| from <= breach.date))
        .max_by_key(|(_, v)| v.from)
        .map(|(index, _)| (index, breach.date))
        .into_iter()
        .collect();
    if let Some(until) = breach.until {
        let mut later: Vec<(usize, NaiveDate)> = versions
            .iter()
            .enumerate()
            .filter_map(|(index, v)| Some((index, v.from?)))
            .filter(|&(_, from)| breach.date < from && from <= until)
            .collect();
        later.sort_by_key(|&(_, from)| from);
        found.extend(later);
    }
    found
}

/// A note on a penalty (or on one of its tiers).
fn penalty_note<'a>(
    penalty: PenaltyId,
    tier: Option<&'a Text>,
    review: &'a ReviewInfo,
) -> NoteRecord<'a> {
    NoteRecord {
        about: if tier.is_some() {
            NoteAbout::Tier
        } else {
            NoteAbout::Penalty
        },
        penalty: Some(penalty),
        tier,
        text: &review.text,
        condition: review.condition.as_ref(),
        unknown: false,
    }
}

/// Records a review note unless its condition is false.
pub(crate) fn note<'a>(
    scope: &mut Scope<'a>,
    notes: &mut Vec<NoteRecord<'a>>,
    record: NoteRecord<'a>,
) {
    match weigh(scope, record.condition) {
        Likelihood::DoesNotApply => {}
        Likelihood::Possible => notes.push(NoteRecord {
            unknown: true,
            ..record
        }),
        _ => notes.push(record),
    }
}

/// Whether a condition holds, as a likelihood; no condition always holds.
fn weigh(scope: &mut Scope<'_>, condition: Option<&crate::check::ir::CExpr>) -> Likelihood {
    match condition.map(|c| scope.eval(c).truth()) {
        None | Some(Some(true)) => Likelihood::Applies,
        Some(Some(false)) => Likelihood::DoesNotApply,
        Some(None) => Likelihood::Possible,
    }
}

/// Two conditions that must both hold.
fn both(a: Likelihood, b: Likelihood) -> Likelihood {
    match (a, b) {
        (Likelihood::DoesNotApply, _) | (_, Likelihood::DoesNotApply) => Likelihood::DoesNotApply,
        (Likelihood::Applies, Likelihood::Applies) => Likelihood::Applies,
        _ => Likelihood::Possible,
    }
}

/// A sanction in words.
pub fn describe(kind: &SanctionKind) -> String {
    Describe(kind).to_string()
}

/// A sanction in words, written straight into a formatter.
pub(crate) struct Describe<'a>(pub &'a SanctionKind);

impl std::fmt::Display for Describe<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let party = |p: LiableParty| p.label();
        match self.0 {
            SanctionKind::OrderToCorrect => f.write_str("order to correct"),
            SanctionKind::Warning => f.write_str("warning"),
            SanctionKind::Fine { min, max, on } => write!(
                f,
                "fine of {} to {} CNY on {}",
                format_amount(*min),
                format_amount(*max),
                party(*on)
            ),
            SanctionKind::ConfiscationOfIllegalGains => {
                f.write_str("confiscation of illegal gains")
            }
            SanctionKind::Detention {
                min_days,
                max_days,
                on,
            } if *min_days == 0 => {
                write!(f, "detention of up to {max_days} days for {}", party(*on))
            }
            SanctionKind::Detention {
                min_days,
                max_days,
                on,
            } => write!(
                f,
                "detention of {min_days} to {max_days} days for {}",
                party(*on)
            ),
            SanctionKind::BanFromKeyPositions { years: Some(y), on } => write!(
                f,
                "{} barred from key network security posts for {y} years",
                party(*on)
            ),
            SanctionKind::BanFromKeyPositions { years: None, on } => write!(
                f,
                "{} barred from key network security posts for life",
                party(*on)
            ),
            SanctionKind::CriminalLiability => f.write_str("criminal liability"),
            SanctionKind::SuspensionOfBusiness => f.write_str("suspension of the related business"),
            SanctionKind::SuspensionForRectification => {
                f.write_str("suspension of business for rectification")
            }
            SanctionKind::ClosureOfWebsite => f.write_str("closure of the website"),
            SanctionKind::RevocationOfLicence => f.write_str("revocation of the business licence"),
            SanctionKind::RevocationOfPermit => f.write_str("revocation of the business permit"),
        }
    }
}
