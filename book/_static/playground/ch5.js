// Chapter 5's widget: a deep network on the 8x8 digits (the chapter's data and split), with
// the depth, width, activation, initialisation (Kaiming with the activation's gain) and
// normalisation (BatchNorm, LayerNorm) to choose; at initialisation and while it trains,
// per-layer quantile bands of the activations and of the gradients dL/da, the saturated
// (or, for ReLU, dead) fraction per layer and each layer's update-to-data ratio.
import { GAINS, MAX_HIDDEN, MAX_WIDTH, MLP, NORMS, Trainer, evaluate } from "./engine.js";
import { asCode, controls, el, every, fit, fmt, guard, lineChart, palette, parseParams, player, problemBox, writeParams } from "./ui.js";

const ACTS = ["sigmoid", "tanh", "relu"];           // chapter 5's three
const LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2];
const NORM_LABELS = { none: "none", batchnorm: "BatchNorm", layernorm: "LayerNorm" };
const INIT_LABELS = { default: "default (torch)", xavier: "Xavier (Glorot)", kaiming: "Kaiming, the activation's gain" };
export const SPECS = [
  { key: "depth", label: "Hidden layers", kind: "int", min: 1, max: MAX_HIDDEN, def: 10 },
  { key: "width", label: "Units per layer", kind: "int", min: 1, max: MAX_WIDTH, def: 32 },
  { key: "act", label: "Activation", kind: "select", def: "tanh", options: ACTS.map((a) => ({ value: a })) },
  { key: "init", label: "Initialisation", kind: "select", def: "default", options: Object.entries(INIT_LABELS).map(([value, label]) => ({ value, label })) },
  { key: "norm", label: "Normalisation", kind: "select", def: "none", options: NORMS.map((n) => ({ value: n, label: NORM_LABELS[n] })) },
  { key: "lr", label: "Learning rate (AdamW)", kind: "select", def: 1e-3, options: LRS.map((v) => ({ value: v })) },
  { key: "seed", label: "Seed (weights, batches)", kind: "int", min: 0, max: 9999, def: 0 },
  { key: "steps", kind: "int", min: 0, max: 100000, def: 0, urlOnly: true },
];
export const EPOCHS = 5;          // chapter 5 trains 5 epochs, AdamW at 1e-3, batches of 32
const PROBE = 512;                // as the chapter: one pass over the first 512 training images
const SATURATED = 0.97;           // |tanh| above this (or a sigmoid output as far out)
const GUIDE = -3;                 // the update-to-data rule of thumb, log10
const PROBE_MS = 400;             // while playing, the bands are re-measured at most this often
const QUANTILES = [0.05, 0.25, 0.5, 0.75, 0.95];
const MAX_TICK = 100;
const SPEAK_MS = 5000;
const OWN_DRAWS = "The digits and their train/test split are the chapter's (nc.digits, nc.train_test); the initial weights and the "
  + "batch order come from this figure's own generator, so its seeds are not the chapter's. Play stops once at the chapter's "
  + `${EPOCHS} epochs; play again to go on.`;

/** The digits as the extension wrote them (digits.bin): "NCD1", train and test counts
 * (uint16, little-endian), then per image 64 pixels (0-16) and its label, train first. */
export function decodeDigits(buffer) {
  const bytes = new Uint8Array(buffer), view = new DataView(buffer);
  if (String.fromCharCode(...bytes.subarray(0, 4)) !== "NCD1") throw new Error("digits.bin is not the playground's digits file");
  const nTrain = view.getUint16(4, true), nTest = view.getUint16(6, true);
  const part = (start, n) => {
    const X = new Float64Array(n * 64), y = new Int32Array(n);
    for (let r = 0; r < n; r++) {
      const o = 8 + (start + r) * 65;
      for (let j = 0; j < 64; j++) X[r * 64 + j] = bytes[o + j] / 16;
      y[r] = bytes[o + 64];
    }
    return { X, y };
  };
  return { train: part(0, nTrain), test: part(nTrain, nTest) };
}

/** q-quantiles (linear interpolation, as numpy's default) of values. */
export function quantiles(values, qs = QUANTILES) {
  const s = Float64Array.from(values).sort();
  return qs.map((q) => {
    const at = q * (s.length - 1), lo = Math.floor(at), hi = Math.ceil(at);
    return s[lo] + (s[hi] - s[lo]) * (at - lo);
  });
}

/** One forward and backward pass over `probe` images in training mode (batch statistics,
 * running averages untouched): per hidden layer, quantiles of the activations and of
 * log10 |dL/da| (loss summed over the images), and the saturated fraction (tanh,
 * sigmoid) or the dead fraction (ReLU: units 0 on every image). */
export function layerSignals(net, data, probe = PROBE) {
  const n = Math.min(probe, data.y.length), idx = Array.from({ length: n }, (_, i) => i);
  net.lossAndGrad(data.X, data.y, idx, "ce", n, "batch");
  const out = [];
  for (let l = 1; l < net.L; l++) {
    const w = net.sizes[l], a = net.A[l].subarray(0, n * w), g = net.G[l].subarray(0, n * w);
    const logGrad = Array.from(g, (v) => Math.log10(Math.abs(v * n) + 1e-30));
    let share = 0;
    if (net.act === "relu") {
      for (let o = 0; o < w; o++) { let on = false; for (let r = 0; r < n && !on; r++) on = a[r * w + o] > 0; if (!on) share += 1; }
      share /= w;
    } else {
      for (const v of a) if (Math.abs(net.act === "sigmoid" ? 2 * v - 1 : v) > SATURATED) share += 1;
      share /= a.length;
    }
    out.push({ act: quantiles(a), grad: quantiles(logGrad), share });
  }
  return out;
}

export function mount(root, prefix = "c5", { colab = "" } = {}) {
  const { values: v, problems } = parseParams(prefix, SPECS);
  const speak = every(SPEAK_MS), probeDue = every(PROBE_MS);
  let data, net, run, start, now, stats, acc = [], ratios = [];
  let fresh = false;   // build() has just measured the net: the next draw need not again
  const status = el("p", { class: "pg-status" });
  const desc = el("p", { class: "pg-desc", "aria-live": "polite", id: `${prefix}-desc` });
  const canvases = {
    act: el("canvas", { class: "pg-chart", role: "img", "aria-label": "Activations per layer: quantile bands" }),
    grad: el("canvas", { class: "pg-chart", role: "img", "aria-label": "Gradients dL/da per layer: quantile bands of log10 |dL/da|" }),
    share: el("canvas", { class: "pg-chart", role: "img", "aria-label": "Saturated or dead fraction per layer" }),
    update: el("canvas", { class: "pg-chart", role: "img", "aria-label": "Update-to-data ratio per layer, log10, the -3 guide dashed" }),
    acc: el("canvas", { class: "pg-chart", role: "img", "aria-label": `Test accuracy against epochs, the chapter's ${EPOCHS} epochs dashed` }),
  };
  const legend = el("p", { class: "pg-legend", text: "Bands, per hidden layer (1 = input side): light from the 5th to the 95th "
    + "percentile, dark from the 25th to the 75th, a dot at the median; dashed: the median at initialisation. Measured on "
    + `one pass over ${PROBE} training images in training mode (loss summed over them, as in the chapter).` });

  function build() {
    net = new MLP([64, ...Array(v.depth).fill(v.width), 10], v.act, v.norm).init(v.seed, v.init, GAINS[v.act]);
    run = new Trainer(net, data.train, { loss: "ce", optimizer: "adamw", lr: v.lr, batchSize: 32, seed: v.seed, recordUpdates: true });
    start = now = layerSignals(net, data.train);
    ratios = Array(net.L).fill(NaN);
    stats = evaluate(net, data.test.X, data.test.y);
    acc = [stats.acc];
    fresh = true;
  }
  const stepsPerEpoch = () => Math.ceil(data.train.y.length / 32);
  function trainSteps(n) {
    fresh = false;
    for (let i = 0; i < n; i++) {
      run.step();
      ratios = ratios.map((r, l) => (Number.isFinite(r) ? 0.9 * r + 0.1 * run.updates[l] : run.updates[l]));
      if (run.steps % 15 === 0) { stats = evaluate(net, data.test.X, data.test.y); acc.push(stats.acc); }
      if (run.steps === EPOCHS * stepsPerEpoch() && play.isPlaying()) { play.set(false); break; }
    }
  }
  function tick(budgetMs) {
    const t0 = performance.now();
    let n = 0;     // at most MAX_TICK steps a frame, whatever the clock says
    do { trainSteps(1); n += 1; } while (performance.now() - t0 < budgetMs && play.isPlaying() && n < MAX_TICK);
  }
  const draw = (final = false) => guard(status, desc, () => drawAll(final));
  function drawAll(final) {
    if (!fresh && (final || probeDue())) { now = layerSignals(net, data.train); stats = evaluate(net, data.test.X, data.test.y); }
    fresh = false;
    const c = palette(canvases.act), epoch = run.steps / stepsPerEpoch();
    const actRange = { sigmoid: [0, 1], tanh: [-1, 1], relu: null }[v.act];
    bands(canvases.act, now.map((s) => s.act), start.map((s) => s.act[2]), c, { yLabel: `activation (${v.act})`, range: actRange });
    bands(canvases.grad, now.map((s) => s.grad), start.map((s) => s.grad[2]), c, { yLabel: "log10 |dL/da|" });
    const shareName = v.act === "relu" ? "dead units (0 on every image)" : `saturated (|${v.act === "tanh" ? "a" : "2a − 1"}| > ${SATURATED})`;
    canvases.share.nextElementSibling.textContent = v.act === "relu" ? "Dead fraction per layer (ReLU)" : `Saturated fraction per layer (${v.act})`;
    canvases.share.setAttribute("aria-label", v.act === "relu" ? "Dead fraction per layer" : "Saturated fraction per layer");
    lineChart(canvases.share, [{ values: now.map((s) => s.share), x: (i) => i + 1, colour: "orange", label: "now", dots: true },
      { values: start.map((s) => s.share), x: (i) => i + 1, colour: "target", label: "at initialisation", dash: [4, 3] }],
    { xLabel: "hidden layer", yLabel: `fraction ${shareName}`, xMax: net.L - 1, yRange: [0, 1], aspect: 0.6 });
    const shown = ratios.filter(Number.isFinite);
    lineChart(canvases.update, [{ values: ratios, x: (i) => i + 1, colour: "blue", label: "recent steps", dots: true },
      ...(shown.length ? [{ values: ratios.map(() => GUIDE), x: (i) => i + 1, colour: "mark", label: "guide −3", dash: [5, 4] }] : [])],
    { xLabel: "Linear layer", yLabel: "log10 update / data", xMax: net.L, aspect: 0.6,
      empty: "no step yet: the ratio needs one (press Step or Play)" });
    lineChart(canvases.acc, [{ values: acc, x: (i) => (i * 15) / stepsPerEpoch(), colour: "blue", label: "test accuracy" }],
      { xLabel: "epochs", yLabel: "test accuracy", xMax: Math.max(EPOCHS, epoch), yRange: [0, 1], aspect: 0.6,
        marks: [{ at: EPOCHS, label: `chapter's ${EPOCHS}` }] });
    const meanShare = now.reduce((s, x) => s + x.share, 0) / now.length;
    const gradRatio = 10 ** (now[0].grad[2] - now[now.length - 1].grad[2]);
    status.textContent = `step ${run.steps} · epoch ${fmt(epoch, 2)} (the chapter trains ${EPOCHS}) · test accuracy ${fmt(stats.acc)} · `
      + `${v.act === "relu" ? "dead" : "saturated"} ${fmt(meanShare * 100, 1)} % (mean over layers) · median |dL/da|, layer 1 / layer ${now.length}: ${gradRatio.toExponential(1)}`;
    Object.assign(status.dataset, { steps: run.steps, epoch, testAcc: stats.acc, share: meanShare, gradRatio,
      updates: ratios.join(" "), layers: now.length, gain: GAINS[v.act] });
    if (final || speak()) {
      const when = run.steps ? `after ${run.steps} steps (${fmt(epoch, 2)} epochs)` : "at initialisation";
      desc.textContent = `${v.depth} hidden layers of ${v.width} ${v.act} units, ${INIT_LABELS[v.init]} initialisation`
        + `${v.init === "kaiming" ? ` (gain ${fmt(GAINS[v.act], 3)})` : ""}, normalisation ${NORM_LABELS[v.norm]}, ${when}: `
        + `test accuracy ${fmt(stats.acc, 2)}; the first hidden layer's median gradient is ${gradRatio.toExponential(1)} times the last one's; `
        + `on average ${fmt(meanShare * 100, 1)} % of the units are ${v.act === "relu" ? "dead" : "saturated"}.`;
    }
    code.update();
  }

  const code = asCode(() => pythonLines(v), colab, "The same experiment with the course's package, in Python, on the same "
    + "digits: its initial weights and batches come from torch's generator, not this figure's, so the numbers differ a little.");
  const { box } = controls(SPECS, v, (key, value) => {
    v[key] = value; writeParams(prefix, SPECS, v); play.set(false); guard(status, desc, build); draw(true);
  });
  const play = player({ tick, step: () => trainSteps(1), reset: () => guard(status, desc, build), draw });
  for (const canvas of Object.values(canvases)) canvas.setAttribute("aria-describedby", desc.id);
  const figure = (canvas, caption) => el("figure", {}, canvas, el("figcaption", { class: "pg-legend", text: caption }));
  root.append(problemBox(problems), box, play.box, status,
    el("div", { class: "pg-figures" },
      figure(canvases.act, "Activations a per layer"), figure(canvases.grad, "Gradients: log10 |dL/da| per layer"),
      figure(canvases.share, ""),
      figure(canvases.update, "Update-to-data ratio per layer (log10)"), figure(canvases.acc, "Test accuracy")),
    legend, desc, el("p", { class: "pg-own", text: OWN_DRAWS }), code.box);
  status.textContent = "loading the digits…";
  const url = new URL("digits.bin", import.meta.url);
  return fetch(url).then((r) => {
    if (!r.ok) throw new Error(`could not load ${url.pathname} (HTTP ${r.status})`);
    return r.arrayBuffer();
  }).then((buffer) => {
    data = decodeDigits(buffer);
    guard(status, desc, build);
    // the first drawing in a task of its own: the page stays responsive while it loads
    return new Promise((resolve) => setTimeout(resolve, 0));
  }).then(() => {
    if (v.steps) {
      const t0 = performance.now();
      trainSteps(v.steps);
      status.dataset.stepsPerSecond = v.steps / ((performance.now() - t0) / 1000);
    }
    draw(true);
  });
}

/** Per-layer bands: x = hidden layer, light 5-95 %, dark 25-75 %, a dot at the median,
 * and `ref` (the medians at initialisation) dashed. */
function bands(canvas, rows, ref, c, { yLabel, range = null }) {
  const { ctx, w, h } = fit(canvas, 0.6);
  ctx.fillStyle = c.bg; ctx.fillRect(0, 0, w, h);
  const pad = { l: 44, r: 8, t: 18, b: 28 };
  const all = [...rows.flat(), ...ref, ...(range || [])].filter(Number.isFinite);
  let lo = Math.min(...all), hi = Math.max(...all);
  if (hi - lo < 1e-9) { hi += 0.5; lo -= 0.5; }
  const n = rows.length, X = (i) => pad.l + ((w - pad.l - pad.r) * (i + 0.5)) / n;
  const Y = (val) => pad.t + (h - pad.t - pad.b) * (1 - (val - lo) / (hi - lo));
  ctx.font = "11px sans-serif"; ctx.strokeStyle = c.axis; ctx.fillStyle = c.text; ctx.lineWidth = 1;
  ctx.beginPath(); ctx.moveTo(pad.l, pad.t); ctx.lineTo(pad.l, h - pad.b); ctx.lineTo(w - pad.r, h - pad.b); ctx.stroke();
  for (const t of [lo, (lo + hi) / 2, hi]) ctx.fillText(t.toFixed(2), 2, Y(t) + 4);
  ctx.fillText(yLabel, pad.l + 4, 12);
  ctx.fillText("hidden layer", w / 2 - 30, h - 8);
  const bar = Math.max(3, Math.min(18, (w - pad.l - pad.r) / n - 4));
  rows.forEach((q, i) => {
    const x = X(i);
    ctx.globalAlpha = 0.35; ctx.fillStyle = c.blue; ctx.fillRect(x - bar / 2, Y(q[4]), bar, Math.max(1, Y(q[0]) - Y(q[4])));
    ctx.globalAlpha = 1; ctx.fillRect(x - bar / 4, Y(q[3]), bar / 2, Math.max(1, Y(q[1]) - Y(q[3])));
    ctx.fillStyle = c.orange; ctx.beginPath(); ctx.arc(x, Y(q[2]), 3, 0, 7); ctx.fill();
    if (n <= 12 || i % 2 === 0) { ctx.fillStyle = c.text; ctx.fillText(String(i + 1), x - 3, h - pad.b + 12); }
  });
  ctx.strokeStyle = c.mark; ctx.setLineDash([4, 3]); ctx.lineWidth = 1.5; ctx.beginPath();
  ref.forEach((m, i) => (i ? ctx.lineTo(X(i), Y(m)) : ctx.moveTo(X(i), Y(m)))); ctx.stroke(); ctx.setLineDash([]);
}

/** The nc lines that run the widget's experiment in Python. */
export function pythonLines(v) {
  const lines = ["import nonlin_course as nc", "",
    "digits = nc.train_test(*nc.digits())",
    `sizes = [64] + [${v.width}] * ${v.depth} + [10]`,
    `(model,) = nc.init_models(sizes, ["${v.act}"], [${v.seed}], norm="${v.norm}")`];
  if (v.init !== "default") lines.push(`nc.init_deep(model, "${v.init}", "${v.act}")   # Kaiming's gain: torch.nn.init.calculate_gain("${v.act}")`);
  return [...lines,
    "print(nc.layer_signals(model.train(), digits.X_train[:512], digits.y_train[:512]))   # per layer, now",
    `history = nc.train_classifier(model, digits, epochs=${EPOCHS}, lr=${v.lr}, seed=${v.seed})   # AdamW, batches of 32`,
    "print(history.tail(1))",
    "print(nc.layer_signals(model.train(), digits.X_train[:512], digits.y_train[:512]))   # per layer, trained",
    "# the update-to-data ratio per layer and step: nc.train_batched(sizes, ..., record_updates=True).updates"].join("\n");
}
