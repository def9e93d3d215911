//! JSON text written by hand: strings escaped exactly as serde_json escapes
//! them, numbers with `itoa`, dates without the formatting machinery, and
//! compact text re-indented as serde_json's pretty printer lays it out.
//! Reports are written with these (src/eval/json/); tests hold the bytes
//! to serde_json's.

use std::fmt;

use chrono::NaiveDate;

/// What each byte below 0x80 becomes inside a JSON string: 0 for itself,
/// else the letter after the backslash (`u` for `\u00XX`), as serde_json.
const ESCAPE: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Appends `text` escaped as the inside of a JSON string (no quotes): runs
/// of bytes that need nothing are copied whole, found eight bytes at a time.
pub(crate) fn escape_into(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        if let Some(&chunk) = bytes.get(i..).and_then(|rest| rest.first_chunk::<8>()) {
            if !needs_escape(u64::from_le_bytes(chunk)) {
                i += 8;
                continue;
            }
        }
        let byte = bytes[i];
        i += 1;
        let escape = match ESCAPE.get(byte as usize) {
            Some(&e) if e != 0 => e,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i - 1]);
        if escape == b'u' {
            out.extend_from_slice(&[
                b'\\',
                b'u',
                b'0',
                b'0',
                HEX[(byte >> 4) as usize],
                HEX[(byte & 0xf) as usize],
            ]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        start = i;
    }
    out.extend_from_slice(&bytes[start..]);
}

/// Whether any of eight bytes needs escaping: a control character, a quote
/// or a backslash. The classic tests for a byte below a bound and for a
/// zero byte (after XOR with the byte sought); bytes of 0x80 and above
/// never match, so UTF-8 passes through.
const fn needs_escape(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const fn has_zero(x: u64) -> u64 {
        x.wrapping_sub(ONES) & !x & HIGH
    }
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGH;
    let quote = has_zero(word ^ (ONES * b'"' as u64));
    let backslash = has_zero(word ^ (ONES * b'\\' as u64));
    control | quote | backslash != 0
}

/// Appends `text` as a JSON string, quoted and escaped.
pub(crate) fn string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    escape_into(out, text);
    out.push(b'"');
}

/// `text` as a JSON string, for text escaped once and copied after.
pub(crate) fn quoted(text: &str) -> Box<str> {
    let mut out = Vec::with_capacity(text.len() + 2);
    string(&mut out, text);
    String::from_utf8(out).unwrap_or_default().into_boxed_str()
}

/// Appends anything displayable as a JSON string. The text is written
/// straight into `out` and escaped afterwards only if it needs it (rarely):
/// escaping each small piece `Display` hands over cost more than the rest of
/// the writing.
pub(crate) fn display(out: &mut Vec<u8>, value: &impl fmt::Display) {
    use fmt::Write;
    out.push(b'"');
    let start = out.len();
    // Writing into a Vec cannot fail; a Display impl that fails leaves
    // what it wrote.
    let _ = write!(Raw(out), "{value}");
    if out.get(start..).is_some_and(needs_escaping) {
        let raw = out.split_off(start);
        // Only whole `str`s were appended, so the bytes are UTF-8.
        escape_into(out, &String::from_utf8_lossy(&raw));
    }
    out.push(b'"');
}

/// A `fmt::Write` that appends to a byte buffer as it is.
struct Raw<'a>(&'a mut Vec<u8>);

impl fmt::Write for Raw<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

/// Whether any byte of `bytes` needs escaping inside a JSON string.
fn needs_escaping(bytes: &[u8]) -> bool {
    let mut chunks = bytes.chunks_exact(8);
    let mut found = false;
    for chunk in &mut chunks {
        if let Ok(&word) = <&[u8; 8]>::try_from(chunk) {
            found |= needs_escape(u64::from_le_bytes(word));
        }
    }
    found
        || chunks
            .remainder()
            .iter()
            .any(|&b| ESCAPE.get(b as usize).is_some_and(|&e| e != 0))
}

/// Appends an integer.
pub(crate) fn int(out: &mut Vec<u8>, n: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes());
}

/// Appends a date as a JSON string, as chrono serialises it.
pub(crate) fn date(out: &mut Vec<u8>, day: NaiveDate) {
    out.push(b'"');
    date_text(out, day);
    out.push(b'"');
}

/// Appends a date as `YYYY-MM-DD` (chrono's `Display`); years outside
/// 0–9999, which need a sign and more digits, go through chrono.
pub(crate) fn date_text(out: &mut Vec<u8>, day: NaiveDate) {
    use chrono::Datelike;
    let year = day.year();
    if !(0..=9999).contains(&year) {
        use std::io::Write;
        let _ = write!(out, "{day}");
        return;
    }
    let mut bytes = *b"0000-00-00";
    let mut put = |n: u32, at: std::ops::Range<usize>| {
        let mut n = n;
        for slot in bytes[at].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
    };
    put(year.unsigned_abs(), 0..4);
    put(day.month(), 5..7);
    put(day.day(), 8..10);
    out.extend_from_slice(&bytes);
}

/// Appends compact JSON laid out as `serde_json::to_string_pretty` lays it
/// out: two spaces per level, `": "` after keys, empty arrays and objects
/// on one line.
pub(crate) fn pretty(compact: &[u8], out: &mut Vec<u8>) {
    out.reserve(compact.len() + compact.len() / 2);
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    let mut bytes = compact.iter().copied().peekable();
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        out.resize(out.len() + 2 * depth, b' ');
    };
    while let Some(byte) = bytes.next() {
        if in_string {
            out.push(byte);
            if escaped {
                escaped = false;
            } else if byte == b'\\' {
                escaped = true;
            } else if byte == b'"' {
                in_string = false;
            }
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                out.push(byte);
            }
            b'{' | b'[' => {
                out.push(byte);
                let close = if byte == b'{' { b'}' } else { b']' };
                if bytes.peek() == Some(&close) {
                    bytes.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(byte);
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(byte),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn escaped(text: &str) -> String {
        let mut out = Vec::new();
        string(&mut out, text);
        String::from_utf8(out).unwrap_or_default()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_ascii: String = (0u8..128).map(char::from).collect();
        every_ascii.push_str("é 网络 \u{2028}\u{2029} \u{1F600} \"quoted\" back\\slash");
        for text in [
            "",
            "plain",
            "\"",
            "\\",
            "\u{7f}",
            "\u{0}\u{1f}",
            "a\nb\tc\rd\u{8}e\u{c}f",
            every_ascii.as_str(),
        ] {
            assert_eq!(
                escaped(text),
                serde_json::to_string(text).unwrap_or_default(),
                "{text:?}"
            );
        }
    }

    proptest::proptest! {
        /// Escapes at every offset of the eight-byte chunks, among
        /// multi-byte characters, as serde_json writes them.
        #[test]
        fn any_text_is_escaped_as_serde_json_escapes_it(
            text in "[a-z\"\\\\\u{0}-\u{1f}\u{7f}é网\u{1F600}\u{2028} ]{0,40}"
        ) {
            let expected = serde_json::to_string(&text).unwrap_or_default();
            proptest::prop_assert_eq!(escaped(&text), expected.as_str());
            let mut shown = Vec::new();
            display(&mut shown, &format_args!("{text}"));
            proptest::prop_assert_eq!(String::from_utf8_lossy(&shown), expected.as_str());
        }
    }

    #[test]
    fn displayed_values_are_escaped_as_written() {
        let mut out = Vec::new();
        display(&mut out, &format_args!("a \"{}\"\n", "b\\c"));
        assert_eq!(out, br#""a \"b\\c\"\n""#);
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        for (y, m, d) in [
            (2026, 3, 5),
            (1, 1, 1),
            (0, 12, 31),
            (9999, 12, 31),
            (10000, 1, 1),
            (-1, 6, 30),
            (262_000, 1, 1),
        ] {
            let Some(day) = NaiveDate::from_ymd_opt(y, m, d) else {
                continue;
            };
            let mut out = Vec::new();
            date(&mut out, day);
            assert_eq!(out, serde_json::to_vec(&day).unwrap_or_default(), "{day}");
        }
    }

    #[test]
    fn integers_are_written_in_full() {
        for n in [0i64, 7, -7, i64::MAX, i64::MIN] {
            let mut out = Vec::new();
            int(&mut out, n);
            assert_eq!(out, n.to_string().as_bytes());
        }
    }

    #[test]
    fn compact_text_is_laid_out_as_serde_json_pretty_prints() {
        let value = serde_json::json!({
            "a": [], "b": {}, "c": [1, {"d": "x,y:{[\"]}\\"}, [[]]],
            "e": {"f": null, "g": [true, false]}, "h": "é\u{2028}"
        });
        let compact = serde_json::to_vec(&value).unwrap_or_default();
        let mut out = Vec::new();
        pretty(&compact, &mut out);
        assert_eq!(out, serde_json::to_vec_pretty(&value).unwrap_or_default());
    }
}
