// Console errors on a first visit: every page of both editions in a fresh browser profile
// (nothing in localStorage, as for a new reader), served by the local gzip server.
// Any console message of type "error" or uncaught page error fails the check.
// Usage: node tests/browser/console.mjs [--json out.json] [--limit N]
import fs from "node:fs";
import { launch, pages, pool, serve } from "./common.mjs";

const args = process.argv.slice(2);
const jsonOut = args.includes("--json") ? args[args.indexOf("--json") + 1] : null;
const limit = args.includes("--limit") ? Number(args[args.indexOf("--limit") + 1]) : Infinity;

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
let results = [];
try {
  const targets = ["fi", "en"].flatMap((edition) => pages(edition).slice(0, limit));
  results = await pool(targets, async (page) => {
    const context = await browser.newContext(); // a fresh profile for every page
    const tab = await context.newPage();
    const errors = [];
    tab.on("console", (msg) => { if (msg.type() === "error") errors.push(msg.text()); });
    tab.on("pageerror", (err) => errors.push(String(err)));
    await tab.goto(base + page, { waitUntil: "load" });
    await tab.waitForTimeout(150); // scripts that run after load (theme, search)
    await context.close();
    return { page, errors };
  });
} finally {
  await browser.close();
  server.close();
}
const bad = results.filter((r) => r.errors.length);
for (const r of bad) console.log(`${r.page}: ${r.errors.join(" | ")}`);
console.log(`console: ${results.length} pages, ${bad.length} with console errors`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ results }, null, 1));
process.exit(bad.length ? 1 : 0);
