//! The language's keywords, read from the pest grammar itself so that the
//! grammar stays their one source: completion, the REPL's highlighting and the
//! editor grammars' tests all take them from here.

use std::sync::OnceLock;

const GRAMMAR: &str = include_str!("../../grammar/deon.pest");

/// Every word keyword of the grammar (the double-quoted literals that are
/// words of two letters or more, the currency code left out), sorted.
///
/// # Examples
///
/// ```
/// let words = deon::analysis::keywords();
/// assert!(words.contains(&"regulation") && words.contains(&"within"));
/// assert!(!words.contains(&"CNY"));
/// ```
pub fn keywords() -> &'static [&'static str] {
    static WORDS: OnceLock<Vec<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| scan(GRAMMAR))
}

/// Whether `word` is one of the grammar's keywords.
pub fn is_keyword(word: &str) -> bool {
    keywords().binary_search(&word).is_ok()
}

/// The quoted word literals of a pest grammar, outside `//` comments.
fn scan(text: &'static str) -> Vec<&'static str> {
    let mut words = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(['"', '/']) {
        let (_, after) = rest.split_at(i);
        if let Some(comment) = after.strip_prefix("//") {
            rest = comment.find('\n').map_or("", |n| &comment[n..]);
            continue;
        }
        let Some(body) = after.strip_prefix('"') else {
            rest = &after[1..];
            continue;
        };
        let mut end = 0;
        let mut escaped = false;
        for (j, c) in body.char_indices() {
            end = j;
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                break;
            }
        }
        let literal = &body[..end];
        if literal.len() >= 2
            && literal.chars().all(|c| c.is_ascii_alphabetic())
            && literal != "CNY"
        {
            words.push(literal);
        }
        rest = body.get(end + 1..).unwrap_or("");
    }
    words.sort_unstable();
    words.dedup();
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_words_from_rules_not_comments() {
        let words = scan(
            "a = { \"must\" ~ \"not\" } // \"ignored\"\nb = { \"\\\"\" | \"x\" | \"CNY\" | \"in\" }\n",
        );
        assert_eq!(words, ["in", "must", "not"]);
    }

    #[test]
    fn the_grammar_has_its_keywords() {
        for word in [
            "regulation",
            "must",
            "may",
            "within",
            "revocation",
            "working",
            "rolls",
        ] {
            assert!(is_keyword(word), "{word}");
        }
        assert!(!is_keyword("vulnerability"));
    }
}
