//! Wrapping text for people, by display width: a Chinese character takes two
//! columns, and a line of Chinese has no spaces, so it breaks between
//! characters where Unicode's line-breaking rules allow. ANSI colour codes
//! take no room. Every text the library writes for a terminal wraps here.

use textwrap::{Options, WordSeparator, WordSplitter, WrapAlgorithm};

fn options<'a>(width: usize, first: &'a str, rest: &'a str) -> Options<'a> {
    Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        // Explicit, so that the result does not depend on which of
        // textwrap's features another crate in the build turns on.
        .word_separator(WordSeparator::UnicodeBreakProperties)
        .wrap_algorithm(WrapAlgorithm::FirstFit)
        // Never split at a hyphen: dates and identifiers stay whole.
        .word_splitter(WordSplitter::NoHyphenation)
        .break_words(true)
}

/// Words wrapped to `width` columns; the first line starts where the caller
/// is (it gets no indent), the others start with `indent`.
pub(crate) fn wrap(text: &str, width: usize, indent: &str) -> String {
    textwrap::fill(text, options(width, "", indent))
}

/// Each line of `text` that is wider than `width` columns wrapped, its
/// continuation lines indented two columns deeper than the line itself.
/// Lines that fit are left as they are.
pub(crate) fn wrap_lines(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for line in text.split_inclusive('\n') {
        let (body, end) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        if textwrap::core::display_width(body) <= width {
            out.push_str(line);
            continue;
        }
        let content = body.trim_start_matches(' ');
        let indent = &body[..body.len() - content.len()];
        let rest = format!("{indent}  ");
        out.push_str(&textwrap::fill(content, options(width, indent, &rest)));
        out.push_str(end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn width(text: &str) -> usize {
        textwrap::core::display_width(text)
    }

    #[test]
    fn chinese_counts_two_columns_and_breaks_without_spaces() {
        let title = "网络产品安全漏洞管理规定网络产品安全漏洞管理规定";
        assert_eq!(width(title), 48);
        let wrapped = wrap_lines(&format!("  {title}"), 20);
        for line in wrapped.lines() {
            assert!(width(line) <= 20, "{line:?} is wider than 20 columns");
        }
        assert_eq!(wrapped.lines().count(), 3, "{wrapped}");
        assert!(
            wrapped
                .lines()
                .nth(1)
                .is_some_and(|l| l.starts_with("    理"))
        );
    }

    #[test]
    fn english_breaks_at_spaces_and_keeps_dates_whole() {
        let text = "    due 2026-03-05, filed 2026-03-06 and so one day late";
        let wrapped = wrap_lines(text, 30);
        assert_eq!(
            wrapped,
            "    due 2026-03-05, filed\n      2026-03-06 and so one\n      day late"
        );
    }

    #[test]
    fn colour_codes_take_no_room() {
        let text = "\x1b[1mbold\x1b[0m words here";
        assert_eq!(wrap_lines(text, 15), text);
    }

    #[test]
    fn lines_that_fit_are_untouched() {
        let text = "  short\n\n    also short\n";
        assert_eq!(wrap_lines(text, 20), text);
        assert_eq!(wrap("aa bb cc", 5, "  "), "aa bb\n  cc");
    }
}
