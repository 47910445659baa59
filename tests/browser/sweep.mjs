// Every page of the built guide in headless Chromium, one load per page and set-up, each load
// checked for everything that applies to it (issue 10: one load instead of one per check).
//   desktop-light  a first visit: a fresh profile per page (empty cache and localStorage, the
//                  theme's automatic mode on a light screen), 1280 px:
//                    weight   bytes transferred (gzip, as Chromium reports them) within the
//                             budget, nothing from another host (search/genindex only reported);
//                    console  no console error or uncaught exception;
//                    a11y     axe-core: no serious or critical violation, no console error,
//                             failed request or HTTP error;
//                    overflow at 1280 px (below);
//   phone-dark     390 px, dark mode stored: a11y and overflow; then the same page narrowed to
//                  320 px (the smallest phones; WCAG 1.4.10 reflow): overflow.
// overflow: the page never scrolls sideways, no element or text sticks out or is cut off,
// and from 390 px up no table needs sideways scrolling (probes.mjs says how).
// Fails (exit 1) if any check fails; prints one line per check and page load, then a summary
// per check.
//   node sweep.mjs [--checks weight,console,a11y,overflow] [--width 390,320,1280]
//                  [--budget-kb 120] [--json out.json] [page ...]
// Default pages: the landing page and every page of both editions (overflow and console
// skip the landing page, which only redirects to an edition).
import fs from "node:fs";
import { serve, launch, pages, pool } from "./common.mjs";
import { axeViolations, overflowOf, recordErrors, recordWeight } from "./probes.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const checks = new Set(opt("--checks", "weight,console,a11y,overflow").split(","));
const widths = opt("--width", "390,320,1280").split(",").map(Number);
const budgetKb = Number(opt("--budget-kb", "120"));
const jsonOut = opt("--json", null);
const targets = argv.length ? argv : ["index.html", ...pages("fi"), ...pages("en")];
const editionPages = argv.length ? targets : targets.filter((t) => t !== "index.html");

const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
const report = { weight: [], console: [], a11y: [], overflow: [] };
const failures = { weight: 0, console: 0, a11y: 0, overflow: 0 };
const fail = (check, failed, line) => { if (failed) failures[check]++; console.log(`${check.padEnd(8)} ${failed ? "FAIL" : "ok  "} ${line}`); };

const SETUPS = [
  // (the first visit: a fresh context per page, nothing stored, the cache off)
  { name: "desktop-light", viewport: { width: 1280, height: 800 }, mode: null, firstVisit: true },
  // (other phone widths are checked on this page too, narrowed after its own checks: the
  // layout reflows as on a narrower screen or a zoomed one, WCAG 1.4.10's case)
  { name: "phone-dark", viewport: { width: 390, height: 844 }, mode: "dark",
    narrower: widths.filter((w) => w < 390) },
  ...widths.filter((w) => w !== 1280 && w > 390)
    .map((w) => ({ name: `screen-${w}`, viewport: { width: w, height: 844 }, mode: null })),
];

/** Load ``rel`` in ``context`` and run the checks of ``setup`` on it. */
async function check(context, setup, rel, run) {
  const page = await context.newPage();
  const recorder = recordErrors(page);
  const weight = run.weight ? await recordWeight(context, page, base) : null;
  await page.goto(base + rel, { waitUntil: "networkidle" });
  if (rel === "index.html") await page.waitForTimeout(500); // the landing page redirects
  await page.waitForTimeout(300); // scripts that run after load (theme, search)
  const errors = recorder.stop();
  const found = [];
  if (editionPages.includes(rel)) {
    if (run.overflow) found.push({ width: setup.viewport.width, ...(await overflowOf(page)) });
    for (const width of run.narrower) {
      await page.setViewportSize({ width, height: setup.viewport.height });
      await page.waitForTimeout(100);
      found.push({ width, ...(await overflowOf(page)) });
    }
    if (run.narrower.length) await page.setViewportSize(setup.viewport);
  }
  const violations = run.a11y ? await axeViolations(page) : null;
  const lang = await page.evaluate(() => document.documentElement.lang);
  const url = page.url().replace(base, "");
  await page.close();
  return { rel, url, lang, errors, found, violations, weight: weight && weight.done() };
}

for (const setup of SETUPS) {
  const run = {
    weight: checks.has("weight") && setup.firstVisit,
    console: checks.has("console") && setup.firstVisit,
    a11y: checks.has("a11y") && (setup.firstVisit || setup.mode !== null),
    overflow: checks.has("overflow") && widths.includes(setup.viewport.width),
    narrower: checks.has("overflow") ? setup.narrower || [] : [],
  };
  if (!run.weight && !run.console && !run.a11y && !run.overflow && !run.narrower.length) continue;
  const options = { viewport: setup.viewport, deviceScaleFactor: 1, colorScheme: "light" };
  const shared = setup.firstVisit ? null : await browser.newContext(options);
  if (setup.mode) {
    await shared.addInitScript((mode) => { localStorage.setItem("mode", mode); localStorage.setItem("theme", mode); }, setup.mode);
  }
  const wanted = run.weight || run.a11y ? targets : editionPages;
  const loads = await pool(wanted, async (rel) => {
    if (shared) return check(shared, setup, rel, run);
    const context = await browser.newContext(options); // a fresh profile for every page
    try { return await check(context, setup, rel, run); } finally { await context.close(); }
  });
  for (const { rel, url, lang, errors, found, violations, weight } of loads) {
    if (weight) {
      const isSearch = /(^|\/)(search|genindex)\.html$/.test(rel);
      const over = !isSearch && weight.total > budgetKb * 1024;
      report.weight.push({ page: rel, requests: weight.requests, kb: +(weight.total / 1024).toFixed(1),
        over_budget: over, data_kb: +(weight.dataBytes / 1024).toFixed(1), third_party: weight.foreign,
        files: weight.files });
      fail("weight", over || weight.foreign.length > 0,
        `${(weight.total / 1024).toFixed(1).padStart(6)} KB ${String(weight.requests).padStart(3)} req  ${rel}`
        + (isSearch ? " (search/index page: reported, not budgeted)" : "")
        + (weight.dataBytes ? ` + ${(weight.dataBytes / 1024).toFixed(1)} KB finder data` : "")
        + (weight.foreign.length ? "  third-party: " + weight.foreign.join(" ") : ""));
    }
    if (run.console && editionPages.includes(rel)) {
      const first = errors.filter((e) => e.startsWith("console: ") || e.startsWith("exception: "));
      report.console.push({ page: rel, errors: first });
      fail("console", first.length > 0, rel + (first.length ? ": " + first.join(" | ") : ""));
    }
    if (violations) {
      const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
      const minor = violations.filter((v) => !bad.includes(v)).map((v) => `${v.id}(${v.impact})`);
      report.a11y.push({ page: rel, url, mode: setup.name, lang, violations, errors });
      fail("a11y", bad.length > 0 || errors.length > 0, `${setup.name.padEnd(13)} ${url}`
        + (bad.length ? "\n     serious/critical: " + bad.map((v) => `${v.id} [${v.nodes.join(" | ")}]`).join("; ") : "")
        + (minor.length ? `\n     minor: ${minor.join(", ")}` : "")
        + (errors.length ? "\n     " + errors.join("\n     ") : ""));
    }
    for (const { width, page: scroll, elements, clipped, tables } of found) {
      const bad = scroll.overflowing || elements.length || clipped.length || tables.length;
      report.overflow.push({ page: rel, width, scroll, elements, clipped, tables });
      fail("overflow", Boolean(bad), `${width} ${rel}  scrollWidth ${scroll.scrollWidth}/${scroll.innerWidth}`
        + elements.map((e) => `\n     element ${e.by} px out: ${e.element} [${e.left}..${e.right}]`).join("")
        + clipped.map((c) => `\n     clipped ${c.by} px: ${c.element}`).join("")
        + tables.map((t) => `\n     table ${t.width} px in ${t.container} px (scrolls sideways): ${t.element}`).join(""));
    }
  }
  if (shared) await shared.close();
}
await browser.close();
server.close();

if (checks.has("weight")) {
  const chapters = report.weight.filter((r) => !/(search|genindex)\.html$/.test(r.page));
  console.log(`weight: ${report.weight.length} pages, heaviest chapter page `
    + `${Math.max(0, ...chapters.map((r) => r.kb))} KB (budget ${budgetKb} KB), ${failures.weight} failure(s)`);
}
if (checks.has("console")) {
  console.log(`console: ${report.console.length} pages, ${failures.console} with console errors`);
}
if (checks.has("a11y")) {
  console.log(`a11y: ${report.a11y.length} page loads, ${failures.a11y} with serious/critical violations or errors`);
}
if (checks.has("overflow")) {
  const worst = Math.max(0, ...report.overflow.flatMap((r) => r.elements.map((e) => e.by)));
  console.log(`overflow: ${editionPages.length} pages at ${widths.join(" and ")} px, ${failures.overflow} page loads with problems `
    + `(${report.overflow.filter((r) => r.scroll.overflowing).length} scroll sideways, worst element ${worst} px out, `
    + `${report.overflow.reduce((s, r) => s + r.tables.length, 0)} tables scroll)`);
}
if (jsonOut) {
  fs.writeFileSync(jsonOut, JSON.stringify({ checks: [...checks], widths, budget_kb: budgetKb, failures, ...report }, null, 1));
}
process.exit(Object.values(failures).some(Boolean) ? 1 : 0);
