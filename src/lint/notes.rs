//! Lints over penalties' tiers and every review note: a tier whose
//! condition can never hold where a linking rule applies, and a note that can
//! never be shown (its condition never holds, or nothing reaches the penalty
//! or tier it stands in).

use std::collections::HashMap;

use super::codes::LintCode;
use super::search::{self, Search, Space};
use super::warning::LintWarning;
use crate::check::ir::{CExpr, PenaltyId, Program, ReviewInfo, RuleInfo};
use crate::eval::Scope;
use crate::source::Spanned;
use crate::source::{Source, Span};
use crate::syntax::ast::{Clause, File, Item, PenaltyBody, PenaltyDecl, Review, RuleDecl};

pub(super) fn run(program: &Program, files: &[Option<File>]) -> Vec<LintWarning> {
    let mut out = Vec::new();
    let rules = super::checks::rule_decls(files);
    for rule in &program.rules {
        let Some(&(file, decl)) = rules.get(rule.id.as_ref()) else {
            continue;
        };
        let Some(source) = program.sources.get(file as usize) else {
            continue;
        };
        rule_notes(program, rule, decl, source, &mut out);
    }
    let penalties: HashMap<&str, usize> = program
        .penalties
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    for (file, parsed) in files.iter().enumerate() {
        let Some(source) = program.sources.get(file) else {
            continue;
        };
        for item in parsed.iter().flat_map(|f| &f.items) {
            let Item::Penalty(decl) = item else { continue };
            let Some(&id) = penalties.get(decl.name.node.as_str()) else {
                continue;
            };
            penalty(program, id, decl, source, &mut out);
        }
    }
    out
}

/// The notes a rule carries: each condition must hold in some case the rule reaches.
fn rule_notes(
    program: &Program,
    rule: &RuleInfo,
    decl: &RuleDecl,
    source: &Source,
    out: &mut Vec<LintWarning>,
) {
    let written = decl.clauses.iter().filter_map(|c| match &c.node {
        Clause::Review(review) => Some((c.span, review)),
        _ => None,
    });
    for (note, (span, review)) in rule.reviews.iter().zip(written) {
        let Some(condition) = &note.condition else {
            continue;
        };
        // A rule that never applies is warned about as such.
        if never_with(program, &[rule], &[condition]) && !never_with(program, &[rule], &[]) {
            out.push(never_shown(
                source,
                span,
                review,
                format!(
                    "this review note of rule `{}` is never shown: its condition never holds where the rule applies",
                    rule.id
                ),
            ));
        }
    }
}

/// A penalty's tiers and notes, against the rules that link to it.
fn penalty(
    program: &Program,
    id: usize,
    decl: &PenaltyDecl,
    source: &Source,
    out: &mut Vec<LintWarning>,
) {
    let Some(info) = program.penalties.get(id) else {
        return;
    };
    let linking: Vec<&RuleInfo> = program
        .rules
        .iter()
        .filter(|r| r.penalties.contains(&(id as PenaltyId)))
        .collect();
    let name = &info.name;
    if !linking.is_empty() && never_with(program, &linking, &[]) {
        // No linking rule ever applies: each is warned about as such.
        return;
    }
    if linking.is_empty() {
        let unlinked =
            format!("this review note stands in penalty `{name}`, which no rule links to");
        for review in every_note(decl) {
            out.push(never_shown(
                source,
                review.span,
                &review.node,
                unlinked.clone(),
            ));
        }
        return;
    }
    // The checker keeps versions sorted by date: match each written one by its date.
    let bodies: Vec<(Option<&str>, &PenaltyBody, Option<chrono::NaiveDate>)> =
        if decl.versions.is_empty() {
            vec![(None, &decl.body, None)]
        } else {
            decl.versions
                .iter()
                .map(|v| (Some(v.node.label.as_str()), &v.node.body, Some(v.node.from)))
                .collect()
        };
    // Notes on the penalty as a whole (the unversioned body's are the penalty's).
    let whole: Vec<&Spanned<Review>> = if decl.versions.is_empty() {
        Vec::new()
    } else {
        decl.body.reviews.iter().collect()
    };
    notes_on(
        program,
        &linking,
        &[],
        &info.reviews,
        &whole,
        source,
        name,
        out,
    );
    for (label, body, from) in bodies {
        let Some(version) = info.versions.iter().find(|v| v.from == from) else {
            continue;
        };
        let reviews: Vec<&Spanned<Review>> = body.reviews.iter().collect();
        notes_on(
            program,
            &linking,
            &[],
            &version.reviews,
            &reviews,
            source,
            name,
            out,
        );
        for (tier, written) in version.tiers.iter().zip(&body.tiers) {
            let Some(condition) = &tier.condition else {
                let reviews: Vec<&Spanned<Review>> = written.node.reviews.iter().collect();
                notes_on(
                    program,
                    &linking,
                    &[],
                    &tier.reviews,
                    &reviews,
                    source,
                    name,
                    out,
                );
                continue;
            };
            let span = written
                .node
                .condition
                .as_ref()
                .map_or(written.span, |c| c.span);
            if never_with(program, &linking, &[condition]) {
                let of = label.map_or(String::new(), |l| format!(" (version \"{l}\")"));
                out.push(
                    LintWarning::new(
                        LintCode::NeverHolds,
                        source,
                        span,
                        format!(
                            "tier \"{}\" of penalty `{name}`{of} can never be reached: its condition never holds where a rule linking to the penalty applies",
                            tier.name
                        ),
                        "false whenever a linking rule applies",
                    )
                    .with_help("no combination of roles, enum values, true/false facts and date orderings satisfies a linking rule's conditions and this one; correct the condition"),
                );
                let unreached = format!(
                    "this review note stands in tier \"{}\", which is never reached",
                    tier.name
                );
                for review in &written.node.reviews {
                    out.push(never_shown(
                        source,
                        review.span,
                        &review.node,
                        unreached.clone(),
                    ));
                }
                continue;
            }
            let reviews: Vec<&Spanned<Review>> = written.node.reviews.iter().collect();
            notes_on(
                program,
                &linking,
                &[condition],
                &tier.reviews,
                &reviews,
                source,
                name,
                out,
            );
        }
    }
}

/// Notes of a penalty, a version or a tier (whose condition is `within`):
/// each condition must hold in some case a linking rule reaches.
#[allow(clippy::too_many_arguments)] // one call per kind of place; a struct would only rename them
fn notes_on(
    program: &Program,
    linking: &[&RuleInfo],
    within: &[&CExpr],
    notes: &[ReviewInfo],
    written: &[&Spanned<Review>],
    source: &Source,
    penalty: &str,
    out: &mut Vec<LintWarning>,
) {
    for (note, review) in notes.iter().zip(written) {
        let Some(condition) = &note.condition else {
            continue;
        };
        let mut conditions = within.to_vec();
        conditions.push(condition);
        if never_with(program, linking, &conditions) {
            out.push(never_shown(
                source,
                review.span,
                &review.node,
                format!(
                    "this review note of penalty `{penalty}` is never shown: its condition never holds where a rule linking to the penalty applies"
                ),
            ));
        }
    }
}

fn never_shown(source: &Source, span: Span, review: &Review, message: String) -> LintWarning {
    let label = if review.condition.is_some() {
        "never shown"
    } else {
        "no finding carries it"
    };
    LintWarning::new(LintCode::ReviewOnNothing, source, span, message, label).with_help(
        "the caveat never reaches a reader; attach the note where it can hold, or correct its condition",
    )
}

/// Every note written in a penalty: its own, its versions', its tiers'.
fn every_note(decl: &PenaltyDecl) -> Vec<&Spanned<Review>> {
    let bodies = std::iter::once(&decl.body).chain(decl.versions.iter().map(|v| &v.node.body));
    bodies
        .flat_map(|b| {
            b.reviews
                .iter()
                .chain(b.tiers.iter().flat_map(|t| t.node.reviews.iter()))
        })
        .collect()
}

/// Whether, for every rule given, no case both reaches the rule and makes
/// every condition hold. A search too large to finish gives no verdict.
fn never_with(program: &Program, rules: &[&RuleInfo], conditions: &[&CExpr]) -> bool {
    !rules.is_empty()
        && rules.iter().all(|rule| {
            let mut exprs = Vec::new();
            search::reach_exprs(program, rule, &mut exprs);
            exprs.extend(conditions.iter().copied());
            let Some(today) = search::common_day(program, rule, rule, &exprs) else {
                return false;
            };
            let space = Space::of(program, &exprs, today);
            let found = space.find(program, |facts| {
                let mut scope = Scope::new(program, facts, today);
                let mut holds = search::reaches(program, &mut scope, rule);
                for condition in conditions {
                    holds = search::and(holds, search::truth(&mut scope, condition));
                }
                holds != Some(false)
            });
            matches!(found, Search::Exhausted)
        })
}
