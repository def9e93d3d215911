//! The catalogue as one self-contained HTML page: a table of contents, a
//! print stylesheet, no scripts, every string from a policy escaped.

use std::fmt::Write;

use super::penalties::{group_heading, sanction_text, step_heading};
use super::{
    Catalogue, NoteEntry, PenaltyEntry, RegulationEntry, RuleEntry, SECTIONS, anchor, status_line,
};

/// Text escaped for HTML content and attribute values.
fn esc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "
body { font: 15px/1.5 system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
nav { border: 1px solid #ccc; padding: .5rem 1rem; margin-bottom: 2rem; }
h2 { border-bottom: 2px solid #444; margin-top: 3rem; }
h3 { margin-top: 2rem; }
.rule { margin: .75rem 0; padding-left: .75rem; border-left: 3px solid #bbb; }
.rule.must_not { border-color: #b33; } .rule.must { border-color: #36c; }
.meta, .src { color: #555; font-size: 90%; }
code { background: #f3f3f3; padding: 0 .2rem; }
.status { font-weight: bold; }
.may { font-style: italic; }
.review { background: #fff6d5; }
.arguable { color: #8a5a00; }
@media print {
  body { max-width: none; margin: 0; font-size: 11pt; }
  nav { page-break-after: always; border: none; }
  h2 { page-break-before: always; }
  .rule { page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
  .src a::after { content: \" (\" attr(href) \")\"; }
}
";

pub(super) fn render(catalogue: &Catalogue, link_base: &str) -> String {
    let mut out = String::new();
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<title>Policy catalogue</title>\n<style>");
    out.push_str(STYLE);
    out.push_str("</style>\n</head>\n<body>\n<h1>Policy catalogue</h1>\n");
    out.push_str("<nav id=\"contents\">\n<h2>Contents</h2>\n<ul>\n");
    for reg in &catalogue.regulations {
        let _ = write!(
            out,
            "<li><a href=\"#{}\">{}</a> ({})<ul>",
            esc(&anchor(&[&reg.id])),
            esc(&reg.title),
            esc(&status_line(reg))
        );
        for role in &reg.roles {
            let _ = write!(
                out,
                "<li><a href=\"#{}\">{}</a></li>",
                esc(&anchor(&[&reg.id, &role.name])),
                esc(&role.name)
            );
        }
        if !reg.penalties.is_empty() {
            let _ = write!(
                out,
                "<li><a href=\"#{}\">Penalties</a></li>",
                esc(&anchor(&[&reg.id, "penalties"]))
            );
        }
        out.push_str("</ul></li>\n");
    }
    out.push_str("</ul>\n</nav>\n");
    for reg in &catalogue.regulations {
        regulation(&mut out, reg, link_base);
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn regulation(out: &mut String, reg: &RegulationEntry, link_base: &str) {
    let _ = writeln!(
        out,
        "<section class=\"regulation\">\n<h2 id=\"{}\">{}</h2>",
        esc(&anchor(&[&reg.id])),
        esc(&reg.title)
    );
    for (language, title) in &reg.other_titles {
        let _ = writeln!(out, "<p lang=\"{}\">{}</p>", esc(language), esc(title));
    }
    out.push_str("<ul class=\"meta\">");
    let _ = write!(
        out,
        "<li>Identifier: <code>{}</code></li><li>Status: <span class=\"status\">{}</span></li>",
        esc(&reg.id),
        esc(&status_line(reg))
    );
    if !reg.issuers.is_empty() {
        let _ = write!(out, "<li>Issued by: {}</li>", esc(&reg.issuers.join(", ")));
    }
    if let Some(issued) = reg.issued {
        let _ = write!(out, "<li>Issued on: {issued}</li>");
    }
    if let Some(source) = &reg.source {
        let _ = write!(out, "<li>Document: {}</li>", esc(source));
    }
    out.push_str("</ul>\n");
    for role in &reg.roles {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">{}</h3>",
            esc(&anchor(&[&reg.id, &role.name])),
            esc(&role.name)
        );
        if let Some(description) = &role.description {
            let _ = writeln!(out, "<p>{}</p>", esc(description));
        }
        for (modality, heading) in SECTIONS {
            let rules: Vec<&RuleEntry> = role
                .rules
                .iter()
                .filter(|r| r.modality == modality)
                .collect();
            if rules.is_empty() {
                continue;
            }
            let _ = writeln!(out, "<h4>{heading}</h4>");
            for rule in rules {
                rule_item(out, reg, rule, link_base);
            }
        }
    }
    if !reg.penalties.is_empty() {
        let _ = writeln!(
            out,
            "<h3 id=\"{}\">Penalties</h3>",
            esc(&anchor(&[&reg.id, "penalties"]))
        );
        for penalty in &reg.penalties {
            penalty_item(out, reg, penalty, link_base);
        }
    }
    out.push_str("</section>\n");
}

/// A link to a line of a policy file.
fn source_link(file: &str, line: usize, link_base: &str) -> String {
    let href = format!("{link_base}{file}#L{line}");
    format!("<a href=\"{}\">{}:{line}</a>", esc(&href), esc(file))
}

/// A review note as a list item: its text, its condition, its citations and source.
fn note(out: &mut String, note: &NoteEntry, link_base: &str) {
    let _ = write!(out, "<li class=\"review\">Review: {}", esc(&note.text));
    if let Some(condition) = &note.condition {
        let _ = write!(out, " — when <code>{}</code>", esc(condition));
    }
    let cites = if note.citations.is_empty() {
        "no citation".to_string()
    } else {
        note.citations.join("; ")
    };
    let _ = write!(
        out,
        " <span class=\"src\">({} · {})</span></li>",
        esc(&cites),
        source_link(&note.file, note.line, link_base)
    );
}

fn penalty_item(out: &mut String, reg: &RegulationEntry, penalty: &PenaltyEntry, link_base: &str) {
    let _ = write!(
        out,
        "<h4 id=\"{}\"><code>{}</code>",
        esc(&anchor(&[&reg.id, "penalty", &penalty.name])),
        esc(&penalty.name)
    );
    if let Some(d) = &penalty.description {
        let _ = write!(out, ": {}", esc(d));
    }
    out.push_str("</h4>\n");
    let cites = if penalty.citations.is_empty() {
        "no citation".to_string()
    } else {
        penalty.citations.join("; ")
    };
    let _ = writeln!(
        out,
        "<p class=\"meta src\">Cites: {} · {}</p>",
        esc(&cites),
        source_link(&penalty.file, penalty.line, link_base)
    );
    if !penalty.notes.is_empty() {
        out.push_str("<ul>");
        for n in &penalty.notes {
            note(out, n, link_base);
        }
        out.push_str("</ul>\n");
    }
    for version in &penalty.versions {
        if version.label.is_some() || version.from.is_some() {
            let from = version
                .from
                .map_or(String::new(), |d| format!(", from {d}"));
            let _ = write!(
                out,
                "<p>Version “{}”{from}",
                esc(version.label.as_deref().unwrap_or("version"))
            );
            if !version.citations.is_empty() {
                let _ = write!(out, " ({})", esc(&version.citations.join("; ")));
            }
            let _ = writeln!(
                out,
                " <span class=\"src\">{}</span></p>",
                source_link(&penalty.file, version.line, link_base)
            );
        }
        out.push_str("<ul>");
        for n in &version.notes {
            note(out, n, link_base);
        }
        // Without tiers the scale has one step: its sanctions need no heading.
        let plain = !version.steps.iter().any(|s| s.tier.is_some());
        for step in &version.steps {
            if !plain {
                let (heading, condition) = step_heading(step);
                let _ = write!(out, "<li>{}", esc(&heading));
                if let Some(condition) = condition {
                    let _ = write!(out, " — when <code>{}</code>", esc(condition));
                }
                if step.tier.is_some() {
                    let _ = write!(
                        out,
                        " <span class=\"src\">{}</span>",
                        source_link(&penalty.file, step.line, link_base)
                    );
                }
                out.push_str("<ul>");
            }
            for n in &step.notes {
                note(out, n, link_base);
            }
            for group in &step.groups {
                if group.one_of {
                    let class = if group.discretionary {
                        " class=\"may\""
                    } else {
                        ""
                    };
                    let _ = write!(out, "<li{class}>{}<ul>", esc(group_heading(group)));
                    for sanction in &group.sanctions {
                        let mut text = sanction.text.clone();
                        if let Some(c) = &sanction.condition {
                            text.push_str(&format!(" — when {c}"));
                        }
                        let _ = write!(out, "<li>{}</li>", esc(&text));
                    }
                    out.push_str("</ul></li>");
                } else {
                    for sanction in &group.sanctions {
                        let class = if sanction.discretionary {
                            " class=\"may\""
                        } else {
                            ""
                        };
                        let _ = write!(out, "<li{class}>{}</li>", esc(&sanction_text(sanction)));
                    }
                }
            }
            if !plain {
                out.push_str("</ul></li>");
            }
        }
        out.push_str("</ul>\n");
    }
}

fn rule_item(out: &mut String, reg: &RegulationEntry, rule: &RuleEntry, link_base: &str) {
    let modality_class = match rule.modality {
        crate::Modality::Must => "must",
        crate::Modality::MustNot => "must_not",
        crate::Modality::May => "may",
        crate::Modality::Should => "should",
    };
    let _ = write!(
        out,
        "<div class=\"rule {modality_class}\"><p><strong>{}</strong> <code>{}</code>: {} “{}”</p><ul>",
        esc(rule.description.as_deref().unwrap_or(&rule.name)),
        esc(&rule.name),
        esc(rule.modality.keyword()),
        esc(&rule.action)
    );
    if let Some(deadline) = &rule.deadline {
        let _ = write!(out, "<li>Deadline: <code>{}</code></li>", esc(deadline));
    }
    for condition in &rule.conditions {
        let _ = write!(out, "<li>When: <code>{}</code></li>", esc(condition));
    }
    for exception in &rule.exceptions {
        let _ = write!(out, "<li>Unless: <code>{}</code></li>", esc(exception));
    }
    for date in &rule.dates {
        let _ = write!(out, "<li>Dates: {}</li>", esc(date));
    }
    if !rule.penalties.is_empty() {
        let links: Vec<String> = rule
            .penalties
            .iter()
            .map(|link| {
                let p = &link.penalty;
                let mut text = format!(
                    "<a href=\"#{}\"><code>{}</code></a>",
                    esc(&anchor(&[&reg.id, "penalty", p])),
                    esc(p)
                );
                if let Some(reason) = &link.arguable {
                    text.push_str(&format!(
                        " <span class=\"arguable\">(arguable: {} · {})</span>",
                        esc(reason),
                        source_link(&rule.file, link.line, link_base)
                    ));
                }
                text
            })
            .collect();
        let _ = write!(out, "<li>Penalty: {}</li>", links.join(", "));
    }
    for n in &rule.notes {
        note(out, n, link_base);
    }
    let cites = if rule.citations.is_empty() {
        "no citation".to_string()
    } else {
        rule.citations.join("; ")
    };
    let _ = writeln!(
        out,
        "<li class=\"src\">Cites: {} · {} · {}</li></ul></div>",
        esc(&cites),
        esc(&status_line(reg)),
        source_link(&rule.file, rule.line, link_base)
    );
}
