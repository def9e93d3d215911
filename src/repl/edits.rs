//! Changing the case from the REPL: `:set`, `:unset` and `:whatif`.

use std::fmt::Write as _;

use chrono::NaiveDate;

use super::commands::{example, usage};
use super::input::assignments;
use super::{InputError, Output, Session, show};
use crate::Case;
use crate::analysis::{self, FactEdit};
use crate::source::{Source, Span};

impl Session {
    /// The edits typed after `:set` or `:whatif`, each checked for an `=`.
    fn edits(&self, source: &Source, span: Span, command: &str) -> Result<Vec<FactEdit>, Output> {
        let items = assignments(&source.text, span.end);
        if items.is_empty() {
            return Err(usage(source, span, command));
        }
        let mut edits = Vec::new();
        let mut out = Output::default();
        for item in items {
            match item.value {
                Some(value) => edits.push(FactEdit::set(source.clone(), item.path, value)),
                None => out.problem(
                    InputError::at(
                        "usage",
                        source,
                        item.span,
                        format!("`:{command}` needs `<fact> = <value>`"),
                        "no `=` here",
                    )
                    .help(format!(
                        "e.g. `{}`; to make a fact unknown, use `:unset`",
                        example(command)
                    )),
                ),
            }
        }
        if out.items.is_empty() {
            Ok(edits)
        } else {
            Err(out)
        }
    }

    /// `path: old → new` for each edited fact.
    fn describe_changes(&self, before: &Case, after: &Case, edits: &[FactEdit]) -> String {
        let Some(state) = &self.state else {
            return String::new();
        };
        let policy = &state.policy;
        let facts = policy.summary().facts;
        let value = |case: &Case, path: &str| {
            analysis::fact_value(policy, case, path).unwrap_or_else(|| "unknown".into())
        };
        let mut out = String::new();
        for edit in edits {
            let path = edit.path_text().trim();
            let is_fact = facts.iter().any(|f| f == path);
            let paths: Vec<&String> = if is_fact {
                facts.iter().filter(|f| *f == path).collect()
            } else {
                facts
                    .iter()
                    .filter(|f| {
                        f.strip_prefix(path)
                            .is_some_and(|rest| rest.starts_with('.'))
                    })
                    .collect()
            };
            if path == "as_of" {
                let show = |d: Option<NaiveDate>| d.map_or("none".to_string(), |d| d.to_string());
                let _ = writeln!(
                    out,
                    "  as_of: {} → {}",
                    show(before.as_of()),
                    show(after.as_of())
                );
            }
            let record = !paths.is_empty() && !is_fact;
            let mut changed = 0;
            for fact in paths {
                let (old, new) = (value(before, fact), value(after, fact));
                if old != new || !record {
                    changed += 1;
                    let _ = writeln!(out, "  {fact}: {old} → {new}");
                }
            }
            if record && changed == 0 {
                let _ = writeln!(out, "  {path}: no fact changes");
            }
        }
        out
    }

    pub(super) fn set(&mut self, source: &Source, span: Span) -> Output {
        let edits = match self.edits(source, span, "set") {
            Ok(edits) => edits,
            Err(out) => return out,
        };
        self.apply_edits(edits)
    }

    pub(super) fn unset(&mut self, source: &Source, span: Span) -> Output {
        if let Err(out) = self.state_or_error() {
            return out;
        }
        let text: &str = &source.text;
        let mut edits = Vec::new();
        let mut at = span.end;
        for word in text[span.end..].split(|c: char| c.is_whitespace() || c == ',') {
            let start = text[at..].find(word).map_or(at, |i| at + i);
            at = start + word.len();
            if !word.is_empty() {
                edits.push(FactEdit::unset(source.clone(), Span::new(start, at)));
            }
        }
        if edits.is_empty() {
            return usage(source, span, "unset");
        }
        self.apply_edits(edits)
    }

    /// Applies typed changes to the case, keeping them for `:reload`.
    fn apply_edits(&mut self, edits: Vec<FactEdit>) -> Output {
        let mut out = Output::default();
        let Some(state) = self.state.as_ref() else {
            return self.state_or_error().err().unwrap_or_default();
        };
        match state.case.edited(&state.policy, &edits) {
            Ok(case) => {
                let text = self.describe_changes(&state.case, &case, &edits);
                if let Some(state) = self.state.as_mut() {
                    state.case = case;
                    state.edits.extend(edits);
                }
                out.say(text);
            }
            Err(diagnostics) => out.diagnostics(diagnostics),
        }
        out
    }

    pub(super) fn what_if(&self, source: &Source, span: Span) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        let edits = match self.edits(source, span, "whatif") {
            Ok(edits) => edits,
            Err(out) => return out,
        };
        let changed = match state.case.edited(&state.policy, &edits) {
            Ok(case) => case,
            Err(diagnostics) => {
                let mut out = Output::default();
                out.diagnostics(diagnostics);
                return out;
            }
        };
        let before = state.policy.evaluate(&state.case, self.as_of);
        let after = state.policy.evaluate(&changed, self.as_of);
        let mut out = Output::default();
        out.say(format!(
            "{}\n",
            self.paint().bold("what if (nothing is kept):")
        ));
        out.say(self.describe_changes(&state.case, &changed, &edits));
        if self.as_of.is_some() && edits.iter().any(|e| e.path_text().trim() == "as_of") {
            out.say(format!(
                "  (the date set with :asof, {}, still decides the evaluation)\n",
                before.as_of
            ));
        }
        out.say(format!("{}\n", self.paint().bold("findings that change:")));
        out.say(show::differences(&before, &after, self.paint()));
        out
    }
}
