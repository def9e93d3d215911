//! The lints over single rules and facts: unused facts, conditions that never
//! hold, exceptions that never fire, deadlines run from unset facts.

use std::collections::{HashMap, HashSet};

use super::codes::LintCode;
use super::search::{self, Search, Space};
use super::warning::LintWarning;
use crate::check::ir::{CExpr, CExprKind, DeadlineInfo, FactId, FileId, Program, RuleInfo};
use crate::eval::{Scope, Tri};
use crate::syntax::ast::{Clause, File, Item, RuleDecl};

/// Each rule's syntax tree, by name, with its file.
pub(super) fn rule_decls(files: &[Option<File>]) -> HashMap<&str, (FileId, &RuleDecl)> {
    let mut out = HashMap::new();
    for (file, parsed) in files.iter().enumerate() {
        for item in parsed.iter().flat_map(|f| &f.items) {
            if let Item::Rule(rule) = item {
                out.insert(rule.name.node.as_str(), (file as FileId, rule));
            }
        }
    }
    out
}

pub(super) fn run(program: &Program, files: &[Option<File>]) -> Vec<LintWarning> {
    let mut out = unused_facts(program);
    let decls = rule_decls(files);
    for rule in &program.rules {
        let Some(&(file, decl)) = decls.get(rule.id.as_ref()) else {
            continue;
        };
        let Some(source) = program.sources.get(file as usize) else {
            continue;
        };
        let warn = |code, span, message: String, label: &str| {
            LintWarning::new(code, source, span, message, label)
        };
        if never_holds(program, rule) {
            let mut warning = warn(
                LintCode::NeverHolds,
                decl.name.span,
                format!("rule `{}` can never apply: its conditions contradict each other", rule.id),
                "no case reaches this rule",
            )
            .with_help("no combination of roles, enum values, true/false facts and date orderings satisfies every `applies to` and `when`; correct the condition meant differently");
            for clause in &decl.clauses {
                if matches!(clause.node, Clause::When(_) | Clause::AppliesTo(_)) {
                    warning = warning.with_note(source, clause.span, "one of the conditions");
                }
            }
            out.push(warning);
            // What follows assumes the rule can apply.
            continue;
        }
        let unless_spans = decl.clauses.iter().filter_map(|c| match &c.node {
            Clause::Unless(_) => Some(c.span),
            _ => None,
        });
        for (unless, span) in rule.unless.iter().zip(unless_spans) {
            if never_fires_unless(program, rule, unless) {
                out.push(
                    warn(
                        LintCode::NeverFires,
                        span,
                        format!("this `unless` of rule `{}` can never apply", rule.id),
                        "false whenever the rule applies",
                    )
                    .with_help("in every case the rule reaches, this condition is false, so it exempts nobody; correct it or remove it"),
                );
            }
        }
        if let Some(target) = rule
            .exception_to
            .and_then(|t| program.rules.get(t as usize))
        {
            if never_meets(program, rule, target) {
                let span = decl
                    .clauses
                    .iter()
                    .find(|c| matches!(c.node, Clause::ExceptionTo(_)))
                    .map_or(decl.name.span, |c| c.span);
                out.push(
                    warn(
                        LintCode::NeverFires,
                        span,
                        format!(
                            "exception `{}` can never apply to a party that `{}` reaches",
                            rule.id, target.id
                        ),
                        "never meets the rule it excepts",
                    )
                    .with_help(format!(
                        "no case satisfies the conditions of both `{}` and `{}`; the exception exempts nobody",
                        rule.id, target.id
                    )),
                );
            }
        }
        if let Some((anchor, example)) = unguarded_anchor(program, rule) {
            let span = decl
                .clauses
                .iter()
                .find(|c| matches!(c.node, Clause::Deadline(_)))
                .map_or(decl.name.span, |c| c.span);
            let mut warning = warn(
                LintCode::UnguardedAnchor,
                span,
                format!("the deadline of rule `{}` runs from `{anchor}`, which may be unset when the rule applies", rule.id),
                "may have no date to run from",
            )
            .with_help(format!("add `when {anchor} is set`"));
            warning.example = Some(example);
            out.push(warning);
        }
    }
    out
}

/// Facts that no definition, role, penalty or rule reads.
fn unused_facts(program: &Program) -> Vec<LintWarning> {
    let mut read = HashSet::new();
    let mut exprs: Vec<&CExpr> = Vec::new();
    exprs.extend(program.definitions.iter().map(|d| &d.body));
    exprs.extend(program.roles.iter().map(|r| &r.condition));
    for penalty in &program.penalties {
        exprs.extend(penalty.reviews.iter().filter_map(|r| r.condition.as_ref()));
        for version in &penalty.versions {
            exprs.extend(
                version
                    .sanctions
                    .iter()
                    .filter_map(|s| s.condition.as_ref()),
            );
            exprs.extend(version.tiers.iter().filter_map(|t| t.condition.as_ref()));
            let notes = version
                .reviews
                .iter()
                .chain(version.tiers.iter().flat_map(|t| t.reviews.iter()));
            exprs.extend(notes.filter_map(|r| r.condition.as_ref()));
        }
    }
    for rule in &program.rules {
        rule_exprs(rule, &mut exprs);
    }
    for expr in exprs {
        facts_read(expr, &mut read);
    }
    let mut out = Vec::new();
    for (id, fact) in program.facts.iter().enumerate() {
        if read.contains(&(id as FactId)) {
            continue;
        }
        let Some(source) = program.sources.get(fact.file as usize) else {
            continue;
        };
        out.push(
            LintWarning::new(
                LintCode::UnusedFact,
                source,
                fact.span,
                format!("fact `{}` is declared but nothing reads it", fact.path),
                "never read",
            )
            .with_help("use it in the condition that needs it, or remove it; a case supplying it changes nothing"),
        );
    }
    out
}

/// Every expression a rule holds.
pub(super) fn rule_exprs<'p>(rule: &'p RuleInfo, out: &mut Vec<&'p CExpr>) {
    out.extend(rule.when.iter());
    out.extend(rule.unless.iter());
    match &rule.deadline {
        Some(DeadlineInfo::Within { of: e, .. })
        | Some(DeadlineInfo::Before { date: e, .. })
        | Some(DeadlineInfo::By(e))
        | Some(DeadlineInfo::StrictlyBefore(e))
        | Some(DeadlineInfo::Judgement(_, Some(e))) => out.push(e),
        _ => {}
    }
    out.extend(rule.trigger.iter());
    for test in rule.done.iter().chain(&rule.breached) {
        out.extend(test.condition.iter());
        out.extend(test.on.iter());
    }
    out.extend(rule.reviews.iter().filter_map(|r| r.condition.as_ref()));
    out.extend(rule.kept_for.iter());
}

/// Facts an expression reads directly (definitions are read on their own).
/// Every operand is walked, however deep: a fact read at the far end of a long
/// `and` chain is still read (the stack grows instead of the walk stopping).
fn facts_read(expr: &CExpr, out: &mut HashSet<FactId>) {
    crate::limits::with_stack(|| facts_read_here(expr, out));
}

fn facts_read_here(expr: &CExpr, out: &mut HashSet<FactId>) {
    match &expr.kind {
        CExprKind::Fact(id) => {
            out.insert(*id);
        }
        CExprKind::Literal(_) | CExprKind::Def(_) | CExprKind::Today => {}
        CExprKind::Not(e) | CExprKind::IsSet(e) | CExprKind::IsUnset(e) => {
            facts_read(e, out);
        }
        CExprKind::And(l, r)
        | CExprKind::Or(l, r)
        | CExprKind::Compare(_, l, r)
        | CExprKind::Add(l, r)
        | CExprKind::Sub(l, r)
        | CExprKind::Member {
            element: l,
            collection: r,
            ..
        } => {
            facts_read(l, out);
            facts_read(r, out);
        }
    }
}

/// The day to evaluate a single rule on: after every date it mentions,
/// within its own dates.
fn day_for(program: &Program, rule: &RuleInfo, exprs: &[&CExpr]) -> Option<chrono::NaiveDate> {
    search::common_day(program, rule, rule, exprs)
}

/// Whether no case satisfies the rule's roles and `when` conditions.
fn never_holds(program: &Program, rule: &RuleInfo) -> bool {
    if rule.roles.is_empty() && rule.when.is_empty() {
        return false;
    }
    let mut exprs = Vec::new();
    search::reach_exprs(program, rule, &mut exprs);
    let Some(today) = day_for(program, rule, &exprs) else {
        return false;
    };
    let space = Space::of(program, &exprs, today);
    let found = space.find(program, |facts| {
        let mut scope = Scope::new(program, facts, today);
        search::reaches(program, &mut scope, rule) != Some(false)
    });
    matches!(found, Search::Exhausted)
}

/// Whether `unless` is false in every case the rule reaches.
fn never_fires_unless(program: &Program, rule: &RuleInfo, unless: &CExpr) -> bool {
    let mut exprs = Vec::new();
    search::reach_exprs(program, rule, &mut exprs);
    exprs.push(unless);
    let Some(today) = day_for(program, rule, &exprs) else {
        return false;
    };
    let space = Space::of(program, &exprs, today);
    let found = space.find(program, |facts| {
        let mut scope = Scope::new(program, facts, today);
        let reached = search::reaches(program, &mut scope, rule);
        search::and(reached, search::truth(&mut scope, unless)) != Some(false)
    });
    matches!(found, Search::Exhausted)
}

/// Whether no case reaches both an exception and the rule it excepts.
fn never_meets(program: &Program, exception: &RuleInfo, target: &RuleInfo) -> bool {
    let mut exprs = Vec::new();
    search::reach_exprs(program, exception, &mut exprs);
    search::reach_exprs(program, target, &mut exprs);
    let Some(today) = search::common_day(program, exception, target, &exprs) else {
        return false;
    };
    let space = Space::of(program, &exprs, today);
    let found = space.find(program, |facts| {
        let mut scope = Scope::new(program, facts, today);
        let a = search::reaches(program, &mut scope, exception);
        search::and(a, search::reaches(program, &mut scope, target)) != Some(false)
    });
    matches!(found, Search::Exhausted)
}

/// A deadline anchor that can be unset while the rule surely applies: the
/// anchor's text and an example case.
fn unguarded_anchor(program: &Program, rule: &RuleInfo) -> Option<(String, String)> {
    let anchor = match &rule.deadline {
        Some(DeadlineInfo::Within { of: e, .. })
        | Some(DeadlineInfo::Before { date: e, .. })
        | Some(DeadlineInfo::By(e))
        | Some(DeadlineInfo::StrictlyBefore(e))
        | Some(DeadlineInfo::Judgement(_, Some(e))) => e,
        _ => return None,
    };
    let mut exprs = Vec::new();
    search::reach_exprs(program, rule, &mut exprs);
    exprs.push(anchor);
    let today = day_for(program, rule, &exprs)?;
    let space = Space::of(program, &exprs, today);
    let found = space.find(program, |facts| {
        let mut scope = Scope::new(program, facts, today);
        search::reaches(program, &mut scope, rule) == Some(true)
            && matches!(scope.eval(anchor), Tri::Null)
    });
    match found {
        Search::Found(facts) => {
            let set: Vec<FactId> = space.facts().collect();
            Some((
                anchor.text.to_string(),
                search::case_json(program, &facts, &set, today),
            ))
        }
        _ => None,
    }
}
