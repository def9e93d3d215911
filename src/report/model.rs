//! The report: what evaluation produces. Every type here is serialisable;
//! its JSON shape is documented in docs/json-report.md and
//! docs/report.schema.json. The types are re-exported at the crate root.

use std::sync::Arc;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::syntax::ast::{Modality, RegulationStatus, SanctionKind};

pub use super::exposure::{Exposure, FineRange};

/// What a policy set means for one case, on one date: a finding per rule,
/// the regulations they come from, and the fines at stake.
///
/// Serialises to the JSON that `deon eval --format json` prints
/// (docs/json-report.md); deserialising that JSON gives the report back.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// assert_eq!(report.as_of.to_string(), "2026-03-10");
/// assert_eq!(report.findings.len(), 1);
/// assert_eq!(report.totals.entity.max, 10_000);
/// assert!(report.unknown_facts.is_empty());
///
/// let json = serde_json::to_string(&report).unwrap();
/// assert_eq!(serde_json::from_str::<deon::Report>(&json).unwrap(), report);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// The date the case was evaluated at.
    pub as_of: NaiveDate,
    /// Every regulation of the policy set.
    pub regulations: Vec<RegulationSummary>,
    /// One finding per rule, in declaration order.
    pub findings: Vec<Finding>,
    /// Fines exposed by all findings together (violated and breached ones,
    /// and judgement timings that need review, whose fines are only
    /// possible): each penalty counted once, at its highest exposure,
    /// summed across penalties.
    pub totals: Exposure,
    /// Facts the case left out that some finding depends on.
    pub unknown_facts: Vec<String>,
    /// How much reasoning the findings carry. Absent in JSON when it is
    /// `all`, so a consumer sees it only when explanations were left out.
    #[serde(default, skip_serializing_if = "Explain::is_all")]
    pub explain: Explain,
}

fn no_text(text: &Arc<str>) -> bool {
    text.is_empty()
}

/// How much of its reasoning each finding of a report carries
/// (`--explain` on the command line).
///
/// Whatever the level, a finding keeps its status, dates, citations,
/// penalties, exposure and review notes: caveats are never left out. The
/// levels differ in the `explanation` steps, and `none` leaves out the
/// act and the summary sentence too.
///
/// # Examples
///
/// ```
/// use deon::{Explain, Status};
///
/// assert_eq!("failing".parse::<Explain>(), Ok(Explain::Failing));
/// assert!(Explain::Failing.explains(Status::Violated));
/// assert!(!Explain::Failing.explains(Status::Satisfied));
/// assert!(!Explain::None.explains(Status::Violated));
/// assert_eq!(Explain::default(), Explain::All);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Explain {
    /// No explanation steps, act or summary: status, dates, citations,
    /// penalties, exposure and review notes.
    None,
    /// Steps only for findings that need attention: every status except
    /// satisfied, respected, not applicable and not in force.
    Failing,
    /// Steps for every finding; a not-applicable finding is explained by
    /// the condition that failed, not by every step before it.
    #[default]
    All,
}

impl Explain {
    /// Every level, from the least to the most said.
    pub const ALL: [Explain; 3] = [Explain::None, Explain::Failing, Explain::All];

    /// The level's name, as `--explain` and JSON spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Explain::None => "none",
            Explain::Failing => "failing",
            Explain::All => "all",
        }
    }

    /// Whether a finding with this status carries explanation steps.
    pub fn explains(self, status: Status) -> bool {
        match self {
            Explain::None => false,
            Explain::Failing => !matches!(
                status,
                Status::Satisfied | Status::Respected | Status::NotApplicable | Status::NotInForce
            ),
            Explain::All => true,
        }
    }

    fn is_all(&self) -> bool {
        *self == Explain::All
    }
}

impl std::fmt::Display for Explain {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Explain {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Explain::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| format!("`{s}` is not an explanation level: use none, failing or all"))
    }
}

/// A regulation of the policy set, and whether it binds on the evaluation
/// date.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let regulation = &report.regulations[0];
/// assert_eq!(regulation.id, "example");
/// assert_eq!(regulation.title, "An example");
/// assert_eq!(regulation.status, deon::RegulationStatus::InForce);
/// assert_eq!(regulation.effective, chrono::NaiveDate::from_ymd_opt(2021, 9, 1));
/// assert!(regulation.in_force);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegulationSummary {
    /// The identifier after `regulation` in the policy.
    pub id: String,
    /// The first title without a language tag, else the first title.
    pub title: String,
    /// The other titles with a language tag (`title zh "..."`), such as the
    /// original Chinese title, in the policy's order.
    pub other_titles: Vec<LanguageTitle>,
    /// The status its header declares.
    pub status: RegulationStatus,
    /// The `effective from` date, if the header gives one.
    pub effective: Option<NaiveDate>,
    /// Whether it binds on the evaluation date.
    pub in_force: bool,
}

/// A regulation's title in one language.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("example.deon", r#"
///     regulation example {
///       title "Provisions on vulnerabilities"
///       title zh "网络产品安全漏洞管理规定"
///       status in force effective from 2021-09-01
///     }
/// "#)])?;
/// let report = policy.evaluate(&policy.empty_case(), None);
/// let zh = &report.regulations[0].other_titles[0];
/// assert_eq!((zh.language.as_str(), zh.title.as_str()), ("zh", "网络产品安全漏洞管理规定"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LanguageTitle {
    /// The language tag, e.g. `zh`.
    pub language: String,
    /// The title in that language.
    pub title: String,
}

/// What a rule means for the case. In JSON, the `snake_case` name
/// ([`Status::key`]). Ordered from the most to the least urgent.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// use deon::Status;
///
/// assert_eq!(report.findings[0].status, Status::Violated);
/// assert!(Status::Violated < Status::Pending);
/// assert_eq!(serde_json::to_string(&Status::NeedsReview).unwrap(), r#""needs_review""#);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// An obligation is not met: not done after the due date, done late,
    /// not done with no deadline, or a retention too short.
    Violated,
    /// A prohibition's `breached when` holds.
    Breached,
    /// Not done yet, and the due date has not passed.
    Pending,
    /// Not done, and the law's timing (`promptly`, `without delay`, …) is a
    /// judgment Deon does not make.
    NeedsReview,
    /// The outcome depends on facts the case leaves out.
    Conditional,
    /// The obligation is met.
    Satisfied,
    /// The prohibition is not breached.
    Respected,
    /// An `unless` condition or an `exception to` rule applies.
    Exempt,
    /// A `may` rule applies.
    Permitted,
    /// A `should` rule applies and the act is not done.
    Encouraged,
    /// A role or `when` condition is false.
    NotApplicable,
    /// The regulation, or the rule itself, does not bind on the date.
    NotInForce,
}

impl Status {
    /// Every status, from the most to the least urgent.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::Status;
    ///
    /// assert_eq!(Status::ALL.len(), 12);
    /// assert_eq!(Status::ALL[0], Status::Violated);
    /// assert!(Status::ALL.is_sorted());
    /// ```
    pub const ALL: [Status; 12] = [
        Status::Violated,
        Status::Breached,
        Status::Pending,
        Status::NeedsReview,
        Status::Conditional,
        Status::Satisfied,
        Status::Respected,
        Status::Exempt,
        Status::Permitted,
        Status::Encouraged,
        Status::NotApplicable,
        Status::NotInForce,
    ];

    /// The status in words, as the text report shows it.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(deon::Status::NeedsReview.label(), "needs review");
    /// ```
    pub fn label(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Breached => "breached",
            Status::Pending => "pending",
            Status::NeedsReview => "needs review",
            Status::Conditional => "conditional",
            Status::Satisfied => "satisfied",
            Status::Respected => "respected",
            Status::Exempt => "exempt",
            Status::Permitted => "permitted",
            Status::Encouraged => "encouraged",
            Status::NotApplicable => "not applicable",
            Status::NotInForce => "not in force",
        }
    }

    /// The name used on the command line and in JSON.
    ///
    /// # Examples
    ///
    /// ```
    /// assert_eq!(deon::Status::NeedsReview.key(), "needs_review");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            Status::Violated => "violated",
            Status::Breached => "breached",
            Status::Pending => "pending",
            Status::NeedsReview => "needs_review",
            Status::Conditional => "conditional",
            Status::Satisfied => "satisfied",
            Status::Respected => "respected",
            Status::Exempt => "exempt",
            Status::Permitted => "permitted",
            Status::Encouraged => "encouraged",
            Status::NotApplicable => "not_applicable",
            Status::NotInForce => "not_in_force",
        }
    }

    /// The status a [`key`](Status::key) names; `-` and spaces may stand for
    /// `_`.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::Status;
    ///
    /// assert_eq!(Status::from_key("needs_review"), Some(Status::NeedsReview));
    /// assert_eq!(Status::from_key("needs-review"), Some(Status::NeedsReview));
    /// assert_eq!(Status::from_key("late"), None);
    /// ```
    pub fn from_key(key: &str) -> Option<Status> {
        let key = key.replace(['-', ' '], "_");
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// A finding the party must act on or answer for: `violated` or
    /// `breached`.
    ///
    /// # Examples
    ///
    /// ```
    /// use deon::Status;
    ///
    /// assert!(Status::Breached.is_failure());
    /// assert!(!Status::Pending.is_failure());
    /// ```
    pub fn is_failure(self) -> bool {
        matches!(self, Status::Violated | Status::Breached)
    }
}

/// What one rule means for the case: its status, why, by when, and what a
/// failure exposes.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// use deon::{Modality, Status};
///
/// let finding = &report.findings[0];
/// assert_eq!(&*finding.rule, "file_report");
/// assert_eq!(&finding.citations[..], ["Art. 1"]);
/// assert_eq!(finding.modality, Modality::Must);
/// assert_eq!(&*finding.action, "file the report");
/// assert_eq!(finding.status, Status::Violated);
/// assert_eq!(finding.summary, "not done, and the due date 2026-03-05 passed 5 days ago");
/// assert_eq!(finding.due, chrono::NaiveDate::from_ymd_opt(2026, 3, 5));
/// assert_eq!((finding.days_left, finding.days_overdue), (None, Some(5)));
/// assert_eq!(finding.penalties[0].penalty, "late_filing");
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule's name.
    pub rule: Arc<str>,
    /// The `id` of the rule's regulation.
    pub regulation: Arc<str>,
    /// `draft` findings say what a draft would require; they expose no penalty.
    pub regulation_status: RegulationStatus,
    /// The rule's `cite` lines, in order.
    pub citations: Arc<[String]>,
    /// The rule's modality: `must`, `must not`, `may` or `should`.
    pub modality: Modality,
    /// The act, as the rule states it. Empty (absent in JSON) at
    /// [`Explain::None`].
    #[serde(skip_serializing_if = "no_text", default)]
    pub action: Arc<str>,
    /// What the rule means for the case.
    pub status: Status,
    /// One sentence saying why the rule has this status. Empty (absent in
    /// JSON) at [`Explain::None`].
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub summary: String,
    /// The last day on which doing the act is on time, when the rule has a
    /// fixed deadline whose date could be worked out.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due: Option<NaiveDate>,
    /// The day the act was done (obligations) or the breach happened
    /// (prohibitions).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub done_on: Option<NaiveDate>,
    /// Days until the due date (pending findings).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_left: Option<i64>,
    /// Days past the due date (violated findings), or days late when done late.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_overdue: Option<i64>,
    /// Days a duty with a judgement timing (`promptly`, `without delay`, …)
    /// has been outstanding: from the event it runs from to the day it was
    /// done, or to the evaluation date if it is not done.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub days_outstanding: Option<i64>,
    /// The exception that exempts the party: an `unless` condition or another rule.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exempted_by: Option<String>,
    /// Facts left out of the case that decide this finding.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub depends_on: Vec<String>,
    /// Each condition that was considered, with the facts it read: for a
    /// finding that does not apply, the condition that failed. Empty (and
    /// absent in JSON) when the report's [`Explain`] level leaves the
    /// finding unexplained.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub explanation: Vec<Step>,
    /// For `violated` and `breached` findings of regulations that are not
    /// drafts, and for duties whose judgement timing needs review: the
    /// rule's penalties and their sanctions. A penalty appears once per
    /// version when the case gives no date for a continuing failure.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub penalties: Vec<PenaltyExposure>,
    /// Why the penalties' breach date is what it is: which fact gave it, or
    /// that the case gives none. Empty (absent in JSON) when no penalty is
    /// exposed.
    #[serde(skip_serializing_if = "String::is_empty", default)]
    pub breach_basis: String,
    /// The fines this finding exposes; all zero when it exposes none.
    pub exposure: Exposure,
    /// Caveats a reviewer must see: on the rule, and on the penalties,
    /// tiers and penalty links the finding reaches.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub review_notes: Vec<ReviewNote>,
}

/// What a review note is about. In JSON, `rule`, `penalty`, `tier` or `link`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoteAbout {
    /// The rule itself (`review` in the rule).
    Rule,
    /// A penalty, or the dated version applied (`review` in the penalty).
    Penalty,
    /// A tier of a penalty (`review` in the tier).
    Tier,
    /// The link from the rule to a penalty (`penalty p arguable "..."`).
    Link,
}

impl NoteAbout {
    /// What the note is about, in words.
    pub fn label(self) -> &'static str {
        match self {
            NoteAbout::Rule => "rule",
            NoteAbout::Penalty => "penalty",
            NoteAbout::Tier => "tier",
            NoteAbout::Link => "penalty link",
        }
    }
}

/// A caveat on a finding, from a `review` clause or an arguable penalty link.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("notes.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { data "The data." { resold_on: date? "When it was resold." } }
///     penalty p { cite "Art. 9" review "amount unverified" warning }
///     rule no_resale { cite "Art. 3" must not "resell the data" breached on data.resold_on
///                      penalty p arguable "Art. 9 names selling only by analogy" }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"data": {"resold_on": "2026-03-03"}}))?;
/// let finding = &policy.evaluate(&case, None).findings[0];
/// let notes: Vec<(deon::NoteAbout, &str)> =
///     finding.review_notes.iter().map(|n| (n.about, &*n.text)).collect();
/// assert_eq!(notes, [
///     (deon::NoteAbout::Link, "Art. 9 names selling only by analogy"),
///     (deon::NoteAbout::Penalty, "amount unverified"),
/// ]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewNote {
    /// The note as the policy writes it.
    pub text: Arc<str>,
    /// What it is about.
    pub about: NoteAbout,
    /// The penalty it concerns (notes on penalties, tiers and links).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub penalty: Option<String>,
    /// The tier it concerns (notes on tiers).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tier: Option<Arc<str>>,
    /// The note's `when` condition as written, if it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub condition: Option<Arc<str>>,
    /// Its condition reads facts the case leaves out: the note may not apply.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub condition_unknown: bool,
}

/// One condition of a rule and what it came to: an entry of a finding's
/// explanation.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let steps: Vec<(&str, &str)> = report.findings[0]
///     .explanation
///     .iter()
///     .map(|step| (&*step.clause, &*step.outcome))
///     .collect();
/// assert_eq!(steps, [
///     ("when", "true"),
///     ("within 2 days of", "2026-03-03"),
///     ("due", "2026-03-05"),
///     ("done on", "null"),
/// ]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// Which clause: `in force`, `applies to`, `when`, `unless`, `exception`, `due`, `done when`, `breached when`, `kept for`.
    pub clause: Arc<str>,
    /// The condition as written in the policy.
    pub condition: Arc<str>,
    /// `true`, `false`, `unknown`, or a value such as a date.
    pub outcome: Arc<str>,
    /// The facts the condition read, definitions included.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub facts: Vec<FactValue>,
}

/// A fact a condition read, and its value in the case.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let done_when = &report.findings[0].explanation[3];
/// assert_eq!(&*done_when.facts[0].fact, "report.filed_on");
/// assert_eq!(&*done_when.facts[0].value, "null");
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct FactValue {
    /// The fact's dotted path, e.g. `vulnerability.aware_on`.
    pub fact: Arc<str>,
    /// The value as the case gave it, `null`, or `unknown`.
    pub value: Arc<str>,
    /// The fact's description in the policy, which the text report shows
    /// before the path. Not part of the JSON (which names facts by path),
    /// so a report read back from JSON has none; two fact values are equal
    /// whatever their descriptions.
    #[serde(skip)]
    pub description: Option<Arc<str>>,
}

impl PartialEq for FactValue {
    fn eq(&self, other: &Self) -> bool {
        self.fact == other.fact && self.value == other.value
    }
}

impl Eq for FactValue {}

/// A penalty a violated or breached rule exposes, with each of its
/// sanctions.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let penalty = &report.findings[0].penalties[0];
/// assert_eq!(penalty.penalty, "late_filing");
/// assert_eq!(penalty.citations, ["Art. 9"]);
/// assert_eq!(penalty.version, None);
/// // The day after the last day to file.
/// assert_eq!(penalty.breach_date.to_string(), "2026-03-06");
/// assert_eq!(penalty.sanctions.len(), 2);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PenaltyExposure {
    /// The penalty's name.
    pub penalty: String,
    /// The penalty's `cite` lines (and those of the version applied).
    pub citations: Vec<String>,
    /// The dated version applied (the one in force on `breach_date`), if the penalty has versions.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub version: Option<String>,
    /// The date of the breach, which decides the version.
    pub breach_date: NaiveDate,
    /// The rule links to the penalty only arguably (`penalty p arguable
    /// "..."`), for this reason: its fines are possible, never certain.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub arguable: Option<Arc<str>>,
    /// The steps of the statute's scale (`tier`), in its order, and whether
    /// each is reached.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tiers: Vec<TierExposure>,
    /// Every sanction of the penalty (or of the version applied), in order,
    /// including those that do not apply.
    pub sanctions: Vec<SanctionExposure>,
}

/// A tier of a penalty: a step of the statute's scale, and whether the case
/// reaches it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierExposure {
    /// The tier's name, e.g. `on refusal to correct or harm`.
    pub name: Arc<str>,
    /// Its `when` condition as written, if it has one.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub condition: Option<Arc<str>>,
    /// `applies` when the case reaches it, `does_not_apply` when it does
    /// not, `possible` when that depends on facts the case leaves out.
    pub likelihood: Likelihood,
    /// For a tier the case reaches: the facts its condition read, with their
    /// values (what puts the case there: harm, an order to correct, a
    /// refusal). Absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub facts: Vec<FactValue>,
}

/// Whether a sanction's own condition holds.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// use deon::Likelihood;
///
/// let sanctions = &report.findings[0].penalties[0].sanctions;
/// assert!(sanctions.iter().all(|s| s.likelihood == Likelihood::Applies));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Likelihood {
    /// Its condition holds, or it has none.
    Applies,
    /// Its condition is false.
    DoesNotApply,
    /// Its condition reads facts the case leaves out.
    Possible,
}

/// One sanction of a penalty, and whether it applies to the case.
///
/// # Examples
///
/// The report of a filing due on 5 March and not done by the 10th:
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # penalty late_filing { cite "Art. 9" warning fine 1,000 to 10,000 CNY on the entity }
/// # rule file_report "File each report within two days." {
/// #   cite "Art. 1"
/// #   when report.received_on is set
/// #   must "file the report"
/// #   within 2 days of report.received_on
/// #   done on report.filed_on
/// #   penalty late_filing
/// # }
/// # "#)])?;
/// # let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// use deon::{LiableParty, SanctionKind};
///
/// let fine = &report.findings[0].penalties[0].sanctions[1];
/// assert_eq!(fine.sanction, SanctionKind::Fine { min: 1_000, max: 10_000, on: LiableParty::Entity });
/// assert_eq!(fine.description, "fine of 1,000 to 10,000 CNY on the entity");
/// assert!(!fine.discretionary);
/// assert_eq!(fine.condition, None);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SanctionExposure {
    /// The sanction.
    pub sanction: SanctionKind,
    /// The sanction in words, e.g. `fine of 50,000 to 500,000 CNY on the entity`.
    pub description: String,
    /// Whether its condition holds.
    pub likelihood: Likelihood,
    /// The authority may impose it but need not: never counted as certain.
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub discretionary: bool,
    /// The name of the tier it belongs to; none for the first step.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub tier: Option<Arc<str>>,
    /// Sanctions with the same number are alternatives: the authority
    /// imposes one of them (`one of { ... }`), so none is certain.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub choice: Option<u32>,
    /// The sanction's `when` condition as written, if it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}
