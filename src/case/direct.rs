//! The quick way in for JSON cases: text straight to facts in one pass, with
//! no tree and no copies of keys. It reads JSON's tokens with json_lex.rs, as
//! the full reader does, handles the cases people and programs actually
//! write and gives up (`None`) on anything else — an unknown key, a wrong
//! type, a duplicate, any syntax error — leaving the full reader (json.rs,
//! then the validator) to decide and to explain. Whatever it accepts, the
//! full reader accepts with the same facts; a test holds the two together.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::json_lex::{self, Literal, Number};
use super::{Facts, Slot, parse_duration, parse_money};
use crate::check::ir::{Program, SchemaNode};
use crate::source::Span;
use crate::value::{Base, Type, Value};

/// The facts of a JSON case, or `None` to leave it to the full reader.
pub fn read(program: &Program, text: &str) -> Option<Facts> {
    let mut reader = Reader {
        program,
        bytes: text.as_bytes(),
        text,
        pos: json_lex::start(text),
        facts: Facts::unknown(program),
    };
    reader.skip_ws();
    reader.record(0, true)?;
    reader.skip_ws();
    (reader.pos == reader.bytes.len()).then_some(reader.facts)
}

struct Reader<'p, 't> {
    program: &'p Program,
    bytes: &'t [u8],
    text: &'t str,
    pos: usize,
    facts: Facts,
}

impl<'t> Reader<'_, 't> {
    fn skip_ws(&mut self) {
        self.pos = json_lex::skip_ws(self.bytes, self.pos);
    }

    fn eat(&mut self, byte: u8) -> Option<()> {
        self.skip_ws();
        if self.bytes.get(self.pos) == Some(&byte) {
            self.pos += 1;
            Some(())
        } else {
            None
        }
    }

    fn string(&mut self) -> Option<Cow<'t, str>> {
        if self.bytes.get(self.pos) != Some(&b'"') {
            return None;
        }
        let (text, end) = json_lex::string(self.text, self.pos).ok()?;
        self.pos = end;
        Some(text)
    }

    fn literal(&mut self, wanted: Literal) -> bool {
        match json_lex::literal(self.bytes, self.pos) {
            Some((found, end)) if found == wanted => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// An object whose keys name the children of `record`.
    fn record(&mut self, record: u32, root: bool) -> Option<()> {
        self.eat(b'{')?;
        let children = &self.program.records.get(record as usize)?.children;
        // Keys already seen in this object: a repeat is the full reader's error.
        let mut seen: u64 = 0;
        // Keys usually come in schema order: look from just after the last one.
        let mut next = 0usize;
        let mut seen_special = [false; 2];
        if self.eat(b'}').is_some() {
            return Some(());
        }
        loop {
            self.skip_ws();
            let key = self.string()?;
            self.eat(b':')?;
            self.skip_ws();
            if root && (key == "as_of" || key == "roll_over_holidays") {
                let which = usize::from(key == "roll_over_holidays");
                if std::mem::replace(&mut seen_special[which], true) {
                    return None;
                }
                if which == 0 {
                    let text = self.string()?;
                    self.facts.as_of = Some(date(&text)?);
                } else if self.literal(Literal::True) {
                    self.facts.roll_over_holidays = Some(true);
                } else if self.literal(Literal::False) {
                    self.facts.roll_over_holidays = Some(false);
                } else {
                    return None;
                }
            } else {
                let (after, before) = children.split_at(next.min(children.len()));
                let index = match before.iter().position(|(name, _)| *name == key) {
                    Some(i) => next + i,
                    None => after.iter().position(|(name, _)| *name == key)?,
                };
                next = index + 1;
                let bit = 1u64.checked_shl(u32::try_from(index).ok()?)?;
                if seen & bit != 0 {
                    return None;
                }
                seen |= bit;
                match children.get(index)?.1 {
                    SchemaNode::Record(child) => {
                        if self.literal(Literal::Null) {
                            let span = Span::new(self.pos - 4, self.pos);
                            self.facts.null_record(self.program, child, Some(span));
                        } else {
                            self.record(child, false)?;
                        }
                    }
                    SchemaNode::Fact(id) => {
                        let ty = self.program.facts.get(id as usize)?.ty;
                        let start = self.pos;
                        let slot = self.value(ty)?;
                        *self.facts.slots.get_mut(id as usize)? = slot;
                        *self.facts.spans.get_mut(id as usize)? = Some(Span::new(start, self.pos));
                    }
                }
            }
            self.skip_ws();
            match self.bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn value(&mut self, ty: Type) -> Option<Slot> {
        if self.literal(Literal::Null) {
            return ty.optional.then_some(Slot::Null);
        }
        let value = match ty.base {
            Base::Bool if self.literal(Literal::True) => Value::Bool(true),
            Base::Bool if self.literal(Literal::False) => Value::Bool(false),
            Base::Int => Value::Int(self.integer()?),
            Base::Money if self.bytes.get(self.pos) != Some(&b'"') => Value::Money(self.integer()?),
            Base::Money => Value::Money(parse_money(&self.string()?)?),
            // Too long a text is left to the full reader, which says so.
            Base::Text => Value::Text(
                Some(self.string()?)
                    .filter(|s| s.len() <= self.program.limits.string_bytes)?
                    .as_ref()
                    .into(),
            ),
            Base::Date => Value::Date(date(&self.string()?)?),
            Base::Duration => Value::Duration(parse_duration(&self.string()?)?),
            Base::Enum(e) => Value::Enum(e, self.enum_value(e)?),
            Base::Set(e) | Base::List(e) => {
                self.eat(b'[')?;
                let mut indices = Vec::new();
                if self.eat(b']').is_none() {
                    loop {
                        self.skip_ws();
                        indices.push(self.enum_value(e)?);
                        self.skip_ws();
                        match self.bytes.get(self.pos) {
                            Some(b',') => self.pos += 1,
                            Some(b']') => {
                                self.pos += 1;
                                break;
                            }
                            _ => return None,
                        }
                    }
                }
                if matches!(ty.base, Base::Set(_)) {
                    indices.sort_unstable();
                    indices.dedup();
                }
                Value::Set(e, indices.into())
            }
            // Logs are read by the general reader, which reports problems per entry.
            Base::Bool | Base::Log => return None,
        };
        Some(Slot::Known(value))
    }

    /// A number, when it is one the full reader reads as a whole number.
    fn integer(&mut self) -> Option<i64> {
        if !matches!(self.bytes.get(self.pos), Some(b'-' | b'0'..=b'9')) {
            return None;
        }
        match json_lex::number(self.text, self.pos).ok()? {
            (Number::Int(i), end) => {
                self.pos = end;
                Some(i)
            }
            (Number::Float(_), _) => None,
        }
    }

    fn enum_value(&mut self, e: u32) -> Option<u32> {
        let text = self.string()?;
        self.program.enums.get(e as usize)?.index_of(&text)
    }
}

/// A date written exactly YYYY-MM-DD, as the full reader reads it.
fn date(text: &str) -> Option<NaiveDate> {
    super::tree::strict_date(text)
}

#[cfg(test)]
#[path = "../../benches/gen/mod.rs"]
pub(super) mod casegen;

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::case::test_support::{full_facts as full, shipped};

    fn same(a: &Facts, b: &Facts) -> bool {
        a.slots == b.slots
            && a.spans == b.spans
            && a.as_of == b.as_of
            && a.roll_over_holidays == b.roll_over_holidays
    }

    #[test]
    fn generated_cases_read_the_same_both_ways() {
        let policy = shipped();
        let program = policy.program();
        let mut rng = casegen::Rng::new(11);
        for n in 0..300 {
            let case = casegen::case(&mut rng);
            for text in [
                serde_json::to_string(&case).unwrap(),
                serde_json::to_string_pretty(&case).unwrap(),
            ] {
                let quick = read(program, &text)
                    .unwrap_or_else(|| panic!("case {n} left to the full reader: {text}"));
                let full = full(program, &text).expect("the full reader accepts it");
                assert!(same(&quick, &full), "case {n} reads differently: {text}");
            }
        }
    }

    /// Whole numbers, amounts (as numbers and as text) and text: the shipped
    /// policies' generated cases hold none of them.
    #[test]
    fn numbers_amounts_and_text_read_the_same_both_ways() {
        let policy = crate::Policy::from_sources([(
            "n.deon",
            r#"regulation ex { title "Ex" status in force effective from 2021-09-01 }
facts { r "R." { n: int "N." m: money "M." k: int? "K." t: text "T." } }"#,
        )])
        .unwrap();
        let program = policy.program();
        for text in [
            r#"{"r": {"n": 12, "m": 5000, "k": -3, "t": "a"}}"#,
            r#"{"r": {"n": 0, "m": "50,000 CNY", "k": null, "t": "预警"}}"#,
            r#"{"r": {"n": -9223372036854775808, "m": 1, "k": 7, "t": ""}}"#,
        ] {
            let quick =
                read(program, text).unwrap_or_else(|| panic!("left to the full reader: {text}"));
            let full = full(program, text).expect("the full reader accepts it");
            assert!(same(&quick, &full), "reads differently: {text}");
        }
    }

    /// Whatever the quick reader accepts of damaged text, the full reader
    /// accepts with the same facts.
    #[test]
    fn damaged_cases_are_never_read_differently() {
        let policy = shipped();
        let program = policy.program();
        let mut rng = casegen::Rng::new(12);
        let pieces: [&str; 16] = [
            "\"",
            ",",
            "}",
            "{",
            "[",
            "]",
            "null",
            "true",
            "1e3",
            "+1",
            "\\u0041",
            "\"2026-02-30\"",
            "\"as_of\": \"2026-01-01\",",
            "\"x\": 1,",
            " ",
            "\"researcher\"",
        ];
        let (mut accepted, mut refused) = (0, 0);
        for _ in 0..3_000 {
            let mut text = serde_json::to_string(&casegen::case(&mut rng)).unwrap();
            for _ in 0..1 + rng.below(2) {
                let at = rng.below(text.len() as u64 + 1) as usize;
                let at = (0..=at)
                    .rev()
                    .find(|&i| text.is_char_boundary(i))
                    .unwrap_or(0);
                if rng.chance(40) {
                    let end = (at + 1 + rng.below(12) as usize).min(text.len());
                    if text.is_char_boundary(end) {
                        text.replace_range(at..end, "");
                    }
                } else {
                    text.insert_str(at, pieces[rng.below(pieces.len() as u64) as usize]);
                }
            }
            let quick = read(program, &text);
            let full = full(program, &text);
            match (&quick, &full) {
                (Some(q), Some(f)) => {
                    assert!(same(q, f), "read differently: {text}");
                    accepted += 1;
                }
                (Some(_), None) => {
                    panic!("the quick reader accepts what the full one refuses: {text}")
                }
                _ => refused += 1,
            }
        }
        // The damage sometimes leaves a valid case, and mostly does not.
        assert!(
            accepted >= 10 && refused > 1_000,
            "{accepted} accepted, {refused} refused"
        );
    }

    #[test]
    fn unusual_spellings_are_left_to_the_full_reader() {
        let policy = shipped();
        let program = policy.program();
        for text in [
            r#"{"party": {"kind": "individual", "kind": "individual"}}"#,
            r#"{"as_of": "2026-01-01", "as_of": "2026-01-02"}"#,
            r#"{"party": {"knd": "individual"}}"#,
            r#"{"party": {"active_in_mainland": "yes"}}"#,
            r#"{"as_of": "2026-02-30"}"#,
            r#"[1]"#,
            r#"{"party": {"kind": "individual"}} {}"#,
        ] {
            assert!(read(program, text).is_none(), "{text}");
        }
    }

    /// Escapes are JSON's own business (json_lex.rs), not a reason to give up.
    #[test]
    fn escapes_read_the_same_both_ways() {
        let policy = shipped();
        let program = policy.program();
        for text in [
            r#"{"party": {"kind": "individu\u0061l"}}"#,
            r#"{"p\u0061rty": {"kind": "individual"}, "as_of": "2026\u002d01-01"}"#,
        ] {
            let quick = read(program, text).expect("the quick reader reads it");
            let full = full(program, text).expect("the full reader reads it");
            assert!(same(&quick, &full), "{text}");
        }
    }
}
