// Screenshots for a human look: phone (390x844) and desktop (1280x800).
//   node screenshots.mjs OUTDIR page.html [page.html ...]
import path from "node:path";
import fs from "node:fs";
import { serve, launch } from "./common.mjs";

const [outdir, ...targets] = process.argv.slice(2);
fs.mkdirSync(outdir, { recursive: true });
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
for (const [name, viewport] of [["phone", { width: 390, height: 844 }], ["desktop", { width: 1280, height: 800 }]]) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  for (const rel of targets) {
    await page.goto(base + rel, { waitUntil: "networkidle" });
    const file = path.join(outdir, `${name}-${rel.replace(/[\/.]/g, "_")}.png`);
    await page.screenshot({ path: file, fullPage: process.env.FULL === "1" });
    console.log(file);
  }
  await context.close();
}
await browser.close();
server.close();
