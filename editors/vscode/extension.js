// Starts the rubricdsl language server for .rub files: `rubricdsl lsp` over standard input and output.
const vscode = require("vscode");
const { LanguageClient } = require("vscode-languageclient/node");

let client;

function activate(context) {
  const [command, ...args] = vscode.workspace.getConfiguration("rubricdsl").get("command");
  client = new LanguageClient(
    "rubricdsl",
    "rubricdsl",
    { command, args },
    { documentSelector: [{ scheme: "file", language: "rubric" }] }
  );
  context.subscriptions.push(client);
  return client.start();
}

function deactivate() {
  return client ? client.stop() : undefined;
}

module.exports = { activate, deactivate };
