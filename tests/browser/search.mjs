// Search works on inflected words: open the search page of an edition with a query and
// check that the expected page is among the results.
//   node search.mjs fi/search.html "nuorisovaihdoissa" book/miksi/index.html
import { serve, launch } from "./common.mjs";

const [searchPage, query, expected] = process.argv.slice(2);
const server = await serve();
const base = `http://127.0.0.1:${server.address().port}/`;
const { browser } = await launch();
const page = await browser.newPage();
await page.goto(`${base}${searchPage}?q=${encodeURIComponent(query)}`, { waitUntil: "networkidle" });
await page.waitForFunction(() => document.querySelectorAll("#search-results li").length > 0
  || /0|ei löytänyt|did not match/i.test(document.querySelector("#search-results")?.textContent || ""),
  null, { timeout: 15000 }).catch(() => {});
const hrefs = await page.$$eval("#search-results li a", (as) => as.map((a) => a.getAttribute("href")));
await browser.close();
server.close();
const found = hrefs.some((h) => h && h.split("?")[0].split("#")[0].endsWith(expected));
console.log(`${found ? "ok  " : "FAIL"} ${searchPage}?q=${query} -> ${hrefs.length} results${found ? "" : " (expected " + expected + "): " + hrefs.join(" ")}`);
process.exit(found ? 0 : 1);
