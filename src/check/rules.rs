//! Checking rules: their clauses, the names they refer to, and the guards
//! their `when` clauses establish for everything else in the rule.

use std::collections::HashMap;

use super::error::{CheckCode, CheckError};
use super::expr::{ExprChecker, Guards};
use super::ir::*;
use super::{Checker, exception_order};
use crate::source::{Source, Span, Spanned};
use crate::syntax::ast::{self, Clause, Deadline, Modality, TimeUnit};
use crate::value::Type;

impl Checker {
    pub(super) fn collect_rules(
        &mut self,
        rules: Vec<(FileId, ast::RuleDecl)>,
        file_regulation: &HashMap<FileId, u32>,
    ) {
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        let mut exception_names: Vec<Option<Spanned<String>>> = Vec::new();
        let mut kept: Vec<(FileId, Span)> = Vec::new();
        for (file, rule) in rules {
            if let Some(&first) = seen.get(&rule.name.node) {
                self.duplicate("rule", &rule.name.node, file, rule.name.span, first);
                continue;
            }
            seen.insert(rule.name.node.clone(), (file, rule.name.span));
            let source = self.source(file);
            let Some(&regulation) = file_regulation.get(&file) else {
                let error = CheckError::new(CheckCode::RuleOutsideRegulation, &source, rule.name.span, format!("rule `{}` is in a file without a regulation header", rule.name.node))
                    .help("every rule belongs to a regulation: start the file with `regulation <id> { ... }`, or move the rule into that regulation's file");
                self.push(error);
                continue;
            };
            if let Some((info, exception)) = self.check_rule(file, &source, regulation, &rule) {
                exception_names.push(exception);
                kept.push((file, rule.name.span));
                self.program.rules.push(info);
            }
        }
        // Exceptions refer to rules by id, possibly declared later or elsewhere.
        for (index, exception) in exception_names.into_iter().enumerate() {
            let Some(target) = exception else { continue };
            let (file, _) = kept[index];
            match self
                .program
                .rules
                .iter()
                .position(|r| *r.id == *target.node)
            {
                Some(t) if t == index => {
                    let source = self.source(file);
                    self.push(CheckError::new(
                        CheckCode::ExceptionCycle,
                        &source,
                        target.span,
                        "a rule cannot be an exception to itself",
                    ));
                }
                Some(t) => self.program.rules[index].exception_to = Some(t as RuleId),
                None => {
                    let source = self.source(file);
                    let ids: Vec<&str> = self.program.rules.iter().map(|r| r.id.as_ref()).collect();
                    let hint = self
                        .suggest(&target.node, ids)
                        .unwrap_or_else(|| "name a rule declared in the policy set".into());
                    let error = CheckError::new(
                        CheckCode::UnknownRule,
                        &source,
                        target.span,
                        format!("no rule is called `{}`", target.node),
                    )
                    .label("unknown rule")
                    .help(hint);
                    self.push(error);
                }
            }
        }
        let mut exceptions = vec![Vec::new(); self.program.rules.len()];
        for (id, rule) in self.program.rules.iter().enumerate() {
            if let Some(target) = rule
                .exception_to
                .and_then(|t| exceptions.get_mut(t as usize))
            {
                target.push(id as RuleId);
            }
        }
        self.program.exceptions = exceptions;
        match exception_order(&self.program.rules) {
            Ok(order) => self.program.rule_order = order,
            Err(cycle) => {
                let Some(&first) = cycle.first() else { return };
                let (file, span) = kept[first as usize];
                let source = self.source(file);
                let names: Vec<&str> = cycle
                    .iter()
                    .map(|&r| self.program.rules[r as usize].id.as_ref())
                    .collect();
                let error = CheckError::new(CheckCode::ExceptionCycle, &source, span, format!("rules are exceptions to each other in a circle: {}", names.join(" → ")))
                    .help("an exception must win over the rule it excepts; one of these `exception to` clauses has to go");
                self.push(error);
            }
        }
    }

    fn check_rule(
        &mut self,
        file: FileId,
        source: &Source,
        regulation: u32,
        rule: &ast::RuleDecl,
    ) -> Option<(RuleInfo, Option<Spanned<String>>)> {
        let errors_before = self.errors.iter().filter(|e| !e.is_warning()).count();
        let mut info = RuleInfo {
            id: rule.name.node.as_str().into(),
            doc: rule.doc.as_ref().map(|d| d.node.clone()),
            regulation,
            file,
            span: rule.name.span,
            cites: Vec::<String>::new().into(),
            modality: Modality::Must,
            action: "".into(),
            roles: Vec::new(),
            when: Vec::new(),
            unless: Vec::new(),
            trigger: None,
            deadline: None,
            done: None,
            breached: None,
            kept_for: None,
            exception_to: None,
            penalties: Vec::new(),
            arguable: Vec::new(),
            reviews: Vec::new(),
            effective: None,
            until: None,
            rolls_over_holidays: false,
            deadline_label: "".into(),
        };
        let mut cites: Vec<String> = Vec::new();
        let mut exception = None;
        let mut modality_span: Option<Span> = None;
        let mut deadline_span: Option<Span> = None;

        // `commencement` names the day the rule starts to bind.
        let regulation_effective = self
            .program
            .regulations
            .get(regulation as usize)
            .and_then(|r| r.effective);
        let rule_effective = rule.clauses.iter().find_map(|c| match c.node {
            Clause::EffectiveFrom(date) => Some(date),
            _ => None,
        });
        self.commencement = rule_effective.max(regulation_effective);
        // The trigger date and the `when` clauses guard everything else in the rule.
        let mut trigger_guards = Guards::new();
        for clause in &rule.clauses {
            if let Clause::From(expr) = &clause.node {
                trigger_guards.extend(path_guard(expr));
            }
        }
        let mut guards = trigger_guards.clone();
        for clause in &rule.clauses {
            if let Clause::When(expr) = &clause.node {
                guards.extend(self.set_when(expr, true));
            }
        }
        let conflict = |this: &mut Self, span: Span, first: Span, what: &str| {
            let error = CheckError::new(
                CheckCode::ConflictingClauses,
                source,
                span,
                format!("a rule has one {what}"),
            )
            .label("second one")
            .also(first, "first one")
            .help("if the article states both, split it into two rules");
            this.push(error);
        };

        for clause in &rule.clauses {
            match &clause.node {
                Clause::Cite(text) => cites.push(text.clone()),
                Clause::AppliesTo(roles) => {
                    for role in roles {
                        if role.node == "anyone" {
                            continue;
                        }
                        match self.role_id(&role.node) {
                            Some(id) => info.roles.push(id),
                            None => {
                                let names: Vec<&str> =
                                    self.program.roles.iter().map(|r| r.name.as_str()).collect();
                                let hint = self
                                    .suggest(&role.node, names.iter().copied())
                                    .unwrap_or_else(|| {
                                        if names.is_empty() {
                                            "declare it with `role <name> \"...\" when <condition>`"
                                                .into()
                                        } else {
                                            format!("the roles are: anyone, {}", names.join(", "))
                                        }
                                    });
                                let error = CheckError::new(
                                    CheckCode::UnknownRole,
                                    source,
                                    role.span,
                                    format!("no role is called `{}`", role.node),
                                )
                                .label("unknown role")
                                .help(hint);
                                self.push(error);
                            }
                        }
                    }
                }
                Clause::From(expr) => {
                    let first = rule
                        .clauses
                        .iter()
                        .find_map(|c| match &c.node {
                            Clause::From(e) => Some(e.span),
                            _ => None,
                        })
                        .unwrap_or(expr.span);
                    if first != expr.span {
                        conflict(self, expr.span, first, "`from` clause");
                        continue;
                    }
                    if let Some(c) = (ExprChecker {
                        checker: self,
                        source,
                    })
                    .check_as(expr, Type::DATE, &trigger_guards)
                    {
                        info.trigger = Some(c);
                    }
                }
                Clause::Review(review) => {
                    let review = Spanned::new(review.clone(), clause.span);
                    if let Some(note) = self.check_review(source, &review, &guards) {
                        info.reviews.push(note);
                    }
                }
                Clause::When(expr) => {
                    let mut local = trigger_guards.clone();
                    // Guards from earlier `when` clauses only, so that two clauses cannot justify each other.
                    for c in &rule.clauses {
                        if std::ptr::eq(c, clause) {
                            break;
                        }
                        if let Clause::When(e) = &c.node {
                            local.extend(self.set_when(e, true));
                        }
                    }
                    if let Some(c) = (ExprChecker {
                        checker: self,
                        source,
                    })
                    .check_as(expr, Type::BOOL, &local)
                    {
                        info.when.push(c);
                    }
                }
                Clause::Unless(expr) => {
                    if let Some(c) = (ExprChecker {
                        checker: self,
                        source,
                    })
                    .check_as(expr, Type::BOOL, &guards)
                    {
                        info.unless.push(c);
                    }
                }
                Clause::Modality { modality, action } => {
                    if let Some(first) = modality_span {
                        conflict(
                            self,
                            clause.span,
                            first,
                            "modality (`must`, `must not`, `may`, `should`)",
                        );
                        continue;
                    }
                    modality_span = Some(clause.span);
                    info.modality = *modality;
                    info.action = action.as_str().into();
                }
                Clause::Deadline(deadline) => {
                    if let Some(first) = deadline_span {
                        conflict(self, clause.span, first, "deadline");
                        continue;
                    }
                    deadline_span = Some(clause.span);
                    info.deadline = self.check_deadline(source, deadline, &guards, regulation);
                }
                Clause::DoneWhen { condition, on } | Clause::BreachedWhen { condition, on } => {
                    let is_done = matches!(clause.node, Clause::DoneWhen { .. });
                    let already = if is_done {
                        info.done.is_some()
                    } else {
                        info.breached.is_some()
                    };
                    if already {
                        let error = CheckError::new(
                            CheckCode::ConflictingClauses,
                            source,
                            clause.span,
                            if is_done {
                                "a rule has one `done on` or `done when` clause"
                            } else {
                                "a rule has one `breached on` or `breached when` clause"
                            },
                        )
                        .help("join the conditions with `and` or `or`");
                        self.push(error);
                        continue;
                    }
                    // `on <date>`: a date given means the act happened; the
                    // `if` condition may read it.
                    let mut inner = guards.clone();
                    let date = match on {
                        Some(on) => {
                            inner.extend(path_guard(on));
                            match (ExprChecker {
                                checker: self,
                                source,
                            })
                            .check_as(on, Type::DATE, &inner)
                            {
                                Some(d) => Some(d),
                                None => continue,
                            }
                        }
                        None => None,
                    };
                    let checked = match condition {
                        Some(condition) => match (ExprChecker {
                            checker: self,
                            source,
                        })
                        .check_as(condition, Type::BOOL, &inner)
                        {
                            Some(c) => Some(c),
                            None => continue,
                        },
                        None => None,
                    };
                    let test = ActTest {
                        on: date,
                        condition: checked,
                    };
                    if is_done {
                        info.done = Some(test);
                    } else {
                        info.breached = Some(test);
                    }
                }
                Clause::KeptFor(expr) => {
                    // An unset retention means nothing is kept: reading it unchecked is the point.
                    let mut inner = guards.clone();
                    // `kept for` takes a duration (one period for every record) or a log
                    // fact (each record's own dates).
                    let mut want = Type::DURATION;
                    if let ast::Expr::Path(path) = &expr.node {
                        let text = path
                            .iter()
                            .map(|s| s.node.as_str())
                            .collect::<Vec<_>>()
                            .join(".");
                        if let Some(&id) = self.program.fact_index.get(text.as_str()) {
                            if self.program.facts[id as usize].ty.base == crate::value::Base::Log {
                                want = Type::new(crate::value::Base::Log);
                            }
                        }
                        inner.insert(text);
                    }
                    if let Some(c) = (ExprChecker {
                        checker: self,
                        source,
                    })
                    .check_as(expr, want, &inner)
                    {
                        info.kept_for = Some(c);
                    }
                }
                Clause::ExceptionTo(target) => exception = Some(target.clone()),
                Clause::EffectiveFrom(date) => info.effective = Some(*date),
                Clause::Until(date) => info.until = Some(*date),
                // Read by the linter, which knows the warning names.
                Clause::Allow { .. } => {}
                Clause::RollsOverHolidays => {
                    info.rolls_over_holidays = true;
                    if self.program.calendar_for(regulation).is_none() {
                        let error = CheckError::new(CheckCode::Unsupported, source, clause.span, "rolling a deadline over holidays needs the jurisdiction's holiday calendar")
                            .help("add calendar/<year>.toml files beside the policies and a `jurisdiction` to the regulation");
                        self.push(error);
                    }
                }
                Clause::Penalties(links) => {
                    for link in links {
                        let name = &link.penalty;
                        match self.penalty_id(&name.node) {
                            Some(id) => {
                                info.penalties.push(id);
                                info.arguable
                                    .push(link.arguable.as_ref().map(|a| a.node.as_str().into()));
                            }
                            None => {
                                let names: Vec<&str> = self
                                    .program
                                    .penalties
                                    .iter()
                                    .map(|p| p.name.as_str())
                                    .collect();
                                let hint = self.suggest(&name.node, names).unwrap_or_else(|| {
                                    "declare it with `penalty <name> { ... }`".into()
                                });
                                let error = CheckError::new(
                                    CheckCode::UnknownPenalty,
                                    source,
                                    name.span,
                                    format!("no penalty is called `{}`", name.node),
                                )
                                .label("unknown penalty")
                                .help(hint);
                                self.push(error);
                            }
                        }
                    }
                }
            }
        }
        info.cites = cites.into();
        info.deadline_label = match &info.deadline {
            Some(DeadlineInfo::Within { period, .. }) => format!("within {period} of").into(),
            Some(DeadlineInfo::Before { period, .. }) => format!("{period} before").into(),
            _ => "".into(),
        };
        self.commencement = None;
        self.check_rule_shape(source, rule, &info, modality_span);
        let errors_after = self.errors.iter().filter(|e| !e.is_warning()).count();
        (errors_after == errors_before).then_some((info, exception))
    }

    /// Clause combinations that make no sense for the rule's modality.
    fn check_rule_shape(
        &mut self,
        source: &Source,
        rule: &ast::RuleDecl,
        info: &RuleInfo,
        modality_span: Option<Span>,
    ) {
        let name = &rule.name;
        if info.cites.is_empty() {
            let error = CheckError::new(
                CheckCode::MissingCitation,
                source,
                name.span,
                format!("rule `{}` cites no article", name.node),
            )
            .help("add `cite \"Art. ...\"` so every finding can say where it comes from");
            self.push(error);
        }
        let Some(modality_span) = modality_span else {
            let error = CheckError::new(
                CheckCode::MissingModality,
                source,
                name.span,
                format!("rule `{}` does not say what is required", name.node),
            )
            .help(
                "add one of `must \"...\"`, `must not \"...\"`, `may \"...\"` or `should \"...\"`",
            );
            self.push(error);
            return;
        };
        let clause_span =
            |pred: fn(&Clause) -> bool| rule.clauses.iter().find(|c| pred(&c.node)).map(|c| c.span);
        let shape_error = |span: Span, message: &str, help: &str| {
            CheckError::new(
                CheckCode::ConflictingClauses,
                source,
                span,
                message.to_string(),
            )
            .also(modality_span, "the rule's modality")
            .help(help.to_string())
        };
        match info.modality {
            Modality::MustNot => {
                if clause_span(|c| matches!(c, Clause::BreachedWhen { .. })).is_none() {
                    let error = CheckError::new(CheckCode::MissingBreach, source, modality_span, "a prohibition needs to say what breaches it")
                        .label("prohibition")
                        .help("add `breached on <date> if <condition>`, e.g. `breached on publication.published_on if publication.includes_exploit_tool`");
                    self.push(error);
                }
                if let Some(span) = clause_span(|c| {
                    matches!(
                        c,
                        Clause::Deadline(_) | Clause::DoneWhen { .. } | Clause::KeptFor(_)
                    )
                }) {
                    self.push(shape_error(
                        span,
                        "a prohibition has no deadline or completion",
                        "state the forbidden conduct with `breached when`",
                    ));
                }
            }
            Modality::Must | Modality::Should | Modality::May => {
                if let Some(span) = clause_span(|c| matches!(c, Clause::BreachedWhen { .. })) {
                    self.push(shape_error(
                        span,
                        "`breached when` belongs to prohibitions (`must not`)",
                        "say what shows the act was done with `done when`",
                    ));
                }
                if info.modality == Modality::Must
                    && clause_span(|c| matches!(c, Clause::DoneWhen { .. } | Clause::KeptFor(_)))
                        .is_none()
                {
                    let error = CheckError::new(CheckCode::MissingBreach, source, modality_span, "an obligation needs to say what shows it was done")
                        .label("obligation")
                        .help("add `done on <date>`, e.g. `done on vulnerability.filed_on`, or `done when <condition>`");
                    self.push(error);
                }
            }
        }
        // `until` is the first day the rule no longer binds: on or before its
        // first day, the rule would never bind at all.
        if let (Some(from), Some(until)) = (info.effective, info.until) {
            if until <= from {
                if let Some(span) = clause_span(|c| matches!(c, Clause::Until(_))) {
                    let mut error = CheckError::new(
                        CheckCode::ConflictingClauses,
                        source,
                        span,
                        "the rule's `until` is not after its `effective from`, so the rule never binds",
                    )
                    .label("no longer binds from here")
                    .help("`until` names the first day the rule no longer binds: it must come after `effective from`");
                    if let Some(start) = clause_span(|c| matches!(c, Clause::EffectiveFrom(_))) {
                        error = error.also(start, "takes effect here");
                    }
                    self.push(error);
                }
            }
        }
        let retention = matches!(info.deadline, Some(DeadlineInfo::AtLeastFor(_)));
        if retention && clause_span(|c| matches!(c, Clause::KeptFor(_))).is_none() {
            if let Some(span) =
                clause_span(|c| matches!(c, Clause::Deadline(Deadline::AtLeastFor(_))))
            {
                let error = CheckError::new(
                    CheckCode::MissingBreach,
                    source,
                    span,
                    "a retention period needs the period actually kept",
                )
                .help("add `kept for <duration fact>`, e.g. `kept for intake.log_retention`");
                self.push(error);
            }
        }
        if !retention {
            if let Some(span) = clause_span(|c| matches!(c, Clause::KeptFor(_))) {
                self.push(shape_error(
                    span,
                    "`kept for` goes with a retention period",
                    "add `for at least <duration>`",
                ));
            }
        }
        if matches!(
            info.deadline,
            Some(
                DeadlineInfo::Within { .. }
                    | DeadlineInfo::Before { .. }
                    | DeadlineInfo::By(_)
                    | DeadlineInfo::StrictlyBefore(_)
            )
        ) && info.done.as_ref().is_some_and(|test| test.on.is_none())
        {
            if let Some(span) = clause_span(|c| matches!(c, Clause::DoneWhen { .. })) {
                let error = CheckError::new(
                    CheckCode::MissingBreach,
                    source,
                    span,
                    "a deadline needs the date the act was done",
                )
                .help("say on which day with `done on <date>`, e.g. `done on x.filed_on`");
                self.push(error);
            }
        }
    }

    fn check_deadline(
        &mut self,
        source: &Source,
        deadline: &Deadline,
        guards: &Guards,
        regulation: u32,
    ) -> Option<DeadlineInfo> {
        let has_calendar = self.program.calendar_for(regulation).is_some();
        let jurisdiction = self
            .program
            .regulations
            .get(regulation as usize)
            .and_then(|r| r.jurisdiction.clone());
        let mut exprs = ExprChecker {
            checker: self,
            source,
        };
        let period_ok = |this: &mut Self, period: &Spanned<ast::Duration>| {
            if period.node.unit == TimeUnit::WorkingDays && !has_calendar {
                let help = match &jurisdiction {
                    Some(j) => format!("add the holiday calendar of {j} as calendar/<year>.toml beside the policies, or count in calendar days and note the decision"),
                    None => "give the regulation a `jurisdiction` whose calendar is loaded, or count in calendar days".to_string(),
                };
                let error = CheckError::new(
                    CheckCode::Unsupported,
                    source,
                    period.span,
                    "working days need a holiday calendar, which this policy set does not load",
                )
                .help(help);
                this.push(error);
                return false;
            }
            true
        };
        Some(match deadline {
            Deadline::Within { period, of } => {
                let of = exprs.check_as(of, Type::DATE, guards)?;
                if !period_ok(self, period) {
                    return None;
                }
                DeadlineInfo::Within {
                    period: period.node,
                    of,
                }
            }
            Deadline::Before { period, date } => {
                let date = exprs.check_as(date, Type::DATE, guards)?;
                if !period_ok(self, period) {
                    return None;
                }
                DeadlineInfo::Before {
                    period: period.node,
                    date,
                }
            }
            Deadline::By(date) => DeadlineInfo::By(exprs.check_as(date, Type::DATE, guards)?),
            Deadline::StrictlyBefore(date) => {
                DeadlineInfo::StrictlyBefore(exprs.check_as(date, Type::DATE, guards)?)
            }
            Deadline::AtLeastFor(period) => {
                if !period_ok(self, period) {
                    return None;
                }
                DeadlineInfo::AtLeastFor(period.node)
            }
            Deadline::Judgement(j, anchor) => {
                let anchor = match anchor {
                    Some(a) => Some(exprs.check_as(a, Type::DATE, guards)?),
                    None => None,
                };
                DeadlineInfo::Judgement(*j, anchor)
            }
        })
    }
}

/// A bare fact or definition name is taken as set where a date of it is
/// required to be given (`from x`, `done on x`): `null` there means the
/// event has not happened.
fn path_guard(expr: &Spanned<ast::Expr>) -> Option<String> {
    match &expr.node {
        ast::Expr::Path(path) => Some(
            path.iter()
                .map(|s| s.node.as_str())
                .collect::<Vec<_>>()
                .join("."),
        ),
        _ => None,
    }
}
