// A small training engine for the course's playground: MLPs of up to MAX_HIDDEN hidden
// layers of up to MAX_WIDTH units, optionally with a BatchNorm or LayerNorm after each
// hidden Linear layer (as nonlin_course.norm_mlp), trained on mini-batches in float64
// with the update formulas of torch.optim (Adam, AdamW, SGD). Plain ES module.
//
// Layer l has weight W[l] (out x in, row-major, as torch's nn.Linear.weight) and bias
// b[l]. The activation sits between Linear layers, never after the last: the net
// returns logits, as nonlin_course.mlp does. With a norm, a hidden layer is
// Linear -> norm -> activation; before a BatchNorm the Linear layer has no bias. Each activation's derivative is the one
// torch's backward uses (at kinks included), so losses match nc.train_classifier.

export const MAX_HIDDEN = 12;
export const MAX_WIDTH = 32;     // the one limit on units: every widget's controls read it
export const NORMS = ["none", "batchnorm", "layernorm"];
const EPS = 1e-5, MOMENTUM = 0.1;   // torch's defaults for both norms
const SELU_ALPHA = 1.6732632423543772, SELU_SCALE = 1.0507009873554805;
const SQRT1_2 = Math.SQRT1_2, INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

// erf to about 1e-15: its Taylor series up to |x| = 2, a continued fraction beyond.
export function erf(x) {
  const ax = Math.abs(x);
  if (ax < 2) {
    let term = x, sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= -x2 / n;
      const add = term / (2 * n + 1);
      sum += add;
      if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  }
  if (ax > 6) return Math.sign(x);
  let frac = 0;                        // erfc(x) = exp(-x^2)/sqrt(pi) / (x + 1/2/(x + 1/(x + ...)))
  for (let k = 80; k >= 1; k--) frac = (k / 2) / (ax + frac);
  const erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / (ax + frac);
  return Math.sign(x) * (1 - erfc);
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));

// name -> [f(z), dL/dz from (dL/da, z, a)]: torch's forward and backward kernels
export const ACTIVATIONS = {
  identity: [(z) => z, (g) => g],
  relu: [(z) => (z > 0 ? z : 0), (g, z, a) => (a > 0 ? g : 0)],
  sigmoid: [sigmoid, (g, z, a) => g * (1 - a) * a],
  tanh: [Math.tanh, (g, z, a) => g * (1 - a * a)],
  leakyrelu: [(z) => (z > 0 ? z : 0.01 * z), (g, z) => (z > 0 ? g : 0.01 * g)],
  elu: [(z) => (z > 0 ? z : Math.expm1(z)), (g, z) => (z <= 0 ? g * Math.exp(z) : g)],
  selu: [(z) => SELU_SCALE * (z > 0 ? z : SELU_ALPHA * Math.expm1(z)),
    (g, z) => (z <= 0 ? g * SELU_SCALE * SELU_ALPHA * Math.exp(z) : g * SELU_SCALE)],
  gelu: [(z) => 0.5 * z * (1 + erf(z * SQRT1_2)),
    (g, z) => g * (0.5 * (1 + erf(z * SQRT1_2)) + z * Math.exp(-0.5 * z * z) * INV_SQRT_2PI)],
  silu: [(z) => z * sigmoid(z), (g, z) => { const s = sigmoid(z); return g * s * (1 + z * (1 - s)); }],
};
export const ACTIVATION_NAMES = Object.keys(ACTIVATIONS);
export const INITS = ["default", "kaiming", "xavier"];
/** torch.nn.init.calculate_gain for the activations it knows (LeakyReLU: slope 0.01). */
export const GAINS = { identity: 1, sigmoid: 1, tanh: 5 / 3, relu: Math.SQRT2,
  leakyrelu: Math.sqrt(2 / (1 + 0.01 ** 2)), selu: 3 / 4 };
export const LOSSES = ["ce", "bce", "mse"];
export const OPTIMIZERS = ["adam", "adamw", "sgd"];

// ---------------------------------------------------------------- seeded randomness

/** A seeded generator of uniform numbers in [0, 1) (mulberry32), with normal draws.
 * The seed is scrambled first (murmur3's finaliser), so that neighbouring seeds
 * (0, 1, 2, ...) start the generator far apart. */
export function rng(seed) {
  let s = seed >>> 0;
  s = Math.imul(s ^ (s >>> 16), 0x85ebca6b); s = Math.imul(s ^ (s >>> 13), 0xc2b2ae35); s = (s ^ (s >>> 16)) >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  uniform.normal = () => {
    const u = 1 - uniform(), v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  uniform.permutation = (n) => {
    const order = Array.from({ length: n }, (_, i) => i);
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(uniform() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  };
  return uniform;
}

// ---------------------------------------------------------------- the network

function check(condition, message) {
  if (!condition) throw new Error(message);
}

export class MLP {
  /** sizes: layer widths, e.g. [2, 10, 2]; act: one of ACTIVATION_NAMES; norm: one of
   * NORMS, after every hidden Linear layer. */
  constructor(sizes, act = "relu", norm = "none") {
    check(Array.isArray(sizes) && sizes.length >= 2 && sizes.every((s) => Number.isInteger(s) && s > 0),
      `sizes must be a list of at least two positive widths, got ${JSON.stringify(sizes)}`);
    check(sizes.length - 2 <= MAX_HIDDEN, `at most ${MAX_HIDDEN} hidden layers, got ${sizes.length - 2}`);
    check(sizes.slice(1, -1).every((s) => s <= MAX_WIDTH), `hidden layers have at most ${MAX_WIDTH} units`);
    check(act in ACTIVATIONS, `unknown activation ${act}; choose one of ${ACTIVATION_NAMES.join(", ")}`);
    check(NORMS.includes(norm), `unknown norm ${norm}; choose one of ${NORMS.join(", ")}`);
    Object.assign(this, { sizes: sizes.slice(), act, norm, L: sizes.length - 1 });
    [this.f, this.df] = ACTIVATIONS[act];
    const zeros = (n) => new Float64Array(n), hidden = sizes.slice(1, -1);
    this.W = []; this.b = [];
    for (let l = 0; l < this.L; l++) { this.W.push(zeros(sizes[l + 1] * sizes[l])); this.b.push(zeros(sizes[l + 1])); }
    this.hasBias = this.b.map((_, l) => !(norm === "batchnorm" && l < this.L - 1));
    this.gamma = norm === "none" ? [] : hidden.map((s) => new Float64Array(s).fill(1));
    this.beta = norm === "none" ? [] : hidden.map(zeros);
    this.runMean = norm === "batchnorm" ? hidden.map(zeros) : [];
    this.runVar = norm === "batchnorm" ? hidden.map((s) => new Float64Array(s).fill(1)) : [];
    this.gW = this.W.map((w) => zeros(w.length));
    this.gb = this.b.map((b) => zeros(b.length));
    this.gGamma = this.gamma.map((g) => zeros(g.length));
    this.gBeta = this.beta.map((g) => zeros(g.length));
    this._cap = 0;
  }

  /** The tensors an optimizer updates and their gradients, in matching order. */
  parameters() { return [...this.W, ...this.b, ...this.gamma, ...this.beta]; }
  gradients() { return [...this.gW, ...this.gb, ...this.gGamma, ...this.gBeta]; }

  /** Fill weights from seed: "default" is torch's nn.Linear initialisation (uniform in
   * +-1/sqrt(fan_in), biases too); "kaiming" N(0, gain^2/fan_in) (gain sqrt 2 unless
   * given, as nonlin_course.gradients.initialise; nonlin_course.init_deep passes the
   * activation's GAINS entry) and "xavier" N(0, 2/(fan_in+fan_out)), both with zero
   * biases. A Linear layer before a BatchNorm keeps no bias. */
  init(seed = 0, scheme = "default", gain = Math.SQRT2) {
    check(INITS.includes(scheme), `unknown initialisation ${scheme}; choose one of ${INITS.join(", ")}`);
    check(Number.isFinite(gain) && gain > 0, `gain must be a positive number, got ${gain}`);
    const r = rng(seed);
    for (let l = 0; l < this.L; l++) {
      const fanIn = this.sizes[l], fanOut = this.sizes[l + 1];
      const bound = 1 / Math.sqrt(fanIn);
      const std = scheme === "kaiming" ? gain / Math.sqrt(fanIn) : Math.sqrt(2 / (fanIn + fanOut));
      for (let i = 0; i < this.W[l].length; i++) {
        this.W[l][i] = scheme === "default" ? (2 * r() - 1) * bound : std * r.normal();
      }
      if (!this.hasBias[l]) continue;
      for (let i = 0; i < this.b[l].length; i++) this.b[l][i] = scheme === "default" ? (2 * r() - 1) * bound : 0;
    }
    return this;
  }

  /** Set weights from nested arrays [[W0 rows...], ...] and [[b0...], ...] (a null bias:
   * none, before a BatchNorm). */
  setWeights(W, b) {
    for (let l = 0; l < this.L; l++) {
      this.W[l].set(W[l].flat());
      if (b[l]) this.b[l].set(b[l]);
    }
    return this;
  }

  _buffers(B) {
    if (this._cap >= B) return;
    this._cap = B;
    const per = (s) => new Float64Array(B * s);
    this.Z = this.sizes.map(per);   // Z[0] unused; Z[l]: Linear output of layer l
    this.A = this.sizes.map(per);   // A[0]: the input; A[l] = f(Y[l])
    this.D = this.sizes.map(per);   // dL/dz
    this.G = this.sizes.map(per);   // dL/da of hidden layers
    this.Y = this.norm === "none" ? this.Z : this.sizes.map(per);   // the norm's output
    this.XH = this.norm === "none" ? null : this.sizes.map(per);    // normalised z
    this.IS = this.sizes.map((s) => new Float64Array(Math.max(B, s)));   // 1/std per unit or row
  }

  /** Forward pass for rows idx of X (Float64Array n x d): logits in this.Z[L]. mode:
   * "train" (BatchNorm: batch statistics, running averages updated), "batch" (batch
   * statistics, nothing updated) or "eval" (running averages). */
  forward(X, idx, B = idx.length, mode = "eval") {
    this._buffers(B);
    const d = this.sizes[0], A0 = this.A[0];
    for (let r = 0; r < B; r++) for (let j = 0; j < d; j++) A0[r * d + j] = X[idx[r] * d + j];
    for (let l = 0; l < this.L; l++) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1], W = this.W[l], bias = this.b[l];
      const Ain = this.A[l], Z = this.Z[l + 1];
      for (let r = 0; r < B; r++) {
        const ro = r * nIn;
        for (let o = 0; o < nOut; o++) {
          let s = bias[o];
          const wo = o * nIn;
          for (let i = 0; i < nIn; i++) s += W[wo + i] * Ain[ro + i];
          Z[r * nOut + o] = s;
        }
      }
      if (l === this.L - 1) break;
      if (this.norm !== "none") this._normForward(l, B, mode);
      const Y = this.Y[l + 1], Aout = this.A[l + 1], f = this.f;
      for (let k = 0; k < B * nOut; k++) Aout[k] = f(Y[k]);
    }
    return this.Z[this.L];
  }

  _normForward(l, B, mode) {
    const n = this.sizes[l + 1], Z = this.Z[l + 1], Y = this.Y[l + 1], XH = this.XH[l + 1], IS = this.IS[l + 1];
    const gamma = this.gamma[l], beta = this.beta[l];
    if (this.norm === "layernorm") {            // each row over its units
      for (let r = 0; r < B; r++) {
        let mean = 0, v = 0;
        for (let o = 0; o < n; o++) mean += Z[r * n + o];
        mean /= n;
        for (let o = 0; o < n; o++) v += (Z[r * n + o] - mean) ** 2;
        const inv = 1 / Math.sqrt(v / n + EPS);
        IS[r] = inv;
        for (let o = 0; o < n; o++) { const k = r * n + o, x = (Z[k] - mean) * inv; XH[k] = x; Y[k] = gamma[o] * x + beta[o]; }
      }
      return;
    }
    const rm = this.runMean[l], rv = this.runVar[l];   // BatchNorm: each unit over the batch
    for (let o = 0; o < n; o++) {
      let mean, inv;
      if (mode === "eval") { mean = rm[o]; inv = 1 / Math.sqrt(rv[o] + EPS); } else {
        let s = 0, v = 0;
        for (let r = 0; r < B; r++) s += Z[r * n + o];
        mean = s / B;
        for (let r = 0; r < B; r++) v += (Z[r * n + o] - mean) ** 2;
        v /= B;
        inv = 1 / Math.sqrt(v + EPS);
        if (mode === "train") { rm[o] += (mean - rm[o]) * MOMENTUM; rv[o] += (v * (B / (B - 1)) - rv[o]) * MOMENTUM; }
      }
      IS[o] = inv;
      for (let r = 0; r < B; r++) { const k = r * n + o, x = (Z[k] - mean) * inv; XH[k] = x; Y[k] = gamma[o] * x + beta[o]; }
    }
  }

  /** Mean loss over the batch and, into the gradients, its gradient. y: labels
   * (classes, or targets for "mse"). Returns the loss (computed before any update).
   * mode: as forward's ("train" while training). */
  lossAndGrad(X, y, idx, loss = "ce", B = idx.length, mode = "train") {
    const out = this.forward(X, idx, B, mode), C = this.sizes[this.L], D = this.D[this.L];
    let total = 0;
    for (let r = 0; r < B; r++) {
      const t = y[idx[r]], o = r * C;
      if (loss === "ce") {
        let m = -Infinity;
        for (let c = 0; c < C; c++) m = Math.max(m, out[o + c]);
        let s = 0;
        for (let c = 0; c < C; c++) s += Math.exp(out[o + c] - m);
        const lse = m + Math.log(s);
        total += lse - out[o + t];
        for (let c = 0; c < C; c++) D[o + c] = (Math.exp(out[o + c] - lse) - (c === t ? 1 : 0)) / B;
      } else if (loss === "bce") {
        const x = out[o];
        total += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
        D[o] = (sigmoid(x) - t) / B;
      } else {
        const e = out[o] - t;
        total += e * e;
        D[o] = (2 * e) / B;
      }
    }
    this.backward(B);
    return total / B;
  }

  backward(B) {
    for (let l = this.L - 1; l >= 0; l--) {
      const nIn = this.sizes[l], nOut = this.sizes[l + 1], W = this.W[l];
      const gW = this.gW[l], gb = this.gb[l], Dz = this.D[l + 1], Ain = this.A[l];
      gW.fill(0); gb.fill(0);
      for (let r = 0; r < B; r++) {
        for (let o = 0; o < nOut; o++) {
          const g = Dz[r * nOut + o];
          gb[o] += g;
          const wo = o * nIn, ro = r * nIn;
          for (let i = 0; i < nIn; i++) gW[wo + i] += g * Ain[ro + i];
        }
      }
      if (!this.hasBias[l]) gb.fill(0);
      if (l === 0) break;
      const Dprev = this.D[l], Gprev = this.G[l], Yp = this.Y[l], Ap = this.A[l], df = this.df;
      for (let r = 0; r < B; r++) {
        for (let i = 0; i < nIn; i++) {
          let s = 0;
          for (let o = 0; o < nOut; o++) s += Dz[r * nOut + o] * W[o * nIn + i];
          Gprev[r * nIn + i] = s;
          Dprev[r * nIn + i] = df(s, Yp[r * nIn + i], Ap[r * nIn + i]);
        }
      }
      if (this.norm !== "none") this._normBackward(l - 1, B);
    }
  }

  // dL/dz from dL/dy (in D) for y = gamma * xhat + beta: invstd * (dxhat - mean(dxhat)
  // - xhat * mean(dxhat * xhat)), the means over the batch (BatchNorm) or the row's units
  _normBackward(k, B) {
    const n = this.sizes[k + 1], D = this.D[k + 1], XH = this.XH[k + 1], IS = this.IS[k + 1];
    const gamma = this.gamma[k], gG = this.gGamma[k], gB = this.gBeta[k];
    gG.fill(0); gB.fill(0);
    for (let r = 0; r < B; r++) for (let o = 0; o < n; o++) { const q = r * n + o; gG[o] += D[q] * XH[q]; gB[o] += D[q]; }
    const rows = this.norm === "layernorm";
    const outer = rows ? B : n, inner = rows ? n : B;
    const at = rows ? (a, b) => a * n + b : (a, b) => b * n + a;
    for (let a = 0; a < outer; a++) {
      let m1 = 0, m2 = 0;
      for (let b = 0; b < inner; b++) {
        const q = at(a, b), dx = D[q] * gamma[rows ? b : a];
        m1 += dx; m2 += dx * XH[q];
      }
      m1 /= inner; m2 /= inner;
      const inv = IS[a];
      for (let b = 0; b < inner; b++) {
        const q = at(a, b), dx = D[q] * gamma[rows ? b : a];
        D[q] = inv * (dx - m1 - XH[q] * m2);
      }
    }
  }

  /** Logits for every row of X (n x d), in chunks, in evaluation mode; returns
   * Float64Array n x C. */
  predict(X, n = X.length / this.sizes[0]) {
    const C = this.sizes[this.L], out = new Float64Array(n * C), chunk = 256;
    const idx = new Int32Array(chunk);
    for (let s = 0; s < n; s += chunk) {
      const B = Math.min(chunk, n - s);
      for (let r = 0; r < B; r++) idx[r] = s + r;
      out.set(this.forward(X, idx, B).subarray(0, B * C), s * C);
    }
    return out;
  }

  /** On/off pattern of every hidden unit (pre-activation > 0) of each row of X, as a
   * string key: the linear region of a ReLU or LeakyReLU net without norms. */
  patterns(X, n = X.length / this.sizes[0]) {
    const keys = new Array(n), idx = new Int32Array(1);
    for (let r = 0; r < n; r++) {
      idx[0] = r;
      this.forward(X, idx, 1);
      let key = "";
      for (let l = 1; l < this.L; l++) for (const z of this.Y[l].subarray(0, this.sizes[l])) key += z > 0 ? "1" : "0";
      keys[r] = key;
    }
    return keys;
  }

  /** Mean |dL/dW| of each Linear layer for the last backward pass. */
  gradMeans() {
    return this.gW.map((g) => g.reduce((s, v) => s + Math.abs(v), 0) / g.length);
  }
}

// ---------------------------------------------------------------- optimizers

/** torch.optim's Adam, AdamW (weight decay 0.01) and SGD (optional momentum), step for step. */
export class Optimizer {
  constructor(net, name = "adam", lr = 1e-3, { momentum = 0, betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0.01 } = {}) {
    check(OPTIMIZERS.includes(name), `unknown optimizer ${name}; choose one of ${OPTIMIZERS.join(", ")}`);
    check(Number.isFinite(lr) && lr > 0, `lr must be a positive number, got ${lr}`);
    Object.assign(this, { net, name, lr, momentum, betas, eps, weightDecay, t: 0 });
    this.params = net.parameters();
    this.m = this.params.map((p) => new Float64Array(p.length));
    this.v = this.params.map((p) => new Float64Array(p.length));
  }

  step() {
    const grads = this.net.gradients();
    this.t += 1;
    const { lr, t } = this, [b1, b2] = this.betas;
    const c1 = 1 - b1 ** t, c2 = Math.sqrt(1 - b2 ** t), stepSize = lr / c1;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k], g = grads[k], m = this.m[k], v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        if (this.name === "sgd") {
          let d = g[i];
          if (this.momentum) { m[i] = t > 1 ? this.momentum * m[i] + d : d; d = m[i]; }
          p[i] -= lr * d;
          continue;
        }
        if (this.name === "adamw") p[i] *= 1 - lr * this.weightDecay;
        m[i] += (g[i] - m[i]) * (1 - b1);
        v[i] = v[i] * b2 + (1 - b2) * g[i] * g[i];
        p[i] -= stepSize * (m[i] / (Math.sqrt(v[i]) / c2 + this.eps));
      }
    }
  }
}

// ---------------------------------------------------------------- a training run

/** Mini-batch training of `net` on (X, y): each epoch a fresh seeded shuffle (or the
 * batches given in `order`, a list of index lists, used in turn). */
export class Trainer {
  constructor(net, data, { loss = "ce", optimizer = "adamw", lr = 1e-3, batchSize = 32, seed = 0, order = null,
    momentum = 0, recordUpdates = false } = {}) {
    check(LOSSES.includes(loss), `unknown loss ${loss}; choose one of ${LOSSES.join(", ")}`);
    Object.assign(this, { net, data, loss, batchSize, order, recordUpdates });
    this.updates = new Float64Array(net.L).fill(NaN);
    this.opt = new Optimizer(net, optimizer, lr, { momentum });
    this.shuffle = rng(seed ^ 0x5bd1e995);
    this.steps = 0;
    this.queue = [];
    this.gradSums = new Float64Array(net.L);
    this.lastGrads = new Float64Array(net.L);
  }

  _nextBatch() {
    if (this.order) return this.order[this.steps % this.order.length];
    if (!this.queue.length) {
      const perm = this.shuffle.permutation(this.data.y.length);
      for (let s = 0; s < perm.length; s += this.batchSize) this.queue.push(perm.slice(s, s + this.batchSize));
      this.queue.reverse();
    }
    return this.queue.pop();
  }

  get epoch() { return (this.steps * this.batchSize) / this.data.y.length; }

  /** One optimizer step; returns the batch loss (before the step). */
  step() {
    const idx = this._nextBatch();
    const loss = this.net.lossAndGrad(this.data.X, this.data.y, idx, this.loss);
    const means = this.net.gradMeans();
    for (let l = 0; l < means.length; l++) { this.gradSums[l] += means[l]; this.lastGrads[l] = means[l]; }
    const before = this.recordUpdates ? this.net.W.map((w) => w.slice()) : null;
    this.opt.step();
    if (before) before.forEach((w, l) => { this.updates[l] = updateRatio(w, this.net.W[l]); });
    this.steps += 1;
    return loss;
  }

  /** Mean per-layer |grad| over every step so far. */
  gradMeans() { return Array.from(this.gradSums, (s) => s / Math.max(this.steps, 1)); }
}

/** log10(std(after - before) / std(before)), standard deviations with n - 1, as
 * nonlin_course's record_updates: the update-to-data ratio of one weight tensor. */
export function updateRatio(before, after) {
  const n = before.length, change = Float64Array.from(before, (v, i) => after[i] - v);
  return Math.log10(std(change) / std(before));
  function std(x) {
    let m = 0, s = 0;
    for (const v of x) m += v;
    m /= n;
    for (const v of x) s += (v - m) ** 2;
    return Math.sqrt(s / (n - 1));
  }
}

/** Mean loss and accuracy of `net` on (X, y) (classes; "bce": logit > 0 is class 1). */
export function evaluate(net, X, y, loss = "ce") {
  const n = y.length, C = net.sizes[net.L], out = net.predict(X, n);
  let total = 0, right = 0;
  for (let r = 0; r < n; r++) {
    const o = r * C, t = y[r];
    let pred;
    if (loss === "bce") {
      const x = out[o];
      total += Math.max(x, 0) - x * t + Math.log1p(Math.exp(-Math.abs(x)));
      pred = x > 0 ? 1 : 0;
    } else {
      let m = -Infinity, arg = 0;
      for (let c = 0; c < C; c++) if (out[o + c] > m) { m = out[o + c]; arg = c; }
      let s = 0;
      for (let c = 0; c < C; c++) s += Math.exp(out[o + c] - m);
      total += m + Math.log(s) - out[o + t];
      pred = arg;
    }
    if (pred === t) right += 1;
  }
  return { loss: total / n, acc: right / n, logits: out };
}
