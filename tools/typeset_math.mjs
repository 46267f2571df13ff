// Typeset the built site's math once, at build time (`make book` runs this when Node is
// there): every formula Sphinx wrote (<span class="math">\(...\)</span>, <div
// class="math">\[...\]</div>) becomes MathJax's SVG output with its MathML beside it for
// screen readers (MathJax's assistive MathML), in the page itself. The pages then need
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

export const MATH = /<(span|div) class="math notranslate nohighlight"([^>]*)>([\s\S]*?)<\/\1>/g;
const MATHJAX_SCRIPTS = /[ \t]*<script>window\.MathJax = [^<]*<\/script>\n?|[ \t]*<script[^>]*src="[^"]*_static\/mathjax\/[^"]*"[^>]*><\/script>\n?/g;
const STYLE_ID = "nc-math-style";

const adaptor = liteAdaptor();
AssistiveMmlHandler(RegisterHTMLHandler(adaptor));
const tex = new TeX({packages: AllPackages.filter((p) => p !== "bussproofs"),
                     inlineMath: [["\\(", "\\)"]], displayMath: [["\\[", "\\]"]]});
const svg = new SVG({fontCache: "local"});

// One math element's HTML, typeset: MathJax reads the snippet as a small document.
export function typeset(element) {
  const doc = mathjax.document(element, {InputJax: tex, OutputJax: svg});
  doc.render();
  if (!doc.math.list || doc.math.length === 0 || doc.inputJax[0].parseOptions.error) {
    throw new Error(`could not typeset ${element.slice(0, 200)}`);
  }
  const body = adaptor.body(doc.document);
  return adaptor.innerHTML(body);
}

export function styleSheet() {
  const doc = mathjax.document("", {InputJax: tex, OutputJax: svg});
  return adaptor.textContent(svg.styleSheet(doc));
}

// A page with its math typeset, its MathJax scripts gone and MathJax's style sheet in its
// head; [page, count] (a page without math is returned as it is).
export function typesetPage(page, css) {
  let count = 0;
  const out = page.replace(MATH, (element) => { count += 1; return typeset(element); });
  if (!count) { return [page.replace(MATHJAX_SCRIPTS, ""), 0]; }
  const style = `<style id="${STYLE_ID}">${css}</style>`;
  return [out.replace(MATHJAX_SCRIPTS, "").replace("</head>", style + "</head>"), count];
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
