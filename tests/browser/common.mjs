// Shared helpers: a local gzip-serving static server for _build/site and a headless
// Chromium launched offline (Debian's /usr/bin/chromium, driven by playwright-core).
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SITE = process.env.POLARGUIDE_SITE || path.join(ROOT, "_build", "site");

const TYPES = {
  ".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
  ".json": "application/json", ".svg": "image/svg+xml", ".png": "image/png",
  ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif", ".woff": "font/woff",
  ".woff2": "font/woff2", ".ttf": "font/ttf", ".pdf": "application/pdf", ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8", ".inv": "application/octet-stream",
};
const COMPRESSIBLE = /^(text\/|application\/json|image\/svg|font\/ttf)/;

const GZIPPED = new Map();
/** The gzip body of a file (level 6, like common web servers), compressed once per file
 *  version: the checks load the same theme files on every page, and compressing them again
 *  on this one Node thread made the server, not the pages, the slow part. */
function gzipped(file, body) {
  const key = `${file}:${fs.statSync(file).mtimeMs}`;
  if (!GZIPPED.has(key)) GZIPPED.set(key, zlib.gzipSync(body, { level: 6 }));
  return GZIPPED.get(key);
}

/** Serve SITE on 127.0.0.1 with gzip (level 6, like common web servers) for text types. */
export function serve() {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://localhost");
    let file = path.join(SITE, decodeURIComponent(url.pathname));
    if (!file.startsWith(SITE)) { res.writeHead(403); return res.end(); }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) file = path.join(file, "index.html");
    if (!fs.existsSync(file)) { res.writeHead(404); return res.end("not found"); }
    const type = TYPES[path.extname(file).toLowerCase()] || "application/octet-stream";
    let body = fs.readFileSync(file);
    const headers = { "Content-Type": type, "Cache-Control": "no-store" };
    if (COMPRESSIBLE.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      body = gzipped(file, body);
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers);
    res.end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

/** Headless Chromium with no background networking and a fresh profile (playwright
 *  gives every launch a new temporary --user-data-dir and removes it on close). */
export async function launch() {
  const args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run"];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true, args,
  });
  return { browser, cleanup: () => {} };
}

/** Every HTML page of an edition (relative to SITE), sorted. */
export function pages(edition) {
  const out = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) { if (!entry.name.startsWith("_")) walk(full); }
      else if (entry.name.endsWith(".html")) out.push(path.relative(SITE, full));
    }
  };
  if (fs.existsSync(path.join(SITE, edition))) walk(path.join(SITE, edition)); // (one-edition builds)
  return out.sort();
}

/** Run ``fn(item, index)`` over ``items`` with at most ``limit`` running at once (default
 *  $PG_BROWSER_TABS or 4 tabs: page loads mostly wait on timers and idle network, not the
 *  CPU). Resolves to the results in the items' order, so reports stay in page order. */
export async function pool(items, fn, limit = Number(process.env.PG_BROWSER_TABS || 4)) {
  const results = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
