//! The report as text for people: grouped by status, most urgent first,
//! each finding with its reasons, citation and exposure.
//!
//! ```
//! let policy = deon::Policy::load(["policies"])?;
//! let report = policy.evaluate(&policy.empty_case(), chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
//! print!("{}", deon::report::human::render(&report, Default::default()));
//! # Ok::<(), deon::Diagnostics>(())
//! ```

use std::fmt::Write as _;

use super::model::*;
use crate::syntax::ast::RegulationStatus;
use crate::value::format_amount;

/// How to render: colours on a terminal, plain elsewhere.
///
/// # Examples
///
/// ```
/// use deon::report::human::Options;
///
/// let plain = Options::default();
/// assert!(!plain.color && !plain.verbose && plain.width.is_none());
/// let terminal = Options { color: true, verbose: false, width: Some(80) };
/// # let _ = terminal;
/// ```
#[derive(Clone, Copy, Debug, Default)]
pub struct Options {
    /// Colour the text with ANSI escapes.
    pub color: bool,
    /// Show the explanation of every finding, not only those that need action.
    pub verbose: bool,
    /// Wrap every line to this many columns (a terminal's width), counting
    /// display width: a Chinese character takes two. `None` leaves lines
    /// whole (lists of names still wrap at 90), which suits pipes and files.
    pub width: Option<usize>,
}

/// ANSI styling, or none.
#[derive(Clone, Copy)]
pub(crate) struct Paint {
    pub on: bool,
}

impl Paint {
    fn wrap(self, code: &str, text: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(self, text: &str) -> String {
        self.wrap("1", text)
    }

    pub fn dim(self, text: &str) -> String {
        self.wrap("2", text)
    }

    pub fn status(self, status: Status, text: &str) -> String {
        let code = match status {
            Status::Violated | Status::Breached => "1;31",
            Status::Pending | Status::NeedsReview => "1;33",
            Status::Conditional => "1;36",
            Status::Satisfied | Status::Respected => "1;32",
            _ => "1;2",
        };
        self.wrap(code, text)
    }
}

/// Words wrapped to `width` columns, continuation lines indented.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    crate::text::wrap(text, width, indent)
}

fn marker(status: Status) -> &'static str {
    match status {
        Status::Violated | Status::Breached => "✗",
        Status::Pending | Status::NeedsReview => "!",
        Status::Conditional => "?",
        Status::Satisfied | Status::Respected => "✓",
        _ => "·",
    }
}

fn detailed(status: Status) -> bool {
    matches!(
        status,
        Status::Violated
            | Status::Breached
            | Status::Pending
            | Status::NeedsReview
            | Status::Conditional
            | Status::Exempt
    )
}

/// The report as text: a header per regulation, then the findings grouped by
/// status, most urgent first, each that needs attention (or, with
/// `verbose`, every one) explained with its conditions, citation and
/// exposure. This is what `deon eval` prints.
///
/// # Examples
///
/// ```
/// use deon::report::human::{render, Options};
///
/// let policy = deon::Policy::from_sources([("filing.deon", r#"
///     regulation example { title "An example" status in force effective from 2021-09-01 }
///     facts { report "The report." { received_on: date? "When it arrived." filed_on: date? "When it was filed." } }
///     rule file_report {
///       cite "Art. 1"
///       when report.received_on is set
///       must "file the report"
///       within 2 days of report.received_on
///       done on report.filed_on
///     }
/// "#)])?;
/// let case = policy.case_from_json(&serde_json::json!({"report": {"received_on": "2026-03-03", "filed_on": null}}))?;
/// let report = policy.evaluate(&case, chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
/// let text = render(&report, Options::default());
/// assert!(text.starts_with("Findings as of 2026-03-10"));
/// assert!(text.contains("file_report"));
/// assert!(!text.contains('\x1b'));
/// # Ok::<(), deon::Diagnostics>(())
/// ```
pub fn render(report: &Report, options: Options) -> String {
    // Text from policies and cases may hold control characters. The plain
    // rendering shows whether it does: if so, it is shown escaped and
    // uncoloured (our own colour escapes cannot be told apart from the
    // input's once mixed); otherwise the coloured rendering carries no
    // control character but ours.
    let plain = render_painted(
        report,
        Options {
            color: false,
            ..options
        },
    );
    match super::escape_controls(&plain) {
        std::borrow::Cow::Borrowed(_) if options.color => render_painted(report, options),
        std::borrow::Cow::Borrowed(_) => plain,
        std::borrow::Cow::Owned(escaped) => escaped,
    }
}

fn render_painted(report: &Report, options: Options) -> String {
    let paint = Paint { on: options.color };
    // Lists of names fill the width (less the two columns before them).
    let list_width = options.width.map_or(90, |w| w.saturating_sub(2));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        paint.bold(&format!("Findings as of {}", report.as_of))
    );
    for regulation in &report.regulations {
        let state = match (regulation.status, regulation.in_force, regulation.effective) {
            (RegulationStatus::Draft, _, _) => {
                "DRAFT, not in force: its findings say what it would require and expose no penalty"
                    .to_string()
            }
            (_, true, Some(e)) => format!("in force since {e}"),
            (RegulationStatus::Repealed, _, _) => "repealed".to_string(),
            (_, false, Some(e)) => format!("not in force until {e}"),
            _ => "not in force".to_string(),
        };
        let _ = writeln!(
            out,
            "  {} {}{} ({state})",
            paint.bold(&regulation.id),
            regulation.title,
            other_titles(regulation)
        );
    }
    // Findings under a draft say what it would require; they are kept
    // apart from the binding ones so no one reads them as duties.
    let (drafts, binding): (Vec<&Finding>, Vec<&Finding>) = report
        .findings
        .iter()
        .partition(|f| f.regulation_status == RegulationStatus::Draft);
    status_groups(&mut out, &binding, paint, options, list_width);
    if !drafts.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            paint.bold(&format!(
                "UNDER DRAFT REGULATIONS ({}): not in force; what they would require, exposing no penalty",
                drafts.len()
            ))
        );
        status_groups(&mut out, &drafts, paint, options, list_width);
    }
    let _ = writeln!(out);
    if report.totals.is_zero() {
        let _ = writeln!(out, "{}", paint.bold("No fines exposed."));
    } else {
        let _ = writeln!(
            out,
            "{}",
            paint
                .bold("Fines at stake for all findings together (each penalty counted once, at its highest):")
        );
        exposure_lines(&mut out, &report.totals, "  ");
    }
    if !report.unknown_facts.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.bold("Facts the case leaves out that would decide conditional findings:")
        );
        let _ = writeln!(
            out,
            "  {}",
            wrap(&report.unknown_facts.join(", "), list_width, "  ")
        );
    }
    match options.width {
        Some(width) => crate::text::wrap_lines(&out, width),
        None => out,
    }
}

/// Findings grouped by status, most urgent first.
fn status_groups(
    out: &mut String,
    findings: &[&Finding],
    paint: Paint,
    options: Options,
    list_width: usize,
) {
    for status in Status::ALL {
        let group: Vec<&Finding> = findings
            .iter()
            .copied()
            .filter(|f| f.status == status)
            .collect();
        if group.is_empty() {
            continue;
        }
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}",
            paint.status(
                status,
                &format!("{} ({})", status.label().to_uppercase(), group.len())
            )
        );
        if matches!(status, Status::NotApplicable | Status::NotInForce) && !options.verbose {
            let names: Vec<&str> = group.iter().map(|f| &*f.rule).collect();
            let _ = writeln!(
                out,
                "  {}",
                paint.dim(&wrap(&names.join(", "), list_width, "  "))
            );
            continue;
        }
        for finding in group {
            finding_text(out, finding, &paint, options.verbose || detailed(status));
        }
    }
}

/// A regulation's titles in other languages, beside its main title: a
/// Chinese one in book-title marks, as Chinese writes titles.
fn other_titles(regulation: &RegulationSummary) -> String {
    let mut out = String::new();
    for other in &regulation.other_titles {
        let marked = other.title.starts_with('《');
        if other.language == "zh" && !marked {
            let _ = write!(out, " 《{}》", other.title);
        } else {
            let _ = write!(out, " / {}", other.title);
        }
    }
    out
}

fn finding_text(out: &mut String, f: &Finding, paint: &Paint, explain: bool) {
    let draft = if f.regulation_status == RegulationStatus::Draft {
        " [draft]"
    } else {
        ""
    };
    let _ = writeln!(
        out,
        "  {} {} {}{}",
        paint.status(f.status, marker(f.status)),
        paint.bold(&f.rule),
        paint.dim(&format!("— {} ({})", f.citations.join("; "), f.regulation)),
        draft
    );
    let _ = writeln!(out, "    {} \"{}\"", f.modality_words(), f.action);
    let _ = writeln!(out, "    {}", f.summary);
    // Caveats are shown whether or not the finding is explained.
    for note in &f.review_notes {
        let _ = writeln!(out, "    {} {}", paint.bold("review:"), note_line(note));
    }
    if !explain {
        return;
    }
    if let Some(by) = &f.exempted_by {
        let _ = writeln!(out, "    exempted by: {by}");
    }
    if !f.explanation.is_empty() {
        let _ = writeln!(out, "    {}", paint.dim("because:"));
        for step in &f.explanation {
            let _ = writeln!(
                out,
                "      {}: {} → {}",
                step.clause, step.condition, step.outcome
            );
            // Each fact it read, by its description, on a line of its own.
            for fv in &step.facts {
                let _ = writeln!(
                    out,
                    "        {}",
                    paint.dim(&format!("{} = {}", fact_name(fv), fv.value))
                );
            }
        }
    }
    sanction_lines(out, f, *paint, "    ");
    if !f.exposure.is_zero() {
        let _ = writeln!(out, "    {}", paint.dim("fines exposed:"));
        exposure_lines(out, &f.exposure, "      ");
    }
}

/// A fact as a reader knows it: its description, with the path in brackets.
pub(crate) fn fact_name(fv: &FactValue) -> String {
    match fv
        .description
        .as_deref()
        .map(|d| d.trim().trim_end_matches('.'))
    {
        Some(description) if !description.is_empty() => format!("{description} [{}]", fv.fact),
        _ => fv.fact.to_string(),
    }
}

/// What a failing finding risks: how long a duty only a reviewer can time
/// has been outstanding, what aggravates it, each penalty, and where the
/// breach date comes from. The report and the REPL's `show` both print it.
pub(crate) fn sanction_lines(out: &mut String, f: &Finding, paint: Paint, indent: &str) {
    if let Some(days) = f.days_outstanding {
        let unit = if days == 1 { "day" } else { "days" };
        let _ = writeln!(
            out,
            "{indent}outstanding for {days} {unit}; any fine is possible, for a reviewer to judge"
        );
    }
    let aggravating = aggravating(f);
    if !aggravating.is_empty() {
        let _ = writeln!(out, "{indent}aggravating: {}", aggravating.join("; "));
    }
    penalty_lines(out, f, paint, indent);
    if !f.breach_basis.is_empty() {
        let _ = writeln!(
            out,
            "{indent}{} {}",
            paint.dim("breach date from:"),
            f.breach_basis
        );
    }
}

/// Each penalty a finding exposes, and its sanctions one level deeper.
pub(crate) fn penalty_lines(out: &mut String, f: &Finding, paint: Paint, indent: &str) {
    // A judgement timing makes every sanction possible, whatever its
    // condition: the words must not suggest the condition is in doubt.
    let judged = f.status == Status::NeedsReview;
    for penalty in &f.penalties {
        let _ = writeln!(
            out,
            "{indent}{} {} {}",
            paint.dim("penalty"),
            paint.bold(&penalty.penalty),
            paint.dim(&penalty_source(penalty))
        );
        if let Some(why) = &penalty.arguable {
            let _ = writeln!(
                out,
                "{indent}  {} {why}",
                paint.bold("possible, needs review: the link to this penalty is arguable:")
            );
        }
        for s in &penalty.sanctions {
            let review = judged || penalty.arguable.is_some();
            let _ = writeln!(out, "{indent}  - {}", sanction_line(penalty, s, review));
        }
    }
}

/// Where a penalty comes from: its citations, the breach date, and for a
/// penalty with dated versions the version that date chose.
fn penalty_source(penalty: &PenaltyExposure) -> String {
    let citations = penalty.citations.join("; ");
    match &penalty.version {
        Some(version) => format!(
            "({citations}; version \"{version}\", for a breach on {})",
            penalty.breach_date
        ),
        None => format!("({citations}; breach on {})", penalty.breach_date),
    }
}

/// A review note, with what it is about.
pub(crate) fn note_line(note: &ReviewNote) -> String {
    let about = match (&note.penalty, &note.tier) {
        (Some(penalty), Some(tier)) => format!("tier \"{tier}\" of penalty {penalty}"),
        (Some(penalty), None) => format!("{} {penalty}", note.about.label()),
        _ => note.about.label().to_string(),
    };
    let condition = match (&note.condition, note.condition_unknown) {
        (Some(c), true) => format!(", if {c}"),
        _ => String::new(),
    };
    format!("{} ({about}{condition})", note.text)
}

/// One sanction in words, with whether its condition (and its tier's) holds.
fn sanction_line(penalty: &PenaltyExposure, s: &SanctionExposure, review: bool) -> String {
    let tier = s
        .tier
        .as_ref()
        .and_then(|name| penalty.tiers.iter().find(|t| &t.name == name));
    // The authority's discretion is a likelihood, never a sanction that applies.
    let may = match (s.choice, s.discretionary) {
        (Some(group), true) => format!("regulator's options, may, one of choice {group}: "),
        (Some(group), false) => format!("regulator's options, one of choice {group}: "),
        (None, true) => "regulator's option, may: ".to_string(),
        (None, false) => String::new(),
    };
    let may = match &s.tier {
        Some(tier) => format!("[{tier}] {may}"),
        None => may,
    };
    let when = match (tier, &s.condition, s.likelihood) {
        (Some(t), _, Likelihood::DoesNotApply) if t.likelihood == Likelihood::DoesNotApply => {
            match &t.condition {
                Some(c) => format!(" — not imposed: the tier is not reached ({c} does not hold)"),
                None => " — not imposed: the tier is not reached".to_string(),
            }
        }
        (Some(t), _, Likelihood::Possible) if t.likelihood == Likelihood::Possible => {
            match &t.condition {
                Some(c) => format!(" — if the tier is reached ({c})"),
                None => " — if the tier is reached".to_string(),
            }
        }
        (_, None, _) => String::new(),
        (_, Some(c), Likelihood::Possible) if review => {
            format!(" — possible, needs review (its condition: {c})")
        }
        // An option is possible whether or not its condition holds: say
        // the condition, not that it decides.
        (_, Some(c), Likelihood::Possible) if s.discretionary || s.choice.is_some() => {
            format!(" — possible (its condition: {c})")
        }
        (_, Some(c), Likelihood::Applies) => format!(" — applies: {c}"),
        (_, Some(c), Likelihood::DoesNotApply) => format!(" — not imposed: {c} does not hold"),
        (_, Some(c), Likelihood::Possible) => format!(" — if {c}"),
    };
    format!("{may}{}{when}", s.description)
}

fn exposure_lines(out: &mut String, e: &Exposure, indent: &str) {
    for (party, range) in e.parties() {
        if !range.is_zero() {
            let _ = writeln!(out, "{indent}{}: {}", party.label(), range_words(range));
        }
    }
}

/// A party's fines in words, certain, possible and if escalated kept apart:
/// `none certain; possibly 50,000 to 500,000 CNY; up to 10,000,000 CNY if
/// escalated`. Never "0 to N" when the possible fines have a floor.
pub(crate) fn range_words(r: FineRange) -> String {
    let span = |low: i64, high: i64| match (low, high) {
        (0, high) => format!("up to {} CNY", format_amount(high)),
        (low, high) if low == high => format!("{} CNY", format_amount(low)),
        (low, high) => format!("{} to {} CNY", format_amount(low), format_amount(high)),
    };
    let mut parts = Vec::new();
    if r.has_certain() {
        parts.push(format!("{} certain", span(r.min, r.certain_max.max(r.min))));
        if r.max > r.certain_max {
            parts.push(format!("possibly up to {} CNY", format_amount(r.max)));
        }
    } else if r.max > 0 {
        parts.push("none certain".to_string());
        parts.push(format!("possibly {}", span(r.possible_min, r.max)));
    } else {
        parts.push("none on these facts".to_string());
    }
    if r.escalated > r.max {
        parts.push(format!(
            "up to {} CNY if escalated",
            format_amount(r.escalated)
        ));
    }
    parts.join("; ")
}

/// The tiers of a finding's penalties that the facts reach, with the
/// condition that holds: harm, an order to correct, a refusal.
pub(crate) fn aggravating(f: &Finding) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    for penalty in &f.penalties {
        for tier in &penalty.tiers {
            let Some(condition) = &tier.condition else {
                continue;
            };
            let facts: Vec<String> = tier
                .facts
                .iter()
                .map(|f| format!("{} = {}", fact_name(f), f.value))
                .collect();
            let line = if facts.is_empty() {
                format!("{} ({condition})", tier.name)
            } else {
                format!("{}: {}", tier.name, facts.join(", "))
            };
            if tier.likelihood == Likelihood::Applies && !found.contains(&line) {
                found.push(line);
            }
        }
    }
    found
}

impl Finding {
    fn modality_words(&self) -> &'static str {
        self.modality.keyword()
    }
}
