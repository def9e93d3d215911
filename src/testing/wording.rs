//! What a finding says, for policy tests that check its words: the duty as
//! quoted, the penalty version and breach date, each sanction and whether it
//! is the regulator's option. A test names text the finding must show
//! (`says`) and text it must not (`never_says`); both are compared with the
//! finding as `deon eval --verbose` prints it, spacing ignored.

use crate::report::{self, Finding, Report};

/// The finding as the text report prints it with every detail, on one line:
/// runs of spaces and line breaks become one space, so wrapping and
/// indentation never decide a test.
pub(super) fn finding_words(report: &Report, finding: &Finding) -> String {
    let one = Report {
        as_of: report.as_of,
        regulations: report.regulations.clone(),
        findings: vec![finding.clone()],
        totals: Default::default(),
        unknown_facts: Vec::new(),
        explain: report.explain,
    };
    let text = report::human::render(
        &one,
        report::human::Options {
            color: false,
            verbose: true,
            width: None,
        },
    );
    // Only the finding itself, not the report's header or totals.
    let start = text.find(&*finding.rule).unwrap_or(0);
    squeeze(&text[start..])
}

/// Collapses every run of whitespace into one space.
pub(super) fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::squeeze;

    #[test]
    fn spacing_never_decides() {
        assert_eq!(squeeze("  a\n    b  c \n"), "a b c");
    }
}
