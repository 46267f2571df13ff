// Typeset the built site's math once, at build time (`make book` runs this when Node is
// there): every formula Sphinx wrote (<span class="math">\(...\)</span>, <div
// class="math">\[...\]</div>) becomes MathJax's SVG output with its MathML beside it for
// screen readers (MathJax's assistive MathML), in the page itself; the glyphs are drawn
// once per page (a hidden <svg> of definitions at its end). The pages then need
// no MathJax in the browser (about 750 KB less on a first visit, no script time), and
// nothing moves when the math appears: it is there from the first paint. The pages'
// MathJax scripts and the copied MathJax library (_static/mathjax) are removed.
//
// Usage: node tools/typeset_math.mjs [SITE_DIR]   (default _build/html)
import fs from "node:fs";
import path from "node:path";
import {fileURLToPath} from "node:url";

import {liteAdaptor} from "mathjax-full/js/adaptors/liteAdaptor.js";
import {AssistiveMmlHandler} from "mathjax-full/js/a11y/assistive-mml.js";
import {RegisterHTMLHandler} from "mathjax-full/js/handlers/html.js";
import {TeX} from "mathjax-full/js/input/tex.js";
import {AllPackages} from "mathjax-full/js/input/tex/AllPackages.js";
import {mathjax} from "mathjax-full/js/mathjax.js";
import {SVG} from "mathjax-full/js/output/svg.js";

// a formula Sphinx wrote: TeX only (Sphinx escapes "<"), so a page typeset before (an
// incremental build that kept it) is left as it is
export const MATH = /<(span|div) class="math notranslate nohighlight"([^>]*)>([^<]*)<\/\1>/g;
const MATHJAX_SCRIPTS = /[ \t]*<script>window\.MathJax = [^<]*<\/script>\n?|[ \t]*<script[^>]*src="[^"]*_static\/mathjax\/[^"]*"[^>]*><\/script>\n?/g;
const STYLE_ID = "nc-math-style";
// what MathJax writes for its interactive explorer, which these pages do not load
const EXPLORER_DATA = / data-(?:mml-node|c|mjx-texclass)="[^"]*"/g;

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({packages: AllPackages.filter((p) => p !== "bussproofs"),
                     inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]]});
const svg = new SVG({fontCache: "global"});

// Every math element of a page, typeset together as one small document, so that the
// glyphs they share are drawn once, in a hidden <svg> of definitions (MathJax's global
// font cache); [typeset elements, that <svg>].
export function typesetAll(elements) {
  const holders = elements.map((e, i) => `<div data-nc-math="${i}">${e}</div>`).join("");
  const doc = mathjax.document(`<html><head></head><body>${holders}</body></html>`,
                               {InputJax: tex, OutputJax: svg});
  doc.render();
  const count = Array.from(doc.math).length;
  if (count !== elements.length) {
    throw new Error(`typeset ${count} of ${elements.length} formulas`);
  }
  const body = adaptor.body(doc.document);
  const typeset = adaptor.childNodes(body).filter((n) => adaptor.kind(n) === "div")
    .map((n) => adaptor.innerHTML(n).replace(EXPLORER_DATA, ""));
  const cache = adaptor.childNodes(body).find((n) => adaptor.kind(n) === "svg");
  return [typeset, cache ? adaptor.outerHTML(cache) : ""];
}

export function styleSheet() {
  const doc = mathjax.document("", {InputJax: tex, OutputJax: svg});
  return adaptor.textContent(svg.styleSheet(doc));
}

// A page with its math typeset, its MathJax scripts gone and MathJax's style sheet in its
// head; [page, count] (a page without math keeps its markup).
export function typesetPage(page, css) {
  const elements = page.match(MATH) || [];
  if (!elements.length) { return [page.replace(MATHJAX_SCRIPTS, ""), 0]; }
  const [typeset, cache] = typesetAll(elements);
  let i = 0;
  const out = page.replace(MATH, () => typeset[i++]);
  const style = `<style id="${STYLE_ID}">${css}</style>`;
  return [out.replace(MATHJAX_SCRIPTS, "").replace("</head>", style + "</head>")
    .replace("</body>", cache + "</body>"), elements.length];
}

function htmlPages(dir) {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) { return ["_static", "_sources", "_images"].includes(entry.name) ? [] : htmlPages(full); }
    return entry.name.endsWith(".html") ? [full] : [];
  });
}

function main(site) {
  const css = styleSheet();
  let total = 0;
  for (const file of htmlPages(site)) {
    const [page, count] = typesetPage(fs.readFileSync(file, "utf8"), css);
    fs.writeFileSync(file, page);
    total += count;
  }
  fs.rmSync(path.join(site, "_static", "mathjax"), {recursive: true, force: true});
  console.log(`typeset ${total} formulas in ${site}; _static/mathjax removed`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv[2] || "_build/html");
}
