// Shared pieces of the widgets: controls whose state lives in the page's URL, the
// play/pause/step/reset loop, and small canvas helpers.

const REDUCED = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
export const reducedMotion = () => REDUCED;

/** A control spec: {key, label, kind: "select"|"int"|"check", options?, min?, max?, def}. */
export function parseParams(prefix, specs, search = location.search) {
  const query = new URLSearchParams(search), values = {}, problems = [];
  for (const s of specs) {
    const raw = query.get(`${prefix}.${s.key}`);
    values[s.key] = s.def;
    if (raw === null) continue;
    const v = coerce(s, raw);
    if (v === undefined) problems.push(`${prefix}.${s.key}=${raw} is not allowed: ${allowed(s)}; using ${show(s, s.def)}.`);
    else values[s.key] = v;
  }
  const known = new Set(specs.map((s) => `${prefix}.${s.key}`));
  for (const key of query.keys()) {
    if (key.startsWith(`${prefix}.`) && !known.has(key)) {
      problems.push(`${key} is not a setting of this figure; it has ${specs.map((s) => `${prefix}.${s.key}`).join(", ")}.`);
    }
  }
  return { values, problems };
}

/** A number written any way JavaScript reads one (1e-3, 0.001, .001, 1E-3, 10.0, +5),
 * or undefined (empty, words, NaN, Infinity). */
export function spelledNumber(raw) {
  const text = String(raw).trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function coerce(s, raw) {
  if (s.kind === "select") {
    const n = spelledNumber(raw);
    const same = (o) => (typeof o.value === "number" ? n !== undefined && Math.abs(n - o.value) <= 1e-12 * Math.abs(o.value) : String(o.value) === raw);
    const hit = s.options.find(same);
    return hit ? hit.value : undefined;
  }
  if (s.kind === "check") { const n = spelledNumber(raw); return n === 1 ? true : n === 0 ? false : undefined; }
  const n = spelledNumber(raw);
  return n !== undefined && Number.isInteger(n) && n >= s.min && n <= s.max ? n : undefined;
}

function allowed(s) {
  if (s.kind === "select") return `choose one of ${s.options.map((o) => o.value).join(", ")}`;
  if (s.kind === "check") return "use 0 or 1";
  return `a whole number from ${s.min} to ${s.max}`;
}

const show = (s, v) => (s.kind === "check" ? (v ? "1" : "0") : String(v));

/** Write this widget's settings into the URL (only those that differ from the default). */
export function writeParams(prefix, specs, values) {
  if (typeof history === "undefined" || !history.replaceState) return;
  const query = new URLSearchParams(location.search);
  for (const s of specs) {
    if (s.urlOnly) continue;
    const key = `${prefix}.${s.key}`;
    if (values[s.key] === s.def) query.delete(key);
    else query.set(key, show(s, values[s.key]));
  }
  const text = query.toString();
  history.replaceState(null, "", location.pathname + (text ? `?${text}` : "") + location.hash);
}

let uid = 0;
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c);
  return node;
}

/** Labelled form controls for `specs` (those not urlOnly); onChange(key, value). */
export function controls(specs, values, onChange) {
  const box = el("div", { class: "pg-controls" }), inputs = {};
  for (const s of specs) {
    if (s.urlOnly) continue;
    const id = `pg-${++uid}`;
    let input;
    if (s.kind === "select") {
      input = el("select", { id });
      for (const o of s.options) input.append(el("option", { value: String(o.value), text: o.label ?? String(o.value) }));
      input.value = String(values[s.key]);
      input.addEventListener("change", () => onChange(s.key, s.options.find((o) => String(o.value) === input.value).value));
    } else if (s.kind === "check") {
      input = el("input", { id, type: "checkbox" });
      input.checked = values[s.key];
      input.addEventListener("change", () => onChange(s.key, input.checked));
    } else {
      input = el("input", { id, type: "number", min: s.min, max: s.max, step: 1, inputmode: "numeric" });
      input.value = values[s.key];
      input.addEventListener("change", () => {
        const n = Math.round(Number(input.value));
        const v = Math.min(s.max, Math.max(s.min, Number.isFinite(n) ? n : s.def));
        input.value = v;
        onChange(s.key, v);
      });
    }
    inputs[s.key] = input;
    input.dataset.key = s.key;
    box.append(el("div", { class: `pg-field pg-${s.kind}` }, el("label", { for: id, text: s.label }), input));
  }
  return { box, inputs };
}

/** Visible messages about bad URL parameters (role=alert), or nothing. */
export function problemBox(problems) {
  const box = el("div", { class: "pg-problems", role: "alert" });
  if (!problems.length) box.hidden = true;
  for (const p of problems) box.append(el("p", { text: p }));
  return box;
}

/** Play / pause / step / reset buttons driving `tick(budgetMs)` once per animation
 * frame (or every half second under reduced motion). */
export function player({ tick, step, reset, draw }) {
  let playing = false, frames = 0, last = 0;
  const play = el("button", { type: "button", class: "pg-play", text: "Play", "aria-pressed": "false" });
  const one = el("button", { type: "button", text: "Step", title: "train one mini-batch step" });
  const again = el("button", { type: "button", text: "Reset", title: "new initial weights from the seed" });
  const loop = (now) => {
    if (!playing) return;
    if (!REDUCED || now - last > 500) {
      tick(10);
      frames += 1;
      draw();
      last = now;
    } else tick(10);
    requestAnimationFrame(loop);
  };
  const set = (on) => {
    const was = playing;
    playing = on;
    play.textContent = on ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(on));
    if (on && !was) requestAnimationFrame(loop);
    else if (!on && was) draw(true);      // pausing shows the final state; a widget rebuilding draws itself
  };
  play.addEventListener("click", () => set(!playing));
  one.addEventListener("click", () => { set(false); step(); draw(true); });
  again.addEventListener("click", () => { set(false); reset(); draw(true); });
  return { box: el("div", { class: "pg-buttons" }, play, one, again), set, isPlaying: () => playing, frames: () => frames };
}

/** Size a canvas to its CSS box at the device's pixel ratio; returns its 2D context
 * scaled so drawing uses CSS pixels, and the width and height. */
export function fit(canvas, aspect = 1) {
  const w = Math.max(canvas.clientWidth || canvas.parentNode.clientWidth || 300, 120);
  const h = Math.round(w * aspect), r = (typeof devicePixelRatio === "number" && devicePixelRatio) || 1;
  if (canvas.width !== Math.round(w * r) || canvas.height !== Math.round(h * r)) {
    canvas.width = Math.round(w * r); canvas.height = Math.round(h * r);
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext("2d");
  ctx.setTransform(r, 0, 0, r, 0, 0);
  return { ctx, w, h };
}

/** Line chart of series [{values, colour, label, dash}] on a log or linear y axis; `x`
 * maps an index to the x axis' range [0, xMax] (default: the index); `marks` are
 * vertical lines [{at, label}] in those x units. With no finite value it says so in
 * the chart, never leaving it blank. */
export function lineChart(canvas, series, { log = false, xLabel = "", yLabel = "", aspect = 0.55, xMax = null, marks = [],
  empty = "no values yet", yRange = null } = {}) {
  const { ctx, w, h } = fit(canvas, aspect), c = palette(canvas);
  ctx.fillStyle = c.bg; ctx.fillRect(0, 0, w, h);
  const pad = { l: 44, r: 8, t: 18, b: 28 };
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!log || v > 0));
  ctx.font = "11px sans-serif";
  if (!all.length) {
    ctx.fillStyle = c.text; ctx.fillText(empty, pad.l, h / 2); ctx.fillText(yLabel, pad.l + 4, 12);
    return;
  }
  if (yRange) all.push(...yRange);
  const tf = log ? Math.log10 : (v) => v;
  let lo = Math.min(...all.map(tf)), hi = Math.max(...all.map(tf));
  if (log) { lo = Math.floor(lo); hi = Math.ceil(hi); }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  if (!log) lo = Math.min(lo, 0);
  const n = Math.max(...series.map((s) => s.values.length));
  const span = xMax ?? Math.max(n - 1, 1);
  const X = (i) => pad.l + ((w - pad.l - pad.r) * Math.min(i, span)) / span;
  const Y = (v) => pad.t + (h - pad.t - pad.b) * (1 - (tf(v) - lo) / (hi - lo));
  ctx.strokeStyle = c.axis; ctx.fillStyle = c.text; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b); ctx.stroke();
  const ticks = log ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : [lo, (lo + hi) / 2, hi];
  for (const t of ticks) {
    const y = pad.t + (h - pad.t - pad.b) * (1 - (t - lo) / (hi - lo));
    ctx.fillText(log ? `1e${t}` : t.toFixed(2), 2, y + 4);
  }
  ctx.fillText(xLabel, w / 2 - 30, h - 8);
  ctx.fillText(yLabel, pad.l + 4, 12);
  for (const m of marks) {
    const x = X(m.at);
    ctx.save(); ctx.strokeStyle = c.mark; ctx.setLineDash([5, 4]); ctx.lineWidth = 1.5;
    ctx.beginPath(); ctx.moveTo(x, pad.t); ctx.lineTo(x, h - pad.b); ctx.stroke(); ctx.restore();
    ctx.fillStyle = c.text; ctx.fillText(m.label, Math.min(x + 3, w - pad.r - ctx.measureText(m.label).width), h - pad.b - 4);
  }
  series.forEach((s, k) => {
    const colour = s.colour in c ? c[s.colour] : s.colour;
    ctx.strokeStyle = colour; ctx.fillStyle = colour; ctx.lineWidth = 2;
    ctx.setLineDash(s.dash || []);
    ctx.beginPath();
    const at = s.x || ((i) => i);
    s.values.forEach((v, i) => (i ? ctx.lineTo(X(at(i)), Y(v)) : ctx.moveTo(X(at(i)), Y(v))));
    ctx.stroke();
    ctx.setLineDash([]);
    if (s.dots) s.values.forEach((v, i) => { ctx.beginPath(); ctx.arc(X(at(i)), Y(v), 3.5, 0, 7); ctx.fill(); });
    if (s.label) ctx.fillText(s.label, w - pad.r - 110, pad.t + 12 + 13 * k);
  });
}

export const fmt = (v, d = 3) => (Number.isFinite(v) ? v.toFixed(d) : "–");
/** True at most once every `ms` (for the spoken descriptions while a figure plays). */
export function every(ms) {
  let last = -Infinity;
  return () => { const now = performance.now(); if (now - last < ms) return false; last = now; return true; };
}

export const sci = (v) => (Number.isFinite(v) ? v.toExponential(1) : "–");

/** The colours the canvases draw with, from the widget's CSS custom properties (so they
 * follow the page's light or dark mode): background, text, axis, and the two series. */
export function palette(node) {
  const css = getComputedStyle(node), get = (name, fallback) => css.getPropertyValue(name).trim() || fallback;
  return { bg: get("--pg-canvas", "#fff"), text: get("--pg-text", "#24292f"), axis: get("--pg-axis", "#6e7781"),
    blue: get("--pg-blue", "#2e68b0"), orange: get("--pg-orange", "#b35c00"), target: get("--pg-target", "#8c959f"),
    mark: get("--pg-mark", "#6e7781") };
}

/** Run `work`; on an error, say so in `status` (its numbers and data-* cleared, so no
 * stale value stays under a new label) and in `desc`, and return false. */
export function guard(status, desc, work) {
  try {
    work();
    delete status.dataset.error;
    return true;
  } catch (error) {
    for (const key of Object.keys(status.dataset)) delete status.dataset[key];
    status.dataset.error = error.message;
    status.textContent = `This setting could not run: ${error.message}`;
    if (desc) desc.textContent = status.textContent;
    console.warn(error);
    return false;
  }
}

/** "As code": the nc lines that run the same experiment in Python, a copy button (a
 * named, keyboard-usable <button>) and a link to the chapter's Colab edition. */
export function asCode(lines, colab, note) {
  const code = el("code", { text: lines() });
  const said = el("span", { class: "pg-copied", "aria-live": "polite" });
  const copy = el("button", { type: "button", class: "pg-copy", text: "Copy code", "aria-label": "Copy the Python code" });
  copy.addEventListener("click", async () => {
    try {     // a browser that neither copies nor refuses within a second: select the code instead
      const late = new Promise((_, reject) => setTimeout(() => reject(new Error("no answer")), 1000));
      await Promise.race([navigator.clipboard.writeText(code.textContent), late]);
      said.textContent = "Copied.";
    } catch {
      const range = document.createRange(); range.selectNodeContents(code);
      getSelection().removeAllRanges(); getSelection().addRange(range);
      said.textContent = "Selected: press Ctrl+C (or Cmd+C) to copy.";
    }
  });
  const box = el("details", { class: "pg-code" }, el("summary", { text: "As code (Python, nonlin_course)" }),
    el("p", { class: "pg-legend", text: note }), el("pre", { tabindex: "0" }, code),
    el("div", { class: "pg-code-actions" }, copy, said, ...(colab ? [el("a", { href: colab, class: "pg-colab", text: "Open the chapter in Colab" })] : [])));
  const update = () => {
    const text = lines();
    if (text !== code.textContent) { code.textContent = text; said.textContent = ""; }
  };
  return { box, update };
}
