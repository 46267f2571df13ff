// The widgets' own computations against closed forms and the package's definitions:
// chapter 4's unit roles (nonlin_course.role_table's), chapter 5's quantiles (numpy's
// linear rule) and its digits file format, and chapter 5's signals on a tiny net.
import { test } from "node:test";
import assert from "node:assert/strict";
import { MAX_WIDTH, MLP, Trainer } from "../engine.js";
import { LR, SPECS as CH4, unitRoles } from "../ch4.js";
import { decodeDigits, layerSignals, quantiles, SPECS as CH5 } from "../ch5.js";

test("unit roles as nonlin_course.unit_roles' doctest: kink, outside, dead, zero weight", () => {
  const net = new MLP([1, 4, 1], "relu");
  net.W[0].set([1, 1, -1, 1]); net.b[0].set([-1, 1, -3, -1]); net.W[1].set([2, 1, 1, 1e-5]);
  const r = unitRoles(net, 0, 2);
  assert.deepEqual({ ...r }, { kink: 1, outside: 1, dead: 1, "zero weight": 1, inside: 2 });
});

test("quantiles follow numpy's linear interpolation", () => {
  assert.deepEqual(quantiles([4, 1, 3, 2], [0, 0.25, 0.5, 1]), [1, 1.75, 2.5, 4]);
  assert.deepEqual(quantiles([7], [0.05, 0.95]), [7, 7]);
});

test("the digits file decodes into train and test parts, pixels / 16", () => {
  const rows = [[...Array(64).fill(16), 3], [...Array(64).fill(8), 9], [...Array(64).fill(0), 0]];
  const bytes = new Uint8Array(8 + 65 * 3);
  bytes.set([78, 67, 68, 49, 2, 0, 1, 0]);          // "NCD1", 2 train, 1 test
  rows.forEach((r, i) => bytes.set(r, 8 + 65 * i));
  const d = decodeDigits(bytes.buffer);
  assert.equal(d.train.y.length, 2); assert.equal(d.test.y.length, 1);
  assert.deepEqual(Array.from(d.train.y), [3, 9]);
  assert.equal(d.train.X[0], 1); assert.equal(d.train.X[64], 0.5); assert.equal(d.test.X[5], 0);
  assert.throws(() => decodeDigits(new Uint8Array(8).buffer), /not the playground's digits file/);
});

test("layer signals: tanh saturation, ReLU dead units and summed-loss gradients on a tiny net", () => {
  const X = Float64Array.from([1, -1, 2, 0.5, -2, 1]), y = Int32Array.from([0, 1, 0]);
  const big = new MLP([2, 3, 2], "tanh");
  big.W[0].set([100, 0, 0, 100, 0.001, 0]);            // units 1, 2 saturate on every image, unit 3 never
  const [layer] = layerSignals(big, { X, y }, 3);
  assert.ok(Math.abs(layer.share - 6 / 9) < 1e-12, String(layer.share));
  const relu = new MLP([2, 3, 2], "relu");
  relu.W[0].set([1, 0, 0, 1, 0, 0]); relu.b[0].set([0, 0, -1]);   // unit 3: 0 on every image
  const [r] = layerSignals(relu, { X, y }, 3);
  assert.ok(Math.abs(r.share - 1 / 3) < 1e-12, String(r.share));
  assert.equal(r.act.length, 5);
  assert.ok(r.grad.every(Number.isFinite));
});

test("chapter 5's depth reaches at least 10 hidden layers and its norms are the engine's", () => {
  const depth = CH5.find((s) => s.key === "depth"), norm = CH5.find((s) => s.key === "norm");
  assert.ok(depth.max >= 10 && depth.def === 10);
  assert.deepEqual(norm.options.map((o) => o.value), ["none", "batchnorm", "layernorm"]);
});

test("chapter 4: one limit for units; gradient descent runs at the most units the control allows", () => {
  const n = CH4.find((s) => s.key === "n");
  assert.equal(n.max, MAX_WIDTH);
  const x = Float64Array.from({ length: 401 }, (_, i) => i / 200);
  const net = new MLP([1, n.max, 1], "relu").init(0, "xavier");
  const run = new Trainer(net, { X: x, y: Float64Array.from(x, (v) => v * v) }, { loss: "mse", optimizer: "adam", lr: LR, batchSize: 401 });
  run.order = [Array.from(x, (_, i) => i)];
  const first = run.step();
  for (let i = 0; i < 50; i++) run.step();
  assert.ok(run.step() < first);
  const roles = unitRoles(net, 0, 2);
  assert.equal(roles.kink + roles["zero weight"] + roles.outside + roles.dead, n.max);
});
