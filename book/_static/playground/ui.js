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

function coerce(s, raw) {
  if (s.kind === "select") {
    const hit = s.options.find((o) => String(o.value) === raw);
    return hit ? hit.value : undefined;
  }
  if (s.kind === "check") return raw === "1" ? true : raw === "0" ? false : undefined;
  if (!/^\d+$/.test(raw)) return undefined;
  const n = Number(raw);
  return n >= s.min && n <= s.max ? n : undefined;
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
    playing = on;
    play.textContent = on ? "Pause" : "Play";
    play.setAttribute("aria-pressed", String(on));
    if (on) requestAnimationFrame(loop);
    else draw(true);
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

/** Line chart of series [{values, colour, label}] on a log or linear y axis. */
export function lineChart(canvas, series, { log = false, xLabel = "", yLabel = "", aspect = 0.55 } = {}) {
  const { ctx, w, h } = fit(canvas, aspect);
  ctx.clearRect(0, 0, w, h);
  const pad = { l: 44, r: 8, t: 18, b: 28 };
  const all = series.flatMap((s) => s.values).filter((v) => Number.isFinite(v) && (!log || v > 0));
  if (!all.length) return;
  const tf = log ? Math.log10 : (v) => v;
  let lo = Math.min(...all.map(tf)), hi = Math.max(...all.map(tf));
  if (log) { lo = Math.floor(lo); hi = Math.ceil(hi); }
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  if (!log) lo = Math.min(lo, 0);
  const n = Math.max(...series.map((s) => s.values.length));
  const X = (i) => pad.l + ((w - pad.l - pad.r) * i) / Math.max(n - 1, 1);
  const Y = (v) => pad.t + (h - pad.t - pad.b) * (1 - (tf(v) - lo) / (hi - lo));
  ctx.strokeStyle = "#999"; ctx.fillStyle = "#444"; ctx.lineWidth = 1; ctx.font = "11px sans-serif";
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b); ctx.stroke();
  const ticks = log ? Array.from({ length: hi - lo + 1 }, (_, i) => lo + i) : [lo, (lo + hi) / 2, hi];
  for (const t of ticks) {
    const y = pad.t + (h - pad.t - pad.b) * (1 - (t - lo) / (hi - lo));
    ctx.fillText(log ? `1e${t}` : t.toFixed(2), 2, y + 4);
  }
  ctx.fillText(xLabel, w / 2 - 30, h - 8);
  ctx.fillText(yLabel, pad.l + 4, 12);
  series.forEach((s, k) => {
    ctx.strokeStyle = s.colour; ctx.fillStyle = s.colour; ctx.lineWidth = 2;
    ctx.beginPath();
    s.values.forEach((v, i) => (i ? ctx.lineTo(X(i), Y(v)) : ctx.moveTo(X(i), Y(v))));
    ctx.stroke();
    if (s.dots) s.values.forEach((v, i) => { ctx.beginPath(); ctx.arc(X(i), Y(v), 3.5, 0, 7); ctx.fill(); });
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
