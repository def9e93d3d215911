//! Text the REPL prints from reports: a finding's reasons, and what changed
//! in a what-if. Text about the policies comes from `crate::analysis`.

use std::fmt::Write as _;

use crate::report::model::{Exposure, Finding, Report};

pub(crate) use crate::report::human::{
    Paint, fact_name, note_line, range_words, sanction_lines, wrap,
};

fn finding_header(out: &mut String, f: &Finding, paint: Paint) {
    let _ = writeln!(
        out,
        "{} {} {}",
        paint.bold(&f.rule),
        paint.status(f.status, &f.status.label().to_uppercase()),
        paint.dim(&format!("— {} ({})", f.citations.join("; "), f.regulation))
    );
    let _ = writeln!(out, "  {} \"{}\"", f.modality.keyword(), f.action);
    let _ = writeln!(out, "  {}", f.summary);
}

/// Why a finding has its status: each condition considered, what it came to
/// and the facts that decided it.
pub fn explain(f: &Finding, paint: Paint) -> String {
    let mut out = String::new();
    finding_header(&mut out, f, paint);
    if f.explanation.is_empty() {
        let _ = writeln!(out, "  {}", paint.dim("(no condition was considered)"));
    } else {
        let _ = writeln!(out, "  {}", paint.dim("because:"));
    }
    for step in &f.explanation {
        let _ = writeln!(
            out,
            "    {}: {} → {}",
            step.clause,
            step.condition,
            paint.bold(&step.outcome)
        );
        for fact in &step.facts {
            let _ = writeln!(
                out,
                "      {}",
                paint.dim(&format!("{} = {}", fact_name(fact), fact.value))
            );
        }
    }
    if let Some(by) = &f.exempted_by {
        let _ = writeln!(out, "  exempted by: {by}");
    }
    if !f.depends_on.is_empty() {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.bold("the case leaves out:"),
            wrap(&f.depends_on.join(", "), 80, "    ")
        );
    }
    sanction_lines(&mut out, f, paint, "  ");
    for note in &f.review_notes {
        let _ = writeln!(out, "  {} {}", paint.bold("review:"), note_line(note));
    }
    if !f.exposure.is_zero() {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.dim("fines exposed:"),
            exposure(&f.exposure)
        );
    }
    out
}

/// An exposure on one line, parties apart: `the entity: none certain;
/// possibly 50,000 to 500,000 CNY | the person in charge: …`, or `none`.
pub fn exposure(e: &Exposure) -> String {
    let parts: Vec<String> = e
        .parties()
        .into_iter()
        .filter(|(_, r)| !r.is_zero())
        .map(|(who, r)| format!("{}: {}", who.label(), range_words(r)))
        .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join(" | ")
    }
}

/// The findings whose status or due date differ between two reports of the
/// same policies, old → new.
pub fn differences(before: &Report, after: &Report, paint: Paint) -> String {
    let mut out = String::new();
    let mut changed = 0;
    for new in &after.findings {
        let Some(old) = before.findings.iter().find(|f| f.rule == new.rule) else {
            continue;
        };
        if old.status == new.status && old.due == new.due {
            continue;
        }
        changed += 1;
        let status = if old.status == new.status {
            paint.status(new.status, new.status.label())
        } else {
            format!(
                "{} → {}",
                paint.status(old.status, old.status.label()),
                paint.status(new.status, new.status.label())
            )
        };
        let _ = writeln!(out, "  {} {status}", paint.bold(&new.rule));
        if old.due != new.due {
            let due =
                |d: Option<chrono::NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
            let _ = writeln!(out, "    due {} → {}", due(old.due), due(new.due));
        }
        let _ = writeln!(out, "    {} {}", paint.dim("was:"), old.summary);
        let _ = writeln!(out, "    {} {}", paint.dim("now:"), new.summary);
    }
    if changed == 0 {
        let _ = writeln!(out, "  no finding changes status or due date");
    }
    if before.totals != after.totals {
        let _ = writeln!(
            out,
            "  fines at stake for all findings: {} → {}",
            exposure(&before.totals),
            exposure(&after.totals)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5, "  "), "aa bb\n  cc");
    }
}
