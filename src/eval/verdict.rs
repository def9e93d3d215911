//! A [`Verdict`]: one rule's finding read from a decision's records without
//! writing any text until asked.

use chrono::NaiveDate;

use super::decision::{Decision, Entry};
use crate::report::model::*;

/// One rule's finding in a [`Decision`], read without writing any text.
/// [`finding`](Verdict::finding) writes it out in full.
///
/// # Examples
///
/// ```
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report { cite "Art. 1" when report.received_on is set must "file the report"
///                        within 2 days of report.received_on done on report.filed_on }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let decision = policy.decide(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let verdict = decision.verdicts().next().unwrap();
///
/// assert_eq!(verdict.rule(), "file_report");
/// assert_eq!(verdict.citations(), ["Art. 1"]);
/// assert_eq!(verdict.status(), deon::Status::Violated);
/// assert_eq!((verdict.days_left(), verdict.days_overdue()), (None, Some(5)));
/// assert_eq!(verdict.summary(), "not done, and the due date 2026-03-05 passed 5 days ago");
/// assert_eq!(verdict.finding(), decision.report().findings[0]);
/// # Ok::<(), deon::Diagnostics>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct Verdict<'d> {
    pub(super) decision: &'d Decision<'d>,
    pub(super) entry: &'d Entry<'d>,
}

impl<'d> Verdict<'d> {
    fn rule_info(&self) -> &'d crate::check::ir::RuleInfo {
        &self.decision.program.rules[self.entry.rule as usize]
    }

    /// The rule's name.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.rule() == "no_exploitation"));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn rule(&self) -> &'d str {
        &self.rule_info().id
    }

    /// The rule's `cite` lines.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.citations().is_empty()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn citations(&self) -> &'d [String] {
        &self.rule_info().cites
    }

    /// What the rule means for the case.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.status().is_failure()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn status(&self) -> Status {
        self.entry.status
    }

    /// The last day to act, as in [`Finding::due`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.due().is_some()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn due(&self) -> Option<NaiveDate> {
        self.entry.due
    }

    /// Days until the due date of a pending finding.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| v.days_left().is_none() || v.status() == deon::Status::Pending));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn days_left(&self) -> Option<i64> {
        self.entry.days_left
    }

    /// Days past the due date, as in [`Finding::days_overdue`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().any(|v| v.days_overdue().is_some_and(|d| d > 0)));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn days_overdue(&self) -> Option<i64> {
        self.entry.days_overdue
    }

    /// The fines this finding exposes.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.case_from_file("examples/cases/provider_late_filing.yaml".as_ref())?;
    /// let decision = policy.decide(&case, None);
    /// let report = decision.report();
    /// assert!(decision.verdicts().zip(&report.findings).all(|(v, f)| v.exposure() == f.exposure));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn exposure(&self) -> Exposure {
        self.entry.exposure
    }

    /// The one-sentence reason, as in [`Finding::summary`].
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// assert!(decision.verdicts().all(|v| !v.summary().is_empty()));
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn summary(&self) -> String {
        self.decision.sentence(self.entry).to_string()
    }

    /// The finding written out in full, explanation and penalties included.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::load(["policies"])?;
    /// let case = policy.empty_case();
    /// let decision = policy.decide(&case, None);
    /// let first = decision.verdicts().next().unwrap().finding();
    /// assert_eq!(first, decision.report().findings[0]);
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn finding(&self) -> Finding {
        self.decision.finding(self.entry, &mut Vec::new())
    }
}
