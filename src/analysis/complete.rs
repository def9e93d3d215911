//! Completion: in a policy file, from the index of its policy set; at the
//! REPL, from a loaded policy's schema.

use std::ops::Range;

use super::index::SymbolKind;
use super::{Analysis, keywords};
use crate::Policy;
use crate::check::ir::SchemaNode;
use crate::value::Base;

/// What a completion inserts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompletionKind {
    /// A keyword of the language.
    Keyword,
    /// A fact type (`date`, an enum's name).
    Type,
    /// A declared name.
    Symbol(SymbolKind),
}

/// One completion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    /// The text to insert.
    pub label: String,
    /// What it is.
    pub kind: CompletionKind,
    /// A short description: a fact's type, the enum of a value.
    pub detail: Option<String>,
    /// The range of the text it replaces.
    pub replace: Range<usize>,
}

const TYPES: &[&str] = &["bool", "int", "text", "date", "duration", "money"];

fn name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '.'
}

/// Completions at `offset` of `text`, a file of `analysis`.
pub(super) fn at(analysis: &Analysis, text: &str, offset: usize) -> Vec<Completion> {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| name_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let word = &text[start..offset];
    let line = text[..start].rsplit('\n').next().unwrap_or("");
    let before: Vec<&str> = line
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .collect();
    let index = &analysis.index;
    let mut out = Vec::new();
    let mut push =
        |label: String, kind: CompletionKind, detail: Option<String>, replace: Range<usize>| {
            if label.starts_with(word) || replace.start != start {
                out.push(Completion {
                    label,
                    kind,
                    detail,
                    replace,
                });
            }
        };
    let names = |kind: SymbolKind| {
        index
            .declarations
            .iter()
            .filter(move |d| d.key.kind == kind)
            .map(|d| d.key.name.clone())
    };
    let after = |words: &[&str]| before.len() >= words.len() && before[..words.len()] == *words;
    let named: Option<SymbolKind> = if after(&["applies", "to"]) {
        Some(SymbolKind::Role)
    } else if after(&["exception", "to"]) {
        Some(SymbolKind::Rule)
    } else if before.first() == Some(&"penalty") && !line.contains('{') {
        Some(SymbolKind::Penalty)
    } else {
        None
    };
    if let Some(kind) = named {
        for name in names(kind) {
            push(name, CompletionKind::Symbol(kind), None, start..offset);
        }
        return out;
    }
    if line.contains(':') && !line.contains('"') {
        for ty in TYPES
            .iter()
            .map(|t| t.to_string())
            .chain(names(SymbolKind::Enum))
        {
            push(ty, CompletionKind::Type, None, start..offset);
        }
        return out;
    }
    // A dotted name: the facts and records one level below the record typed.
    let (parent, _) = word.rsplit_once('.').unwrap_or(("", word));
    for d in &index.declarations {
        if !matches!(d.key.kind, SymbolKind::Fact | SymbolKind::Record) {
            continue;
        }
        let (owner, leaf) = d.key.name.rsplit_once('.').unwrap_or(("", &d.key.name));
        if owner != parent {
            continue;
        }
        let detail = index.fact_types.get(&d.key.name).cloned();
        let from = if parent.is_empty() {
            start
        } else {
            start + parent.len() + 1
        };
        if leaf.starts_with(&word[word.len().min(from - start)..]) {
            out.push(Completion {
                label: leaf.to_string(),
                kind: CompletionKind::Symbol(d.key.kind),
                detail,
                replace: from..offset,
            });
        }
    }
    if !parent.is_empty() {
        return out;
    }
    let mut push = |label: String, kind: CompletionKind, detail: Option<String>| {
        if label.starts_with(word) {
            out.push(Completion {
                label,
                kind,
                detail,
                replace: start..offset,
            });
        }
    };
    for kind in [SymbolKind::Definition, SymbolKind::Role] {
        for name in names(kind) {
            push(
                name,
                CompletionKind::Symbol(kind),
                Some(kind.word().to_string()),
            );
        }
    }
    for d in index
        .declarations
        .iter()
        .filter(|d| d.key.kind == SymbolKind::EnumValue)
    {
        let (owner, value) = d.key.name.split_once('.').unwrap_or(("", &d.key.name));
        push(
            value.to_string(),
            CompletionKind::Symbol(SymbolKind::EnumValue),
            Some(format!("value of {owner}")),
        );
    }
    for keyword in keywords().iter().chain(["today"].iter()) {
        push(keyword.to_string(), CompletionKind::Keyword, None);
    }
    out
}

/// Fact and record paths one level below the record `word` is in:
/// `vulnerability.fi` gives `vulnerability.filed_with_miit_on`, …; a
/// record's path ends with a dot.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::load(["policies"])?;
/// let paths = deon::analysis::complete_path(&policy, "vulnerability.aware");
/// assert!(paths.contains(&"vulnerability.aware_on".to_string()));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn complete_path(policy: &Policy, word: &str) -> Vec<String> {
    let program = policy.program();
    let (parent, _) = word.rsplit_once('.').unwrap_or(("", word));
    let Some(info) = program
        .record_index
        .get(parent)
        .and_then(|&record| program.records.get(record as usize))
    else {
        return Vec::new();
    };
    let prefix = if parent.is_empty() {
        String::new()
    } else {
        format!("{parent}.")
    };
    info.children
        .iter()
        .map(|(name, node)| match node {
            SchemaNode::Record(_) => format!("{prefix}{name}."),
            SchemaNode::Fact(_) => format!("{prefix}{name}"),
        })
        .filter(|c| c.starts_with(word))
        .collect()
}

/// The values a fact of this path can take as a case writes them: enum
/// values, `true`/`false`, and `null` for an optional fact or a record.
pub fn fact_values(policy: &Policy, path: &str) -> Vec<String> {
    let program = policy.program();
    if program.record_index.contains_key(path) {
        return vec!["null".into()];
    }
    let Some(fact) = program
        .fact_index
        .get(path)
        .and_then(|&id| program.facts.get(id as usize))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = match fact.ty.base {
        Base::Bool => vec!["true".into(), "false".into()],
        Base::Enum(e) | Base::Set(e) | Base::List(e) => program
            .enums
            .get(e as usize)
            .map(|info| info.values.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    if fact.ty.optional {
        out.push("null".into());
    }
    out
}

/// The rules' ids, in declaration order.
pub fn rule_ids(policy: &Policy) -> Vec<String> {
    policy
        .program()
        .rules
        .iter()
        .map(|r| r.id.to_string())
        .collect()
}

/// Names an expression can use besides fact paths: definitions and enum values.
pub fn expression_names(policy: &Policy) -> Vec<String> {
    let program = policy.program();
    program
        .definitions
        .iter()
        .map(|d| d.name.clone())
        .chain(program.enums.iter().flat_map(|e| e.values.iter().cloned()))
        .collect()
}

/// Whether a dotted name is a fact or a record of the policy's schema.
pub fn is_fact_or_record(policy: &Policy, name: &str) -> bool {
    let program = policy.program();
    program.fact_index.contains_key(name) || program.record_index.contains_key(name)
}
