//! Text from policies and cases made safe for a terminal.

use std::borrow::Cow;
use std::fmt::Write as _;

/// `text` with every control character except newline and tab written as a
/// Rust escape (`\u{1b}`), so text from a policy or a case can never move
/// the cursor, clear the screen, retitle the window or write the clipboard.
/// C0 controls, DEL and the C1 controls (U+0080–U+009F) are escaped; a
/// carriage return is escaped too, since it would overwrite the line.
/// Borrows when there is nothing to escape.
///
/// Every human output (diagnostics, reports, the REPL) passes through this
/// function; JSON output does not need it, since JSON escapes control
/// characters itself.
///
/// # Examples
///
/// ```
/// use deon::report::escape_controls;
///
/// assert_eq!(escape_controls("plain text\n"), "plain text\n");
/// assert_eq!(escape_controls("\x1b]0;title\x07"), "\\u{1b}]0;title\\u{7}");
/// assert_eq!(escape_controls("a\u{9b}2J"), "a\\u{9b}2J");
/// ```
pub fn escape_controls(text: &str) -> Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if needs_escape(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether [`escape_controls`] would change `c`.
pub(crate) fn needs_escape(c: char) -> bool {
    c.is_control() && c != '\n' && c != '\t'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_control_character_but_newline_and_tab_is_escaped() {
        for c in (0u32..=0x10ffff).filter_map(char::from_u32) {
            let text = c.to_string();
            let shown = escape_controls(&text);
            let raw_control = shown
                .chars()
                .any(|s| s.is_control() && s != '\n' && s != '\t');
            assert!(!raw_control, "U+{:04X} reaches the terminal raw", c as u32);
            if c == '\n' || c == '\t' || !c.is_control() {
                assert_eq!(shown, text);
            }
        }
    }
}
