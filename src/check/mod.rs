//! Check: names and types. Turns parsed files into a [`Program`] or reports
//! every problem found in every file.

pub mod error;
mod expr;
pub mod ir;
pub(crate) mod json;
mod penalties;
mod rules;

use std::collections::HashMap;
use std::sync::Arc;

pub use error::{CheckCode, CheckError};
use expr::{ExprChecker, Guards};
use ir::*;

use crate::source::{Source, Span, Spanned};
use crate::syntax::SyntaxError;
use crate::syntax::ast::{self, Expr, FactMember, Item, TypeShape};
use crate::value::{Base, Type};

/// Everything that stops a policy set from loading.
#[derive(Debug, Clone, thiserror::Error, miette::Diagnostic)]
pub enum PolicyError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Syntax(#[from] SyntaxError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Limit(#[from] crate::limits::TooMany),
}

/// The result of checking: a program when there were no errors, and all
/// problems found (errors and warnings).
pub struct Checked {
    pub program: Option<Program>,
    pub problems: Vec<PolicyError>,
}

enum DefState {
    Unchecked,
    InProgress,
    Done(Option<Type>),
}

pub(crate) struct Checker {
    pub(crate) program: Program,
    pub(crate) errors: Vec<CheckError>,
    defs: Vec<(FileId, ast::Define)>,
    def_state: Vec<DefState>,
    def_bodies: Vec<Option<CExpr>>,
    /// While a rule is checked: the date it starts to bind, which
    /// `commencement` names.
    pub(crate) commencement: Option<chrono::NaiveDate>,
    /// For an expression typed at the REPL: the jurisdictions whose holiday
    /// calendars are loaded, one of which it may count working days on.
    /// Empty when checking policies, whose working days are deadlines.
    pub(crate) expression_calendars: Vec<String>,
    /// How many more "did you mean" hints to work out. Each compares a name
    /// with every candidate, so thousands of unknown names among thousands
    /// of definitions would cost their product; past this many, none.
    suggestions_left: std::cell::Cell<usize>,
}

/// "Did you mean" hints worked out per check: twice as many as are shown by default.
const SUGGESTIONS: usize = 100;

/// Checks policy sources together with the holiday calendars loaded beside them.
pub fn check_with_calendars(
    sources: Vec<Source>,
    calendars: std::collections::BTreeMap<String, crate::calendar::Calendar>,
    limits: crate::Limits,
) -> Checked {
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for (id, source) in sources.iter().enumerate() {
        match crate::syntax::parse_file_with(source, &limits) {
            Ok(file) => files.push((id as FileId, file)),
            Err(errors) => problems.extend(errors.into_iter().map(PolicyError::Syntax)),
        }
    }
    let mut checker = Checker {
        program: Program {
            sources,
            calendars,
            limits,
            ..Program::default()
        },
        errors: Vec::new(),
        defs: Vec::new(),
        def_state: Vec::new(),
        def_bodies: Vec::new(),
        commencement: None,
        expression_calendars: Vec::new(),
        suggestions_left: std::cell::Cell::new(SUGGESTIONS),
    };
    checker.check_files(files);
    let program = &checker.program;
    for (what, name, count, limit) in [
        ("rules", "rules", program.rules.len(), limits.rules),
        ("facts", "facts", program.facts.len(), limits.facts),
    ] {
        if count > limit {
            problems.push(PolicyError::Limit(crate::limits::TooMany {
                what,
                name,
                count,
                limit,
            }));
        }
    }
    let has_errors = !problems.is_empty() || checker.errors.iter().any(|e| !e.is_warning());
    problems.extend(checker.errors.drain(..).map(PolicyError::Check));
    Checked {
        program: (!has_errors).then(|| json::prepared(checker.program)),
        problems,
    }
}

/// Checks one expression against a checked program, as typed at the REPL.
/// Every optional fact may be read: an unset one simply shows as null.
pub fn check_expression(program: &Program, source: &Source) -> Result<CExpr, Vec<PolicyError>> {
    let expr = crate::syntax::parse_expr_with(source, &program.limits)
        .map_err(|e| vec![PolicyError::Syntax(e)])?;
    let guards: Guards = program.facts.iter().map(|f| f.path.to_string()).collect();
    // Expressions read only the schema and the definitions' types: copy those,
    // not the rules, penalties and calendars.
    let schema = Program {
        enums: program.enums.clone(),
        facts: program.facts.clone(),
        fact_index: program.fact_index.clone(),
        records: program.records.clone(),
        record_index: program.record_index.clone(),
        def_index: program.def_index.clone(),
        ..Program::default()
    };
    let mut checker = Checker {
        program: schema,
        errors: Vec::new(),
        defs: Vec::new(),
        def_state: program
            .definitions
            .iter()
            .map(|d| DefState::Done(Some(d.ty)))
            .collect(),
        def_bodies: Vec::new(),
        commencement: None,
        expression_calendars: program.calendars.keys().cloned().collect(),
        suggestions_left: std::cell::Cell::new(SUGGESTIONS),
    };
    let checked = ExprChecker {
        checker: &mut checker,
        source,
    }
    .check(&expr, None, &guards);
    match checked {
        Some(c) if checker.errors.is_empty() => Ok(c),
        _ => Err(checker.errors.into_iter().map(PolicyError::Check).collect()),
    }
}

impl Checker {
    fn source(&self, file: FileId) -> Source {
        self.program.sources[file as usize].clone()
    }

    fn push(&mut self, error: CheckError) {
        self.errors.push(error);
    }

    fn check_files(&mut self, files: Vec<(FileId, ast::File)>) {
        let mut regulations: Vec<(FileId, ast::Regulation)> = Vec::new();
        let mut enums = Vec::new();
        let mut facts = Vec::new();
        let mut roles = Vec::new();
        let mut penalties = Vec::new();
        let mut rules = Vec::new();
        for (file, parsed) in files {
            for item in parsed.items {
                match item {
                    Item::Regulation(r) => regulations.push((file, r)),
                    Item::Enum(e) => enums.push((file, e)),
                    Item::Facts(members) => facts.push((file, members)),
                    Item::Define(d) => self.defs.push((file, d)),
                    Item::Role(r) => roles.push((file, r)),
                    Item::Penalty(p) => penalties.push((file, p)),
                    Item::Rule(r) => rules.push((file, r)),
                }
            }
        }
        let file_regulation = self.collect_regulations(regulations);
        self.collect_enums(enums);
        self.program.records.push(RecordInfo::default());
        self.program.record_index.insert(String::new(), 0);
        let mut declared: HashMap<String, (FileId, Span)> = HashMap::new();
        for (file, members) in facts {
            self.collect_facts(file, 0, "", &members, &mut declared);
        }
        self.collect_definitions();
        self.collect_roles(roles);
        self.collect_penalties(penalties);
        self.collect_rules(rules, &file_regulation);
    }

    /// Reports a second declaration of a name, pointing at both when they share a file.
    fn duplicate(
        &mut self,
        what: &str,
        name: &str,
        file: FileId,
        span: Span,
        first: (FileId, Span),
    ) {
        let source = self.source(file);
        let mut error = CheckError::new(
            CheckCode::Duplicate,
            &source,
            span,
            format!("{what} `{name}` is declared twice"),
        )
        .label("declared again here");
        if first.0 == file {
            error = error.also(first.1, "first declared here");
        } else {
            let other = self.source(first.0);
            let (line, col) = other.line_col(first.1.start);
            error = error.help(format!(
                "the first declaration is at {}:{line}:{col}; rename one of them",
                other.name
            ));
        }
        self.push(error);
    }

    fn collect_regulations(
        &mut self,
        regulations: Vec<(FileId, ast::Regulation)>,
    ) -> HashMap<FileId, u32> {
        let mut by_file: HashMap<FileId, u32> = HashMap::new();
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        for (file, reg) in regulations {
            let source = self.source(file);
            if let Some(&first) = seen.get(&reg.id.node) {
                self.duplicate("regulation", &reg.id.node, file, reg.id.span, first);
                continue;
            }
            if by_file.contains_key(&file) {
                let error = CheckError::new(
                    CheckCode::Header,
                    &source,
                    reg.id.span,
                    "a file holds at most one regulation",
                )
                .help("put each regulation in its own file");
                self.push(error);
                continue;
            }
            seen.insert(reg.id.node.clone(), (file, reg.id.span));
            let mut info = RegulationInfo {
                id: reg.id.node.as_str().into(),
                titles: Vec::new(),
                issuers: Vec::new(),
                jurisdiction: None,
                status: ast::RegulationStatus::InForce,
                issued: None,
                effective: None,
                repealed: None,
                source: None,
            };
            let mut status_given = false;
            for field in &reg.fields {
                match &field.node {
                    ast::RegulationField::Title { language, text } => {
                        info.titles.push((language.clone(), text.clone()))
                    }
                    ast::RegulationField::Issuers(list) => {
                        info.issuers.extend(list.iter().cloned())
                    }
                    ast::RegulationField::Jurisdiction(j) => info.jurisdiction = Some(j.clone()),
                    ast::RegulationField::Status(s) => {
                        info.status = *s;
                        status_given = true;
                    }
                    ast::RegulationField::Issued(d) => info.issued = Some(*d),
                    ast::RegulationField::Effective(d) => info.effective = Some(*d),
                    ast::RegulationField::Repealed(d) => info.repealed = Some(*d),
                    ast::RegulationField::Source(s) => info.source = Some(s.clone()),
                }
            }
            let header_error = |message: &str, help: &str| {
                CheckError::new(CheckCode::Header, &source, reg.id.span, message.to_string())
                    .help(help.to_string())
            };
            if info.titles.is_empty() {
                self.push(header_error(
                    "the regulation has no title",
                    "add `title \"...\"` to the header",
                ));
            }
            if !status_given {
                self.push(header_error(
                    "the regulation does not say its status",
                    "add `status draft`, `status in force` or `status repealed`",
                ));
            }
            if info.status == ast::RegulationStatus::InForce && info.effective.is_none() {
                self.push(header_error(
                    "a regulation in force needs the date it took effect",
                    "add `effective from YYYY-MM-DD`",
                ));
            }
            if info.status == ast::RegulationStatus::Repealed && info.repealed.is_none() {
                self.push(header_error(
                    "a repealed regulation needs the date of repeal",
                    "add `repealed on YYYY-MM-DD`",
                ));
            }
            if let (Some(from), Some(to)) = (info.effective, info.repealed) {
                if to < from {
                    self.push(header_error(
                        "the regulation is repealed before it takes effect",
                        "check the `effective from` and `repealed on` dates",
                    ));
                }
            }
            by_file.insert(file, self.program.regulations.len() as u32);
            self.program.regulations.push(info);
        }
        by_file
    }

    fn collect_enums(&mut self, enums: Vec<(FileId, ast::EnumDecl)>) {
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        for (file, decl) in enums {
            if let Some(&first) = seen.get(&decl.name.node) {
                self.duplicate("enum", &decl.name.node, file, decl.name.span, first);
                continue;
            }
            seen.insert(decl.name.node.clone(), (file, decl.name.span));
            let source = self.source(file);
            let mut values: Vec<String> = Vec::new();
            let mut docs = Vec::new();
            let mut spans: HashMap<String, Span> = HashMap::new();
            for (value, doc) in &decl.values {
                if let Some(&first) = spans.get(&value.node) {
                    let error = CheckError::new(
                        CheckCode::Duplicate,
                        &source,
                        value.span,
                        format!("`{}` appears twice in enum {}", value.node, decl.name.node),
                    )
                    .label("again here")
                    .also(first, "first here");
                    self.push(error);
                    continue;
                }
                spans.insert(value.node.clone(), value.span);
                values.push(value.node.clone());
                docs.push(doc.as_ref().map(|d| d.node.clone()));
            }
            if values.is_empty() {
                let error = CheckError::new(
                    CheckCode::TypeMismatch,
                    &source,
                    decl.name.span,
                    format!("enum {} has no values", decl.name.node),
                )
                .help("list its values between the braces, one per line");
                self.push(error);
            }
            self.program.enums.push(EnumInfo {
                name: decl.name.node.clone(),
                doc: decl.doc.as_ref().map(|d| d.node.clone()),
                values,
                docs,
            });
        }
    }

    fn enum_id(&self, name: &str) -> Option<u32> {
        self.program
            .enums
            .iter()
            .position(|e| e.name == name)
            .map(|i| i as u32)
    }

    fn resolve_type(&mut self, file: FileId, ty: &Spanned<ast::TypeExpr>) -> Option<Type> {
        let lookup = |this: &mut Self, name: &Spanned<String>, collection: bool| -> Option<Base> {
            let builtin = match name.node.as_str() {
                "bool" => Some(Base::Bool),
                "int" => Some(Base::Int),
                "text" => Some(Base::Text),
                "date" => Some(Base::Date),
                "duration" => Some(Base::Duration),
                "money" => Some(Base::Money),
                "log" => Some(Base::Log),
                _ => None,
            };
            if let Some(base) = builtin {
                if collection {
                    let source = this.source(file);
                    let error = CheckError::new(
                        CheckCode::UnknownType,
                        &source,
                        name.span,
                        format!("sets and lists hold enum values, not {}", name.node),
                    )
                    .help("declare an `enum` for the values and use `set of <Enum>`");
                    this.push(error);
                    return None;
                }
                return Some(base);
            }
            if let Some(id) = this.enum_id(&name.node) {
                return Some(Base::Enum(id));
            }
            let source = this.source(file);
            let mut names: Vec<&str> = vec!["bool", "int", "text", "date", "duration", "money"];
            names.extend(this.program.enums.iter().map(|e| e.name.as_str()));
            let hint = this.suggest_or(
                &name.node,
                names,
                "the types are bool, int, text, date, duration, money and the enums you declare",
            );
            let error = CheckError::new(
                CheckCode::UnknownType,
                &source,
                name.span,
                format!("unknown type `{}`", name.node),
            )
            .label("unknown type")
            .help(hint);
            this.push(error);
            None
        };
        let base = match &ty.node.shape {
            TypeShape::Named(name) => lookup(self, name, false)?,
            TypeShape::SetOf(name) => match lookup(self, name, true)? {
                Base::Enum(id) => Base::Set(id),
                other => other,
            },
            TypeShape::ListOf(name) => match lookup(self, name, true)? {
                Base::Enum(id) => Base::List(id),
                other => other,
            },
        };
        Some(Type {
            base,
            optional: ty.node.optional,
        })
    }

    fn collect_facts(
        &mut self,
        file: FileId,
        record: u32,
        prefix: &str,
        members: &[FactMember],
        declared: &mut HashMap<String, (FileId, Span)>,
    ) {
        for member in members {
            let (name, doc) = match member {
                FactMember::Field { name, doc, .. } | FactMember::Record { name, doc, .. } => {
                    (name, doc)
                }
            };
            let path = if prefix.is_empty() {
                name.node.clone()
            } else {
                format!("{prefix}.{}", name.node)
            };
            if prefix.is_empty() && matches!(name.node.as_str(), "as_of" | "today") {
                let source = self.source(file);
                let error = CheckError::new(
                    CheckCode::Duplicate,
                    &source,
                    name.span,
                    format!("`{}` is reserved for the evaluation date", name.node),
                )
                .help("choose another name for this fact");
                self.push(error);
                continue;
            }
            match member {
                FactMember::Field { ty, .. } => {
                    if let Some(&first) = declared.get(&path) {
                        self.duplicate("fact", &path, file, name.span, first);
                        continue;
                    }
                    declared.insert(path.clone(), (file, name.span));
                    if doc.is_none() {
                        let source = self.source(file);
                        let error = CheckError::new(CheckCode::MissingDoc, &source, name.span, format!("fact `{path}` has no description"))
                            .help("add a description in quotes after the type, so a reader knows what to supply");
                        self.push(error);
                    }
                    let Some(ty) = self.resolve_type(file, ty) else {
                        continue;
                    };
                    let id = self.program.facts.len() as FactId;
                    let path: Arc<str> = Arc::from(path.as_str());
                    self.program.fact_index.insert(Arc::clone(&path), id);
                    self.program.facts.push(FactInfo {
                        path,
                        ty,
                        doc: doc.as_ref().map(|d| d.node.clone()),
                        description: doc.as_ref().map(|d| Arc::from(d.node.as_str())),
                        file,
                        span: name.span,
                    });
                    self.program.records[record as usize]
                        .children
                        .push((name.node.clone(), SchemaNode::Fact(id)));
                }
                FactMember::Record { members, .. } => {
                    if let Some(&(first_file, first_span)) = declared.get(&path) {
                        if !self.program.record_index.contains_key(&path) {
                            self.duplicate(
                                "fact",
                                &path,
                                file,
                                name.span,
                                (first_file, first_span),
                            );
                            continue;
                        }
                    }
                    declared.entry(path.clone()).or_insert((file, name.span));
                    // Records may be reopened in another file to add facts.
                    let child = match self.program.record_index.get(&path) {
                        Some(&id) => id,
                        None => {
                            let id = self.program.records.len() as u32;
                            self.program.records.push(RecordInfo {
                                doc: doc.as_ref().map(|d| d.node.clone()),
                                children: Vec::new(),
                            });
                            self.program.record_index.insert(path.clone(), id);
                            self.program.records[record as usize]
                                .children
                                .push((name.node.clone(), SchemaNode::Record(id)));
                            id
                        }
                    };
                    self.collect_facts(file, child, &path, members, declared);
                }
            }
        }
    }

    fn collect_definitions(&mut self) {
        let mut seen: HashMap<String, (FileId, Span)> = HashMap::new();
        let defs = std::mem::take(&mut self.defs);
        let mut kept = Vec::new();
        for (file, def) in defs {
            let name = def.name.node.clone();
            if let Some(&first) = seen.get(&name) {
                self.duplicate("definition", &name, file, def.name.span, first);
                continue;
            }
            if self.program.fact_index.contains_key(name.as_str())
                || self.program.record_index.contains_key(&name)
                || name == "today"
            {
                let source = self.source(file);
                let error = CheckError::new(
                    CheckCode::Duplicate,
                    &source,
                    def.name.span,
                    format!("`{name}` is already the name of a fact"),
                )
                .help("give the definition a name of its own");
                self.push(error);
                continue;
            }
            seen.insert(name.clone(), (file, def.name.span));
            self.program.def_index.insert(name, kept.len() as DefId);
            kept.push((file, def));
        }
        self.def_state = kept.iter().map(|_| DefState::Unchecked).collect();
        self.def_bodies = kept.iter().map(|_| None).collect();
        self.defs = kept;
        for id in 0..self.defs.len() {
            self.def_type(id as DefId);
        }
        for (id, (file, def)) in self.defs.iter().enumerate() {
            let (Some(body), DefState::Done(Some(ty))) =
                (self.def_bodies[id].take(), &self.def_state[id])
            else {
                continue;
            };
            self.program.definitions.push(DefInfo {
                name: def.name.node.clone(),
                doc: def.doc.as_ref().map(|d| d.node.clone()),
                ty: *ty,
                body,
                file: *file,
                span: def.name.span,
            });
        }
        if self.program.definitions.len() != self.defs.len() {
            // Some definitions failed; their errors are already reported and
            // the program will not be returned, so indices need not line up.
            self.program.definitions.clear();
        }
    }

    pub(crate) fn def_id(&self, name: &str) -> Option<DefId> {
        self.program.def_index.get(name).copied()
    }

    /// The type of a definition, checking its body on first use.
    pub(crate) fn def_type(&mut self, id: DefId) -> Option<Type> {
        crate::limits::with_stack(|| self.def_type_here(id))
    }

    fn def_type_here(&mut self, id: DefId) -> Option<Type> {
        match self.def_state.get(id as usize)? {
            DefState::Done(ty) => return *ty,
            DefState::InProgress => {
                let (file, def) = &self.defs[id as usize];
                let source = self.source(*file);
                let error = CheckError::new(
                    CheckCode::DefinitionCycle,
                    &source,
                    def.name.span,
                    format!("`{}` is defined in terms of itself", def.name.node),
                )
                .label("part of a cycle")
                .help("a definition may use other definitions, but never lead back to itself");
                self.push(error);
                self.def_state[id as usize] = DefState::Done(None);
                return None;
            }
            DefState::Unchecked => {}
        }
        self.def_state[id as usize] = DefState::InProgress;
        let (file, def) = self.defs[id as usize].clone();
        let source = self.source(file);
        let checked = ExprChecker {
            checker: self,
            source: &source,
        }
        .check(&def.body, None, &Guards::new());
        let ty = checked.as_ref().map(|c| c.ty);
        if matches!(self.def_state[id as usize], DefState::InProgress) {
            self.def_state[id as usize] = DefState::Done(ty);
            self.def_bodies[id as usize] = checked;
        }
        ty
    }

    /// Names that are set whenever `expr` evaluates to `truth`, looking
    /// through definitions.
    pub(crate) fn set_when(&self, expr: &Spanned<Expr>, truth: bool) -> Guards {
        self.set_when_depth(expr, truth, 0)
    }

    fn set_when_depth(&self, expr: &Spanned<Expr>, truth: bool, depth: usize) -> Guards {
        if depth > 32 {
            return Guards::new();
        }
        let name_of = |e: &Spanned<Expr>| match &e.node {
            Expr::Path(p) => Some(
                p.iter()
                    .map(|s| s.node.as_str())
                    .collect::<Vec<_>>()
                    .join("."),
            ),
            _ => None,
        };
        match &expr.node {
            Expr::IsSet(inner) if truth => name_of(inner).into_iter().collect(),
            Expr::IsUnset(inner) if !truth => name_of(inner).into_iter().collect(),
            Expr::Not(inner) => self.set_when_depth(inner, !truth, depth + 1),
            Expr::Binary {
                op: op @ (ast::BinaryOp::And | ast::BinaryOp::Or),
                lhs,
                rhs,
            } => {
                let (l, r) = (
                    self.set_when_depth(lhs, truth, depth + 1),
                    self.set_when_depth(rhs, truth, depth + 1),
                );
                // `a and b` true, or `a or b` false: both sides hold; otherwise only what both share.
                if (*op == ast::BinaryOp::And) == truth {
                    l.union(&r).cloned().collect()
                } else {
                    l.intersection(&r).cloned().collect()
                }
            }
            Expr::Path(p) if p.len() == 1 => match self.def_id(&p[0].node) {
                Some(id) => self
                    .defs
                    .get(id as usize)
                    .map_or_else(Guards::new, |(_, d)| {
                        self.set_when_depth(&d.body, truth, depth + 1)
                    }),
                None => Guards::new(),
            },
            _ => Guards::new(),
        }
    }

    /// A name close to `wanted` among `candidates`, while hints are left.
    pub(crate) fn suggest<'a>(
        &self,
        wanted: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Option<String> {
        let left = self.suggestions_left.get().checked_sub(1)?;
        self.suggestions_left.set(left);
        error::suggest(wanted, candidates)
    }

    /// Whether a hint is still worked out: lets a caller skip gathering candidates.
    pub(crate) fn suggests(&self) -> bool {
        self.suggestions_left.get() > 0
    }

    pub(crate) fn name_candidates(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .program
            .facts
            .iter()
            .map(|f| f.path.to_string())
            .collect();
        names.extend(self.program.def_index.keys().cloned());
        names.extend(
            self.program
                .enums
                .iter()
                .flat_map(|e| e.values.iter().cloned()),
        );
        names.push("today".into());
        names
    }

    pub(crate) fn record_children(&self, record: &str) -> String {
        let Some(&id) = self.program.record_index.get(record) else {
            return String::new();
        };
        self.program.records[id as usize]
            .children
            .iter()
            .map(|(name, _)| format!("{record}.{name}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl Checker {
    fn suggest_or<'a>(
        &self,
        wanted: &str,
        names: impl IntoIterator<Item = &'a str>,
        fallback: &str,
    ) -> String {
        self.suggest(wanted, names)
            .unwrap_or_else(|| fallback.to_string())
    }
}

/// Rules ordered so that each exception is evaluated before the rule it excepts.
fn exception_order(rules: &[RuleInfo]) -> Result<Vec<RuleId>, Vec<RuleId>> {
    let mut order = Vec::with_capacity(rules.len());
    let mut state = vec![0u8; rules.len()]; // 0 new, 1 visiting, 2 done
    let mut excepted_by: Vec<Vec<RuleId>> = vec![Vec::new(); rules.len()];
    for (id, rule) in rules.iter().enumerate() {
        if let Some(target) = rule.exception_to {
            excepted_by[target as usize].push(id as RuleId);
        }
    }
    fn visit(
        id: usize,
        excepted_by: &[Vec<RuleId>],
        state: &mut [u8],
        order: &mut Vec<RuleId>,
        stack: &mut Vec<RuleId>,
    ) -> Result<(), Vec<RuleId>> {
        match state[id] {
            2 => return Ok(()),
            1 => return Err(stack.clone()),
            _ => {}
        }
        state[id] = 1;
        stack.push(id as RuleId);
        for &exception in &excepted_by[id] {
            visit(exception as usize, excepted_by, state, order, stack)?;
        }
        stack.pop();
        state[id] = 2;
        order.push(id as RuleId);
        Ok(())
    }
    for id in 0..rules.len() {
        let mut stack = Vec::new();
        visit(id, &excepted_by, &mut state, &mut order, &mut stack)?;
    }
    Ok(order)
}
