//! The REPL's commands: their table, `:help` and usage errors.

use std::fmt::Write as _;

use super::{InputError, Output, show};
use crate::analysis::suggest;
use crate::source::{Source, Span};

/// A command: its name, its arguments and what it does.
#[derive(Clone, Copy, Debug)]
pub(super) struct CommandInfo {
    pub(super) name: &'static str,
    pub(super) args: &'static str,
    pub(super) about: &'static str,
    /// More detail, for `:help <command>`.
    pub(super) more: &'static str,
    pub(super) example: &'static str,
}

/// Every command, in the order `:help` lists them.
pub(super) const COMMANDS: &[CommandInfo] = &[
    CommandInfo {
        name: "load",
        args: "<path>…",
        about: "load policy files or folders; the case carries over if it fits",
        more: "Several paths may follow. The case (its file and the changes typed since) carries over when it fits the new policies; otherwise the case starts empty.",
        example: ":load policies",
    },
    CommandInfo {
        name: "reload",
        args: "",
        about: "read the policies and case file again; on a problem, keep all",
        more: "All or nothing: if the edited policies, or the case under them, no longer check, their problems are shown and the previous policies and case stay in use. Changes typed with :set are applied again.",
        example: ":reload",
    },
    CommandInfo {
        name: "case",
        args: "[<file>]",
        about: "load a case file (.yaml, .json, .toml); alone: say which case",
        more: "The changes typed with :set before are forgotten. A case with problems is refused and the previous case stays.",
        example: ":case examples/cases/provider_late_filing.yaml",
    },
    CommandInfo {
        name: "clear",
        args: "",
        about: "forget the case: every fact becomes unknown",
        more: "",
        example: ":clear",
    },
    CommandInfo {
        name: "set",
        args: "<fact> = <value>, …",
        about: "give facts values, checked against the policies' schema",
        more: "Values are read as in a YAML case file: 2025-03-12, true, 3, \"6 months\", [a, b], or null (the event did not happen). A record takes a group, {fact: value, ...}, or null. `as_of = <date>` sets the case's own evaluation date. Separate several changes with `,` or `;`.",
        example: ":set vulnerability.filed_with_miit_on = 2025-03-12",
    },
    CommandInfo {
        name: "unset",
        args: "<fact>…",
        about: "make facts (or whole records) unknown again",
        more: "A fact the case leaves out is unknown, and the findings that depend on it are conditional. To say that an event did not happen, use `:set <fact> = null` instead.",
        example: ":unset vulnerability.filed_with_miit_on",
    },
    CommandInfo {
        name: "facts",
        args: "[<record or fact>]",
        about: "the case's facts and their types; with a path, all below it",
        more: "",
        example: ":facts vulnerability",
    },
    CommandInfo {
        name: "asof",
        args: "[<date> | case | today]",
        about: "the evaluation date; `case` goes back to the case's as_of",
        more: "A date set here wins over the case's own as_of; `today` sets today's date. Without either, the case's as_of is used, else today.",
        example: ":asof 2025-03-11",
    },
    CommandInfo {
        name: "eval",
        args: "[all]",
        about: "every finding, as `deon eval` shows them; `all` explains each",
        more: "",
        example: ":eval",
    },
    CommandInfo {
        name: "rule",
        args: "[<rule>]",
        about: "a rule as written, its roles and penalties; alone: every rule",
        more: "",
        example: ":rule provider_file_with_miit",
    },
    CommandInfo {
        name: "explain",
        args: "<rule>",
        about: "why a rule has its status: each condition and its facts",
        more: "",
        example: ":explain provider_file_with_miit",
    },
    CommandInfo {
        name: "whatif",
        args: "<fact> = <value>, …",
        about: "evaluate with changes, keeping none: what changes, old → new",
        more: "Changes are written as for :set. Only findings whose status or due date change are shown, each with its reason before and after, and the total fines when they change.",
        example: ":whatif vulnerability.filed_with_miit_on = 2025-03-12",
    },
    CommandInfo {
        name: "type",
        args: "<expression>",
        about: "the type of an expression",
        more: "Facts are typed as their schema says; an optional fact may be read without `is set` here.",
        example: ":type vulnerability.aware_on + 2 days",
    },
    CommandInfo {
        name: "help",
        args: "[<command>]",
        about: "this list, or one command with an example",
        more: "",
        example: ":help whatif",
    },
    CommandInfo {
        name: "quit",
        args: "",
        about: "leave the REPL (Ctrl-D does too)",
        more: "",
        example: ":quit",
    },
];

/// Other names for commands.
pub(super) const ALIASES: &[(&str, &str)] = &[
    ("q", "quit"),
    ("exit", "quit"),
    ("h", "help"),
    ("?", "help"),
];

pub(super) fn info(name: &str) -> Option<&'static CommandInfo> {
    COMMANDS.iter().find(|c| c.name == name)
}

pub(super) fn example(name: &str) -> &'static str {
    info(name).map_or("", |c| c.example)
}

pub(super) fn usage(source: &Source, span: Span, name: &str) -> Output {
    let (args, example) = info(name).map_or(("", ""), |c| (c.args, c.example));
    Output::error(
        InputError::at("usage", source, span, format!("usage: :{name} {args}"), "")
            .help(format!("e.g. `{example}`")),
    )
}

pub(super) fn help(source: &Source, span: Span, args: &str) -> Output {
    let mut out = Output::default();
    let name = args.trim_start_matches(':');
    if name.is_empty() {
        let width = COMMANDS
            .iter()
            .map(|c| c.name.len() + c.args.chars().count() + 2)
            .max()
            .unwrap_or(0);
        let mut text = String::from("Commands:\n");
        for c in COMMANDS {
            let usage = format!(":{} {}", c.name, c.args);
            let _ = writeln!(text, "  {usage:<width$}  {}", c.about);
        }
        text.push_str(
            "\nAnything else is an expression, evaluated against the case and printed with its\n\
             type: `vulnerability.aware_on + 2 days`, `product_provider in party.roles`.\n\
             A fact the case leaves out is unknown; `null` means the event did not happen.\n\
             Input continues on the next line while a bracket is open or a line ends in an\n\
             operator (`and`, `or`, `+`, `=`, `in`, …). Tab completes commands, facts, values\n\
             and rule ids. `:help <command>` shows an example.\n",
        );
        out.say(text);
        return out;
    }
    let name = ALIASES
        .iter()
        .find(|(alias, _)| *alias == name)
        .map_or(name, |(_, full)| full);
    match info(name) {
        Some(c) => {
            let usage = format!(":{} {}", c.name, c.args);
            let mut text = format!("{}\n  {}\n", usage.trim_end(), c.about);
            if !c.more.is_empty() {
                let _ = writeln!(text, "  {}", show::wrap(c.more, 90, "  "));
            }
            let _ = writeln!(text, "  e.g. {}", c.example);
            out.say(text);
        }
        None => {
            let start = source.text[span.end..]
                .find(args)
                .map_or(span.end, |i| span.end + i);
            let hint = suggest(name, COMMANDS.iter().map(|c| c.name))
                .unwrap_or_else(|| "`:help` lists the commands".into());
            out.problem(
                InputError::at(
                    "unknown_command",
                    source,
                    Span::new(start, start + args.len()),
                    format!("there is no command `:{name}`"),
                    "unknown command",
                )
                .help(hint),
            );
        }
    }
    out
}
