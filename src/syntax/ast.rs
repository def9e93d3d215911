//! The abstract syntax tree: what a policy file says, before names are resolved.
//! Every node that a diagnostic may point at is `Spanned`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::source::Spanned;

pub type Ident = Spanned<String>;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct File {
    pub items: Vec<Item>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Item {
    Regulation(Regulation),
    Enum(EnumDecl),
    Facts(Vec<FactMember>),
    Define(Define),
    Role(RoleDecl),
    Penalty(PenaltyDecl),
    Rule(RuleDecl),
}

/// The status a regulation's header declares (`status in force`). In JSON,
/// `draft`, `in_force` or `repealed`.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("draft.deon", r#"
///     regulation measures { title "Draft measures" status draft }
/// "#)])?;
/// let report = policy.evaluate(&policy.empty_case(), None);
/// assert_eq!(report.regulations[0].status, deon::RegulationStatus::Draft);
/// assert!(!report.regulations[0].in_force);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegulationStatus {
    /// A draft: evaluated, but never binding and exposing no penalty.
    Draft,
    /// In force from its `effective from` date.
    InForce,
    /// Repealed: binding only before its repeal date.
    Repealed,
}

impl RegulationStatus {
    /// The status in words.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(deon::RegulationStatus::InForce.label(), "in force");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            RegulationStatus::Draft => "draft",
            RegulationStatus::InForce => "in force",
            RegulationStatus::Repealed => "repealed",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RegulationField {
    /// `title "..."` or `title zh "..."`.
    Title {
        language: Option<String>,
        text: String,
    },
    Issuers(Vec<String>),
    Jurisdiction(String),
    Status(RegulationStatus),
    Issued(NaiveDate),
    Effective(NaiveDate),
    Repealed(NaiveDate),
    Source(String),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Regulation {
    pub id: Ident,
    pub fields: Vec<Spanned<RegulationField>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EnumDecl {
    pub name: Ident,
    pub doc: Option<Spanned<String>>,
    pub values: Vec<(Ident, Option<Spanned<String>>)>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum FactMember {
    Field {
        name: Ident,
        ty: Spanned<TypeExpr>,
        doc: Option<Spanned<String>>,
    },
    Record {
        name: Ident,
        doc: Option<Spanned<String>>,
        members: Vec<FactMember>,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TypeExpr {
    pub shape: TypeShape,
    pub optional: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TypeShape {
    /// `bool`, `int`, `text`, `date`, `duration`, `money` or an enum name.
    Named(Ident),
    SetOf(Ident),
    ListOf(Ident),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Define {
    pub name: Ident,
    pub doc: Option<Spanned<String>>,
    pub body: Spanned<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RoleDecl {
    pub name: Ident,
    pub doc: Option<Spanned<String>>,
    pub condition: Spanned<Expr>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PenaltyDecl {
    pub name: Ident,
    pub doc: Option<Spanned<String>>,
    pub cites: Vec<Spanned<String>>,
    /// Sanctions of a penalty that has no dated versions.
    pub sanctions: Vec<Spanned<Sanction>>,
    pub versions: Vec<Spanned<PenaltyVersion>>,
}

/// One dated version of a penalty: `version "2017 text" from 2017-06-01 { ... }`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PenaltyVersion {
    pub label: String,
    pub from: NaiveDate,
    pub cites: Vec<Spanned<String>>,
    pub sanctions: Vec<Spanned<Sanction>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sanction {
    pub kind: SanctionKind,
    pub condition: Option<Spanned<Expr>>,
    /// `may`: the authority may impose it but need not.
    pub discretionary: bool,
}

/// Who bears a sanction. In JSON, `entity`, `person_in_charge` or
/// `individual`.
///
/// # Examples
///
/// ```
/// use deon::LiableParty;
///
/// let party: LiableParty = serde_json::from_str(r#""person_in_charge""#).unwrap();
/// assert_eq!(party, LiableParty::PersonInCharge);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LiableParty {
    /// The organisation.
    Entity,
    /// The directly responsible person in charge.
    PersonInCharge,
    /// A natural person who is the party.
    Individual,
}

impl LiableParty {
    /// The party in words.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(deon::LiableParty::PersonInCharge.label(), "the person in charge");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            LiableParty::Entity => "the entity",
            LiableParty::PersonInCharge => "the person in charge",
            LiableParty::Individual => "the individual",
        }
    }
}

/// A sanction a penalty imposes. In JSON, an object naming its `kind` in
/// `snake_case`, with the fields of that kind (docs/json-report.md).
///
/// # Examples
///
/// ```
/// use deon::{LiableParty, SanctionKind};
///
/// let fine = SanctionKind::Fine { min: 50_000, max: 500_000, on: LiableParty::Entity };
/// assert_eq!(
///     serde_json::to_string(&fine).unwrap(),
///     r#"{"kind":"fine","min":50000,"max":500000,"on":"entity"}"#
/// );
/// assert_eq!(serde_json::to_string(&SanctionKind::Warning).unwrap(), r#"{"kind":"warning"}"#);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SanctionKind {
    /// An order to correct.
    OrderToCorrect,
    /// A warning.
    Warning,
    /// A fine of `min` to `max` yuan (CNY) on a party.
    Fine {
        /// The lowest amount.
        min: i64,
        /// The highest amount.
        max: i64,
        /// Who pays it.
        on: LiableParty,
    },
    /// Confiscation of illegal gains.
    ConfiscationOfIllegalGains,
    /// Detention of `min_days` to `max_days` days (`min_days` is 0 for "up to").
    Detention {
        /// The fewest days.
        min_days: i64,
        /// The most days.
        max_days: i64,
        /// Who is detained.
        on: LiableParty,
    },
    /// A bar from key network security posts.
    BanFromKeyPositions {
        /// `None` is a ban for life.
        years: Option<i64>,
        /// Who is banned.
        on: LiableParty,
    },
    /// Criminal liability.
    CriminalLiability,
    /// Suspension of the related business.
    SuspensionOfBusiness,
    /// Suspension of business for rectification.
    SuspensionForRectification,
    /// Closure of the website.
    ClosureOfWebsite,
    /// Revocation of the business licence.
    RevocationOfLicence,
    /// Revocation of the business permit.
    RevocationOfPermit,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RuleDecl {
    pub name: Ident,
    pub doc: Option<Spanned<String>>,
    pub clauses: Vec<Spanned<Clause>>,
}

/// What kind of rule it is. In JSON, `must`, `must_not`, `may` or `should`.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("rule.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { data "The data." { resold: bool "The data was resold." } }
///     rule no_resale { cite "Art. 3" must not "resell the data" breached when data.resold }
/// "#)])?;
/// let report = policy.evaluate(&policy.empty_case(), None);
/// assert_eq!(report.findings[0].modality, deon::Modality::MustNot);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Modality {
    /// `must`: an obligation.
    Must,
    /// `must not`: a prohibition.
    MustNot,
    /// `may`: a permission.
    May,
    /// `should`: an act the regulation encourages.
    Should,
}

impl Modality {
    /// The keyword as a policy writes it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(deon::Modality::MustNot.keyword(), "must not");
    /// ```
    pub fn keyword(self) -> &'static str {
        match self {
            Modality::Must => "must",
            Modality::MustNot => "must not",
            Modality::May => "may",
            Modality::Should => "should",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Clause {
    Cite(String),
    AppliesTo(Vec<Ident>),
    When(Spanned<Expr>),
    Unless(Spanned<Expr>),
    Modality {
        modality: Modality,
        action: String,
    },
    Deadline(Deadline),
    DoneWhen {
        condition: Spanned<Expr>,
        on: Option<Spanned<Expr>>,
    },
    BreachedWhen {
        condition: Spanned<Expr>,
        on: Option<Spanned<Expr>>,
    },
    KeptFor(Spanned<Expr>),
    ExceptionTo(Ident),
    Penalties(Vec<Ident>),
    /// `effective from D`: the rule binds from this date.
    EffectiveFrom(NaiveDate),
    /// `until D`: the rule binds until the day before this date.
    Until(NaiveDate),
    /// `rolls over holidays`: a period ending on a rest day ends on the next working day.
    RollsOverHolidays,
    /// `allow conflict "reason"`: a lint warning silenced in this rule, and why.
    Allow {
        lint: Ident,
        reason: Spanned<String>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeUnit {
    Days,
    WorkingDays,
    Weeks,
    Months,
    Years,
}

/// A length of time as the law states it: "2 days", "6 months".
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Duration {
    pub amount: i64,
    pub unit: TimeUnit,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Judgement {
    Immediately,
    Promptly,
    WithoutDelay,
    InATimelyManner,
}

impl Judgement {
    pub fn words(self) -> &'static str {
        match self {
            Judgement::Immediately => "immediately",
            Judgement::Promptly => "promptly",
            Judgement::WithoutDelay => "without delay",
            Judgement::InATimelyManner => "in a timely manner",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Deadline {
    /// `within 2 days of <date>`.
    Within {
        period: Spanned<Duration>,
        of: Spanned<Expr>,
    },
    /// `30 days before <date>`: done at least that long before.
    Before {
        period: Spanned<Duration>,
        date: Spanned<Expr>,
    },
    /// `by <date>`: on or before.
    By(Spanned<Expr>),
    /// `before <date>`: strictly earlier.
    StrictlyBefore(Spanned<Expr>),
    /// `for at least 6 months`: a retention period.
    AtLeastFor(Spanned<Duration>),
    /// A timing the law leaves to judgment, optionally `after` the event it runs from.
    Judgement(Judgement, Option<Spanned<Expr>>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BinaryOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    NotIn,
    Contains,
    Add,
    Sub,
}

impl BinaryOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "or",
            BinaryOp::And => "and",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Contains => "contains",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Text(String),
    Date(NaiveDate),
    Duration(Duration),
    /// Whole yuan.
    Money(i64),
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Expr {
    Literal(Literal),
    /// A dotted name: a fact path, a definition, a role or an enum value.
    Path(Vec<Ident>),
    SetLiteral(Vec<Ident>),
    Not(Box<Spanned<Expr>>),
    IsSet(Box<Spanned<Expr>>),
    IsUnset(Box<Spanned<Expr>>),
    Binary {
        op: BinaryOp,
        lhs: Box<Spanned<Expr>>,
        rhs: Box<Spanned<Expr>>,
    },
}
