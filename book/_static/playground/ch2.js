// Chapter 2's widget: a deep, narrow network on the circles, with the mean |gradient| of
// each layer's weights on a log scale next to its accuracy.
import { MLP, Trainer, evaluate } from "./engine.js";
import { makeData } from "./data.js";
import { controls, el, every, fmt, lineChart, parseParams, player, problemBox, sci, writeParams } from "./ui.js";

const ACTS = ["sigmoid", "tanh", "relu", "leakyrelu", "elu", "selu", "gelu", "silu"];
const LRS = [1e-4, 1e-3, 1e-2];
export const SPECS = [
  { key: "depth", label: "Hidden layers", kind: "int", min: 1, max: 8, def: 4 },
  { key: "width", label: "Units per layer", kind: "int", min: 1, max: 16, def: 5 },
  { key: "act", label: "Activation", kind: "select", def: "sigmoid", options: ACTS.map((a) => ({ value: a })) },
  { key: "init", label: "Initialisation", kind: "select", def: "default",
    options: [{ value: "default", label: "default (torch)" }, { value: "kaiming", label: "Kaiming (He)" }, { value: "xavier", label: "Xavier (Glorot)" }] },
  { key: "lr", label: "Learning rate (Adam)", kind: "select", def: 1e-4, options: LRS.map((v) => ({ value: v })) },
  { key: "seed", label: "Seed (weights, batches)", kind: "int", min: 0, max: 9999, def: 0 },
  { key: "steps", kind: "int", min: 0, max: 100000, def: 0, urlOnly: true },
];
const RECENT = 0.98;          // the live curve: an exponential average over about 50 steps

const SPEAK_MS = 5000;   // a playing figure updates its spoken description at most this often

export function mount(root, prefix = "c2") {
  const { values: v, problems } = parseParams(prefix, SPECS);
  const speak = every(SPEAK_MS);
  const data = makeData("circles", 1000, 0);
  let net, run, recent, acc = [], stats;
  const status = el("p", { class: "pg-status" });
  const desc = el("p", { class: "pg-desc", "aria-live": "polite" });
  const grads = el("canvas", { class: "pg-chart", role: "img" });
  const accuracy = el("canvas", { class: "pg-chart", role: "img", "aria-label": "Test accuracy against steps" });

  function build() {
    net = new MLP([2, ...Array(v.depth).fill(v.width), 1], v.act).init(v.seed, v.init);
    run = new Trainer(net, data.train, { loss: "bce", optimizer: "adam", lr: v.lr, batchSize: 32, seed: v.seed });
    recent = null; acc = [];
    stats = evaluate(net, data.test.X, data.test.y, "bce");
    acc.push(stats.acc);
  }
  function trainSteps(n) {
    for (let i = 0; i < n; i++) {
      run.step();
      const g = run.lastGrads;
      recent = recent ? recent.map((r, l) => RECENT * r + (1 - RECENT) * g[l]) : Array.from(g);
      if (run.steps % 25 === 0) {
        stats = evaluate(net, data.test.X, data.test.y, "bce");
        acc.push(stats.acc);
        if (acc.length > 400) acc = acc.filter((_, k) => k % 2 === 0);
      }
    }
  }
  function tick(budgetMs) {
    const start = performance.now();
    do trainSteps(5); while (performance.now() - start < budgetMs);
  }
  function draw(final = false) {
    stats = evaluate(net, data.test.X, data.test.y, "bce");
    const mean = run.gradMeans(), ratio = mean[0] / mean[mean.length - 1];
    const series = [{ values: mean, colour: "#2e68b0", label: "mean over all steps", dots: true }];
    if (recent) series.push({ values: recent, colour: "#de7c20", label: "last ~50 steps", dots: true });
    lineChart(grads, series, { log: true, xLabel: "layer (1 = input side)", yLabel: "mean |gradient| of weights", aspect: 0.6 });
    lineChart(accuracy, [{ values: acc, colour: "#2e68b0", label: "test accuracy" }], { xLabel: "steps", yLabel: "test accuracy", aspect: 0.6 });
    status.textContent = `step ${run.steps} · test accuracy ${fmt(stats.acc)} · first / last layer gradient ${run.steps ? sci(ratio) : "–"}`;
    Object.assign(status.dataset, { steps: run.steps, testAcc: stats.acc, ratio: run.steps ? ratio : "", grads: mean.join(" ") });
    if (final || speak()) {
      desc.textContent = `${v.depth} hidden layers of ${v.width} ${v.act} units, ${v.init} initialisation, after ${run.steps} steps: `
        + `the first layer's weights get ${run.steps ? sci(ratio) : "no"} times the gradient of the last layer's; `
        + `test accuracy ${fmt(stats.acc, 2)}.`;
      grads.setAttribute("aria-label", `Mean absolute gradient per layer, log scale. ${desc.textContent}`);
    }
  }
  const { box } = controls(SPECS, v, (key, value) => {
    v[key] = value; writeParams(prefix, SPECS, v); play.set(false); build(); draw(true);
  });
  const play = player({ tick, step: () => trainSteps(1), reset: build, draw });
  root.append(problemBox(problems), box, play.box, status,
    el("div", { class: "pg-figures" }, el("figure", {}, grads), el("figure", {}, accuracy)), desc);
  build();
  if (v.steps) trainSteps(v.steps);
  draw(true);
}
