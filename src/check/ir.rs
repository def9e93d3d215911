//! The checked policy set: names resolved to indices, types known.
//! This is what evaluation runs on; nothing here can fail to resolve.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::source::{Source, Span};
use crate::syntax::ast::{Duration, Judgement, Modality, RegulationStatus, SanctionKind};
use crate::value::{Type, Value};

pub type FactId = u32;
pub type DefId = u32;
pub type RoleId = u32;
pub type PenaltyId = u32;
pub type RuleId = u32;
pub type FileId = u32;

/// Text from the policies that reports repeat, with its form as a JSON
/// string (quoted and escaped) made once, when the policy is checked:
/// writing a report copies those bytes instead of escaping the text again.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Text {
    text: Arc<str>,
    json: Arc<str>,
}

impl Text {
    pub fn new(text: impl Into<Arc<str>>) -> Self {
        let text = text.into();
        let json = crate::json::quoted(&text).into();
        Text { text, json }
    }

    /// The text as a JSON string, quoted and escaped.
    pub fn json(&self) -> &str {
        &self.json
    }
}

impl std::ops::Deref for Text {
    type Target = Arc<str>;
    fn deref(&self) -> &Arc<str> {
        &self.text
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.text
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::new(text)
    }
}

impl From<String> for Text {
    fn from(text: String) -> Self {
        Text::new(text)
    }
}

impl From<Arc<str>> for Text {
    fn from(text: Arc<str>) -> Self {
        Text::new(text)
    }
}

impl PartialEq<str> for Text {
    fn eq(&self, other: &str) -> bool {
        *self.text == *other
    }
}

impl PartialEq<&str> for Text {
    fn eq(&self, other: &&str) -> bool {
        *self.text == **other
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl std::fmt::Debug for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.text, f)
    }
}

#[derive(Clone, Debug)]
// Its docs (and places) are kept for tools that show them; none reads them yet.
#[allow(dead_code)]
pub struct EnumInfo {
    pub name: String,
    pub doc: Option<String>,
    pub values: Vec<String>,
    pub docs: Vec<Option<String>>,
}

impl EnumInfo {
    pub fn index_of(&self, value: &str) -> Option<u32> {
        self.values
            .iter()
            .position(|v| v == value)
            .and_then(|i| u32::try_from(i).ok())
    }
}

#[derive(Clone, Debug)]
// Its docs (and places) are kept for tools that show them; none reads them yet.
#[allow(dead_code)]
pub struct FactInfo {
    /// Dotted path, e.g. `vulnerability.aware_on`.
    pub path: Arc<str>,
    pub ty: Type,
    pub doc: Option<String>,
    /// The description again, shared by every report that shows it.
    pub description: Option<Arc<str>>,
    pub file: FileId,
    pub span: Span,
}

/// A record of the fact schema: its dotted path and what it contains.
#[derive(Clone, Debug, Default)]
// Its docs (and places) are kept for tools that show them; none reads them yet.
#[allow(dead_code)]
pub struct RecordInfo {
    pub doc: Option<String>,
    /// Child name → fact or nested record.
    pub children: Vec<(String, SchemaNode)>,
}

#[derive(Clone, Copy, Debug)]
pub enum SchemaNode {
    Fact(FactId),
    Record(u32),
}

#[derive(Clone, Debug)]
// Its docs (and places) are kept for tools that show them; none reads them yet.
#[allow(dead_code)]
pub struct DefInfo {
    pub name: String,
    pub doc: Option<String>,
    pub ty: Type,
    pub body: CExpr,
    pub file: FileId,
    pub span: Span,
}

#[derive(Clone, Debug)]
// Its docs (and places) are kept for tools that show them; none reads them yet.
#[allow(dead_code)]
pub struct RoleInfo {
    pub name: String,
    pub doc: Option<String>,
    pub condition: CExpr,
    /// `applies to <name>`, as explanations show it.
    pub label: Text,
    pub file: FileId,
}

#[derive(Clone, Debug)]
pub struct RegulationInfo {
    pub id: Arc<str>,
    pub titles: Vec<(Option<String>, String)>,
    pub issuers: Vec<String>,
    pub jurisdiction: Option<String>,
    pub status: RegulationStatus,
    pub issued: Option<NaiveDate>,
    pub effective: Option<NaiveDate>,
    pub repealed: Option<NaiveDate>,
    pub source: Option<String>,
}

impl RegulationInfo {
    /// Which of `titles` is the main one: the first without a language tag,
    /// else the first.
    fn main_title(&self) -> Option<usize> {
        self.titles
            .iter()
            .position(|(lang, _)| lang.is_none())
            .or_else(|| (!self.titles.is_empty()).then_some(0))
    }

    pub fn title(&self) -> &str {
        self.main_title()
            .and_then(|i| self.titles.get(i))
            .map_or(self.id.as_ref(), |(_, t)| t.as_str())
    }

    /// The titles with a language tag, other than the main one: (language, title).
    pub fn other_titles(&self) -> impl Iterator<Item = (&str, &str)> {
        let main = self.main_title();
        self.titles
            .iter()
            .enumerate()
            .filter(move |(i, _)| Some(*i) != main)
            .filter_map(|(_, (lang, title))| Some((lang.as_deref()?, title.as_str())))
    }
}

#[derive(Clone, Debug)]
pub struct SanctionInfo {
    pub kind: SanctionKind,
    pub condition: Option<CExpr>,
    /// The authority may impose it but need not.
    pub discretionary: bool,
    /// The tier it belongs to (an index into its version's `tiers`); `None`
    /// for the first step, imposed whenever the penalty is.
    pub tier: Option<u32>,
    /// Its `one of` group: the authority imposes one of the group's sanctions.
    pub choice: Option<u32>,
}

/// `review "text" [when <condition>]`: a caveat for the finding.
#[derive(Clone, Debug)]
pub struct ReviewInfo {
    pub text: Text,
    pub condition: Option<CExpr>,
}

/// A step of a statute's scale of sanctions.
#[derive(Clone, Debug)]
pub struct TierInfo {
    pub name: Text,
    pub condition: Option<CExpr>,
    pub reviews: Vec<ReviewInfo>,
}

#[derive(Clone, Debug)]
pub struct PenaltyInfo {
    pub name: String,
    pub doc: Option<String>,
    pub cites: Vec<String>,
    /// Notes on the penalty as a whole, whatever the version.
    pub reviews: Vec<ReviewInfo>,
    /// At least one; a penalty without dated versions has one, with no label or date.
    pub versions: Vec<PenaltyVersionInfo>,
}

#[derive(Clone, Debug)]
pub struct PenaltyVersionInfo {
    pub label: Option<String>,
    /// In force from this date until the next version's; `None` for an unversioned penalty.
    pub from: Option<NaiveDate>,
    /// Citations of this version, in addition to the penalty's own.
    pub cites: Vec<String>,
    pub reviews: Vec<ReviewInfo>,
    /// In the statute's order.
    pub tiers: Vec<TierInfo>,
    /// Every sanction: the first step's, then each tier's in order.
    pub sanctions: Vec<SanctionInfo>,
}

impl PenaltyInfo {
    /// The version in force on `date`: the latest that started on or before
    /// it. `None` when every version starts later.
    pub fn version_on(&self, date: NaiveDate) -> Option<&PenaltyVersionInfo> {
        self.versions
            .iter()
            .filter(|v| v.from.is_none_or(|from| from <= date))
            .max_by_key(|v| v.from)
    }
}

#[derive(Clone, Debug)]
pub enum DeadlineInfo {
    Within { period: Duration, of: CExpr },
    Before { period: Duration, date: CExpr },
    By(CExpr),
    StrictlyBefore(CExpr),
    AtLeastFor(Duration),
    Judgement(Judgement, Option<CExpr>),
}

#[derive(Clone, Debug)]
pub struct RuleInfo {
    pub id: Arc<str>,
    pub doc: Option<String>,
    pub regulation: u32,
    pub file: FileId,
    pub span: Span,
    pub cites: Arc<[String]>,
    pub modality: Modality,
    pub action: Arc<str>,
    /// Any of these roles; empty means everyone.
    pub roles: Vec<RoleId>,
    pub when: Vec<CExpr>,
    pub unless: Vec<CExpr>,
    /// `from <date>`: the event the duty runs from.
    pub trigger: Option<CExpr>,
    pub deadline: Option<DeadlineInfo>,
    pub done: Option<ActTest>,
    pub breached: Option<ActTest>,
    pub kept_for: Option<CExpr>,
    pub exception_to: Option<RuleId>,
    pub penalties: Vec<PenaltyId>,
    /// For each of `penalties`, why its link is arguable, if it is.
    pub arguable: Vec<Option<Text>>,
    pub reviews: Vec<ReviewInfo>,
    /// How the deadline clause is named in explanations, e.g. `within 2 days of`.
    pub deadline_label: Text,
    /// The rule's own dates, within its regulation's.
    pub effective: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
    /// Civil Code Art. 203 roll-over of deadlines that end on a rest day.
    pub rolls_over_holidays: bool,
}

/// What shows an act was done (or a prohibition breached): `on` a date
/// given, `if` a condition holds; at least one of the two.
#[derive(Clone, Debug)]
pub struct ActTest {
    pub on: Option<CExpr>,
    pub condition: Option<CExpr>,
}

/// A checked expression, carrying its source text for explanations.
#[derive(Clone, Debug)]
pub struct CExpr {
    pub kind: CExprKind,
    pub ty: Type,
    /// The expression as written, for explanations.
    pub text: ExprText,
}

/// The text of a checked expression as written: a range of its file's
/// shared text, so that checking an expression never copies it (copying
/// every node's text made memory grow with the square of its length). The
/// text is copied out once, on first use in a report.
#[derive(Clone, Default)]
pub struct ExprText {
    source: Arc<str>,
    span: Span,
    shared: std::sync::OnceLock<Arc<str>>,
    /// The text as a JSON string, for the expressions reports show (made
    /// when the policy is checked, by `check::json`); not for the
    /// sub-expressions, whose texts would add up to the square of their
    /// length.
    json: Option<Box<str>>,
}

impl ExprText {
    pub fn new(source: &Source, span: Span) -> Self {
        let span = if source.text.get(span.start..span.end).is_some() {
            span
        } else {
            Span::default()
        };
        ExprText {
            source: Arc::clone(&source.text),
            span,
            shared: std::sync::OnceLock::new(),
            json: None,
        }
    }

    /// Makes the text's JSON string, for an expression reports show.
    pub fn escape_once(&mut self) {
        if self.json.is_none() {
            self.json = Some(crate::json::quoted(self));
        }
    }

    /// The text as a JSON string, if `escape_once` made it.
    pub fn json(&self) -> Option<&str> {
        self.json.as_deref()
    }

    /// The text as a shared string, copied out of the source once.
    pub fn shared(&self) -> &Arc<str> {
        self.shared.get_or_init(|| Arc::from(&**self))
    }
}

impl std::ops::Deref for ExprText {
    type Target = str;
    fn deref(&self) -> &str {
        self.source
            .get(self.span.start..self.span.end)
            .unwrap_or("")
    }
}

impl AsRef<str> for ExprText {
    fn as_ref(&self) -> &str {
        self
    }
}

impl std::fmt::Display for ExprText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self)
    }
}

impl std::fmt::Debug for ExprText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&**self, f)
    }
}

impl PartialEq for ExprText {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compare {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Debug)]
pub enum CExprKind {
    Literal(Value),
    Fact(FactId),
    Def(DefId),
    Today,
    Not(Box<CExpr>),
    IsSet(Box<CExpr>),
    IsUnset(Box<CExpr>),
    And(Box<CExpr>, Box<CExpr>),
    Or(Box<CExpr>, Box<CExpr>),
    Compare(Compare, Box<CExpr>, Box<CExpr>),
    /// element, collection; `negated` for `not in`.
    Member {
        element: Box<CExpr>,
        collection: Box<CExpr>,
        negated: bool,
    },
    /// date + duration, int + int, money + money.
    Add(Box<CExpr>, Box<CExpr>),
    /// date - duration, date - date, int - int, money - money.
    Sub(Box<CExpr>, Box<CExpr>),
}

/// A policy set that passed the checker. Cheap to share across threads.
#[derive(Clone, Debug, Default)]
pub struct Program {
    pub sources: Vec<Source>,
    pub regulations: Vec<RegulationInfo>,
    pub enums: Vec<EnumInfo>,
    pub facts: Vec<FactInfo>,
    pub fact_index: HashMap<Arc<str>, FactId>,
    /// Record 0 is the root of the schema.
    pub records: Vec<RecordInfo>,
    pub record_index: HashMap<String, u32>,
    pub definitions: Vec<DefInfo>,
    pub def_index: HashMap<String, DefId>,
    pub roles: Vec<RoleInfo>,
    pub penalties: Vec<PenaltyInfo>,
    pub rules: Vec<RuleInfo>,
    /// Rules in an order where every exception comes before the rule it excepts.
    pub rule_order: Vec<RuleId>,
    /// For each rule, the rules declared `exception to` it, in declaration order.
    pub exceptions: Vec<Vec<RuleId>>,
    /// Holiday calendars by jurisdiction (upper case), for working-day deadlines.
    pub calendars: std::collections::BTreeMap<String, crate::calendar::Calendar>,
    /// Words explanations repeat, allocated once per policy set.
    pub words: Words,
    /// The limits the set was checked under, which hold for its cases too.
    pub limits: crate::Limits,
    /// The policy text reports repeat, already written as JSON.
    pub json: super::json::PolicyJson,
}

impl Program {
    /// The calendar of a regulation's jurisdiction, if one was loaded.
    pub fn calendar_for(&self, regulation: u32) -> Option<&crate::calendar::Calendar> {
        let jurisdiction = self
            .regulations
            .get(regulation as usize)?
            .jurisdiction
            .as_deref()?;
        self.calendars.get(&jurisdiction.to_uppercase())
    }

    pub fn type_name(&self, ty: Type) -> String {
        use crate::value::Base;
        let enum_name = |id: u32| {
            self.enums
                .get(id as usize)
                .map_or("?", |e| e.name.as_str())
                .to_string()
        };
        let base = match ty.base {
            Base::Bool => "bool".to_string(),
            Base::Int => "int".to_string(),
            Base::Text => "text".to_string(),
            Base::Date => "date".to_string(),
            Base::Duration => "duration".to_string(),
            Base::Money => "money".to_string(),
            Base::Enum(id) => enum_name(id),
            Base::Set(id) => format!("set of {}", enum_name(id)),
            Base::List(id) => format!("list of {}", enum_name(id)),
            Base::Log => "log".to_string(),
        };
        if ty.optional {
            format!("{base}?")
        } else {
            base
        }
    }
}

/// Text that every explanation repeats, shared rather than copied.
#[derive(Clone, Debug)]
pub struct Words {
    pub when: Text,
    pub unless: Text,
    pub done_when: Text,
    pub done_on: Text,
    pub done_if: Text,
    pub breached_when: Text,
    pub breached_on: Text,
    pub breached_if: Text,
    pub from: Text,
    pub kept_for: Text,
    pub runs_from: Text,
    pub by: Text,
    pub before: Text,
    pub yes: Text,
    pub no: Text,
    pub unknown: Text,
    pub null: Text,
    pub exception: Text,
    pub due: Text,
    pub last_day: Text,
    pub rolls_over: Text,
    pub calendar: Text,
    pub no_calendar: Text,
}

impl Default for Words {
    fn default() -> Self {
        Words {
            when: "when".into(),
            unless: "unless".into(),
            done_when: "done when".into(),
            done_on: "done on".into(),
            done_if: "done if".into(),
            breached_when: "breached when".into(),
            breached_on: "breached on".into(),
            breached_if: "breached if".into(),
            from: "from".into(),
            kept_for: "kept for".into(),
            runs_from: "runs from".into(),
            by: "by".into(),
            before: "before".into(),
            yes: "true".into(),
            no: "false".into(),
            unknown: "unknown".into(),
            null: "null".into(),
            exception: "exception".into(),
            due: "due".into(),
            last_day: "last day to act".into(),
            rolls_over: "rolls over holidays".into(),
            calendar: "calendar".into(),
            no_calendar: "no calendar data".into(),
        }
    }
}
