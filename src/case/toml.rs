//! TOML case files, through the toml crate's spanned document tree.

use chrono::NaiveDate;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

use super::tree::{MAX_DEPTH, Node, ReadProblem, Tree};
use crate::source::Span;

pub fn parse(text: &str) -> Result<Tree, ReadProblem> {
    let table = DeTable::parse(text).map_err(|e| {
        let span = e
            .span()
            .map_or(Span::new(0, 0), |r| Span::new(r.start, r.end));
        ReadProblem::new(
            format!("this is not valid TOML: {}", e.message().trim()),
            span,
        )
    })?;
    let span = table.span();
    convert_table(table.get_ref(), Span::new(span.start, span.end), 0)
}

/// A table at `depth`, which its caller (`convert`, or the root) has
/// already checked against the limit.
fn convert_table(table: &DeTable<'_>, span: Span, depth: usize) -> Result<Tree, ReadProblem> {
    let mut entries = Vec::new();
    for (key, value) in table {
        let key_span = key.span();
        entries.push((
            key.get_ref().to_string(),
            Span::new(key_span.start, key_span.end),
            convert(value, depth + 1)?,
        ));
    }
    Ok(Tree::new(Node::Map(entries), span))
}

fn convert(value: &Spanned<DeValue<'_>>, depth: usize) -> Result<Tree, ReadProblem> {
    let range = value.span();
    let span = Span::new(range.start, range.end);
    if depth > MAX_DEPTH {
        return Err(ReadProblem::too_deep(span.start));
    }
    let node = match value.get_ref() {
        DeValue::String(s) => Node::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits = i.as_str().replace('_', "");
            match i64::from_str_radix(
                digits
                    .trim_start_matches("0x")
                    .trim_start_matches("0o")
                    .trim_start_matches("0b"),
                i.radix(),
            ) {
                Ok(n) => Node::Int(n),
                Err(_) => return Err(ReadProblem::new("this number is too large", span)),
            }
        }
        DeValue::Float(f) => Node::Float(f.as_str().replace('_', "").parse().unwrap_or(f64::NAN)),
        DeValue::Boolean(b) => Node::Bool(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time) {
            (Some(d), None) => match NaiveDate::from_ymd_opt(
                i32::from(d.year),
                u32::from(d.month),
                u32::from(d.day),
            ) {
                Some(date) => Node::Date(date),
                None => {
                    return Err(ReadProblem::new(
                        format!("{dt} is not a date in the calendar"),
                        span,
                    ));
                }
            },
            _ => Node::Str(dt.to_string()),
        },
        DeValue::Array(items) => Node::List(
            items
                .iter()
                .map(|v| convert(v, depth + 1))
                .collect::<Result<_, _>>()?,
        ),
        // The table is this value: one level, counted once.
        DeValue::Table(table) => return convert_table(table, span, depth),
    };
    Ok(Tree::new(node, span))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_spans() {
        let text = "as_of = 2026-03-10\n[vulnerability]\naware_on = \"2026-03-03\"\n";
        let Ok(Tree {
            node: Node::Map(entries),
            ..
        }) = parse(text)
        else {
            panic!("not a map")
        };
        assert_eq!(
            entries[0].2.node,
            Node::Date(NaiveDate::from_ymd_opt(2026, 3, 10).unwrap_or_default())
        );
        let Node::Map(inner) = &entries[1].2.node else {
            panic!("not a table")
        };
        assert_eq!(
            &text[inner[0].2.span.start..inner[0].2.span.end],
            "\"2026-03-03\""
        );
    }
}
