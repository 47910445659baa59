// Accessibility: run axe-core in headless Chromium over pages of both editions, in light
// and dark colour mode, on desktop and phone widths. Fails on any serious or critical
// violation, on console errors / uncaught exceptions, and on failed requests.
//   node a11y.mjs [--json out.json] [page ...]      (default: every page of both editions)
import fs from "node:fs";
import { createRequire } from "node:module";
import { serve, launch, pages, pool } from "./common.mjs";

const require = createRequire(import.meta.url);
const axeSource = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const jsonOut = opt("--json", null);
const targets = argv.length ? argv : ["index.html", ...pages("fi"), ...pages("en")];
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
const MODES = [
  { name: "desktop-light", viewport: { width: 1280, height: 800 }, mode: "light" },
  { name: "phone-dark", viewport: { width: 390, height: 844 }, mode: "dark" },
];
const report = [];
let failures = 0;
for (const setup of MODES) {
  const context = await browser.newContext({ viewport: setup.viewport });
  await context.addInitScript((mode) => { localStorage.setItem("mode", mode); localStorage.setItem("theme", mode); }, setup.mode);
  const checked = await pool(targets, async (rel) => {
    const page = await context.newPage();
    // Errors of the page itself are recorded until axe is injected (axe's own stylesheet
    // preloading is switched off, so it fetches nothing).
    const errors = [];
    let recording = true;
    const record = (text) => { if (recording) errors.push(text); };
    page.on("console", (msg) => { if (msg.type() === "error") record(`console: ${msg.text()}`); });
    page.on("pageerror", (err) => record(`exception: ${err.message}`));
    page.on("requestfailed", (req) => record(`request failed: ${req.url()}`));
    page.on("response", (res) => { if (res.status() >= 400) record(`HTTP ${res.status()}: ${res.url()}`); });
    await page.goto(base + rel, { waitUntil: "networkidle" });
    if (rel === "index.html") await page.waitForTimeout(500); // the landing page redirects
    await page.waitForTimeout(200);
    recording = false;
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => {
      // eslint-disable-next-line no-undef
      const r = await axe.run(document, { resultTypes: ["violations"], preload: false });
      return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
    });
    const lang = await page.evaluate(() => document.documentElement.lang);
    const url = page.url().replace(base, "");
    await page.close();
    const bad = result.filter((v) => v.impact === "serious" || v.impact === "critical");
    const minor = result.filter((v) => !bad.includes(v)).map((v) => `${v.id}(${v.impact})`);
    const line = `${bad.length || errors.length ? "FAIL" : "ok  "} ${setup.name.padEnd(13)} ${url}`
      + (bad.length ? "\n     serious/critical: " + bad.map((v) => `${v.id} [${v.nodes.join(" | ")}]`).join("; ") : "")
      + (minor.length ? `\n     minor: ${minor.join(", ")}` : "")
      + (errors.length ? "\n     " + errors.join("\n     ") : "");
    return { entry: { page: rel, url, mode: setup.name, lang, violations: result, errors },
      failed: Boolean(bad.length || errors.length), line };
  });
  for (const { entry, failed, line } of checked) {
    report.push(entry);
    if (failed) failures++;
    console.log(line);
  }
  await context.close();
}
await browser.close();
server.close();
console.log(`a11y: ${report.length} page loads, ${failures} with serious/critical violations or errors`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(report, null, 1));
process.exit(failures ? 1 : 0);
