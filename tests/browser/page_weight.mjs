// Page weight: load each page once in a fresh browser context (empty cache) and sum the
// bytes transferred for everything the browser fetches (HTML, CSS, JS, fonts, images),
// as Chromium's network layer reports them (encodedDataLength: gzip body + headers).
// Fails if a chapter page exceeds the budget or anything is requested from another host.
// The funding finder's data file is reported separately ("+ N KB finder data"), not budgeted.
//   node page_weight.mjs [--budget-kb 200] [--json out.json] [page ...]
import fs from "node:fs";
import { serve, launch, pages, pool } from "./common.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const budgetKb = Number(opt("--budget-kb", "200"));
const jsonOut = opt("--json", null);
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser, cleanup } = await launch();
const targets = argv.length ? argv : ["index.html", ...pages("fi"), ...pages("en")];
const results = [];
let failures = 0;
const measured = await pool(targets, async (rel) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
  const requests = new Map();
  const foreign = [];
  cdp.on("Network.requestWillBeSent", (e) => {
    requests.set(e.requestId, { url: e.request.url, bytes: 0, type: e.type });
  });
  cdp.on("Network.responseReceived", (e) => { const r = requests.get(e.requestId); if (r) r.type = e.type; });
  cdp.on("Network.loadingFinished", (e) => { const r = requests.get(e.requestId); if (r) r.bytes = e.encodedDataLength; });
  await page.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith(base) || url.startsWith("data:")) return route.continue();
    foreign.push(url);
    return route.abort();
  });
  await page.goto(base + rel, { waitUntil: "networkidle" });
  await page.waitForTimeout(300);
  const list = [...requests.values()].filter((r) => !r.url.startsWith("data:"));
  // The funding finder's data file (_static/finder-data-<lang>.json) is counted separately.
  const isData = (r) => /\/_static\/finder-data-[a-z]+\.json/.test(r.url);
  const total = list.filter((r) => !isData(r)).reduce((s, r) => s + r.bytes, 0);
  const dataBytes = list.filter(isData).reduce((s, r) => s + r.bytes, 0);
  const isSearch = /(^|\/)(search|genindex)\.html$/.test(rel);
  const over = !isSearch && total > budgetKb * 1024;
  const entry = {
    page: rel, requests: list.length, kb: +(total / 1024).toFixed(1), over_budget: over,
    data_kb: +(dataBytes / 1024).toFixed(1),
    third_party: foreign,
    files: list.map((r) => ({ url: r.url.replace(base, ""), kb: +(r.bytes / 1024).toFixed(1) })),
  };
  const line = (`${over || foreign.length ? "FAIL" : "ok  "} ${(total / 1024).toFixed(1).padStart(6)} KB ${String(list.length).padStart(3)} req  ${rel}${isSearch ? " (search/index page: reported, not budgeted)" : ""}${dataBytes ? ` + ${(dataBytes / 1024).toFixed(1)} KB finder data` : ""}${foreign.length ? "  third-party: " + foreign.join(" ") : ""}`);
  await context.close();
  return { entry, line, failed: Boolean(over || foreign.length) };
});
for (const { entry, line, failed } of measured) {
  results.push(entry);
  if (failed) failures++;
  console.log(line);
}
await browser.close();
cleanup();
server.close();
const chapters = results.filter((r) => !/(search|genindex)\.html$/.test(r.page));
const max = Math.max(...chapters.map((r) => r.kb));
console.log(`page_weight: ${results.length} pages, heaviest chapter page ${max} KB (budget ${budgetKb} KB), ${failures} failure(s)`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ budget_kb: budgetKb, results }, null, 1));
process.exit(failures ? 1 : 0);
