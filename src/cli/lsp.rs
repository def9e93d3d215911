//! `deon lsp`: a language server over standard input and output. A thin
//! shell over `deon::analysis`: it keeps the workspace's `.deon` files (the
//! editor's unsaved text over what is on disk), groups them into policy sets,
//! and answers each request with an analysis query, converting byte offsets
//! to the protocol's UTF-16 positions.
//!
//! A policy set is a folder of `.deon` files with its subfolders: the highest
//! folder above a file, within the workspace, whose every folder down to the
//! file holds `.deon` files. `policies/cn/x.deon` is checked with the rest of
//! `policies/cn/`, as `deon check policies` would.

use std::collections::{BTreeMap, BTreeSet};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use deon::analysis::{self, Analysis, CompletionKind, Level, LineIndex, Location, SymbolKind};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
    DidSaveTextDocument, Notification as _, PublishDiagnostics,
};
use lsp_types::request::{
    Completion, DocumentSymbolRequest, Formatting, GotoDefinition, HoverRequest, References,
    Rename, Request as _,
};
use lsp_types::{self as lsp, Url};

use super::{EXIT_BAD_INPUT, EXIT_OK};

/// Runs the server until the client says `exit`.
pub fn run() -> u8 {
    let (connection, threads) = Connection::stdio();
    let code = match serve(&connection) {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("deon lsp: {e}");
            EXIT_BAD_INPUT
        }
    };
    drop(connection);
    if let Err(e) = threads.join() {
        eprintln!("deon lsp: {e}");
    }
    code
}

fn capabilities() -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Left(true)),
        document_formatting_provider: Some(lsp::OneOf::Left(true)),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        ..Default::default()
    }
}

fn serve(connection: &Connection) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let capabilities = serde_json::to_value(capabilities())?;
    let params = connection.initialize(capabilities)?;
    let params: lsp::InitializeParams = serde_json::from_value(params).unwrap_or_default();
    #[allow(deprecated)] // root_uri: older clients send only it
    let root = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone())
        .or(params.root_uri)
        .and_then(|uri| uri.to_file_path().ok());
    let mut server = Server::new(root);
    server.publish_all(connection);
    for message in &connection.receiver {
        match message {
            Message::Request(request) => {
                if connection.handle_shutdown(&request)? {
                    return Ok(());
                }
                let id = request.id.clone();
                let response = catch_unwind(AssertUnwindSafe(|| server.request(request)))
                    .unwrap_or_else(|_| {
                        Err((
                            ErrorCode::InternalError,
                            "the request failed; the server goes on".into(),
                        ))
                    });
                let response = match response {
                    Ok(result) => Response::new_ok(id, result),
                    Err((code, message)) => Response::new_err(id, code as i32, message),
                };
                connection.sender.send(Message::Response(response))?;
            }
            Message::Notification(notification) => {
                let changed = catch_unwind(AssertUnwindSafe(|| server.notification(notification)))
                    .unwrap_or_default();
                for set in changed {
                    server.publish(connection, &set);
                }
            }
            Message::Response(_) => {}
        }
    }
    Ok(())
}

type Reply = Result<serde_json::Value, (ErrorCode, String)>;

/// The workspace's files and one analysis per policy set.
struct Server {
    root: Option<PathBuf>,
    /// Every known `.deon` file's text: the editor's when open, else the disk's.
    /// The text of every file of the open policy sets, indexed by line once
    /// when it changes: each diagnostic's range is read from it.
    files: BTreeMap<PathBuf, LineIndex>,
    open: BTreeSet<PathBuf>,
    analyses: BTreeMap<PathBuf, Analysis>,
    /// The files each set published diagnostics for last, to clear them.
    published: BTreeMap<PathBuf, BTreeSet<PathBuf>>,
}

fn is_policy(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "deon")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() && depth < 16 {
            walk(&path, out, depth + 1);
        } else if is_policy(&path) {
            out.push(path);
        }
    }
}

fn uri(path: &Path) -> Option<Url> {
    Url::from_file_path(path).ok()
}

fn name(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

fn params<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
) -> Result<T, (ErrorCode, String)> {
    serde_json::from_value(value).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn json(value: impl serde::Serialize) -> Reply {
    serde_json::to_value(value).map_err(|e| (ErrorCode::InternalError, e.to_string()))
}

impl Server {
    fn new(root: Option<PathBuf>) -> Server {
        let mut server = Server {
            root: root.clone(),
            files: BTreeMap::new(),
            open: BTreeSet::new(),
            analyses: BTreeMap::new(),
            published: BTreeMap::new(),
        };
        if let Some(root) = root {
            let mut found = Vec::new();
            walk(&root, &mut found, 0);
            for path in found {
                if let Ok(text) = std::fs::read_to_string(&path) {
                    server.files.insert(path, LineIndex::from_text(text));
                }
            }
        }
        let sets: BTreeSet<PathBuf> = server.files.keys().map(|f| server.set_of(f)).collect();
        for set in sets {
            server.analyse(&set);
        }
        server
    }

    fn has_policies(&self, dir: &Path) -> bool {
        self.files.keys().any(|f| f.parent() == Some(dir))
    }

    /// The folder whose policy set holds a file.
    fn set_of(&self, file: &Path) -> PathBuf {
        let mut set = file.parent().map_or_else(PathBuf::new, Path::to_path_buf);
        while let Some(parent) = set.parent() {
            let inside = self.root.as_ref().is_none_or(|r| parent.starts_with(r));
            if !inside || !self.has_policies(parent) {
                break;
            }
            set = parent.to_path_buf();
        }
        set
    }

    fn analyse(&mut self, set: &Path) {
        let files: Vec<(String, &str)> = self
            .files
            .iter()
            .filter(|(path, _)| path.starts_with(set))
            .map(|(path, text)| (name(path), text.text()))
            .collect();
        let mut calendars = BTreeMap::new();
        // A malformed calendar is `deon check`'s to report; here, rules just count without it.
        let _ = deon::calendar::load_dir(set, &mut calendars);
        self.analyses
            .insert(set.to_path_buf(), Analysis::new(files, calendars));
    }

    fn publish_all(&mut self, connection: &Connection) {
        let sets: Vec<PathBuf> = self.analyses.keys().cloned().collect();
        for set in sets {
            self.publish(connection, &set);
        }
    }

    /// Sends every file of a set its diagnostics, empty ones included.
    fn publish(&mut self, connection: &Connection, set: &Path) {
        let Some(analysis) = self.analyses.get(set) else {
            return;
        };
        let mut by_file: BTreeMap<PathBuf, Vec<lsp::Diagnostic>> = analysis
            .files()
            .map(|f| (PathBuf::from(f), Vec::new()))
            .collect();
        for d in analysis.diagnostics() {
            let related = d
                .related
                .iter()
                .filter_map(|(location, message)| {
                    Some(lsp::DiagnosticRelatedInformation {
                        location: self.location(location)?,
                        message: message.clone(),
                    })
                })
                .collect::<Vec<_>>();
            let Some(range) = self.range(&d.location) else {
                continue;
            };
            let message = match &d.help {
                Some(help) => format!("{}\nhelp: {help}", d.message),
                None => d.message.clone(),
            };
            by_file
                .entry(PathBuf::from(&d.location.file))
                .or_default()
                .push(lsp::Diagnostic {
                    range,
                    severity: Some(match d.level {
                        Level::Error => lsp::DiagnosticSeverity::ERROR,
                        Level::Warning => lsp::DiagnosticSeverity::WARNING,
                    }),
                    code: d.code.clone().map(lsp::NumberOrString::String),
                    source: Some("deon".into()),
                    message,
                    related_information: (!related.is_empty()).then_some(related),
                    ..Default::default()
                });
        }
        let previous = self.published.remove(set).unwrap_or_default();
        for stale in previous {
            by_file.entry(stale).or_default();
        }
        self.published
            .insert(set.to_path_buf(), by_file.keys().cloned().collect());
        for (file, diagnostics) in by_file {
            let Some(uri) = uri(&file) else {
                continue;
            };
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics,
                version: None,
            };
            let notification = Notification::new(PublishDiagnostics::METHOD.into(), params);
            let _ = connection.sender.send(Message::Notification(notification));
        }
    }

    /// Applies a notification; returns the policy sets whose diagnostics changed.
    fn notification(&mut self, notification: Notification) -> Vec<PathBuf> {
        let mut touched = Vec::new();
        let path_of = |uri: &Url| uri.to_file_path().ok().filter(|p| is_policy(p));
        match notification.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidOpenTextDocumentParams>(notification.params)
                {
                    if let Some(path) = path_of(&p.text_document.uri) {
                        self.open.insert(path.clone());
                        let text = LineIndex::from_text(p.text_document.text);
                        self.files.insert(path.clone(), text);
                        touched.push(path);
                    }
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeTextDocumentParams>(notification.params)
                {
                    if let (Some(path), Some(change)) = (
                        path_of(&p.text_document.uri),
                        p.content_changes.into_iter().last(),
                    ) {
                        let text = LineIndex::from_text(change.text);
                        self.files.insert(path.clone(), text);
                        touched.push(path);
                    }
                }
            }
            DidSaveTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidSaveTextDocumentParams>(notification.params)
                {
                    if let Some(path) = path_of(&p.text_document.uri) {
                        if let Some(text) = p.text {
                            self.files.insert(path.clone(), LineIndex::from_text(text));
                        }
                        touched.push(path);
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidCloseTextDocumentParams>(notification.params)
                {
                    if let Some(path) = path_of(&p.text_document.uri) {
                        self.open.remove(&path);
                        self.reread(&path);
                        touched.push(path);
                    }
                }
            }
            DidChangeWatchedFiles::METHOD => {
                if let Ok(p) =
                    serde_json::from_value::<lsp::DidChangeWatchedFilesParams>(notification.params)
                {
                    for change in p.changes {
                        if let Some(path) = path_of(&change.uri) {
                            if !self.open.contains(&path) {
                                self.reread(&path);
                                touched.push(path);
                            }
                        }
                    }
                }
            }
            _ => {}
        }
        let sets: BTreeSet<PathBuf> = touched.iter().map(|f| self.set_of(f)).collect();
        for set in &sets {
            self.analyse(set);
        }
        sets.into_iter().collect()
    }

    /// Takes a file's text from the disk again (or forgets a deleted file).
    fn reread(&mut self, path: &Path) {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                self.files
                    .insert(path.to_path_buf(), LineIndex::from_text(text));
            }
            Err(_) => {
                self.files.remove(path);
            }
        }
    }

    fn analysis_of(&self, uri: &Url) -> Result<(&Analysis, String), (ErrorCode, String)> {
        let path = uri
            .to_file_path()
            .map_err(|()| (ErrorCode::InvalidParams, format!("{uri} is not a file")))?;
        let analysis = self.analyses.get(&self.set_of(&path)).ok_or_else(|| {
            (
                ErrorCode::InvalidParams,
                format!("{uri} is not an open .deon file"),
            )
        })?;
        Ok((analysis, name(&path)))
    }

    fn lines(&self, file: &str) -> Option<&LineIndex> {
        self.files.get(Path::new(file))
    }

    fn range(&self, location: &Location) -> Option<lsp::Range> {
        let lines = self.lines(&location.file)?;
        let point = |offset: usize| {
            let (line, character) = lines.position(offset);
            lsp::Position { line, character }
        };
        Some(lsp::Range {
            start: point(location.span.start),
            end: point(location.span.end),
        })
    }

    fn location(&self, location: &Location) -> Option<lsp::Location> {
        Some(lsp::Location {
            uri: uri(Path::new(&location.file))?,
            range: self.range(location)?,
        })
    }

    /// The analysis, file name and byte offset of a text document position.
    fn at(
        &self,
        position: &lsp::TextDocumentPositionParams,
    ) -> Result<(&Analysis, String, usize), (ErrorCode, String)> {
        let (analysis, file) = self.analysis_of(&position.text_document.uri)?;
        let offset = self
            .lines(&file)
            .and_then(|l| l.offset(position.position.line, position.position.character))
            .ok_or_else(|| {
                (
                    ErrorCode::InvalidParams,
                    "the position is outside the file".to_string(),
                )
            })?;
        Ok((analysis, file, offset))
    }

    fn request(&self, request: Request) -> Reply {
        match request.method.as_str() {
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = params(request.params)?;
                let (analysis, file, offset) = self.at(&p.text_document_position_params)?;
                let hover = analysis.hover(&file, offset).map(|h| lsp::Hover {
                    contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                        kind: lsp::MarkupKind::Markdown,
                        value: h.markdown,
                    }),
                    range: self.range(&Location {
                        file: file.clone(),
                        span: h.span,
                    }),
                });
                json(hover)
            }
            GotoDefinition::METHOD => {
                let p: lsp::GotoDefinitionParams = params(request.params)?;
                let (analysis, file, offset) = self.at(&p.text_document_position_params)?;
                let found = analysis
                    .definition(&file, offset)
                    .and_then(|l| self.location(&l));
                json(found.map(lsp::GotoDefinitionResponse::Scalar))
            }
            References::METHOD => {
                let p: lsp::ReferenceParams = params(request.params)?;
                let (analysis, file, offset) = self.at(&p.text_document_position)?;
                let found: Vec<lsp::Location> = analysis
                    .references(&file, offset, p.context.include_declaration)
                    .iter()
                    .filter_map(|l| self.location(l))
                    .collect();
                json(found)
            }
            Completion::METHOD => {
                let p: lsp::CompletionParams = params(request.params)?;
                let (analysis, file, offset) = self.at(&p.text_document_position)?;
                let items: Vec<lsp::CompletionItem> = analysis
                    .completions(&file, offset)
                    .into_iter()
                    .filter_map(|c| {
                        let range = self.range(&Location {
                            file: file.clone(),
                            span: c.replace.clone(),
                        })?;
                        Some(lsp::CompletionItem {
                            kind: Some(completion_kind(c.kind)),
                            detail: c.detail,
                            text_edit: Some(lsp::CompletionTextEdit::Edit(lsp::TextEdit {
                                range,
                                new_text: c.label.clone(),
                            })),
                            label: c.label,
                            ..Default::default()
                        })
                    })
                    .collect();
                json(lsp::CompletionResponse::Array(items))
            }
            DocumentSymbolRequest::METHOD => {
                let p: lsp::DocumentSymbolParams = params(request.params)?;
                let (analysis, file) = self.analysis_of(&p.text_document.uri)?;
                let symbols: Vec<lsp::DocumentSymbol> = analysis
                    .symbols(&file)
                    .into_iter()
                    .filter_map(|o| self.symbol(&file, o))
                    .collect();
                json(lsp::DocumentSymbolResponse::Nested(symbols))
            }
            Rename::METHOD => {
                let p: lsp::RenameParams = params(request.params)?;
                let (analysis, file, offset) = self.at(&p.text_document_position)?;
                let edits = analysis
                    .rename(&file, offset, &p.new_name)
                    .map_err(|message| (ErrorCode::RequestFailed, message))?;
                let mut changes: std::collections::HashMap<Url, Vec<lsp::TextEdit>> =
                    Default::default();
                for edit in edits {
                    let Some(location) = self.location(&edit.location) else {
                        continue;
                    };
                    changes
                        .entry(location.uri)
                        .or_default()
                        .push(lsp::TextEdit {
                            range: location.range,
                            new_text: edit.new_text,
                        });
                }
                json(lsp::WorkspaceEdit {
                    changes: Some(changes),
                    ..Default::default()
                })
            }
            Formatting::METHOD => {
                let p: lsp::DocumentFormattingParams = params(request.params)?;
                let (_, file) = self.analysis_of(&p.text_document.uri)?;
                let text = self.files.get(Path::new(&file)).map_or("", LineIndex::text);
                // `deon fmt`'s own layout; a file that does not parse is left as it is.
                let formatted = deon::format_source(&file, text).map_err(|d| {
                    (
                        ErrorCode::RequestFailed,
                        format!("{d} in the file: it is formatted once it parses"),
                    )
                })?;
                if formatted == text {
                    return json(Vec::<lsp::TextEdit>::new());
                }
                let whole = Location {
                    file: file.clone(),
                    span: 0..text.len(),
                };
                let edits: Vec<lsp::TextEdit> = self
                    .range(&whole)
                    .map(|range| lsp::TextEdit {
                        range,
                        new_text: formatted,
                    })
                    .into_iter()
                    .collect();
                json(edits)
            }
            method => Err((
                ErrorCode::MethodNotFound,
                format!("deon lsp does not answer {method}"),
            )),
        }
    }

    #[allow(deprecated)] // DocumentSymbol::deprecated must still be given
    fn symbol(&self, file: &str, outline: analysis::Outline) -> Option<lsp::DocumentSymbol> {
        let range = self.range(&Location {
            file: file.to_string(),
            span: outline.span,
        })?;
        let selection_range = self.range(&Location {
            file: file.to_string(),
            span: outline.name_span,
        })?;
        let children: Vec<lsp::DocumentSymbol> = outline
            .children
            .into_iter()
            .filter_map(|c| self.symbol(file, c))
            .collect();
        Some(lsp::DocumentSymbol {
            name: outline.name,
            detail: Some(outline.kind.word().to_string()),
            kind: symbol_kind(outline.kind),
            tags: None,
            deprecated: None,
            range,
            selection_range,
            children: (!children.is_empty()).then_some(children),
        })
    }
}

fn symbol_kind(kind: SymbolKind) -> lsp::SymbolKind {
    match kind {
        SymbolKind::Regulation => lsp::SymbolKind::MODULE,
        SymbolKind::Enum => lsp::SymbolKind::ENUM,
        SymbolKind::EnumValue => lsp::SymbolKind::ENUM_MEMBER,
        SymbolKind::Record => lsp::SymbolKind::STRUCT,
        SymbolKind::Fact => lsp::SymbolKind::FIELD,
        SymbolKind::Definition => lsp::SymbolKind::CONSTANT,
        SymbolKind::Role => lsp::SymbolKind::CLASS,
        SymbolKind::Penalty => lsp::SymbolKind::EVENT,
        SymbolKind::Rule => lsp::SymbolKind::FUNCTION,
    }
}

fn completion_kind(kind: CompletionKind) -> lsp::CompletionItemKind {
    match kind {
        CompletionKind::Keyword => lsp::CompletionItemKind::KEYWORD,
        CompletionKind::Type => lsp::CompletionItemKind::TYPE_PARAMETER,
        CompletionKind::Symbol(SymbolKind::EnumValue) => lsp::CompletionItemKind::ENUM_MEMBER,
        CompletionKind::Symbol(SymbolKind::Record) => lsp::CompletionItemKind::MODULE,
        CompletionKind::Symbol(SymbolKind::Fact) => lsp::CompletionItemKind::FIELD,
        CompletionKind::Symbol(SymbolKind::Rule) => lsp::CompletionItemKind::FUNCTION,
        CompletionKind::Symbol(_) => lsp::CompletionItemKind::VARIABLE,
    }
}
