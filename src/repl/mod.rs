//! The REPL's logic, apart from any terminal: a [`Session`] holds the loaded
//! policies, the case and the evaluation date; [`Session::handle`] runs one
//! input (a `:command` or an expression) and returns what to print. Nothing
//! here prints or reads a terminal: `src/cli/repl.rs` does, with rustyline.
//! A front end of its own can use [`Session::complete`], [`Session::hint`],
//! [`Session::highlight_tokens`] and [`needs_more_input`] for line editing.
//! The commands are described in docs/repl.md.
//!
//! ```
//! use deon::repl::Session;
//!
//! let mut session = Session::new();
//! let out = session.handle(":load policies");
//! assert!(!out.has_errors());
//! let out = session.handle("1 + 2");
//! assert_eq!(out.text(), "3 : int\n");
//! ```

mod commands;
mod complete;
mod edits;
mod error;
mod input;
mod show;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;

use commands::{ALIASES, COMMANDS, example, help, usage};
pub use error::{InputError, ReplProblem};
pub use input::{Token, TokenKind, needs_more_input};

use crate::analysis::{self, FactEdit, suggest};
use crate::report::human;
use crate::source::{Source, Span};
use crate::{Case, Diagnostics, Policy};
use show::Paint;

/// One piece of output, in the order it was produced.
///
/// # Examples
///
/// ```
/// use deon::repl::{Item, Session};
///
/// let out = Session::new().handle("1 + 2");
/// // No policies are loaded: one diagnostic, no text.
/// assert!(matches!(out.items.as_slice(), [Item::Problem(_)]));
/// ```
#[derive(Debug, Clone)]
pub enum Item {
    /// Text for standard output.
    Text(String),
    /// A diagnostic, for the front end to render (on standard error).
    Problem(ReplProblem),
}

/// What one input produced: text and diagnostics, in order, and whether to
/// leave.
///
/// # Examples
///
/// ```
/// use deon::repl::Session;
///
/// let mut session = Session::new();
/// assert!(session.handle(":quit").quit);
/// ```
#[derive(Debug, Clone, Default)]
pub struct Output {
    /// Text and diagnostics, in the order produced.
    pub items: Vec<Item>,
    /// The input asked to leave.
    pub quit: bool,
}

impl Output {
    fn say(&mut self, text: impl Into<String>) {
        let text = text.into();
        if let Some(Item::Text(last)) = self.items.last_mut() {
            last.push_str(&text);
        } else {
            self.items.push(Item::Text(text));
        }
    }

    fn problem(&mut self, problem: impl Into<ReplProblem>) {
        self.items.push(Item::Problem(problem.into()));
    }

    fn diagnostics(&mut self, diagnostics: Diagnostics) {
        for problem in diagnostics.problems {
            self.problem(problem);
        }
    }

    fn error(problem: impl Into<ReplProblem>) -> Output {
        let mut out = Output::default();
        out.problem(problem);
        out
    }

    /// All the text, diagnostics left out.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// assert_eq!(session.handle("40 + 2").text(), "");
    /// session.handle(":load policies");
    /// assert_eq!(session.handle("40 + 2").text(), "42 : int\n");
    /// ```
    pub fn text(&self) -> String {
        self.items
            .iter()
            .filter_map(|item| match item {
                Item::Text(text) => Some(text.as_str()),
                Item::Problem(_) => None,
            })
            .collect()
    }

    /// The diagnostics, errors and warnings, in order.
    ///
    /// # Examples
    ///
    /// ```
    /// use miette::Diagnostic;
    ///
    /// let out = deon::repl::Session::new().handle(":nonsense");
    /// let codes: Vec<String> = out.problems().filter_map(|p| p.code().map(|c| c.to_string())).collect();
    /// assert_eq!(codes, ["deon::repl::unknown_command"]);
    /// ```
    pub fn problems(&self) -> impl Iterator<Item = &ReplProblem> {
        self.items.iter().filter_map(|item| match item {
            Item::Problem(problem) => Some(problem),
            Item::Text(_) => None,
        })
    }

    /// Whether any diagnostic is an error (warnings do not count).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// assert!(session.handle(":case examples/cases/provider_on_time.yaml").has_errors());
    /// assert!(!session.handle(":load policies").has_errors());
    /// ```
    pub fn has_errors(&self) -> bool {
        self.problems().any(|p| !p.is_warning())
    }
}

/// A state that checked: the policies, where they came from, and the case
/// rebuilt from its file and the changes typed since.
#[derive(Clone)]
struct State {
    policy: Policy,
    paths: Vec<PathBuf>,
    case_file: Option<PathBuf>,
    edits: Vec<FactEdit>,
    case: Case,
}

/// An interactive session: policies, a case and an evaluation date.
///
/// # Examples
///
/// ```
/// use deon::repl::Session;
///
/// let mut session = Session::new();
/// session.handle(":load policies");
/// session.handle(":case examples/cases/provider_late_filing.yaml");
/// let out = session.handle(":explain provider_file_with_miit");
/// assert!(!out.has_errors());
/// assert!(out.text().contains("provider_file_with_miit"));
/// ```
#[derive(Clone, Default)]
pub struct Session {
    state: Option<State>,
    /// The date set with `:asof`, which wins over the case's `as_of`.
    as_of: Option<NaiveDate>,
    color: bool,
    /// The limits policies are loaded under (and so their cases read).
    limits: crate::Limits,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Reads the case file (if any) and replays the typed changes.
fn build_case(
    policy: &Policy,
    file: Option<&Path>,
    edits: &[FactEdit],
) -> Result<Case, Diagnostics> {
    let base = match file {
        Some(path) => policy.case_from_file(path)?,
        None => policy.empty_case(),
    };
    if edits.is_empty() {
        Ok(base)
    } else {
        base.edited(policy, edits)
    }
}

/// The text without leading blank and `//` comment lines.
fn without_leading_comments(text: &str) -> &str {
    let mut rest = text.trim_start();
    while rest.starts_with("//") {
        rest = rest.find('\n').map_or("", |i| &rest[i + 1..]).trim_start();
    }
    rest.trim_end()
}

/// Splits `:load` arguments into paths; double quotes keep spaces.
fn split_paths(text: &str) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for c in text.chars() {
        match c {
            '"' => quoted = !quoted,
            c if c.is_whitespace() && !quoted => {
                if !current.is_empty() {
                    paths.push(PathBuf::from(std::mem::take(&mut current)));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        paths.push(PathBuf::from(current));
    }
    paths
}

impl Session {
    /// A session with nothing loaded.
    ///
    /// # Examples
    ///
    /// ```
    /// let session = deon::repl::Session::new();
    /// assert!(session.policy().is_none() && session.case().is_none());
    /// ```
    pub fn new() -> Session {
        Session::default()
    }

    /// A session over policies already loaded (e.g. from memory), with an
    /// empty case. `:reload` needs policies loaded from files.
    ///
    /// # Examples
    ///
    /// ```
    /// let policy = deon::Policy::from_sources([("filing.deon", r#"
    ///     regulation example { title "An example" status in force effective from 2021-09-01 }
    ///     facts { report "The report." { received_on: date? "When it arrived." } }
    /// "#)])?;
    /// let mut session = deon::repl::Session::from_policy(policy);
    /// session.handle(":set report.received_on = 2026-03-03");
    /// assert_eq!(session.handle("report.received_on + 2 days").text(), "2026-03-05 : date\n");
    /// assert!(session.handle(":reload").has_errors());
    /// # Ok::<(), deon::Diagnostics>(())
    /// ```
    pub fn from_policy(policy: Policy) -> Session {
        let case = policy.empty_case();
        Session {
            state: Some(State {
                policy,
                paths: Vec::new(),
                case_file: None,
                edits: Vec::new(),
                case,
            }),
            ..Session::default()
        }
    }

    /// Whether text output carries ANSI colours (off by default).
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.set_color(true);
    /// session.handle(":load policies");
    /// assert!(session.handle(":eval").text().contains('\x1b'));
    /// ```
    pub fn set_color(&mut self, color: bool) {
        self.color = color;
    }

    /// The limits on input for the policies loaded from now on and the cases
    /// they read.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.set_limits(deon::Limits { policy_file_bytes: 10, ..Default::default() });
    /// assert!(session.handle(":load policies").has_errors());
    /// ```
    pub fn set_limits(&mut self, limits: crate::Limits) {
        self.limits = limits;
    }

    fn paint(&self) -> Paint {
        Paint { on: self.color }
    }

    /// The loaded policies, if any.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.handle(":load policies");
    /// let rules = session.policy().map(|p| p.summary().rules.len());
    /// assert!(rules > Some(0));
    /// ```
    pub fn policy(&self) -> Option<&Policy> {
        self.state.as_ref().map(|s| &s.policy)
    }

    /// The current case, if policies are loaded: the case file with the
    /// changes typed since, or an empty case.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.handle(":load policies");
    /// session.handle(":set as_of = 2026-03-10");
    /// assert_eq!(session.case().and_then(|c| c.as_of()), chrono::NaiveDate::from_ymd_opt(2026, 3, 10));
    /// ```
    pub fn case(&self) -> Option<&Case> {
        self.state.as_ref().map(|s| &s.case)
    }

    /// The date set with `:asof`, if any. It wins over the case's `as_of`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.handle(":load policies");
    /// session.handle(":asof 2025-03-11");
    /// assert_eq!(session.as_of_override(), chrono::NaiveDate::from_ymd_opt(2025, 3, 11));
    /// ```
    pub fn as_of_override(&self) -> Option<NaiveDate> {
        self.as_of
    }

    /// The evaluation date and where it comes from.
    fn date(&self) -> (NaiveDate, &'static str) {
        if let Some(date) = self.as_of {
            return (date, "set with :asof");
        }
        if let Some(date) = self.case().and_then(Case::as_of) {
            return (date, "the case's as_of");
        }
        (chrono::Local::now().date_naive(), "today")
    }

    fn state_or_error(&self) -> Result<&State, Output> {
        self.state.as_ref().ok_or_else(|| {
            Output::error(
                InputError::new("no_policies", "no policies are loaded")
                    .help("load some with `:load <path>`, e.g. `:load policies`"),
            )
        })
    }

    /// Loads policies from files or folders, replacing those loaded. The
    /// case carries over when it fits the new policies. The same as
    /// `:load`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// let out = session.load(&["policies".into()]);
    /// assert!(out.text().starts_with("loaded "));
    /// ```
    pub fn load(&mut self, paths: &[PathBuf]) -> Output {
        let mut out = Output::default();
        let policy = match Policy::load_with_limits(paths, self.limits) {
            Ok(policy) => policy,
            Err(diagnostics) => {
                let count = diagnostics.to_string();
                out.diagnostics(diagnostics);
                out.say(if self.state.is_some() {
                    format!(
                        "{count} in the policies; the policies loaded before are still in use\n"
                    )
                } else {
                    format!("{count} in the policies; nothing is loaded\n")
                });
                return out;
            }
        };
        for warning in policy.warnings() {
            out.problem(crate::Problem::clone(warning));
        }
        let (case_file, edits) = match &self.state {
            Some(old) => (old.case_file.clone(), old.edits.clone()),
            None => (None, Vec::new()),
        };
        let carried = case_file.is_some() || !edits.is_empty();
        let (case, case_file, edits) = match build_case(&policy, case_file.as_deref(), &edits) {
            Ok(case) => (case, case_file, edits),
            Err(diagnostics) => {
                out.say(format!(
                    "the case does not fit these policies ({}); starting from an empty case\n",
                    diagnostics
                ));
                (policy.empty_case(), None, Vec::new())
            }
        };
        out.say(format!("loaded {}\n", policy.summary()));
        if carried && (case_file.is_some() || !edits.is_empty()) {
            out.say("the case carries over\n");
        }
        self.state = Some(State {
            policy,
            paths: paths.to_vec(),
            case_file,
            edits,
            case,
        });
        out
    }

    /// Reads the policies and the case file again. All or nothing: on any
    /// problem the previous policies and case stay. The same as `:reload`.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.load(&["policies".into()]);
    /// assert!(session.reload().text().starts_with("reloaded "));
    /// ```
    pub fn reload(&mut self) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        if state.paths.is_empty() {
            return Output::error(
                InputError::new("usage", "these policies were not loaded from files")
                    .help("`:load <path>` loads policies that `:reload` can read again"),
            );
        }
        let mut out = Output::default();
        let policy = match Policy::load_with_limits(&state.paths, self.limits) {
            Ok(policy) => policy,
            Err(diagnostics) => {
                let count = diagnostics.to_string();
                out.diagnostics(diagnostics);
                out.say(format!(
                    "{count} in the policies; kept the previous policies and case\n"
                ));
                return out;
            }
        };
        let case = match build_case(&policy, state.case_file.as_deref(), &state.edits) {
            Ok(case) => case,
            Err(diagnostics) => {
                let count = diagnostics.to_string();
                out.diagnostics(diagnostics);
                out.say(format!(
                    "{count} in the case under the reloaded policies; kept the previous policies and case\n"
                ));
                return out;
            }
        };
        for warning in policy.warnings() {
            out.problem(crate::Problem::clone(warning));
        }
        out.say(format!("reloaded {}\n", policy.summary()));
        let state = State {
            policy,
            case,
            ..state.clone()
        };
        self.state = Some(state);
        out
    }

    /// Loads a case file, replacing the case (and forgetting typed changes).
    /// The same as `:case <file>`.
    ///
    /// # Examples
    ///
    /// ```
    /// use std::path::Path;
    ///
    /// let mut session = deon::repl::Session::new();
    /// session.load(&["policies".into()]);
    /// let out = session.open_case(Path::new("examples/cases/provider_on_time.yaml"));
    /// assert!(!out.has_errors());
    /// assert!(session.case().is_some());
    /// ```
    pub fn open_case(&mut self, path: &Path) -> Output {
        let Some(state) = self.state.as_mut() else {
            return Output::error(
                InputError::new("no_policies", "load policies before a case")
                    .help("the policies say which facts a case has: `:load <path>` first"),
            );
        };
        match state.policy.case_from_file(path) {
            Ok(case) => {
                state.case = case;
                state.case_file = Some(path.to_path_buf());
                state.edits.clear();
                let mut out = Output::default();
                out.say(self.case_summary());
                out
            }
            Err(diagnostics) => {
                let count = diagnostics.to_string();
                let mut out = Output::default();
                out.diagnostics(diagnostics);
                out.say(format!(
                    "{count} in the case; the previous case is still in use\n"
                ));
                out
            }
        }
    }

    fn case_summary(&self) -> String {
        let Some(state) = &self.state else {
            return "no policies are loaded\n".into();
        };
        let (given, total) = analysis::facts_given(&state.policy, &state.case);
        let origin = match &state.case_file {
            Some(path) => format!("case {}", path.display()),
            None => "case (no file)".to_string(),
        };
        let edits = if state.edits.is_empty() || state.case_file.is_none() {
            String::new()
        } else {
            format!(", {} since", plural(state.edits.len(), "change", "changes"))
        };
        let (date, from) = self.date();
        format!(
            "{origin}{edits}: {given} of {total} facts given; evaluated as of {date} ({from})\n"
        )
    }

    /// Runs one input: a `:command`, an expression, or nothing (blank lines
    /// and `//` comments). Problems are returned, never printed.
    ///
    /// # Examples
    ///
    /// ```
    /// let mut session = deon::repl::Session::new();
    /// session.handle(":load policies");
    /// session.handle(":case examples/cases/provider_late_filing.yaml");
    /// let out = session.handle(":whatif vulnerability.filed_with_miit_on = 2025-03-12");
    /// assert!(!out.has_errors());
    /// assert!(session.handle("// a comment").items.is_empty());
    /// ```
    pub fn handle(&mut self, input: &str) -> Output {
        if without_leading_comments(input).is_empty() {
            return Output::default();
        }
        let source = Source::new("input", input);
        // Unfinished input reaches here only when the input ended (end of a
        // script, or a front end that does not ask for more): say what is
        // left open, not what the parser makes of the cut text.
        if let Some(open) = input::open_part(input) {
            return Output::error(error::unfinished(&source, open));
        }
        match input::command(input) {
            Some((name, span)) => self.command(name, span, &source),
            None => self.expression(without_leading_comments(input)),
        }
    }

    fn command(&mut self, name: &str, span: Span, source: &Source) -> Output {
        let text: &str = &source.text;
        let args = text[span.end..].trim();
        let name = ALIASES
            .iter()
            .find(|(alias, _)| *alias == name)
            .map_or(name, |(_, full)| full);
        match name {
            "load" => {
                let paths = split_paths(args);
                if paths.is_empty() {
                    return usage(source, span, "load");
                }
                self.load(&paths)
            }
            "reload" => self.reload(),
            "case" if args.is_empty() => {
                let mut out = Output::default();
                out.say(self.case_summary());
                out
            }
            "case" => self.open_case(Path::new(args.trim_matches('"'))),
            "clear" => match self.state.as_mut() {
                Some(state) => {
                    state.case = state.policy.empty_case();
                    state.case_file = None;
                    state.edits.clear();
                    let mut out = Output::default();
                    out.say("every fact is unknown now\n");
                    out
                }
                None => self.state_or_error().err().unwrap_or_default(),
            },
            "set" => self.set(source, span),
            "unset" => self.unset(source, span),
            "facts" => self.facts(source, span, args),
            "asof" => self.as_of_command(source, span, args),
            "eval" => self.eval(source, span, args),
            "rule" => self.rule(source, span, args),
            "explain" => self.explain(source, span, args),
            "whatif" => self.what_if(source, span),
            "type" => self.type_of(args),
            "help" => help(source, span, args),
            "quit" => Output {
                items: Vec::new(),
                quit: true,
            },
            _ => {
                let names = COMMANDS.iter().map(|c| c.name);
                let hint = suggest(name, names)
                    .map(|h| h.replacen('`', "`:", 1))
                    .unwrap_or_else(|| "`:help` lists the commands".into());
                Output::error(
                    InputError::at(
                        "unknown_command",
                        source,
                        span,
                        format!("there is no command `:{name}`"),
                        "unknown command",
                    )
                    .help(hint),
                )
            }
        }
    }

    fn facts(&self, source: &Source, span: Span, args: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        let prefix = args.trim_end_matches('.');
        if !prefix.is_empty() && !analysis::is_fact_or_record(&state.policy, prefix) {
            let start = source.text[span.end..]
                .find(args)
                .map_or(span.end, |i| span.end + i);
            let summary = state.policy.summary();
            let paths = summary
                .facts
                .iter()
                .chain(&summary.records)
                .map(String::as_str);
            let hint = suggest(prefix, paths)
                .unwrap_or_else(|| "`:facts` alone lists every fact the case gives".into());
            return Output::error(
                InputError::at(
                    "unknown_fact",
                    source,
                    Span::new(start, start + args.len()),
                    format!("no fact or record is called `{prefix}`"),
                    "unknown fact",
                )
                .help(hint),
            );
        }
        let mut out = Output::default();
        if prefix.is_empty() {
            out.say(self.case_summary());
        }
        out.say(analysis::fact_table(
            &state.policy,
            &state.case,
            prefix,
            self.color,
        ));
        out
    }

    fn as_of_command(&mut self, source: &Source, span: Span, args: &str) -> Output {
        match args {
            "" => {}
            "case" | "clear" => self.as_of = None,
            "today" => self.as_of = Some(chrono::Local::now().date_naive()),
            text => match crate::case::strict_date(text) {
                Some(date) => self.as_of = Some(date),
                None => {
                    let start = source.text[span.end..]
                        .find(text)
                        .map_or(span.end, |i| span.end + i);
                    let shaped = text.len() == 10
                        && text.as_bytes().get(4) == Some(&b'-')
                        && text.as_bytes().get(7) == Some(&b'-');
                    let (message, help) = if shaped {
                        (
                            format!("{text} is not a date in the calendar"),
                            "check the day of the month: e.g. February has 28 days, or 29 in a leap year",
                        )
                    } else {
                        (
                            format!("`{text}` is not a date written YYYY-MM-DD"),
                            "e.g. `:asof 2025-03-11`; `:asof case` goes back to the case's own date",
                        )
                    };
                    return Output::error(
                        InputError::at(
                            "invalid_date",
                            source,
                            Span::new(start, start + text.len()),
                            message,
                            "not a valid date",
                        )
                        .help(help),
                    );
                }
            },
        }
        let (date, from) = self.date();
        let mut out = Output::default();
        out.say(format!("evaluating as of {date} ({from})\n"));
        out
    }

    fn eval(&self, source: &Source, span: Span, args: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        let verbose = match args {
            "" => false,
            "all" | "-v" | "--verbose" | "verbose" => true,
            _ => return usage(source, span, "eval"),
        };
        let report = state.policy.evaluate(&state.case, self.as_of);
        let mut out = Output::default();
        out.say(human::render(
            &report,
            human::Options {
                color: self.color,
                verbose,
                width: None,
            },
        ));
        out
    }

    /// The rule named in the arguments, or a did-you-mean.
    fn find_rule(
        &self,
        state: &State,
        source: &Source,
        span: Span,
        args: &str,
    ) -> Result<String, Output> {
        let ids = analysis::rule_ids(&state.policy);
        if ids.iter().any(|id| id == args) {
            return Ok(args.to_string());
        }
        let start = source.text[span.end..]
            .find(args)
            .map_or(span.end, |i| span.end + i);
        let hint = suggest(args, ids.iter().map(String::as_str))
            .unwrap_or_else(|| "`:rule` alone lists the rules".into());
        Err(Output::error(
            InputError::at(
                "unknown_rule",
                source,
                Span::new(start, start + args.len()),
                format!("no rule is called `{args}`"),
                "unknown rule",
            )
            .help(hint),
        ))
    }

    fn rule(&self, source: &Source, span: Span, args: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        let mut out = Output::default();
        if args.is_empty() {
            out.say(analysis::rule_list(&state.policy, self.color));
            return out;
        }
        match self.find_rule(state, source, span, args) {
            Ok(rule) => {
                out.say(analysis::rule_text(&state.policy, &rule, self.color).unwrap_or_default());
                out
            }
            Err(out) => out,
        }
    }

    fn explain(&self, source: &Source, span: Span, args: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        if args.is_empty() {
            return usage(source, span, "explain");
        }
        let rule = match self.find_rule(state, source, span, args) {
            Ok(rule) => rule,
            Err(out) => return out,
        };
        let mut out = Output::default();
        match analysis::finding(&state.policy, &state.case, self.as_of, &rule) {
            Some(finding) => out.say(show::explain(&finding, self.paint())),
            None => out.say(format!("rule {rule} has no finding\n")),
        }
        out
    }

    fn type_of(&self, text: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        let text = without_leading_comments(text);
        if text.is_empty() {
            return Output::error(
                InputError::new("usage", "`:type` needs an expression")
                    .help(format!("e.g. `{}`", example("type"))),
            );
        }
        match state.policy.check_expression("input", text) {
            Ok(expression) => {
                let (_, ty) = state.policy.evaluate_expression(
                    &expression,
                    &state.policy.empty_case(),
                    Some(self.date().0),
                );
                let mut out = Output::default();
                out.say(format!("{ty}\n"));
                out
            }
            Err(diagnostics) => {
                let mut out = Output::default();
                out.diagnostics(diagnostics);
                out
            }
        }
    }

    fn expression(&self, text: &str) -> Output {
        let state = match self.state_or_error() {
            Ok(state) => state,
            Err(out) => return out,
        };
        match state.policy.check_expression("input", text) {
            Ok(expression) => {
                let (value, ty, out_of_range) =
                    state
                        .policy
                        .evaluate_expression_in_range(&expression, &state.case, self.as_of);
                if let Some(cause) = out_of_range {
                    let source = Source::new("input", text);
                    return Output::error(
                        InputError::at(
                            "out_of_range",
                            &source,
                            Span::new(0, text.len()),
                            format!("this cannot be worked out: {cause}"),
                            format!("unknown : {ty}, whatever the facts"),
                        )
                        .help("a rule reading such a value needs review"),
                    );
                }
                let mut out = Output::default();
                out.say(format!("{value} : {ty}\n"));
                out
            }
            Err(diagnostics) => {
                let mut out = Output::default();
                out.diagnostics(diagnostics);
                out
            }
        }
    }
}

#[cfg(test)]
mod tests;
