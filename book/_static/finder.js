/* polarguide funding finder: searches _static/finder-data-<lang>.json in the browser.
 * Built by polarguide/finder.py (see its docstring for the data format and how the
 * Finnish search works without a stemmer here: a word table made at build time, with a
 * longest-common-prefix fallback). Plain JavaScript, no libraries, nothing from other hosts.
 * Calendar files follow polarguide.export: UID "<id>-<YYYYMMDD>@polarguide" (UTC date),
 * deadlines without a time of day as all-day events, a reminder 7 days before. */
/* The search itself, without the page: also loaded by Node in tests/test_finder.py, so
 * the tests run this very code on the data the builder writes. */
function PGFinderSearch(data) {
  "use strict";
  var stop = new Set(data.stop), fold = data.fold || {};
  var vocabWords = Object.keys(data.vocab).filter(function (w) { return w.indexOf(" ") < 0; });
  /* As polarguide.textindex.tokenize: lowercase, accents folded (å, ä, ö stay). */
  function tokens(text) {
    var lower = Array.from(text.toLowerCase()).map(function (c) {
      return Object.prototype.hasOwnProperty.call(fold, c) ? fold[c] : c;
    }).join("");
    var words = (lower.match(/[\p{L}\p{N}\p{M}]+/gu) || []);
    return words.filter(function (w) { return !stop.has(w); });
  }
  function common(a, b) {
    var n = 0;
    while (n < a.length && n < b.length && a[n] === b[n]) n++;
    return n;
  }
  /* Known words standing in for an unknown one: see polarguide.finder.fallback_words. */
  function fallback(word) {
    var best = [], bestN = 3, starts = [];
    for (var i = 0; i < vocabWords.length; i++) {
      var known = vocabWords[i];
      var n = common(word, known);
      if (n >= 4 && known.length - n <= 3 && word.length - n <= 6) {
        if (n > bestN || (n === bestN && best.length && known.length < best[0].length)) { best = [known]; bestN = n; }
      }
      if (word.length >= 3 && known.lastIndexOf(word, 0) === 0) starts.push(known);
    }
    if (best.length) return best;
    starts.sort(function (a, b) { return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0); });
    return starts.slice(0, 5);
  }
  var has = function (obj, key) { return Object.prototype.hasOwnProperty.call(obj, key); };
  /* A glossary phrase: by its words, or by their stems (polarguide.finder._phrase). */
  function phrase(words) {
    var text = words.join(" ");
    if (has(data.vocab, text)) return data.vocab[text];
    var langs = ["fi", "en"], phrases = data.phrases || {};
    for (var k = 0; k < 2; k++) {
      var stems = (data.stems || {})[langs[k]] || {};
      if (!words.every(function (w) { return has(stems, w); })) continue;
      var key = langs[k] + ":" + words.map(function (w) { return stems[w]; }).join(" ");
      if (has(phrases, key)) return phrases[key];
    }
    return null;
  }
  function members(post, n) {
    var out = new Uint8Array(n), doc = 0;
    for (var k = 0; k < post.length; k += 2) { doc += post[k]; out[doc] = 1; }
    return out;
  }
  /* One alternative [weight, term, ..., {p: pairs}]: a phrase needs every word, and
   * counts fully only where the words stand side by side (data.scattered otherwise);
   * the result's .together marks those records (phrases only). */
  function termScores(alt, n) {
    var last = alt[alt.length - 1], phrase = !Array.isArray(last);
    var pairs = phrase ? last.p : [], terms = alt.slice(1, phrase ? -1 : alt.length);
    var total = new Float64Array(n), present = new Float64Array(n);
    terms.forEach(function (flat) {
      var best = new Float64Array(n);
      for (var j = 0; j < flat.length; j += 2) {
        var post = data.post[flat[j]], w = flat[j + 1], doc = 0;
        for (var k = 0; k < post.length; k += 2) {
          doc += post[k];
          var s = post[k + 1] * w;
          if (s > best[doc]) best[doc] = s;
        }
      }
      for (var d = 0; d < n; d++) { total[d] += best[d]; if (best[d] > 0) present[d] += 1; }
    });
    if (terms.length > 1) {
      var together = new Uint8Array(n).fill(1);
      pairs.forEach(function (pair) {
        var m = pair >= 0 ? members(data.post[pair], n) : new Uint8Array(n);
        for (var d = 0; d < n; d++) together[d] = together[d] && m[d];
      });
      for (var d = 0; d < n; d++) {
        total[d] *= (present[d] === terms.length ? 1 : 0) / terms.length * (together[d] ? 1 : data.scattered);
      }
      total.together = together;
    }
    return total;
  }
  /* Scores per record (Float64Array), or null for an empty query: concept scores
   * weighted (money words little), times the squared share of the query's topic
   * concepts matched (money words count in the share only when the query has nothing
   * else); a record matching only money words is no hit. */
  function score(text) {
    var words = tokens(text);
    if (!words.length) return null;
    var n = data.records.length, vocab = data.vocab;
    var total = new Float64Array(n), covered = new Float64Array(n), specific = new Uint8Array(n);
    var coveredTopic = new Float64Array(n);
    var weights = [], i = 0;
    while (i < words.length) {
      var sets = null;
      for (var size = Math.min(data.max_phrase, words.length - i); size > 1; size--) {
        var found = phrase(words.slice(i, i + size));
        if (found !== null) { sets = [found]; i += size; break; }
      }
      if (!sets) {
        var word = words[i];
        var known = Object.prototype.hasOwnProperty.call(vocab, word) ? [word] : fallback(word);
        sets = known.map(function (k) { return vocab[k]; });
        i += 1;
      }
      if (!sets.length) { weights.push(1); continue; }
      var weight = Math.min.apply(null, sets.map(function (id) { return data.alts[id][0]; }));
      var best = new Float64Array(n), strength = new Float64Array(n);
      sets.forEach(function (id) {
        data.alts[id].slice(1).forEach(function (alt) {
          var s = termScores(alt, n);
          for (var d = 0; d < n; d++) {
            if (s[d] * alt[0] > best[d]) {
              best[d] = s[d] * alt[0];
              strength[d] = Math.min(alt[0], 1);
              /* scattered words of a phrase cover it like one word of it */
              if (s.together && !s.together[d]) strength[d] *= has(data, "phrase_word") ? data.phrase_word : 1;
            }
          }
        });
      });
      weights.push(weight);
      for (var d = 0; d < n; d++) {
        total[d] += weight * best[d];
        covered[d] += weight * strength[d];
        if (weight >= 1) coveredTopic[d] += weight * strength[d];
        if (weight >= 1 && best[d] > 0) specific[d] = 1;
      }
    }
    var anySpecific = weights.some(function (w) { return w >= 1; });
    var sum = weights.reduce(function (a, b) { return a + (b >= 1 || !anySpecific ? b : 0); }, 0);
    if (anySpecific) covered = coveredTopic;
    for (var d = 0; d < n; d++) {
      var share = covered[d] / sum;
      total[d] *= share * share;
      if (anySpecific && !specific[d]) total[d] = 0;
    }
    return total;
  }
  /* Record positions with a score, best first (ties: the earlier record). */
  function query(text) {
    var s = score(text) || new Float64Array(0), hits = [];
    for (var d = 0; d < s.length; d++) if (s[d] > 0) hits.push(d);
    hits.sort(function (a, b) {
      var x = Math.round(s[a] * 1e6) / 1e6, y = Math.round(s[b] * 1e6) / 1e6;
      return y - x || a - b;
    });
    return hits;
  }
  return { tokens: tokens, score: score, query: query };
}
if (typeof module !== "undefined" && module.exports) module.exports = PGFinderSearch;

(function () {
  "use strict";
  if (typeof document === "undefined") return;
  var root = document.getElementById("pg-finder");
  if (!root) return;
  var UI = JSON.parse(root.getAttribute("data-ui"));
  var LANG = root.getAttribute("data-lang");
  var STALE = Number(root.getAttribute("data-stale-days") || 14);
  var PORTAL = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/topic-details/";
  var PAGE = 30;
  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  var $ = function (id) { return document.getElementById(id); };
  var form = root.querySelector("form");
  var q = $("pg-finder-q"), count = $("pg-finder-count"), list = $("pg-finder-results");
  var more = $("pg-finder-more"), all = $("pg-finder-all");
  var data = null, shown = PAGE, current = [];

  function fmt(text, n) { return text.replace("{n}", n).replace("{d}", n).replace("{t}", n); }

  /* ---- days in Helsinki ---------------------------------------------------------- */
  var helsinki = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Helsinki", year: "numeric",
    month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  function parts(date) {
    var out = {};
    helsinki.formatToParts(date).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }
  function dayNumber(iso) { // "YYYY-MM-DD" -> days since 1970-01-01
    return Math.round(Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10)) / 864e5);
  }
  function todayIso() {
    var forced = new URLSearchParams(location.search).get("today");
    if (forced && /^\d{4}-\d{2}-\d{2}$/.test(forced)) return forced;
    var p = parts(new Date());
    return p.year + "-" + p.month + "-" + p.day;
  }
  var TODAY = dayNumber(todayIso());

  /* A deadline from the data: "YYYY-MM-DD" (no time known) or "YYYY-MM-DDTHH:MMZ" (UTC). */
  function deadline(text) {
    if (text.length === 10) return { text: text, dateOnly: true, day: dayNumber(text), iso: text };
    var when = new Date(text.replace("Z", ":00Z"));
    var p = parts(when);
    var iso = p.year + "-" + p.month + "-" + p.day;
    return { text: text, dateOnly: false, day: dayNumber(iso), iso: iso, time: p.hour + (LANG === "fi" ? "." : ":") + p.minute, date: when };
  }
  function showDay(iso) {
    var y = +iso.slice(0, 4), m = +iso.slice(5, 7), d = +iso.slice(8, 10);
    return LANG === "fi" ? d + "." + m + "." + y : d + " " + MONTHS[m - 1] + " " + y;
  }
  function showDeadline(dl) {
    var day = showDay(dl.iso);
    if (dl.dateOnly) return day + " (" + UI.check_time + ")";
    return (LANG === "fi" ? day + " " : day + ", ") + fmt(UI.time, dl.time);
  }
  function euros(n) {
    var s = String(Math.round(n));
    var grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, LANG === "fi" ? "\u00a0" : ",");
    return LANG === "fi" ? grouped + "\u00a0€" : "€" + grouped;
  }

  /* ---- records: status and next deadline today ----------------------------------- */
  function prepare(rec) {
    rec.dl = rec.d.map(deadline);
    rec.next = null;
    for (var i = 0; i < rec.dl.length; i++) {
      if (rec.dl[i].day >= TODAY && (!rec.next || rec.dl[i].day < rec.next.day)) rec.next = rec.dl[i];
    }
    rec.left = rec.next ? rec.next.day - TODAY : null;
    rec.url = rec.u !== undefined ? rec.u : PORTAL + rec.id;
    // As polarguide.search.status_on: open/forthcoming calls whose last deadline has passed
    // since the data was retrieved are closed today.
    rec.status = rec.s;
    var fetched = data.stamps[rec.f] ? deadline(data.stamps[rec.f].slice(0, 16) + "Z").day : -Infinity;
    var last = rec.dl.length ? Math.max.apply(null, rec.dl.map(function (x) { return x.day; })) : null;
    if ((rec.s === "open" || rec.s === "forthcoming") && last !== null && last < TODAY && last >= fetched) {
      rec.status = "closed";
    }
    // An expected round whose window has ended by the reader's day is no longer expected.
    if (rec.s === "expected" && (!rec.x || dayNumber(rec.x[1]) < TODAY)) rec.status = "recurring";
  }

  /* ---- the search: PGFinderSearch below, the same rules as polarguide.textindex ----- */
  var engine = null;
  function score(text) { return engine.score(text); }

  /* ---- filtering and sorting ------------------------------------------------------ */
  var AVAILABLE = { open: 1, forthcoming: 1, recurring: 1, expected: 1 };
  function results() {
    var f = new FormData(form);
    var kind = f.get("kind"), prog = f.get("programme"), status = f.get("status");
    var within = f.get("within"), route = f.get("route");
    var scores = score(q.value);
    var out = [];
    data.records.forEach(function (rec, i) {
      if (scores && !(scores[i] > 0)) return;
      if (kind && rec.k !== kind) return;
      if (prog && rec.p !== prog) return;
      if (status === "available" ? !AVAILABLE[rec.status] : status && rec.status !== status) return;
      if (within && (rec.left === null || rec.left > Number(within))) return;
      if (route && rec.r !== route) return;
      out.push({ rec: rec, score: scores ? Math.round(scores[i] * 1e6) / 1e6 : 0 });
    });
    out.sort(function (a, b) {
      if (a.score !== b.score) return b.score - a.score;
      var x = a.rec.left === null ? Infinity : a.rec.left, y = b.rec.left === null ? Infinity : b.rec.left;
      if (x !== y) return x - y;
      return a.rec.id < b.rec.id ? -1 : a.rec.id > b.rec.id ? 1 : 0;
    });
    return { list: out.map(function (o) { return o.rec; }), relevance: !!scores };
  }

  /* ---- calendar files ------------------------------------------------------------- */
  function icsText(s) {
    return String(s).replace(/\\/g, "\\\\").replace(/;/g, "\\;").replace(/,/g, "\\,").replace(/\r?\n/g, "\\n");
  }
  function fold(line) { // 75 octets per line, continuation lines start with a space
    var out = [], cur = "", bytes = 0, enc = new TextEncoder();
    for (var ch of line) {
      var b = enc.encode(ch).length;
      if (bytes + b > 75) { out.push(cur); cur = " "; bytes = 1; }
      cur += ch; bytes += b;
    }
    out.push(cur);
    return out.join("\r\n");
  }
  function stamp(iso) { return iso.replace(/[-:]/g, "").replace(/\.\d+/, ""); } // 20260822T054138Z
  function events(rec) {
    var lines = [];
    rec.dl.forEach(function (dl) {
      if (dl.day < TODAY) return;
      var utcDay = dl.text.slice(0, 10).replace(/-/g, "");
      var what = rec.t || rec.id;
      lines.push("BEGIN:VEVENT", "UID:" + rec.id + "-" + utcDay + "@polarguide",
        "DTSTAMP:" + stamp(data.stamps[rec.f] || "2000-01-01T00:00:00Z"));
      if (dl.dateOnly) {
        var next = new Date(Date.UTC(+utcDay.slice(0, 4), +utcDay.slice(4, 6) - 1, +utcDay.slice(6, 8) + 1));
        lines.push("DTSTART;VALUE=DATE:" + utcDay, "DTEND;VALUE=DATE:" + next.toISOString().slice(0, 10).replace(/-/g, ""));
      } else {
        var t = dl.text.replace(/[-:]/g, "").replace("Z", "00Z");
        lines.push("DTSTART:" + t, "DTEND:" + t);
      }
      lines.push("SUMMARY:" + icsText(UI.cal_prefix + ": " + what + " (" + (rec.p || "?") + ")"),
        "DESCRIPTION:" + icsText([what + " (" + rec.id + ")", UI.deadline + ": " + showDeadline(dl), rec.o, rec.url].filter(Boolean).join("\n")));
      if (rec.url) lines.push("URL:" + rec.url);
      lines.push("BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:" + icsText(UI.cal_alarm + ": " + what),
        "TRIGGER:-P7D", "END:VALARM", "END:VEVENT");
    });
    return lines;
  }
  function download(recs, name) {
    var lines = ["BEGIN:VCALENDAR", "PRODID:-//polarguide//Polar Magnets funding deadlines//FI",
      "VERSION:2.0", "CALSCALE:GREGORIAN", "X-WR-CALNAME:" + icsText(UI.cal_name)];
    recs.forEach(function (r) { lines = lines.concat(events(r)); });
    lines.push("END:VCALENDAR");
    var blob = new Blob([lines.map(fold).join("\r\n") + "\r\n"], { type: "text/calendar;charset=utf-8" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = name;
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }
  function hasUpcoming(rec) { return rec.dl.some(function (dl) { return dl.day >= TODAY; }); }

  /* ---- rendering ------------------------------------------------------------------ */
  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function item(rec) {
    var li = el("li", "pg-finder__item");
    li.setAttribute("data-id", rec.id);
    var h = el("h2", "pg-finder__title");  // the page's h1 comes before: no level skipped
    var link = el("a", null, rec.t);
    link.href = rec.url;
    link.rel = "noopener";
    h.appendChild(link);
    li.appendChild(h);
    li.appendChild(el("p", "pg-finder__meta", [rec.p, UI["k_" + rec.k], UI["st_" + rec.status] || rec.status,
      rec.k === "c" ? rec.id : ""].filter(Boolean).join(" · ")));
    var dl = el("dl", "pg-finder__facts");
    function fact(term, value, cls) {
      var box = el("div", cls);
      box.appendChild(el("dt", null, term));
      box.appendChild(el("dd", null, value));
      dl.appendChild(box);
    }
    var when = rec.next ? showDeadline(rec.next) : UI.no_deadline;
    if (rec.next) when += " – " + (rec.left === 0 ? UI.today : fmt(UI.days_left, rec.left));
    else if (rec.status === "expected") {  // a window from past rounds, never a deadline
      when = fmt(UI.expected, (LANG === "fi" ? "noin " : "around ") + showDay(rec.x[2]) +
        (rec.x[0] !== rec.x[1] ? " (" + showDay(rec.x[0]) + " – " + showDay(rec.x[1]) + ")" : ""));
    }
    fact(rec.next || rec.status !== "expected" ? UI.deadline : UI.next_round, when,
      rec.left !== null && rec.left <= 14 ? "pg-finder__soon" : "");
    if (rec.b !== undefined) fact(UI.budget, euros(rec.b));
    if (rec.w) fact(UI.who, rec.w);
    li.appendChild(dl);
    if (rec.o) li.appendChild(el("p", "pg-finder__summary", rec.o));
    var actions = el("p", "pg-finder__actions");
    var official = el("a", null, UI.link);
    official.href = rec.url;
    official.rel = "noopener";
    actions.appendChild(official);
    if (hasUpcoming(rec)) {
      var add = el("button", "pg-finder__cal", UI.add_one);
      add.type = "button";
      add.setAttribute("aria-label", UI.add_one + ": " + rec.t);
      add.addEventListener("click", function () { download([rec], "polarguide-" + rec.id + ".ics"); });
      actions.appendChild(add);
    }
    li.appendChild(actions);
    return li;
  }
  function render(keepShown) {
    var found = results();
    current = found.list;
    if (!keepShown) shown = PAGE;
    var n = current.length;
    count.textContent = (n === 0 ? UI.count_none : n === 1 ? UI.count_one : fmt(UI.count, n)) +
      (n > 1 ? " · " + (found.relevance ? UI.sorted_relevance : UI.sorted_deadline) : "");
    var frag = document.createDocumentFragment();
    current.slice(0, shown).forEach(function (rec) { frag.appendChild(item(rec)); });
    list.replaceChildren(frag);
    more.hidden = n <= shown;
    more.textContent = fmt(UI.more, n - shown);
    var withDates = current.filter(hasUpcoming);
    all.hidden = withDates.length === 0;
    all.textContent = fmt(UI.add_all, withDates.length);
  }
  function showDate() {
    var line = $("pg-finder-date");
    var bits = [];
    if (data.retrieved_at) bits.push(fmt(UI.data_date, showDay(deadline(data.retrieved_at.slice(0, 16) + "Z").iso)));
    if (data.catalogue_checked) bits.push(fmt(UI.catalogue_date, showDay(data.catalogue_checked)));
    line.textContent = bits.join(" · ");
    if (data.retrieved_at) {
      var age = TODAY - deadline(data.retrieved_at.slice(0, 16) + "Z").day;
      if (age > STALE) {
        var note = el("p", "pg-finder__stale", fmt(UI.stale, age));
        // Under the form, next to the results it is about: inserted above the form it
        // pushed the whole form down when the data arrived (layout shift 0.21 on desktop).
        var bar = root.querySelector(".pg-finder__bar");
        bar.parentNode.insertBefore(note, bar);
      }
    }
  }

  var timer = null;
  function later() { clearTimeout(timer); timer = setTimeout(function () { render(false); }, 120); }
  // The data (about 100 KB) is fetched once the page has loaded: the text and the form come
  // first on a slow phone connection, the results right after.
  function start() {
    fetch(root.getAttribute("data-src")).then(function (r) {
      if (!r.ok) throw new Error(r.status);
      return r.json();
    }).then(function (json) {
      data = json;
      engine = PGFinderSearch(data);
      data.records.forEach(prepare);
      showDate();
      var params = new URLSearchParams(location.search);
      if (params.get("q")) q.value = params.get("q");
      form.addEventListener("input", later);
      form.addEventListener("change", later);
      form.addEventListener("submit", function (e) { e.preventDefault(); render(false); });
      more.addEventListener("click", function () {
        var first = list.children.length;
        shown += PAGE;
        render(true);
        var next = list.children[first] && list.children[first].querySelector("a");
        if (next) next.focus();
      });
      all.addEventListener("click", function () {
        download(current.filter(hasUpcoming), LANG === "fi" ? "polarguide-maaraajat.ics" : "polarguide-deadlines.ics");
      });
      root.classList.add("pg-finder--ready");
      render(false);
    }).catch(function () { count.textContent = UI.no_data; });
  }
  if (document.readyState === "complete") start();
  else window.addEventListener("load", start, { once: true });
})();
