// Overflow: load every page of both editions at phone (and laptop) width and report
//  - page: the page itself scrolls sideways (scrollingElement.scrollWidth > innerWidth);
//  - element: a visible element sticks out of the viewport (bounding box outside 0..width)
//    and is not inside a container that scrolls or clips it (code blocks and the like);
//  - clipped: text cut off by a box that hides its overflow (not an ellipsis);
//  - table: a table that has to be scrolled sideways inside its container to be read
//    (checked from 390 px up; at 320 px a data table may scroll in its own box, as WCAG's
//    reflow criterion allows, but the page itself must not).
// Only the outermost offender of a subtree is listed.  Fails if anything is found.
// Default widths: 390 px (a common phone), 320 px (the smallest phones; WCAG 1.4.10 reflow)
// and 1280 px (a laptop: tables must fit between the two sidebars).
//   node overflow.mjs [--width 390,320,1280] [--json out.json] [page ...]
import fs from "node:fs";
import { serve, launch, pages, pool } from "./common.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => { const i = argv.indexOf(name); return i >= 0 ? argv.splice(i, 2)[1] : dflt; };
const widths = opt("--width", "390,320,1280").split(",").map(Number);
const jsonOut = opt("--json", null);
const targets = argv.length ? argv : [...pages("fi"), ...pages("en")];
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
const report = [];
let failures = 0;
for (const width of widths) {
  const context = await browser.newContext({ viewport: { width, height: 844 }, deviceScaleFactor: 1 });
  const checked = await pool(targets, async (rel) => {
    const page = await context.newPage();
    await page.goto(base + rel, { waitUntil: "networkidle" });
    await page.waitForTimeout(100);
    const found = await page.evaluate((tolerance) => {
      const vw = window.innerWidth;
      const describe = (el) => {
        let s = el.tagName.toLowerCase();
        if (el.id) s += "#" + el.id;
        const cls = [...el.classList].slice(0, 3);
        if (cls.length) s += "." + cls.join(".");
        const text = (el.textContent || "").replace(/\s+/g, " ").trim().slice(0, 50);
        return text ? `${s} "${text}"` : s;
      };
      // Boxes that cannot widen the page: not rendered, closed <dialog>s, fixed-position layers
      // (the off-canvas sidebars) and 1-px visually hidden helpers.  Invisible (visibility:
      // hidden) boxes, like the heading permalinks, do widen it and are counted.
      const cannotWiden = (el) => {
        const r = el.getBoundingClientRect();
        if (r.width <= 1 && r.height <= 1) return true;
        for (let a = el; a && a !== document.documentElement; a = a.parentElement) {
          const cs = getComputedStyle(a);
          if (cs.display === "none" || cs.position === "fixed") return true;
          if (a.tagName === "DIALOG" && !a.open) return true;
        }
        return false;
      };
      // A container that scrolls or clips its content sideways (and is itself on the screen).
      const clippedBy = (el) => {
        for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
          const ox = getComputedStyle(a).overflowX;
          if (ox === "auto" || ox === "scroll" || ox === "hidden" || ox === "clip") return a;
        }
        return null;
      };
      const page = {
        scrollWidth: document.scrollingElement.scrollWidth, innerWidth: vw,
        overflowing: document.scrollingElement.scrollWidth > vw + tolerance,
      };
      const elements = [];
      const seen = new Set();
      for (const el of document.body.querySelectorAll("*")) {
        if ([...seen].some((s) => s.contains(el))) continue;
        const r = el.getBoundingClientRect();
        if (r.width === 0 && r.height === 0) continue;
        if (r.right <= vw + tolerance && r.left >= -tolerance) continue;
        if (cannotWiden(el)) continue;
        const clip = clippedBy(el);
        if (clip) {
          const c = clip.getBoundingClientRect();
          if (c.right <= vw + tolerance && c.left >= -tolerance) continue;
        }
        seen.add(el);
        const hidden = getComputedStyle(el).visibility === "hidden";
        elements.push({ element: describe(el) + (hidden ? " (invisible)" : ""), left: Math.round(r.left), right: Math.round(r.right),
          by: Math.round(Math.max(r.right - vw, -r.left)) });
      }
      // Text that runs out of its box (a long word, URL or a row of dots that does not wrap).
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const range = document.createRange();
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const el = node.parentElement;
        if (!el || !node.textContent.trim() || [...seen].some((s) => s.contains(el))) continue;
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        if (r.right <= vw + tolerance && r.left >= -tolerance) continue;
        if (cannotWiden(el)) continue;
        const clip = clippedBy(node);
        if (clip) {
          const c = clip.getBoundingClientRect();
          if (c.right <= vw + tolerance && c.left >= -tolerance) continue;
        }
        seen.add(el);
        elements.push({ element: "text in " + describe(el), left: Math.round(r.left),
          right: Math.round(r.right), by: Math.round(Math.max(r.right - vw, -r.left)) });
      }
      // Text cut off by a box that hides its overflow (e.g. a long word in the prev/next links).
      const clipped = [];
      const walker2 = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker2.nextNode(); node; node = walker2.nextNode()) {
        const el = node.parentElement;
        if (!el || !node.textContent.trim() || cannotWiden(el)) continue;
        let box = null;
        for (let a = el; a && a !== document.body; a = a.parentElement) {
          const ox = getComputedStyle(a).overflowX;
          if (ox === "hidden" || ox === "clip") { box = a; break; }
          if (ox === "auto" || ox === "scroll") break;
        }
        if (!box || getComputedStyle(el).textOverflow === "ellipsis") continue;
        range.selectNodeContents(node);
        const r = range.getBoundingClientRect();
        const b = box.getBoundingClientRect();
        if (r.width === 0 || b.width <= 1) continue;
        if (r.right > b.right + tolerance || r.left < b.left - tolerance) {
          clipped.push({ element: "text in " + describe(el), by: Math.round(Math.max(r.right - b.right, b.left - r.left)) });
        }
      }
      // Tables one has to scroll sideways to read.
      const tables = [];
      for (const t of vw >= 390 ? document.querySelectorAll("article table") : []) {
        if (cannotWiden(t)) continue;
        const clip = clippedBy(t);
        if (!clip) continue;
        if (clip.scrollWidth > clip.clientWidth + tolerance) {
          tables.push({ element: describe(t), width: Math.round(t.scrollWidth),
            container: Math.round(clip.clientWidth) });
        }
      }
      return { page, elements, clipped, tables };
    }, 1);
    await page.close();
    const bad = found.page.overflowing || found.elements.length || found.clipped.length || found.tables.length;
    const line = `${bad ? "FAIL" : "ok  "} ${width} ${rel}  scrollWidth ${found.page.scrollWidth}/${found.page.innerWidth}`
      + found.elements.map((e) => `\n     element ${e.by} px out: ${e.element} [${e.left}..${e.right}]`).join("")
      + found.clipped.map((c) => `\n     clipped ${c.by} px: ${c.element}`).join("")
      + found.tables.map((t) => `\n     table ${t.width} px in ${t.container} px (scrolls sideways): ${t.element}`).join("");
    return { entry: { page: rel, width, ...found }, bad, line };
  });
  for (const { entry, bad, line } of checked) {
    if (bad) failures++;
    report.push(entry);
    console.log(line);
  }
  await context.close();
}
await browser.close();
server.close();
const overflowing = report.filter((r) => r.page.overflowing).length;
const worst = Math.max(0, ...report.flatMap((r) => r.elements.map((e) => e.by)));
console.log(`overflow: ${targets.length} pages at ${widths.join(" and ")} px, ${failures} page loads with problems `
  + `(${overflowing} scroll sideways, worst element ${worst} px out, `
  + `${report.reduce((s, r) => s + r.tables.length, 0)} tables scroll)`);
if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify({ widths, results: report }, null, 1));
process.exit(failures ? 1 : 0);
