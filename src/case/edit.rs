//! Changing single facts of a case, as typed at the REPL: `path = value`
//! gives a fact (or a whole record) a value, `path` alone makes it unknown
//! again. A typed value is read as YAML and validated by the same rules as a
//! case file, so every problem points into the text that was typed.

use super::tree::{Node, Tree};
use super::{CaseError, Facts, Slot, Validator, yaml};
use crate::check::error::suggest;
use crate::check::ir::{FactId, Program, SchemaNode};
use crate::source::{Source, Span};
use crate::{Case, Diagnostics, Policy, Problem};

/// One change to a case: the typed text, where the fact's path stands in it
/// and, unless the change makes the fact unknown, where its value stands.
#[derive(Clone, Debug)]
pub struct FactEdit {
    pub source: Source,
    pub path: Span,
    /// `None`: forget the fact (or every fact of the record): it becomes unknown.
    pub value: Option<Span>,
}

impl FactEdit {
    /// `path = value`, with both spans into `source`.
    pub fn set(source: Source, path: Span, value: Span) -> FactEdit {
        FactEdit {
            source,
            path,
            value: Some(value),
        }
    }

    /// Makes the fact (or every fact of the record) at `path` unknown.
    pub fn unset(source: Source, path: Span) -> FactEdit {
        FactEdit {
            source,
            path,
            value: None,
        }
    }

    /// The fact's path as typed.
    pub fn path_text(&self) -> &str {
        self.source.slice(self.path)
    }

    /// The value as typed; `None` for an unset.
    #[allow(dead_code)] // No caller since `Case::edited` became crate-private.
    pub fn value_text(&self) -> Option<&str> {
        self.value.map(|span| self.source.slice(span))
    }
}

impl Case {
    /// A copy of the case with the edits applied in order. Every problem is
    /// reported; on any problem the case is left as it was.
    pub(crate) fn edited(&self, policy: &Policy, edits: &[FactEdit]) -> Result<Case, Diagnostics> {
        let mut facts = self.facts().clone();
        let mut problems = Vec::new();
        for edit in edits {
            if let Err(errors) = apply(policy.program(), &mut facts, edit) {
                problems.extend(errors.into_iter().map(Problem::Case));
            }
        }
        if problems.is_empty() {
            Ok(Case::from_facts(facts))
        } else {
            Err(problems.into())
        }
    }
}

/// What a typed path names.
enum Target {
    AsOf,
    /// A fact or a record, named `name` in the record `parent`.
    Child {
        parent: u32,
        prefix: String,
    },
}

/// Applies one edit to `facts`. On an error `facts` is unchanged.
pub fn apply(program: &Program, facts: &mut Facts, edit: &FactEdit) -> Result<(), Vec<CaseError>> {
    let source = &edit.source;
    let path_span = trimmed(source, edit.path);
    let path = source.slice(path_span).to_string();
    let target = resolve(program, source, path_span, &path).map_err(|e| vec![*e])?;
    let Some(value_span) = edit.value else {
        forget(program, facts, &target, &path);
        return Ok(());
    };
    let tree = parse_value(source, value_span)?;
    let mut validator = Validator {
        program,
        source,
        facts: facts.clone(),
        errors: Vec::new(),
    };
    match target {
        Target::AsOf => {
            validator.facts.as_of = match tree.node {
                Node::Null => None,
                _ => validator.date(&tree, "as_of"),
            };
        }
        Target::Child { parent, prefix } => {
            let name = path.rsplit('.').next().unwrap_or(&path).to_string();
            let name_span = Span::new(path_span.end - name.len(), path_span.end);
            validator.record(parent, &prefix, &[(name, name_span, tree)]);
        }
    }
    if !validator.errors.is_empty() {
        return Err(validator.errors);
    }
    // The spans of typed values point into the typed line, not the case file.
    for (id, span) in validator.facts.spans.iter_mut().enumerate() {
        if *span != facts.spans.get(id).copied().flatten() {
            *span = None;
        }
    }
    *facts = validator.facts;
    Ok(())
}

fn trimmed(source: &Source, span: Span) -> Span {
    let text = source.slice(span);
    let start = span.start + (text.len() - text.trim_start().len());
    let end = span.start + text.trim_end().len();
    Span::new(start, end.max(start))
}

/// Reads a typed value as YAML, with spans into the whole typed text.
fn parse_value(source: &Source, span: Span) -> Result<Tree, Vec<CaseError>> {
    let span = trimmed(source, span);
    let text = source.slice(span);
    if text.is_empty() {
        let at = Span::new(span.start, span.start);
        let error = CaseError::new(
            "missing_value",
            source,
            at,
            "no value after `=`",
            "a value goes here",
        )
        .help("write the value after `=`, e.g. 2025-03-12, true, \"6 months\", [a, b] or null");
        return Err(vec![error]);
    }
    match yaml::parse(text) {
        Ok(mut tree) => {
            shift(&mut tree, span.start);
            Ok(tree)
        }
        Err(problem) => {
            let mut error = CaseError::new(
                "syntax",
                source,
                problem.span.shifted(span.start),
                problem.message,
                "here",
            );
            error.help = problem.help.or_else(|| {
                Some("values are written as in a YAML case file, e.g. [a, b] or \"text\"".into())
            });
            Err(vec![error])
        }
    }
}

fn shift(tree: &mut Tree, offset: usize) {
    tree.span = tree.span.shifted(offset);
    match &mut tree.node {
        Node::List(items) => items.iter_mut().for_each(|item| shift(item, offset)),
        Node::Map(entries) => {
            for (_, key_span, value) in entries {
                *key_span = key_span.shifted(offset);
                shift(value, offset);
            }
        }
        _ => {}
    }
}

/// Finds the record holding the last segment of `path`, checking every
/// segment; an unknown name gets a "did you mean".
fn resolve(
    program: &Program,
    source: &Source,
    span: Span,
    path: &str,
) -> Result<Target, Box<CaseError>> {
    if path.is_empty() {
        let error = CaseError::new(
            "unknown_key",
            source,
            span,
            "no fact is named",
            "a fact's path goes here",
        )
        .help("name a fact by its path, e.g. `vulnerability.aware_on`");
        return Err(Box::new(error));
    }
    if path == "as_of" {
        return Ok(Target::AsOf);
    }
    let mut record = 0u32;
    let mut offset = 0usize;
    let segments: Vec<&str> = path.split('.').collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        let here = Span::new(span.start + offset, span.start + offset + segment.len());
        let walked = &path[..offset + segment.len()];
        let children = program
            .records
            .get(record as usize)
            .map(|r| r.children.as_slice())
            .unwrap_or_default();
        let found = children.iter().find(|(name, _)| name == segment);
        match found {
            Some((_, SchemaNode::Record(child))) => {
                if last {
                    let prefix = path[..offset].trim_end_matches('.').to_string();
                    return Ok(Target::Child {
                        parent: record,
                        prefix,
                    });
                }
                record = *child;
            }
            Some((_, SchemaNode::Fact(_))) if last => {
                let prefix = path[..offset].trim_end_matches('.').to_string();
                return Ok(Target::Child {
                    parent: record,
                    prefix,
                });
            }
            Some((_, SchemaNode::Fact(id))) => {
                let rest = Span::new(here.end, span.end);
                let ty = program.type_name(program.facts[*id as usize].ty);
                let error = CaseError::new(
                    "unknown_key",
                    source,
                    rest,
                    format!("`{walked}` is a fact ({ty}), not a group of facts"),
                    "nothing here",
                )
                .help(format!("name the fact itself: `{walked}`"));
                return Err(Box::new(error));
            }
            None => {
                let names: Vec<&str> = children.iter().map(|(n, _)| n.as_str()).collect();
                let whole = all_paths(program);
                let suffix = format!(".{path}");
                let mut ends: Vec<&str> = whole
                    .iter()
                    .map(String::as_str)
                    .filter(|p| p.ends_with(&suffix))
                    .collect();
                ends.sort_unstable();
                let several = (ends.len() > 1)
                    .then(|| format!("did you mean one of: `{}`?", ends.join("`, `")));
                let hint = several
                    .or_else(|| suggest(path, whole.iter().map(String::as_str)))
                    .or_else(|| suggest(segment, names.iter().copied()))
                    .unwrap_or_else(|| {
                        if names.is_empty() {
                            "this record has no facts".into()
                        } else if i == 0 {
                            format!(
                                "the records and facts here are: {} (and `as_of`, the evaluation date)",
                                names.join(", ")
                            )
                        } else {
                            format!("the facts here are: {}", names.join(", "))
                        }
                    });
                let error = CaseError::new(
                    "unknown_key",
                    source,
                    if i == 0 { span } else { here },
                    format!("no fact is called `{}`", if i == 0 { path } else { walked }),
                    "unknown fact",
                )
                .help(hint);
                return Err(Box::new(error));
            }
        }
        offset += segment.len() + 1;
    }
    // Unreachable for a non-empty path: the last segment returns above.
    Ok(Target::Child {
        parent: 0,
        prefix: String::new(),
    })
}

/// Every fact and record path of the schema, for "did you mean".
fn all_paths(program: &Program) -> Vec<String> {
    let mut paths: Vec<String> = program.facts.iter().map(|f| f.path.to_string()).collect();
    paths.extend(
        program
            .record_index
            .keys()
            .filter(|k| !k.is_empty())
            .cloned(),
    );
    paths
}

/// Makes the named fact, or every fact of the named record, unknown.
fn forget(program: &Program, facts: &mut Facts, target: &Target, path: &str) {
    let ids: Vec<FactId> = match target {
        Target::AsOf => {
            facts.as_of = None;
            return;
        }
        Target::Child { .. } => match program.fact_index.get(path) {
            Some(&id) => vec![id],
            None => {
                let prefix = format!("{path}.");
                program
                    .facts
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.path.starts_with(&prefix))
                    .filter_map(|(i, _)| FactId::try_from(i).ok())
                    .collect()
            }
        },
    };
    for id in ids {
        if let Some(slot) = facts.slots.get_mut(id as usize) {
            *slot = Slot::Unknown;
        }
        if let Some(span) = facts.spans.get_mut(id as usize) {
            *span = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const POLICY: &str = r#"
        regulation example {
          title "An example"
          status in force
          effective from 2021-09-01
        }
        enum Colour "A colour." { red "Red." green "Green." }
        facts {
          report "The report." {
            received_on: date? "When the report arrived."
            colour: Colour "Its colour."
            tags: set of Colour "Its tags."
          }
        }
        rule file_report {
          cite "Art. 1"
          when report.received_on is set
          must "file the report"
          within 2 days of report.received_on
          done on report.received_on
        }
    "#;

    fn policy() -> Policy {
        Policy::from_sources([("p.deon", POLICY)]).expect("the policy checks")
    }

    fn edit(text: &str) -> FactEdit {
        let source = Source::new("input", text);
        match text.find('=') {
            Some(eq) => FactEdit::set(source, Span::new(0, eq), Span::new(eq + 1, text.len())),
            None => FactEdit::unset(source, Span::new(0, text.len())),
        }
    }

    fn slot(case: &Case, policy: &Policy, path: &str) -> Slot {
        let id = policy.program().fact_index[path];
        case.facts().slots[id as usize].clone()
    }

    #[test]
    fn set_and_unset_one_fact() {
        let policy = policy();
        let case = policy.empty_case();
        let set = case
            .edited(&policy, &[edit("report.received_on = 2025-03-10")])
            .expect("a valid date");
        assert!(matches!(
            slot(&set, &policy, "report.received_on"),
            Slot::Known(_)
        ));
        let null = set
            .edited(&policy, &[edit("report.received_on = null")])
            .expect("optional");
        assert_eq!(slot(&null, &policy, "report.received_on"), Slot::Null);
        let unset = null
            .edited(&policy, &[edit("report.received_on")])
            .expect("known path");
        assert_eq!(slot(&unset, &policy, "report.received_on"), Slot::Unknown);
    }

    #[test]
    fn a_whole_record_and_as_of() {
        let policy = policy();
        let case = policy
            .empty_case()
            .edited(
                &policy,
                &[
                    edit("report = {colour: red, tags: [green, red]}"),
                    edit("as_of = 2026-01-01"),
                ],
            )
            .expect("valid");
        assert!(matches!(
            slot(&case, &policy, "report.tags"),
            Slot::Known(_)
        ));
        assert_eq!(case.as_of(), chrono::NaiveDate::from_ymd_opt(2026, 1, 1));
        let forgotten = case.edited(&policy, &[edit("report")]).expect("a record");
        assert_eq!(slot(&forgotten, &policy, "report.colour"), Slot::Unknown);
    }

    #[test]
    fn problems_point_into_the_typed_text() {
        let policy = policy();
        let case = policy.empty_case();
        for (text, code, at) in [
            (
                "report.recieved_on = 2025-03-10",
                "unknown_key",
                "recieved_on",
            ),
            (
                "report.received_on = 2025-02-30",
                "invalid_date",
                "2025-02-30",
            ),
            ("report.colour = rde", "unknown_value", "rde"),
            ("report.colour = ", "missing_value", ""),
            ("report.colour.x = red", "unknown_key", ".x"),
            ("received_on = 2025-03-10", "unknown_key", "received_on"),
        ] {
            let Err(diagnostics) = case.edited(&policy, &[edit(text)]) else {
                panic!("{text} should fail");
            };
            let Some(Problem::Case(error)) = diagnostics.problems.first() else {
                panic!("a case error");
            };
            assert_eq!(error.code, format!("deon::case::{code}"), "{text}");
            let start = error.span.offset();
            assert_eq!(&text[start..start + error.span.len()], at, "{text}");
        }
    }

    #[test]
    fn a_full_path_is_suggested_for_a_bare_name() {
        let policy = policy();
        let Err(diagnostics) = policy
            .empty_case()
            .edited(&policy, &[edit("received_on = 2025-03-10")])
        else {
            panic!("should fail");
        };
        let Some(Problem::Case(error)) = diagnostics.problems.first() else {
            panic!("a case error");
        };
        assert_eq!(
            error.help.as_deref(),
            Some("did you mean `report.received_on`?")
        );
    }
}
