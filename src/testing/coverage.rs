//! Which outcomes of each rule the policy tests reach.
//!
//! Every rule can end in a few outcomes, by its shape: `not applicable` when
//! it has roles or `when` conditions; for a `must`, `satisfied` and then
//! `pending` and `violated` (a dated deadline), `needs review` (a judgement
//! timing) or `violated` (no deadline, or a retention period);
//! `respected` and `breached` for a `must not`; `permitted` for a `may`;
//! `encouraged` and `satisfied` for a `should`; and one `exempt by …` per
//! `unless` and per `exception to` rule. Each tier of the penalties a rule
//! links to is one more outcome, reached when a test's finding reaches the
//! tier; findings where it did not apply, or where it depended on facts the
//! case left out, are counted beside it. [`Coverage::record`] marks what a
//! test's report reached.
//!
//! ```
//! use deon::testing::{self, coverage::Coverage};
//!
//! let policy = deon::Policy::load(["policies"])?;
//! let mut coverage = Coverage::new(&policy);
//! for file in testing::test_files(&["policies".into()]) {
//!     for test in testing::read_test_file(&policy, &file)? {
//!         coverage.record(&testing::evaluate_test(&policy, &test));
//!     }
//! }
//! assert_eq!(coverage.rules.len(), policy.summary().rules.len());
//! assert!(coverage.percent() > 50.0);
//! # Ok::<(), deon::Diagnostics>(())
//! ```

use serde::Serialize;

use crate::Policy;
use crate::check::ir::{DeadlineInfo, Program, RuleInfo};
use crate::report::{Likelihood, Report, Status};
use crate::syntax::ast::Modality;

/// The outcomes of one rule, and which the tests reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleCoverage {
    /// The rule's name.
    pub rule: String,
    /// The rule's regulation.
    pub regulation: String,
    /// Every outcome the rule can have, each with whether a test reached it.
    pub outcomes: Vec<Outcome>,
    /// Each tier of the penalties the rule links to, in the penalty's order.
    pub tiers: Vec<TierCoverage>,
}

/// One tier of a penalty a rule links to, and how the tests' findings met it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TierCoverage {
    /// The penalty's name.
    pub penalty: String,
    /// The tier's name.
    pub tier: String,
    /// How many tests' findings reached the tier.
    pub reached: usize,
    /// How many exposed the penalty without reaching the tier.
    pub not_reached: usize,
    /// How many left the tier open: its condition read facts the case left out.
    pub possible: usize,
}

impl TierCoverage {
    /// The tier as the table names it, e.g. `tier "on refusal" of csl_62`.
    pub fn label(&self) -> String {
        format!("tier \"{}\" of {}", self.tier, self.penalty)
    }
}

/// One outcome of a rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Outcome {
    /// `not_applicable`, `satisfied`, …, or `exempt by <exception>`.
    pub name: String,
    /// How many tests' findings reached it.
    pub reached: usize,
}

impl RuleCoverage {
    /// Outcomes (tiers included) reached, and outcomes in all.
    pub fn counts(&self) -> (usize, usize) {
        let reached = self.outcomes.iter().filter(|o| o.reached > 0).count()
            + self.tiers.iter().filter(|t| t.reached > 0).count();
        (reached, self.outcomes.len() + self.tiers.len())
    }

    /// The outcomes, then the tiers, no test reached; a tier some test left
    /// open is marked `(possible)`.
    pub fn missing(&self) -> impl Iterator<Item = String> + '_ {
        let outcomes = self
            .outcomes
            .iter()
            .filter(|o| o.reached == 0)
            .map(|o| o.name.clone());
        let tiers = self.tiers.iter().filter(|t| t.reached == 0).map(|t| {
            if t.possible > 0 {
                format!("{} (possible)", t.label())
            } else {
                t.label()
            }
        });
        outcomes.chain(tiers)
    }
}

/// Coverage of every rule of a policy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    /// One entry per rule, in declaration order.
    pub rules: Vec<RuleCoverage>,
    /// How many reports were recorded.
    pub tests: usize,
}

impl Coverage {
    /// Every rule of the policy, with no outcome reached yet.
    pub fn new(policy: &Policy) -> Coverage {
        let program = &policy.program;
        let rules = program
            .rules
            .iter()
            .enumerate()
            .map(|(id, rule)| RuleCoverage {
                rule: rule.id.to_string(),
                regulation: program
                    .regulations
                    .get(rule.regulation as usize)
                    .map_or(String::new(), |r| r.id.to_string()),
                outcomes: outcomes(program, id)
                    .into_iter()
                    .map(|name| Outcome { name, reached: 0 })
                    .collect(),
                tiers: tiers(program, rule),
            })
            .collect();
        Coverage { rules, tests: 0 }
    }

    /// Marks the outcomes one test's report reached.
    pub fn record(&mut self, report: &Report) {
        self.tests += 1;
        for finding in &report.findings {
            let Some(rule) = self.rules.iter_mut().find(|r| r.rule == *finding.rule) else {
                continue;
            };
            let name = match (&finding.status, &finding.exempted_by) {
                (Status::Exempt, Some(by)) => format!("exempt by {by}"),
                (status, _) => status.key().to_string(),
            };
            if let Some(outcome) = rule.outcomes.iter_mut().find(|o| o.name == name) {
                outcome.reached += 1;
            }
            for exposure in &finding.penalties {
                for tier in &exposure.tiers {
                    let Some(entry) = rule
                        .tiers
                        .iter_mut()
                        .find(|t| t.penalty == exposure.penalty && *t.tier == *tier.name)
                    else {
                        continue;
                    };
                    match tier.likelihood {
                        Likelihood::Applies => entry.reached += 1,
                        Likelihood::DoesNotApply => entry.not_reached += 1,
                        Likelihood::Possible => entry.possible += 1,
                    }
                }
            }
        }
    }

    /// Outcomes reached and in all, over every rule.
    pub fn counts(&self) -> (usize, usize) {
        self.rules.iter().fold((0, 0), |(r, t), rule| {
            let (a, b) = rule.counts();
            (r + a, t + b)
        })
    }

    /// The share of outcomes reached, in percent (100 when there are none).
    pub fn percent(&self) -> f64 {
        match self.counts() {
            (_, 0) => 100.0,
            (reached, total) => 100.0 * reached as f64 / total as f64,
        }
    }

    /// The coverage as a table: one line per rule, then the total.
    pub fn table(&self) -> String {
        let width = self
            .rules
            .iter()
            .map(|r| r.rule.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let mut out = format!("{:width$}  reached  missing\n", "rule");
        for rule in &self.rules {
            let (reached, total) = rule.counts();
            let missing: Vec<String> = rule.missing().collect();
            out.push_str(&format!(
                "{:width$}  {:>7}  {}\n",
                rule.rule,
                format!("{reached}/{total}"),
                if missing.is_empty() {
                    "-".to_string()
                } else {
                    missing.join(", ")
                }
            ));
        }
        let (reached, total) = self.counts();
        out.push_str(&format!(
            "{:width$}  {:>7}  {:.1}% of outcomes reached by {} tests\n",
            "total",
            format!("{reached}/{total}"),
            self.percent(),
            self.tests
        ));
        out
    }
}

/// The tiers of the penalties a rule links to, each once: versions of a
/// penalty that keep a tier's name share its entry.
fn tiers(program: &Program, rule: &RuleInfo) -> Vec<TierCoverage> {
    let mut out: Vec<TierCoverage> = Vec::new();
    for &id in &rule.penalties {
        let Some(penalty) = program.penalties.get(id as usize) else {
            continue;
        };
        for tier in penalty.versions.iter().flat_map(|v| &v.tiers) {
            let known = out
                .iter()
                .any(|t| t.penalty == penalty.name && *t.tier == **tier.name);
            if !known {
                out.push(TierCoverage {
                    penalty: penalty.name.clone(),
                    tier: tier.name.to_string(),
                    reached: 0,
                    not_reached: 0,
                    possible: 0,
                });
            }
        }
    }
    out
}

/// The outcomes a rule can have, by its shape.
fn outcomes(program: &Program, id: usize) -> Vec<String> {
    let Some(rule) = program.rules.get(id) else {
        return Vec::new();
    };
    let mut out: Vec<&str> = Vec::new();
    if !rule.roles.is_empty() || !rule.when.is_empty() {
        out.push(Status::NotApplicable.key());
    }
    match rule.modality {
        Modality::Must => {
            out.push(Status::Satisfied.key());
            // A timing left to judgement is never `violated` by Deon: a
            // reviewer decides.
            match &rule.deadline {
                Some(DeadlineInfo::Judgement(..)) => out.push(Status::NeedsReview.key()),
                Some(DeadlineInfo::AtLeastFor(_)) | None => out.push(Status::Violated.key()),
                Some(_) => out.extend([Status::Pending.key(), Status::Violated.key()]),
            }
        }
        Modality::MustNot => {
            out.push(Status::Respected.key());
            out.push(Status::Breached.key());
        }
        Modality::May => out.push(Status::Permitted.key()),
        Modality::Should => {
            out.push(Status::Encouraged.key());
            if rule.done.is_some() {
                out.push(Status::Satisfied.key());
            }
        }
    }
    let mut out: Vec<String> = out.into_iter().map(str::to_string).collect();
    for unless in &rule.unless {
        out.push(format!("exempt by {}", unless.text));
    }
    for &exception in program.exceptions.get(id).into_iter().flatten() {
        if let Some(other) = program.rules.get(exception as usize) {
            out.push(format!("exempt by rule {}", other.id));
        }
    }
    out
}
