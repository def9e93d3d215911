//! Policy tests: cases with the findings a lawyer expects, kept beside the
//! policies in `*.test.yaml` (or `.json`, `.toml`) files and run by `deon test`.
//!
//! A test file is a list of tests:
//!
//! ```yaml
//! - name: filing on the last day is on time
//!   as_of: 2025-03-20
//!   case:
//!     party: {roles: [product_provider], kind: organisation, active_in_mainland: true}
//!     vulnerability: {aware_on: 2025-03-10, filed_with_miit_on: 2025-03-12}
//!   expect:
//!     provider_file_with_miit: {status: satisfied, due: 2025-03-12}
//!     provider_repair: needs_review
//!   totals:
//!     entity: {min: 0, max: 500000}
//! ```
//!
//! A party's expected totals name any of `min` (the certain floor), `max`
//! (the possible ceiling), `certain_max`, `possible_min` and `escalated`
//! (see [`FineRange`]); only the keys given are compared.
//!
//! A rule's expectation may also list `review`: fragments of text, each of
//! which some review note on the finding must contain.
//!
//! Besides `status`, `due`, `days_left` and `days_overdue`, a rule's
//! expectation may list text its finding must show (`says`) or must not
//! (`never_says`), compared with the finding as `deon eval --verbose` prints
//! it, spacing ignored: a quoted duty, a penalty version and breach date, a
//! sanction shown as the regulator's option.
//!
//! [`test_files`] finds the test files, [`read_test_file`] (or
//! [`read_tests`], for text in memory) reads one against a policy,
//! [`run_test`] runs a test and [`render_outcome`] writes the outcome as
//! `deon test` does:
//!
//! ```
//! use deon::testing;
//!
//! let policy = deon::Policy::load(["policies"])?;
//! let files = testing::test_files(&["policies".into()]);
//! assert!(!files.is_empty());
//! for file in &files {
//!     for test in testing::read_test_file(&policy, file)? {
//!         let outcome = testing::run_test(&policy, &test);
//!         assert!(outcome.passed(), "{}", testing::render_outcome(&outcome));
//!     }
//! }
//! # Ok::<(), deon::Diagnostics>(())
//! ```

pub mod coverage;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::case::{self, CaseError, Format, Node, Tree};
use crate::check::error::suggest;
use crate::load;
use crate::report::{Exposure, FineRange, Report, Status};
use crate::source::{Source, Span};
use crate::{Diagnostics, Policy, Problem};

mod fines;
mod wording;

pub use fines::ExpectedFines;

/// What one test expects of one rule: the fields it names, each `None`
/// when the test leaves it out (and does not check it).
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// use deon::{testing::Expected, Status};
///
/// let (rule, expected) = &tests[1].expect[0];
/// assert_eq!(rule, "file_report");
/// assert_eq!(expected, &Expected {
///     status: Some(Status::Pending),
///     due: chrono::NaiveDate::from_ymd_opt(2026, 3, 5),
///     ..Default::default()
/// });
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Expected {
    /// The status expected.
    pub status: Option<Status>,
    /// The due date expected.
    pub due: Option<NaiveDate>,
    /// The days left expected.
    pub days_left: Option<i64>,
    /// The days overdue expected.
    pub days_overdue: Option<i64>,
    /// Text the finding must show, as `deon eval --verbose` prints it
    /// (spacing ignored): a quoted duty, a penalty version, a breach date.
    pub says: Vec<String>,
    /// Text the finding must not show.
    pub never_says: Vec<String>,
    /// Fragments of review notes the finding must carry: each must be in
    /// the text of one of its notes.
    pub review: Vec<String>,
}

/// One policy test, read from a test file: a case, the date to evaluate it
/// on, and what its findings should be.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// let test = &tests[0];
/// assert_eq!(test.name, "filed on the last day");
/// assert_eq!(test.location, "filing.test.yaml:2");
/// assert_eq!(test.as_of, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// assert_eq!(test.expect.len(), 1);
/// assert!(test.totals.is_empty());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug)]
pub struct PolicyTest {
    /// What the test shows, as its `name` says.
    pub name: String,
    /// Where the test starts, as `file:line`.
    pub location: String,
    /// The evaluation date; else the case's own `as_of`, else today.
    pub as_of: Option<NaiveDate>,
    case: crate::Case,
    /// Rule name → what the rule's finding should be, in the file's order.
    pub expect: Vec<(String, Expected)>,
    /// Liable party (`entity`, `person_in_charge`, `individual`) → the
    /// total fines expected.
    pub totals: Vec<(String, ExpectedFines)>,
}

/// A difference between what a test expects and what evaluation gave.
///
/// # Examples
///
/// ```
/// use deon::testing;
///
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// // The second test expects `pending`, but on 10 March the filing is overdue.
/// let outcome = testing::run_test(&policy, &tests[1]);
/// let mismatch = &outcome.mismatches[0];
/// assert_eq!((mismatch.rule.as_str(), mismatch.field.as_str()), ("file_report", "status"));
/// assert_eq!(mismatch.expected, "pending");
/// assert!(mismatch.actual.starts_with("violated ("));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Mismatch {
    /// The rule concerned, or `totals`.
    pub rule: String,
    /// What differs: `status`, `due`, `days_left`, `days_overdue`, or for
    /// totals the liable party.
    pub field: String,
    /// What the test expects.
    pub expected: String,
    /// What evaluation gave.
    pub actual: String,
}

/// What running one test found.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// let outcome = deon::testing::run_test(&policy, &tests[0]);
/// assert_eq!(outcome.name, "filed on the last day");
/// assert_eq!(outcome.location, "filing.test.yaml:2");
/// assert!(outcome.mismatches.is_empty());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Debug, Serialize)]
pub struct TestOutcome {
    /// The test's name.
    pub name: String,
    /// Where the test starts, as `file:line`.
    pub location: String,
    /// Everything that differs from what the test expects; empty when it
    /// passed.
    pub mismatches: Vec<Mismatch>,
}

impl TestOutcome {
    /// Whether the findings were as the test expects.
    ///
    /// # Examples
    ///
    /// ```
    /// # let policy = deon::Policy::from_sources([("filing.deon", r#"
    /// # regulation example { title "An example" status in force effective from 2021-09-01 }
    /// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
    /// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
    /// #   within 2 days of report.received_on done on report.filed_on }
    /// # "#)])?;
    /// # let text = "
    /// # - name: filed on the last day
    /// #   as_of: 2026-03-10
    /// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
    /// #   expect: {file_report: satisfied}
    /// # - name: not filed
    /// #   as_of: 2026-03-10
    /// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
    /// #   expect: {file_report: {status: pending, due: 2026-03-05}}
    /// # ";
    /// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
    /// assert!(deon::testing::run_test(&policy, &tests[0]).passed());
    /// assert!(!deon::testing::run_test(&policy, &tests[1]).passed());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Every test file (`*.test.yaml`, `*.test.yml`, `*.test.json`,
/// `*.test.toml`) under the paths (files or folders), in sorted order,
/// skipping hidden entries.
///
/// # Examples
///
/// ```
/// let files = deon::testing::test_files(&["policies".into()]);
/// assert!(files.iter().all(|f| f.to_string_lossy().contains(".test.")));
/// ```
pub fn test_files(paths: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for path in paths {
        if path.is_dir() {
            out.extend(load::files_under(path, 32, is_test_file).unwrap_or_default());
        } else if is_test_file(path) {
            out.push(path.clone());
        }
    }
    out.sort();
    load::dedup_files(&mut out);
    out
}

fn is_test_file(path: &Path) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    [".test.yaml", ".test.yml", ".test.json", ".test.toml"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

/// Reads the tests in one test file, choosing the format by its extension
/// as [`read_tests`] does. Files over 64 MiB, or not UTF-8, are refused.
///
/// # Examples
///
/// ```
/// use std::path::Path;
///
/// let policy = deon::Policy::load(["tests/fixtures/policy-tests"])?;
/// let tests = deon::testing::read_test_file(&policy, Path::new("tests/fixtures/policy-tests/wrong.test.yaml"))?;
/// assert_eq!(tests[0].location, "tests/fixtures/policy-tests/wrong.test.yaml:2");
/// assert!(deon::testing::read_test_file(&policy, Path::new("no/such.test.yaml")).is_err());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn read_test_file(policy: &Policy, path: &Path) -> Result<Vec<PolicyTest>, Diagnostics> {
    let source = load::read_text(path, policy.limits().case_file_bytes)
        .map_err(|e| Diagnostics::from(vec![Problem::Load(e)]))?;
    read_source(policy, &source)
}

/// Reads the tests in a test file's text, checking every case against the
/// policy and every rule name against its rules. `name` names the text in
/// diagnostics and locations, and its extension chooses the format (see
/// [`Format::from_path`](crate::Format::from_path)).
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("rule.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { records "The records." { kept: bool "Records are kept." } }
///     rule keep_records { cite "Art. 2" must "keep records" done when records.kept }
/// "#)])?;
/// let text = "- name: records not kept\n  case: {records: {kept: false}}\n  expect: {keep_records: violated}\n";
/// let tests = deon::testing::read_tests(&policy, "rule.test.yaml", text)?;
/// assert_eq!(tests.len(), 1);
///
/// let misspelt = "- name: a typo\n  case: {}\n  expect: {keep_record: violated}\n";
/// assert!(deon::testing::read_tests(&policy, "rule.test.yaml", misspelt).is_err());
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn read_tests(policy: &Policy, name: &str, text: &str) -> Result<Vec<PolicyTest>, Diagnostics> {
    read_source(policy, &Source::new(name, text))
}

fn read_source(policy: &Policy, source: &Source) -> Result<Vec<PolicyTest>, Diagnostics> {
    let format = Format::from_path(&source.name);
    let tree =
        case::parse_tree(source, format).map_err(|e| Diagnostics::from(vec![Problem::Case(*e)]))?;
    let mut reader = Reader {
        policy,
        source,
        errors: Vec::new(),
    };
    let items: Vec<&Tree> = match &tree.node {
        Node::List(items) => items.iter().collect(),
        Node::Map(entries) => match entries.iter().find(|(k, _, _)| k == "tests") {
            Some((
                _,
                _,
                Tree {
                    node: Node::List(items),
                    ..
                },
            )) => items.iter().collect(),
            _ => {
                reader.error(
                    tree.span,
                    "a test file is a list of tests",
                    "expected a list",
                    "start each test with `- name: ...` (in TOML, use [[tests]] tables)",
                );
                Vec::new()
            }
        },
        _ => {
            reader.error(
                tree.span,
                "a test file is a list of tests",
                "expected a list",
                "start each test with `- name: ...`",
            );
            Vec::new()
        }
    };
    let tests: Vec<PolicyTest> = items
        .into_iter()
        .filter_map(|item| reader.test(item))
        .collect();
    if reader.errors.is_empty() {
        Ok(tests)
    } else {
        Err(reader
            .errors
            .into_iter()
            .map(Problem::Case)
            .collect::<Vec<_>>()
            .into())
    }
}

const EXPECTATION_KEYS: [&str; 7] = [
    "status",
    "due",
    "days_left",
    "days_overdue",
    "says",
    "never_says",
    "review",
];

struct Reader<'a> {
    policy: &'a Policy,
    source: &'a Source,
    errors: Vec<CaseError>,
}

impl Reader<'_> {
    fn error(&mut self, span: Span, message: &str, label: &str, help: &str) {
        let help = (!help.is_empty()).then(|| help.to_string());
        self.errors.push(case::problem(
            "deon::test::invalid",
            self.source,
            span,
            message,
            label,
            help,
        ));
    }

    fn date(&mut self, tree: &Tree, what: &str) -> Option<NaiveDate> {
        let parsed = match &tree.node {
            Node::Date(d) => Some(*d),
            Node::Str(s) => crate::case::strict_date(s),
            _ => None,
        };
        if parsed.is_none() {
            self.error(
                tree.span,
                &format!("{what} should be a date written YYYY-MM-DD"),
                "not a date",
                "e.g. 2025-03-12",
            );
        }
        parsed
    }

    fn int(&mut self, tree: &Tree, what: &str) -> Option<i64> {
        match tree.node {
            Node::Int(i) => Some(i),
            _ => {
                self.error(
                    tree.span,
                    &format!("{what} should be a whole number"),
                    "not a number",
                    "",
                );
                None
            }
        }
    }

    /// One text or a list of texts.
    fn texts(&mut self, tree: &Tree, what: &str) -> Vec<String> {
        let items: Vec<&Tree> = match &tree.node {
            Node::List(items) => items.iter().collect(),
            _ => vec![tree],
        };
        let mut out = Vec::new();
        for item in items {
            match &item.node {
                Node::Str(s) if !s.trim().is_empty() => out.push(wording::squeeze(s)),
                _ => self.error(
                    item.span,
                    &format!("{what} lists the text a finding shows"),
                    "not text",
                    "e.g. `says: [immediately, in a timely manner]`",
                ),
            }
        }
        out
    }

    fn status(&mut self, tree: &Tree) -> Option<Status> {
        let Node::Str(text) = &tree.node else {
            self.error(
                tree.span,
                "a status is a word such as violated or pending",
                "not a status",
                "",
            );
            return None;
        };
        let status = Status::from_key(text);
        if status.is_none() {
            let keys: Vec<&str> = Status::ALL.iter().map(|s| s.key()).collect();
            let hint = suggest(text, keys.iter().copied())
                .unwrap_or_else(|| format!("the statuses are {}", keys.join(", ")));
            self.error(
                tree.span,
                &format!("`{text}` is not a status"),
                "unknown status",
                &hint,
            );
        }
        status
    }

    fn test(&mut self, item: &Tree) -> Option<PolicyTest> {
        let Node::Map(entries) = &item.node else {
            self.error(
                item.span,
                "each test is a group of keys: name, case, expect",
                "expected keys",
                "",
            );
            return None;
        };
        let (line, _) = self.source.line_col(item.span.start);
        let location = format!("{}:{line}", self.source.name);
        let mut name = None;
        let mut as_of = None;
        let mut facts = None;
        let mut expect = Vec::new();
        let mut totals = Vec::new();
        let mut ok = true;
        for (key, key_span, value) in entries {
            match key.as_str() {
                "name" => match &value.node {
                    Node::Str(s) => name = Some(s.clone()),
                    _ => self.error(value.span, "a test's name is text", "not text", ""),
                },
                "as_of" => as_of = self.date(value, "as_of"),
                "case" => match case::from_tree(self.policy.program(), self.source, value) {
                    Ok(f) => facts = Some(f),
                    Err(errors) => {
                        ok = false;
                        self.errors.extend(errors);
                    }
                },
                "expect" => expect = self.expectations(value),
                "totals" => totals = self.totals(value),
                other => {
                    let hint = suggest(other, ["name", "as_of", "case", "expect", "totals"])
                        .unwrap_or_else(|| {
                            "a test has name, as_of, case, expect and totals".into()
                        });
                    self.error(
                        *key_span,
                        &format!("unknown key `{other}` in a test"),
                        "unknown key",
                        &hint,
                    );
                }
            }
        }
        let Some(name) = name else {
            self.error(
                item.span,
                "this test has no name",
                "unnamed test",
                "add `name: <what the test shows>`",
            );
            return None;
        };
        let facts = match facts {
            Some(f) => f,
            None if ok => {
                self.error(
                    item.span,
                    &format!("test \"{name}\" has no case"),
                    "no case",
                    "add `case:` with the facts",
                );
                return None;
            }
            None => return None,
        };
        if expect.is_empty() && totals.is_empty() {
            self.error(
                item.span,
                &format!("test \"{name}\" expects nothing"),
                "no expectations",
                "add `expect:` with rule ids and statuses",
            );
            return None;
        }
        Some(PolicyTest {
            name,
            location,
            as_of,
            case: crate::Case::from_facts(facts),
            expect,
            totals,
        })
    }

    fn expectations(&mut self, tree: &Tree) -> Vec<(String, Expected)> {
        let Node::Map(entries) = &tree.node else {
            self.error(
                tree.span,
                "`expect` maps rule ids to statuses",
                "expected keys",
                "e.g. `provider_file_with_miit: violated`",
            );
            return Vec::new();
        };
        let program = self.policy.program();
        let mut out = Vec::new();
        for (rule, rule_span, value) in entries {
            if !program.rules.iter().any(|r| *r.id == **rule) {
                let ids: Vec<&str> = program.rules.iter().map(|r| r.id.as_ref()).collect();
                let hint = suggest(rule, ids).unwrap_or_default();
                self.error(
                    *rule_span,
                    &format!("no rule is called `{rule}`"),
                    "unknown rule",
                    &hint,
                );
                continue;
            }
            let mut expected = Expected::default();
            match &value.node {
                Node::Str(_) => expected.status = self.status(value),
                Node::Map(fields) => {
                    for (field, field_span, v) in fields {
                        match field.as_str() {
                            "status" => expected.status = self.status(v),
                            "due" => expected.due = self.date(v, "due"),
                            "days_left" => expected.days_left = self.int(v, "days_left"),
                            "days_overdue" => expected.days_overdue = self.int(v, "days_overdue"),
                            "says" => expected.says = self.texts(v, "says"),
                            "never_says" => expected.never_says = self.texts(v, "never_says"),
                            "review" => expected.review = self.texts(v, "review"),
                            other => {
                                let hint = suggest(other, EXPECTATION_KEYS).unwrap_or_default();
                                self.error(
                                    *field_span,
                                    &format!("unknown expectation `{other}`"),
                                    "unknown key",
                                    &hint,
                                );
                            }
                        }
                    }
                }
                _ => self.error(
                    value.span,
                    "expect a status, or a group with status, due, days_left, days_overdue, says, never_says, review",
                    "unexpected value",
                    "",
                ),
            }
            out.push((rule.clone(), expected));
        }
        out
    }

    fn totals(&mut self, tree: &Tree) -> Vec<(String, ExpectedFines)> {
        let Node::Map(entries) = &tree.node else {
            self.error(
                tree.span,
                "`totals` maps entity, person_in_charge and individual to {min, max}",
                "expected keys",
                "",
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for (who, who_span, value) in entries {
            if !matches!(who.as_str(), "entity" | "person_in_charge" | "individual") {
                self.error(
                    *who_span,
                    &format!("`{who}` is not a party fines fall on"),
                    "unknown party",
                    "use entity, person_in_charge or individual",
                );
                continue;
            }
            let mut range = ExpectedFines::default();
            if let Node::Map(fields) = &value.node {
                for (field, field_span, v) in fields {
                    let part = match field.as_str() {
                        "min" => &mut range.min,
                        "max" => &mut range.max,
                        "certain_max" => &mut range.certain_max,
                        "possible_min" => &mut range.possible_min,
                        "escalated" => &mut range.escalated,
                        other => {
                            let keys = ["min", "max", "certain_max", "possible_min", "escalated"];
                            let hint = suggest(other, keys).unwrap_or_else(|| {
                                "use min, max, certain_max, possible_min or escalated".into()
                            });
                            self.error(
                                *field_span,
                                &format!("a fine range has no `{other}`"),
                                "unknown key",
                                &hint,
                            );
                            continue;
                        }
                    };
                    *part = Some(self.int(v, field).unwrap_or(0));
                }
            } else {
                self.error(
                    value.span,
                    "a fine range is {min: ..., max: ...}",
                    "expected keys",
                    "",
                );
            }
            out.push((who.clone(), range));
        }
        out
    }
}

/// Runs one test and lists what differs.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// let outcomes: Vec<bool> = tests.iter().map(|t| deon::testing::run_test(&policy, t).passed()).collect();
/// assert_eq!(outcomes, [true, false]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn run_test(policy: &Policy, test: &PolicyTest) -> TestOutcome {
    check_report(&evaluate_test(policy, test), test)
}

/// The report of a test's case on its date, as [`run_test`] compares it
/// (for coverage, see [`coverage`]).
pub fn evaluate_test(policy: &Policy, test: &PolicyTest) -> Report {
    policy.evaluate(&test.case, test.as_of)
}

/// Compares a report of the test's case with what the test expects.
pub fn check_report(report: &Report, test: &PolicyTest) -> TestOutcome {
    TestOutcome {
        name: test.name.clone(),
        location: test.location.clone(),
        mismatches: compare(report, test),
    }
}

fn compare(report: &Report, test: &PolicyTest) -> Vec<Mismatch> {
    let mut out = Vec::new();
    let show = |d: Option<NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
    let show_n = |n: Option<i64>| n.map_or("none".to_string(), |n| n.to_string());
    for (rule, expected) in &test.expect {
        let Some(found) = report.findings.iter().find(|f| *f.rule == **rule) else {
            continue;
        };
        let mut push = |field: &str, e: String, a: String| {
            if e != a {
                out.push(Mismatch {
                    rule: rule.clone(),
                    field: field.into(),
                    expected: e,
                    actual: a,
                });
            }
        };
        if let Some(status) = expected.status {
            if status != found.status {
                push(
                    "status",
                    status.key().into(),
                    format!("{} ({})", found.status.key(), found.summary),
                );
            }
        }
        if expected.due.is_some() {
            push("due", show(expected.due), show(found.due));
        }
        if expected.days_left.is_some() {
            push(
                "days_left",
                show_n(expected.days_left),
                show_n(found.days_left),
            );
        }
        if expected.days_overdue.is_some() {
            push(
                "days_overdue",
                show_n(expected.days_overdue),
                show_n(found.days_overdue),
            );
        }
        for text in &expected.review {
            let noted = found
                .review_notes
                .iter()
                .any(|note| wording::squeeze(&note.text).contains(text.as_str()));
            if !noted {
                let notes: Vec<&str> = found.review_notes.iter().map(|n| &*n.text).collect();
                let actual = if notes.is_empty() {
                    "no review notes".to_string()
                } else {
                    notes.join(" | ")
                };
                push("review", text.clone(), actual);
            }
        }
        if !expected.says.is_empty() || !expected.never_says.is_empty() {
            let words = wording::finding_words(report, found);
            for text in &expected.says {
                if !words.contains(text.as_str()) {
                    push("says", text.clone(), words.clone());
                }
            }
            for text in &expected.never_says {
                if words.contains(text.as_str()) {
                    push("never_says", format!("no \"{text}\""), words.clone());
                }
            }
        }
    }
    for (who, range) in &test.totals {
        let actual = pick(&report.totals, who);
        if !range.matches(actual) {
            out.push(Mismatch {
                rule: "totals".into(),
                field: who.clone(),
                expected: range.show(actual, false),
                actual: range.show(actual, true),
            });
        }
    }
    out
}

fn pick(exposure: &Exposure, who: &str) -> FineRange {
    match who {
        "person_in_charge" => exposure.person_in_charge,
        "individual" => exposure.individual,
        _ => exposure.entity,
    }
}

/// The outcome of a test as text: `ok` or `FAILED` with expected and actual values.
///
/// # Examples
///
/// ```
/// # let policy = deon::Policy::from_sources([("filing.deon", r#"
/// # regulation example { title "An example" status in force effective from 2021-09-01 }
/// # facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
/// # rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
/// #   within 2 days of report.received_on done on report.filed_on }
/// # "#)])?;
/// # let text = "
/// # - name: filed on the last day
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: 2026-03-05}}
/// #   expect: {file_report: satisfied}
/// # - name: not filed
/// #   as_of: 2026-03-10
/// #   case: {report: {received_on: 2026-03-03, filed_on: null}}
/// #   expect: {file_report: {status: pending, due: 2026-03-05}}
/// # ";
/// # let tests = deon::testing::read_tests(&policy, "filing.test.yaml", text)?;
/// use deon::testing::{render_outcome, run_test};
///
/// assert_eq!(render_outcome(&run_test(&policy, &tests[0])), "ok      filed on the last day\n");
/// assert!(render_outcome(&run_test(&policy, &tests[1])).starts_with("FAILED  not filed (filing.test.yaml:6)\n"));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn render_outcome(outcome: &TestOutcome) -> String {
    if outcome.passed() {
        return format!("ok      {}\n", outcome.name);
    }
    let mut out = format!("FAILED  {} ({})\n", outcome.name, outcome.location);
    for m in &outcome.mismatches {
        out.push_str(&format!(
            "        {} {}:\n        - expected: {}\n        + actual:   {}\n",
            m.rule, m.field, m.expected, m.actual
        ));
    }
    out
}
