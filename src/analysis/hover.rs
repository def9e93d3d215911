//! Hover text: what a name is, in Markdown, from its declaration as written
//! and, for a fact, the rules that read it.

use std::fmt::Write as _;

use super::Analysis;
use super::index::{Key, SymbolKind};
use crate::syntax::ast::{Clause, FactMember, Item, RegulationField, Sanction};

/// Markdown for a declared name.
pub(super) fn symbol(analysis: &Analysis, key: &Key) -> Option<String> {
    let declaration = analysis.index.find(key.kind, &key.name)?;
    let file = analysis.files.get(declaration.file)?;
    let text = file.text.as_ref();
    let slice = |span: crate::source::Span| text.get(span.start..span.end).unwrap_or("");
    let mut out = String::new();
    match key.kind {
        SymbolKind::Fact | SymbolKind::Record => {
            let (doc, ty) = fact_doc(file.tree.as_ref()?, &key.name)?;
            match ty {
                Some(ty) => {
                    let _ = writeln!(out, "**fact** `{}`: `{ty}`", key.name);
                }
                None => {
                    let _ = writeln!(out, "**record** `{}`", key.name);
                }
            }
            if let Some(doc) = doc {
                let _ = write!(out, "\n{doc}\n");
            }
            if key.kind == SymbolKind::Record {
                let prefix = format!("{}.", key.name);
                let children: Vec<String> = analysis
                    .index
                    .declarations
                    .iter()
                    .filter(|d| {
                        d.key
                            .name
                            .strip_prefix(&prefix)
                            .is_some_and(|rest| !rest.contains('.'))
                    })
                    .map(|d| format!("`{}`", d.key.leaf()))
                    .collect();
                let _ = write!(out, "\nholds: {}\n", children.join(", "));
            }
            readers(analysis, key, &mut out);
        }
        SymbolKind::Enum | SymbolKind::EnumValue => {
            let (enum_name, value) = match key.name.split_once('.') {
                Some((e, v)) => (e, Some(v)),
                None => (key.name.as_str(), None),
            };
            let tree = file.tree.as_ref()?;
            let decl = tree.items.iter().find_map(|item| match item {
                Item::Enum(e) if e.name.node == enum_name => Some(e),
                _ => None,
            })?;
            match value {
                Some(value) => {
                    let _ = writeln!(out, "**value** `{value}` of enum `{enum_name}`");
                    let doc = decl
                        .values
                        .iter()
                        .find(|(v, _)| v.node == value)?
                        .1
                        .as_ref();
                    if let Some(doc) = doc {
                        let _ = write!(out, "\n{}\n", doc.node);
                    }
                    readers(analysis, key, &mut out);
                }
                None => {
                    let _ = writeln!(out, "**enum** `{enum_name}`");
                    if let Some(doc) = &decl.doc {
                        let _ = write!(out, "\n{}\n", doc.node);
                    }
                    let values: Vec<String> = decl
                        .values
                        .iter()
                        .map(|(v, _)| format!("`{}`", v.node))
                        .collect();
                    let _ = write!(out, "\nvalues: {}\n", values.join(", "));
                }
            }
        }
        SymbolKind::Definition | SymbolKind::Role => {
            let ty = analysis.policy.as_ref().and_then(|p| {
                let program = p.program();
                let id = *program.def_index.get(&key.name)?;
                let def = program.definitions.get(id as usize)?;
                Some(program.type_name(def.ty))
            });
            let ty = ty.map(|t| format!(": `{t}`")).unwrap_or_default();
            let _ = writeln!(out, "**{}** `{}`{ty}", key.kind.word(), key.name);
            let (doc, body) = file
                .tree
                .as_ref()?
                .items
                .iter()
                .find_map(|item| match item {
                    Item::Define(d)
                        if key.kind == SymbolKind::Definition && d.name.node == key.name =>
                    {
                        Some((d.doc.as_ref(), format!("as {}", slice(d.body.span))))
                    }
                    Item::Role(r) if key.kind == SymbolKind::Role && r.name.node == key.name => {
                        Some((r.doc.as_ref(), format!("when {}", slice(r.condition.span))))
                    }
                    _ => None,
                })?;
            if let Some(doc) = doc {
                let _ = write!(out, "\n{}\n", doc.node);
            }
            let _ = write!(out, "\n```deon\n{body}\n```\n");
            readers(analysis, key, &mut out);
        }
        SymbolKind::Rule => rule(analysis, file, &key.name, &mut out)?,
        SymbolKind::Penalty => {
            let decl = file
                .tree
                .as_ref()?
                .items
                .iter()
                .find_map(|item| match item {
                    Item::Penalty(p) if p.name.node == key.name => Some(p),
                    _ => None,
                })?;
            let _ = writeln!(out, "**penalty** `{}`", key.name);
            if let Some(doc) = &decl.doc {
                let _ = write!(out, "\n{}\n", doc.node);
            }
            penalty(decl, &mut out, |s| slice(s).to_string());
            readers(analysis, key, &mut out);
        }
        SymbolKind::Regulation => {
            let decl = file
                .tree
                .as_ref()?
                .items
                .iter()
                .find_map(|item| match item {
                    Item::Regulation(r) if r.id.node == key.name => Some(r),
                    _ => None,
                })?;
            let _ = writeln!(out, "**regulation** `{}`\n", key.name);
            for field in &decl.fields {
                let line = match &field.node {
                    RegulationField::Title { text, .. } => format!("*{text}*"),
                    RegulationField::Issuers(issuers) => {
                        format!("issued by {}", issuers.join(", "))
                    }
                    RegulationField::Jurisdiction(j) => format!("jurisdiction {j}"),
                    RegulationField::Status(s) => format!("status: {}", s.label()),
                    RegulationField::Issued(d) => format!("issued on {d}"),
                    RegulationField::Effective(d) => format!("effective from {d}"),
                    RegulationField::Repealed(d) => format!("repealed on {d}"),
                    RegulationField::Source(s) => format!("source: {s}"),
                };
                let _ = writeln!(out, "- {line}");
            }
        }
    }
    Some(out)
}

/// A fact's or record's doc, and a fact's type as written (`None` for a record).
fn fact_doc(
    tree: &crate::syntax::ast::File,
    path: &str,
) -> Option<(Option<String>, Option<String>)> {
    fn find(
        members: &[FactMember],
        prefix: &str,
        path: &str,
    ) -> Option<(Option<String>, Option<String>)> {
        for member in members {
            match member {
                FactMember::Field { name, ty, doc } => {
                    if super::index::path_join(prefix, &name.node) == path {
                        let ty = type_text(&ty.node);
                        return Some((doc.as_ref().map(|d| d.node.clone()), Some(ty)));
                    }
                }
                FactMember::Record { name, doc, members } => {
                    let here = super::index::path_join(prefix, &name.node);
                    if here == path {
                        return Some((doc.as_ref().map(|d| d.node.clone()), None));
                    }
                    if let Some(found) = find(members, &here, path) {
                        return Some(found);
                    }
                }
            }
        }
        None
    }
    tree.items.iter().find_map(|item| match item {
        Item::Facts(members) => find(members, "", path),
        _ => None,
    })
}

fn type_text(ty: &crate::syntax::ast::TypeExpr) -> String {
    use crate::syntax::ast::TypeShape;
    let base = match &ty.shape {
        TypeShape::Named(n) => n.node.clone(),
        TypeShape::SetOf(n) => format!("set of {}", n.node),
        TypeShape::ListOf(n) => format!("list of {}", n.node),
    };
    if ty.optional {
        format!("{base}?")
    } else {
        base
    }
}

/// "read by": the rules, definitions, roles and penalties that use a name.
fn readers(analysis: &Analysis, key: &Key, out: &mut String) {
    let mut by: Vec<&Key> = analysis
        .index
        .uses
        .iter()
        .filter(|u| u.key == *key)
        .filter_map(|u| u.within.as_ref())
        .collect();
    by.sort();
    by.dedup();
    if by.is_empty() {
        let _ = write!(out, "\nused nowhere\n");
        return;
    }
    let names: Vec<String> = by
        .iter()
        .map(|k| format!("{} `{}`", k.kind.word(), k.name))
        .collect();
    let _ = write!(out, "\nused by {}\n", names.join(", "));
}

fn rule(analysis: &Analysis, file: &super::FileData, name: &str, out: &mut String) -> Option<()> {
    let text = file.text.as_ref();
    let slice =
        |span: crate::source::Span| text.get(span.start..span.end).unwrap_or("").to_string();
    let decl = file
        .tree
        .as_ref()?
        .items
        .iter()
        .find_map(|item| match item {
            Item::Rule(r) if r.name.node == name => Some(r),
            _ => None,
        })?;
    let modality = decl.clauses.iter().find_map(|c| match &c.node {
        Clause::Modality { modality, action } => {
            Some(format!("{} \"{action}\"", modality.keyword()))
        }
        _ => None,
    });
    let _ = writeln!(
        out,
        "**rule** `{name}`{}",
        modality.map(|m| format!(" — {m}")).unwrap_or_default()
    );
    if let Some(doc) = &decl.doc {
        let _ = write!(out, "\n{}\n", doc.node);
    }
    let _ = writeln!(out);
    let mut who = Vec::new();
    let mut penalties = Vec::new();
    for clause in &decl.clauses {
        match &clause.node {
            Clause::Cite(c) => {
                let _ = writeln!(out, "- cites {c}");
            }
            Clause::AppliesTo(roles) => who.extend(roles.iter().map(|r| format!("`{}`", r.node))),
            Clause::Deadline(_) => {
                let _ = writeln!(out, "- deadline: `{}`", one_line(&slice(clause.span)));
            }
            Clause::Penalties(names) => penalties.extend(names.iter().map(|n| n.node.clone())),
            Clause::ExceptionTo(rule) => {
                let _ = writeln!(out, "- an exception to `{}`", rule.node);
            }
            _ => {}
        }
    }
    let who = if who.is_empty() {
        "everyone".to_string()
    } else {
        who.join(", ")
    };
    let _ = writeln!(out, "- binds {who}");
    for penalty_name in penalties {
        let _ = write!(out, "\n**penalty** `{penalty_name}`\n");
        let found = analysis
            .index
            .find(SymbolKind::Penalty, &penalty_name)
            .and_then(|d| {
                let file = analysis.files.get(d.file)?;
                let decl = file
                    .tree
                    .as_ref()?
                    .items
                    .iter()
                    .find_map(|item| match item {
                        Item::Penalty(p) if p.name.node == penalty_name => Some(p),
                        _ => None,
                    })?;
                Some((file, decl))
            });
        if let Some((file, decl)) = found {
            let text = file.text.as_ref();
            penalty(decl, out, |s| {
                text.get(s.start..s.end).unwrap_or("").to_string()
            });
        }
    }
    Some(())
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A penalty's citations and sanctions, version by version.
fn penalty(
    decl: &crate::syntax::ast::PenaltyDecl,
    out: &mut String,
    slice: impl Fn(crate::source::Span) -> String,
) {
    let sanction = |s: &Sanction, out: &mut String, indent: &str| {
        let may = if s.discretionary { "may: " } else { "" };
        let when = s
            .condition
            .as_ref()
            .map(|c| format!(" — when `{}`", one_line(&slice(c.span))))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{indent}- {may}{}{when}",
            crate::eval::penalties::describe(&s.kind)
        );
    };
    for cite in &decl.cites {
        let _ = writeln!(out, "- cites {}", cite.node);
    }
    for s in &decl.sanctions {
        sanction(&s.node, out, "");
    }
    for version in &decl.versions {
        let v = &version.node;
        let cites: Vec<&str> = v.cites.iter().map(|c| c.node.as_str()).collect();
        let cites = if cites.is_empty() {
            String::new()
        } else {
            format!(" ({})", cites.join("; "))
        };
        let _ = writeln!(out, "- version \"{}\", from {}{cites}:", v.label, v.from);
        for s in &v.sanctions {
            sanction(&s.node, out, "  ");
        }
    }
}

/// What each main keyword means, for hovering over it.
const KEYWORD_HELP: &[(&str, &str)] = &[
    (
        "regulation",
        "Starts a regulation's header: its title, issuers, jurisdiction, status and dates.",
    ),
    (
        "enum",
        "Declares a set of named values, e.g. the kinds of party.",
    ),
    (
        "facts",
        "Declares the facts a case gives, grouped in records, each with a type and a description.",
    ),
    (
        "define",
        "Names an expression, to be used in rules like a fact.",
    ),
    (
        "role",
        "Declares who a rule can bind, by a condition on the facts.",
    ),
    (
        "penalty",
        "Declares the sanctions for a breach, optionally in dated versions; in a rule, names the penalties a breach exposes.",
    ),
    (
        "rule",
        "Declares an obligation, prohibition, permission or encouraged act.",
    ),
    ("cite", "The article the rule or penalty comes from."),
    (
        "applies",
        "`applies to <role>, …`: the roles the rule binds; without it, everyone.",
    ),
    (
        "when",
        "The rule binds only when this condition holds (in a sanction: the sanction applies only then).",
    ),
    (
        "unless",
        "The rule does not bind when this condition holds.",
    ),
    ("must", "`must`: an obligation. `must not`: a prohibition."),
    (
        "may",
        "In a rule: a permission. Before a sanction: the authority may impose it but need not.",
    ),
    (
        "should",
        "An act the regulation encourages, without a sanction.",
    ),
    (
        "within",
        "`within N days of <date>`: the deadline, counted from the day after the event.",
    ),
    (
        "done",
        "`done when <condition> on <date>`: when the act counts as done, and on which day.",
    ),
    (
        "breached",
        "`breached when <condition> on <date>`: when a prohibition is breached.",
    ),
    (
        "kept",
        "`kept for <duration>`: how long something was kept, for a retention rule.",
    ),
    (
        "exception",
        "`exception to <rule>`: when this rule binds, the other does not.",
    ),
    (
        "version",
        "A dated version of a penalty: the version in force on the date of the breach applies.",
    ),
    (
        "working",
        "`working days`: counted on the jurisdiction's holiday calendar.",
    ),
    (
        "rolls",
        "`rolls over holidays`: a period whose last day is a rest day ends on the next working day.",
    ),
    (
        "immediately",
        "A timing the law leaves to judgement: findings need review, never a date.",
    ),
    (
        "promptly",
        "A timing the law leaves to judgement: findings need review, never a date.",
    ),
    (
        "fine",
        "`fine A to B CNY on <party>`: a fine in a range, on the entity, the person in charge or the individual.",
    ),
    ("detention", "Administrative detention, in days."),
    (
        "effective",
        "`effective from <date>`: the date it takes effect.",
    ),
    (
        "until",
        "`until <date>`: the rule binds until the day before this date.",
    ),
];

/// Markdown for a keyword.
pub(super) fn keyword(word: &str) -> Option<String> {
    let help = KEYWORD_HELP
        .iter()
        .find(|(w, _)| *w == word)
        .map_or("A keyword of the language.", |(_, h)| h);
    Some(format!("**keyword** `{word}`\n\n{help}\n"))
}
