// Driven into the Playground page by tools/check_playground.py (never shipped with the
// site): works every control of every widget, loads every URL setting with good and bad
// values in frames, measures the contrast of the widgets' text and chart colours, and
// posts what it found as JSON to /__report__ (the checker's server).
(async function drive() {
  const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const out = { checks: 0, failures: [], contrast: [], errors: [] };
  // headless Chromium under virtual time issues no animation frames: Play's loop gets timers
  window.requestAnimationFrame = (callback) => setTimeout(() => callback(performance.now()), 16);
  const fail = (widget, what) => out.failures.push(`${widget}: ${what}`);
  const widgetsOf = (doc) => [...doc.querySelectorAll(".nc-playground[data-widget]")];
  async function settled(doc) {
    for (let i = 0; i < 600; i++) {
      if (widgetsOf(doc).length && widgetsOf(doc).every((r) => r.dataset.ready === "1" || r.dataset.ready === "error")) return;
      await wait(25);
    }
  }
  const blank = (canvas) => {
    if (!canvas.width || !canvas.height) return true;
    const d = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
    for (let i = 4; i < d.length; i += 4) if (d[i] !== d[0] || d[i + 1] !== d[1] || d[i + 2] !== d[2]) return false;
    return true;
  };
  const said = (root) => `${root.querySelector(".pg-status").textContent} ${root.querySelector(".pg-desc").textContent}`.toLowerCase();
  function inspect(root, label, mention = []) {
    out.checks += 1;
    const name = root.dataset.widget, status = root.querySelector(".pg-status");
    if (root.dataset.ready !== "1") fail(name, `${label}: the widget is not ready (${root.dataset.ready})`);
    if (status.dataset.error) fail(name, `${label}: "${status.dataset.error}"`);
    const text = said(root);
    if (/\bnan\b|undefined|\bnull\b|infinity/.test(text)) fail(name, `${label}: a broken number in "${text.slice(0, 200)}"`);
    for (const canvas of root.querySelectorAll("canvas")) {
      if (blank(canvas)) fail(name, `${label}: blank chart "${canvas.getAttribute("aria-label")}"`);
      const described = document.getElementById(canvas.getAttribute("aria-describedby") || "-");
      if (!canvas.getAttribute("aria-label") || !described || !described.textContent.trim()) fail(name, `${label}: a canvas without a name or description`);
    }
    for (const words of mention) {
      if (!words.some((w) => text.includes(String(w).toLowerCase()))) fail(name, `${label}: the status and description name none of ${JSON.stringify(words)} (a stale label)`);
    }
  }
  const buttons = (root) => [...root.querySelectorAll(".pg-buttons button")];
  const set = (input, value) => {
    if (input.type === "checkbox") input.checked = value; else input.value = String(value);
    input.dispatchEvent(new Event("change"));
  };
  const step = (root, times = 2) => { const s = buttons(root)[1]; for (let i = 0; i < times; i++) if (!s.disabled) s.click(); };
  const optionWords = (option) => [option.value, option.textContent, option.textContent.split(" (")[0].split(",")[0]];
  const MENTIONED = { ch1: ["data", "layers", "width", "act"], ch2: ["depth", "width", "act", "init"],
    ch4: ["target", "n", "method"], ch5: ["depth", "width", "act", "init", "norm"] };

  await settled(document);
  for (const root of widgetsOf(document)) {
    const name = root.dataset.widget, inputs = [...root.querySelectorAll(".pg-controls [data-key]")];
    inspect(root, "as loaded");
    for (const input of inputs) {
      const key = input.dataset.key, mention = MENTIONED[name].includes(key);
      const start = input.type === "checkbox" ? input.checked : input.value;
      const values = input.tagName === "SELECT" ? [...input.options].map((o) => o.value)
        : input.type === "checkbox" ? [true, false] : [input.min, input.max, start];
      for (const value of values) {
        set(input, value);
        step(root);
        const words = input.tagName === "SELECT" ? optionWords(input.selectedOptions[0]) : [String(value)];
        inspect(root, `${key}=${value}`, mention ? [words] : []);
      }
      set(input, start);
    }
    const by = (key) => root.querySelector(`[data-key="${key}"]`);
    if (name === "ch4") {            // gradient descent with the most units, from each initialisation
      set(by("method"), "gd"); set(by("n"), by("n").max);
      for (const option of by("init").options) {
        set(by("init"), option.value); step(root, 3);
        inspect(root, `gd, n=${by("n").max}, init=${option.value}`, [["gradient descent"], [by("n").max], optionWords(option)]);
        const s = root.querySelector(".pg-status").dataset;
        if (s.steps !== "3" || s.dead === "" || s.inside === "" || said(root).includes("by hand")) fail(name, `gradient descent at N=${by("n").max}: ${JSON.stringify(s)}`);
      }
      set(by("method"), "hand"); set(by("n"), 8);
    }
    if (name === "ch1") {            // every activation with the regions on
      set(by("regions"), true);
      for (const option of by("act").options) {
        set(by("act"), option.value);
        inspect(root, `regions on, act=${option.value}`, [optionWords(option)]);
        const regions = root.querySelector(".pg-status").dataset.regions, why = root.querySelector(".pg-why").textContent;
        const piecewise = ["relu", "leakyrelu", "none"].includes(option.value);
        if (piecewise && !(Number(regions) >= 1)) fail(name, `regions on, ${option.value}: no region count`);
        if (!piecewise && (regions !== "" || !why.includes("piecewise-linear"))) fail(name, `regions on, ${option.value}: says nothing about why there are no regions`);
        if (!root.querySelector(".pg-legend").textContent.includes(piecewise ? "linear regions" : "Shading")) fail(name, `regions on, ${option.value}: the legend describes the other mode`);
      }
      set(by("regions"), false); set(by("act"), "relu");
    }
    if (name === "ch4") set(by("method"), "gd");
    const [play, , reset] = buttons(root), before = Number(root.querySelector(".pg-status").dataset.steps || 0);
    play.click(); await wait(400); if (play.getAttribute("aria-pressed") === "true") play.click();
    const after = Number(root.querySelector(".pg-status").dataset.steps || 0);
    if (!(after > before)) fail(name, `Play trained no step (${before} -> ${after})`);
    inspect(root, "after Play");
    reset.click();
    if (root.querySelector(".pg-status").dataset.steps !== "0") fail(name, "Reset did not start again from step 0");
    inspect(root, "after Reset");
    if (name === "ch4") set(by("method"), "hand");
    const copy = root.querySelector(".pg-copy"), code = root.querySelector(".pg-code code"), colab = root.querySelector(".pg-colab");
    root.querySelector(".pg-code").open = true;
    copy.click(); await wait(1500);
    if (!copy.getAttribute("aria-label") || !root.querySelector(".pg-copied").textContent) fail(name, "the copy button is unnamed or says nothing");
    if (!/import nonlin_course as nc/.test(code.textContent)) fail(name, "the code panel holds no nc code");
    if (!colab || !/^https:\/\/colab\.research\.google\.com\/github\/.+\/colab\/0\d_\w+\.ipynb$/.test(colab.href)) fail(name, "no link to the chapter's Colab edition");
  }

  // every URL setting: all good values in one frame, all bad ones in another
  const base = new URL(document.querySelector('script[src*="playground/playground.js"]').src);
  const modules = {};
  for (const root of widgetsOf(document)) modules[root.dataset.widget] = { prefix: root.dataset.prefix, specs: (await import(new URL(`${root.dataset.widget}.js`, base))).SPECS };
  const spell = (v) => (typeof v === "number" ? (Number.isInteger(v) ? `${v}.0` : v.toExponential()) : v);
  const good = {}, bad = {}, wanted = {};
  for (const [name, { prefix, specs }] of Object.entries(modules)) {
    wanted[name] = {};
    for (const s of specs) {
      let value = s.kind === "select" ? s.options[s.options.length - 1].value : s.kind === "check" ? true : s.max;
      if (s.urlOnly) value = s.key === "bench" ? 1 : 20;
      if (value === s.def && s.kind === "select") value = s.options[0].value;
      good[`${prefix}.${s.key}`] = s.kind === "check" ? "1" : spell(value);
      wanted[name][s.key] = value;
      bad[`${prefix}.${s.key}`] = s.kind === "select" ? "zzz" : s.kind === "check" ? "2" : String(s.max + 1);
    }
    bad[`${prefix}.nope`] = "1";
  }
  async function frame(query) {
    const iframe = Object.assign(document.createElement("iframe"), { src: `${location.pathname}?${new URLSearchParams(query)}`, width: 1200, height: 3000 });
    document.body.append(iframe);
    await new Promise((resolve) => iframe.addEventListener("load", resolve, { once: true }));
    await settled(iframe.contentDocument);
    return iframe;
  }
  const goodFrame = await frame(good), badFrame = await frame(bad);
  for (const [name, { prefix, specs }] of Object.entries(modules)) {
    const g = goodFrame.contentDocument.querySelector(`[data-widget="${name}"]`), b = badFrame.contentDocument.querySelector(`[data-widget="${name}"]`);
    const problemsG = g.querySelector(".pg-problems").textContent, problemsB = b.querySelector(".pg-problems").textContent;
    out.checks += 2;
    if (problemsG.trim()) fail(name, `good URL values refused: ${problemsG}`);
    for (const s of specs) {
      const cg = g.querySelector(`[data-key="${s.key}"]`), cb = b.querySelector(`[data-key="${s.key}"]`);
      const read = (c) => (c.type === "checkbox" ? c.checked : c.value);
      if (cg && String(read(cg)) !== String(wanted[name][s.key])) fail(name, `URL ${prefix}.${s.key}=${good[`${prefix}.${s.key}`]}: the control shows ${read(cg)}`);
      if (cb && String(read(cb)) !== String(s.def)) fail(name, `URL ${prefix}.${s.key}=${bad[`${prefix}.${s.key}`]}: the control shows ${read(cb)}, not the default ${s.def}`);
      if (!problemsB.includes(`${prefix}.${s.key}=${bad[`${prefix}.${s.key}`]} is not allowed`)) fail(name, `URL ${prefix}.${s.key}=${bad[`${prefix}.${s.key}`]} is not reported`);
    }
    if (!problemsB.includes(`${prefix}.nope is not a setting`)) fail(name, "an unknown URL setting is not reported");
    if (!(Number(g.querySelector(".pg-status").dataset.steps) > 0)) fail(name, `URL ${prefix}.steps=2e1 trained nothing`);
    for (const [which, w] of [["good", g], ["bad", b]]) if (w.dataset.ready !== "1") fail(name, `the ${which} URL frame did not start`);
  }
  for (const f of [goodFrame, badFrame]) out.errors.push(...(f.contentWindow.__pgErrors || []));

  // contrast: text 4.5:1 on its background, chart colours 3:1 on the canvas (WCAG 1.4.3, 1.4.11)
  const rgb = (css) => { const m = css.match(/[\d.]+/g).map(Number); return { c: m.slice(0, 3), a: m.length > 3 ? m[3] : 1 }; };
  const hex = (h) => { h = h.trim().replace("#", ""); if (h.length === 3) h = [...h].map((x) => x + x).join(""); return [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16)); };
  const lum = (c) => { const [r, g, b] = c.map((v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; }); return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
  const ratio = (x, y) => { const [lo, hi] = [lum(x), lum(y)].sort((p, q) => p - q); return (hi + 0.05) / (lo + 0.05); };
  const background = (node, doc) => {
    const layers = [];
    for (let n = node; n && n.nodeType === 1; n = n.parentElement) { const bg = rgb(getComputedStyle(n).backgroundColor); if (bg.a > 0) layers.push(bg); if (bg.a >= 1) break; }
    let c = [255, 255, 255];
    if (!layers.length || layers[layers.length - 1].a < 1) c = doc.documentElement.dataset.theme === "dark" ? [18, 18, 18] : c;
    for (const l of layers.reverse()) c = c.map((v, i) => l.c[i] * l.a + v * (1 - l.a));
    return c;
  };
  const doc = badFrame.contentDocument;   // its problem boxes are showing
  for (const root of widgetsOf(doc)) {
    root.querySelector(".pg-code").open = true;
    const name = root.dataset.widget;
    for (const node of root.querySelectorAll("button, label, select, input[type=number], .pg-legend, .pg-desc, .pg-status, .pg-problems p, .pg-title, .pg-about, .pg-own, .pg-why, summary, a, pre, figcaption")) {
      if (!node.getClientRects().length || node.disabled || !node.textContent.trim() && node.tagName !== "SELECT" && node.tagName !== "INPUT") continue;
      const style = getComputedStyle(node), fg = rgb(style.color), bg = background(node, doc), r = ratio(fg.c, bg);
      out.contrast.push([name, node.tagName.toLowerCase() + (node.className ? `.${node.className}` : ""), r]);
      if (r < 4.5) fail(name, `text "${node.textContent.trim().slice(0, 40)}" (${node.tagName.toLowerCase()}) has contrast ${r.toFixed(2)} on its background, want 4.5`);
    }
    const css = getComputedStyle(root), canvas = hex(css.getPropertyValue("--pg-canvas"));
    for (const v of ["--pg-blue", "--pg-orange", "--pg-axis", "--pg-mark", "--pg-target", "--pg-text"]) {
      const r = ratio(hex(css.getPropertyValue(v)), canvas);
      out.contrast.push([name, `canvas ${v}`, r]);
      if (r < 3) fail(name, `chart colour ${v} has contrast ${r.toFixed(2)} on the chart background, want 3`);
    }
  }
  out.errors.push(...(window.__pgErrors || []));
  out.theme = document.documentElement.dataset.theme;
  await report(out);
})().catch((error) => report({ crashed: `${error.message} ${error.stack}` }));

function report(found) {
  const token = new URLSearchParams(location.search).get("__drive");
  return fetch(`/__report__?id=${encodeURIComponent(token)}`, { method: "POST", body: JSON.stringify(found) });
}
