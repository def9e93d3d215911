//! Which sanctions a violation exposes, and the fines they add up to.

use chrono::NaiveDate;

use super::decision::PenaltyRecord;
use super::expr::Scope;
use crate::check::ir::RuleInfo;
use crate::report::model::{Exposure, Likelihood};
use crate::syntax::ast::{LiableParty, SanctionKind};
use crate::value::format_amount;

/// Penalties a violated rule exposes, recorded in `records` (with each
/// sanction's likelihood in `likelihoods`); returns the fines at stake.
/// Within one penalty, fines on the same party are alternative tiers: the
/// certain minimum is the highest minimum of the tiers that surely apply, the
/// maximum the highest of those that may. Across the penalties of one rule
/// (one act), the heavier one counts. The version of each penalty is the one
/// in force on `breach_date`.
pub(crate) fn expose(
    scope: &mut Scope<'_>,
    rule: &RuleInfo,
    breach_date: NaiveDate,
    records: &mut Vec<PenaltyRecord>,
    likelihoods: &mut Vec<Likelihood>,
) -> Exposure {
    let mut total = Exposure::default();
    for &id in &rule.penalties {
        let penalty = &scope.program.penalties[id as usize];
        let start = likelihoods.len() as u32;
        let version = penalty
            .versions
            .iter()
            .enumerate()
            .filter(|(_, v)| v.from.is_none_or(|from| from <= breach_date))
            .max_by_key(|(_, v)| v.from);
        let Some((index, version)) = version else {
            records.push(PenaltyRecord {
                penalty: id,
                version: None,
                sanctions: (start, start),
            });
            continue;
        };
        let mut tiers = Exposure::default();
        for sanction in &version.sanctions {
            let likelihood = match &sanction.condition {
                None => Likelihood::Applies,
                Some(condition) => match scope.eval(condition).truth() {
                    Some(true) => Likelihood::Applies,
                    Some(false) => Likelihood::DoesNotApply,
                    None => Likelihood::Possible,
                },
            };
            // A sanction the authority may impose is never certain.
            let likelihood = if sanction.discretionary && likelihood == Likelihood::Applies {
                Likelihood::Possible
            } else {
                likelihood
            };
            if let SanctionKind::Fine { min, max, on } = sanction.kind {
                let range = tiers.range_mut(on);
                if likelihood == Likelihood::Applies {
                    range.min = range.min.max(min);
                }
                if likelihood != Likelihood::DoesNotApply {
                    range.max = range.max.max(max);
                }
            }
            likelihoods.push(likelihood);
        }
        // One act breaching several provisions is fined once, under the heavier
        // (Administrative Penalty Law Art. 29): take the larger range, not the sum.
        total.max_with(&tiers);
        records.push(PenaltyRecord {
            penalty: id,
            version: u32::try_from(index).ok(),
            sanctions: (start, likelihoods.len() as u32),
        });
    }
    total
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
