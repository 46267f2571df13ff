"""Drive the playground's live widgets in headless Chromium, offline (`make test-site`).

Usage: python tools/check_playground.py [SITE_DIR] [--screenshots DIR]

The built Playground page is served from 127.0.0.1 and opened with every other host
unresolvable (the browser, server and flags of tools/check_site.py). Each widget is
driven through its URL: a fixed seed and a number of training steps, trained before the
page settles, with no animation. From what the widgets write into their status lines
(``data-*`` attributes), this asserts what the chapters claim, on seeds 0 to 4:

- chapter 1, moons, one hidden layer of 10 units, AdamW at 1e-3, 12 500 steps (the
  chapter's 50 epochs): ReLU reaches at least 0.9 mean test accuracy over the seeds,
  the linear model (activation none) stays below 0.9 on every seed;
- chapter 2, circles, 4 hidden layers of 5 units, Adam at 1e-4, 7 500 steps (the
  chapter's 300 epochs): the first-to-last layer ratio of mean |gradient| stays below
  1e-2 with sigmoid and above 0.1 with ReLU, on every seed;
- chapter 4: 8 equal hinges on x^2 over [0, 2] give a maximum error of 1/64; least
  squares on the same knots does better; gradient descent runs and ends finite;
- a bad URL parameter is reported, naming what is allowed, and the default is used;
- the playground's JavaScript stays within 200 KB.

It also measures (never asserts) how many training steps chapter 1's default fits into
an animation frame: frames played back to back in real time (``c1.bench``).
With --screenshots, saves the page at desktop (1280 px) and phone (390 px) width.
"""
import argparse
import math
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from check_site import (BROWSER_FLAGS, PHONE_WIDTH, profile_root, browse,  # noqa: E402
                        ensure_chromium, screenshot, serve)

SEEDS = range(5)
CH1_STEPS = 12_500          # chapter 1: 50 epochs of batches of 32 over 8 000 points
CH2_STEPS = 7_500           # chapter 2: 300 epochs of batches of 32 over 800 points
JS_BUDGET = 200_000
BENCH_FRAMES = 120


class _Widgets(HTMLParser):
    """Per widget (data-widget): its data-ready, status line's data-* and problem texts."""

    def __init__(self):
        super().__init__()
        self.widgets, self.current, self.in_problem = {}, None, False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if "nc-playground" in classes and "data-widget" in attrs:
            self.current = self.widgets.setdefault(
                attrs["data-widget"], {"ready": attrs.get("data-ready"), "status": None,
                                       "problems": []})
        elif self.current is not None and "pg-status" in classes and self.current["status"] is None:
            self.current["status"] = {k[5:]: v for k, v in attrs.items() if k.startswith("data-")}
        elif self.current is not None and "pg-problems" in classes:
            self.in_problem = True

    def handle_endtag(self, tag):
        if tag == "div":
            self.in_problem = False

    def handle_data(self, data):
        if self.in_problem and self.current is not None and data.strip():
            self.current["problems"].append(data.strip())


def widgets(dom: str) -> dict:
    """{widget name: {"ready", "status" (data-* of its status line), "problems"}}."""
    parser = _Widgets()
    parser.feed(dom)
    return parser.widgets


def number(widget: dict, key: str) -> float:
    """A status attribute as a float (NaN when missing or empty)."""
    try:
        return float((widget.get("status") or {}).get(key, "nan") or "nan")
    except ValueError:
        return math.nan


def claims(runs: list[tuple[dict, dict]]) -> list[str]:
    """What the chapters claim, checked on each seed's two page loads (``relu``: ReLU on
    moons, a deep ReLU net, equal hinges; ``linear``: the linear model, a deep sigmoid
    net, least squares), one pair per seed. Accuracy: the mean over the seeds (a few
    seeds of a 10-unit ReLU net stay at the linear solution, in torch too); everything
    else on every seed. Returns the failures."""
    problems = []
    for seed, (relu, linear) in enumerate(runs):
        for name, page in (("ReLU page", relu), ("contrast page", linear)):
            for widget in ("ch1", "ch2", "ch4"):
                if page.get(widget, {}).get("ready") != "1":
                    problems.append(f"seed {seed}, {name}: widget {widget} did not start")
        acc_linear = number(linear.get("ch1", {}), "test-acc")
        if not acc_linear < 0.9:
            problems.append(f"seed {seed}: the linear model on moons reached {acc_linear}, want < 0.9")
        ratio_relu, ratio_sigmoid = number(relu.get("ch2", {}), "ratio"), number(linear.get("ch2", {}), "ratio")
        if not ratio_sigmoid < 1e-2:
            problems.append(f"seed {seed}: deep sigmoid first/last gradient ratio {ratio_sigmoid}, want < 1e-2")
        if not ratio_relu > 0.1:
            problems.append(f"seed {seed}: deep ReLU first/last gradient ratio {ratio_relu}, want > 0.1")
        hand, lsq = number(relu.get("ch4", {}), "max-error"), number(linear.get("ch4", {}), "max-error")
        if not abs(hand - 1 / 64) < 1e-12:
            problems.append(f"8 equal hinges on x^2: max error {hand}, want 1/64")
        if not lsq < hand:
            problems.append(f"least squares on 8 equal knots: max error {lsq}, want below {hand}")
    accs = [number(relu.get("ch1", {}), "test-acc") for relu, _ in runs]
    mean = sum(accs) / len(accs) if accs else math.nan
    if not mean >= 0.9:
        problems.append(f"ReLU on moons: mean test accuracy {mean} over seeds {accs}, want >= 0.9")
    return problems


def query(seed: int, contrast: bool) -> str:
    """The URL query of one seed's ReLU page or its contrast page."""
    if contrast:
        return (f"?c1.act=none&c1.steps={CH1_STEPS}&c1.seed={seed}&c2.act=sigmoid"
                f"&c2.steps={CH2_STEPS}&c2.seed={seed}&c4.target=square&c4.n=8&c4.method=lsq")
    return (f"?c1.act=relu&c1.steps={CH1_STEPS}&c1.seed={seed}&c2.act=relu"
            f"&c2.steps={CH2_STEPS}&c2.seed={seed}&c4.target=square&c4.n=8&c4.method=hand")


BAD_QUERY = "?c1.act=swish&c2.depth=12&c4.n=abc&c4.colour=red"


def bad_parameters(page: dict) -> list[str]:
    """A bad value per widget (and an unknown name) must be reported with what is
    allowed, and each widget still starts with its defaults."""
    problems = []
    wanted = {"ch1": ["c1.act=swish", "choose one of", "using relu"],
              "ch2": ["c2.depth=12", "from 1 to 8", "using 4"],
              "ch4": ["c4.n=abc", "from 1 to 32", "c4.colour is not a setting"]}
    for widget, phrases in wanted.items():
        w = page.get(widget, {})
        text = " ".join(w.get("problems", []))
        for phrase in phrases:
            if phrase not in text:
                problems.append(f"bad parameters: {widget} shows {text!r}, missing {phrase!r}")
        if w.get("ready") != "1":
            problems.append(f"bad parameters: widget {widget} did not start with its defaults")
    return problems


def js_size(site: Path) -> int:
    return sum(p.stat().st_size for p in (site / "_static" / "playground").glob("*.js"))


def bench(chromium: str, url: str) -> dict:
    """Chapter 1's default played BENCH_FRAMES frames back to back in real time (no
    virtual time: the page reads the clock), as the status line reports it."""
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile_root() / 'bench'}",
               "--window-size=1280,2000", "--dump-dom", url]
    run = subprocess.run(command, capture_output=True, text=True, timeout=300)
    return (widgets(run.stdout).get("ch1") or {}).get("status") or {}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("site", nargs="?", default="_build/html", type=Path)
    parser.add_argument("--screenshots", type=Path, help="folder for desktop/phone PNGs")
    args = parser.parse_args(argv)
    pages = [p for p in args.site.rglob("playground.html") if "_static" not in p.parts]
    if not pages:
        sys.exit(f"no playground.html under {args.site}: run `make book` first")
    page = pages[0].relative_to(args.site).as_posix()
    chromium = ensure_chromium()
    server, base = serve(args.site)
    problems = []
    try:
        def load(q):
            run = browse(chromium, base + page + q, "--window-size=1280,2000", "--dump-dom")
            return widgets(run.stdout)
        runs = []
        for seed in SEEDS:
            relu, linear = load(query(seed, False)), load(query(seed, True))
            runs.append((relu, linear))
            print(f"seed {seed}: moons test accuracy ReLU {number(relu.get('ch1', {}), 'test-acc'):.4f}, "
                  f"linear {number(linear.get('ch1', {}), 'test-acc'):.4f}; first/last gradient "
                  f"ReLU {number(relu.get('ch2', {}), 'ratio'):.3g}, sigmoid "
                  f"{number(linear.get('ch2', {}), 'ratio'):.3g}; x^2 max error, 8 hinges: "
                  f"equal {number(relu.get('ch4', {}), 'max-error'):.6g}, least squares "
                  f"{number(linear.get('ch4', {}), 'max-error'):.6g}")
        problems += claims(runs)
        accs = [number(relu.get("ch1", {}), "test-acc") for relu, _ in runs]
        print(f"ReLU on moons: mean test accuracy {sum(accs) / len(accs):.4f} over {len(accs)} seeds, "
              f"min {min(accs):.4f}, max {max(accs):.4f}")
        gd = load("?c4.method=gd&c4.steps=1500").get("ch4", {})
        gd_error = number(gd, "max-error")
        print(f"gradient descent, 8 hinges on x^2, 1500 steps: max error {gd_error:.4g}")
        if not (gd.get("ready") == "1" and math.isfinite(gd_error) and number(gd, "steps") == 1500):
            problems.append(f"chapter 4 by gradient descent did not run: {gd}")
        problems += bad_parameters(load(BAD_QUERY))
        size = js_size(args.site)
        print(f"playground JavaScript: {size / 1000:.1f} KB (budget {JS_BUDGET / 1000:.0f} KB)")
        if size > JS_BUDGET:
            problems.append(f"playground JavaScript is {size} bytes, over {JS_BUDGET}")
        speed = bench(chromium, f"{base}{page}?c1.bench={BENCH_FRAMES}")
        print("chapter 1 default, frames back to back: "
              f"{float(speed.get('bench-steps-per-frame', 'nan')):.0f} steps per frame, "
              f"{float(speed.get('bench-ms-per-frame', 'nan')):.1f} ms per frame "
              f"({float(speed.get('bench-draw-ms-per-frame', 'nan')):.1f} ms drawing), "
              f"{float(speed.get('bench-train-steps-per-second', 'nan')):.0f} training steps/s "
              "(measured, not asserted; inflated by a shared machine)")
        if args.screenshots:
            for label, width in (("desktop", 1280), ("phone", PHONE_WIDTH)):
                screenshot(chromium, base, page + query(0, False),
                           args.screenshots / f"playground.{label}.png", width)
            print(f"screenshots in {args.screenshots}")
    finally:
        server.shutdown()
        shutil.rmtree(profile_root(), ignore_errors=True)
    for problem in problems:
        print(f"FAIL {problem}")
    print("playground: " + ("all claims hold" if not problems else f"{len(problems)} failures"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
