//! Exhaustive search over the finite part of the fact space.
//!
//! The lints that ask "can this ever hold?" try every combination of the
//! facts a set of conditions reads, as far as those facts have finitely many
//! values that matter: booleans, enum values, the enum values a set is tested
//! against, and dates placed before, on and after every date the conditions
//! mention (and in every order among themselves). Facts outside that finite
//! part (amounts, text, dates moved by arithmetic) stay unknown, and
//! three-valued evaluation keeps the answer sound: a condition that comes out
//! false with a fact unknown is false whatever the fact is.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use chrono::{Days, NaiveDate};

use crate::case::{Facts, Slot};
use crate::check::ir::{CExpr, CExprKind, DefId, FactId, Program, RuleId, RuleInfo};
use crate::eval::{Scope, Tri};
use crate::value::{Base, EnumId, Value};

/// More combinations than this and the search gives up without a verdict.
pub const MAX_COMBINATIONS: u64 = 200_000;
/// Sets are enumerated over at most this many values mentioned in the conditions.
const MAX_SET_VALUES: usize = 8;

/// What a search found.
pub enum Search {
    /// A combination for which the predicate held; the facts it set.
    Found(Facts),
    /// Every combination was tried and none satisfied the predicate.
    Exhausted,
    /// Too many combinations to try; no verdict.
    TooLarge,
}

/// What a set of conditions reads: facts, and the literals they are compared with.
#[derive(Default)]
struct Reads {
    facts: BTreeSet<FactId>,
    dates: BTreeSet<NaiveDate>,
    enum_values: BTreeMap<EnumId, BTreeSet<u32>>,
    numbers: BTreeSet<i64>,
    /// Facts moved by date or number arithmetic: left unknown.
    arithmetic: HashSet<FactId>,
    defs: HashSet<DefId>,
}

impl Reads {
    /// Walks every operand, however deep (the stack grows rather than the
    /// walk stopping short, which would leave facts out of the search).
    fn walk(&mut self, program: &Program, expr: &CExpr, in_arithmetic: bool) {
        crate::limits::with_stack(|| self.walk_here(program, expr, in_arithmetic));
    }

    fn walk_here(&mut self, program: &Program, expr: &CExpr, in_arithmetic: bool) {
        match &expr.kind {
            CExprKind::Literal(value) => self.literal(value),
            CExprKind::Fact(id) => {
                self.facts.insert(*id);
                if in_arithmetic {
                    self.arithmetic.insert(*id);
                }
            }
            CExprKind::Def(id) => {
                if self.defs.insert(*id) {
                    if let Some(def) = program.definitions.get(*id as usize) {
                        self.walk(program, &def.body, in_arithmetic);
                    }
                } else if in_arithmetic {
                    // Already walked: its facts are read, but now also moved.
                    let mut inner = Reads::default();
                    if let Some(def) = program.definitions.get(*id as usize) {
                        inner.walk(program, &def.body, true);
                    }
                    self.arithmetic.extend(inner.facts);
                }
            }
            CExprKind::Today => {}
            CExprKind::Not(e) | CExprKind::IsSet(e) | CExprKind::IsUnset(e) => {
                self.walk(program, e, in_arithmetic);
            }
            CExprKind::And(l, r) | CExprKind::Or(l, r) | CExprKind::Compare(_, l, r) => {
                self.walk(program, l, in_arithmetic);
                self.walk(program, r, in_arithmetic);
            }
            CExprKind::Member {
                element,
                collection,
                ..
            } => {
                self.walk(program, element, in_arithmetic);
                self.walk(program, collection, in_arithmetic);
            }
            CExprKind::Add(l, r) | CExprKind::Sub(l, r) => {
                self.walk(program, l, true);
                self.walk(program, r, true);
            }
        }
    }

    fn literal(&mut self, value: &Value) {
        match value {
            Value::Date(d) => {
                self.dates.insert(*d);
            }
            Value::Int(n) | Value::Money(n) => {
                self.numbers.insert(*n);
            }
            Value::Enum(e, i) => {
                self.enum_values.entry(*e).or_default().insert(*i);
            }
            Value::Set(e, values) => {
                self.enum_values
                    .entry(*e)
                    .or_default()
                    .extend(values.iter().copied());
            }
            _ => {}
        }
    }
}

/// The values worth trying for each fact the conditions read.
pub struct Space {
    vars: Vec<(FactId, Vec<Slot>)>,
}

impl Space {
    /// The space of the facts `exprs` read (definitions followed), with
    /// `today` among the dates tried.
    pub fn of(program: &Program, exprs: &[&CExpr], today: NaiveDate) -> Space {
        let mut reads = Reads::default();
        for expr in exprs {
            reads.walk(program, expr, false);
        }
        reads.dates.insert(today);
        let date_facts = reads
            .facts
            .iter()
            .filter(|id| {
                program
                    .facts
                    .get(**id as usize)
                    .is_some_and(|f| f.ty.base == Base::Date)
            })
            .count();
        let date_points = date_points(&reads.dates, date_facts);
        let mut vars = Vec::new();
        for &id in &reads.facts {
            let Some(fact) = program.facts.get(id as usize) else {
                continue;
            };
            if reads.arithmetic.contains(&id) {
                continue;
            }
            let mut values: Vec<Slot> = match fact.ty.base {
                Base::Bool => vec![
                    Slot::Known(Value::Bool(true)),
                    Slot::Known(Value::Bool(false)),
                ],
                Base::Enum(e) => {
                    let count = program.enums.get(e as usize).map_or(0, |e| e.values.len());
                    (0..count as u32)
                        .map(|i| Slot::Known(Value::Enum(e, i)))
                        .collect()
                }
                Base::Set(e) | Base::List(e) => {
                    let mentioned: Vec<u32> = reads
                        .enum_values
                        .get(&e)
                        .map(|v| v.iter().copied().take(MAX_SET_VALUES).collect())
                        .unwrap_or_default();
                    subsets(&mentioned)
                        .into_iter()
                        .map(|s| Slot::Known(Value::Set(e, s.into())))
                        .collect()
                }
                Base::Date => date_points
                    .iter()
                    .map(|d| Slot::Known(Value::Date(*d)))
                    .collect(),
                Base::Int | Base::Money if !reads.numbers.is_empty() => {
                    let mut around = BTreeSet::new();
                    for n in &reads.numbers {
                        around.extend([n.saturating_sub(1), *n, n.saturating_add(1)]);
                    }
                    let wrap = |n: i64| match fact.ty.base {
                        Base::Money => Value::Money(n),
                        _ => Value::Int(n),
                    };
                    around.into_iter().map(|n| Slot::Known(wrap(n))).collect()
                }
                _ => continue,
            };
            if fact.ty.optional {
                values.push(Slot::Null);
            }
            if !values.is_empty() {
                vars.push((id, values));
            }
        }
        Space { vars }
    }

    /// How many combinations the space holds.
    pub fn size(&self) -> u64 {
        self.vars
            .iter()
            .try_fold(1u64, |acc, (_, v)| acc.checked_mul(v.len() as u64))
            .unwrap_or(u64::MAX)
    }

    /// Tries every combination until `holds` accepts one.
    pub fn find(&self, program: &Program, mut holds: impl FnMut(&Facts) -> bool) -> Search {
        if self.size() > MAX_COMBINATIONS {
            return Search::TooLarge;
        }
        let mut facts = Facts::unknown(program);
        let mut digits = vec![0usize; self.vars.len()];
        for (id, values) in &self.vars {
            if let Some(slot) = facts.slots.get_mut(*id as usize) {
                *slot = values[0].clone();
            }
        }
        loop {
            if holds(&facts) {
                return Search::Found(facts);
            }
            // Next combination, odometer style.
            let mut place = 0;
            loop {
                let Some((id, values)) = self.vars.get(place) else {
                    return Search::Exhausted;
                };
                digits[place] += 1;
                if digits[place] == values.len() {
                    digits[place] = 0;
                }
                if let Some(slot) = facts.slots.get_mut(*id as usize) {
                    *slot = values[digits[place]].clone();
                }
                if digits[place] != 0 {
                    break;
                }
                place += 1;
            }
        }
    }

    /// The facts the space sets.
    pub fn facts(&self) -> impl Iterator<Item = FactId> + '_ {
        self.vars.iter().map(|(id, _)| *id)
    }
}

/// Every date point that tells the literals apart: each literal, the day
/// before and after it, and room for `facts` distinct dates in each gap.
fn date_points(literals: &BTreeSet<NaiveDate>, facts: usize) -> Vec<NaiveDate> {
    let room = facts.max(1) as u64;
    let mut points = BTreeSet::new();
    let list: Vec<NaiveDate> = literals.iter().copied().collect();
    for (i, d) in list.iter().enumerate() {
        points.insert(*d);
        for k in 1..=room {
            if let Some(before) = d.checked_sub_days(Days::new(k)) {
                // Stay in the gap above the previous literal.
                if i == 0 || list[i - 1] < before {
                    points.insert(before);
                }
            }
            if let Some(after) = d.checked_add_days(Days::new(k)) {
                if list.get(i + 1).is_none_or(|next| after < *next) {
                    points.insert(after);
                }
            }
        }
    }
    points.into_iter().collect()
}

fn subsets(values: &[u32]) -> Vec<Vec<u32>> {
    let mut out = Vec::with_capacity(1 << values.len());
    for mask in 0u32..(1 << values.len()) {
        let mut set: Vec<u32> = values
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, v)| *v)
            .collect();
        set.sort_unstable();
        out.push(set);
    }
    out
}

/// A condition's truth: `Some(true)`, `Some(false)`, or `None` when it
/// depends on facts left unknown.
pub fn truth(scope: &mut Scope<'_>, expr: &CExpr) -> Option<bool> {
    match scope.eval(expr) {
        Tri::Unknown => None,
        other => Some(other.truth().unwrap_or(false)),
    }
}

/// Kleene conjunction of three-valued truths.
pub fn and(a: Option<bool>, b: Option<bool>) -> Option<bool> {
    match (a, b) {
        (Some(false), _) | (_, Some(false)) => Some(false),
        (Some(true), Some(true)) => Some(true),
        _ => None,
    }
}

/// Whether one of the rule's roles holds (a rule without roles binds everyone)
/// and its `when` conditions hold.
pub fn reaches(program: &Program, scope: &mut Scope<'_>, rule: &RuleInfo) -> Option<bool> {
    let mut roles = if rule.roles.is_empty() {
        Some(true)
    } else {
        Some(false)
    };
    for &role in &rule.roles {
        let Some(info) = program.roles.get(role as usize) else {
            continue;
        };
        roles = match (roles, truth(scope, &info.condition)) {
            (Some(true), _) | (_, Some(true)) => Some(true),
            (Some(false), Some(false)) => Some(false),
            _ => None,
        };
    }
    let mut result = roles;
    if let Some(trigger) = &rule.trigger {
        // The event must have happened, on or after the rule took effect.
        let start = program
            .regulations
            .get(rule.regulation as usize)
            .filter(|r| r.status != crate::syntax::ast::RegulationStatus::Draft)
            .and_then(|r| r.effective)
            .max(rule.effective);
        let happened = match scope.eval(trigger) {
            Tri::Known(Value::Date(day)) => Some(start.is_none_or(|s| s <= day)),
            Tri::Null => Some(false),
            _ => None,
        };
        result = and(result, happened);
    }
    for when in &rule.when {
        result = and(result, truth(scope, when));
    }
    result
}

/// Whether the rule binds the party: its dates include `today`, it reaches
/// the party, no `unless` holds and none of its exceptions binds.
pub fn binds(program: &Program, scope: &mut Scope<'_>, id: RuleId, depth: usize) -> Option<bool> {
    let Some(rule) = program.rules.get(id as usize) else {
        return Some(false);
    };
    if depth > 32 || !dated_in(program, rule, scope.today) {
        return Some(false);
    }
    let mut result = reaches(program, scope, rule);
    for unless in &rule.unless {
        result = and(result, truth(scope, unless).map(|t| !t));
    }
    for &exception in program.exceptions.get(id as usize).into_iter().flatten() {
        let excepted = binds(program, scope, exception, depth + 1);
        result = and(result, excepted.map(|t| !t));
    }
    result
}

/// Whether the rule's regulation (draft or not) and the rule itself cover `day`.
pub fn dated_in(program: &Program, rule: &RuleInfo, day: NaiveDate) -> bool {
    let Some(regulation) = program.regulations.get(rule.regulation as usize) else {
        return false;
    };
    let from = rule
        .effective
        .or(regulation.effective)
        .or(regulation.issued);
    let until = match (rule.until, regulation.repealed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    from.is_none_or(|f| f <= day) && until.is_none_or(|u| day < u)
}

/// A day on which both rules are dated in, after every date the conditions
/// mention, if there is one.
pub fn common_day(
    program: &Program,
    a: &RuleInfo,
    b: &RuleInfo,
    exprs: &[&CExpr],
) -> Option<NaiveDate> {
    let mut reads = Reads::default();
    for expr in exprs {
        reads.walk(program, expr, false);
    }
    let mut candidates: Vec<NaiveDate> = Vec::new();
    for rule in [a, b] {
        if let Some(r) = program.regulations.get(rule.regulation as usize) {
            candidates.extend(r.effective.or(r.issued));
        }
        candidates.extend(rule.effective);
    }
    let latest = reads.dates.iter().chain(&candidates).max().copied();
    candidates.extend(latest.and_then(|d| d.checked_add_days(Days::new(30))));
    if candidates.is_empty() {
        candidates.push(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap_or_default());
    }
    candidates.sort_unstable();
    candidates
        .into_iter()
        .rev()
        .find(|d| dated_in(program, a, *d) && dated_in(program, b, *d))
}

/// The conditions that decide whether a rule binds: its roles, `when`,
/// `unless`, and those of its exceptions.
pub fn binding_exprs<'p>(program: &'p Program, id: RuleId, out: &mut Vec<&'p CExpr>, depth: usize) {
    let Some(rule) = program.rules.get(id as usize) else {
        return;
    };
    if depth > 32 {
        return;
    }
    reach_exprs(program, rule, out);
    out.extend(rule.unless.iter());
    for &exception in program.exceptions.get(id as usize).into_iter().flatten() {
        binding_exprs(program, exception, out, depth + 1);
    }
}

/// The conditions that decide whether a rule reaches a party: roles, `from`
/// and `when`.
pub fn reach_exprs<'p>(program: &'p Program, rule: &'p RuleInfo, out: &mut Vec<&'p CExpr>) {
    for &role in &rule.roles {
        if let Some(info) = program.roles.get(role as usize) {
            out.push(&info.condition);
        }
    }
    out.extend(rule.trigger.iter());
    out.extend(rule.when.iter());
}

/// The facts a search set, as a case file in JSON, nested by path, with
/// `as_of`.
pub fn case_json(program: &Program, facts: &Facts, set: &[FactId], as_of: NaiveDate) -> String {
    let mut root = serde_json::Map::new();
    root.insert("as_of".into(), serde_json::Value::String(as_of.to_string()));
    for &id in set {
        let Some(info) = program.facts.get(id as usize) else {
            continue;
        };
        let value = match facts.slots.get(id as usize) {
            Some(Slot::Null) => serde_json::Value::Null,
            Some(Slot::Known(v)) => crate::case::json_value(program, v),
            _ => continue,
        };
        let parts: Vec<&str> = info.path.split('.').collect();
        let Some((last, records)) = parts.split_last() else {
            continue;
        };
        insert_at(&mut root, records, last, value);
    }
    let mut text =
        serde_json::to_string_pretty(&serde_json::Value::Object(root)).unwrap_or_default();
    text.push('\n');
    text
}

fn insert_at(
    map: &mut serde_json::Map<String, serde_json::Value>,
    records: &[&str],
    last: &str,
    value: serde_json::Value,
) {
    match records.split_first() {
        None => {
            map.insert(last.to_string(), value);
        }
        Some((record, rest)) => {
            let entry = map
                .entry(record.to_string())
                .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
            if let serde_json::Value::Object(inner) = entry {
                insert_at(inner, rest, last, value);
            }
        }
    }
}
