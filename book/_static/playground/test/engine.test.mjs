// The engine against the package: `make test-js` exports reference runs of
// nc.train_classifier (tools/export_playground_fixture.py, float64) into the file named
// by PLAYGROUND_FIXTURE, and every run is replayed here step for step.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { ACTIVATIONS, MLP, Trainer, erf, evaluate, rng } from "../engine.js";
import { makeData } from "../data.js";

const TOLERANCE = 1e-4;   // relative, on every step's loss
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
      const net = new MLP(c.sizes, c.act).setWeights(c.weights, c.biases);
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
      c.final_weights.forEach((w, l) => w.forEach((v, i) => { maxW = Math.max(maxW, Math.abs(net.W[l][i] - v)); }));
      worst[c.name] = { maxRel, maxW };
      assert.ok(maxW < 1e-6, `final weights differ by ${maxW}`);
    });
  }
  test("every activation the engine offers is in the fixture", () => {
    const covered = new Set(fixture.cases.map((c) => c.act));
    for (const name of Object.keys(ACTIVATIONS)) assert.ok(covered.has(name), `${name} not tested`);
  });
  test("report", () => {
    for (const [name, { maxRel, maxW }] of Object.entries(worst)) {
      console.log(`# ${name.padEnd(28)} max relative loss gap ${maxRel.toExponential(2)}, max final weight gap ${maxW.toExponential(2)}`);
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

test("bad input gets a clear error", () => {
  assert.throws(() => new MLP([2, 17, 2]), /at most 16 units/);
  assert.throws(() => new MLP([2, ...Array(9).fill(4), 2]), /at most 8 hidden layers/);
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
