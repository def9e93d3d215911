// Tokenizes every shipped policy and every sample with the TextMate grammar
// and fails if a keyword of grammar/deon.pest (the language's one keyword
// list) is coloured as a plain name, or not at all, outside strings and
// comments. A keyword added to the language without editor support, or a
// keyword the grammar misses in some context (as `may` once was in penalty
// blocks), fails here.
"use strict";

const fs = require("fs");
const path = require("path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const root = path.join(__dirname, "..", "..", "..");
const grammarPath = path.join(__dirname, "..", "syntaxes", "deon.tmLanguage.json");

/** The quoted word literals of the pest grammar, outside comments. */
function keywords() {
  const text = fs.readFileSync(path.join(root, "grammar", "deon.pest"), "utf8");
  const words = new Set();
  for (const line of text.split("\n")) {
    const code = line.replace(/\/\/.*$/, "");
    for (const match of code.matchAll(/"([A-Za-z]{2,})"/g)) {
      if (match[1] !== "CNY") words.add(match[1]);
    }
  }
  return words;
}

function policyFiles(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) policyFiles(full, out);
    else if (entry.name.endsWith(".deon")) out.push(full);
  }
  return out;
}

async function main() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm")).buffer;
  await oniguruma.loadWASM(wasm);
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async () => vsctm.parseRawGrammar(fs.readFileSync(grammarPath, "utf8"), grammarPath),
  });
  const grammar = await registry.loadGrammar("source.deon");
  const words = keywords();
  const files = policyFiles(path.join(root, "policies"), []).concat(policyFiles(__dirname, []));
  const tokenized = files.map((file) => {
    let stack = vsctm.INITIAL;
    return fs.readFileSync(file, "utf8").split("\n").map((line) => {
      const result = grammar.tokenizeLine(line, stack);
      stack = result.ruleStack;
      return { line, tokens: result.tokens };
    });
  });
  // Enum values the policies declare are names wherever they are used, even
  // one that spells a keyword of a phrase (`individual`, of `on the individual`).
  const declared = new Set();
  for (const lines of tokenized) {
    for (const { line, tokens } of lines) {
      for (const token of tokens) {
        if (token.scopes.some((s) => s.startsWith("variable.other.enummember"))) {
          declared.add(line.slice(token.startIndex, token.endIndex));
        }
      }
    }
  }
  const problems = [];
  let checked = 0;
  for (const [index, file] of files.entries()) {
    tokenized[index].forEach(({ line, tokens }, number) => {
      for (const token of tokens) {
        const text = line.slice(token.startIndex, token.endIndex);
        const scopes = token.scopes.join(" ");
        if (/string|comment/.test(scopes)) continue;
        for (const match of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
          const word = match[0];
          if (!words.has(word) || declared.has(word)) continue;
          // A part of a dotted fact path is a name even when it spells a keyword.
          const at = token.startIndex + match.index;
          if (line[at - 1] === "." || line[at + word.length] === ".") continue;
          checked++;
          const plain = token.scopes.length === 1 || /variable\.other|entity\.name/.test(scopes);
          if (plain) {
            problems.push(`${path.relative(root, file)}:${number + 1}:${at + 1}: \`${word}\` is coloured as ${token.scopes.slice(-1)[0]}`);
          }
        }
      }
    });
  }
  if (problems.length > 0) {
    console.error(problems.join("\n"));
    console.error(`${problems.length} keywords are not coloured as keywords`);
    process.exit(1);
  }
  console.log(`${checked} keywords in ${files.length} files are coloured as keywords`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
