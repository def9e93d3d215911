//! JSON's tokens as RFC 8259 defines them — whitespace, literals, numbers and
//! strings — written once for both JSON case readers (json.rs, the full
//! reader with positions, and direct.rs, the quick one), so that the two
//! cannot disagree on what JSON is. Each reader walks objects and arrays
//! itself: the full one into a tree, the quick one along the fact schema.

use std::borrow::Cow;

use super::tree::ReadProblem;
use crate::source::Span;

/// Where the JSON value starts: after a byte-order mark, if the text has
/// one. RFC 8259 §8.1 lets a parser ignore it, and the other case formats
/// (and policies) accept one too.
pub fn start(text: &str) -> usize {
    if text.starts_with('\u{feff}') {
        '\u{feff}'.len_utf8()
    } else {
        0
    }
}

/// The position after any whitespace at `pos`: space, tab, LF and CR only.
pub fn skip_ws(bytes: &[u8], mut pos: usize) -> usize {
    while let Some(b' ' | b'\t' | b'\n' | b'\r') = bytes.get(pos) {
        pos += 1;
    }
    pos
}

/// `true`, `false` or `null` at `pos`, exactly as written.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    True,
    False,
    Null,
}

/// The literal at `pos` and the position after it, if there is one.
pub fn literal(bytes: &[u8], pos: usize) -> Option<(Literal, usize)> {
    let rest = bytes.get(pos..)?;
    let (literal, len) = if rest.starts_with(b"true") {
        (Literal::True, 4)
    } else if rest.starts_with(b"false") {
        (Literal::False, 5)
    } else if rest.starts_with(b"null") {
        (Literal::Null, 4)
    } else {
        return None;
    };
    Some((literal, pos + len))
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// Written without a fraction or exponent, and within `i64`.
    Int(i64),
    /// Anything else within `f64`, including whole numbers past `i64`:
    /// whether a number suits its fact is the validator's question, and it
    /// quotes the number as written.
    Float(f64),
}

/// The number starting at `start` (a `-` or a digit) and the position after
/// it: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
pub fn number(text: &str, start: usize) -> Result<(Number, usize), ReadProblem> {
    let bytes = text.as_bytes();
    // The run of characters a number could be made of: no valid JSON has
    // one of them straight after a number, so a longer run is one bad
    // number, reported whole (`007`, `1.`, `1e`, `1-2`).
    let rest = bytes.get(start..).unwrap_or_default();
    let end = start
        + rest
            .iter()
            .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
            .unwrap_or(rest.len());
    let written = &text[start..end];
    if let Err(help) = grammar(&bytes[start..end]) {
        let problem = ReadProblem::new(
            format!("`{written}` is not a JSON number"),
            Span::new(start, end),
        );
        return Err(if help.is_empty() {
            problem
        } else {
            problem.help(help)
        });
    }
    let number = match written.parse::<i64>() {
        Ok(i) => Number::Int(i),
        // The grammar is a subset of what `f64` parses; past its range the
        // number is refused here, as serde_json refuses it, rather than read
        // as infinite.
        Err(_) => match written.parse::<f64>() {
            Ok(f) if f.is_finite() => Number::Float(f),
            _ => {
                return Err(ReadProblem::new(
                    format!("`{written}` is too large for a number"),
                    Span::new(start, end),
                )
                .help("numbers in a case must lie within about ±1.8e308"));
            }
        },
    };
    Ok((number, end))
}

/// Whether `run` is exactly one JSON number; if not, help for the writer
/// (empty when there is nothing better to say than the message).
fn grammar(run: &[u8]) -> Result<(), &'static str> {
    const FRACTION: &str = "write digits on both sides of the decimal point, e.g. 0.5 or 1.0";
    // The position after the digits from `from`.
    let digits = |from: usize| {
        from + run
            .get(from..)
            .map_or(0, |r| r.iter().take_while(|b| b.is_ascii_digit()).count())
    };
    let mut i = usize::from(run.first() == Some(&b'-'));
    match run.get(i) {
        Some(b'0') if run.get(i + 1).is_some_and(u8::is_ascii_digit) => {
            return Err("JSON numbers have no leading zeros");
        }
        Some(b'0'..=b'9') => i = digits(i),
        Some(b'.') => return Err(FRACTION),
        _ => return Err(""),
    }
    if run.get(i) == Some(&b'.') {
        let after = digits(i + 1);
        if after == i + 1 {
            return Err(FRACTION);
        }
        i = after;
    }
    if matches!(run.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(run.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        let after = digits(i);
        if after == i {
            return Err("an exponent needs digits, e.g. 1e3");
        }
        i = after;
    }
    if i == run.len() { Ok(()) } else { Err("") }
}

/// The string whose opening quote is at `start`, unescaped, and the position
/// after its closing quote. Borrowed from the text when it has no escapes.
pub fn string(text: &str, start: usize) -> Result<(Cow<'_, str>, usize), ReadProblem> {
    let bytes = text.as_bytes();
    let special = |from: usize| {
        bytes
            .get(from..)
            .and_then(|r| r.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20))
            .map_or(bytes.len(), |n| from + n)
    };
    let mut pos = special(start + 1);
    if bytes.get(pos) == Some(&b'"') {
        return Ok((Cow::Borrowed(&text[start + 1..pos]), pos + 1));
    }
    let mut out = String::from(&text[start + 1..pos]);
    loop {
        match bytes.get(pos) {
            None => {
                return Err(
                    ReadProblem::new("this text is never closed", Span::new(start, pos))
                        .help("add the closing `\"`"),
                );
            }
            Some(b'"') => return Ok((Cow::Owned(out), pos + 1)),
            Some(b'\\') => {
                let unescaped = match bytes.get(pos + 1) {
                    Some(b'"') => '"',
                    Some(b'\\') => '\\',
                    Some(b'/') => '/',
                    Some(b'b') => '\u{8}',
                    Some(b'f') => '\u{c}',
                    Some(b'n') => '\n',
                    Some(b'r') => '\r',
                    Some(b't') => '\t',
                    Some(b'u') => {
                        let (c, end) = unicode_escape(text, pos)?;
                        out.push(c);
                        pos = end;
                        pos = copy_run(text, &mut out, pos, special(pos));
                        continue;
                    }
                    _ => {
                        let end = text[pos + 1..]
                            .chars()
                            .next()
                            .map_or(pos + 1, |c| pos + 1 + c.len_utf8());
                        return Err(ReadProblem::new(
                            "unknown escape in text",
                            Span::new(pos, end),
                        )
                        .help(r#"JSON's escapes are \" \\ \/ \b \f \n \r \t and \uXXXX"#));
                    }
                };
                out.push(unescaped);
                pos = copy_run(text, &mut out, pos + 2, special(pos + 2));
            }
            Some(_) => {
                return Err(ReadProblem::new(
                    "a line break or control character inside text",
                    Span::new(pos, pos + 1),
                )
                .help("write it as an escape, e.g. \\n or \\t"));
            }
        }
    }
}

fn copy_run(text: &str, out: &mut String, from: usize, to: usize) -> usize {
    out.push_str(&text[from..to]);
    to
}

/// The character of the `\uXXXX` escape at `pos` (its backslash), joined
/// with a second escape when the first is a high surrogate, and the position
/// after. A surrogate without its partner is refused, as serde_json refuses
/// it: it is no character, and text in Deon is UTF-8.
fn unicode_escape(text: &str, pos: usize) -> Result<(char, usize), ReadProblem> {
    let first = hex4(text, pos)?;
    let code = match first {
        0xD800..=0xDBFF => {
            let second = text
                .as_bytes()
                .get(pos + 6..)
                .filter(|r| r.starts_with(b"\\u"))
                .and_then(|_| hex4(text, pos + 6).ok())
                .filter(|low| (0xDC00..=0xDFFF).contains(low));
            let Some(second) = second else {
                return Err(lone_surrogate(pos));
            };
            return char::from_u32(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00))
                .map(|c| (c, pos + 12))
                .ok_or_else(|| lone_surrogate(pos));
        }
        0xDC00..=0xDFFF => return Err(lone_surrogate(pos)),
        code => code,
    };
    char::from_u32(code)
        .map(|c| (c, pos + 6))
        .ok_or_else(|| lone_surrogate(pos))
}

fn lone_surrogate(pos: usize) -> ReadProblem {
    ReadProblem::new(
        "this \\u escape is half of a surrogate pair, without the other half",
        Span::new(pos, pos + 6),
    )
    .help("a character past U+FFFF is written as two escapes, e.g. \\ud83d\\ude00")
}

/// The four hex digits after the `\u` at `pos`.
fn hex4(text: &str, pos: usize) -> Result<u32, ReadProblem> {
    let digits = text.as_bytes().get(pos + 2..pos + 6);
    digits
        .filter(|d| d.iter().all(u8::is_ascii_hexdigit))
        .and_then(|d| std::str::from_utf8(d).ok())
        .and_then(|d| u32::from_str_radix(d, 16).ok())
        .ok_or_else(|| {
            let end = (pos + 6).min(text.len());
            let end = (pos + 2..=end)
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(pos + 2);
            ReadProblem::new("a \\u escape needs four hex digits", Span::new(pos, end))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(text: &str) -> Option<Number> {
        number(text, 0)
            .ok()
            .filter(|(_, end)| *end == text.len())
            .map(|(n, _)| n)
    }

    #[test]
    fn numbers_follow_the_grammar() {
        for ok in ["0", "-0", "12", "1.5", "-0.0e+1", "1E9", "1e-9", "123e0"] {
            assert!(num(ok).is_some(), "{ok}");
        }
        for bad in [
            "007", "01", "-", "1.", ".5", "1e", "1e+", "-01", "1.e3", "1-2", "--1",
        ] {
            assert!(number(bad, 0).is_err(), "{bad}");
        }
        assert_eq!(num("-0"), Some(Number::Int(0)));
        assert_eq!(num("9223372036854775807"), Some(Number::Int(i64::MAX)));
        assert!(matches!(num("9223372036854775808"), Some(Number::Float(_))));
        assert!(number("1e400", 0).is_err());
        assert!(number("-1e400", 0).is_err());
        assert!(matches!(num("1e-400"), Some(Number::Float(f)) if f == 0.0));
    }

    #[test]
    fn strings_unescape_and_refuse_lone_surrogates() {
        let read = |t: &str| string(t, 0).map(|(s, end)| (s.into_owned(), end)).ok();
        assert_eq!(read(r#""a\u00e9\n""#), Some(("aé\n".into(), 11)));
        assert_eq!(read(r#""\ud83d\ude00""#), Some(("😀".into(), 14)));
        for bad in [
            r#""\ud83d""#,
            r#""\ude00""#,
            r#""\ud83d\u0041""#,
            r#""\u+123""#,
            r#""\x""#,
            "\"\t\"",
            "\"open",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_bad_escape_or_a_control_character_is_underlined_exactly() {
        let marked = |t: &str| {
            let span = string(t, 0).err().map(|p| p.span);
            span.and_then(|s| t.get(s.start..s.end)).map(str::to_string)
        };
        // After other text, so that no position is zero, and before a
        // character of several bytes, which the underline takes whole.
        assert_eq!(marked("\"ab\\é\""), Some("\\é".into()));
        assert_eq!(marked("\"ab\\x\""), Some("\\x".into()));
        assert_eq!(marked("\"a\\nb\\q\""), Some("\\q".into()));
        assert_eq!(marked("\"ab\tc\""), Some("\t".into()));
        assert_eq!(marked("\"a\\nb\tc\""), Some("\t".into()));
        // A \u escape: half a surrogate pair, a bad digit, too few digits.
        assert_eq!(marked("\"ab\\ud83d!\""), Some("\\ud83d".into()));
        assert_eq!(marked("\"ab\\u12G4\""), Some("\\u12G4".into()));
        assert_eq!(marked("\"ab\\u12é\""), Some("\\u12é".into()));
        // Further along, and a backslash that ends the text.
        assert_eq!(marked("\"abcdefgh\\u12G4\""), Some("\\u12G4".into()));
        assert_eq!(marked("\"ab\\"), Some("\\".into()));
    }
}
