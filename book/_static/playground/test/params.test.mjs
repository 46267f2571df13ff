// URL settings: every widget's parameters parse, and anything not allowed is reported
// with what is allowed while the default is used.
import { test } from "node:test";
import assert from "node:assert/strict";
import { parseParams, spelledNumber } from "../ui.js";
import { SPECS as CH1 } from "../ch1.js";
import { SPECS as CH2 } from "../ch2.js";
import { SPECS as CH4, errors, hingeSum, hingesThrough, leastSquares } from "../ch4.js";
import { rng } from "../engine.js";

const WIDGETS = [["c1", CH1], ["c2", CH2], ["c4", CH4]];

test("no parameters: the defaults, no message", () => {
  for (const [prefix, specs] of WIDGETS) {
    const { values, problems } = parseParams(prefix, specs, "");
    assert.deepEqual(problems, []);
    for (const s of specs) assert.equal(values[s.key], s.def);
  }
});

test("every allowed value is read back", () => {
  for (const [prefix, specs] of WIDGETS) {
    for (const s of specs) {
      const allowed = s.kind === "select" ? s.options.map((o) => o.value) : s.kind === "check" ? [true, false] : [s.min, s.max];
      for (const value of allowed) {
        const raw = s.kind === "check" ? (value ? "1" : "0") : String(value);
        const { values, problems } = parseParams(prefix, specs, `?${prefix}.${s.key}=${encodeURIComponent(raw)}`);
        assert.deepEqual(problems, []);
        assert.equal(values[s.key], value);
      }
    }
  }
});

test("random bad values: a message naming the setting and what is allowed, and the default", () => {
  const r = rng(7), alphabet = "abcxyz-+.e0123456789%&=";
  for (let trial = 0; trial < 500; trial++) {
    const [prefix, specs] = WIDGETS[trial % 3], s = specs[Math.floor(r() * specs.length)];
    const raw = Array.from({ length: 1 + Math.floor(r() * 6) }, () => alphabet[Math.floor(r() * alphabet.length)]).join("");
    const query = new URLSearchParams({ [`${prefix}.${s.key}`]: raw });
    const { values, problems } = parseParams(prefix, specs, `?${query}`);
    const n = spelledNumber(raw);
    const ok = s.kind === "select" ? s.options.some((o) => (typeof o.value === "number" ? n === o.value : String(o.value) === raw))
      : s.kind === "check" ? n === 0 || n === 1
        : Number.isInteger(n) && n >= s.min && n <= s.max;
    if (ok) { assert.deepEqual(problems, []); continue; }
    assert.equal(problems.length, 1, raw);
    assert.match(problems[0], new RegExp(`^${prefix}\\.${s.key}=.* is not allowed: (choose one of|a whole number from|use 0 or 1)`));
    assert.equal(values[s.key], s.def);
  }
});

test("any spelling of an allowed number is that number", () => {
  for (const [prefix, specs] of WIDGETS) {
    for (const s of specs) {
      const numbers = s.kind === "select" ? s.options.map((o) => o.value).filter((v) => typeof v === "number")
        : s.kind === "int" ? [s.min, s.max] : [];
      for (const value of numbers) {
        for (const raw of [value.toExponential(), value.toExponential().toUpperCase(), `+${value}`, `${value}${Number.isInteger(value) ? ".0" : "0"}`]) {
          const { values, problems } = parseParams(prefix, specs, `?${new URLSearchParams({ [`${prefix}.${s.key}`]: raw })}`);
          assert.deepEqual(problems, [], `${prefix}.${s.key}=${raw}`);
          assert.equal(values[s.key], value, `${prefix}.${s.key}=${raw}`);
        }
      }
    }
  }
  const { values } = parseParams("c1", CH1, "?c1.lr=1e-3");
  assert.equal(values.lr, 0.001);
  for (const bad of ["", " ", "1e", "0x10", "NaN", "Infinity", "1,5"]) assert.equal(spelledNumber(bad), undefined, bad);
});

test("an unknown setting is named with the ones there are", () => {
  const { problems } = parseParams("c4", CH4, "?c4.colour=red&c1.act=relu");
  assert.equal(problems.length, 1);
  assert.match(problems[0], /c4\.colour is not a setting of this figure; it has c4\.target, c4\.n/);
});

test("hinges through points reproduce the broken line; 8 equal pieces on x^2 err by 1/64", () => {
  const pts = Array.from({ length: 9 }, (_, i) => [i / 4, (i / 4) ** 2]);
  const g = hingeSum(hingesThrough(pts));
  for (const [x, y] of pts) assert.ok(Math.abs(g(x) - y) < 1e-12);
  const e = errors((x) => x * x, (xs) => Float64Array.from(xs, g), 0, 2);
  assert.ok(Math.abs(e.max - 1 / 64) < 1e-15, String(e.max));
});

test("least squares recovers exact hinge weights and beats the interpolant on x^2", () => {
  const x = Float64Array.from({ length: 401 }, (_, i) => -1 + i / 200);
  const truth = { knots: [-1, 0], weights: [-1, 2], bias: 1 };      // |x| on [-1, 1]
  const fitted = leastSquares(x, Float64Array.from(x, hingeSum(truth)), [-1, 0]);
  fitted.weights.forEach((w, i) => assert.ok(Math.abs(w - truth.weights[i]) < 1e-10));
  assert.ok(Math.abs(fitted.bias - 1) < 1e-10);
  const xs = Float64Array.from({ length: 401 }, (_, i) => i / 200), knots = Array.from({ length: 8 }, (_, i) => i / 4);
  const ls = hingeSum(leastSquares(xs, Float64Array.from(xs, (v) => v * v), knots));
  const e = errors((v) => v * v, (t) => Float64Array.from(t, ls), 0, 2);
  assert.ok(e.max < 1 / 64, String(e.max));
});
