// Starts `deon lsp` for .deon files. Everything the editor shows beyond
// colours (errors, hover, definitions, completion, rename) comes from it.
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const command = vscode.workspace.getConfiguration("deon").get("server.path") || "deon";
  const server = { command, args: ["lsp"], transport: TransportKind.stdio };
  client = new LanguageClient(
    "deon",
    "Deon",
    { run: server, debug: server },
    {
      documentSelector: [{ scheme: "file", language: "deon" }],
      synchronize: {
        fileEvents: vscode.workspace.createFileSystemWatcher("**/*.deon"),
      },
    }
  );
  client.start().catch((error) => {
    vscode.window.showErrorMessage(
      `Deon: could not start \`${command} lsp\` (${error.message}). ` +
        "Install deon, or set deon.server.path to the program."
    );
  });
  context.subscriptions.push({ dispose: () => client && client.stop() });
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
