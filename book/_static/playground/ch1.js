// Chapter 1's widget: a classifier trained live on a 2-D data set, its decision regions,
// loss curves and test accuracy; for ReLU networks, its linear regions and their count.
import { ACTIVATION_NAMES, MLP, Trainer, evaluate } from "./engine.js";
import { DATASETS, makeData } from "./data.js";
import { asCode, controls, el, every, fit, fmt, guard, lineChart, parseParams, player, problemBox, writeParams } from "./ui.js";

const ACT_LABELS = { identity: "none (linear)", relu: "ReLU", tanh: "tanh", sigmoid: "sigmoid", leakyrelu: "LeakyReLU",
  gelu: "GELU", elu: "ELU", selu: "SELU", silu: "SiLU" };
const LRS = [1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1];
export const SPECS = [
  { key: "data", label: "Data set", kind: "select", def: "moons", options: DATASETS.map((d) => ({ value: d })) },
  { key: "layers", label: "Hidden layers", kind: "int", min: 0, max: 8, def: 1 },
  { key: "width", label: "Units per layer", kind: "int", min: 1, max: 16, def: 10 },
  { key: "act", label: "Activation", kind: "select", def: "relu",
    options: ACTIVATION_NAMES.map((a) => ({ value: a === "identity" ? "none" : a, label: ACT_LABELS[a] })) },
  { key: "lr", label: "Learning rate", kind: "select", def: 1e-3, options: LRS.map((v) => ({ value: v })) },
  { key: "seed", label: "Seed (weights, batches)", kind: "int", min: 0, max: 9999, def: 0 },
  { key: "regions", label: "Show linear regions (ReLU, LeakyReLU, none)", kind: "check", def: false },
  { key: "steps", kind: "int", min: 0, max: 100000, def: 0, urlOnly: true },
  { key: "bench", kind: "int", min: 0, max: 1000, def: 0, urlOnly: true },
];
const POINTS = { moons: 10000, circles: 1000, xor: 1000, spiral: 1000 };   // moons, circles: as in chapter 1
const GRID = 56;
const MEASURE_EVERY = 100;     // steps between points of the loss curves (doubled as they fill)
const FRAME_BUDGET_MS = 10;     // training time per animation frame while playing
const BLUE = [46, 104, 176], ORANGE = [222, 124, 32];
export const EPOCHS = 50;       // chapter 1's budget
// activations whose networks are piecewise linear, with a kink where a pre-activation is 0
export const PIECEWISE = ["relu", "leakyrelu", "none"];
const WHY_PIECEWISE = "Linear regions exist for piecewise-linear activations only (ReLU, LeakyReLU, or none): "
  + "tanh, sigmoid, GELU, ELU, SELU and SiLU are curved everywhere, so their networks have no linear pieces to colour.";
const LEGEND = { classes: "Dots: training points; ringed dots: test points (blue class 0, orange class 1); × marks a misclassified test point. "
  + "Shading: the class the network predicts, darker where it is surer; black line: the decision boundary.",
regions: "Colours: the linear regions, one colour for each on/off pattern of the hidden units (on each the network is one affine map); "
  + "black line: the decision boundary; dots and × as without regions: points, test points, misclassified test points." };
const OWN_DRAWS = "This figure draws its own data points and initial weights with its own generator, not NumPy's or torch's: "
  + `its seeds are not the chapter's. The chapter trains for ${EPOCHS} epochs (the dashed line).`;

const SPEAK_MS = 5000;   // a playing figure updates its spoken description at most this often

export function mount(root, prefix = "c1", { colab = "" } = {}) {
  const { values: v, problems } = parseParams(prefix, SPECS);
  const speak = every(SPEAK_MS);
  let data, net, run, history, view, regionCount = null, testStats = null;

  const status = el("p", { class: "pg-status", "aria-live": "off" });
  const desc = el("p", { class: "pg-desc", "aria-live": "polite" });
  const plane = el("canvas", { class: "pg-plane", role: "img", tabindex: "0" });
  const losses = el("canvas", { class: "pg-chart", role: "img", "aria-label": `Training and test loss against epochs, the chapter's ${EPOCHS} epochs dashed` });

  function build() {
    data = makeData(v.data, POINTS[v.data], 0);      // one data set for every seed, as in the chapter
    const act = v.act === "none" ? "identity" : v.act;
    net = new MLP([2, ...Array(v.layers).fill(v.width), 2], act).init(v.seed);
    run = new Trainer(net, data.train, { loss: "ce", optimizer: "adamw", lr: v.lr, batchSize: 32, seed: v.seed });
    history = { train: [], test: [], every: 1, acc: [] };
    trainLossSum = 0; trainLossN = 0;
    measure();
  }
  let trainLossSum = 0, trainLossN = 0;

  function measure() {
    testStats = evaluate(net, data.test.X, data.test.y);
    const trainMean = trainLossN ? trainLossSum / trainLossN : evaluate(net, data.train.X, data.train.y).loss;
    trainLossSum = 0; trainLossN = 0;
    history.train.push(trainMean); history.test.push(testStats.loss);
    if (history.train.length > 400) {      // keep the curves short: every other point
      history.train = history.train.filter((_, i) => i % 2 === 0);
      history.test = history.test.filter((_, i) => i % 2 === 0);
      history.every *= 2;
    }
  }
  let sinceMeasure = 0;
  function trainSteps(n) {
    for (let i = 0; i < n; i++) {
      trainLossSum += run.step(); trainLossN += 1;
      if (++sinceMeasure >= MEASURE_EVERY * history.every) { measure(); sinceMeasure = 0; }
    }
  }
  function tick(budgetMs) {
    const start = performance.now();
    let n = 0;
    do { trainSteps(10); n += 10; } while (performance.now() - start < budgetMs && n < 2000);
  }

  const draw = (final = false) => guard(status, desc, () => drawAll(final));
  function drawAll(final) {
    testStats = evaluate(net, data.test.X, data.test.y);
    drawPlane();
    const perPoint = (MEASURE_EVERY * history.every) / (data.train.y.length / 32), epoch = run.epoch;
    lineChart(losses, [{ values: history.train, x: (i) => i * perPoint, colour: "blue", label: "train loss" },
      { values: history.test, x: (i) => i * perPoint, colour: "orange", label: "test loss", dash: [6, 3] }],
    { xLabel: "epochs", yLabel: "mean cross-entropy", xMax: Math.max(EPOCHS, epoch), marks: [{ at: EPOCHS, label: `chapter's ${EPOCHS}` }] });
    legend.textContent = regionCount !== null ? LEGEND.regions : LEGEND.classes;
    status.textContent = `step ${run.steps} · epoch ${fmt(epoch, 1)} (the chapter trains ${EPOCHS}) · test accuracy ${fmt(testStats.acc)} · test loss ${fmt(testStats.loss)}`
      + (regionCount !== null ? ` · ${regionCount} linear regions in view` : "");
    status.dataset.steps = run.steps;
    status.dataset.testAcc = testStats.acc;
    status.dataset.testLoss = testStats.loss;
    status.dataset.regions = regionCount ?? "";
    status.dataset.epoch = epoch;
    if (final || speak()) describe();
    code.update();
  }

  function describe() {
    const act = ACT_LABELS[v.act === "none" ? "identity" : v.act];
    desc.textContent = `A network with ${v.layers} hidden layer${v.layers === 1 ? "" : "s"} of ${v.width} units and ${act} activation, `
      + `trained on ${v.data} for ${run.steps} steps, classifies ${Math.round(testStats.acc * 100)} % of the test points correctly. `
      + (v.layers === 0 || v.act === "none" ? "Without a non-linear activation its boundary is one straight line."
        : "Its boundary can bend to follow the data.")
      + (regionCount !== null ? ` The plane is cut into ${regionCount} linear pieces.` : "")
      + (v.regions && regionCount === null ? ` ${WHY_PIECEWISE}` : "");
    plane.setAttribute("aria-label", `Decision regions and data points. ${desc.textContent}`);
  }

  function drawPlane() {
    const { ctx, w, h } = fit(plane, 1);
    const [x0, x1, y0, y1] = data.bounds;
    const grid = new Float64Array(GRID * GRID * 2);
    for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
      grid[2 * (j * GRID + i)] = x0 + ((i + 0.5) / GRID) * (x1 - x0);
      grid[2 * (j * GRID + i) + 1] = y1 - ((j + 0.5) / GRID) * (y1 - y0);
    }
    const img = ctx.createImageData(GRID, GRID);
    const showRegions = v.regions && PIECEWISE.includes(v.act);
    if (showRegions) {
      const keys = v.act === "none" ? new Array(GRID * GRID).fill("") : net.patterns(grid, GRID * GRID), ids = new Map();
      keys.forEach((k, p) => {
        if (!ids.has(k)) ids.set(k, ids.size);
        const hue = (ids.get(k) * 137.508) % 360, [r, g, b] = hsl(hue, 0.55, 0.78);
        img.data.set([r, g, b, 255], 4 * p);
      });
      regionCount = ids.size;
    } else {
      regionCount = null;
      const out = net.predict(grid, GRID * GRID);
      for (let p = 0; p < GRID * GRID; p++) {
        const q = 1 / (1 + Math.exp(out[2 * p] - out[2 * p + 1]));      // P(class 1)
        const c = q > 0.5 ? ORANGE : BLUE, s = Math.min(1, Math.abs(q - 0.5) * 2) * 0.45 + 0.12;
        img.data.set([255 - (255 - c[0]) * s, 255 - (255 - c[1]) * s, 255 - (255 - c[2]) * s, 255], 4 * p);
      }
    }
    const off = new OffscreenOrCanvas(GRID, GRID);
    off.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = !showRegions;
    ctx.drawImage(off, 0, 0, w, h);
    const px = (x) => ((x - x0) / (x1 - x0)) * w, py = (y) => ((y1 - y) / (y1 - y0)) * h;
    ctx.drawImage(pointsLayer(w, h, px, py), 0, 0, w, h);
    drawBoundary(ctx, grid, w, h);
    const te = data.test, logits = testStats.logits;
    ctx.strokeStyle = "#111"; ctx.lineWidth = 1.6; ctx.beginPath();
    for (let r = 0; r < te.y.length; r++) {
      if ((logits[2 * r + 1] > logits[2 * r] ? 1 : 0) === te.y[r]) continue;
      const x = px(te.X[2 * r]), y = py(te.X[2 * r + 1]);
      ctx.moveTo(x - 4, y - 4); ctx.lineTo(x + 4, y + 4); ctx.moveTo(x + 4, y - 4); ctx.lineTo(x - 4, y + 4);
    }
    ctx.stroke();
  }

  // the decision boundary: where the predicted class changes between neighbouring grid cells
  function drawBoundary(ctx, grid, w, h) {
    const out = net.predict(grid, GRID * GRID), cls = (i, j) => (out[2 * (j * GRID + i) + 1] > out[2 * (j * GRID + i)] ? 1 : 0);
    const cw = w / GRID, ch = h / GRID;
    ctx.strokeStyle = "#111"; ctx.lineWidth = 2; ctx.beginPath();
    for (let j = 0; j < GRID; j++) for (let i = 0; i < GRID; i++) {
      if (i + 1 < GRID && cls(i, j) !== cls(i + 1, j)) { ctx.moveTo((i + 1) * cw, j * ch); ctx.lineTo((i + 1) * cw, (j + 1) * ch); }
      if (j + 1 < GRID && cls(i, j) !== cls(i, j + 1)) { ctx.moveTo(i * cw, (j + 1) * ch); ctx.lineTo((i + 1) * cw, (j + 1) * ch); }
    }
    ctx.stroke();
  }

  let layer = null;
  function pointsLayer(w, h, px, py) {   // the data points never move: drawn once per data set and size
    if (layer && layer.data === data && layer.w === w) return layer.canvas;
    const r0 = (typeof devicePixelRatio === "number" && devicePixelRatio) || 1;
    const canvas = new OffscreenOrCanvas(Math.round(w * r0), Math.round(h * r0)), ctx = canvas.getContext("2d");
    ctx.scale(r0, r0);
    const train = data.train, step = Math.max(1, Math.floor(train.y.length / 3000));   // at most 3 000 training dots
    for (const cls of [0, 1]) {
      ctx.fillStyle = `rgb(${cls ? ORANGE : BLUE})`;
      for (let r = 0; r < train.y.length; r += step) if (train.y[r] === cls) ctx.fillRect(px(train.X[2 * r]) - 1, py(train.X[2 * r + 1]) - 1, 2, 2);
    }
    const te = data.test;
    ctx.strokeStyle = "rgba(0, 0, 0, 0.6)"; ctx.lineWidth = 0.8;
    for (const cls of [0, 1]) {
      ctx.fillStyle = `rgb(${cls ? ORANGE : BLUE})`;
      ctx.beginPath();
      for (let r = 0; r < te.y.length; r++) {
        if (te.y[r] !== cls) continue;
        const x = px(te.X[2 * r]), y = py(te.X[2 * r + 1]);
        ctx.moveTo(x + 3, y); ctx.arc(x, y, 3, 0, 2 * Math.PI);
      }
      ctx.fill(); ctx.stroke();
    }
    layer = { data, w, canvas };
    return canvas;
  }

  const code = asCode(() => pythonLines(v), colab, "The same experiment with the course's package, in Python: its data "
    + "and initial weights come from NumPy's and torch's generators, not this figure's, so the numbers differ a little.");
  const why = el("p", { class: "pg-why", id: `${prefix}-why-regions` });
  const { box, inputs } = controls(SPECS, v, (key, value) => {
    v[key] = value;
    writeParams(prefix, SPECS, v);
    regionsAllowed();
    if (key !== "regions") { play.set(false); guard(status, desc, build); }
    draw(true);
  });
  // the checkbox stays usable (its state is kept in the URL); where there are no pieces it says why
  const regionsAllowed = () => { why.textContent = PIECEWISE.includes(v.act) ? "" : WHY_PIECEWISE; };
  inputs.regions.parentNode.append(why);
  inputs.regions.setAttribute("aria-describedby", why.id);
  const play = player({ tick, step: () => trainSteps(1), reset: () => guard(status, desc, build), draw });
  const legend = el("p", { class: "pg-legend", text: LEGEND.classes });
  root.append(problemBox(problems), box, play.box, status,
    el("div", { class: "pg-figures" }, el("figure", {}, plane, legend), el("figure", {}, losses)), desc,
    el("p", { class: "pg-own", text: OWN_DRAWS }), code.box);
  regionsAllowed();
  guard(status, desc, build);
  const t0 = performance.now();
  if (v.steps) trainSteps(v.steps);
  const trainMs = performance.now() - t0;
  draw(true);
  if (v.steps && run) status.dataset.stepsPerSecond = v.steps / (trainMs / 1000);
  if (v.bench) bench(v.bench);

  function bench(frames) {
    // Play `frames` animation frames back to back, synchronously: each trains for the
    // loop's budget and redraws, as when playing. Real time (not the browser's frame
    // pacing): steps per frame, and the frame time the training and drawing need.
    const steps0 = run.steps, t0 = performance.now();
    let drawMs = 0;
    for (let f = 0; f < frames; f++) {
      tick(FRAME_BUDGET_MS);
      const d = performance.now();
      draw();
      drawMs += performance.now() - d;
    }
    const ms = performance.now() - t0, steps = run.steps - steps0;
    Object.assign(status.dataset, { benchFrames: frames, benchStepsPerFrame: steps / frames,
      benchMsPerFrame: ms / frames, benchDrawMsPerFrame: drawMs / frames,
      benchTrainStepsPerSecond: steps / ((ms - drawMs) / 1000) });
  }
}

/** The nc lines that run the widget's experiment in Python. */
export function pythonLines(v) {
  const sizes = [2, ...Array(v.layers).fill(v.width), 2].join(", "), act = v.act === "none" ? "identity" : v.act;
  const data = { moons: "nc.moons(n_samples=10_000, noise=0.2, seed=10)", circles: "nc.circles(n_samples=1000, factor=0.5, noise=0.1, seed=0)" }[v.data];
  const lines = ["import torch", "import nonlin_course as nc", ""];
  if (data) lines.push(`split = nc.train_test(*${data})`);
  else lines.push(`# the package has no "${v.data}" data set: moons shown instead`, "split = nc.train_test(*nc.moons(n_samples=10_000, noise=0.2, seed=10))");
  return [...lines, `torch.manual_seed(${v.seed})`, `model = nc.mlp([${sizes}], "${act}")`,
    `history = nc.train_classifier(model, split, epochs=${EPOCHS}, lr=${v.lr}, optimizer="adamw", seed=${v.seed})`,
    "print(history.tail(1))   # train and test loss, test accuracy after the last epoch"].join("\n");
}

function OffscreenOrCanvas(w, h) {
  if (typeof OffscreenCanvas === "function") return new OffscreenCanvas(w, h);
  return Object.assign(document.createElement("canvas"), { width: w, height: h });
}

function hsl(h, s, l) {
  const a = s * Math.min(l, 1 - l), f = (n) => { const k = (n + h / 30) % 12; return l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1)); };
  return [f(0), f(8), f(4)].map((x) => Math.round(x * 255));
}
