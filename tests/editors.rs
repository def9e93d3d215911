//! The editor files in `editors/` stay valid and in step with the grammar.
//!
//! Every word keyword of `grammar/deon.pest` must appear in the patterns of
//! the VS Code TextMate grammar, the Vim syntax file and the Emacs mode, so a
//! keyword added to the language without editor support makes this test
//! fail. The annotated VS Code sample asserts a scope on every keyword in
//! context (tiers, `one of` groups, review notes, arguable links, `from`,
//! `done on`, `allow`, …), and the Vim and Emacs tests read the same sample;
//! whether each is coloured right there and in the shipped policies is tested
//! by running the editors (`.ci/run`).

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use serde_json::Value;

const VSCODE_DIR: &str = "editors/vscode";
const TM_GRAMMAR: &str = "editors/vscode/syntaxes/deon.tmLanguage.json";
const VIM_SYNTAX: &str = "editors/vim/syntax/deon.vim";
const EMACS_MODE: &str = "editors/emacs/deon-mode.el";

/// Words the grammar treats as plain identifiers but editors still highlight.
const EXTRA_WORDS: &[&str] = &["today", "bool", "int", "text", "date", "duration", "money"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    fs::read_to_string(&path).unwrap_or_else(|err| panic!("cannot read {}: {err}", path.display()))
}

fn parse_json(relative: &str) -> Value {
    serde_json::from_str(&read(relative))
        .unwrap_or_else(|err| panic!("{relative} is not valid JSON: {err}"))
}

fn json_files(dir: &Path, found: &mut Vec<PathBuf>) {
    let entries =
        fs::read_dir(dir).unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()));
    for entry in entries {
        let path = entry
            .unwrap_or_else(|err| panic!("cannot list {}: {err}", dir.display()))
            .path();
        if path.is_dir() {
            // npm's own files are not the extension's.
            if !path.ends_with("node_modules") {
                json_files(&path, found);
            }
        } else if path.extension().is_some_and(|ext| ext == "json") {
            found.push(path);
        }
    }
}

/// The grammar's keywords, as the library reads them from
/// `grammar/deon.pest`: the one list every editor is tested against.
fn grammar_keywords() -> BTreeSet<String> {
    let words: BTreeSet<String> = deon::analysis::keywords()
        .iter()
        .map(|w| (*w).to_owned())
        .collect();
    for expected in ["regulation", "must", "within", "revocation", "working"] {
        assert!(
            words.contains(expected),
            "keyword scan of the grammar missed {expected:?}: {words:?}"
        );
    }
    words
}

/// The runs of ASCII letters in a regular expression, with escapes such as
/// `\b`, `\s` and `\d` removed first so that `\bfor` counts as `for`. When
/// `skip_options` is set, a run directly followed by `=` (a Vim option name
/// such as `contains=`) is left out.
fn words_in(text: &str, skip_options: bool, words: &mut BTreeSet<String>) {
    let mut current = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_ascii_alphabetic() {
            current.push(c);
            continue;
        }
        let option_name = skip_options && c == '=';
        if current.is_empty() || option_name {
            current.clear();
        } else {
            words.insert(std::mem::take(&mut current));
        }
        if c == '\\' && chars.peek().is_some_and(char::is_ascii_alphabetic) {
            chars.next();
        }
    }
    if !current.is_empty() {
        words.insert(current);
    }
}

/// Words in the `match`, `begin`, `end` and `while` patterns of a TextMate grammar.
fn tm_pattern_words(value: &Value, words: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                match (key.as_str(), value) {
                    ("match" | "begin" | "end" | "while", Value::String(pattern)) => {
                        words_in(pattern, false, words)
                    }
                    _ => tm_pattern_words(value, words),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| tm_pattern_words(item, words)),
        _ => {}
    }
}

/// Words on the non-comment lines of a Vim script.
fn vim_words(text: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for line in text
        .lines()
        .filter(|line| !line.trim_start().starts_with('"'))
    {
        words_in(line, true, &mut words);
    }
    words
}

fn missing_from(words: &BTreeSet<String>) -> Vec<String> {
    let mut wanted = grammar_keywords();
    wanted.extend(EXTRA_WORDS.iter().map(|word| (*word).to_owned()));
    wanted
        .into_iter()
        .filter(|word| !words.contains(word))
        .collect()
}

#[test]
fn every_vscode_json_file_is_valid() {
    let mut files = Vec::new();
    json_files(&root().join(VSCODE_DIR), &mut files);
    assert!(
        files.len() >= 4,
        "expected package.json, the language configuration, grammar and snippets: {files:?}"
    );
    for file in files {
        let text = fs::read_to_string(&file)
            .unwrap_or_else(|err| panic!("cannot read {}: {err}", file.display()));
        if let Err(err) = serde_json::from_str::<Value>(&text) {
            panic!("{} is not valid JSON: {err}", file.display());
        }
    }
}

#[test]
fn package_json_contributions_exist() {
    let package = parse_json("editors/vscode/package.json");
    let contributes = &package["contributes"];
    let vscode = root().join(VSCODE_DIR);
    let exists = |field: &Value, what: &str| {
        let relative = field
            .as_str()
            .unwrap_or_else(|| panic!("{what} path is missing from package.json"));
        let path = vscode.join(relative);
        assert!(path.is_file(), "{what} path {relative} does not exist");
        path
    };

    let languages = contributes["languages"]
        .as_array()
        .unwrap_or_else(|| panic!("no contributed languages"));
    let deon = languages
        .iter()
        .find(|language| language["id"] == "deon")
        .unwrap_or_else(|| panic!("language id deon is not contributed"));
    let extensions = deon["extensions"]
        .as_array()
        .unwrap_or_else(|| panic!("deon has no file extensions"));
    assert!(
        extensions.iter().any(|ext| ext == ".deon"),
        "deon is not bound to .deon files"
    );
    let configuration = exists(&deon["configuration"], "language configuration");
    let configuration = fs::read_to_string(&configuration)
        .unwrap_or_else(|err| panic!("cannot read {}: {err}", configuration.display()));
    let configuration: Value = serde_json::from_str(&configuration)
        .unwrap_or_else(|err| panic!("language configuration is not valid JSON: {err}"));
    assert_eq!(configuration["comments"]["lineComment"], "//");

    let grammars = contributes["grammars"]
        .as_array()
        .unwrap_or_else(|| panic!("no contributed grammars"));
    let grammar = grammars
        .iter()
        .find(|grammar| grammar["language"] == "deon")
        .unwrap_or_else(|| panic!("no grammar is contributed for deon"));
    let grammar_path = exists(&grammar["path"], "grammar");
    assert_eq!(
        grammar_path,
        root().join(TM_GRAMMAR),
        "package.json names another grammar file"
    );
    assert_eq!(
        grammar["scopeName"],
        parse_json(TM_GRAMMAR)["scopeName"],
        "scope names differ"
    );

    let snippets = contributes["snippets"]
        .as_array()
        .unwrap_or_else(|| panic!("no contributed snippets"));
    assert!(!snippets.is_empty(), "no contributed snippets");
    for snippet in snippets {
        exists(&snippet["path"], "snippets");
    }
}

#[test]
fn tm_grammar_includes_resolve() {
    fn check(value: &Value, repository: &serde_json::Map<String, Value>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(include)) = map.get("include") {
                    if let Some(name) = include.strip_prefix('#') {
                        assert!(
                            repository.contains_key(name),
                            "include {include} has no repository entry"
                        );
                    } else {
                        assert_eq!(include, "$self", "unexpected include {include}");
                    }
                }
                map.values().for_each(|value| check(value, repository));
            }
            Value::Array(items) => items.iter().for_each(|item| check(item, repository)),
            _ => {}
        }
    }
    let grammar = parse_json(TM_GRAMMAR);
    let repository = grammar["repository"]
        .as_object()
        .unwrap_or_else(|| panic!("grammar has no repository"));
    check(&grammar, repository);
}

#[test]
fn tm_grammar_highlights_every_keyword() {
    let mut words = BTreeSet::new();
    tm_pattern_words(&parse_json(TM_GRAMMAR), &mut words);
    let missing = missing_from(&words);
    assert!(
        missing.is_empty(),
        "{TM_GRAMMAR} has no pattern for: {missing:?}"
    );
}

#[test]
fn vim_syntax_highlights_every_keyword() {
    let missing = missing_from(&vim_words(&read(VIM_SYNTAX)));
    assert!(
        missing.is_empty(),
        "{VIM_SYNTAX} has no pattern for: {missing:?}"
    );
}

/// Words in the string literals of the Emacs mode's keyword lists, outside
/// `;` comments.
fn emacs_words(text: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for line in text.lines() {
        let code = line.split(';').next().unwrap_or("");
        for (i, literal) in code.split('"').enumerate() {
            if i % 2 == 1 {
                words_in(literal, false, &mut words);
            }
        }
    }
    words
}

#[test]
fn emacs_mode_highlights_every_keyword() {
    let missing = missing_from(&emacs_words(&read(EMACS_MODE)));
    assert!(
        missing.is_empty(),
        "{EMACS_MODE} has no pattern for: {missing:?}"
    );
}

#[test]
fn the_vscode_client_is_packaged() {
    let package = parse_json("editors/vscode/package.json");
    let main = package["main"]
        .as_str()
        .expect("package.json names its main script");
    let script = read(&format!("{VSCODE_DIR}/{main}"));
    assert!(
        script.contains("\"lsp\""),
        "the client does not start `deon lsp`"
    );
    assert!(
        package["dependencies"]["vscode-languageclient"].is_string(),
        "the client's library is not a dependency"
    );
}

/// The word keywords on a sample's code line, each with its starting column
/// (in bytes), outside strings and comments and not part of a fact path.
fn keywords_on(line: &str, keywords: &BTreeSet<String>) -> Vec<(String, usize)> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut in_string = false;
    let mut word = String::new();
    let mut start = 0;
    for (i, c) in code
        .char_indices()
        .chain(std::iter::once((code.len(), ' ')))
    {
        if c.is_ascii_alphabetic() && !in_string {
            if word.is_empty() {
                start = i;
            }
            word.push(c);
            continue;
        }
        let in_path = c == '.' || code[..start].ends_with('.');
        if !word.is_empty() && !in_path && keywords.contains(&word) {
            out.push((std::mem::take(&mut word), start));
        }
        word.clear();
        if c == '"' {
            in_string = !in_string;
        }
    }
    out
}

/// The columns a TextMate test line asserts a scope for: `^` marks under
/// the line above, `<---` the first columns from the start.
fn asserted_columns(line: &str) -> Option<BTreeSet<usize>> {
    let rest = line.strip_prefix("//")?;
    if let Some(arrows) = rest.strip_prefix(" <") {
        let n = arrows.chars().take_while(|c| *c == '-').count();
        return Some((0..n).collect());
    }
    let marks: BTreeSet<usize> = line
        .char_indices()
        .filter(|(_, c)| *c == '^')
        .map(|(i, _)| i)
        .collect();
    (!marks.is_empty()).then_some(marks)
}

#[test]
fn the_highlighting_sample_asserts_a_scope_on_every_keyword() {
    // Every keyword of the grammar is asserted at least once in context, so
    // the VS Code test checks its scope, and the Vim and Emacs tests (which
    // read the same sample) see it in a construct.
    let keywords = grammar_keywords();
    let sample = read("editors/vscode/tests/constructs.deon");
    let lines: Vec<&str> = sample.lines().collect();
    let mut asserted = BTreeSet::new();
    for (i, line) in lines.iter().enumerate() {
        if line.starts_with("//") {
            continue;
        }
        let marks: BTreeSet<usize> = lines[i + 1..]
            .iter()
            .map_while(|l| asserted_columns(l))
            .flatten()
            .collect();
        for (word, column) in keywords_on(line, &keywords) {
            if marks.contains(&column) {
                asserted.insert(word);
            }
        }
    }
    let missing: Vec<&String> = keywords.difference(&asserted).collect();
    assert!(
        missing.is_empty(),
        "editors/vscode/tests/constructs.deon asserts no scope on: {missing:?}"
    );
}
