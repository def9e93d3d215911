//! The quick way in for a case already parsed into a `serde_json::Value`, as
//! programs embedding the library hold it: the value straight to facts, with
//! no text written or read. Like the quick JSON text reader it takes the
//! common shapes and gives up (`None`) on anything else — an unknown key, a
//! wrong type, a log — leaving the full reader to decide and to explain, so
//! every diagnostic still points into text. Facts read here carry no spans:
//! there is no file for them to point into.

use serde_json::{Map, Value as Json};

use super::{Facts, Slot, parse_duration, parse_money};
use crate::check::ir::{Program, SchemaNode};
use crate::value::{Base, Type, Value};

/// The facts of a case given as a JSON value, or `None` to leave it to the
/// full reader.
pub fn read(program: &Program, value: &Json) -> Option<Facts> {
    let mut facts = Facts::unknown(program);
    record(program, &mut facts, 0, value.as_object()?, true)?;
    Some(facts)
}

fn record(
    program: &Program,
    facts: &mut Facts,
    record_id: u32,
    object: &Map<String, Json>,
    root: bool,
) -> Option<()> {
    let children = &program.records.get(record_id as usize)?.children;
    for (key, value) in object {
        if root && key == "as_of" {
            facts.as_of = Some(super::tree::strict_date(value.as_str()?)?);
            continue;
        }
        if root && key == "roll_over_holidays" {
            facts.roll_over_holidays = Some(value.as_bool()?);
            continue;
        }
        let (_, node) = children.iter().find(|(name, _)| name == key)?;
        match *node {
            SchemaNode::Record(child) if value.is_null() => facts.null_record(program, child, None),
            SchemaNode::Record(child) => record(program, facts, child, value.as_object()?, false)?,
            SchemaNode::Fact(id) => {
                let ty = program.facts.get(id as usize)?.ty;
                *facts.slots.get_mut(id as usize)? = slot(program, ty, value)?;
            }
        }
    }
    Some(())
}

fn slot(program: &Program, ty: Type, value: &Json) -> Option<Slot> {
    if value.is_null() {
        return ty.optional.then_some(Slot::Null);
    }
    let enum_value = |e: u32, v: &Json| program.enums.get(e as usize)?.index_of(v.as_str()?);
    let value = match ty.base {
        Base::Bool => Value::Bool(value.as_bool()?),
        Base::Int => Value::Int(value.as_i64()?),
        Base::Money => match value {
            Json::String(text) => Value::Money(parse_money(text)?),
            _ => Value::Money(value.as_i64()?),
        },
        // Too long a text is left to the full reader, which says so.
        Base::Text => Value::Text(
            Some(value.as_str()?)
                .filter(|s| s.len() <= program.limits.string_bytes)?
                .into(),
        ),
        Base::Date => Value::Date(super::tree::strict_date(value.as_str()?)?),
        Base::Duration => Value::Duration(parse_duration(value.as_str()?)?),
        Base::Enum(e) => Value::Enum(e, enum_value(e, value)?),
        Base::Set(e) | Base::List(e) => {
            let mut indices = value
                .as_array()?
                .iter()
                .map(|v| enum_value(e, v))
                .collect::<Option<Vec<u32>>>()?;
            if matches!(ty.base, Base::Set(_)) {
                indices.sort_unstable();
                indices.dedup();
            }
            Value::Set(e, indices.into())
        }
        // Logs are read by the general reader, which reports problems per entry.
        Base::Log => return None,
    };
    Some(Slot::Known(value))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::expect_used, clippy::unwrap_used)]

    use super::*;
    use crate::case::direct::casegen;
    use crate::case::test_support::{full_facts as full, shipped};

    fn same(a: &Facts, b: &Facts) -> bool {
        a.slots == b.slots && a.as_of == b.as_of && a.roll_over_holidays == b.roll_over_holidays
    }

    #[test]
    fn generated_cases_read_as_their_text_does() {
        let policy = shipped();
        let program = policy.program();
        let mut rng = casegen::Rng::new(21);
        for n in 0..300 {
            let case = casegen::case(&mut rng);
            let quick = read(program, &case)
                .unwrap_or_else(|| panic!("case {n} left to the full reader: {case}"));
            let full = full(program, &case.to_string()).expect("the full reader accepts it");
            assert!(same(&quick, &full), "case {n} reads differently: {case}");
        }
    }

    /// Whatever the value reader accepts of a damaged case, the text reader
    /// accepts with the same facts.
    #[test]
    fn damaged_values_are_never_read_differently() {
        let policy = shipped();
        let program = policy.program();
        let mut rng = casegen::Rng::new(22);
        let odd = [
            Json::Null,
            Json::from(true),
            Json::from(1e3),
            Json::from(-7),
            Json::from("2026-02-30"),
            Json::from("researcher"),
            Json::from("12 months"),
            Json::from("1,000 CNY"),
            serde_json::json!([]),
            serde_json::json!({}),
            serde_json::json!(["researcher", "researcher"]),
        ];
        let (mut accepted, mut refused) = (0, 0);
        for _ in 0..2_000 {
            let mut case = casegen::case(&mut rng);
            // Replace one value somewhere in the case with an odd one.
            let Some(records) = case.as_object_mut() else {
                continue;
            };
            let keys: Vec<String> = records.keys().cloned().collect();
            let key = &keys[rng.below(keys.len() as u64) as usize];
            let replacement = odd[rng.below(odd.len() as u64) as usize].clone();
            match records.get_mut(key) {
                Some(Json::Object(inner)) if !inner.is_empty() && rng.chance(80) => {
                    let inner_keys: Vec<String> = inner.keys().cloned().collect();
                    let at = &inner_keys[rng.below(inner_keys.len() as u64) as usize];
                    inner.insert(at.clone(), replacement);
                }
                Some(slot) => *slot = replacement,
                None => continue,
            }
            let quick = read(program, &case);
            let full = full(program, &case.to_string());
            match (&quick, &full) {
                (Some(q), Some(f)) => {
                    assert!(same(q, f), "read differently: {case}");
                    accepted += 1;
                }
                (Some(_), None) => {
                    panic!("the value reader accepts what the text reader refuses: {case}")
                }
                _ => refused += 1,
            }
        }
        assert!(
            accepted >= 10 && refused >= 10,
            "{accepted} accepted, {refused} refused"
        );
    }
}
