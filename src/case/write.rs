//! A case's facts written back out as JSON, as a case file gives them.

use serde_json::{Map, Value as Json};

use super::{Facts, Slot};
use crate::check::ir::{Program, SchemaNode};
use crate::value::{Value, format_amount};

/// Known facts with their values, `null` for those known not to have
/// happened; unknown facts and records holding none are left out.
pub fn to_json(program: &Program, facts: &Facts) -> Json {
    let mut root = Map::new();
    if let Some(as_of) = facts.as_of {
        root.insert("as_of".into(), Json::String(as_of.to_string()));
    }
    if let Some(roll) = facts.roll_over_holidays {
        root.insert("roll_over_holidays".into(), Json::Bool(roll));
    }
    record(program, facts, 0, &mut root, 0);
    Json::Object(root)
}

fn record(program: &Program, facts: &Facts, id: u32, out: &mut Map<String, Json>, depth: usize) {
    let Some(info) = program.records.get(id as usize) else {
        return;
    };
    // The schema is finite and acyclic; the bound only guards against a bug.
    if depth > 64 {
        return;
    }
    for (name, node) in &info.children {
        match *node {
            SchemaNode::Record(child) => {
                let mut inner = Map::new();
                record(program, facts, child, &mut inner, depth + 1);
                if !inner.is_empty() {
                    out.insert(name.clone(), Json::Object(inner));
                }
            }
            SchemaNode::Fact(fact) => match facts.slots.get(fact as usize) {
                Some(Slot::Null) => {
                    out.insert(name.clone(), Json::Null);
                }
                Some(Slot::Known(value)) => {
                    out.insert(name.clone(), json_value(program, value));
                }
                Some(Slot::Unknown) | None => {}
            },
        }
    }
}

/// One value as a case file writes it (money as "50,000 CNY").
pub(crate) fn json_value(program: &Program, value: &Value) -> Json {
    let name = |e: u32, i: u32| {
        program
            .enums
            .get(e as usize)
            .and_then(|info| info.values.get(i as usize))
            .map_or_else(String::new, String::clone)
    };
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Duration(d) => Json::String(d.to_string()),
        Value::Money(m) => Json::String(format!("{} CNY", format_amount(*m))),
        Value::Enum(e, i) => Json::String(name(*e, *i)),
        Value::Set(e, items) => {
            Json::Array(items.iter().map(|&i| Json::String(name(*e, i))).collect())
        }
        Value::Log(entries) => Json::Array(
            entries
                .iter()
                .map(|e| {
                    serde_json::json!({
                        "kept_from": e.kept_from.to_string(),
                        "deleted_on": e.deleted_on.map(|d| d.to_string()),
                    })
                })
                .collect(),
        ),
    }
}
