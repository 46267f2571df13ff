// The built site's third-party audits (`make test-site`): axe-core in light and dark
// mode, the browser console, every figure's and canvas's text alternative, the Nu HTML
// checker, and Lighthouse, each against a budget. Offline: the site is served with gzip
// from 127.0.0.1 and the browser resolves no other host.
//
// Usage: node tools/audit_site.mjs [SITE_DIR] [--json OUT] [--lighthouse-desktop]
//        [--no-lighthouse] [--pages a.html,b.html]
//
// The packages are the ones package.json pins (npm ci); the browser is the system's
// Chromium (CHROMIUM=path for another). A violation that the theme owns and the
// course's templates and CSS cannot fix is allowed by tools/audit_allow.json, with its
// reason; anything else over budget fails (exit 1) and is listed.
import {spawnSync} from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import {fileURLToPath} from "node:url";
import zlib from "node:zlib";

import lighthouse from "lighthouse";
import desktopConfig from "lighthouse/core/config/desktop-config.js";
import puppeteer from "puppeteer-core";

const ROOT = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const AXE = fs.readFileSync(path.join(ROOT, "node_modules/axe-core/axe.min.js"), "utf8");
const VNU = path.join(ROOT, "node_modules/vnu-jar/build/dist/vnu.jar");
const ALLOW = JSON.parse(fs.readFileSync(path.join(ROOT, "tools/audit_allow.json"), "utf8"));
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"];
export const BUDGET = {performance: 90, accessibility: 100, "best-practices": 100, seo: 100,
                       tbtMs: 200, cls: 0.02, chapterKB: 1500, plainKB: 800};
const TYPES = {".html": "text/html", ".js": "text/javascript", ".mjs": "text/javascript",
               ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json",
               ".csv": "text/csv", ".png": "image/png", ".woff2": "font/woff2",
               ".woff": "font/woff", ".txt": "text/plain", ".pdf": "application/pdf",
               ".ipynb": "application/json", ".inv": "application/octet-stream"};
const COMPRESSIBLE = /^(text\/|image\/svg|application\/json)/;

// ------------------------------------------------------------------ pure helpers

// Whether a finding (an axe violation's node, a Nu message) is allowed, and why.
export function allowed(kind, rule, target, page) {
  return ALLOW[kind].find((entry) => entry.rule === rule &&
    (!entry.target || target.includes(entry.target)) &&
    (!entry.pages || entry.pages.some((p) => page.endsWith(p))));
}

// The pages audited: every HTML page under book/ (the intro, the chapters, the
// playground, the status page).
export function sitePages(site) {
  return fs.readdirSync(path.join(site, "book")).filter((f) => f.endsWith(".html"))
    .sort().map((f) => "book/" + f);
}

export function isChapter(page) {
  return /book\/\d\d_[^/]+\.html$/.test(page);
}

// --------------------------------------------------------------------- the server

function serve(site) {
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, "http://127.0.0.1");
    let file = path.join(site, decodeURIComponent(url.pathname));
    if (!file.startsWith(site)) { res.writeHead(403).end(); return; }
    if (fs.existsSync(file) && fs.statSync(file).isDirectory()) { file = path.join(file, "index.html"); }
    if (!fs.existsSync(file)) { res.writeHead(404).end("not found"); return; }
    const type = TYPES[path.extname(file)] || "application/octet-stream";
    let body = fs.readFileSync(file);
    const headers = {"Content-Type": type, "Cache-Control": "max-age=3600"};
    if (COMPRESSIBLE.test(type) && /gzip/.test(req.headers["accept-encoding"] || "")) {
      body = zlib.gzipSync(body, {level: 6});
      headers["Content-Encoding"] = "gzip";
    }
    headers["Content-Length"] = body.length;
    res.writeHead(200, headers).end(body);
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

// -------------------------------------------------------------------- in the page

async function settle(page) {
  await page.evaluate(async () => {
    if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
      await MathJax.startup.promise;
    }
    await new Promise((r) => setTimeout(r, 300));
  });
}

// Every figure made interactive, as a reader pointing at each would, then drawn.
async function drawFigures(page) {
  const count = await page.evaluate(() => {
    const figures = [...document.querySelectorAll("figure.nc-figure")];
    figures.forEach((f) => f.dispatchEvent(new FocusEvent("focusin", {bubbles: true})));
    return figures.length;
  });
  if (count) {
    await page.waitForFunction(() => [...document.querySelectorAll("figure.nc-figure")]
      .every((f) => f.querySelector(".nc-figure-live svg")), {timeout: 60000});
  }
  return count;
}

// Figures and canvases without an accessible name or a description.
async function unnamed(page) {
  return page.evaluate(() => {
    const missing = [];
    const text = (id) => (id && document.getElementById(id) || {}).textContent || "";
    document.querySelectorAll("figure.nc-figure").forEach((f, i) => {
      const img = f.querySelector("img");
      if (!img || !img.alt.trim()) { missing.push(`figure ${i + 1}: no name`); }
      if (!img || !text(img.getAttribute("aria-describedby")).trim()) {
        missing.push(`figure ${i + 1}: no description`);
      }
      if (!f.querySelector("a.nc-figure-data[href$='.csv']")) {
        missing.push(`figure ${i + 1}: no data`);
      }
    });
    document.querySelectorAll("canvas").forEach((c, i) => {
      const name = c.getAttribute("aria-label") || text(c.getAttribute("aria-labelledby"));
      const description = c.getAttribute("aria-description") ||
        text(c.getAttribute("aria-describedby")) || c.textContent;
      if (!name.trim()) { missing.push(`canvas ${i + 1}: no name`); }
      if (!description.trim()) { missing.push(`canvas ${i + 1}: no description`); }
    });
    return missing;
  });
}

// The first FOCUS_STEPS controls reached with Tab (the theme's header buttons, the
// toggles, ...): each must show a focus indicator (an outline or a ring).
const FOCUS_STEPS = 15;
async function unfocused(page, mode) {
  const missing = [];
  for (let i = 0; i < FOCUS_STEPS; i++) {
    await page.keyboard.press("Tab");
    const seen = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e || e === document.body) { return null; }
      const s = getComputedStyle(e);
      const shown = (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) ||
        (s.boxShadow && s.boxShadow !== "none");
      return shown ? "" : `${e.tagName.toLowerCase()}.${String(e.className).split(" ")[0]}`;
    });
    if (seen) { missing.push(`focus ${mode}: no focus indicator on ${seen}`); }
  }
  return missing;
}

async function axe(page, pageName, mode) {
  await page.evaluate(AXE);
  const result = await page.evaluate((tags) => axe.run(document, {
    runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]}), AXE_TAGS);
  const failing = [];
  for (const v of result.violations) {
    for (const node of v.nodes) {
      const target = node.target.join(" ");
      if (!allowed("axe", v.id, target + " " + node.html, pageName)) {
        failing.push(`axe ${mode}: ${v.id} at ${target}: ${v.help}`);
      }
    }
  }
  return failing;
}

async function visit(browser, base, pageName, mode) {
  const page = await browser.newPage();
  const errors = [];
  page.on("console", (m) => { if (m.type() === "error") { errors.push(`console ${mode}: ${m.text()}`); } });
  page.on("pageerror", (e) => errors.push(`page error ${mode}: ${e.message}`));
  await page.evaluateOnNewDocument((m) => {
    localStorage.setItem("mode", m); localStorage.setItem("theme", m);
  }, mode);
  await page.setViewport({width: 1280, height: 900});
  await page.goto(base + pageName, {waitUntil: "networkidle0"});
  await settle(page);
  const problems = [...await unnamed(page)];
  await drawFigures(page);
  problems.push(...await axe(page, pageName, mode));
  // after axe: focusing the theme's buttons leaves their tooltips in the page
  problems.push(...await unfocused(page, mode));
  await page.close();
  return problems.concat(errors.filter((e) => !allowed("console", "console", e, pageName)));
}

// ------------------------------------------------------------------ Nu, Lighthouse

export function nuErrors(site, pages) {
  // the checker writes its JSON report to stderr
  const run = spawnSync("java", ["-jar", VNU, "--format", "json", "--errors-only", "--exit-zero-always",
                                 ...pages.map((p) => path.join(site, p))],
                        {encoding: "utf8", maxBuffer: 1 << 26});
  if (run.status !== 0) { throw new Error(`the Nu checker failed: ${run.stderr || run.error}`); }
  const messages = JSON.parse(run.stderr.trim()).messages;
  const byPage = {};
  for (const m of messages) {
    const page = path.relative(site, fileURLToPath(m.url));
    if (!allowed("nu", m.message, m.extract || "", page)) {
      (byPage[page] = byPage[page] || []).push(`nu: line ${m.lastLine}: ${m.message}`);
    }
  }
  return byPage;
}

async function audit(browser, url, desktop) {
  const page = await browser.newPage();
  const flags = {output: "json", logLevel: "error",
                 onlyCategories: ["performance", "accessibility", "best-practices", "seo"]};
  const result = await lighthouse(url, flags, desktop ? desktopConfig : undefined, page);
  await page.close();
  const lhr = result.lhr;
  const score = (c) => Math.round(100 * lhr.categories[c].score);
  return {performance: score("performance"), accessibility: score("accessibility"),
          "best-practices": score("best-practices"), seo: score("seo"),
          tbtMs: Math.round(lhr.audits["total-blocking-time"].numericValue),
          cls: Number(lhr.audits["cumulative-layout-shift"].numericValue.toFixed(3)),
          kb: Math.round(lhr.audits["total-byte-weight"].numericValue / 1000),
          failing: Object.values(lhr.audits).filter((a) => a.score !== null && a.score < 1 &&
            a.scoreDisplayMode === "binary").map(where)};
}

// A failed Lighthouse audit's id, with the first elements it names.
function where(audit) {
  const items = (audit.details && audit.details.items) || [];
  const nodes = items.map((i) => i.node && i.node.selector).filter(Boolean).slice(0, 3);
  return nodes.length ? `${audit.id} at ${nodes.join("; ")}` : audit.id;
}

export function lighthouseProblems(scores, page) {
  const problems = [];
  for (const c of ["performance", "accessibility", "best-practices", "seo"]) {
    if (scores[c] < BUDGET[c]) {
      problems.push(`lighthouse mobile: ${c} ${scores[c]} < ${BUDGET[c]} (${scores.failing.join(", ")})`);
    }
  }
  // a page may be allowed a higher, still bounded, TBT (tools/audit_allow.json, with its reason)
  const tbtMs = allowed("lighthouse", "tbt", "", page)?.max ?? BUDGET.tbtMs;
  if (scores.tbtMs > tbtMs) { problems.push(`lighthouse mobile: TBT ${scores.tbtMs} ms > ${tbtMs}`); }
  if (scores.cls > BUDGET.cls) { problems.push(`lighthouse mobile: CLS ${scores.cls} > ${BUDGET.cls}`); }
  const kb = isChapter(page) ? BUDGET.chapterKB : BUDGET.plainKB;
  if (scores.kb > kb) { problems.push(`lighthouse mobile: first visit ${scores.kb} KB > ${kb} KB`); }
  return problems;
}

// --------------------------------------------------------------------------- main

async function main(argv) {
  const args = {site: "_build/html", json: null, desktop: false, lighthouse: true, pages: null};
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--json") { args.json = argv[++i]; }
    else if (argv[i] === "--lighthouse-desktop") { args.desktop = true; }
    else if (argv[i] === "--no-lighthouse") { args.lighthouse = false; }
    else if (argv[i] === "--pages") { args.pages = argv[++i].split(","); }
    else { args.site = argv[i]; }
  }
  const site = path.resolve(args.site);
  const pages = args.pages || sitePages(site);
  const server = await serve(site);
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
           "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--no-proxy-server"]});
  const report = {};
  const nu = nuErrors(site, pages);
  for (const page of pages) {
    const row = report[page] = {problems: [...(nu[page] || [])]};
    for (const mode of ["light", "dark"]) {
      const found = await visit(browser, base, page, mode);
      row[`axe_${mode}`] = found.filter((p) => p.startsWith("axe")).length;
      row.problems.push(...found);
    }
    row.nu = (nu[page] || []).length;
    if (args.lighthouse && (isChapter(page) || page.endsWith("intro.html"))) {
      row.mobile = await audit(browser, base + page, false);
      row.problems.push(...lighthouseProblems(row.mobile, page));
      if (args.desktop) { row.desktop = await audit(browser, base + page, true); }
    }
    const m = row.mobile || {}, d = row.desktop || {};
    console.log([page.padEnd(34), `axe ${row.axe_light}/${row.axe_dark}`, `nu ${row.nu}`,
                 m.performance !== undefined ? `mobile ${m.performance}/${m.accessibility}/` +
                 `${m["best-practices"]}/${m.seo} TBT ${m.tbtMs} ms CLS ${m.cls} ${m.kb} KB` : "",
                 d.performance !== undefined ? `desktop ${d.performance}/${d.accessibility}/` +
                 `${d["best-practices"]}/${d.seo} TBT ${d.tbtMs} ms` : ""].join("  "));
    row.problems.forEach((p) => console.log("    " + p));
  }
  await browser.close();
  server.close();
  if (args.json) { fs.writeFileSync(args.json, JSON.stringify(report, null, 1)); }
  const failed = Object.values(report).filter((r) => r.problems.length).length;
  console.log(failed ? `${failed} page(s) over budget` : "every page within budget");
  return failed ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (e) => {
    console.error(e); process.exit(2);
  });
}
