//! Case files: facts in JSON, YAML or TOML, validated against the policy
//! set's fact schema before anything is evaluated.

mod direct;
pub mod edit;
mod json;
mod json_lex;
#[cfg(test)]
mod json_suite;
mod log;
#[cfg(any(test, feature = "bench-internals"))]
mod seed;
#[cfg(test)]
mod test_support;
mod toml;
mod tree;
mod value;
mod write;
mod yaml;

use std::sync::Arc;

use chrono::NaiveDate;
use miette::{Diagnostic, NamedSource, SourceSpan};
use thiserror::Error;

use crate::check::error::suggest;
use crate::check::ir::{Program, SchemaNode};
use crate::source::{Source, Span};
use crate::syntax::ast::{Duration, TimeUnit};
use crate::value::{Base, Type, Value};
pub(crate) use tree::strict_date;
pub use tree::{Node, Tree};
pub(crate) use value::read as read_value;
pub(crate) use write::json_value;
pub use write::to_json;

/// What is known about one fact in a case.
#[derive(Clone, Debug, PartialEq)]
pub enum Slot {
    /// The case does not say.
    Unknown,
    /// The case says the fact is absent: the event has not happened.
    Null,
    Known(Value),
}

/// The facts of one case, indexed like the program's fact table.
#[derive(Clone, Debug)]
pub struct Facts {
    pub slots: Vec<Slot>,
    /// Where each fact's value stands in the case file, if it came from one.
    pub spans: Vec<Option<Span>>,
    pub as_of: Option<NaiveDate>,
    /// A what-if: whether deadlines ending on a rest day roll over to the next
    /// working day, whatever the policy says.
    pub roll_over_holidays: Option<bool>,
    pub source: Option<Source>,
}

impl Facts {
    /// A record the case says is absent (`null`): each optional fact in it,
    /// at any depth, has not happened. Every case reader shares this.
    pub(crate) fn null_record(&mut self, program: &Program, record: u32, span: Option<Span>) {
        let Some(info) = program.records.get(record as usize) else {
            return;
        };
        for (_, node) in &info.children {
            match *node {
                SchemaNode::Record(child) => self.null_record(program, child, span),
                SchemaNode::Fact(id) => {
                    let optional = program
                        .facts
                        .get(id as usize)
                        .is_some_and(|f| f.ty.optional);
                    if let (true, Some(slot), Some(at)) = (
                        optional,
                        self.slots.get_mut(id as usize),
                        self.spans.get_mut(id as usize),
                    ) {
                        *slot = Slot::Null;
                        *at = span;
                    }
                }
            }
        }
    }

    /// A case in which every fact is unknown.
    pub fn unknown(program: &Program) -> Facts {
        Facts {
            slots: vec![Slot::Unknown; program.facts.len()],
            spans: vec![None; program.facts.len()],
            as_of: None,
            roll_over_holidays: None,
            source: None,
        }
    }
}

/// The format of a case file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Json,
    Yaml,
    Toml,
}

impl Format {
    /// Guesses the format from a file name, defaulting to YAML (a superset of JSON).
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".json") || lower.ends_with(".jsonl") {
            Format::Json
        } else if lower.ends_with(".toml") {
            Format::Toml
        } else {
            Format::Yaml
        }
    }
}

/// A problem in a case file, pointing at the value or key concerned.
#[derive(Debug, Error, Clone)]
#[error("{message}")]
pub struct CaseError {
    pub message: String,
    /// A stable code such as `deon::case::wrong_type`.
    pub code: String,
    pub src: NamedSource<Arc<str>>,
    pub span: SourceSpan,
    pub label: String,
    pub help: Option<String>,
}

impl Diagnostic for CaseError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new(&self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn std::fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(&self.src)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            miette::LabeledSpan::new_with_span(Some(self.label.clone()), self.span),
        )))
    }
}

impl CaseError {
    fn new(
        code: &str,
        source: &Source,
        span: Span,
        message: impl Into<String>,
        label: impl Into<String>,
    ) -> CaseError {
        CaseError {
            message: message.into(),
            code: format!("deon::case::{code}"),
            src: source.named(),
            span: span.into(),
            label: label.into(),
            help: None,
        }
    }

    fn help(mut self, help: impl Into<String>) -> CaseError {
        self.help = Some(help.into());
        self
    }
}

/// Reads text in a format into a spanned tree, without validating it.
pub fn parse_tree(source: &Source, format: Format) -> Result<Tree, Box<CaseError>> {
    let parsed = match format {
        Format::Json => json::parse(&source.text),
        Format::Yaml => yaml::parse(&source.text),
        Format::Toml => toml::parse(&source.text),
    };
    parsed.map_err(|p| {
        let mut error = CaseError::new("syntax", source, p.span, p.message, "here");
        error.help = p.help;
        Box::new(error)
    })
}

/// A problem found outside the fact schema (e.g. in a policy test file),
/// in the same form as case errors.
pub fn problem(
    code: &str,
    source: &Source,
    span: Span,
    message: impl Into<String>,
    label: impl Into<String>,
    help: Option<String>,
) -> CaseError {
    CaseError {
        message: message.into(),
        code: code.to_string(),
        src: source.named(),
        span: span.into(),
        label: label.into(),
        help,
    }
}

/// Each JSON case reader on its own, for the benchmarks (`deon-bench`): the
/// quick one, the full one (tree, then validation) and a serde_json
/// `DeserializeSeed`. Each says whether it read the case.
#[cfg(feature = "bench-internals")]
pub mod bench {
    use super::{Source, direct, from_tree, json, seed};

    pub fn quick(policy: &crate::Policy, text: &str) -> bool {
        direct::read(policy.program(), text).is_some()
    }

    pub fn full(policy: &crate::Policy, text: &str) -> bool {
        let source = Source::new("case.json", text);
        json::parse(text).is_ok_and(|tree| from_tree(policy.program(), &source, &tree).is_ok())
    }

    pub fn seed(policy: &crate::Policy, text: &str) -> bool {
        seed::read(policy.program(), text).is_some()
    }
}

/// Reads a case file's text and validates it. Every problem is returned, not just the first.
pub fn load(program: &Program, source: &Source, format: Format) -> Result<Facts, Vec<CaseError>> {
    let without_bom;
    let source = match without_bom_mark(source) {
        Some(stripped) => {
            without_bom = stripped;
            &without_bom
        }
        None => source,
    };
    if format == Format::Json {
        if let Some(mut facts) = direct::read(program, &source.text) {
            facts.source = Some(source.clone());
            return Ok(facts);
        }
    }
    let parsed = match format {
        Format::Json => json::parse(&source.text),
        Format::Yaml => yaml::parse(&source.text),
        Format::Toml => toml::parse(&source.text),
    };
    let tree = parsed.map_err(|p| {
        let mut error = CaseError::new("syntax", source, p.span, p.message, "here");
        error.help = p.help;
        vec![error]
    })?;
    from_tree(program, source, &tree)
}

/// The source without a leading byte-order mark, if it has one: every case
/// format accepts one, as policies do, and no message shows it.
fn without_bom_mark(source: &Source) -> Option<Source> {
    source
        .text
        .strip_prefix('\u{feff}')
        .map(|rest| Source::new(Arc::clone(&source.name), rest))
}

/// Validates an already parsed tree.
pub fn from_tree(program: &Program, source: &Source, tree: &Tree) -> Result<Facts, Vec<CaseError>> {
    let mut validator = Validator {
        program,
        source,
        facts: Facts::unknown(program),
        errors: Vec::new(),
    };
    validator.facts.source = Some(source.clone());
    let Node::Map(entries) = &tree.node else {
        let error = CaseError::new(
            "not_a_map",
            source,
            tree.span,
            format!(
                "a case is a group of facts, but this is {}",
                tree.describe()
            ),
            "expected keys and values",
        )
        .help("start the file with the top-level fact records, e.g. `vulnerability:`");
        return Err(vec![error]);
    };
    let mut root = Vec::new();
    for (key, key_span, value) in entries {
        if key == "as_of" {
            validator.facts.as_of = validator.date(value, "as_of");
        } else if key == "roll_over_holidays" {
            match value.node {
                Node::Bool(b) => validator.facts.roll_over_holidays = Some(b),
                _ => validator.wrong(
                    "roll_over_holidays",
                    "true or false",
                    value,
                    "write true or false, without quotes",
                ),
            }
        } else {
            root.push((key.clone(), *key_span, value.clone()));
        }
    }
    validator.record(0, "", &root);
    if validator.errors.is_empty() {
        Ok(validator.facts)
    } else {
        Err(validator.errors)
    }
}

struct Validator<'p> {
    program: &'p Program,
    source: &'p Source,
    facts: Facts,
    errors: Vec<CaseError>,
}

impl Validator<'_> {
    fn record(&mut self, record: u32, prefix: &str, entries: &[(String, Span, Tree)]) {
        let children = &self.program.records[record as usize].children;
        for (key, key_span, value) in entries {
            let path = if prefix.is_empty() {
                key.clone()
            } else {
                format!("{prefix}.{key}")
            };
            let Some((_, node)) = children.iter().find(|(name, _)| name == key) else {
                let names: Vec<&str> = children.iter().map(|(n, _)| n.as_str()).collect();
                let mut hint = suggest(key, names.iter().copied()).unwrap_or_else(|| {
                    if names.is_empty() {
                        "this record has no facts".into()
                    } else {
                        format!("the facts here are: {}", names.join(", "))
                    }
                });
                if prefix.is_empty() {
                    hint.push_str(" (and `as_of`, the evaluation date, and `roll_over_holidays`)");
                }
                let error = CaseError::new(
                    "unknown_key",
                    self.source,
                    *key_span,
                    format!("no fact is called `{}`", tree::clip(&path)),
                    "unknown fact",
                )
                .help(hint);
                self.errors.push(error);
                continue;
            };
            match *node {
                SchemaNode::Record(child) => match &value.node {
                    Node::Map(inner) => self.record(child, &path, inner),
                    Node::Null => {
                        // A whole record known to be absent: every optional fact in it is null.
                        self.facts
                            .null_record(self.program, child, Some(value.span));
                    }
                    _ => {
                        let error = CaseError::new("wrong_type", self.source, value.span, format!("`{path}` is a group of facts, but this is {}", value.describe()), "expected keys and values")
                            .help(format!("write its facts below it, e.g. `{path}:` then indented `name: value` lines"));
                        self.errors.push(error);
                    }
                },
                SchemaNode::Fact(id) => {
                    let ty = self.program.facts[id as usize].ty;
                    if let Some(slot) = self.value(ty, value, &path) {
                        self.facts.slots[id as usize] = slot;
                        self.facts.spans[id as usize] = Some(value.span);
                    }
                }
            }
        }
    }

    fn wrong(&mut self, path: &str, expected: &str, value: &Tree, help: &str) {
        let error = CaseError::new(
            "wrong_type",
            self.source,
            value.span,
            format!(
                "`{path}` should be {expected}, but this is {}",
                match value.node {
                    // As written: `1e2` or 9223372036854775808, not as the
                    // float they were read as.
                    Node::Float(_) =>
                        format!("the number {}", tree::clip(self.source.slice(value.span))),
                    _ => value.describe(),
                }
            ),
            format!("expected {expected}"),
        )
        .help(help.to_string());
        self.errors.push(error);
    }

    fn value(&mut self, ty: Type, value: &Tree, path: &str) -> Option<Slot> {
        if value.node == Node::Null {
            if ty.optional {
                return Some(Slot::Null);
            }
            let error = CaseError::new("null_not_allowed", self.source, value.span, format!("`{path}` cannot be null"), "null here")
                .help("this fact is not optional; give its value, or leave the key out if it is not known");
            self.errors.push(error);
            return None;
        }
        let known = match ty.base {
            Base::Bool => match value.node {
                Node::Bool(b) => Value::Bool(b),
                _ => {
                    return self.wrong_none(
                        path,
                        "true or false",
                        value,
                        "write true or false, without quotes",
                    );
                }
            },
            Base::Int => match value.node {
                Node::Int(i) => Value::Int(i),
                _ => {
                    return self.wrong_none(
                        path,
                        "a whole number",
                        value,
                        "write a number such as 3, without quotes",
                    );
                }
            },
            Base::Text => match &value.node {
                Node::Str(s) if s.len() > self.program.limits.string_bytes => {
                    let limit = self.program.limits.string_bytes;
                    let error = CaseError::new(
                        "too_long",
                        self.source,
                        value.span,
                        format!(
                            "`{path}` is {} bytes of text, more than the {limit} Deon reads",
                            s.len()
                        ),
                        "this text",
                    )
                    .help("shorten it, or raise the limit with `--limit string_bytes=N`");
                    self.errors.push(error);
                    return None;
                }
                Node::Str(s) => Value::Text(Arc::from(s.as_str())),
                _ => return self.wrong_none(path, "text", value, "put the text in quotes"),
            },
            Base::Date => Value::Date(self.date(value, path)?),
            Base::Duration => match &value.node {
                Node::Str(s) => match parse_duration(s) {
                    Some(d) => Value::Duration(d),
                    None => {
                        return self.wrong_none(
                            path,
                            "a duration",
                            value,
                            "write a duration like \"10 days\", \"6 months\" or \"1 year\"",
                        );
                    }
                },
                _ => {
                    return self.wrong_none(
                        path,
                        "a duration",
                        value,
                        "write a duration like \"10 days\", \"6 months\" or \"1 year\"",
                    );
                }
            },
            Base::Money => match &value.node {
                Node::Int(i) => Value::Money(*i),
                Node::Str(s) => match parse_money(s) {
                    Some(m) => Value::Money(m),
                    None => {
                        return self.wrong_none(
                            path,
                            "an amount in CNY",
                            value,
                            "write whole yuan, e.g. 50000 or \"50,000 CNY\"",
                        );
                    }
                },
                _ => {
                    return self.wrong_none(
                        path,
                        "an amount in CNY",
                        value,
                        "write whole yuan, e.g. 50000 or \"50,000 CNY\"",
                    );
                }
            },
            Base::Enum(e) => Value::Enum(e, self.enum_value(e, value, path)?),
            Base::Log => self.log(value, path)?,
            Base::Set(e) | Base::List(e) => {
                let Node::List(items) = &value.node else {
                    let name = self.program.enums[e as usize].name.clone();
                    return self.wrong_none(
                        path,
                        &format!("a list of {name} values"),
                        value,
                        "write a list, e.g. [a, b]",
                    );
                };
                let mut indices = Vec::with_capacity(items.len());
                for item in items {
                    indices.push(self.enum_value(e, item, path)?);
                }
                if matches!(ty.base, Base::Set(_)) {
                    indices.sort_unstable();
                    indices.dedup();
                }
                Value::Set(e, indices.into())
            }
        };
        Some(Slot::Known(known))
    }

    fn wrong_none<T>(&mut self, path: &str, expected: &str, value: &Tree, help: &str) -> Option<T> {
        self.wrong(path, expected, value, help);
        None
    }

    fn enum_value(&mut self, e: u32, value: &Tree, path: &str) -> Option<u32> {
        let info = &self.program.enums[e as usize];
        let Node::Str(text) = &value.node else {
            let values = info.values.join(", ");
            return self.wrong_none(
                path,
                &format!("one of {}", info.name),
                value,
                &format!("the values are: {values}"),
            );
        };
        if let Some(index) = info.index_of(text) {
            return Some(index);
        }
        let hint = suggest(text, info.values.iter().map(String::as_str)).unwrap_or_else(|| {
            format!(
                "the values of {} are: {}",
                info.name,
                info.values.join(", ")
            )
        });
        let error = CaseError::new(
            "unknown_value",
            self.source,
            value.span,
            format!(
                "\"{}\" is not a value of {} (in `{path}`)",
                tree::clip(text),
                info.name
            ),
            "unknown value",
        )
        .help(hint);
        self.errors.push(error);
        None
    }

    fn date(&mut self, value: &Tree, path: &str) -> Option<NaiveDate> {
        match &value.node {
            Node::Date(d) => Some(*d),
            Node::Str(s) => match tree::strict_date(s) {
                Some(d) => Some(d),
                None => {
                    let shaped = s.len() == 10
                        && s.bytes().enumerate().all(|(i, c)| {
                            if i == 4 || i == 7 {
                                c == b'-'
                            } else {
                                c.is_ascii_digit()
                            }
                        });
                    let s = tree::clip(s);
                    let (message, help) = if shaped {
                        (
                            format!("{s} is not a date in the calendar (in `{path}`)"),
                            "check the day of the month: e.g. February has 28 days, or 29 in a leap year",
                        )
                    } else {
                        (
                            format!(
                                "`{path}` should be a date, but \"{s}\" is not written YYYY-MM-DD"
                            ),
                            "write dates as YYYY-MM-DD, e.g. \"2021-09-01\"",
                        )
                    };
                    let error = CaseError::new(
                        "invalid_date",
                        self.source,
                        value.span,
                        message,
                        "not a valid date",
                    )
                    .help(help);
                    self.errors.push(error);
                    None
                }
            },
            _ => self.wrong_none(
                path,
                "a date",
                value,
                "write dates as YYYY-MM-DD, e.g. \"2021-09-01\"",
            ),
        }
    }
}

/// "6 months", "2 days", "1 year", "3 weeks": a whole number of units, never
/// negative.
pub fn parse_duration(text: &str) -> Option<Duration> {
    let mut words = text.split_whitespace();
    let number = words.next()?;
    if !number.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let amount: i64 = number.replace([',', '_'], "").parse().ok()?;
    let unit = match words.next()? {
        "day" | "days" => TimeUnit::Days,
        "week" | "weeks" => TimeUnit::Weeks,
        "month" | "months" => TimeUnit::Months,
        "year" | "years" => TimeUnit::Years,
        _ => return None,
    };
    words.next().is_none().then_some(Duration { amount, unit })
}

/// "50,000 CNY", "50000".
fn parse_money(text: &str) -> Option<i64> {
    let number = text.trim().trim_end_matches("CNY").trim();
    number.replace([',', '_'], "").parse().ok()
}

#[cfg(test)]
mod tests;
