//! Type checking of expressions, and the "is set" guards that make reading
//! an optional fact safe.

use std::collections::HashSet;
use std::sync::Arc;

use super::Checker;
use super::error::{CheckCode, CheckError};
use super::ir::{CExpr, CExprKind, Compare, ExprText};
use crate::source::{Source, Span, Spanned};
use crate::syntax::ast::{BinaryOp, Expr, Literal};
use crate::value::{Base, Type, Value};

/// Names (fact paths or definition names) known to be set at a point.
pub type Guards = HashSet<String>;

/// What a name in an expression refers to.
enum Resolved {
    Fact(u32, Type),
    Def(u32, Type),
    Today,
    /// `commencement` inside a rule: the date the rule starts to bind.
    Commencement(chrono::NaiveDate),
    /// Not a fact, definition or built-in: maybe an enum value, decided by context.
    Bare(String),
    Record(String),
    Unknown(String),
}

pub(super) struct ExprChecker<'c> {
    pub checker: &'c mut Checker,
    pub source: &'c Source,
}

fn path_text(path: &[Spanned<String>]) -> String {
    path.iter()
        .map(|s| s.node.as_str())
        .collect::<Vec<_>>()
        .join(".")
}

impl ExprChecker<'_> {
    fn error(&self, code: CheckCode, span: Span, message: impl Into<String>) -> CheckError {
        CheckError::new(code, self.source, span, message)
    }

    fn push(&mut self, error: CheckError) {
        self.checker.errors.push(error);
    }

    fn resolve(&mut self, path: &[Spanned<String>]) -> Resolved {
        let text = path_text(path);
        if let Some(&id) = self.checker.program.fact_index.get(text.as_str()) {
            let ty = self.checker.program.facts[id as usize].ty;
            return Resolved::Fact(id, ty);
        }
        if path.len() == 1 {
            if text == "today" {
                return Resolved::Today;
            }
            if let (true, Some(date)) = (text == "commencement", self.checker.commencement) {
                return Resolved::Commencement(date);
            }
            if let Some(id) = self.checker.def_id(&text) {
                return match self.checker.def_type(id) {
                    Some(ty) => Resolved::Def(id, ty),
                    None => Resolved::Unknown(String::new()),
                };
            }
            if self.checker.program.record_index.contains_key(&text) {
                return Resolved::Record(text);
            }
            return Resolved::Bare(text);
        }
        if self.checker.program.record_index.contains_key(&text) {
            return Resolved::Record(text);
        }
        Resolved::Unknown(text)
    }

    fn is_bare(&mut self, expr: &Spanned<Expr>) -> bool {
        match &expr.node {
            Expr::Path(p) => matches!(self.resolve(p), Resolved::Bare(_)),
            Expr::SetLiteral(_) => true,
            _ => false,
        }
    }

    fn text(&self, span: Span) -> ExprText {
        ExprText::new(self.source, span)
    }

    /// Checks `expr`, expecting `expected` where context decides (enum values,
    /// set literals). Errors are recorded; `None` means the expression is unusable.
    pub fn check(
        &mut self,
        expr: &Spanned<Expr>,
        expected: Option<Type>,
        guards: &Guards,
    ) -> Option<CExpr> {
        crate::limits::with_stack(|| self.check_here(expr, expected, guards))
    }

    fn check_here(
        &mut self,
        expr: &Spanned<Expr>,
        expected: Option<Type>,
        guards: &Guards,
    ) -> Option<CExpr> {
        let text = self.text(expr.span);
        let (kind, ty) = match &expr.node {
            Expr::Literal(lit) => literal(lit),
            Expr::Path(path) => return self.check_path(expr, path, expected, guards, text),
            Expr::SetLiteral(values) => {
                let Some(Type {
                    base: Base::Set(e) | Base::List(e),
                    ..
                }) = expected
                else {
                    let error = self
                        .error(CheckCode::TypeMismatch, expr.span, "a set of values needs something to compare with")
                        .help("use it on the right of `in`, e.g. `party.kind in {provider, operator}`");
                    self.push(error);
                    return None;
                };
                let mut indices = Vec::new();
                for value in values {
                    indices.push(self.enum_value(e, value)?);
                }
                indices.sort_unstable();
                indices.dedup();
                (
                    CExprKind::Literal(Value::Set(e, indices.into())),
                    Type::new(Base::Set(e)),
                )
            }
            Expr::Not(inner) => {
                let inner = self.check_as(inner, Type::BOOL, guards)?;
                (CExprKind::Not(Box::new(inner)), Type::BOOL)
            }
            Expr::IsSet(inner) | Expr::IsUnset(inner) => {
                let checked = self.check_presence(inner)?;
                let kind = if matches!(expr.node, Expr::IsSet(_)) {
                    CExprKind::IsSet(Box::new(checked))
                } else {
                    CExprKind::IsUnset(Box::new(checked))
                };
                (kind, Type::BOOL)
            }
            Expr::Binary { op, lhs, rhs } => self.check_binary(expr.span, *op, lhs, rhs, guards)?,
        };
        Some(CExpr { kind, ty, text })
    }

    /// Checks and requires a type.
    pub fn check_as(&mut self, expr: &Spanned<Expr>, want: Type, guards: &Guards) -> Option<CExpr> {
        let checked = self.check(expr, Some(want), guards)?;
        if checked.ty.base != want.base {
            let (found, wanted) = (
                self.checker.program.type_name(checked.ty),
                self.checker.program.type_name(want),
            );
            let mut error = self
                .error(
                    CheckCode::TypeMismatch,
                    expr.span,
                    format!("expected {wanted}, found {found}"),
                )
                .label(format!("this is {found}"));
            if want.base == Base::Bool && checked.ty.base == Base::Date {
                error = error.help("to test whether a date is known, write `... is set`");
            }
            self.push(error);
            return None;
        }
        Some(checked)
    }

    fn check_presence(&mut self, inner: &Spanned<Expr>) -> Option<CExpr> {
        let Expr::Path(path) = &inner.node else {
            let error = self
                .error(
                    CheckCode::TypeMismatch,
                    inner.span,
                    "`is set` applies to a fact or a definition",
                )
                .help("write e.g. `vulnerability.aware_on is set`");
            self.push(error);
            return None;
        };
        // Reading presence never needs a guard.
        let all: Guards = [path_text(path)].into_iter().collect();
        self.check(inner, None, &all)
    }

    fn check_path(
        &mut self,
        expr: &Spanned<Expr>,
        path: &[Spanned<String>],
        expected: Option<Type>,
        guards: &Guards,
        text: ExprText,
    ) -> Option<CExpr> {
        let name = path_text(path);
        let (kind, ty) = match self.resolve(path) {
            Resolved::Fact(id, ty) => (CExprKind::Fact(id), ty),
            Resolved::Def(id, ty) => (CExprKind::Def(id), ty),
            Resolved::Today => (CExprKind::Today, Type::DATE),
            Resolved::Commencement(date) => (CExprKind::Literal(Value::Date(date)), Type::DATE),
            Resolved::Bare(word) => {
                if let Some(Type {
                    base: Base::Enum(e) | Base::Set(e) | Base::List(e),
                    ..
                }) = expected
                {
                    let index = self.enum_value(e, &path[0])?;
                    return Some(CExpr {
                        kind: CExprKind::Literal(Value::Enum(e, index)),
                        ty: Type::new(Base::Enum(e)),
                        text,
                    });
                }
                let mut error = self
                    .error(
                        CheckCode::UnknownName,
                        expr.span,
                        format!("`{word}` is not a fact, a definition or a value"),
                    )
                    .label("unknown name");
                let candidates = match self.checker.suggests() {
                    true => self.checker.name_candidates(),
                    false => Vec::new(),
                };
                if let Some(hint) = self
                    .checker
                    .suggest(&word, candidates.iter().map(String::as_str))
                {
                    error = error.help(hint);
                }
                self.push(error);
                return None;
            }
            Resolved::Record(record) => {
                let children = self.checker.record_children(&record);
                let error = self
                    .error(
                        CheckCode::TypeMismatch,
                        expr.span,
                        format!("`{record}` is a group of facts, not a value"),
                    )
                    .label("a record")
                    .help(format!("name one of its facts: {children}"));
                self.push(error);
                return None;
            }
            Resolved::Unknown(path) => {
                if path.is_empty() {
                    return None; // the definition's own error was reported
                }
                let facts: Vec<&str> = self
                    .checker
                    .program
                    .facts
                    .iter()
                    .map(|f| f.path.as_ref())
                    .collect();
                let mut error = self
                    .error(
                        CheckCode::UnknownFact,
                        expr.span,
                        format!("no fact is called `{path}`"),
                    )
                    .label("unknown fact");
                if let Some(hint) = self.checker.suggest(&path, facts) {
                    error = error.help(hint);
                } else {
                    error = error.help("declare it in a `facts` block");
                }
                self.push(error);
                return None;
            }
        };
        if ty.optional && !guards.contains(&name) {
            let error = self
                .error(
                    CheckCode::UnguardedOptional,
                    expr.span,
                    format!("`{name}` may be unset, and is read here without a check"),
                )
                .label("read without `is set`")
                .help(format!(
                    "check it first, e.g. `when {name} is set`, or `{name} is set and ...`"
                ));
            self.push(error);
            return None;
        }
        Some(CExpr {
            kind,
            ty: ty.required(),
            text,
        })
    }

    fn enum_value(&mut self, enum_id: u32, value: &Spanned<String>) -> Option<u32> {
        let info = &self.checker.program.enums[enum_id as usize];
        if let Some(index) = info.index_of(&value.node) {
            return Some(index);
        }
        let name = info.name.clone();
        let hint = self
            .checker
            .suggest(&value.node, info.values.iter().map(String::as_str))
            .unwrap_or_else(|| format!("the values of {name} are: {}", info.values.join(", ")));
        let error = self
            .error(
                CheckCode::UnknownEnumValue,
                value.span,
                format!("`{}` is not a value of {name}", value.node),
            )
            .label(format!("not a {name}"))
            .help(hint);
        self.push(error);
        None
    }

    fn check_binary(
        &mut self,
        span: Span,
        op: BinaryOp,
        lhs: &Spanned<Expr>,
        rhs: &Spanned<Expr>,
        guards: &Guards,
    ) -> Option<(CExprKind, Type)> {
        match op {
            BinaryOp::And | BinaryOp::Or => {
                let l = self.check_as(lhs, Type::BOOL, guards);
                // The left side guards the right: `x is set and x < d`, `x is unset or x < d`.
                let mut inner = guards.clone();
                if op == BinaryOp::And {
                    inner.extend(self.checker.set_when(lhs, true));
                } else {
                    inner.extend(self.checker.set_when(lhs, false));
                }
                let r = self.check_as(rhs, Type::BOOL, &inner);
                let (l, r) = (Box::new(l?), Box::new(r?));
                let kind = if op == BinaryOp::And {
                    CExprKind::And(l, r)
                } else {
                    CExprKind::Or(l, r)
                };
                Some((kind, Type::BOOL))
            }
            BinaryOp::In | BinaryOp::NotIn | BinaryOp::Contains => {
                let (element, collection) = if op == BinaryOp::Contains {
                    (rhs, lhs)
                } else {
                    (lhs, rhs)
                };
                let (element, collection) = if self.is_bare(element) {
                    let collection = self.check(collection, None, guards)?;
                    let element = self.check(element, Some(collection.ty), guards)?;
                    (element, collection)
                } else {
                    let element = self.check(element, None, guards)?;
                    let want = match element.ty.base {
                        Base::Enum(e) => Some(Type::new(Base::Set(e))),
                        _ => None,
                    };
                    let collection = self.check(collection, want, guards)?;
                    (element, collection)
                };
                match (element.ty.base, collection.ty.base) {
                    (Base::Enum(a), Base::Set(b) | Base::List(b)) if a == b => {}
                    _ => {
                        let (e, c) = (
                            self.checker.program.type_name(element.ty),
                            self.checker.program.type_name(collection.ty),
                        );
                        let error = self
                            .error(CheckCode::TypeMismatch, span, format!("cannot look for {e} in {c}"))
                            .help("membership reads `value in set`, where the set holds values of the same enum");
                        self.push(error);
                        return None;
                    }
                }
                let negated = op == BinaryOp::NotIn;
                Some((
                    CExprKind::Member {
                        element: Box::new(element),
                        collection: Box::new(collection),
                        negated,
                    },
                    Type::BOOL,
                ))
            }
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge => {
                let (l, r) = self.check_pair(lhs, rhs, guards)?;
                let ordered = !matches!(op, BinaryOp::Eq | BinaryOp::Ne);
                let comparable = l.ty.base == r.ty.base
                    && (!ordered
                        || matches!(
                            l.ty.base,
                            Base::Int | Base::Money | Base::Date | Base::Duration
                        ));
                if !comparable {
                    let (a, b) = (
                        self.checker.program.type_name(l.ty),
                        self.checker.program.type_name(r.ty),
                    );
                    let message = if l.ty.base == r.ty.base {
                        format!(
                            "{a} values have no order; `{}` cannot compare them",
                            op.symbol()
                        )
                    } else {
                        format!("cannot compare {a} with {b}")
                    };
                    let error = self
                        .error(CheckCode::TypeMismatch, span, message)
                        .also(lhs.span, a)
                        .also(rhs.span, b);
                    self.push(error);
                    return None;
                }
                let cmp = match op {
                    BinaryOp::Eq => Compare::Eq,
                    BinaryOp::Ne => Compare::Ne,
                    BinaryOp::Lt => Compare::Lt,
                    BinaryOp::Le => Compare::Le,
                    BinaryOp::Gt => Compare::Gt,
                    _ => Compare::Ge,
                };
                Some((
                    CExprKind::Compare(cmp, Box::new(l), Box::new(r)),
                    Type::BOOL,
                ))
            }
            BinaryOp::Add | BinaryOp::Sub => {
                let l = self.check(lhs, None, guards);
                let r = self.check(rhs, None, guards);
                let (l, r) = (l?, r?);
                let result = match (op, l.ty.base, r.ty.base) {
                    (_, Base::Date, Base::Duration) => Some(Base::Date),
                    (BinaryOp::Add, Base::Duration, Base::Date) => Some(Base::Date),
                    (BinaryOp::Sub, Base::Date, Base::Date) => Some(Base::Duration),
                    (_, Base::Int, Base::Int) => Some(Base::Int),
                    (_, Base::Money, Base::Money) => Some(Base::Money),
                    _ => None,
                };
                let Some(result) = result else {
                    let (a, b) = (
                        self.checker.program.type_name(l.ty),
                        self.checker.program.type_name(r.ty),
                    );
                    let error = self
                        .error(CheckCode::TypeMismatch, span, format!("cannot {} {b} {} {a}", if op == BinaryOp::Add { "add" } else { "subtract" }, if op == BinaryOp::Add { "to" } else { "from" }))
                        .help("dates move by durations (`d + 2 days`), two dates give a duration, numbers and amounts add to their own kind");
                    self.push(error);
                    return None;
                };
                if matches!(r.ty.base, Base::Duration) {
                    self.forbid_working_days(&r, rhs.span);
                }
                let kind = if op == BinaryOp::Add {
                    CExprKind::Add(Box::new(l), Box::new(r))
                } else {
                    CExprKind::Sub(Box::new(l), Box::new(r))
                };
                Some((kind, Type::new(result)))
            }
        }
    }

    fn forbid_working_days(&mut self, duration: &CExpr, span: Span) {
        if let CExprKind::Literal(Value::Duration(d)) = &duration.kind {
            if d.unit == crate::syntax::ast::TimeUnit::WorkingDays {
                // At the REPL, working days count on the one calendar loaded;
                // with several, the user is told which there are.
                let calendars = &self.checker.expression_calendars;
                if calendars.len() == 1 {
                    return;
                }
                if calendars.len() > 1 {
                    let error = self
                        .error(
                            CheckCode::Unsupported,
                            span,
                            format!(
                                "working days count on one jurisdiction's calendar, and these policies load several: {}",
                                calendars.join(", ")
                            ),
                        )
                        .help("load the policies of one jurisdiction, or count in calendar days (`2 days`)");
                    self.push(error);
                    return;
                }
                let error = self
                    .error(
                        CheckCode::Unsupported,
                        span,
                        "working days need a holiday calendar, which this policy set does not load",
                    )
                    .help("count in calendar days (`2 days`) and note the decision in a comment");
                self.push(error);
            }
        }
    }

    /// Checks two operands that must agree, letting a known side give a bare
    /// enum value its type.
    fn check_pair(
        &mut self,
        lhs: &Spanned<Expr>,
        rhs: &Spanned<Expr>,
        guards: &Guards,
    ) -> Option<(CExpr, CExpr)> {
        if self.is_bare(lhs) && !self.is_bare(rhs) {
            let r = self.check(rhs, None, guards)?;
            let l = self.check(lhs, Some(r.ty), guards)?;
            Some((l, r))
        } else {
            let l = self.check(lhs, None, guards);
            let r = self.check(rhs, l.as_ref().map(|l| l.ty), guards);
            Some((l?, r?))
        }
    }
}

fn literal(lit: &Literal) -> (CExprKind, Type) {
    let (value, base) = match lit {
        Literal::Bool(b) => (Value::Bool(*b), Base::Bool),
        Literal::Int(i) => (Value::Int(*i), Base::Int),
        Literal::Text(t) => (Value::Text(Arc::from(t.as_str())), Base::Text),
        Literal::Date(d) => (Value::Date(*d), Base::Date),
        Literal::Duration(d) => (Value::Duration(*d), Base::Duration),
        Literal::Money(m) => (Value::Money(*m), Base::Money),
    };
    (CExprKind::Literal(value), Type::new(base))
}
