// The funding finder in headless Chromium: type a word, check the results change and hold
// the expected record, then download one call's and the whole list's calendar file.
//   node finder.mjs fi/book/rahoitus/hakukone.html nuorisovaihto ID[,ID...] \
//        [--today 2026-11-28] [--json out.json] [--width 390 --height 844]
// Prints one line and exits 1 on any failure (also: console errors, requests to other hosts).
import fs from "node:fs";
import { serve, launch } from "./common.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const today = opt("--today", "");
const jsonOut = opt("--json", null);
const width = Number(opt("--width", "390"));
const height = Number(opt("--height", "844"));
const [target, word, expectedList] = argv;
const expected = expectedList.split(",");
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
const context = await browser.newContext({ viewport: { width, height }, acceptDownloads: true });
// As a11y.mjs: a stored colour mode, so the theme does not log "invalid theme mode".
await context.addInitScript(() => { localStorage.setItem("mode", "light"); localStorage.setItem("theme", "light"); });
const page = await context.newPage();
const problems = [];
page.on("console", (m) => { if (m.type() === "error") problems.push("console: " + m.text()); });
page.on("pageerror", (e) => problems.push("page error: " + e.message));
await page.route("**/*", (route) => {
  const url = route.request().url();
  if (url.startsWith(base) || url.startsWith("data:") || url.startsWith("blob:")) return route.continue();
  problems.push("third-party request: " + url);
  return route.abort();
});
const out = { page: target, word, expected };
try {
  await page.goto(base + target + (today ? `?today=${today}` : ""), { waitUntil: "networkidle" });
  await page.waitForSelector("#pg-finder.pg-finder--ready", { timeout: 20000 });
  const ids = () => page.$$eval("#pg-finder-results li", (lis) => lis.map((li) => li.dataset.id));
  out.date_line = await page.textContent("#pg-finder-date");
  out.before = { count: await page.textContent("#pg-finder-count"), ids: await ids() };
  // Keyboard: the search box is reachable and typed into like a reader would.
  await page.focus("#pg-finder-q");
  await page.keyboard.type(word, { delay: 10 });
  await page.waitForFunction((before) => document.getElementById("pg-finder-count").textContent !== before,
    out.before.count, { timeout: 10000 });
  await page.waitForTimeout(300);
  out.after = { count: await page.textContent("#pg-finder-count"), ids: await ids() };
  if (JSON.stringify(out.after.ids) === JSON.stringify(out.before.ids)) problems.push("results did not change");
  const missing = expected.filter((id) => !out.after.ids.includes(id));
  if (missing.length) problems.push(`expected ${missing.join(", ")} among the results`);
  out.live = await page.getAttribute("#pg-finder-count", "aria-live");
  // The calendar file of the first result that has an upcoming deadline.
  const button = page.locator("#pg-finder-results li:has(button.pg-finder__cal)").first();
  if (await button.count()) {
    const id = await button.getAttribute("data-id");
    const [download] = await Promise.all([page.waitForEvent("download"),
      button.locator("button.pg-finder__cal").click()]);
    out.one = { id, name: download.suggestedFilename(), ics: fs.readFileSync(await download.path(), "utf8") };
    if (!out.one.ics.includes(`UID:${id}-`)) problems.push(`no event for ${id} in its calendar file`);
  } else {
    problems.push("no result with an add-to-calendar button");
  }
  // The whole filtered list.
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#pg-finder-all")]);
  out.all = { name: download.suggestedFilename(), ics: fs.readFileSync(await download.path(), "utf8"),
    button: await page.textContent("#pg-finder-all") };
  out.vevents = (out.all.ics.match(/BEGIN:VEVENT/g) || []).length;
  if (!out.vevents) problems.push("no VEVENT in the list's calendar file");
  // Phone: nothing of the finder sticks out of the viewport.
  out.overflow = await page.evaluate(() => [...document.querySelectorAll("#pg-finder, #pg-finder *")]
    .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1).map((e) => e.id || e.className));
  if (out.overflow.length) problems.push("wider than the viewport: " + out.overflow.slice(0, 5).join(", "));
} catch (err) {
  problems.push(String(err));
}
out.problems = problems;
await browser.close();
server.close();
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(out, null, 1));
console.log(`${problems.length ? "FAIL" : "ok  "} ${target} "${word}": ${out.after ? out.after.count : "?"}; ` +
  `${out.vevents || 0} VEVENTs${problems.length ? "\n  " + problems.join("\n  ") : ""}`);
process.exit(problems.length ? 1 : 0);
