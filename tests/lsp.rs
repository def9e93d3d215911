//! `deon lsp` end to end: the real binary, spoken to in JSON-RPC over its
//! standard input and output, in a workspace of two policy files.

#![allow(clippy::expect_used, clippy::unwrap_used)] // test helpers may fail loudly

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

use serde_json::{Value, json};

const FACTS: &str = r#"enum party_role "Who a party is." {
  product_provider "Provides network products."
  operator "Operates a network."
}
facts {
  party "The party." {
    roles: set of party_role "What the party is."
  }
  vulnerability "The vulnerability." {
    aware_on: date? "When the provider learned of it."
    filed_on: date? "When it was filed."
  }
}
role provider "A provider." when product_provider in party.roles
"#;

/// The rule file, clean. Line 8 has Chinese text before the fact it reads,
/// so its UTF-16 columns differ from its byte and character columns.
const RULES: &str = r#"regulation example {
  title "An example"
  status in force
  effective from 2021-09-01
}
rule file_it "File in time." {
  applies to provider
  cite "《规定》第七条" when vulnerability.aware_on is set
  must "file the vulnerability"
  within 2 days of vulnerability.aware_on
  done when vulnerability.filed_on is set on vulnerability.filed_on
}
"#;

struct Server {
    child: Child,
    stdin: ChildStdin,
    messages: Receiver<Value>,
    next_id: i64,
    root: PathBuf,
    /// Notifications read while waiting for something else.
    pending: Vec<Value>,
}

fn frame(reader: &mut impl BufRead) -> Option<Value> {
    let mut length = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some(n) = line.strip_prefix("Content-Length: ") {
            length = n.parse::<usize>().ok();
        }
    }
    let mut body = vec![0; length?];
    reader.read_exact(&mut body).ok()?;
    serde_json::from_slice(&body).ok()
}

impl Server {
    fn start(root: &Path) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_deon"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("deon lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (send, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            while let Some(message) = frame(&mut reader) {
                if send.send(message).is_err() {
                    break;
                }
            }
        });
        Server {
            child,
            stdin,
            messages,
            next_id: 0,
            root: root.to_path_buf(),
            pending: Vec::new(),
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn next(&mut self) -> Value {
        self.messages
            .recv_timeout(Duration::from_secs(30))
            .expect("the server answers within 30 s")
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        loop {
            let message = self.next();
            if message["id"] == id {
                return message;
            }
            self.pending.push(message);
        }
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// The next diagnostics published for a file.
    fn diagnostics(&mut self, uri: &str) -> Value {
        if let Some(i) = self.pending.iter().position(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        }) {
            return self.pending.remove(i)["params"]["diagnostics"].clone();
        }
        loop {
            let message = self.next();
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == uri
            {
                return message["params"]["diagnostics"].clone();
            }
            self.pending.push(message);
        }
    }

    fn uri(&self, file: &str) -> String {
        format!("file://{}", self.root.join(file).display())
    }

    /// A response's result as text, with the workspace's path made neutral.
    fn shown(&self, response: &Value) -> String {
        assert!(response.get("error").is_none(), "{response}");
        let text = serde_json::to_string_pretty(&response["result"]).unwrap();
        text.replace(
            &format!("file://{}", self.root.display()),
            "file:///workspace",
        )
    }
}

fn at(uri: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": uri}, "position": {"line": line, "character": character}})
}

fn workspace() -> PathBuf {
    let root = std::env::temp_dir().join(format!("deon-lsp-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(root.join("policies")).unwrap();
    std::fs::write(root.join("policies/facts.deon"), FACTS).unwrap();
    std::fs::write(root.join("policies/rules.deon"), RULES).unwrap();
    root
}

#[test]
fn a_session_from_initialize_to_exit() {
    let root = workspace();
    let mut server = Server::start(&root);
    let init = server.request(
        "initialize",
        json!({"processId": null, "rootUri": format!("file://{}", root.display()), "capabilities": {}}),
    );
    let capabilities = &init["result"]["capabilities"];
    for capability in [
        "hoverProvider",
        "definitionProvider",
        "referencesProvider",
        "renameProvider",
        "documentSymbolProvider",
        "completionProvider",
    ] {
        assert!(
            !capabilities[capability].is_null(),
            "{capability} missing: {init}"
        );
    }
    server.notify("initialized", json!({}));
    let facts = server.uri("policies/facts.deon");
    let rules = server.uri("policies/rules.deon");
    // On start, the workspace's files are checked: both clean.
    assert_eq!(server.diagnostics(&facts), json!([]));
    assert_eq!(server.diagnostics(&rules), json!([]));

    // Open the rules with a misspelt fact on the line with Chinese text.
    let broken = RULES.replacen(
        "when vulnerability.aware_on",
        "when vulnerability.awre_on",
        1,
    );
    server.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": rules, "languageId": "deon", "version": 1, "text": broken}}),
    );
    let diagnostics = server.diagnostics(&rules);
    // `  cite "《规定》第七条" when ` is 2 + 4 + 1 + 1 + 7 + 1 + 1 + 5 = 22 UTF-16 units.
    assert_eq!(
        diagnostics[0]["range"],
        json!({"start": {"line": 7, "character": 22}, "end": {"line": 7, "character": 43}})
    );
    insta::assert_snapshot!(
        "diagnostics",
        serde_json::to_string_pretty(&diagnostics).unwrap()
    );

    // A file that does not parse gets its diagnostics too, and the server goes on.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rules, "version": 2}, "contentChanges": [{"text": "rule {\n  must \"x\"\n  within 2 days of\n"}]}),
    );
    let diagnostics = server.diagnostics(&rules);
    assert!(
        diagnostics.as_array().is_some_and(|d| !d.is_empty()),
        "{diagnostics}"
    );
    assert_eq!(
        diagnostics[0]["code"], "deon::syntax::unexpected",
        "{diagnostics}"
    );

    // Edited clean: the diagnostics are cleared.
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rules, "version": 3}, "contentChanges": [{"text": RULES}]}),
    );
    assert_eq!(server.diagnostics(&rules), json!([]));

    // Hover over `aware_on` on line 8, after the Chinese text (UTF-16 column 40).
    let hover = server.request("textDocument/hover", at(&rules, 7, 40));
    insta::assert_snapshot!("hover_fact", server.shown(&hover));
    let hover = server.request("textDocument/hover", at(&rules, 5, 6));
    insta::assert_snapshot!("hover_rule", server.shown(&hover));

    let definition = server.request("textDocument/definition", at(&rules, 7, 40));
    insta::assert_snapshot!("definition", server.shown(&definition));

    let mut params = at(&facts, 9, 4);
    params["context"] = json!({"includeDeclaration": true});
    let references = server.request("textDocument/references", params);
    insta::assert_snapshot!("references", server.shown(&references));

    // Completion after `vulnerability.` on a new line of the rule.
    let typing = RULES.replacen("  must \"file", "  unless vulnerability.\n  must \"file", 1);
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rules, "version": 4}, "contentChanges": [{"text": typing}]}),
    );
    let completion = server.request("textDocument/completion", at(&rules, 8, 23));
    insta::assert_snapshot!("completion", server.shown(&completion));
    server.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": rules, "version": 5}, "contentChanges": [{"text": RULES}]}),
    );

    let symbols = server.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": facts}}),
    );
    insta::assert_snapshot!("symbols", server.shown(&symbols));

    let mut params = at(&rules, 7, 40);
    params["newName"] = json!("learned_on");
    let rename = server.request("textDocument/rename", params);
    let edits = &rename["result"]["changes"];
    assert_eq!(edits[&facts].as_array().map(Vec::len), Some(1), "{rename}");
    assert_eq!(edits[&rules].as_array().map(Vec::len), Some(2), "{rename}");
    insta::assert_snapshot!("rename", server.shown(&rename));
    let mut params = at(&rules, 7, 40);
    params["newName"] = json!("filed_on");
    let refused = server.request("textDocument/rename", params);
    assert!(
        refused["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("already")),
        "{refused}"
    );

    // A position past the end of the file is an error, not a crash.
    let outside = server.request("textDocument/hover", at(&rules, 400, 0));
    assert!(outside.get("error").is_some(), "{outside}");

    let shutdown = server.request("shutdown", Value::Null);
    assert_eq!(shutdown["result"], Value::Null);
    server.notify("exit", Value::Null);
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
    let _ = std::fs::remove_dir_all(&root);
}
