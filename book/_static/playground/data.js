// The playground's data sets, seeded: the same shapes and noise as the chapters'
// (nc.moons: noise 0.2; nc.circles: factor 0.5, noise 0.1), drawn with the engine's own
// generator (not NumPy's), and a stratified 80/20 train/test split.
import { rng } from "./engine.js";

export const DATASETS = ["moons", "circles", "xor", "spiral"];

function moons(n, r, noise = 0.2) {
  const out = Math.floor(n / 2), pts = [];
  for (let i = 0; i < out; i++) { const t = (Math.PI * i) / Math.max(out - 1, 1); pts.push([Math.cos(t), Math.sin(t), 0]); }
  for (let i = 0; i < n - out; i++) { const t = (Math.PI * i) / Math.max(n - out - 1, 1); pts.push([1 - Math.cos(t), 0.5 - Math.sin(t), 1]); }
  return pts.map(([a, b, c]) => [a + noise * r.normal(), b + noise * r.normal(), c]);
}

function circles(n, r, factor = 0.5, noise = 0.1) {
  const out = Math.floor(n / 2), pts = [];
  for (let i = 0; i < out; i++) { const t = (2 * Math.PI * i) / out; pts.push([Math.cos(t), Math.sin(t), 0]); }
  for (let i = 0; i < n - out; i++) { const t = (2 * Math.PI * i) / (n - out); pts.push([factor * Math.cos(t), factor * Math.sin(t), 1]); }
  return pts.map(([a, b, c]) => [a + noise * r.normal(), b + noise * r.normal(), c]);
}

function xor(n, r, noise = 0.1) {
  // uniform in the square [-1, 1]^2, class 1 where both coordinates share a sign
  return Array.from({ length: n }, () => {
    const a = 2 * r() - 1, b = 2 * r() - 1;
    return [a + noise * r.normal(), b + noise * r.normal(), a * b > 0 ? 1 : 0];
  });
}

function spiral(n, r, noise = 0.08) {
  // two arms of one and a half turns, the second the first turned by half a turn
  return Array.from({ length: n }, (_, i) => {
    const c = i % 2, t = (Math.floor(i / 2) / Math.ceil(n / 2)) * 3 * Math.PI + 0.3;
    const rad = t / (3 * Math.PI), angle = t + c * Math.PI;
    return [rad * Math.cos(angle) + noise * r.normal(), rad * Math.sin(angle) + noise * r.normal(), c];
  });
}

const MAKERS = { moons, circles, xor, spiral };

/** n points of data set `name` from `seed`, split 80/20 by class:
 * {train: {X, y}, test: {X, y}, bounds: [x0, x1, y0, y1]}; X is a flat Float64Array. */
export function makeData(name, n, seed, testSize = 0.2) {
  if (!(name in MAKERS)) throw new Error(`unknown data set ${name}; choose one of ${DATASETS.join(", ")}`);
  const r = rng(seed * 7919 + 13);
  const pts = MAKERS[name](n, r);
  const train = [], test = [];
  for (const c of [0, 1]) {
    const own = pts.filter((p) => p[2] === c);
    const order = r.permutation(own.length), nTest = Math.round(own.length * testSize);
    order.forEach((k, i) => (i < nTest ? test : train).push(own[k]));
  }
  const pack = (list) => {
    const order = r.permutation(list.length);
    return { X: Float64Array.from(order.flatMap((k) => list[k].slice(0, 2))), y: Int32Array.from(order.map((k) => list[k][2])) };
  };
  let [x0, x1, y0, y1] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const [a, b] of pts) { x0 = Math.min(x0, a); x1 = Math.max(x1, a); y0 = Math.min(y0, b); y1 = Math.max(y1, b); }
  const m = 0.3;
  return { train: pack(train), test: pack(test), bounds: [x0 - m, x1 + m, y0 - m, y1 + m] };
}
