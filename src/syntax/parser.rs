//! pest parse tree → AST. One builder function per grammar rule; operator
// Syntax errors are rare and carry their source for rendering; boxing them
// would only move the cost, so the large error type is accepted here.
#![allow(clippy::result_large_err)]
//! precedence lives in the Pratt table below.

use std::sync::OnceLock;

use chrono::NaiveDate;
use pest::Parser as _;
use pest::iterators::Pair;
use pest::pratt_parser::{Assoc, Op, PrattParser};

use super::ast::*;
use super::error::SyntaxError;
use crate::source::{Source, Span, Spanned};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/deon.pest"]
pub(super) struct DeonParser;

/// Bracket depth beyond which we refuse to parse, so deep input cannot
/// exhaust the stack of the recursive phases that follow
/// ([`crate::Limits::nesting`] by default).
pub const MAX_NESTING: usize = crate::Limits::DEFAULT.nesting;

type Result<T> = std::result::Result<T, SyntaxError>;
/// A declaration's name, its doc string, and the pairs after them.
type Header<'i> = (Ident, Option<Spanned<String>>, Vec<Pair<'i, Rule>>);

fn pratt() -> &'static PrattParser<Rule> {
    static PRATT: OnceLock<PrattParser<Rule>> = OnceLock::new();
    PRATT.get_or_init(|| {
        PrattParser::new()
            .op(Op::infix(Rule::or_op, Assoc::Left))
            .op(Op::infix(Rule::and_op, Assoc::Left))
            .op(Op::prefix(Rule::not_op))
            .op(Op::infix(Rule::eq, Assoc::Left)
                | Op::infix(Rule::ne, Assoc::Left)
                | Op::infix(Rule::lt, Assoc::Left)
                | Op::infix(Rule::le, Assoc::Left)
                | Op::infix(Rule::gt, Assoc::Left)
                | Op::infix(Rule::ge, Assoc::Left)
                | Op::infix(Rule::is_op, Assoc::Left)
                | Op::infix(Rule::is_not_op, Assoc::Left)
                | Op::infix(Rule::in_op, Assoc::Left)
                | Op::infix(Rule::not_in_op, Assoc::Left)
                | Op::infix(Rule::contains_op, Assoc::Left))
            .op(Op::infix(Rule::add, Assoc::Left) | Op::infix(Rule::sub, Assoc::Left))
            .op(Op::postfix(Rule::is_set) | Op::postfix(Rule::is_unset))
    })
}

/// Parses a whole policy file. On failure, every broken top-level item is
/// reported, not just the first.
pub fn parse_file(source: &Source) -> std::result::Result<File, Vec<SyntaxError>> {
    parse_file_with(source, &crate::Limits::DEFAULT)
}

/// [`parse_file`] under `limits`' nesting and operator limits.
pub fn parse_file_with(
    source: &Source,
    limits: &crate::Limits,
) -> std::result::Result<File, Vec<SyntaxError>> {
    let text: &str = &source.text;
    if let Some(err) = nesting_within(source, limits.nesting) {
        return Err(vec![err]);
    }
    match DeonParser::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let builder = Builder {
                source,
                offset: 0,
                operators: limits.expression_operators,
            };
            let file = pairs.next().map(|p| p.into_inner()).into_iter().flatten();
            let mut items = Vec::new();
            let mut errors = Vec::new();
            for pair in file {
                if pair.as_rule() == Rule::EOI {
                    continue;
                }
                match builder.item(pair) {
                    Ok(item) => items.push(item),
                    Err(e) => errors.push(e),
                }
            }
            if errors.is_empty() {
                Ok(File { items })
            } else {
                Err(errors)
            }
        }
        Err(first) => {
            let mut errors = recover(source);
            if errors.is_empty() {
                errors.push(convert(source, 0, first));
            }
            Err(errors)
        }
    }
}

/// Parses one expression, as typed at the REPL, under `limits`' nesting and
/// operator limits.
pub fn parse_expr_with(
    source: &Source,
    limits: &crate::Limits,
) -> std::result::Result<Spanned<Expr>, SyntaxError> {
    if let Some(err) = nesting_within(source, limits.nesting) {
        return Err(err);
    }
    let mut pairs =
        DeonParser::parse(Rule::expr, &source.text).map_err(|e| convert(source, 0, e))?;
    let builder = Builder {
        source,
        offset: 0,
        operators: limits.expression_operators,
    };
    let pair = pairs.next().ok_or_else(|| SyntaxError::Unexpected {
        message: "expected an expression".into(),
        src: source.named(),
        span: Span::new(0, 0).into(),
        label: "here".into(),
        help: None,
    })?;
    let end = pair.as_span().end();
    if end < source.text.trim_end().len() {
        return Err(SyntaxError::Unexpected {
            message: "unexpected text after the expression".into(),
            src: source.named(),
            span: Span::new(end, source.text.trim_end().len()).into(),
            label: "not part of the expression".into(),
            help: Some("join conditions with `and` or `or`".into()),
        });
    }
    builder.expr(pair)
}

fn is_operator(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::or_op
            | Rule::and_op
            | Rule::not_op
            | Rule::eq
            | Rule::ne
            | Rule::lt
            | Rule::le
            | Rule::gt
            | Rule::ge
            | Rule::is_op
            | Rule::is_not_op
            | Rule::in_op
            | Rule::not_in_op
            | Rule::contains_op
            | Rule::add
            | Rule::sub
            | Rule::is_set
            | Rule::is_unset
    )
}

/// Rejects bracket nesting deeper than `MAX_NESTING` before pest recurses into it.
pub(super) fn check_nesting(source: &Source) -> Option<SyntaxError> {
    nesting_within(source, MAX_NESTING)
}

/// Rejects bracket nesting deeper than `limit` before pest recurses into it.
fn nesting_within(source: &Source, limit: usize) -> Option<SyntaxError> {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut in_comment = false;
    let mut prev = '\0';
    for (i, c) in source.text.char_indices() {
        if in_comment {
            in_comment = c != '\n';
        } else if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else {
            match c {
                '"' => in_string = true,
                '/' if prev == '/' => in_comment = true,
                '(' | '{' => {
                    depth += 1;
                    if depth > limit {
                        return Some(SyntaxError::TooDeep {
                            depth,
                            limit,
                            src: source.named(),
                            span: Span::new(i, i + 1).into(),
                        });
                    }
                }
                ')' | '}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        prev = c;
    }
    None
}

/// Splits the file at lines that start a top-level item and parses each
/// chunk alone, so one typo does not hide the problems after it.
fn recover(source: &Source) -> Vec<SyntaxError> {
    const STARTS: [&str; 7] = [
        "regulation",
        "enum",
        "facts",
        "define",
        "role",
        "penalty",
        "rule",
    ];
    let text: &str = &source.text;
    let mut starts = vec![0usize];
    let mut offset = 0usize;
    for line in text.split_inclusive('\n') {
        let starts_item = STARTS.iter().any(|kw| {
            line.strip_prefix(kw)
                .is_some_and(|rest| rest.starts_with([' ', '\t', '{', '\r', '\n']))
        });
        if starts_item && offset != 0 {
            starts.push(offset);
        }
        offset += line.len();
    }
    starts.push(text.len());
    let mut errors = Vec::new();
    for pair in starts.windows(2) {
        let (start, end) = (pair[0], pair[1]);
        let chunk = &text[start..end];
        if chunk.trim().is_empty()
            || chunk
                .lines()
                .all(|l| l.trim().is_empty() || l.trim_start().starts_with("//"))
        {
            continue;
        }
        if let Err(e) = DeonParser::parse(Rule::lone_item, chunk) {
            errors.push(convert(source, start, e));
        }
    }
    errors
}

fn convert(source: &Source, offset: usize, err: pest::error::Error<Rule>) -> SyntaxError {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match err.location {
        InputLocation::Pos(p) => (p, p),
        InputLocation::Span((s, e)) => (s, e),
    };
    let start = start + offset;
    let text: &str = &source.text;
    // Point at the whole offending word, or one character.
    let word_end = text
        .get(start..)
        .map(|rest| {
            let word: usize = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .map(char::len_utf8)
                .sum();
            if word > 0 {
                start + word
            } else {
                start + rest.chars().next().map_or(0, char::len_utf8)
            }
        })
        .unwrap_or(start)
        .max(end + offset);
    let found = text
        .get(start..word_end)
        .filter(|s| !s.is_empty())
        .map_or("the end of the file".to_string(), |s| format!("`{s}`"));
    let (message, help) = match &err.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            names.sort_unstable();
            names.dedup();
            let expected = match names.as_slice() {
                [] => "something else".to_string(),
                [one] => (*one).to_string(),
                many => {
                    let (last, rest) = many.split_last().map_or((&"", &[][..]), |(l, r)| (l, r));
                    format!("{} or {}", rest.join(", "), last)
                }
            };
            (
                format!("expected {expected}, found {found}"),
                hint(positives, text.get(start..word_end)),
            )
        }
        ErrorVariant::CustomError { message } => (message.clone(), None),
    };
    SyntaxError::Unexpected {
        message,
        src: source.named(),
        span: Span::new(start, word_end).into(),
        label: "unexpected here".into(),
        help,
    }
}

fn hint(positives: &[Rule], found: Option<&str>) -> Option<String> {
    let found = found.unwrap_or("");
    if positives.contains(&Rule::rule_clause) || positives.contains(&Rule::cite) {
        return Some("a rule holds clauses such as `cite \"Art. 7\"`, `applies to <role>`, `when <condition>`, `must \"<act>\"`, `within 2 days of <date>`, `done when <condition>`, `penalty <name>`".into());
    }
    if positives.contains(&Rule::item) {
        return Some("a file holds `regulation`, `enum`, `facts`, `define`, `role`, `penalty` and `rule` declarations".into());
    }
    if positives.contains(&Rule::string) && !found.starts_with('\'') {
        return Some("the act a rule requires, a citation and a description go in double quotes, e.g. `must \"file the report\"`".into());
    }
    if found.starts_with('\'') {
        return Some("text goes in double quotes: \"like this\"".into());
    }
    if positives.contains(&Rule::unit) {
        return Some(
            "durations are written like `2 days`, `3 weeks`, `6 months` or `1 year`".into(),
        );
    }
    None
}

/// Plain-language names for what the parser expected.
fn describe(rule: Rule) -> Option<&'static str> {
    Some(match rule {
        Rule::ident | Rule::path => "a name",
        Rule::string | Rule::doc => "text in double quotes",
        Rule::date => "a date like 2021-09-01",
        Rule::number => "a number",
        Rule::expr | Rule::primary | Rule::paren | Rule::boolean | Rule::set_literal => {
            "an expression"
        }
        Rule::duration | Rule::unit => "a duration like `2 days`",
        Rule::money | Rule::currency => "an amount like `50,000 CNY`",
        Rule::item | Rule::lone_item => "a declaration (`rule`, `penalty`, `facts`, ...)",
        Rule::kw_regulation => "`regulation`",
        Rule::kw_enum => "`enum`",
        Rule::kw_facts => "`facts`",
        Rule::kw_define => "`define`",
        Rule::kw_role => "`role`",
        Rule::kw_penalty => "`penalty`",
        Rule::kw_rule => "`rule`",
        Rule::regulation_field => "a header field (`title`, `status`, `effective from`, ...)",
        Rule::reg_title => "`title`",
        Rule::reg_issuers | Rule::reg_issued => "`issued by` or `issued on`",
        Rule::reg_jurisdiction => "`jurisdiction`",
        Rule::reg_status => "`status`",
        Rule::reg_effective => "`effective from`",
        Rule::reg_repealed => "`repealed on`",
        Rule::reg_source => "`source`",
        Rule::status_value | Rule::draft | Rule::in_force | Rule::repealed => {
            "`draft`, `in force` or `repealed`"
        }
        Rule::enum_value => "an enum value",
        Rule::fact_field | Rule::fact_record => "a fact (`name: type \"doc\"`)",
        Rule::fact_type | Rule::set_type | Rule::list_type | Rule::named_type => "a type",
        Rule::optional => "`?`",
        Rule::rule_clause => "a rule clause",
        Rule::cite => "`cite`",
        Rule::applies_to => "`applies to`",
        Rule::when_clause | Rule::condition => "`when`",
        Rule::unless_clause => "`unless`",
        Rule::modality | Rule::must | Rule::must_not | Rule::may | Rule::should => {
            "`must`, `must not`, `may` or `should`"
        }
        Rule::deadline
        | Rule::within
        | Rule::days_before
        | Rule::on_or_before
        | Rule::strictly_before
        | Rule::at_least_for
        | Rule::judgement => "a deadline",
        Rule::done_when | Rule::done_on => "`done on` or `done when`",
        Rule::breached_when | Rule::breached_on => "`breached on` or `breached when`",
        Rule::if_clause => "`if`",
        Rule::trigger => "`from`",
        Rule::review | Rule::kw_review => "`review \"...\"`",
        Rule::tier | Rule::kw_tier => "`tier \"...\" when <condition> { ... }`",
        Rule::choice | Rule::kw_one => "`one of { ... }`",
        Rule::penalty_link | Rule::kw_arguable => "a penalty name",
        Rule::kept_for => "`kept for`",
        Rule::exception_to => "`exception to`",
        Rule::penalty_ref => "`penalty`",
        Rule::penalty_clause
        | Rule::sanction
        | Rule::sanction_item
        | Rule::sanction_kind
        | Rule::order_to_correct
        | Rule::warning
        | Rule::fine
        | Rule::confiscation
        | Rule::detention
        | Rule::ban
        | Rule::criminal_liability
        | Rule::suspension_of_business
        | Rule::suspension_for_rectification
        | Rule::closure_of_website
        | Rule::revocation_of_licence
        | Rule::revocation_of_permit => "a sanction (`warning`, `fine ... CNY`, ...)",
        Rule::penalty_version => "`version \"...\" from <date> { ... }`",
        Rule::rule_effective => "`effective from`",
        Rule::rule_until => "`until`",
        Rule::roll_over => "`rolls over holidays`",
        Rule::allow | Rule::kw_allow => "`allow <warning> \"reason\"`",
        Rule::liable_party => "`on the entity`, `on the person in charge` or `on the individual`",
        Rule::infix
        | Rule::or_op
        | Rule::and_op
        | Rule::eq
        | Rule::ne
        | Rule::lt
        | Rule::le
        | Rule::gt
        | Rule::ge
        | Rule::is_op
        | Rule::is_not_op
        | Rule::in_op
        | Rule::not_in_op
        | Rule::contains_op
        | Rule::add
        | Rule::sub => "an operator",
        Rule::postfix | Rule::is_set | Rule::is_unset => "`is set`",
        Rule::EOI => "the end of the file",
        _ => return None,
    })
}

struct Builder<'s> {
    source: &'s Source,
    offset: usize,
    /// The most operators one expression may have.
    operators: usize,
}

impl Builder<'_> {
    fn span(&self, pair: &Pair<'_, Rule>) -> Span {
        let s = pair.as_span();
        Span::new(s.start(), s.end()).shifted(self.offset)
    }

    fn spanned<T>(&self, pair: &Pair<'_, Rule>, node: T) -> Spanned<T> {
        Spanned::new(node, self.span(pair))
    }

    fn ident(&self, pair: Pair<'_, Rule>) -> Ident {
        self.spanned(&pair, pair.as_str().to_string())
    }

    fn invalid(&self, pair: &Pair<'_, Rule>, message: String, help: Option<String>) -> SyntaxError {
        SyntaxError::InvalidLiteral {
            message,
            src: self.source.named(),
            span: self.span(pair).into(),
            help,
        }
    }

    fn item(&self, pair: Pair<'_, Rule>) -> Result<Item> {
        match pair.as_rule() {
            Rule::regulation => self.regulation(pair).map(Item::Regulation),
            Rule::enum_decl => Ok(Item::Enum(self.enum_decl(pair)?)),
            Rule::facts_decl => {
                let members = pair
                    .into_inner()
                    .skip(1)
                    .map(|p| self.fact_member(p))
                    .collect::<Result<_>>()?;
                Ok(Item::Facts(members))
            }
            Rule::define_decl => {
                let (name, doc, rest) = self.header(pair)?;
                let body = self.first_expr(rest)?;
                Ok(Item::Define(Define { name, doc, body }))
            }
            Rule::role_decl => {
                let (name, doc, rest) = self.header(pair)?;
                let condition = self.first_expr(rest)?;
                Ok(Item::Role(RoleDecl {
                    name,
                    doc,
                    condition,
                }))
            }
            Rule::penalty_decl => self.penalty(pair).map(Item::Penalty),
            Rule::rule_decl => self.rule(pair).map(Item::Rule),
            other => Err(self.invalid(&pair, format!("unexpected {other:?}"), None)),
        }
    }

    /// keyword, name and optional doc string; returns the remaining pairs.
    fn header<'i>(&self, pair: Pair<'i, Rule>) -> Result<Header<'i>> {
        let whole = pair.clone();
        let mut inner = pair.into_inner().skip(1).peekable();
        let name = match inner.next() {
            Some(p) => self.ident(p),
            None => return Err(self.invalid(&whole, "a declaration needs a name".into(), None)),
        };
        let doc = match inner.peek() {
            Some(p) if p.as_rule() == Rule::doc => inner.next().map(|p| self.doc(p)).transpose()?,
            _ => None,
        };
        Ok((name, doc, inner.collect()))
    }

    fn first_expr(&self, rest: Vec<Pair<'_, Rule>>) -> Result<Spanned<Expr>> {
        match rest.into_iter().find(|p| p.as_rule() == Rule::expr) {
            Some(p) => self.expr(p),
            None => Err(SyntaxError::Unexpected {
                message: "expected an expression".into(),
                src: self.source.named(),
                span: Span::new(self.offset, self.offset).into(),
                label: "here".into(),
                help: None,
            }),
        }
    }

    fn doc(&self, pair: Pair<'_, Rule>) -> Result<Spanned<String>> {
        let span = self.span(&pair);
        let string = pair
            .into_inner()
            .next()
            .map(|p| self.string(p))
            .transpose()?;
        Ok(Spanned::new(
            string.map(|s| s.node).unwrap_or_default(),
            span,
        ))
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Result<Spanned<String>> {
        let span = self.span(&pair);
        let body = pair.clone().into_inner().next().map_or("", |p| p.as_str());
        let mut out = String::with_capacity(body.len());
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some('"') => out.push('"'),
                Some('\\') => out.push('\\'),
                other => {
                    return Err(self.invalid(
                        &pair,
                        format!(
                            "unknown escape `\\{}` in text",
                            other.map(String::from).unwrap_or_default()
                        ),
                        Some("the escapes are \\n, \\t, \\\" and \\\\".into()),
                    ));
                }
            }
        }
        Ok(Spanned::new(out, span))
    }

    fn date(&self, pair: &Pair<'_, Rule>) -> Result<NaiveDate> {
        NaiveDate::parse_from_str(pair.as_str(), "%Y-%m-%d").map_err(|_| {
            self.invalid(
                pair,
                format!("{} is not a date in the calendar", pair.as_str()),
                Some("dates are written YYYY-MM-DD and must exist, e.g. 2021-02-28".into()),
            )
        })
    }

    fn number(&self, pair: &Pair<'_, Rule>) -> Result<i64> {
        let digits: String = pair.as_str().chars().filter(char::is_ascii_digit).collect();
        digits.parse().map_err(|_| {
            self.invalid(
                pair,
                format!("{} is too large", pair.as_str()),
                Some("numbers must be below 9,223,372,036,854,775,807".into()),
            )
        })
    }

    fn regulation(&self, pair: Pair<'_, Rule>) -> Result<Regulation> {
        let mut inner = pair.into_inner().skip(1);
        let id = inner.next().map(|p| self.ident(p)).unwrap_or_default();
        let mut fields = Vec::new();
        for field in inner {
            let span = self.span(&field);
            let rule = field.as_rule();
            let mut parts = field.into_inner();
            let node = match rule {
                Rule::reg_title => {
                    let first = parts.next();
                    let (language, text) = match first {
                        Some(p) if p.as_rule() == Rule::language_tag => {
                            (Some(p.as_str().to_string()), parts.next())
                        }
                        other => (None, other),
                    };
                    let text = text
                        .map(|p| self.string(p))
                        .transpose()?
                        .map(|s| s.node)
                        .unwrap_or_default();
                    RegulationField::Title { language, text }
                }
                Rule::reg_issuers => RegulationField::Issuers(
                    parts
                        .map(|p| self.string(p).map(|s| s.node))
                        .collect::<Result<_>>()?,
                ),
                Rule::reg_jurisdiction => {
                    RegulationField::Jurisdiction(self.next_string(&mut parts)?)
                }
                Rule::reg_source => RegulationField::Source(self.next_string(&mut parts)?),
                Rule::reg_status => {
                    let value = parts
                        .next()
                        .and_then(|p| p.into_inner().next())
                        .map(|p| p.as_rule());
                    RegulationField::Status(match value {
                        Some(Rule::draft) => RegulationStatus::Draft,
                        Some(Rule::repealed) => RegulationStatus::Repealed,
                        _ => RegulationStatus::InForce,
                    })
                }
                Rule::reg_issued | Rule::reg_effective | Rule::reg_repealed => {
                    let date = match parts.next() {
                        Some(p) => self.date(&p)?,
                        None => NaiveDate::MIN,
                    };
                    match rule {
                        Rule::reg_issued => RegulationField::Issued(date),
                        Rule::reg_effective => RegulationField::Effective(date),
                        _ => RegulationField::Repealed(date),
                    }
                }
                _ => continue,
            };
            fields.push(Spanned::new(node, span));
        }
        Ok(Regulation { id, fields })
    }

    fn next_string<'i>(&self, parts: &mut impl Iterator<Item = Pair<'i, Rule>>) -> Result<String> {
        Ok(parts
            .next()
            .map(|p| self.string(p))
            .transpose()?
            .map(|s| s.node)
            .unwrap_or_default())
    }

    fn enum_decl(&self, pair: Pair<'_, Rule>) -> Result<EnumDecl> {
        let (name, doc, rest) = self.header(pair)?;
        let mut values = Vec::new();
        for value in rest {
            let mut parts = value.into_inner();
            let Some(id) = parts.next() else { continue };
            let doc = parts.next().map(|p| self.doc(p)).transpose()?;
            values.push((self.ident(id), doc));
        }
        Ok(EnumDecl { name, doc, values })
    }

    fn fact_member(&self, pair: Pair<'_, Rule>) -> Result<FactMember> {
        let rule = pair.as_rule();
        let mut parts = pair.into_inner().peekable();
        let name = parts.next().map(|p| self.ident(p)).unwrap_or_default();
        if rule == Rule::fact_field {
            let ty_pair = parts.next();
            let ty = match ty_pair {
                Some(p) => self.fact_type(p),
                None => Spanned::new(
                    TypeExpr {
                        shape: TypeShape::Named(name.clone()),
                        optional: false,
                    },
                    name.span,
                ),
            };
            let doc = parts.next().map(|p| self.doc(p)).transpose()?;
            return Ok(FactMember::Field { name, ty, doc });
        }
        let doc = match parts.peek() {
            Some(p) if p.as_rule() == Rule::doc => parts.next().map(|p| self.doc(p)).transpose()?,
            _ => None,
        };
        let members = parts.map(|p| self.fact_member(p)).collect::<Result<_>>()?;
        Ok(FactMember::Record { name, doc, members })
    }

    fn fact_type(&self, pair: Pair<'_, Rule>) -> Spanned<TypeExpr> {
        let span = self.span(&pair);
        let mut optional = false;
        let mut shape = None;
        for part in pair.into_inner() {
            let rule = part.as_rule();
            match rule {
                Rule::optional => optional = true,
                Rule::set_type | Rule::list_type | Rule::named_type => {
                    let id = part
                        .into_inner()
                        .last()
                        .map(|p| self.ident(p))
                        .unwrap_or_default();
                    shape = Some(match rule {
                        Rule::set_type => TypeShape::SetOf(id),
                        Rule::list_type => TypeShape::ListOf(id),
                        _ => TypeShape::Named(id),
                    });
                }
                _ => {}
            }
        }
        let shape = shape.unwrap_or_else(|| TypeShape::Named(Spanned::new(String::new(), span)));
        Spanned::new(TypeExpr { shape, optional }, span)
    }

    fn penalty(&self, pair: Pair<'_, Rule>) -> Result<PenaltyDecl> {
        let (name, doc, rest) = self.header(pair)?;
        let mut cites = Vec::new();
        let mut versions = Vec::new();
        let mut body = PenaltyBody::default();
        let mut choices = 0;
        for clause in rest {
            match clause.as_rule() {
                Rule::penalty_version => {
                    let span = self.span(&clause);
                    let mut parts = clause.into_inner();
                    let label = self.next_string(&mut parts)?;
                    let from = match parts.next() {
                        Some(d) => self.date(&d)?,
                        None => NaiveDate::MIN,
                    };
                    let mut version_cites = Vec::new();
                    let mut version_body = PenaltyBody::default();
                    let mut version_choices = 0;
                    for part in parts {
                        self.penalty_clause(
                            part,
                            &mut version_cites,
                            &mut version_body,
                            &mut version_choices,
                        )?;
                    }
                    versions.push(Spanned::new(
                        PenaltyVersion {
                            label,
                            from,
                            cites: version_cites,
                            body: version_body,
                        },
                        span,
                    ));
                }
                _ => self.penalty_clause(clause, &mut cites, &mut body, &mut choices)?,
            }
        }
        Ok(PenaltyDecl {
            name,
            doc,
            cites,
            body,
            versions,
        })
    }

    /// One clause of a penalty body: a citation, a note, a tier, a sanction or
    /// a choice group. `choices` numbers the choice groups of the body.
    fn penalty_clause(
        &self,
        clause: Pair<'_, Rule>,
        cites: &mut Vec<Spanned<String>>,
        body: &mut PenaltyBody,
        choices: &mut u32,
    ) -> Result<()> {
        match clause.as_rule() {
            Rule::cite => {
                let span = self.span(&clause);
                let text = self.next_string(&mut clause.into_inner())?;
                cites.push(Spanned::new(text, span));
            }
            Rule::review => body.reviews.push(self.review(clause)?),
            Rule::sanction | Rule::choice => {
                self.sanction_item(clause, &mut body.sanctions, choices)?;
            }
            Rule::tier => {
                let span = self.span(&clause);
                let mut parts = clause.into_inner().peekable();
                parts.next_if(|p| p.as_rule() == Rule::kw_tier);
                let name = self.next_string(&mut parts)?;
                let mut tier = Tier {
                    name,
                    condition: None,
                    reviews: Vec::new(),
                    sanctions: Vec::new(),
                };
                for part in parts {
                    match part.as_rule() {
                        Rule::condition => {
                            tier.condition = Some(self.first_expr(part.into_inner().collect())?);
                        }
                        Rule::review => tier.reviews.push(self.review(part)?),
                        _ => self.sanction_item(part, &mut tier.sanctions, choices)?,
                    }
                }
                body.tiers.push(Spanned::new(tier, span));
            }
            _ => {}
        }
        Ok(())
    }

    fn sanction_item(
        &self,
        pair: Pair<'_, Rule>,
        out: &mut Vec<Spanned<Sanction>>,
        choices: &mut u32,
    ) -> Result<()> {
        if pair.as_rule() == Rule::sanction {
            out.push(self.sanction(pair)?);
            return Ok(());
        }
        if pair.as_rule() != Rule::choice {
            return Ok(());
        }
        *choices += 1;
        let mut discretionary = false;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::discretionary => discretionary = true,
                Rule::sanction => {
                    let mut sanction = self.sanction(part)?;
                    sanction.node.discretionary |= discretionary;
                    sanction.node.choice = Some(*choices);
                    out.push(sanction);
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn review(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Review>> {
        let parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let span = self.tight_span(&parts);
        Ok(Spanned::new(self.review_parts(parts)?, span))
    }

    /// From the first part's start to the last part's end: a clause's span
    /// without the whitespace pest keeps after an optional part that is absent.
    fn tight_span(&self, parts: &[Pair<'_, Rule>]) -> Span {
        match (parts.first(), parts.last()) {
            (Some(first), Some(last)) => self.span(first).to(self.span(last)),
            _ => Span::default(),
        }
    }

    fn review_parts(&self, parts: Vec<Pair<'_, Rule>>) -> Result<Review> {
        let mut text = String::new();
        let mut condition = None;
        for part in parts {
            match part.as_rule() {
                Rule::string => text = self.string(part)?.node,
                Rule::condition => {
                    condition = Some(self.first_expr(part.into_inner().collect())?);
                }
                _ => {}
            }
        }
        Ok(Review { text, condition })
    }

    fn sanction(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Sanction>> {
        let span = self.span(&pair);
        let mut parts = pair.into_inner().peekable();
        let discretionary = parts
            .next_if(|p| p.as_rule() == Rule::discretionary)
            .is_some();
        let kind_pair = parts.next();
        let condition = match parts.next() {
            Some(cond) => Some(self.first_expr(cond.into_inner().collect())?),
            None => None,
        };
        let Some(kind_pair) = kind_pair else {
            return Err(self.invalid_at(span, "a sanction needs a kind"));
        };
        let rule = kind_pair.as_rule();
        let kind_span = self.span(&kind_pair);
        let inner: Vec<Pair<'_, Rule>> = kind_pair.into_inner().collect();
        let party = |default: LiableParty| {
            inner
                .iter()
                .find(|p| p.as_rule() == Rule::liable_party)
                .and_then(|p| p.clone().into_inner().next())
                .map_or(default, |p| match p.as_rule() {
                    Rule::person_in_charge => LiableParty::PersonInCharge,
                    Rule::individual => LiableParty::Individual,
                    _ => LiableParty::Entity,
                })
        };
        let numbers = |pairs: &[Pair<'_, Rule>]| -> Result<Vec<i64>> {
            pairs
                .iter()
                .filter(|p| p.as_rule() == Rule::number)
                .map(|p| self.number(p))
                .collect()
        };
        let kind = match rule {
            Rule::order_to_correct => SanctionKind::OrderToCorrect,
            Rule::warning => SanctionKind::Warning,
            Rule::fine => {
                let n = numbers(&inner)?;
                let (min, max) = (
                    n.first().copied().unwrap_or(0),
                    n.get(1).copied().unwrap_or(0),
                );
                if min > max {
                    return Err(
                        self.invalid_at(kind_span, "the lower fine is larger than the upper one")
                    );
                }
                SanctionKind::Fine {
                    min,
                    max,
                    on: party(LiableParty::Entity),
                }
            }
            Rule::confiscation => SanctionKind::ConfiscationOfIllegalGains,
            Rule::detention => {
                let range = inner
                    .iter()
                    .find(|p| matches!(p.as_rule(), Rule::detention_up_to | Rule::detention_range));
                let (min_days, max_days) = match range {
                    Some(p) => {
                        let sub: Vec<_> = p.clone().into_inner().collect();
                        self.require_days(&sub)?;
                        let n = numbers(&sub)?;
                        if p.as_rule() == Rule::detention_up_to {
                            (0, n.first().copied().unwrap_or(0))
                        } else {
                            (
                                n.first().copied().unwrap_or(0),
                                n.get(1).copied().unwrap_or(0),
                            )
                        }
                    }
                    None => (0, 0),
                };
                SanctionKind::Detention {
                    min_days,
                    max_days,
                    on: party(LiableParty::Individual),
                }
            }
            Rule::ban => {
                let years = match inner.iter().find(|p| p.as_rule() == Rule::ban_for_years) {
                    Some(p) => {
                        let sub: Vec<_> = p.clone().into_inner().collect();
                        if let Some(unit) = sub.iter().find(|p| p.as_rule() == Rule::unit) {
                            if !unit.as_str().starts_with("year") {
                                return Err(self.invalid(
                                    unit,
                                    "bans are counted in years".into(),
                                    Some("write `for 5 years` or `for life`".into()),
                                ));
                            }
                        }
                        numbers(&sub)?.first().copied()
                    }
                    None => None,
                };
                SanctionKind::BanFromKeyPositions {
                    years,
                    on: party(LiableParty::PersonInCharge),
                }
            }
            Rule::criminal_liability => SanctionKind::CriminalLiability,
            Rule::suspension_of_business => SanctionKind::SuspensionOfBusiness,
            Rule::suspension_for_rectification => SanctionKind::SuspensionForRectification,
            Rule::closure_of_website => SanctionKind::ClosureOfWebsite,
            Rule::revocation_of_licence => SanctionKind::RevocationOfLicence,
            _ => SanctionKind::RevocationOfPermit,
        };
        Ok(Spanned::new(
            Sanction {
                kind,
                condition,
                discretionary,
                choice: None,
            },
            span,
        ))
    }

    fn require_days(&self, parts: &[Pair<'_, Rule>]) -> Result<()> {
        match parts.iter().find(|p| p.as_rule() == Rule::unit) {
            Some(unit) if !unit.as_str().starts_with("day") => Err(self.invalid(
                unit,
                "detention is counted in days".into(),
                Some("write e.g. `detention up to 5 days`".into()),
            )),
            _ => Ok(()),
        }
    }

    fn invalid_at(&self, span: Span, message: &str) -> SyntaxError {
        SyntaxError::InvalidLiteral {
            message: message.into(),
            src: self.source.named(),
            span: span.into(),
            help: None,
        }
    }

    fn rule(&self, pair: Pair<'_, Rule>) -> Result<RuleDecl> {
        let (name, doc, rest) = self.header(pair)?;
        let clauses = rest
            .into_iter()
            .map(|c| self.clause(c))
            .collect::<Result<_>>()?;
        Ok(RuleDecl { name, doc, clauses })
    }

    fn clause(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Clause>> {
        let span = self.span(&pair);
        let rule = pair.as_rule();
        let mut parts: Vec<Pair<'_, Rule>> = pair.into_inner().collect();
        let node = match rule {
            Rule::cite => Clause::Cite(self.next_string(&mut parts.into_iter())?),
            Rule::applies_to => {
                Clause::AppliesTo(parts.into_iter().map(|p| self.ident(p)).collect())
            }
            Rule::when_clause => Clause::When(self.first_expr(parts)?),
            Rule::unless_clause => Clause::Unless(self.first_expr(parts)?),
            Rule::modality => {
                let modality = match parts.first().map(|p| p.as_rule()) {
                    Some(Rule::must_not) => Modality::MustNot,
                    Some(Rule::may) => Modality::May,
                    Some(Rule::should) => Modality::Should,
                    _ => Modality::Must,
                };
                let action = match parts.pop() {
                    Some(p) => self.string(p)?.node,
                    None => String::new(),
                };
                Clause::Modality { modality, action }
            }
            Rule::deadline => Clause::Deadline(self.deadline(parts)?),
            Rule::done_when => Clause::DoneWhen {
                condition: Some(self.first_expr(parts)?),
                on: None,
            },
            Rule::breached_when => Clause::BreachedWhen {
                condition: Some(self.first_expr(parts)?),
                on: None,
            },
            Rule::done_on | Rule::breached_on => {
                let mut iter = parts.into_iter();
                let on = Some(self.first_expr(iter.next().into_iter().collect())?);
                let condition = match iter.next() {
                    Some(cond) => Some(self.first_expr(cond.into_inner().collect())?),
                    None => None,
                };
                if rule == Rule::done_on {
                    Clause::DoneWhen { condition, on }
                } else {
                    Clause::BreachedWhen { condition, on }
                }
            }
            Rule::trigger => Clause::From(self.first_expr(parts)?),
            Rule::review => {
                let span = self.tight_span(&parts);
                return Ok(Spanned::new(
                    Clause::Review(self.review_parts(parts)?),
                    span,
                ));
            }
            Rule::kept_for => Clause::KeptFor(self.first_expr(parts)?),
            Rule::exception_to => Clause::ExceptionTo(
                parts
                    .into_iter()
                    .next()
                    .map(|p| self.ident(p))
                    .unwrap_or_default(),
            ),
            Rule::penalty_ref => Clause::Penalties(
                parts
                    .into_iter()
                    .map(|link| {
                        let mut inner = link.into_inner();
                        let penalty = inner.next().map(|p| self.ident(p)).unwrap_or_default();
                        let arguable = match inner.find(|p| p.as_rule() == Rule::string) {
                            Some(p) => Some(self.string(p)?),
                            None => None,
                        };
                        Ok(PenaltyLink { penalty, arguable })
                    })
                    .collect::<Result<_>>()?,
            ),
            Rule::rule_effective | Rule::rule_until => {
                let date = match parts.first() {
                    Some(d) => self.date(d)?,
                    None => NaiveDate::MIN,
                };
                if rule == Rule::rule_effective {
                    Clause::EffectiveFrom(date)
                } else {
                    Clause::Until(date)
                }
            }
            Rule::roll_over => Clause::RollsOverHolidays,
            Rule::allow => {
                let mut iter = parts.into_iter().skip(1);
                let lint = iter.next().map(|p| self.ident(p)).unwrap_or_default();
                let reason = match iter.next() {
                    Some(p) => self.string(p)?,
                    None => Spanned::default(),
                };
                Clause::Allow { lint, reason }
            }
            _ => return Err(self.invalid_at(span, "unexpected clause")),
        };
        Ok(Spanned::new(node, span))
    }

    fn deadline(&self, parts: Vec<Pair<'_, Rule>>) -> Result<Deadline> {
        let Some(kind) = parts.into_iter().next() else {
            return Ok(Deadline::Judgement(Judgement::Immediately, None));
        };
        let rule = kind.as_rule();
        let inner: Vec<Pair<'_, Rule>> = kind.into_inner().collect();
        let duration = |inner: &[Pair<'_, Rule>]| -> Result<Spanned<Duration>> {
            match inner.iter().find(|p| p.as_rule() == Rule::duration) {
                Some(p) => self.duration(p.clone()),
                None => Ok(Spanned::new(
                    Duration {
                        amount: 0,
                        unit: TimeUnit::Days,
                    },
                    Span::default(),
                )),
            }
        };
        let expr = |inner: &[Pair<'_, Rule>]| self.first_expr(inner.to_vec());
        Ok(match rule {
            Rule::within => Deadline::Within {
                period: duration(&inner)?,
                of: expr(&inner)?,
            },
            Rule::days_before => Deadline::Before {
                period: duration(&inner)?,
                date: expr(&inner)?,
            },
            Rule::on_or_before => Deadline::By(expr(&inner)?),
            Rule::strictly_before => Deadline::StrictlyBefore(expr(&inner)?),
            Rule::at_least_for => Deadline::AtLeastFor(duration(&inner)?),
            _ => {
                let words = match inner.first().map(|p| p.as_rule()) {
                    Some(Rule::promptly) => Judgement::Promptly,
                    Some(Rule::without_delay) => Judgement::WithoutDelay,
                    Some(Rule::timely) => Judgement::InATimelyManner,
                    _ => Judgement::Immediately,
                };
                let anchor = match inner.iter().find(|p| p.as_rule() == Rule::expr) {
                    Some(p) => Some(self.expr(p.clone())?),
                    None => None,
                };
                Deadline::Judgement(words, anchor)
            }
        })
    }

    fn duration(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Duration>> {
        let span = self.span(&pair);
        let mut amount = 0;
        let mut unit = TimeUnit::Days;
        for part in pair.into_inner() {
            match part.as_rule() {
                Rule::number => amount = self.number(&part)?,
                Rule::unit => {
                    let text = part.as_str();
                    unit = if text.starts_with("working") {
                        TimeUnit::WorkingDays
                    } else if text.starts_with("day") {
                        TimeUnit::Days
                    } else if text.starts_with("week") {
                        TimeUnit::Weeks
                    } else if text.starts_with("month") {
                        TimeUnit::Months
                    } else {
                        TimeUnit::Years
                    };
                }
                _ => {}
            }
        }
        Ok(Spanned::new(Duration { amount, unit }, span))
    }

    fn expr(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        // Counted over the whole tree (pest flattens it without recursing),
        // before the Pratt parser recurses once per prefix operator.
        let too_many = pair
            .clone()
            .into_inner()
            .flatten()
            .filter(|p| is_operator(p.as_rule()))
            .nth(self.operators);
        if let Some(op) = too_many {
            return Err(SyntaxError::TooLong {
                limit: self.operators,
                src: self.source.named(),
                span: self.span(&op).into(),
            });
        }
        pratt()
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = self.span(&op).to(rhs.span);
                Ok(Spanned::new(Expr::Not(Box::new(rhs)), span))
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = lhs.span.to(self.span(&op));
                let node = if op.as_rule() == Rule::is_set {
                    Expr::IsSet(Box::new(lhs))
                } else {
                    Expr::IsUnset(Box::new(lhs))
                };
                Ok(Spanned::new(node, span))
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let op = match op.as_rule() {
                    Rule::or_op => BinaryOp::Or,
                    Rule::and_op => BinaryOp::And,
                    Rule::eq | Rule::is_op => BinaryOp::Eq,
                    Rule::ne | Rule::is_not_op => BinaryOp::Ne,
                    Rule::lt => BinaryOp::Lt,
                    Rule::le => BinaryOp::Le,
                    Rule::gt => BinaryOp::Gt,
                    Rule::ge => BinaryOp::Ge,
                    Rule::in_op => BinaryOp::In,
                    Rule::not_in_op => BinaryOp::NotIn,
                    Rule::contains_op => BinaryOp::Contains,
                    Rule::add => BinaryOp::Add,
                    _ => BinaryOp::Sub,
                };
                let span = lhs.span.to(rhs.span);
                Ok(Spanned::new(
                    Expr::Binary {
                        op,
                        lhs: Box::new(lhs),
                        rhs: Box::new(rhs),
                    },
                    span,
                ))
            })
            .parse(pair.into_inner())
    }

    fn primary(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Expr>> {
        let span = self.span(&pair);
        let node = match pair.as_rule() {
            Rule::date => Expr::Literal(Literal::Date(self.date(&pair)?)),
            Rule::number => Expr::Literal(Literal::Int(self.number(&pair)?)),
            Rule::boolean => Expr::Literal(Literal::Bool(pair.as_str() == "true")),
            Rule::string => Expr::Literal(Literal::Text(self.string(pair)?.node)),
            Rule::duration => Expr::Literal(Literal::Duration(self.duration(pair)?.node)),
            Rule::money => {
                let amount = match pair.into_inner().next() {
                    Some(p) => self.number(&p)?,
                    None => 0,
                };
                Expr::Literal(Literal::Money(amount))
            }
            Rule::set_literal => {
                Expr::SetLiteral(pair.into_inner().map(|p| self.ident(p)).collect())
            }
            Rule::paren => {
                let inner = self.first_expr(pair.into_inner().collect())?;
                return Ok(Spanned::new(inner.node, span));
            }
            Rule::path => Expr::Path(pair.into_inner().map(|p| self.ident(p)).collect()),
            Rule::expr => return self.expr(pair),
            _ => return Err(self.invalid_at(span, "unexpected expression")),
        };
        Ok(Spanned::new(node, span))
    }
}
