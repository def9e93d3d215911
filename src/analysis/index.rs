//! Every name a set of policy files declares and every place one is used,
//! read from the syntax trees. It needs files that parse, not files that
//! check: an editor still finds its way around a policy set with a type error.

use std::collections::HashMap;

use crate::source::Span;
use crate::source::Spanned;
use crate::syntax::ast::{Clause, Deadline, EnumDecl, Expr, FactMember, File, Item, TypeShape};

/// What kind of thing a name stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SymbolKind {
    /// A regulation header (`regulation csl { … }`).
    Regulation,
    /// An enum (`enum role { … }`).
    Enum,
    /// One value of an enum.
    EnumValue,
    /// A record of the fact schema, grouping facts.
    Record,
    /// A fact of the schema.
    Fact,
    /// A definition (`define`).
    Definition,
    /// A role (`role`).
    Role,
    /// A penalty.
    Penalty,
    /// A rule.
    Rule,
}

impl SymbolKind {
    /// The keyword that declares it, as a word for people.
    pub fn word(self) -> &'static str {
        match self {
            SymbolKind::Regulation => "regulation",
            SymbolKind::Enum => "enum",
            SymbolKind::EnumValue => "enum value",
            SymbolKind::Record => "record",
            SymbolKind::Fact => "fact",
            SymbolKind::Definition => "definition",
            SymbolKind::Role => "role",
            SymbolKind::Penalty => "penalty",
            SymbolKind::Rule => "rule",
        }
    }
}

/// A declared name: its kind and its full name (a fact's dotted path, an
/// enum value as `enum.value`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    /// What it is.
    pub kind: SymbolKind,
    /// Its full name.
    pub name: String,
}

impl Key {
    fn new(kind: SymbolKind, name: impl Into<String>) -> Key {
        Key {
            kind,
            name: name.into(),
        }
    }

    /// The last part of the name, as written at the declaration.
    pub fn leaf(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }
}

/// A declaration: where its name is written and the whole item it heads.
#[derive(Clone, Debug)]
pub(crate) struct Declaration {
    pub key: Key,
    pub file: usize,
    pub name: Span,
    pub full: Span,
}

/// One use of a name.
#[derive(Clone, Debug)]
pub(crate) struct Use {
    pub key: Key,
    pub file: usize,
    /// The word naming it (for a fact path, its last part).
    pub span: Span,
    /// The rule, definition, role or penalty the use is in.
    pub within: Option<Key>,
}

/// The names of a set of files, declared and used.
#[derive(Clone, Debug, Default)]
pub(crate) struct Index {
    pub declarations: Vec<Declaration>,
    /// The first declaration of each name, by kind: every use looks its name
    /// up, and scanning the declarations for each made a large file's
    /// analysis grow with uses × declarations.
    first: HashMap<SymbolKind, HashMap<String, usize>>,
    pub uses: Vec<Use>,
    /// Fact path → its declared type as written (`date?`, `set of role`).
    pub fact_types: HashMap<String, String>,
    /// Enum name → its values.
    pub enum_values: HashMap<String, Vec<String>>,
}

impl Index {
    /// Indexes the files that parsed; `files` pairs a file's number with its tree.
    pub fn build<'a>(files: impl IntoIterator<Item = (usize, &'a File, &'a str)>) -> Index {
        let files: Vec<(usize, &File, &str)> = files.into_iter().collect();
        let mut index = Index::default();
        // Declarations first, so that uses can be resolved against all of them.
        for &(file, tree, text) in &files {
            for item in &tree.items {
                index.declare(file, item, text);
            }
        }
        for &(file, tree, _) in &files {
            for item in &tree.items {
                index.use_item(file, item);
            }
        }
        index
    }

    fn push(&mut self, key: Key, file: usize, name: Span, full: Span) {
        let at = self.declarations.len();
        self.first
            .entry(key.kind)
            .or_default()
            .entry(key.name.clone())
            .or_insert(at);
        self.declarations.push(Declaration {
            key,
            file,
            name,
            full,
        });
    }

    fn declare(&mut self, file: usize, item: &Item, text: &str) {
        let full = |name: Span| item_extent(text, name);
        match item {
            Item::Regulation(r) => {
                let key = Key::new(SymbolKind::Regulation, r.id.node.clone());
                self.push(key, file, r.id.span, full(r.id.span));
            }
            Item::Enum(e) => self.declare_enum(file, e, full(e.name.span)),
            Item::Facts(members) => self.declare_facts(file, "", members, text),
            Item::Define(d) => {
                let key = Key::new(SymbolKind::Definition, d.name.node.clone());
                self.push(key, file, d.name.span, d.name.span.to(d.body.span));
            }
            Item::Role(r) => {
                let key = Key::new(SymbolKind::Role, r.name.node.clone());
                self.push(key, file, r.name.span, r.name.span.to(r.condition.span));
            }
            Item::Penalty(p) => {
                let key = Key::new(SymbolKind::Penalty, p.name.node.clone());
                self.push(key, file, p.name.span, full(p.name.span));
            }
            Item::Rule(r) => {
                let key = Key::new(SymbolKind::Rule, r.name.node.clone());
                self.push(key, file, r.name.span, full(r.name.span));
            }
        }
    }

    fn declare_enum(&mut self, file: usize, e: &EnumDecl, full: Span) {
        let name = &e.name.node;
        self.push(
            Key::new(SymbolKind::Enum, name.clone()),
            file,
            e.name.span,
            full,
        );
        let values = e.values.iter().map(|(v, _)| v.node.clone()).collect();
        self.enum_values.insert(name.clone(), values);
        for (value, doc) in &e.values {
            let extent = doc.as_ref().map_or(value.span, |d| value.span.to(d.span));
            let key = Key::new(SymbolKind::EnumValue, format!("{name}.{}", value.node));
            self.push(key, file, value.span, extent);
        }
    }

    fn declare_facts(&mut self, file: usize, prefix: &str, members: &[FactMember], text: &str) {
        for member in members {
            match member {
                FactMember::Field { name, ty, doc } => {
                    let path = path_join(prefix, &name.node);
                    let written = text.get(ty.span.start..ty.span.end).unwrap_or("");
                    self.fact_types.insert(path.clone(), written.to_string());
                    let end = doc.as_ref().map_or(ty.span, |d| d.span);
                    self.push(
                        Key::new(SymbolKind::Fact, path),
                        file,
                        name.span,
                        name.span.to(end),
                    );
                }
                FactMember::Record { name, members, .. } => {
                    let path = path_join(prefix, &name.node);
                    let extent = item_extent(text, name.span);
                    self.push(
                        Key::new(SymbolKind::Record, path.clone()),
                        file,
                        name.span,
                        extent,
                    );
                    self.declare_facts(file, &path, members, text);
                }
            }
        }
    }

    /// The declaration of a name of this kind, if any.
    pub fn find(&self, kind: SymbolKind, name: &str) -> Option<&Declaration> {
        let at = *self.first.get(&kind)?.get(name)?;
        self.declarations.get(at)
    }

    fn exists(&self, kind: SymbolKind, name: &str) -> bool {
        self.find(kind, name).is_some()
    }

    fn use_name(
        &mut self,
        file: usize,
        kind: SymbolKind,
        ident: &Spanned<String>,
        within: &Option<Key>,
    ) {
        if self.exists(kind, &ident.node) {
            self.uses.push(Use {
                key: Key::new(kind, ident.node.clone()),
                file,
                span: ident.span,
                within: within.clone(),
            });
        }
    }

    fn use_item(&mut self, file: usize, item: &Item) {
        match item {
            Item::Regulation(_) => {}
            Item::Enum(_) => {}
            Item::Facts(members) => self.use_fact_types(file, members),
            Item::Define(d) => {
                let within = Some(Key::new(SymbolKind::Definition, d.name.node.clone()));
                self.use_expr(file, &d.body, &within);
            }
            Item::Role(r) => {
                let within = Some(Key::new(SymbolKind::Role, r.name.node.clone()));
                self.use_expr(file, &r.condition, &within);
            }
            Item::Penalty(p) => {
                let within = Some(Key::new(SymbolKind::Penalty, p.name.node.clone()));
                let versions = p.versions.iter().flat_map(|v| v.node.body.conditions());
                for condition in p.body.conditions().chain(versions) {
                    self.use_expr(file, condition, &within);
                }
            }
            Item::Rule(r) => {
                let within = Some(Key::new(SymbolKind::Rule, r.name.node.clone()));
                for clause in &r.clauses {
                    self.use_clause(file, &clause.node, &within);
                }
            }
        }
    }

    fn use_fact_types(&mut self, file: usize, members: &[FactMember]) {
        for member in members {
            match member {
                FactMember::Field { ty, .. } => {
                    let (TypeShape::Named(name) | TypeShape::SetOf(name) | TypeShape::ListOf(name)) =
                        &ty.node.shape;
                    self.use_name(file, SymbolKind::Enum, name, &None);
                }
                FactMember::Record { members, .. } => self.use_fact_types(file, members),
            }
        }
    }

    fn use_clause(&mut self, file: usize, clause: &Clause, within: &Option<Key>) {
        match clause {
            Clause::AppliesTo(roles) => {
                for role in roles {
                    self.use_name(file, SymbolKind::Role, role, within);
                }
            }
            Clause::ExceptionTo(rule) => self.use_name(file, SymbolKind::Rule, rule, within),
            Clause::Penalties(links) => {
                for link in links {
                    self.use_name(file, SymbolKind::Penalty, &link.penalty, within);
                }
            }
            Clause::When(e) | Clause::Unless(e) | Clause::KeptFor(e) | Clause::From(e) => {
                self.use_expr(file, e, within)
            }
            Clause::Review(review) => {
                if let Some(condition) = &review.condition {
                    self.use_expr(file, condition, within);
                }
            }
            Clause::DoneWhen { condition, on } | Clause::BreachedWhen { condition, on } => {
                for e in on.iter().chain(condition) {
                    self.use_expr(file, e, within);
                }
            }
            Clause::Deadline(deadline) => match deadline {
                Deadline::Within { of: e, .. }
                | Deadline::Before { date: e, .. }
                | Deadline::By(e)
                | Deadline::StrictlyBefore(e)
                | Deadline::Judgement(_, Some(e)) => self.use_expr(file, e, within),
                Deadline::AtLeastFor(_) | Deadline::Judgement(_, None) => {}
            },
            _ => {}
        }
    }

    /// The enum a fact path, or a definition naming one, is declared of.
    fn enum_of(&self, expr: &Expr) -> Option<String> {
        let Expr::Path(parts) = expr else {
            return None;
        };
        let path = path_text(parts);
        let ty = self.fact_types.get(&path)?;
        let name = ty
            .trim_end_matches('?')
            .trim_start_matches("set of ")
            .trim_start_matches("list of ")
            .trim();
        self.enum_values
            .contains_key(name)
            .then(|| name.to_string())
    }

    fn use_expr(&mut self, file: usize, expr: &Spanned<Expr>, within: &Option<Key>) {
        self.use_expr_typed(file, expr, None, within);
    }

    /// `expected` is the enum a bare value next to it belongs to, when known.
    /// The walk is as deep as the expression's tree (a long `and` chain is a
    /// deep one), so it grows its stack as the checker's does.
    fn use_expr_typed(
        &mut self,
        file: usize,
        expr: &Spanned<Expr>,
        expected: Option<&str>,
        within: &Option<Key>,
    ) {
        crate::limits::with_stack(|| self.use_expr_here(file, expr, expected, within));
    }

    fn use_expr_here(
        &mut self,
        file: usize,
        expr: &Spanned<Expr>,
        expected: Option<&str>,
        within: &Option<Key>,
    ) {
        match &expr.node {
            Expr::Literal(_) => {}
            Expr::Path(parts) => self.use_path(file, parts, expected, within),
            Expr::SetLiteral(values) => {
                for value in values {
                    self.use_value(file, value, expected, within);
                }
            }
            Expr::Not(inner) | Expr::IsSet(inner) | Expr::IsUnset(inner) => {
                self.use_expr_typed(file, inner, None, within)
            }
            Expr::Binary { lhs, rhs, .. } => {
                let left = self.enum_of(&lhs.node);
                let right = self.enum_of(&rhs.node);
                self.use_expr_typed(file, lhs, right.as_deref(), within);
                self.use_expr_typed(file, rhs, left.as_deref(), within);
            }
        }
    }

    fn use_path(
        &mut self,
        file: usize,
        parts: &[Spanned<String>],
        expected: Option<&str>,
        within: &Option<Key>,
    ) {
        if let [single] = parts {
            if self.exists(SymbolKind::Definition, &single.node) {
                return self.use_name(file, SymbolKind::Definition, single, within);
            }
            if self.exists(SymbolKind::Role, &single.node) {
                return self.use_name(file, SymbolKind::Role, single, within);
            }
            if !self.exists(SymbolKind::Fact, &single.node)
                && !self.exists(SymbolKind::Record, &single.node)
            {
                return self.use_value(file, single, expected, within);
            }
        }
        // Each part names the record (or, last, the fact) its prefix leads to.
        let mut path = String::new();
        for part in parts {
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&part.node);
            let kind = if self.exists(SymbolKind::Fact, &path) {
                SymbolKind::Fact
            } else if self.exists(SymbolKind::Record, &path) {
                SymbolKind::Record
            } else {
                return;
            };
            self.uses.push(Use {
                key: Key::new(kind, path.clone()),
                file,
                span: part.span,
                within: within.clone(),
            });
        }
    }

    /// A bare word: a value of the expected enum, else of the one enum that has it.
    fn use_value(
        &mut self,
        file: usize,
        word: &Spanned<String>,
        expected: Option<&str>,
        within: &Option<Key>,
    ) {
        let has = |values: &Vec<String>| values.contains(&word.node);
        let owner = match expected {
            Some(e) if self.enum_values.get(e).is_some_and(has) => Some(e.to_string()),
            _ => {
                let mut owners: Vec<&String> = self
                    .enum_values
                    .iter()
                    .filter(|(_, values)| has(values))
                    .map(|(name, _)| name)
                    .collect();
                owners.sort();
                match owners.as_slice() {
                    [one] => Some((*one).clone()),
                    _ => None,
                }
            }
        };
        if let Some(owner) = owner {
            self.uses.push(Use {
                key: Key::new(SymbolKind::EnumValue, format!("{owner}.{}", word.node)),
                file,
                span: word.span,
                within: within.clone(),
            });
        }
    }
}

pub(crate) fn path_join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

pub(crate) fn path_text(parts: &[Spanned<String>]) -> String {
    parts
        .iter()
        .map(|p| p.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

/// The span of a declaration that starts at the keyword before `name` and ends
/// at its closing brace: from the start of `name`'s line to the brace.
pub(crate) fn item_extent(text: &str, name: Span) -> Span {
    let line_start = text
        .get(..name.start)
        .and_then(|t| t.rfind('\n'))
        .map_or(0, |i| i + 1);
    let end = closing_brace(text, name.end).unwrap_or(name.end);
    Span::new(line_start, end)
}

/// The offset just after the brace that closes the first `{` at or after `from`,
/// skipping strings and comments.
pub(crate) fn closing_brace(text: &str, from: usize) -> Option<usize> {
    let rest = text.get(from..)?;
    let mut depth = 0usize;
    let mut quote = false;
    let mut escaped = false;
    let mut comment = false;
    for (i, c) in rest.char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quote = false;
            }
            continue;
        }
        match c {
            '"' => quote = true,
            '/' if rest[i..].starts_with("//") => comment = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(from + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}
