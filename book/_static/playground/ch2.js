// Chapter 2's widget: a deep, narrow network on the circles, with the mean |gradient| of
// each layer's weights on a log scale next to its accuracy.
import { GAINS, MAX_HIDDEN, MLP, Trainer, evaluate } from "./engine.js";
import { makeData } from "./data.js";
import { asCode, controls, el, every, fmt, guard, lineChart, parseParams, player, problemBox, sci, writeParams } from "./ui.js";

const ACTS = ["sigmoid", "tanh", "relu", "leakyrelu", "elu", "selu", "gelu", "silu"];
const LRS = [1e-4, 1e-3, 1e-2];
export const SPECS = [
  { key: "depth", label: "Hidden layers", kind: "int", min: 1, max: MAX_HIDDEN, def: 4 },
  { key: "width", label: "Units per layer", kind: "int", min: 1, max: 16, def: 5 },
  { key: "act", label: "Activation", kind: "select", def: "sigmoid", options: ACTS.map((a) => ({ value: a })) },
  { key: "init", label: "Initialisation", kind: "select", def: "default",
    options: [{ value: "default", label: "default (torch)" }, { value: "kaiming", label: "Kaiming (He)" }, { value: "xavier", label: "Xavier (Glorot)" }] },
  { key: "lr", label: "Learning rate (Adam)", kind: "select", def: 1e-4, options: LRS.map((v) => ({ value: v })) },
  { key: "seed", label: "Seed (weights, batches)", kind: "int", min: 0, max: 9999, def: 0 },
  { key: "steps", kind: "int", min: 0, max: 100000, def: 0, urlOnly: true },
];
const RECENT = 0.98;          // the live curve: an exponential average over about 50 steps
export const EPOCHS = 300;    // chapter 2's budget
const ACC_EVERY = 25;         // steps between points of the accuracy curve
const OWN_DRAWS = `This figure draws its own circles and initial weights (not the chapter's), and Play stops once at the `
  + `chapter's ${EPOCHS} epochs (dashed line; play again to go on). At that mark its sigmoid network stays near chance, `
  + "as in the chapter: below 60 % on seeds 0 to 4, though some seeds end a few points above the chapter's 50 %.";

const MAX_TICK = 2000;
const SPEAK_MS = 5000;   // a playing figure updates its spoken description at most this often

export function mount(root, prefix = "c2", { colab = "" } = {}) {
  const { values: v, problems } = parseParams(prefix, SPECS);
  const speak = every(SPEAK_MS);
  const data = makeData("circles", 1000, 0);
  const stepsPerEpoch = Math.ceil(data.train.y.length / 32);
  let net, run, recent, acc = [], stats, start = [];
  const status = el("p", { class: "pg-status" });
  const desc = el("p", { class: "pg-desc", "aria-live": "polite" });
  const grads = el("canvas", { class: "pg-chart", role: "img", "aria-label": "Mean absolute gradient per layer, log scale" });
  const accuracy = el("canvas", { class: "pg-chart", role: "img", "aria-label": `Test accuracy against epochs, the chapter's ${EPOCHS} epochs dashed` });

  function build() {
    net = new MLP([2, ...Array(v.depth).fill(v.width), 1], v.act).init(v.seed, v.init, GAINS[v.act] ?? Math.SQRT2);   // as nc.initialise
    run = new Trainer(net, data.train, { loss: "bce", optimizer: "adam", lr: v.lr, batchSize: 32, seed: v.seed });
    recent = null; acc = [];
    // the gradient each layer gets on the whole training set before the first step
    net.lossAndGrad(data.train.X, data.train.y, Array.from(data.train.y, (_, i) => i), "bce");
    start = net.gradMeans();
    stats = evaluate(net, data.test.X, data.test.y, "bce");
    acc.push(stats.acc);
  }
  function trainSteps(n) {
    for (let i = 0; i < n; i++) {
      run.step();
      const g = run.lastGrads;
      recent = recent ? recent.map((r, l) => RECENT * r + (1 - RECENT) * g[l]) : Array.from(g);
      if (run.steps % ACC_EVERY === 0) {
        stats = evaluate(net, data.test.X, data.test.y, "bce");
        acc.push(stats.acc);
      }
      if (run.steps === EPOCHS * stepsPerEpoch && play.isPlaying()) { play.set(false); break; }
    }
  }
  function tick(budgetMs) {
    const t0 = performance.now();
    let n = 0;     // at most MAX_TICK steps a frame, whatever the clock says
    do { trainSteps(5); n += 5; } while (performance.now() - t0 < budgetMs && play.isPlaying() && n < MAX_TICK);
  }
  const draw = (final = false) => guard(status, desc, () => drawAll(final));
  function drawAll(final) {
    stats = evaluate(net, data.test.X, data.test.y, "bce");
    const trained = run.steps > 0, mean = trained ? run.gradMeans() : start;
    const ratio = mean[0] / mean[mean.length - 1], epoch = run.steps / stepsPerEpoch;
    const series = [{ values: start, colour: "target", label: "at initialisation", dots: true, dash: [4, 3] }];
    if (trained) series.push({ values: mean, colour: "blue", label: "mean over all steps", dots: true });
    if (recent) series.push({ values: recent, colour: "orange", label: "last ~50 steps", dots: true });
    lineChart(grads, series, { log: true, xLabel: "layer (1 = input side)", yLabel: "mean |gradient| of weights", aspect: 0.6 });
    const perEpoch = ACC_EVERY / stepsPerEpoch;
    lineChart(accuracy, [{ values: acc, x: (i) => i * perEpoch, colour: "blue", label: "test accuracy" }],
      { xLabel: "epochs", yLabel: "test accuracy", aspect: 0.6, xMax: Math.max(EPOCHS, epoch), yRange: [0.4, 1],
        marks: [{ at: EPOCHS, label: `chapter's ${EPOCHS}` }] });
    status.textContent = `step ${run.steps} · epoch ${fmt(epoch, 1)} (the chapter trains ${EPOCHS}) · test accuracy ${fmt(stats.acc)} · `
      + `first / last layer gradient ${sci(ratio)}${trained ? "" : " (at initialisation)"}`;
    Object.assign(status.dataset, { steps: run.steps, epoch, testAcc: stats.acc, ratio, startRatio: start[0] / start[start.length - 1],
      grads: mean.join(" ") });
    if (final || speak()) {
      const when = trained ? `after ${run.steps} steps (${fmt(epoch, 1)} epochs)` : "at initialisation, before the first step";
      desc.textContent = `${v.depth} hidden layers of ${v.width} ${v.act} units, ${v.init} initialisation, ${when}: `
        + `the first layer's weights get ${sci(ratio)} times the gradient of the last layer's; test accuracy ${fmt(stats.acc, 2)}.`;
      grads.setAttribute("aria-label", `Mean absolute gradient per layer, log scale. ${desc.textContent}`);
    }
    code.update();
  }
  const code = asCode(() => pythonLines(v), colab, "The same experiment with the course's package, in Python: its data "
    + "and initial weights come from NumPy's and torch's generators, not this figure's, so the numbers differ a little.");
  const { box } = controls(SPECS, v, (key, value) => {
    v[key] = value; writeParams(prefix, SPECS, v); play.set(false); guard(status, desc, build); draw(true);
  });
  const play = player({ tick, step: () => trainSteps(1), reset: () => guard(status, desc, build), draw });
  root.append(problemBox(problems), box, play.box, status,
    el("div", { class: "pg-figures" }, el("figure", {}, grads), el("figure", {}, accuracy)), desc,
    el("p", { class: "pg-own", text: OWN_DRAWS }), code.box);
  guard(status, desc, build);
  const t0 = performance.now();
  if (v.steps) trainSteps(v.steps);
  const trainMs = performance.now() - t0;
  draw(true);
  if (v.steps && run) status.dataset.stepsPerSecond = v.steps / (trainMs / 1000);
}

/** The nc lines that run the widget's experiment in Python. */
export function pythonLines(v) {
  const sizes = [2, ...Array(v.depth).fill(v.width), 1].join(", ");
  return ["import nonlin_course as nc", "",
    "circles = nc.train_test(*nc.circles(1000, seed=0))",
    `run = nc.train_batched([${sizes}], ["${v.act}"], [${v.seed}], circles, epochs=${EPOCHS},`,
    `                       lr=${v.lr}, init="${v.init}", optimizer="adam", loss="bce")`,
    "print(run.history.tail(1))                       # test accuracy after the last epoch",
    "print(run.grads.groupby(\"layer\").value.mean())  # mean |gradient| per layer"].join("\n");
}
