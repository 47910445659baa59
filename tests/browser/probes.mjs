// The checks of one page load, shared by sweep.mjs (every page of the built guide, one pass
// per set-up). Each function runs in the Node process and drives a playwright page.
import fs from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

/** Record what a page reports as broken while it loads: console errors, uncaught
 *  exceptions, failed requests and HTTP errors. ``stop()`` ends the recording (call it
 *  before injecting test scripts such as axe) and returns the list. */
export function recordErrors(page) {
  const errors = [];
  let recording = true;
  const record = (text) => { if (recording) errors.push(text); };
  page.on("console", (msg) => { if (msg.type() === "error") record(`console: ${msg.text()}`); });
  page.on("pageerror", (err) => record(`exception: ${err.message}`));
  page.on("requestfailed", (req) => record(`request failed: ${req.url()}`));
  page.on("response", (res) => { if (res.status() >= 400) record(`HTTP ${res.status()}: ${res.url()}`); });
  return { errors, stop: () => { recording = false; return errors; } };
}

/** axe-core's violations on the loaded page (its stylesheet preloading is off, so it
 *  fetches nothing): ``[{id, impact, help, nodes}]``. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  return page.evaluate(async () => {
    // eslint-disable-next-line no-undef
    const r = await axe.run(document, { resultTypes: ["violations"], preload: false });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
  });
}

/** What sticks out at the page's current width (runs inside the page):
 *  - page: the page itself scrolls sideways (scrollingElement.scrollWidth > innerWidth);
 *  - elements: a visible element sticks out of the viewport and is not inside a container
 *    that scrolls or clips it (code blocks and the like);
 *  - clipped: text cut off by a box that hides its overflow (not an ellipsis);
 *  - tables: a table that has to be scrolled sideways inside its container to be read
 *    (checked from 390 px up; at 320 px a data table may scroll in its own box, as WCAG's
 *    reflow criterion allows, but the page itself must not).
 *  Only the outermost offender of a subtree is listed. */
export function overflowProbe(tolerance) {
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
}

/** ``overflowProbe`` on a playwright page (1 px tolerance). */
export const overflowOf = (page) => page.evaluate(overflowProbe, 1);

/** Count the bytes Chromium's network layer transfers for a page (encodedDataLength: gzip
 *  body + headers) with the cache off, and block (and list) every request to another host.
 *  ``done()`` returns ``{requests, total, dataBytes, files, foreign}``; the funding finder's
 *  data file (_static/finder-data-<lang>.json) is counted apart from the page. */
export async function recordWeight(context, page, base) {
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
  return {
    done() {
      const list = [...requests.values()].filter((r) => !r.url.startsWith("data:"));
      const isData = (r) => /\/_static\/finder-data-[a-z]+\.json/.test(r.url);
      return {
        requests: list.length,
        total: list.filter((r) => !isData(r)).reduce((s, r) => s + r.bytes, 0),
        dataBytes: list.filter(isData).reduce((s, r) => s + r.bytes, 0),
        files: list.map((r) => ({ url: r.url.replace(base, ""), kb: +(r.bytes / 1024).toFixed(1) })),
        foreign,
      };
    },
  };
}
