// The `deon serve` page in headless Chromium, as a person uses it: load it,
// evaluate an example case, run a what-if, read what it shows. Screenshots
// go to artifacts/ (kept out of git).
//
// DEON_BIN names the binary (default: target/debug/deon) and CHROMIUM the
// browser (default: /usr/bin/chromium).

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, copyFileSync, readdirSync, writeFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "../..");
const bin = process.env.DEON_BIN || join(root, "target/debug/deon");
const browserPath = process.env.CHROMIUM || "/usr/bin/chromium";
const artifacts = join(here, "artifacts");
mkdirSync(artifacts, { recursive: true });

let server, base, browser, examples;
// What the server wrote to stderr, shown when the page does not come up.
let serverLog = "";

// Hostile text in an example's description must show as text.
const HOSTILE = "<img src=x onerror=\"window.__pwned=1\"> <b>bold</b> & \"quotes\"";

function startServer() {
  examples = mkdtempSync(join(tmpdir(), "deon-page-"));
  for (const name of readdirSync(join(root, "examples/cases"))) {
    copyFileSync(join(root, "examples/cases", name), join(examples, name));
  }
  writeFileSync(join(examples, "zz_hostile.yaml"), `# ${HOSTILE}\nas_of: 2026-03-10\n`);
  return new Promise((resolveStart, reject) => {
    const child = spawn(bin, ["serve", "policies", "--examples", examples, "--addr", "127.0.0.1:0"], {
      cwd: root, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1" },
    });
    let log = "";
    const timer = setTimeout(() => reject(new Error("the server did not start:\n" + log)), 30000);
    child.stderr.on("data", (chunk) => {
      log += chunk;
      serverLog = log;
      const match = log.match(/listening on (http:\/\/\S+) /);
      if (match) {
        clearTimeout(timer);
        resolveStart({ child, url: match[1] });
      }
    });
    child.on("exit", (code) => reject(new Error(`the server exited with ${code}:\n${log}`)));
  });
}

before(async () => {
  const started = await startServer();
  server = started.child;
  base = started.url;
  browser = await chromium.launch({ executablePath: browserPath, args: ["--no-sandbox"] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
  if (examples) rmSync(examples, { recursive: true, force: true });
});

async function openPage() {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(String(e)));
  page.on("console", (m) => { if (m.type() === "error") problems.push(m.text()); });
  const requests = [];
  page.on("requestfailed", (r) => requests.push(`${r.url()}: ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (!r.ok()) requests.push(`${r.url()}: ${r.status()}`); });
  await page.goto(base + "/");
  try {
    await page.locator("#example option", { hasText: "provider late filing" }).waitFor({ state: "attached" });
  } catch (e) {
    // Say what the page saw, so that a failure on a machine we cannot reach explains itself.
    await page.screenshot({ path: join(artifacts, "not-loaded.png") }).catch(() => {});
    const options = await page.locator("#example").innerHTML().catch((err) => String(err));
    throw new Error(`${e.message}\npage errors: ${JSON.stringify(problems)}\nfailed requests: ${JSON.stringify(requests)}\n#example: ${options}\nserver log:\n${serverLog.slice(-2000)}`);
  }
  return { page, problems };
}

test("the page loads the policy set, its fact form and its catalogue", async () => {
  const { page, problems } = await openPage();
  assert.equal(await page.title(), "Deon — evaluate a case");
  assert.match(await page.locator("#policy-set").innerText(), /\d+ rules.*policy set sha256:/);
  // A form from the fact schema: one row per fact, grouped by record.
  assert.ok(await page.locator("#facts fieldset").count() >= 5);
  const roles = page.locator('#facts .fact[data-path="party.roles"]');
  assert.ok(await roles.locator('input[type="checkbox"][value="product_provider"]').count() === 1);
  const aware = page.locator('#facts .fact[data-path="vulnerability.aware_on"]');
  assert.deepEqual(await aware.locator("select.fact-state option").allInnerTexts(), ["unknown", "known", "not happened"]);
  assert.equal(await aware.locator('input[type="date"]').count(), 1);
  // The catalogue shows each rule as written.
  const rule = page.locator(".catalogue-rule", { hasText: "provider_file_with_miit" }).first();
  await rule.locator("summary").click();
  assert.match(await rule.locator("pre").innerText(), /within 2 days of vulnerability\.aware_on/);
  await page.screenshot({ path: join(artifacts, "loaded.png"), fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test("evaluating an example shows findings by status, the timeline and penalties", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#example", "provider_late_filing");
  const violated = page.locator('details.group[data-status="violated"]');
  await violated.waitFor();
  assert.match(await violated.locator(":scope > summary").innerText(), /Violated\s+1 finding/);
  const finding = violated.locator('.finding[data-rule="provider_file_with_miit"]');
  assert.match(await finding.innerText(), /due 2025-03-12/);
  assert.match(await finding.innerText(), /Cites: Art\. 7\(2\)/);
  // Its explanation, with the facts it read.
  await finding.locator("details.explain summary").click();
  assert.match(await finding.locator("table").innerText(), /vulnerability\.aware_on\s*=\s*2025-03-10/);
  // The form shows the example's facts: known, not happened, unknown.
  assert.equal(await page.locator('#facts .fact[data-path="vulnerability.aware_on"] select.fact-state').inputValue(), "known");
  assert.equal(await page.locator('#facts .fact[data-path="vulnerability.aware_on"] input').inputValue(), "2025-03-10");
  assert.equal(await page.locator('#facts .fact[data-path="vulnerability.upstream_notified_on"] select.fact-state').inputValue(), "null");
  // Needs-review findings are open; quiet ones are folded away.
  assert.equal(await page.locator('details.group[data-status="needs_review"]').getAttribute("open"), "");
  assert.equal(await page.locator('details.group[data-status="not_applicable"]').getAttribute("open"), null);
  // The timeline: the case's events, the missed due date, the breach, today.
  const timeline = await page.locator("#timeline").innerText();
  assert.match(timeline, /2025-03-10\s*event/i);
  assert.match(timeline, /2025-03-12\s*due\s*last day to submit the vulnerability information/i);
  assert.match(timeline, /2025-03-13\s*breach\s*breach of provider_file_with_miit/i);
  assert.match(timeline, /2026-03-10\s*today/i);
  // Penalties, with their conditions and the totals.
  const penalties = await page.locator("#penalties").innerText();
  assert.match(penalties, /csl_60/);
  assert.match(penalties, /order to correct/);
  assert.match(penalties, /fine of [0-9,]+ to [0-9,]+ CNY on the entity\s+on refusal to correct or harm\s+(does not apply|possible|applies)/);
  // The statute's tiers, by name, with whether the case reaches them; never a raw object.
  assert.match(penalties, /on refusal to correct or harm\s*—\s*not reached/);
  assert.doesNotMatch(penalties, /\[object Object\]|likelihood:/);
  assert.match(await page.locator("#totals").innerText(), /The entity\s*none/);
  await page.screenshot({ path: join(artifacts, "evaluated.png"), fullPage: false });
  await page.locator("#penalties-section").screenshot({ path: join(artifacts, "penalties.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a what-if changes one fact and shows what changes", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#example", "provider_late_filing");
  await page.locator('details.group[data-status="violated"]').waitFor();
  await page.selectOption("#whatif-fact", "vulnerability.filed_with_miit_on");
  // The panel starts from the case's value.
  const value = page.locator('#whatif-value input[type="date"]');
  assert.equal(await value.inputValue(), "2025-03-17");
  await value.fill("2025-03-12");
  await page.locator("#whatif-run").press("Enter");
  const result = page.locator("#whatif-result");
  await result.locator("table").waitFor();
  const text = await result.innerText();
  assert.match(text, /vulnerability\.filed_with_miit_on "2025-03-12"/);
  assert.match(text, /provider_file_with_miit\s+status\s+Violated\s+Satisfied/);
  await page.locator("#whatif-section").screenshot({ path: join(artifacts, "whatif.png") });
  // Leaving the fact unknown instead makes the finding conditional.
  await page.selectOption("#whatif-value select.fact-state", "unknown");
  await page.click("#whatif-run");
  await page.waitForFunction(() => /Conditional/.test(document.querySelector("#whatif-result").innerText));
  assert.deepEqual(problems, []);
  await page.close();
});

test("keyboard only: skip link, evaluate with Enter, and bad input explained", async () => {
  const { page, problems } = await openPage();
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.textContent), "Skip to the findings");
  // A duration the case reader refuses, typed in, evaluated from the keyboard.
  const retention = page.locator('#facts .fact[data-path="programme.intake_log_retention"]');
  await retention.locator('input[type="text"]').focus();
  await page.keyboard.type("forever");
  assert.equal(await retention.locator("select.fact-state").inputValue(), "known");
  await page.locator("#evaluate").focus();
  await page.keyboard.press("Enter");
  const errors = page.locator("#case-errors .errors");
  await errors.waitFor();
  const text = await errors.innerText();
  assert.match(text, /deon::case::wrong_type/);
  assert.match(text, /Help: write a duration like/);
  // The browser logs the refused request itself; nothing else went wrong.
  assert.deepEqual(problems.filter((p) => !/status of 400/.test(p)), []);
  await page.close();
});

test("text from cases and policies is shown as text, never as markup", async () => {
  const { page, problems } = await openPage();
  await page.selectOption("#example", "zz_hostile");
  assert.equal(await page.locator("#example-description").innerText(), HOSTILE);
  await page.locator("#status-counts p").first().waitFor();
  assert.equal(await page.locator("img").count(), 0);
  assert.equal(await page.locator("main b").count(), 0);
  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(problems, []);
  await page.close();
});
