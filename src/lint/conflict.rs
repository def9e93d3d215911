//! Conflicts: a `must` and a `must not` of the same act that can bind the
//! same party in the same case, found by exhaustive search and shown with
//! that case.

use super::checks::rule_decls;
use super::codes::LintCode;
use super::search::{self, Search, Space};
use super::warning::LintWarning;
use crate::check::ir::{FactId, Program, RuleId};
use crate::eval::Scope;
use crate::syntax::ast::{File, Modality};

/// The act as compared between rules: lower case, spaces collapsed.
fn act_key(action: &str) -> String {
    action
        .split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

pub(super) fn run(program: &Program, files: &[Option<File>]) -> Vec<LintWarning> {
    let decls = rule_decls(files);
    let mut out = Vec::new();
    for (a, duty) in program.rules.iter().enumerate() {
        if duty.modality != Modality::Must {
            continue;
        }
        let key = act_key(&duty.action);
        for (b, ban) in program.rules.iter().enumerate() {
            if ban.modality != Modality::MustNot || act_key(&ban.action) != key {
                continue;
            }
            let Some(example) = both_bind(program, a as RuleId, b as RuleId) else {
                continue;
            };
            let (Some(&(file_a, decl_a)), Some(&(file_b, decl_b))) =
                (decls.get(duty.id.as_ref()), decls.get(ban.id.as_ref()))
            else {
                continue;
            };
            let (Some(source_a), Some(source_b)) = (
                program.sources.get(file_a as usize),
                program.sources.get(file_b as usize),
            ) else {
                continue;
            };
            let mut warning = LintWarning::new(
                LintCode::Conflict,
                source_a,
                decl_a.name.span,
                format!(
                    "rules `{}` and `{}` can require and forbid the same act of the same party: \"{}\"",
                    duty.id, ban.id, duty.action
                ),
                "requires the act",
            )
            .with_note(source_b, decl_b.name.span, format!("forbids it (`{}`)", ban.id))
            .with_help(format!(
                "in the example case both bind the party; make one an `exception to` the other, narrow a `when`, or `allow conflict \"reason\"` if the statute itself conflicts. Example case:\n{example}"
            ));
            warning.example = Some(example);
            out.push(warning);
        }
    }
    out
}

/// A case file (JSON) in which both rules bind the party, if the finite
/// search finds one.
fn both_bind(program: &Program, a: RuleId, b: RuleId) -> Option<String> {
    let (rule_a, rule_b) = (
        program.rules.get(a as usize)?,
        program.rules.get(b as usize)?,
    );
    let mut exprs = Vec::new();
    search::binding_exprs(program, a, &mut exprs, 0);
    search::binding_exprs(program, b, &mut exprs, 0);
    let today = search::common_day(program, rule_a, rule_b, &exprs)?;
    let space = Space::of(program, &exprs, today);
    let found = space.find(program, |facts| {
        let mut scope = Scope::new(program, facts, today);
        search::binds(program, &mut scope, a, 0) == Some(true)
            && search::binds(program, &mut scope, b, 0) == Some(true)
    });
    match found {
        Search::Found(facts) => {
            let set: Vec<FactId> = space.facts().collect();
            Some(search::case_json(program, &facts, &set, today))
        }
        Search::Exhausted | Search::TooLarge => None,
    }
}
