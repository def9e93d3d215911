//! Text the REPL prints: facts with their types, a rule as written, a
//! finding's reasons, and what changed in a what-if.

use std::fmt::Write as _;

use crate::Case;
use crate::case::Slot;
use crate::check::ir::{PenaltyInfo, Program, RuleInfo};
use crate::eval::show;
use crate::report::model::{Exposure, Finding, FineRange, Report};
use crate::source::{Source, Span};
use crate::value::format_amount;

pub(crate) use crate::report::human::{Paint, penalty_lines, wrap};

/// The case's facts under `prefix` (all facts for an empty prefix) with
/// their types and values. Without a prefix, unknown facts are only listed.
pub fn facts(program: &Program, case: &Case, prefix: &str, paint: Paint) -> String {
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
    let line_start = text.get(..name.start)?.rfind('\n').map_or(0, |i| i + 1);
    let mut depth = 0usize;
    let mut quote = false;
    let mut escaped = false;
    let mut comment = false;
    let rest = text.get(name.end..)?;
    for (i, c) in rest.char_indices() {
        if comment {
            comment = c != '\n';
            continue;
        }
        if quote {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                quote = false;
            }
            continue;
        }
        match c {
            '"' => quote = true,
            '/' if rest[i..].starts_with("//") => comment = true,
            '{' => depth += 1,
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return text.get(line_start..name.end + i + 1).map(str::to_string);
                }
            }
            _ => {}
        }
    }
    None
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
pub fn rule(program: &Program, rule: &RuleInfo, paint: Paint) -> String {
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
    out
}

/// The rule ids, one line each with what they ask.
pub fn rule_list(program: &Program, paint: Paint) -> String {
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

fn finding_header(out: &mut String, f: &Finding, paint: Paint) {
    let _ = writeln!(
        out,
        "{} {} {}",
        paint.bold(&f.rule),
        paint.status(f.status, &f.status.label().to_uppercase()),
        paint.dim(&format!("— {} ({})", f.citations.join("; "), f.regulation))
    );
    let _ = writeln!(out, "  {} \"{}\"", f.modality.keyword(), f.action);
    let _ = writeln!(out, "  {}", f.summary);
}

/// Why a finding has its status: each condition considered, what it came to
/// and the facts that decided it.
pub fn explain(f: &Finding, paint: Paint) -> String {
    let mut out = String::new();
    finding_header(&mut out, f, paint);
    if f.explanation.is_empty() {
        let _ = writeln!(out, "  {}", paint.dim("(no condition was considered)"));
    } else {
        let _ = writeln!(out, "  {}", paint.dim("because:"));
    }
    for step in &f.explanation {
        let _ = writeln!(
            out,
            "    {}: {} → {}",
            step.clause,
            step.condition,
            paint.bold(&step.outcome)
        );
        for fact in &step.facts {
            let _ = writeln!(
                out,
                "      {}",
                paint.dim(&format!("{} = {}", fact.fact, fact.value))
            );
        }
    }
    if let Some(by) = &f.exempted_by {
        let _ = writeln!(out, "  exempted by: {by}");
    }
    if !f.depends_on.is_empty() {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.bold("the case leaves out:"),
            wrap(&f.depends_on.join(", "), 80, "    ")
        );
    }
    penalty_lines(&mut out, &f.penalties, paint, "  ");
    if !f.exposure.is_zero() {
        let _ = writeln!(
            out,
            "  {} {}",
            paint.dim("fines exposed:"),
            exposure(&f.exposure)
        );
    }
    out
}

fn range(r: FineRange) -> String {
    format!("{} to {} CNY", format_amount(r.min), format_amount(r.max))
}

/// An exposure on one line: `the entity 0 to 500,000 CNY; …`, or `none`.
pub fn exposure(e: &Exposure) -> String {
    let parts: Vec<String> = [
        ("the entity", e.entity),
        ("the person in charge", e.person_in_charge),
        ("the individual", e.individual),
    ]
    .into_iter()
    .filter(|(_, r)| !r.is_zero())
    .map(|(who, r)| format!("{who} {}", range(r)))
    .collect();
    if parts.is_empty() {
        "none".into()
    } else {
        parts.join("; ")
    }
}

/// The findings whose status or due date differ between two reports of the
/// same policies, old → new.
pub fn differences(before: &Report, after: &Report, paint: Paint) -> String {
    let mut out = String::new();
    let mut changed = 0;
    for new in &after.findings {
        let Some(old) = before.findings.iter().find(|f| f.rule == new.rule) else {
            continue;
        };
        if old.status == new.status && old.due == new.due {
            continue;
        }
        changed += 1;
        let status = if old.status == new.status {
            paint.status(new.status, new.status.label())
        } else {
            format!(
                "{} → {}",
                paint.status(old.status, old.status.label()),
                paint.status(new.status, new.status.label())
            )
        };
        let _ = writeln!(out, "  {} {status}", paint.bold(&new.rule));
        if old.due != new.due {
            let due =
                |d: Option<chrono::NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
            let _ = writeln!(out, "    due {} → {}", due(old.due), due(new.due));
        }
        let _ = writeln!(out, "    {} {}", paint.dim("was:"), old.summary);
        let _ = writeln!(out, "    {} {}", paint.dim("now:"), new.summary);
    }
    if changed == 0 {
        let _ = writeln!(out, "  no finding changes status or due date");
    }
    if before.totals != after.totals {
        let _ = writeln!(
            out,
            "  fines exposed by all violations: {} → {}",
            exposure(&before.totals),
            exposure(&after.totals)
        );
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

    #[test]
    fn wrapping_keeps_words_whole() {
        assert_eq!(wrap("aa bb cc", 5, "  "), "aa bb\n  cc");
    }
}
