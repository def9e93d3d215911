//! The penalties a finding exposes, as JSON (`PenaltyExposure`).

use super::{Writer, no_version};
use crate::eval::decision::{PenaltyRecord, part};
use crate::json::date;

impl Writer<'_, '_> {
    pub(super) fn penalty(&mut self, record: &PenaltyRecord<'_>) {
        let decision = self.decision;
        let program = self.program;
        let Some(penalty) = program.penalties.get(record.penalty as usize) else {
            return;
        };
        let Some(json) = program.json.penalties.get(record.penalty as usize) else {
            return;
        };
        let index = record.version.map(|v| v as usize);
        let version = index.and_then(|v| Some((penalty.versions.get(v)?, json.versions.get(v)?)));
        self.raw(r#"{"penalty":"#);
        self.raw(&json.name);
        self.raw(r#","citations":"#);
        match version {
            Some((_, version)) => {
                self.raw(&version.cites);
                if let Some(label) = &version.label {
                    self.raw(r#","version":"#);
                    self.raw(label);
                }
            }
            None => {
                self.raw(&json.cites);
                self.raw(r#","version":"#);
                no_version(self.out, record.breach_date);
            }
        }
        self.raw(r#","breach_date":"#);
        date(self.out, record.breach_date);
        if let Some(arguable) = record.arguable {
            self.raw(r#","arguable":"#);
            self.raw(arguable.json());
        }
        let tiers = version.map(|(v, _)| v.tiers.as_slice()).unwrap_or_default();
        if !tiers.is_empty() {
            let likelihoods = part(&decision.likelihoods, record.tiers);
            let reads = part(&decision.tier_reads, record.tiers);
            self.raw(r#","tiers":["#);
            for (n, ((tier, &likelihood), &read)) in
                tiers.iter().zip(likelihoods).zip(reads).enumerate()
            {
                if n > 0 {
                    self.out.push(b',');
                }
                self.raw(r#"{"name":"#);
                self.raw(tier.name.json());
                if let Some(condition) = &tier.condition {
                    self.raw(r#","condition":"#);
                    self.expr(condition);
                }
                self.raw(r#","likelihood":"#);
                self.likelihood(likelihood);
                let facts = decision.aggravation(likelihood, read);
                if !facts.is_empty() {
                    self.raw(r#","facts":"#);
                    self.fact_values(facts);
                }
                self.out.push(b'}');
            }
            self.out.push(b']');
        }
        self.raw(r#","sanctions":["#);
        if let Some((_, version)) = version {
            let likelihoods = part(&decision.likelihoods, record.sanctions);
            for (n, (sanction, &likelihood)) in
                version.sanctions.iter().zip(likelihoods).enumerate()
            {
                if n > 0 {
                    self.out.push(b',');
                }
                self.raw(&sanction.head);
                self.likelihood(likelihood);
                self.raw(&sanction.tail);
            }
        }
        self.raw("]}");
    }
}
