//! Which sanctions a violation exposes, and the fines they add up to.

use chrono::NaiveDate;

use super::expr::Scope;
use crate::check::ir::RuleInfo;
use crate::report::model::{Exposure, Likelihood, PenaltyExposure, SanctionExposure};
use crate::syntax::ast::{LiableParty, SanctionKind};
use crate::value::format_amount;

/// Penalties a violated rule exposes. Within one penalty, fines on the same
/// party are alternative tiers: the certain minimum is the highest minimum of
/// the tiers that surely apply, the maximum the highest of those that may.
/// Across the penalties of one rule (one act), the heavier one counts.
/// The version of each penalty is the one in force on `breach_date`.
pub fn expose(
    scope: &mut Scope<'_>,
    rule: &RuleInfo,
    breach_date: NaiveDate,
) -> (Vec<PenaltyExposure>, Exposure) {
    let mut exposures = Vec::new();
    let mut total = Exposure::default();
    for &id in &rule.penalties {
        let penalty = &scope.program.penalties[id as usize];
        let mut tiers = Exposure::default();
        let mut sanctions = Vec::new();
        let Some(version) = penalty.version_on(breach_date) else {
            exposures.push(PenaltyExposure {
                penalty: penalty.name.clone(),
                citations: penalty.cites.clone(),
                version: Some(format!("none in force on {breach_date}")),
                breach_date,
                sanctions,
            });
            continue;
        };
        let mut citations = penalty.cites.clone();
        citations.extend(version.cites.iter().cloned());
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
            sanctions.push(SanctionExposure {
                sanction: sanction.kind.clone(),
                description: describe(&sanction.kind),
                likelihood,
                discretionary: sanction.discretionary,
                condition: sanction
                    .condition
                    .as_ref()
                    .map(|c| c.text.as_ref().to_owned()),
            });
        }
        // One act breaching several provisions is fined once, under the heavier
        // (Administrative Penalty Law Art. 29): take the larger range, not the sum.
        total.max_with(&tiers);
        exposures.push(PenaltyExposure {
            penalty: penalty.name.clone(),
            citations,
            version: version.label.clone(),
            breach_date,
            sanctions,
        });
    }
    (exposures, total)
}

/// A sanction in words.
pub fn describe(kind: &SanctionKind) -> String {
    let party = |p: LiableParty| p.label();
    match kind {
        SanctionKind::OrderToCorrect => "order to correct".into(),
        SanctionKind::Warning => "warning".into(),
        SanctionKind::Fine { min, max, on } => format!(
            "fine of {} to {} CNY on {}",
            format_amount(*min),
            format_amount(*max),
            party(*on)
        ),
        SanctionKind::ConfiscationOfIllegalGains => "confiscation of illegal gains".into(),
        SanctionKind::Detention {
            min_days,
            max_days,
            on,
        } if *min_days == 0 => format!("detention of up to {max_days} days for {}", party(*on)),
        SanctionKind::Detention {
            min_days,
            max_days,
            on,
        } => format!(
            "detention of {min_days} to {max_days} days for {}",
            party(*on)
        ),
        SanctionKind::BanFromKeyPositions { years: Some(y), on } => format!(
            "{} barred from key network security posts for {y} years",
            party(*on)
        ),
        SanctionKind::BanFromKeyPositions { years: None, on } => format!(
            "{} barred from key network security posts for life",
            party(*on)
        ),
        SanctionKind::CriminalLiability => "criminal liability".into(),
        SanctionKind::SuspensionOfBusiness => "suspension of the related business".into(),
        SanctionKind::SuspensionForRectification => {
            "suspension of business for rectification".into()
        }
        SanctionKind::ClosureOfWebsite => "closure of the website".into(),
        SanctionKind::RevocationOfLicence => "revocation of the business licence".into(),
        SanctionKind::RevocationOfPermit => "revocation of the business permit".into(),
    }
}
