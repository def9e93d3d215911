//! The policy text reports repeat, written as JSON once, when the policy is
//! checked: every report then copies these bytes (src/eval/json/) instead
//! of escaping rule names, citations, titles and conditions again. The
//! fixed parts of a finding, a regulation and a sanction are written here
//! whole; texts that decisions point at ([`Text`](super::ir::Text),
//! [`ExprText`](super::ir::ExprText)) carry their own JSON form.

use serde::Serialize;

use super::ir::{CExpr, DeadlineInfo, Program};
use crate::json::{escape_into, quoted};

/// The JSON pieces of a program's reports, by index as in the program.
#[derive(Clone, Debug, Default)]
pub struct PolicyJson {
    /// Per regulation: its object up to the value of `in_force`, which
    /// depends on the date of the case.
    pub regulations: Vec<Box<str>>,
    pub rules: Vec<RuleJson>,
    /// Per fact: its name as a JSON string.
    pub facts: Vec<Box<str>>,
    pub penalties: Vec<PenaltyJson>,
}

#[derive(Clone, Debug, Default)]
pub struct RuleJson {
    /// A finding's opening: `{"rule":…,"regulation":…,"regulation_status":…,"citations":[…],"modality":…`.
    pub head: Box<str>,
    /// `,"action":…`, or nothing for a rule that states no act.
    pub action: Box<str>,
    /// The name escaped without quotes, for text that mentions the rule.
    pub name: Box<str>,
}

#[derive(Clone, Debug, Default)]
pub struct PenaltyJson {
    /// The name as a JSON string.
    pub name: Box<str>,
    /// The penalty's own citations, as a JSON array (when no version is in force).
    pub cites: Box<str>,
    pub versions: Vec<VersionJson>,
}

#[derive(Clone, Debug, Default)]
pub struct VersionJson {
    /// The penalty's citations and then the version's, as a JSON array.
    pub cites: Box<str>,
    /// The label as a JSON string.
    pub label: Option<Box<str>>,
    pub sanctions: Vec<SanctionJson>,
}

/// A sanction's object around its likelihood, the one part that depends on the case.
#[derive(Clone, Debug, Default)]
pub struct SanctionJson {
    /// `{"sanction":…,"description":…,"likelihood":`
    pub head: Box<str>,
    /// What follows the likelihood, to the closing brace.
    pub tail: Box<str>,
}

impl PolicyJson {
    /// Whether these are the pieces of `program`: a program made other than
    /// by the checker has none.
    pub fn covers(&self, program: &Program) -> bool {
        self.regulations.len() == program.regulations.len()
            && self.rules.len() == program.rules.len()
            && self.facts.len() == program.facts.len()
            && self.penalties.len() == program.penalties.len()
            && self
                .penalties
                .iter()
                .zip(&program.penalties)
                .all(|(json, penalty)| {
                    json.versions.len() == penalty.versions.len()
                        && json
                            .versions
                            .iter()
                            .zip(&penalty.versions)
                            .all(|(j, v)| j.sanctions.len() == v.sanctions.len())
                })
    }
}

/// The program with its reports' JSON pieces made.
pub(super) fn prepared(mut program: Program) -> Program {
    escape_conditions(&mut program);
    program.json = PolicyJson::new(&program);
    program
}

/// Anything serialisable, as serde_json writes it: the pieces are made
/// by the serialiser the report types use, so they cannot differ from it.
fn serde(value: &impl Serialize) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

impl PolicyJson {
    fn new(program: &Program) -> Self {
        let regulations = program
            .regulations
            .iter()
            .map(|r| {
                let other_titles: Vec<_> = r
                    .other_titles()
                    .map(|(language, title)| crate::report::model::LanguageTitle {
                        language: language.to_string(),
                        title: title.to_string(),
                    })
                    .collect();
                format!(
                    r#"{{"id":{},"title":{},"other_titles":{},"status":{},"effective":{},"in_force":"#,
                    quoted(&r.id),
                    quoted(r.title()),
                    serde(&other_titles),
                    serde(&r.status),
                    serde(&r.effective),
                )
                .into()
            })
            .collect();
        let rules = program
            .rules
            .iter()
            .map(|rule| {
                let regulation = program.regulations.get(rule.regulation as usize);
                let head = format!(
                    r#"{{"rule":{},"regulation":{},"regulation_status":{},"citations":{},"modality":{}"#,
                    quoted(&rule.id),
                    quoted(regulation.map_or("", |r| &r.id)),
                    serde(&regulation.map(|r| r.status)),
                    serde(&rule.cites),
                    serde(&rule.modality),
                );
                let action = if rule.action.is_empty() {
                    String::new()
                } else {
                    format!(r#","action":{}"#, quoted(&rule.action))
                };
                let mut name = Vec::new();
                escape_into(&mut name, &rule.id);
                RuleJson {
                    head: head.into(),
                    action: action.into(),
                    name: String::from_utf8(name).unwrap_or_default().into(),
                }
            })
            .collect();
        let facts = program.facts.iter().map(|f| quoted(&f.path)).collect();
        let penalties = program
            .penalties
            .iter()
            .map(|penalty| PenaltyJson {
                name: quoted(&penalty.name),
                cites: serde(&penalty.cites).into(),
                versions: penalty
                    .versions
                    .iter()
                    .map(|version| VersionJson {
                        cites: serde(
                            &penalty
                                .cites
                                .iter()
                                .chain(&version.cites)
                                .collect::<Vec<_>>(),
                        )
                        .into(),
                        label: version.label.as_deref().map(quoted),
                        sanctions: version
                            .sanctions
                            .iter()
                            .map(|sanction| {
                                let description =
                                    crate::eval::penalties::Describe(&sanction.kind).to_string();
                                let head = format!(
                                    r#"{{"sanction":{},"description":{},"likelihood":"#,
                                    serde(&sanction.kind),
                                    quoted(&description),
                                );
                                let mut tail = String::new();
                                if sanction.discretionary {
                                    tail.push_str(r#","discretionary":true"#);
                                }
                                let tier =
                                    sanction.tier.and_then(|t| version.tiers.get(t as usize));
                                if let Some(tier) = tier {
                                    tail.push_str(r#","tier":"#);
                                    tail.push_str(tier.name.json());
                                }
                                if let Some(choice) = sanction.choice {
                                    tail.push_str(&format!(r#","choice":{choice}"#));
                                }
                                if let Some(condition) = &sanction.condition {
                                    tail.push_str(r#","condition":"#);
                                    tail.push_str(&quoted(&condition.text));
                                }
                                tail.push('}');
                                SanctionJson {
                                    head: head.into(),
                                    tail: tail.into(),
                                }
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
        PolicyJson {
            regulations,
            rules,
            facts,
            penalties,
        }
    }
}

/// Makes the JSON text of every expression a report shows: the rules'
/// clauses, the roles' tests, and the conditions of tiers, sanctions and
/// review notes.
fn escape_conditions(program: &mut Program) {
    fn one(expr: &mut CExpr) {
        expr.text.escape_once();
    }
    fn reviews(notes: &mut [super::ir::ReviewInfo]) {
        for note in notes {
            note.condition.iter_mut().for_each(one);
        }
    }
    for role in &mut program.roles {
        one(&mut role.condition);
    }
    for rule in &mut program.rules {
        rule.when.iter_mut().for_each(one);
        rule.unless.iter_mut().for_each(one);
        rule.trigger.iter_mut().for_each(one);
        rule.kept_for.iter_mut().for_each(one);
        for test in rule.done.iter_mut().chain(rule.breached.iter_mut()) {
            test.on.iter_mut().for_each(one);
            test.condition.iter_mut().for_each(one);
        }
        match &mut rule.deadline {
            Some(DeadlineInfo::Within { of: expr, .. })
            | Some(DeadlineInfo::Before { date: expr, .. })
            | Some(DeadlineInfo::By(expr))
            | Some(DeadlineInfo::StrictlyBefore(expr))
            | Some(DeadlineInfo::Judgement(_, Some(expr))) => one(expr),
            Some(DeadlineInfo::AtLeastFor(_)) | Some(DeadlineInfo::Judgement(_, None)) | None => {}
        }
        reviews(&mut rule.reviews);
    }
    for penalty in &mut program.penalties {
        reviews(&mut penalty.reviews);
        for version in &mut penalty.versions {
            reviews(&mut version.reviews);
            for tier in &mut version.tiers {
                tier.condition.iter_mut().for_each(one);
                reviews(&mut tier.reviews);
            }
            for sanction in &mut version.sanctions {
                sanction.condition.iter_mut().for_each(one);
            }
        }
    }
}
