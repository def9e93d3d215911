//! Facts read from JSON text by serde_json, through a `DeserializeSeed` that
//! knows the fact schema. Not a way in for cases: it is here to be measured
//! against the two hand-written readers (`deon-bench`, docs/reliability.md).
//! Like the quick reader it gives up (`None`) on anything unusual; unlike
//! it, it cannot say where a value stands in the text, as serde_json reports
//! only the line and column where it stopped.

use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use super::{Facts, Slot, parse_duration, parse_money, tree::strict_date};
use crate::check::ir::{Program, SchemaNode};
use crate::value::{Base, Type, Value};

/// The facts of a JSON case, or `None` to leave it to the full reader.
pub fn read(program: &Program, text: &str) -> Option<Facts> {
    let mut facts = Facts::unknown(program);
    let mut json = serde_json::Deserializer::from_str(text);
    let seed = RecordSeed {
        program,
        facts: &mut facts,
        record: 0,
        root: true,
    };
    seed.deserialize(&mut json).ok()?;
    json.end().ok()?;
    Some(facts)
}

fn fail<E: de::Error>(what: &str) -> E {
    E::custom(what)
}

struct RecordSeed<'a> {
    program: &'a Program,
    facts: &'a mut Facts,
    record: u32,
    root: bool,
}

impl<'de> DeserializeSeed<'de> for RecordSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for RecordSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a group of facts")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let program = self.program;
        let children = &program
            .records
            .get(self.record as usize)
            .ok_or_else(|| fail("no such record"))?
            .children;
        let mut seen = vec![false; children.len() + 2];
        while let Some(key) = map.next_key_seed(KeySeed {
            children,
            root: self.root,
        })? {
            let index = match key {
                Key::AsOf => children.len(),
                Key::RollOver => children.len() + 1,
                Key::Child(i) => i,
            };
            if std::mem::replace(&mut seen[index], true) {
                return Err(fail("a key given twice"));
            }
            match key {
                Key::AsOf => {
                    let text: &str = map.next_value()?;
                    self.facts.as_of = Some(strict_date(text).ok_or_else(|| fail("a date"))?);
                }
                Key::RollOver => self.facts.roll_over_holidays = Some(map.next_value()?),
                Key::Child(i) => match children[i].1 {
                    SchemaNode::Record(child) => map.next_value_seed(RecordOrNull {
                        program,
                        facts: &mut *self.facts,
                        record: child,
                    })?,
                    SchemaNode::Fact(id) => {
                        let ty = program
                            .facts
                            .get(id as usize)
                            .ok_or_else(|| fail("fact"))?
                            .ty;
                        let slot = map.next_value_seed(SlotSeed { program, ty })?;
                        *self
                            .facts
                            .slots
                            .get_mut(id as usize)
                            .ok_or_else(|| fail("fact"))? = slot;
                    }
                },
            }
        }
        Ok(())
    }
}

#[derive(Clone, Copy)]
enum Key {
    AsOf,
    RollOver,
    Child(usize),
}

/// A key, looked up in the record's children without being copied.
struct KeySeed<'a> {
    children: &'a [(String, SchemaNode)],
    root: bool,
}

impl<'de> DeserializeSeed<'de> for KeySeed<'_> {
    type Value = Key;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Key, D::Error> {
        d.deserialize_str(self)
    }
}

impl Visitor<'_> for KeySeed<'_> {
    type Value = Key;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fact's name")
    }

    fn visit_str<E: de::Error>(self, key: &str) -> Result<Key, E> {
        match key {
            "as_of" if self.root => Ok(Key::AsOf),
            "roll_over_holidays" if self.root => Ok(Key::RollOver),
            _ => self
                .children
                .iter()
                .position(|(name, _)| name == key)
                .map(Key::Child)
                .ok_or_else(|| fail("an unknown key")),
        }
    }
}

/// A record's facts, or `null` for a record that has not happened.
struct RecordOrNull<'a> {
    program: &'a Program,
    facts: &'a mut Facts,
    record: u32,
}

impl<'de> DeserializeSeed<'de> for RecordOrNull<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for RecordOrNull<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a group of facts or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<(), E> {
        self.facts.null_record(self.program, self.record, None);
        Ok(())
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        let seed = RecordSeed {
            program: self.program,
            facts: self.facts,
            record: self.record,
            root: false,
        };
        seed.deserialize(d)
    }
}

/// One fact's value, by its type.
#[derive(Clone, Copy)]
struct SlotSeed<'a> {
    program: &'a Program,
    ty: Type,
}

impl<'de> DeserializeSeed<'de> for SlotSeed<'_> {
    type Value = Slot;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Slot, D::Error> {
        d.deserialize_option(self)
    }
}

impl<'de> Visitor<'de> for SlotSeed<'_> {
    type Value = Slot;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fact's value")
    }

    fn visit_none<E: de::Error>(self) -> Result<Slot, E> {
        if self.ty.optional {
            Ok(Slot::Null)
        } else {
            Err(fail("null for a fact that is not optional"))
        }
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Slot, D::Error> {
        let value = match self.ty.base {
            Base::Bool => Value::Bool(serde::Deserialize::deserialize(d)?),
            Base::Int => Value::Int(serde::Deserialize::deserialize(d)?),
            Base::Money => d.deserialize_any(Scalar(self))?,
            Base::Text | Base::Date | Base::Duration | Base::Enum(_) => {
                d.deserialize_str(Scalar(self))?
            }
            Base::Set(e) | Base::List(e) => {
                let mut indices = d.deserialize_seq(EnumList {
                    program: self.program,
                    e,
                })?;
                if matches!(self.ty.base, Base::Set(_)) {
                    indices.sort_unstable();
                    indices.dedup();
                }
                Value::Set(e, indices.into())
            }
            Base::Log => return Err(fail("a log")),
        };
        Ok(Slot::Known(value))
    }
}

/// A value written as text (or, for an amount, a whole number).
struct Scalar<'a>(SlotSeed<'a>);

impl<'de> Visitor<'de> for Scalar<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a fact's value")
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        match self.0.ty.base {
            Base::Money => Ok(Value::Money(v)),
            _ => Err(fail("a number")),
        }
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.visit_i64(i64::try_from(v).map_err(|_| fail("too large"))?)
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Value, E> {
        let program = self.0.program;
        let value = match self.0.ty.base {
            Base::Money => parse_money(text).map(Value::Money),
            Base::Text => Some(text)
                .filter(|s| s.len() <= program.limits.string_bytes)
                .map(|s| Value::Text(s.into())),
            Base::Date => strict_date(text).map(Value::Date),
            Base::Duration => parse_duration(text).map(Value::Duration),
            Base::Enum(e) => program
                .enums
                .get(e as usize)
                .and_then(|info| info.index_of(text))
                .map(|i| Value::Enum(e, i)),
            _ => None,
        };
        value.ok_or_else(|| fail("a value of the fact's type"))
    }
}

/// A list of values of enum `e`.
struct EnumList<'a> {
    program: &'a Program,
    e: u32,
}

impl<'de> Visitor<'de> for EnumList<'_> {
    type Value = Vec<u32>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of enum values")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<u32>, A::Error> {
        let info = self
            .program
            .enums
            .get(self.e as usize)
            .ok_or_else(|| fail("enum"))?;
        let mut indices = Vec::new();
        while let Some(text) = seq.next_element::<std::borrow::Cow<'_, str>>()? {
            indices.push(info.index_of(&text).ok_or_else(|| fail("an enum value"))?);
        }
        Ok(indices)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::case::direct::{self, casegen};

    /// What is measured against the quick reader is the same work.
    #[test]
    fn generated_cases_read_as_the_quick_reader_reads_them() {
        let policy = crate::Policy::load(["policies"]).expect("the shipped policies load");
        let program = policy.program();
        let mut rng = casegen::Rng::new(31);
        for n in 0..200 {
            let text = serde_json::to_string_pretty(&casegen::case(&mut rng)).unwrap();
            let quick = direct::read(program, &text).expect("the quick reader reads it");
            let seed = read(program, &text)
                .unwrap_or_else(|| panic!("case {n} left to the full reader: {text}"));
            assert!(
                quick.slots == seed.slots
                    && quick.as_of == seed.as_of
                    && quick.roll_over_holidays == seed.roll_over_holidays,
                "case {n} reads differently: {text}"
            );
        }
        assert!(read(program, r#"{"party": {"knd": "individual"}}"#).is_none());
        assert!(read(program, "{} x").is_none());
    }
}
