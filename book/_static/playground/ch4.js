// Chapter 4's widget: a target curve approximated by N ReLU hinges, with the weights set
// by hand (drag the points), by least squares, or by gradient descent (a 1-N-1 ReLU net
// trained live with Adam, from torch's default initialisation or the chapter's fix:
// Xavier or Kaiming with zero biases); the maximum and mean error on a fine grid, as
// nc.errors, and what each trained unit does on the interval, as nc.role_table.
import { MAX_WIDTH, MLP, Trainer } from "./engine.js";
import { asCode, controls, el, every, fit, guard, lineChart, palette, parseParams, player, problemBox, sci, writeParams } from "./ui.js";

export const TARGETS = {
  square: { label: "x² on [0, 2]", f: (x) => x * x, a: 0, b: 2, py: "lambda x: x ** 2", lo: "0", hi: "2" },
  sin: { label: "sin x on [0, 2π]", f: Math.sin, a: 0, b: 2 * Math.PI, py: "torch.sin", lo: "0", hi: "2 * math.pi" },
  abs: { label: "|x| on [-1, 1]", f: Math.abs, a: -1, b: 1, py: "torch.abs", lo: "-1", hi: "1" },
  step: { label: "a step at 0.3 on [-1, 1]", f: (x) => (x >= 0.3 ? 1 : 0), a: -1, b: 1, py: "lambda x: (x >= 0.3).double()", lo: "-1", hi: "1" },
};
export const BUDGET = 1500;       // chapter 4: Adam at 0.02, 1 500 full-batch steps
export const LR = 0.02;
const INIT_LABELS = { default: "default (torch)", xavier: "Xavier, biases 0 (the chapter's fix)", kaiming: "Kaiming, biases 0 (the chapter's fix)" };
export const SPECS = [
  { key: "target", label: "Target", kind: "select", def: "square", options: Object.entries(TARGETS).map(([k, t]) => ({ value: k, label: t.label })) },
  { key: "n", label: "Hinges N (units)", kind: "int", min: 1, max: MAX_WIDTH, def: 8 },
  { key: "method", label: "Weights", kind: "select", def: "hand",
    options: [{ value: "hand", label: "by hand (drag the points)" }, { value: "lsq", label: "least squares (knots fixed)" }, { value: "gd", label: "gradient descent (a ReLU net)" }] },
  { key: "init", label: "Initialisation (gradient descent)", kind: "select", def: "default",
    options: Object.entries(INIT_LABELS).map(([value, label]) => ({ value, label })) },
  { key: "seed", label: "Seed (gradient descent)", kind: "int", min: 0, max: 9999, def: 0 },
  { key: "steps", kind: "int", min: 0, max: 100000, def: 0, urlOnly: true },
];
const FIT_POINTS = 401, ERROR_POINTS = 16001;        // as chapter 4: fine_grid(a, b, 401), nc.errors
const ROLE_TOL = 1e-3;                               // nc.role_table: |w a| below this bends nothing

/** What each unit of a 1-N-1 ReLU net does on [lo, hi], as nonlin_course's unit roles:
 * "dead" (a x + c <= 0 on all of it), "outside" (> 0 on all of it: its knot is outside,
 * it adds a straight line; idle), "zero weight" (knot inside, |w a| < tol; idle) or
 * "kink". Returns the counts and how many knots lie inside. */
export function unitRoles(net, lo, hi) {
  const counts = { kink: 0, "zero weight": 0, outside: 0, dead: 0 };
  const a = net.W[0], c = net.b[0], w = net.W[1];
  for (let i = 0; i < a.length; i++) {
    const atLo = a[i] * lo + c[i], atHi = a[i] * hi + c[i];
    const role = atLo <= 0 && atHi <= 0 ? "dead" : atLo > 0 && atHi > 0 ? "outside"
      : Math.abs(w[i] * a[i]) < ROLE_TOL ? "zero weight" : "kink";
    counts[role] += 1;
  }
  return { ...counts, inside: counts.kink + counts["zero weight"] };
}

const grid = (a, b, n) => Float64Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1));

/** Hinge weights (slope changes) and bias of the broken line through points p[0..N]. */
export function hingesThrough(p) {
  const knots = p.slice(0, -1).map((q) => q[0]), slopes = [];
  for (let i = 0; i + 1 < p.length; i++) slopes.push((p[i + 1][1] - p[i][1]) / (p[i + 1][0] - p[i][0]));
  return { knots, weights: slopes.map((s, i) => (i ? s - slopes[i - 1] : s)), bias: p[0][1] };
}

export const hingeSum = ({ knots, weights, bias }) => (x) => {
  let s = bias;
  for (let i = 0; i < knots.length; i++) if (x > knots[i]) s += weights[i] * (x - knots[i]);
  return s;
};

/** Least squares for the weights and bias of hinges at `knots`, on points (x, y):
 * Householder QR of the design [relu(x - k_1) ... relu(x - k_N), 1]. */
export function leastSquares(x, y, knots) {
  const m = x.length, n = knots.length + 1;
  const A = Array.from({ length: n }, (_, j) => Float64Array.from(x, (v) => (j < knots.length ? Math.max(v - knots[j], 0) : 1)));
  const r = Float64Array.from(y);
  const diag = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const col = A[j];
    let norm = 0;
    for (let i = j; i < m; i++) norm += col[i] * col[i];
    norm = Math.sqrt(norm);
    const alpha = col[j] > 0 ? -norm : norm;
    const u0 = col[j] - alpha;
    col[j] = u0;                       // column j below the diagonal now holds u
    let uu = u0 * u0;
    for (let i = j + 1; i < m; i++) uu += col[i] * col[i];
    diag[j] = alpha;
    if (uu === 0) continue;
    const apply = (v) => { let d = 0; for (let i = j; i < m; i++) d += col[i] * v[i]; d = (2 * d) / uu; for (let i = j; i < m; i++) v[i] -= d * col[i]; };
    for (let k = j + 1; k < n; k++) apply(A[k]);
    apply(r);
  }
  const sol = new Float64Array(n);
  for (let j = n - 1; j >= 0; j--) {
    let s = r[j];
    for (let k = j + 1; k < n; k++) s -= A[k][j] * sol[k];
    sol[j] = Math.abs(diag[j]) > 1e-300 ? s / diag[j] : 0;
  }
  return { knots: knots.slice(), weights: Array.from(sol.subarray(0, n - 1)), bias: sol[n - 1] };
}

/** Max and mean |approx - f| on ERROR_POINTS equally spaced points of [a, b]. */
export function errors(f, approx, a, b) {
  let max = 0, sum = 0;
  const xs = grid(a, b, ERROR_POINTS), ys = approx(xs);
  for (let i = 0; i < xs.length; i++) { const e = Math.abs(ys[i] - f(xs[i])); max = Math.max(max, e); sum += e; }
  return { max, mean: sum / xs.length };
}

const MAX_TICK = 500;
const SPEAK_MS = 5000;   // a playing figure updates its spoken description at most this often
const OWN_DRAWS = "This figure draws its own random numbers: its seed 0 is not the chapter's seed 0, "
  + "so one seed here can end better or worse than the chapter's five. Play stops once at the chapter's "
  + `budget of ${BUDGET.toLocaleString("en")} steps (the dashed line); play again to go on.`;

export function mount(root, prefix = "c4", { colab = "" } = {}) {
  const { values: v, problems } = parseParams(prefix, SPECS);
  const speak = every(SPEAK_MS);
  let T, pts, net, run, picked = 1, hinges, roles = null, curveMse = [];
  const status = el("p", { class: "pg-status" });
  const desc = el("p", { class: "pg-desc", "aria-live": "polite" });
  const curve = el("canvas", { class: "pg-curve", role: "img", tabindex: "0", "aria-label": "The target and the sum of hinges" });
  const parts = el("canvas", { class: "pg-chart", role: "img", "aria-label": "Each hinge: its weight times relu(x - knot)" });
  const losses = el("canvas", { class: "pg-chart", role: "img", "aria-label": `Mean squared error against training steps, the chapter's budget of ${BUDGET} steps dashed` });
  const help = el("p", { class: "pg-legend", text: "Grey: the target; blue: the sum of hinges; dashed lines: the knots. By hand, drag a point (mouse or touch), or focus the figure, pick a point with < and >, and move it with the arrow keys (up and down: height; left and right: knot)." });

  function build() {
    T = TARGETS[v.target];
    const xs = grid(T.a, T.b, v.n + 1);
    pts = Array.from(xs, (x) => [x, T.f(x)]);      // the equal-pieces interpolant, as nc.interpolant
    picked = Math.min(picked, v.n);
    net = run = null; roles = null; curveMse = [];
    if (v.method === "gd") {
      const x = grid(T.a, T.b, FIT_POINTS);
      net = new MLP([1, v.n, 1], "relu").init(v.seed, v.init);
      run = new Trainer(net, { X: x, y: Float64Array.from(x, T.f) }, { loss: "mse", optimizer: "adam", lr: LR, batchSize: FIT_POINTS, seed: v.seed });
      run.order = [Array.from(x, (_, i) => i)];       // full batch, as nc.fit_relu_nets
    }
    solve();
  }
  function solve() {
    if (v.method === "hand") hinges = hingesThrough(pts);
    else if (v.method === "lsq") {
      const x = grid(T.a, T.b, FIT_POINTS);
      hinges = leastSquares(x, Float64Array.from(x, T.f), pts.slice(0, -1).map((p) => p[0]));
    } else {
      const w = net.W[0], bias = net.b[0], out = net.W[1], knots = [], weights = [];
      for (let i = 0; i < v.n; i++) if (w[i] !== 0) { knots.push(-bias[i] / w[i]); weights.push(out[i] * Math.abs(w[i])); }
      hinges = { knots, weights, bias: 0, net: true };
      roles = unitRoles(net, T.a, T.b);
    }
  }
  const approxAt = (xs) => {
    if (v.method !== "gd") { const g = hingeSum(hinges); return Float64Array.from(xs, g); }
    return net.predict(Float64Array.from(xs), xs.length);
  };
  function trainSteps(n) {
    if (!run) return;
    for (let i = 0; i < n; i++) {
      const loss = run.step();
      if (run.steps % 10 === 1) curveMse.push([run.steps - 1, loss]);
      if (run.steps === BUDGET && play.isPlaying()) { play.set(false); break; }
    }
    solve();
  }
  function tick(budgetMs) {
    if (!run) return;
    const start = performance.now();
    let n = 0;     // at most MAX_TICK steps a frame, whatever the clock says
    do { trainSteps(10); n += 10; } while (performance.now() - start < budgetMs && play.isPlaying() && n < MAX_TICK);
  }

  let frame;
  function draw(final = false) {
    guard(status, desc, () => drawAll(final));
  }
  function drawAll(final) {
    const c = palette(curve);
    const { ctx, w, h } = fit(curve, 0.62);
    const xs = grid(T.a, T.b, 400), target = Array.from(xs, T.f), approx = approxAt(xs);
    let lo = Math.min(...target, ...approx), hi = Math.max(...target, ...approx);
    if (v.method === "hand") for (const p of pts) { lo = Math.min(lo, p[1]); hi = Math.max(hi, p[1]); }
    const pad = 0.08 * (hi - lo || 1); lo -= pad; hi += pad;
    frame = { X: (x) => 10 + ((x - T.a) / (T.b - T.a)) * (w - 20), Y: (y) => 10 + ((hi - y) / (hi - lo)) * (h - 20),
      x: (px) => T.a + ((px - 10) / (w - 20)) * (T.b - T.a), y: (py) => hi - ((py - 10) / (h - 20)) * (hi - lo) };
    const { X, Y } = frame;
    ctx.fillStyle = c.bg; ctx.fillRect(0, 0, w, h);
    ctx.strokeStyle = c.axis; ctx.lineWidth = 1; ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
    ctx.setLineDash([4, 4]); ctx.strokeStyle = c.mark;
    for (const k of hinges.knots) if (k > T.a && k < T.b) { ctx.beginPath(); ctx.moveTo(X(k), 0); ctx.lineTo(X(k), h); ctx.stroke(); }
    ctx.setLineDash([]);
    const line = (ys, colour, width) => { ctx.strokeStyle = colour; ctx.lineWidth = width; ctx.beginPath(); xs.forEach((x, i) => (i ? ctx.lineTo(X(x), Y(ys[i])) : ctx.moveTo(X(x), Y(ys[i])))); ctx.stroke(); };
    line(target, c.target, 4);
    line(approx, c.blue, 2);
    if (v.method === "hand") pts.forEach((p, i) => {
      ctx.beginPath(); ctx.arc(X(p[0]), Y(p[1]), i === picked ? 8 : 6, 0, 7);
      ctx.fillStyle = i === picked ? c.orange : c.blue; ctx.fill();
      ctx.strokeStyle = c.bg; ctx.lineWidth = 2; ctx.stroke();
    });
    drawParts(xs);
    lineChart(losses, [{ values: curveMse.map((p) => p[1]), x: (i) => curveMse[i][0], colour: "blue", label: "training mse" }],
      { log: true, xLabel: "steps", yLabel: "mean squared error", xMax: Math.max(BUDGET, run ? run.steps : 0), aspect: 0.4,
        marks: [{ at: BUDGET, label: `chapter's ${BUDGET}` }],
        empty: run ? "press Play or Step to train" : "no training: the weights are set directly (choose gradient descent)" });
    const e = errors(T.f, approxAt, T.a, T.b);
    const inside = hinges.knots.filter((k) => k > T.a && k < T.b).length;
    const counts = roles ? ` · knots inside ${roles.inside} of ${v.n} · idle ${roles.outside + roles["zero weight"]} (knot outside ${roles.outside}, weight ~0 ${roles["zero weight"]}) · dead ${roles.dead}`
      : ` · knots inside ${inside} of ${v.n}`;
    const steps = run ? ` · step ${run.steps} (chapter's budget ${BUDGET})` : "";
    status.textContent = `${v.n} hinges, ${METHOD_LABEL[v.method]} · max error ${sci(e.max)} · mean error ${sci(e.mean)}${steps}${counts}`;
    Object.assign(status.dataset, { method: v.method, n: v.n, maxError: e.max, meanError: e.mean, steps: run ? run.steps : 0,
      inside: roles ? roles.inside : inside, idle: roles ? roles.outside + roles["zero weight"] : "", dead: roles ? roles.dead : "" });
    if (final || !run || speak()) {
      const how = { hand: "placed by hand", lsq: "fitted by least squares with the knots held fixed",
        gd: `trained by gradient descent from ${INIT_LABELS[v.init]} initialisation for ${run ? run.steps : 0} steps` }[v.method];
      const waste = roles ? ` ${roles.inside} of its ${v.n} knots lie inside the interval; ${roles.outside + roles["zero weight"]} units are idle and ${roles.dead} dead.` : "";
      desc.textContent = `${TARGETS[v.target].label} approximated by ${v.n} hinges ${how}: largest error ${sci(e.max)}, mean error ${sci(e.mean)}.${waste}`;
      curve.setAttribute("aria-label", desc.textContent);
    }
    code.update();
  }
  function drawParts(xs) {
    const c = palette(parts);
    const { ctx, w, h } = fit(parts, 0.3);
    ctx.fillStyle = c.bg; ctx.fillRect(0, 0, w, h);
    const curves = hinges.knots.map((k, i) => Array.from(xs, (x) => hinges.weights[i] * Math.max(x - k, 0)));
    const all = curves.flat(), lo = Math.min(0, ...all), hi = Math.max(1e-12, ...all);
    const X = (x) => 4 + ((x - T.a) / (T.b - T.a)) * (w - 8), Y = (y) => 4 + ((hi - y) / (hi - lo || 1)) * (h - 8);
    ctx.strokeStyle = c.axis; ctx.beginPath(); ctx.moveTo(0, Y(0)); ctx.lineTo(w, Y(0)); ctx.stroke();
    curves.forEach((cv, i) => {
      ctx.strokeStyle = `hsl(${(i * 137.5) % 360} 70% ${c.bg === "#fff" ? 38 : 65}%)`; ctx.lineWidth = 1.5; ctx.beginPath();
      cv.forEach((y, j) => (j ? ctx.lineTo(X(xs[j]), Y(y)) : ctx.moveTo(X(xs[j]), Y(y)))); ctx.stroke();
    });
  }

  // dragging (pointer: mouse, pen, touch) and the keyboard, by hand only
  const move = (i, x, y) => {
    const p = pts[i];
    if (i > 0 && i < v.n) { const gap = (T.b - T.a) / 1000; p[0] = Math.min(pts[i + 1][0] - gap, Math.max(pts[i - 1][0] + gap, x)); }
    p[1] = y;
    solve(); draw(true); writeParams(prefix, SPECS, v);
  };
  let dragging = -1;
  curve.addEventListener("pointerdown", (ev) => {
    if (v.method === "lsq" || v.method === "hand") {
      const r = curve.getBoundingClientRect(), px = ev.clientX - r.left, py = ev.clientY - r.top;
      let best = -1, dist = ev.pointerType === "touch" ? 30 : 18;
      pts.forEach((p, i) => { const d = Math.hypot(frame.X(p[0]) - px, (v.method === "hand" ? frame.Y(p[1]) : py) - py); if (d < dist) { dist = d; best = i; } });
      if (best >= 0) { dragging = best; picked = best; curve.setPointerCapture(ev.pointerId); ev.preventDefault(); draw(true); }
    }
  });
  curve.addEventListener("pointermove", (ev) => {
    if (dragging < 0) return;
    const r = curve.getBoundingClientRect();
    const y = v.method === "hand" ? frame.y(ev.clientY - r.top) : pts[dragging][1];
    move(dragging, frame.x(ev.clientX - r.left), y);
  });
  const stop = () => { dragging = -1; };
  curve.addEventListener("pointerup", stop);
  curve.addEventListener("pointercancel", stop);
  curve.addEventListener("keydown", (ev) => {
    if (v.method === "gd") return;
    const dy = (frame.y(0) - frame.y(10)) / 2, dx = (T.b - T.a) / 200, p = pts[picked];
    const keys = { ",": () => { picked = Math.max(0, picked - 1); draw(true); }, "<": () => keys[","](),
      ".": () => { picked = Math.min(v.n, picked + 1); draw(true); }, ">": () => keys["."](),
      ArrowUp: () => move(picked, p[0], p[1] + (v.method === "hand" ? dy : 0)), ArrowDown: () => move(picked, p[0], p[1] - (v.method === "hand" ? dy : 0)),
      ArrowLeft: () => move(picked, p[0] - dx, p[1]), ArrowRight: () => move(picked, p[0] + dx, p[1]) };
    if (keys[ev.key]) { keys[ev.key](); ev.preventDefault(); }
  });

  const code = asCode(() => pythonLines(v), colab, "The same experiment with the course's package, in Python: its "
    + "initial weights come from torch's generator, not this figure's, so the numbers differ a little.");
  const { box, inputs } = controls(SPECS, v, (key, value) => {
    v[key] = value; writeParams(prefix, SPECS, v); play.set(false); buttons();
    if (key === "method" && value === "lsq" && pts.length === v.n + 1) { solve(); draw(true); return; }
    rebuild(); draw(true);
  });
  const play = player({ tick, step: () => trainSteps(1), reset: () => rebuild(), draw });
  const buttons = () => {
    play.box.querySelectorAll("button").forEach((b, i) => { b.disabled = v.method !== "gd" && i < 2; });
    inputs.init.disabled = inputs.seed.disabled = v.method !== "gd";
  };
  const rebuild = () => guard(status, desc, build);
  root.append(problemBox(problems), box, play.box, status,
    el("div", { class: "pg-figures pg-wide" }, el("figure", {}, curve, help), el("figure", {}, parts), el("figure", {}, losses)),
    desc, el("p", { class: "pg-own", text: OWN_DRAWS }), code.box);
  rebuild();
  buttons();
  const t0 = performance.now();
  if (v.steps) trainSteps(v.steps);
  const trainMs = performance.now() - t0;
  draw(true);
  if (v.steps && run) status.dataset.stepsPerSecond = v.steps / (trainMs / 1000);
}

const METHOD_LABEL = { hand: "by hand", lsq: "least squares", gd: "gradient descent" };

/** The nc lines that run the widget's experiment in Python. */
export function pythonLines(v) {
  const T = TARGETS[v.target];
  const head = ["import math, torch", "import nonlin_course as nc", "", `f = ${T.py}`, `a, b = ${T.lo}, ${T.hi}`];
  if (v.method === "gd") {
    return [...head, "x = nc.fine_grid(a, b, 401)",
      `sweep = nc.fit_relu_nets(x, f(x), ${v.n}, [${v.seed}], init="${v.init}", lr=${LR}, epochs=${BUDGET})`,
      "g = sweep.net(0)", "print(nc.errors(f, g, a, b))",
      "print(nc.role_table(sweep, a, b, reference=0.0))   # units per role: kink, idle, dead"].join("\n");
  }
  const hand = `g = nc.interpolant(f, a, b, ${v.n})`;
  const body = v.method === "hand" ? [hand, "# (by hand: the points start as this interpolant's; dragged points are not in the code)"]
    : ["x = nc.fine_grid(a, b, 401)", `g = nc.least_squares(x, f(x), nc.interpolant(f, a, b, ${v.n}).knots)`];
  return [...head, ...body, "print(nc.errors(f, g, a, b))"].join("\n");
}
