//! The linter: warnings about policies that check but are probably not what
//! their authors meant. It runs over a checked policy and the syntax trees of
//! its files.
//!
//! ```
//! let policy = deon::Policy::from_sources([("rules.deon", r#"
//!     regulation example { title "An example" status in force effective from 2021-09-01 }
//!     facts { data "The data." { public: bool "The data is public." shared: bool "Shared." } }
//!     rule publish { cite "Art. 1" must "publish the data" done when data.public }
//!     rule keep_secret { cite "Art. 2" must not "publish the data" breached when data.public }
//! "#)])?;
//! let report = deon::lint::lint(&policy);
//! let codes: Vec<String> = report
//!     .warnings
//!     .iter()
//!     .filter_map(|w| miette::Diagnostic::code(w).map(|c| c.to_string()))
//!     .collect();
//! assert_eq!(codes, ["deon::lint::unused_fact", "deon::lint::conflict"]);
//! # Ok::<(), deon::Diagnostics>(())
//! ```
//!
//! Each warning has a stable code ([`LintCode`]) explained at length by
//! [`explain`]. A rule silences one kind of warning about itself with
//! `allow <name> "reason"`; the silenced warnings and their reasons are in
//! [`LintReport::allowed`].

mod checks;
mod codes;
mod conflict;
mod notes;
pub(crate) mod search;
mod warning;

pub use codes::{LintCode, explain, resolve};
pub use warning::LintWarning;

use crate::check::ir::FileId;
use crate::source::{Source, Span};
use crate::syntax::ast::{Clause, File, Item};
use crate::{Policy, Problem};

/// What the linter found: the warnings (the checker's included), and those
/// silenced by an `allow`, with its reason.
#[derive(Debug, Clone, Default)]
pub struct LintReport {
    /// Warnings to show, checker warnings first, then lint warnings by kind.
    pub warnings: Vec<Problem>,
    /// Warnings silenced by an `allow`.
    pub allowed: Vec<Allowed>,
}

/// A warning an `allow` silenced.
#[derive(Debug, Clone)]
pub struct Allowed {
    /// The warning.
    pub warning: Problem,
    /// The rule whose `allow` silenced it.
    pub rule: String,
    /// The reason the `allow` gives.
    pub reason: String,
}

/// One `allow` in a rule.
struct Allow {
    code: Option<&'static str>,
    reason: String,
    rule: String,
    file: FileId,
    /// The whole rule: warnings pointing inside it are silenced.
    rule_span: Span,
    span: Span,
}

/// Lints a checked policy: the checker's warnings and every lint.
pub fn lint(policy: &Policy) -> LintReport {
    let program = &policy.program;
    let files: Vec<Option<File>> = program
        .sources
        .iter()
        .map(|s| crate::syntax::parse_file(s).ok())
        .collect();
    let allows = collect_allows(&program.sources, &files);
    let mut found: Vec<Problem> = policy.warnings().to_vec();
    let mut lints = checks::run(program, &files);
    lints.extend(notes::run(program, &files));
    lints.extend(conflict::run(program, &files));
    for allow in &allows {
        if allow.code.is_none() {
            let source = &program.sources[allow.file as usize];
            lints.push(
                LintWarning::new(
                    LintCode::UnknownAllow,
                    source,
                    allow.span,
                    "this `allow` names no warning",
                    "unknown warning name",
                )
                .with_help(
                    "the names are unused_fact, never_holds, never_fires, unguarded_anchor, review_on_nothing, conflict, missing_citation and missing_doc",
                ),
            );
        }
    }
    found.extend(lints.into_iter().map(|l| Problem::Lint(Box::new(l))));
    let mut report = LintReport::default();
    for problem in found {
        match silencing(&allows, &program.sources, &problem) {
            Some(allow) => report.allowed.push(Allowed {
                warning: problem,
                rule: allow.rule.clone(),
                reason: allow.reason.clone(),
            }),
            None => report.warnings.push(problem),
        }
    }
    report
}

fn collect_allows(sources: &[Source], files: &[Option<File>]) -> Vec<Allow> {
    let mut allows = Vec::new();
    for (file, parsed) in files.iter().enumerate() {
        let Some(parsed) = parsed else { continue };
        for item in &parsed.items {
            let Item::Rule(rule) = item else { continue };
            let rule_span = rule_extent(sources.get(file), rule);
            for clause in &rule.clauses {
                if let Clause::Allow { lint, reason } = &clause.node {
                    allows.push(Allow {
                        code: resolve(&lint.node),
                        reason: reason.node.clone(),
                        rule: rule.name.node.clone(),
                        file: file as FileId,
                        rule_span,
                        span: lint.span,
                    });
                }
            }
        }
    }
    allows
}

/// The span of a whole rule: from its name to its last clause.
fn rule_extent(source: Option<&Source>, rule: &crate::syntax::ast::RuleDecl) -> Span {
    let mut span = rule.name.span;
    for clause in &rule.clauses {
        span = span.to(clause.span);
    }
    // Up to the closing brace, so a warning on the braces counts too.
    if let Some(source) = source {
        if let Some(close) = source.text.get(span.end..).and_then(|t| t.find('}')) {
            span.end += close + 1;
        }
    }
    span
}

/// The `allow` that silences a problem, if any: one in a rule the problem
/// points into, naming the problem's code.
fn silencing<'a>(allows: &'a [Allow], sources: &[Source], problem: &Problem) -> Option<&'a Allow> {
    let code = miette::Diagnostic::code(problem)?.to_string();
    let places: Vec<(String, Span)> = match problem {
        Problem::Lint(w) => w.places().map(|(n, s)| (n.to_string(), s)).collect(),
        other => primary_place(other).into_iter().collect(),
    };
    if code == LintCode::UnknownAllow.as_str() {
        return None;
    }
    allows.iter().find(|allow| {
        allow.code == Some(code.as_str())
            && places.iter().any(|(name, span)| {
                sources
                    .get(allow.file as usize)
                    .is_some_and(|s| s.name.as_ref() == name)
                    && allow.rule_span.start <= span.start
                    && span.end <= allow.rule_span.end
            })
    })
}

/// The file and span of a diagnostic's first label.
fn primary_place(problem: &Problem) -> Option<(String, Span)> {
    use miette::Diagnostic;
    let label = problem.labels()?.next()?;
    let source = problem.source_code()?;
    let name = crate::diagnostic_json::source_name(source)?;
    Some((
        name,
        Span::new(label.offset(), label.offset() + label.len()),
    ))
}
