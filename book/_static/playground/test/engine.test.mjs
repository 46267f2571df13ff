// The engine against the package: `make test-js` exports reference runs of
// nc.train_classifier (tools/export_playground_fixture.py, float64) into the file named
// by PLAYGROUND_FIXTURE, and every run is replayed here step for step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ACTIVATIONS, GAINS, MAX_HIDDEN, MAX_WIDTH, MLP, NORMS, Trainer, erf, evaluate, rng, updateRatio } from "../engine.js";
import { makeData } from "../data.js";

const TOLERANCE = 1e-6;   // relative, on every step's loss
const WEIGHTS = 1e-6;     // absolute, on every final weight, scale, shift and running average
const fixturePath = process.env.PLAYGROUND_FIXTURE;

function relative(a, b) {
  return Math.abs(a - b) / Math.max(Math.abs(b), 1e-12);
}

if (fixturePath) {
  const fixture = JSON.parse(readFileSync(fixturePath, "utf8"));
  const X = Float64Array.from(fixture.X), y = Int32Array.from(fixture.y);
  const worst = {};
  for (const c of fixture.cases) {
    test(`${c.name}: 200 losses match nc.train_classifier`, () => {
      const net = new MLP(c.sizes, c.act, c.norm ?? "none").setWeights(c.weights, c.biases);
      const run = new Trainer(net, { X, y }, { loss: c.loss, optimizer: c.optimizer, lr: c.lr,
        momentum: c.momentum, order: c.order });
      let maxRel = 0;
      c.losses.forEach((expected, step) => {
        const got = run.step();
        const rel = relative(got, expected);
        maxRel = Math.max(maxRel, rel);
        assert.ok(rel < TOLERANCE, `step ${step + 1}: engine ${got}, package ${expected} (relative ${rel.toExponential(2)})`);
      });
      let maxW = 0;
      const gap = (got, want) => want.forEach((w, l) => w.forEach((v, i) => { maxW = Math.max(maxW, Math.abs(got[l][i] - v)); }));
      gap(net.W, c.final_weights);
      if (c.norm) {
        gap(net.gamma, c.final_gamma); gap(net.beta, c.final_beta);
        if (c.norm === "batchnorm") { gap(net.runMean, c.running_mean); gap(net.runVar, c.running_var); }
      }
      const evalRel = c.norm ? relative(evaluate(net, X, y, c.loss).loss, c.eval_loss) : 0;
      worst[c.name] = { maxRel, maxW, evalRel };
      assert.ok(maxW < WEIGHTS, `final weights (or norm parameters) differ by ${maxW}`);
      assert.ok(evalRel < TOLERANCE, `loss in evaluation mode differs by ${evalRel} (relative)`);
    });
  }
  test("every activation and every norm the engine offers is in the fixture", () => {
    const covered = new Set(fixture.cases.map((c) => c.act));
    for (const name of Object.keys(ACTIVATIONS)) assert.ok(covered.has(name), `${name} not tested`);
    const norms = new Set(fixture.cases.map((c) => c.norm ?? "none"));
    for (const name of NORMS) assert.ok(norms.has(name), `${name} not tested`);
  });
  test("report", () => {
    for (const [name, { maxRel, maxW, evalRel }] of Object.entries(worst)) {
      console.log(`# ${name.padEnd(28)} max relative loss gap ${maxRel.toExponential(2)}, max final weight gap ${maxW.toExponential(2)}`
        + (evalRel ? `, evaluation-mode loss gap ${evalRel.toExponential(2)}` : ""));
    }
  });
} else {
  test("fixture", { skip: "PLAYGROUND_FIXTURE not set: run `make test-js`" }, () => {});
}

test("erf against Python's math.erf (in the fixture) to 1e-14", { skip: !fixturePath }, () => {
  const { erf: table } = JSON.parse(readFileSync(fixturePath, "utf8"));
  assert.ok(table.length > 100);
  for (const [x, v] of table) assert.ok(Math.abs(erf(x) - v) < 1e-14, `erf(${x}) = ${erf(x)}, math.erf gives ${v}`);
});

test("each activation's derivative matches a central difference away from kinks", () => {
  for (const [name, [f, df]] of Object.entries(ACTIVATIONS)) {
    for (const z of [-3.3, -1.1, -0.2, 0.3, 0.9, 2.7]) {
      const h = 1e-6, numeric = (f(z + h) - f(z - h)) / (2 * h);
      const got = df(1, z, f(z));
      assert.ok(Math.abs(got - numeric) < 1e-6, `${name}'(${z}) = ${got}, difference quotient ${numeric}`);
    }
  }
});

test("gradients of a deep net match finite differences", () => {
  const net = new MLP([2, 4, 4, 3], "tanh").init(3);
  const X = Float64Array.from({ length: 20 }, (_, i) => Math.sin(i + 1)), y = Int32Array.from([0, 1, 2, 1, 0, 2, 1, 0, 2, 1]);
  const idx = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  net.lossAndGrad(X, y, idx, "ce");
  const g = net.gW[0].slice();
  const W = net.W[0], h = 1e-6;
  for (let i = 0; i < W.length; i++) {
    const keep = W[i];
    W[i] = keep + h; const up = net.lossAndGrad(X, y, idx, "ce");
    W[i] = keep - h; const down = net.lossAndGrad(X, y, idx, "ce");
    W[i] = keep;
    assert.ok(Math.abs((up - down) / (2 * h) - g[i]) < 1e-7);
  }
});

for (const norm of ["batchnorm", "layernorm"]) {
  test(`${norm}: gradients of every weight, scale and shift match finite differences`, () => {
    const net = new MLP([3, 5, 4, 3], "tanh", norm).init(4);
    const r = rng(9);
    net.gamma.forEach((g) => g.forEach((_, i) => { g[i] = 0.5 + r(); }));
    net.beta.forEach((b) => b.forEach((_, i) => { b[i] = r() - 0.5; }));
    const X = Float64Array.from({ length: 24 }, (_, i) => Math.sin(3 * i + 1)), y = Int32Array.from([0, 1, 2, 1, 0, 2, 1, 0]);
    const idx = [0, 1, 2, 3, 4, 5, 6, 7], h = 1e-6;
    const lossAt = () => net.lossAndGrad(X, y, idx, "ce", 8, "batch");
    lossAt();
    const params = net.parameters(), grads = net.gradients().map((g) => g.slice());
    params.forEach((p, k) => p.forEach((keep, i) => {
      p[i] = keep + h; const up = lossAt();
      p[i] = keep - h; const down = lossAt();
      p[i] = keep;
      assert.ok(Math.abs((up - down) / (2 * h) - grads[k][i]) < 1e-7, `parameter ${k}[${i}]: ${grads[k][i]} vs ${(up - down) / (2 * h)}`);
    }));
  });
}

test("BatchNorm: the 'batch' mode leaves the running averages alone, 'eval' uses them", () => {
  const net = new MLP([2, 4, 2], "relu", "batchnorm").init(1);
  const X = Float64Array.from([1, 2, -1, 0.5, 3, -2, 0, 1]), idx = [0, 1, 2, 3];
  net.forward(X, idx, 4, "batch");
  assert.deepEqual(Array.from(net.runMean[0]), [0, 0, 0, 0]);
  net.forward(X, idx, 4, "train");
  assert.ok(net.runMean[0].some((v) => v !== 0));
  const evalOut = net.forward(X, [0], 1, "eval").slice(0, 2);
  net.runMean[0].fill(0); net.runVar[0].fill(1);
  const fresh = net.forward(X, [0], 1, "eval").slice(0, 2);
  assert.notDeepEqual(Array.from(evalOut), Array.from(fresh));
  assert.ok(net.b[0].every((v) => v === 0), "a Linear layer before a BatchNorm has no bias");
});

test("Kaiming with a gain: weights of standard deviation gain / sqrt(fan_in)", () => {
  const net = new MLP([400, 30, 2], "tanh").init(0, "kaiming", GAINS.tanh), w = net.W[0];
  const m = w.reduce((s, v) => s + v, 0) / w.length, sd = Math.sqrt(w.reduce((s, v) => s + (v - m) ** 2, 0) / w.length);
  assert.ok(Math.abs(sd / (GAINS.tanh / 20) - 1) < 0.03, String(sd));
  assert.ok(net.b[0].every((v) => v === 0));
});

test("update-to-data ratio: log10 of the standard deviations' ratio", () => {
  const before = Float64Array.from([1, 2, 3, 4]), after = Float64Array.from([1.1, 2, 3, 4.1]);
  const sd = (x) => { const m = x.reduce((s, v) => s + v, 0) / x.length; return Math.sqrt(x.reduce((s, v) => s + (v - m) ** 2, 0) / (x.length - 1)); };
  assert.ok(Math.abs(updateRatio(before, after) - Math.log10(sd([0.1, 0, 0, 0.1]) / sd([1, 2, 3, 4]))) < 1e-12);
});

test("bad input gets a clear error", () => {
  assert.throws(() => new MLP([2, MAX_WIDTH + 1, 2]), new RegExp(`at most ${MAX_WIDTH} units`));
  assert.throws(() => new MLP([2, ...Array(MAX_HIDDEN + 1).fill(4), 2]), new RegExp(`at most ${MAX_HIDDEN} hidden layers`));
  assert.throws(() => new MLP([2, 4, 2], "relu", "groupnorm"), /unknown norm groupnorm; choose one of none, batchnorm, layernorm/);
  assert.throws(() => new MLP([2, 4, 2], "swish"), /unknown activation swish; choose one of/);
  assert.throws(() => new MLP([2, 4, 2]).init(0, "he"), /unknown initialisation/);
});

test("the same seed gives the same run, another seed another", () => {
  const data = makeData("moons", 400, 0);
  const final = (seed) => {
    const net = new MLP([2, 8, 2], "relu").init(seed);
    const run = new Trainer(net, data.train, { seed });
    for (let i = 0; i < 50; i++) run.step();
    return evaluate(net, data.test.X, data.test.y).loss;
  };
  assert.equal(final(1), final(1));
  assert.notEqual(final(1), final(2));
  assert.ok(rng(5)() !== rng(6)());
});
