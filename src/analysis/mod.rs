//! The queries that editors and the REPL share, over a set of policy files
//! held in memory: what is at a position, its hover text, its definition and
//! references, completions, a file's outline, renames, and every diagnostic
//! from the same checker as `deon check`.
//!
//! Names are found in the syntax trees ([`Analysis`] needs files that parse,
//! not files that check), so an editor keeps its bearings in a policy set
//! with a type error; the checked [`Policy`] adds what only checking knows.
//! Positions are byte offsets; [`LineIndex`] converts them to the line and
//! UTF-16 column a language server speaks. The functions over a loaded
//! [`Policy`] ([`rule_text`], [`fact_table`], [`complete_path`], …) serve the
//! REPL.
//!
//! ```
//! use deon::analysis::{Analysis, SymbolKind};
//!
//! let text = r#"
//! regulation example { title "An example" status in force effective from 2021-09-01 }
//! facts { report "The report." { filed_on: date? "When it was filed." } }
//! rule file_report { cite "Art. 1" must "file the report" done when report.filed_on is set }
//! "#;
//! let analysis = Analysis::new([("filing.deon", text)], Default::default());
//! assert!(analysis.diagnostics().is_empty());
//! let used = text.rfind("filed_on").unwrap();
//! let item = analysis.item_at("filing.deon", used).unwrap();
//! assert_eq!((item.kind, item.name.as_str()), (Some(SymbolKind::Fact), "report.filed_on"));
//! let definition = analysis.definition("filing.deon", used).unwrap();
//! assert_eq!(definition.span.start, text.find("filed_on").unwrap());
//! ```

mod complete;
pub(crate) mod describe;
mod hover;
mod index;
mod keywords;
mod lines;

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use miette::{Diagnostic as _, Severity};

/// A typed change to one fact of a case (`:set`, `:unset`, `:whatif`).
pub(crate) use crate::case::edit::FactEdit;
pub use complete::{
    Completion, CompletionKind, complete_path, expression_names, fact_values, is_fact_or_record,
    rule_ids,
};
pub use describe::{fact_table, fact_value, facts_given, finding, rule_list, rule_text};
pub use index::{Key, SymbolKind};
pub use keywords::{is_keyword, keywords};
pub use lines::LineIndex;

use crate::calendar::Calendar;
use crate::source::{Source, Span};
use crate::syntax::ast;
use crate::{Policy, Problem};
use index::Index;

/// Names close to `wanted`, best first, as a "did you mean" help text.
///
/// # Examples
///
/// ```
/// let hint = deon::analysis::suggest("aware_of", ["aware_on", "filed_on"]);
/// assert_eq!(hint.as_deref(), Some("did you mean `aware_on`?"));
/// ```
pub fn suggest<'a>(wanted: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<String> {
    crate::check::error::suggest(wanted, candidates)
}

/// A policy set's files, parsed, indexed and checked together.
#[derive(Clone, Debug)]
pub struct Analysis {
    files: Vec<FileData>,
    index: Index,
    policy: Option<Policy>,
    problems: Vec<Problem>,
}

#[derive(Clone, Debug)]
struct FileData {
    name: String,
    text: Arc<str>,
    tree: Option<ast::File>,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// The policy set does not load.
    Error,
    /// It loads, but something deserves a look.
    Warning,
}

/// A place in a file: its name and a byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The file's name, as given to [`Analysis::new`].
    pub file: String,
    /// Byte offsets into its text.
    pub span: Range<usize>,
}

/// One problem, placed in its file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Where the problem is (the first label of the problem).
    pub location: Location,
    /// Error or warning.
    pub level: Level,
    /// The stable code, e.g. `deon::check::unknown_fact`.
    pub code: Option<String>,
    /// The message.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
    /// The problem's other labelled places, with their labels.
    pub related: Vec<(Location, String)>,
}

/// What is at a position: a declared name (with its kind), or a keyword.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemAt {
    /// The kind of name; `None` for a keyword.
    pub kind: Option<SymbolKind>,
    /// The full name (a fact's dotted path, `enum.value`), or the keyword.
    pub name: String,
    /// The word at the position.
    pub span: Range<usize>,
}

/// Hover text for a position, in Markdown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hover {
    /// The word the text is about.
    pub span: Range<usize>,
    /// The text.
    pub markdown: String,
}

/// An entry of a file's outline.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outline {
    /// The name as declared (a fact's own name, not its path).
    pub name: String,
    /// What it is.
    pub kind: SymbolKind,
    /// The whole declaration.
    pub span: Range<usize>,
    /// Its name.
    pub name_span: Range<usize>,
    /// Declarations inside it: a record's facts, an enum's values.
    pub children: Vec<Outline>,
}

/// A replacement of a range of a file's text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextEdit {
    /// The range replaced.
    pub location: Location,
    /// What replaces it.
    pub new_text: String,
}

fn range(span: Span) -> Range<usize> {
    span.start..span.end
}

impl Analysis {
    /// Parses, indexes and checks a set of files, as (name, text) pairs, with
    /// the holiday calendars their rules count working days on (by
    /// jurisdiction, as [`crate::calendar::load_dir`] reads them).
    pub fn new<N: AsRef<str>, T: AsRef<str>>(
        files: impl IntoIterator<Item = (N, T)>,
        calendars: BTreeMap<String, Calendar>,
    ) -> Analysis {
        let sources: Vec<Source> = files
            .into_iter()
            .map(|(n, t)| Source::new(n.as_ref(), t.as_ref()))
            .collect();
        let files: Vec<FileData> = sources
            .iter()
            .map(|source| FileData {
                name: source.name.to_string(),
                text: Arc::clone(&source.text),
                tree: crate::syntax::parse_file(source).ok(),
            })
            .collect();
        let index = Index::build(
            files
                .iter()
                .enumerate()
                .filter_map(|(i, f)| f.tree.as_ref().map(|t| (i, t, f.text.as_ref()))),
        );
        let (policy, problems) =
            match Policy::check_with(sources, calendars, crate::Limits::DEFAULT) {
                Ok(policy) => {
                    // As `deon check` shows them: the checker's warnings and the linter's.
                    let warnings = crate::lint::lint(&policy).warnings;
                    (Some(policy), warnings)
                }
                Err(diagnostics) => (None, diagnostics.problems),
            };
        Analysis {
            files,
            index,
            policy,
            problems,
        }
    }

    /// The checked policy set, when it has no errors.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy.as_ref()
    }

    /// The names of the files, in the order given.
    pub fn files(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|f| f.name.as_str())
    }

    fn file_id(&self, name: &str) -> Option<usize> {
        self.files.iter().position(|f| f.name == name)
    }

    fn text(&self, file: usize) -> &str {
        self.files.get(file).map_or("", |f| f.text.as_ref())
    }

    fn location(&self, file: usize, span: Span) -> Location {
        Location {
            file: self
                .files
                .get(file)
                .map_or_else(String::new, |f| f.name.clone()),
            span: range(span),
        }
    }

    /// A [`LineIndex`] of a file's text.
    pub fn line_index(&self, file: &str) -> Option<LineIndex> {
        self.file_id(file).map(|id| LineIndex::new(self.text(id)))
    }

    /// Every problem in the files, errors and warnings, each placed in its file.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.problems
            .iter()
            .filter_map(|p| self.diagnostic(p))
            .collect()
    }

    fn diagnostic(&self, problem: &Problem) -> Option<Diagnostic> {
        let labels: Vec<miette::LabeledSpan> = problem.labels().into_iter().flatten().collect();
        let source = problem.source_code();
        let primary = labels.first();
        // Every label of a problem is in the problem's own source.
        let file = source
            .filter(|_| primary.is_some())
            .and_then(crate::diagnostic_json::source_name)
            .or_else(|| self.files.first().map(|f| f.name.clone()))?;
        let span = primary.map_or(0..0, |l| l.offset()..l.offset() + l.len());
        let message = problem.to_string();
        let related = labels
            .iter()
            .skip(1)
            .map(|l| {
                let location = Location {
                    file: file.clone(),
                    span: l.offset()..l.offset() + l.len(),
                };
                (location, l.label().unwrap_or("here").to_string())
            })
            .collect();
        Some(Diagnostic {
            location: Location { file, span },
            level: match problem.severity() {
                Some(Severity::Warning | Severity::Advice) => Level::Warning,
                _ => Level::Error,
            },
            code: problem.code().map(|c| c.to_string()),
            message,
            help: problem.help().map(|h| h.to_string()),
            related,
        })
    }

    /// What is at a byte offset of a file: a declared name, a use of one, or a keyword.
    pub fn item_at(&self, file: &str, offset: usize) -> Option<ItemAt> {
        let id = self.file_id(file)?;
        let within = |span: Span| span.start <= offset && offset <= span.end;
        if let Some(d) = self
            .index
            .declarations
            .iter()
            .find(|d| d.file == id && within(d.name))
        {
            return Some(ItemAt {
                kind: Some(d.key.kind),
                name: d.key.name.clone(),
                span: range(d.name),
            });
        }
        if let Some(u) = self
            .index
            .uses
            .iter()
            .find(|u| u.file == id && within(u.span))
        {
            return Some(ItemAt {
                kind: Some(u.key.kind),
                name: u.key.name.clone(),
                span: range(u.span),
            });
        }
        let span = word_at(self.text(id), offset)?;
        let word = self.text(id).get(span.clone())?;
        is_keyword(word).then(|| ItemAt {
            kind: None,
            name: word.to_string(),
            span,
        })
    }

    /// Hover text for a byte offset of a file.
    pub fn hover(&self, file: &str, offset: usize) -> Option<Hover> {
        let item = self.item_at(file, offset)?;
        let markdown = match item.kind {
            Some(kind) => hover::symbol(
                self,
                &Key {
                    kind,
                    name: item.name.clone(),
                },
            )?,
            None => hover::keyword(&item.name)?,
        };
        Some(Hover {
            span: item.span,
            markdown,
        })
    }

    fn key_at(&self, file: &str, offset: usize) -> Option<Key> {
        let item = self.item_at(file, offset)?;
        Some(Key {
            kind: item.kind?,
            name: item.name,
        })
    }

    /// Where the name at a byte offset is declared.
    pub fn definition(&self, file: &str, offset: usize) -> Option<Location> {
        let key = self.key_at(file, offset)?;
        let d = self.index.find(key.kind, &key.name)?;
        Some(self.location(d.file, d.name))
    }

    /// Every use of the name at a byte offset, in file order, and its
    /// declaration first when `declaration` is set.
    pub fn references(&self, file: &str, offset: usize, declaration: bool) -> Vec<Location> {
        let Some(key) = self.key_at(file, offset) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        if declaration {
            if let Some(d) = self.index.find(key.kind, &key.name) {
                out.push(self.location(d.file, d.name));
            }
        }
        let mut uses: Vec<(usize, Span)> = self
            .index
            .uses
            .iter()
            .filter(|u| u.key == key)
            .map(|u| (u.file, u.span))
            .collect();
        uses.sort_by_key(|(file, span)| (*file, span.start));
        out.extend(uses.into_iter().map(|(f, s)| self.location(f, s)));
        out
    }

    /// The edits that rename the fact, record, rule, penalty, role,
    /// definition or enum value at a byte offset, across all files.
    pub fn rename(
        &self,
        file: &str,
        offset: usize,
        new_name: &str,
    ) -> Result<Vec<TextEdit>, String> {
        let key = self
            .key_at(file, offset)
            .ok_or_else(|| "there is no name here to rename".to_string())?;
        let valid = new_name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && new_name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(format!(
                "`{new_name}` is not a name: use letters, digits and `_`, starting with a letter"
            ));
        }
        if is_keyword(new_name) || ["today", "true", "false"].contains(&new_name) {
            return Err(format!("`{new_name}` is a keyword of the language"));
        }
        if key.kind == SymbolKind::Regulation {
            return Err("a regulation's name is not renamed here".into());
        }
        let parent = key.name.rsplit_once('.').map(|(p, _)| p);
        let renamed = match (key.kind, parent) {
            (SymbolKind::Fact | SymbolKind::Record | SymbolKind::EnumValue, Some(p)) => {
                format!("{p}.{new_name}")
            }
            _ => new_name.to_string(),
        };
        let taken = self.index.declarations.iter().any(|d| {
            d.key.name == renamed
                && (d.key.kind == key.kind
                    || matches!(
                        (d.key.kind, key.kind),
                        (SymbolKind::Fact, SymbolKind::Record)
                            | (SymbolKind::Record, SymbolKind::Fact)
                    ))
        });
        if taken {
            return Err(format!(
                "there is already a {} called `{renamed}`",
                key.kind.word()
            ));
        }
        let edits = self
            .references(file, offset, true)
            .into_iter()
            .map(|location| TextEdit {
                location,
                new_text: new_name.to_string(),
            })
            .collect();
        Ok(edits)
    }

    /// A file's declarations, in order, records and enums with their members.
    pub fn symbols(&self, file: &str) -> Vec<Outline> {
        let Some(id) = self.file_id(file) else {
            return Vec::new();
        };
        let mut roots: Vec<Outline> = Vec::new();
        for d in self.index.declarations.iter().filter(|d| d.file == id) {
            let entry = Outline {
                name: d.key.leaf().to_string(),
                kind: d.key.kind,
                span: range(d.full),
                name_span: range(d.name),
                children: Vec::new(),
            };
            let nested = matches!(
                d.key.kind,
                SymbolKind::Fact | SymbolKind::Record | SymbolKind::EnumValue
            ) && d.key.name.contains('.');
            if nested {
                if let Some(parent) = innermost(&mut roots, d.full) {
                    parent.children.push(entry);
                    continue;
                }
            }
            roots.push(entry);
        }
        roots
    }

    /// Completions at a byte offset of a file: what could replace the word
    /// that ends there.
    pub fn completions(&self, file: &str, offset: usize) -> Vec<Completion> {
        match self.file_id(file) {
            Some(id) => complete::at(self, self.text(id), offset),
            None => Vec::new(),
        }
    }
}

/// The deepest entry whose span holds `span`.
fn innermost(entries: &mut [Outline], span: Span) -> Option<&mut Outline> {
    let entry = entries
        .iter_mut()
        .rev()
        .find(|e| e.span.start <= span.start && span.end <= e.span.end)?;
    let holds_child = entry
        .children
        .iter()
        .any(|c| c.span.start <= span.start && span.end <= c.span.end);
    if holds_child {
        innermost(&mut entry.children, span)
    } else {
        Some(entry)
    }
}

fn ident_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// The word (letters, digits, `_`) around a byte offset.
fn word_at(text: &str, offset: usize) -> Option<Range<usize>> {
    let offset = offset.min(text.len());
    if !text.is_char_boundary(offset) {
        return None;
    }
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| ident_char(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !ident_char(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then_some(start..end)
}

#[cfg(test)]
mod tests;
