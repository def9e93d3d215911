//! Text about a loaded policy set, as the REPL shows it: a rule as written
//! with its roles and penalties, the list of rules, the case's facts with
//! their types.

use std::fmt::Write as _;

use crate::case::Slot;
use crate::check::ir::{PenaltyInfo, RuleInfo};
use crate::eval::show;
use crate::report::human::{Paint, wrap};
use crate::source::{Source, Span};
use crate::{Case, Finding, Policy};
use chrono::NaiveDate;

/// A fact's value in a case, as the REPL shows it: the value, `null` or
/// `unknown`; `None` when the policy has no such fact.
pub fn fact_value(policy: &Policy, case: &Case, path: &str) -> Option<String> {
    let program = policy.program();
    let &id = program.fact_index.get(path)?;
    Some(match case.facts().slots.get(id as usize) {
        Some(Slot::Known(v)) => show(program, v),
        Some(Slot::Null) => "null".into(),
        _ => "unknown".into(),
    })
}

/// How many of the policy's facts the case gives (known or `null`), and how many there are.
pub fn facts_given(policy: &Policy, case: &Case) -> (usize, usize) {
    let slots = &case.facts().slots;
    let given = slots.iter().filter(|s| !matches!(s, Slot::Unknown)).count();
    (given, policy.program().facts.len())
}

/// A rule's finding for a case, with its explanation: why it has its status.
/// The date is chosen as for [`Policy::evaluate`].
pub fn finding(
    policy: &Policy,
    case: &Case,
    as_of: Option<NaiveDate>,
    rule: &str,
) -> Option<Finding> {
    let report = policy.evaluate(case, as_of);
    report.findings.into_iter().find(|f| &*f.rule == rule)
}

/// The case's facts under `prefix` (all facts for an empty prefix) with
/// their types and values. Without a prefix, unknown facts are only listed.
pub fn fact_table(policy: &Policy, case: &Case, prefix: &str, color: bool) -> String {
    let (program, paint) = (policy.program(), Paint { on: color });
    let slots = &case.facts().slots;
    let under = |path: &str| {
        prefix.is_empty()
            || path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('.'))
    };
    let mut rows = Vec::new();
    let mut unknown = Vec::new();
    for (id, fact) in program.facts.iter().enumerate() {
        if !under(&fact.path) {
            continue;
        }
        let value = match slots.get(id) {
            Some(Slot::Known(v)) => show(program, v),
            Some(Slot::Null) => "null".to_string(),
            _ if prefix.is_empty() => {
                unknown.push(fact.path.to_string());
                continue;
            }
            _ => "unknown".to_string(),
        };
        rows.push((fact.path.to_string(), program.type_name(fact.ty), value));
    }
    let path_width = rows.iter().map(|r| r.0.chars().count()).max().unwrap_or(0);
    let type_width = rows.iter().map(|r| r.1.chars().count()).max().unwrap_or(0);
    let mut out = String::new();
    for (path, ty, value) in &rows {
        let value = if value == "unknown" {
            paint.dim(value)
        } else {
            value.clone()
        };
        let _ = writeln!(
            out,
            "  {path:<path_width$}  {}  {value}",
            paint.dim(&format!("{ty:<type_width$}"))
        );
    }
    if !unknown.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            paint.bold(&format!(
                "Unknown ({}): the case does not say",
                unknown.len()
            ))
        );
        let _ = writeln!(out, "  {}", wrap(&unknown.join(", "), 90, "  "));
    }
    out
}

/// The text of a declaration (`rule name … { … }`) found from its name's span:
/// from the start of the keyword's line to the closing brace.
pub(crate) fn declaration(source: &Source, name: Span) -> Option<String> {
    let text: &str = &source.text;
    let end = super::index::closing_brace(text, name.end)?;
    let extent = super::index::item_extent(text, name);
    text.get(extent.start..end).map(str::to_string)
}

/// A piece of policy text, dedented and indented by `indent`.
pub(crate) fn indented(text: &str, indent: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let common = lines
        .iter()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out = String::new();
    for line in lines {
        let line = line.get(common..).unwrap_or(line.trim_start());
        let _ = writeln!(out, "{indent}{}", line.trim_end());
    }
    out
}

fn penalty(out: &mut String, info: &PenaltyInfo, paint: Paint) {
    let cites = if info.cites.is_empty() {
        String::new()
    } else {
        format!(" — {}", info.cites.join("; "))
    };
    let _ = writeln!(
        out,
        "  {} {}{cites}",
        paint.dim("penalty"),
        paint.bold(&info.name)
    );
    if let Some(doc) = &info.doc {
        let _ = writeln!(out, "    {}", wrap(doc, 90, "    "));
    }
    for version in &info.versions {
        let indent = match (&version.label, version.from) {
            (Some(label), Some(from)) => {
                let cites = if version.cites.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", version.cites.join("; "))
                };
                let _ = writeln!(out, "    version \"{label}\", from {from}{cites}:");
                "      "
            }
            _ => "    ",
        };
        for sanction in &version.sanctions {
            let when = sanction
                .condition
                .as_ref()
                .map(|c| format!(" {}", paint.dim(&format!("— when {}", c.text))))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "{indent}- {}{when}",
                crate::eval::penalties::describe(&sanction.kind)
            );
        }
    }
}

/// A rule as written, where it stands, who it binds and the penalties it
/// refers to.
pub fn rule_text(policy: &Policy, id: &str, color: bool) -> Option<String> {
    let (program, paint) = (policy.program(), Paint { on: color });
    let rule = program.rules.iter().find(|r| &*r.id == id)?;
    let mut out = String::new();
    let regulation = program.regulations.get(rule.regulation as usize);
    let cites = if rule.cites.is_empty() {
        "no citation".to_string()
    } else {
        rule.cites.join("; ")
    };
    let _ = writeln!(
        out,
        "{} {}",
        paint.bold(&format!("rule {}", rule.id)),
        paint.dim(&format!("— {cites}"))
    );
    if let Some(regulation) = regulation {
        let status = match (regulation.status, regulation.effective) {
            (crate::syntax::ast::RegulationStatus::Draft, _) => "a draft, not in force".to_string(),
            (status, Some(from)) => format!("{}, effective from {from}", status.label()),
            (status, None) => status.label().to_string(),
        };
        let _ = writeln!(
            out,
            "  {} ({}; {status})",
            regulation.title(),
            regulation.id
        );
    }
    if let Some(doc) = &rule.doc {
        let _ = writeln!(out, "  {}", wrap(doc, 90, "  "));
    }
    if let Some(source) = program.sources.get(rule.file as usize) {
        let (line, _) = source.line_col(rule.span.start);
        let _ = writeln!(out, "  {}", paint.dim(&format!("{}:{line}", source.name)));
        if let Some(text) = declaration(source, rule.span) {
            let _ = writeln!(out);
            out.push_str(&indented(&text, "  "));
        }
    }
    if !rule.roles.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(out, "  {}", paint.bold("binds"));
        for &role in &rule.roles {
            if let Some(info) = program.roles.get(role as usize) {
                let _ = writeln!(
                    out,
                    "    {} {}",
                    info.name,
                    paint.dim(&format!("— when {}", info.condition.text))
                );
            }
        }
    }
    let exceptions: Vec<&str> = program
        .rules
        .iter()
        .filter(|other| {
            other
                .exception_to
                .and_then(|t| program.rules.get(t as usize))
                .is_some_and(|t| t.id == rule.id)
        })
        .map(|other| other.id.as_ref())
        .collect();
    if !exceptions.is_empty() {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "  {} {}",
            paint.bold("exceptions to it:"),
            exceptions.join(", ")
        );
    }
    if !rule.penalties.is_empty() {
        let _ = writeln!(out);
        for &id in &rule.penalties {
            if let Some(info) = program.penalties.get(id as usize) {
                penalty(&mut out, info, paint);
            }
        }
    }
    Some(out)
}

/// The rule ids, one line each with what they ask.
pub fn rule_list(policy: &Policy, color: bool) -> String {
    let (program, paint) = (policy.program(), Paint { on: color });
    let mut out = String::new();
    for (index, regulation) in program.regulations.iter().enumerate() {
        let rules: Vec<&RuleInfo> = program
            .rules
            .iter()
            .filter(|r| r.regulation as usize == index)
            .collect();
        if rules.is_empty() {
            continue;
        }
        let _ = writeln!(
            out,
            "{} ({} rules)",
            paint.bold(&regulation.id),
            rules.len()
        );
        let width = rules.iter().map(|r| r.id.len()).max().unwrap_or(0);
        for rule in rules {
            let _ = writeln!(
                out,
                "  {:<width$}  {}",
                rule.id,
                paint.dim(&rule.cites.join("; "))
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declaration_runs_to_its_closing_brace() {
        let text =
            "// head\nrule a \"doc { with brace\" {\n  cite \"x\" // }\n  when b\n}\nrule c {}\n";
        let source = Source::new("p.deon", text);
        let start = text.find("a \"").unwrap_or(0);
        let found = declaration(&source, Span::new(start, start + 1));
        assert_eq!(
            found.as_deref(),
            Some("rule a \"doc { with brace\" {\n  cite \"x\" // }\n  when b\n}")
        );
    }
}
