"""Drive the playground's live widgets in headless Chromium, offline (`make test-site`).

Usage: python tools/check_playground.py [SITE_DIR] [--screenshots DIR]

The built Playground page is served from 127.0.0.1 and opened with every other host
unresolvable (the browser and flags of tools/check_site.py); every HTML page served gets a
small script first that records errors and ``console.error`` calls. It fails on any of:

- **every control**: tools/playground_drive.js, run inside the page, sets every option of
  every select, the lowest, highest and default value of every number and both states of
  every checkbox of every widget, steps, and checks after each change that the widget
  shows no error, no broken number (NaN, undefined), no blank chart, a name and a
  description on every canvas, and a status or description that names the new setting (a
  stale label fails); it also runs chapter 4's gradient descent with the most units from
  every initialisation, every activation of chapter 1 with the linear regions on (a
  count for the piecewise-linear ones, the reason for the others), Play, Reset, the copy
  button and the Colab link of each widget;
- **every URL setting**: one frame with a good value for every key of every widget (numbers
  spelled otherwise: 12.0, 1e-3), each read back by its control, and one with a bad value
  for every key and an unknown key, each reported, its control at the default;
- **dark mode**: the page again with prefers-color-scheme: dark emulated (the theme
  follows it): the widgets' text at 4.5:1 or more against its background, the chart
  colours at 3:1 against the chart's (also checked in light mode);
- **what the chapters claim**, on seeds 0 to 4 from the status lines' ``data-*``:
  chapter 1, moons, 2 -> 10 -> 2, AdamW at 1e-3, 12 500 steps (50 epochs): ReLU reaches
  at least 0.9 mean test accuracy over the seeds, the linear model stays below 0.9 on
  every seed; chapter 2, circles, 4 hidden layers of 5, Adam at 1e-4, 7 500 steps (300
  epochs): the first-to-last gradient ratio stays below 1e-2 with sigmoid and above 0.1
  with ReLU on every seed, and, as the widget says, sigmoid's test accuracy stays below
  0.6 on every seed and ends above 0.5 on some; chapter 4: 8 equal hinges on x^2 err by
  1/64, least squares on the same knots does better, gradient descent runs and ends
  finite;
- a console error from the playground's own scripts, or playground JavaScript over 200 KB.

It prints the training steps per second of each widget (measured in real time, never
asserted) and the lowest contrast found. With --screenshots, saves the page at desktop
(1280 px) and phone (390 px) width.
"""
import argparse
import functools
import html
import http.server
import json
import math
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, str(Path(__file__).parent))
from check_site import BROWSER_FLAGS, PHONE_WIDTH, profile_root, ensure_chromium

SEEDS = range(5)
CH1_STEPS = 12_500          # chapter 1: 50 epochs of batches of 32 over 8 000 points
CH2_STEPS = 7_500           # chapter 2: 300 epochs of batches of 32 over 800 points
JS_BUDGET = 200_000
DRIVER = Path(__file__).with_name("playground_drive.js")
DARK_FLAGS = ("--force-dark-mode", "--blink-settings=preferredColorScheme=0")
SPEED = {"ch1": "c1.steps=3000", "ch2": "c2.steps=3000", "ch4": "c4.method=gd&c4.steps=1500",
         "ch5": "c5.steps=225"}     # ch5: the chapter's 5 epochs
CATCHER = """<script>window.__pgErrors = [];
addEventListener("error", function (e) { __pgErrors.push({message: String(e.message || (e.target && (e.target.src || e.target.href)) || e),
  source: String(e.filename || (e.target && (e.target.src || e.target.href)) || "")}); }, true);
addEventListener("unhandledrejection", function (e) { __pgErrors.push({message: "unhandled rejection: " +
  String(e.reason && e.reason.message || e.reason), source: String(e.reason && e.reason.stack || "")}); });
(function () { var original = console.error; console.error = function () {
  __pgErrors.push({message: Array.prototype.map.call(arguments, String).join(" "), source: String(new Error().stack)});
  return original.apply(console, arguments); }; })();
addEventListener("load", function () { setTimeout(function () { var p = document.createElement("pre");
  p.id = "pg-errors"; p.textContent = JSON.stringify(__pgErrors); document.body.appendChild(p); }, 3000); });
</script>"""


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
            for widget in ("ch1", "ch2", "ch4", "ch5"):
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
        acc_sigmoid = number(linear.get("ch2", {}), "test-acc")
        if not acc_sigmoid < 0.6:
            problems.append(f"seed {seed}: deep sigmoid test accuracy {acc_sigmoid} at 300 epochs, "
                            "want < 0.6 (the widget says so)")
        hand, lsq = number(relu.get("ch4", {}), "max-error"), number(linear.get("ch4", {}), "max-error")
        if not abs(hand - 1 / 64) < 1e-12:
            problems.append(f"8 equal hinges on x^2: max error {hand}, want 1/64")
        if not lsq < hand:
            problems.append(f"least squares on 8 equal knots: max error {lsq}, want below {hand}")
    sigmoid = [number(linear.get("ch2", {}), "test-acc") for _, linear in runs]
    if not max(sigmoid, default=math.nan) > 0.5:
        problems.append(f"deep sigmoid at 300 epochs: test accuracies {sigmoid}, none above 0.5; "
                        "the widget says some seeds end above the chapter's 50 %")
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


BAD_QUERY = "?c1.act=swish&c2.depth=13&c4.n=abc&c4.colour=red&c5.norm=groupnorm"


def bad_parameters(page: dict) -> list[str]:
    """A bad value per widget (and an unknown name) must be reported with what is
    allowed, and each widget still starts with its defaults."""
    problems = []
    wanted = {"ch1": ["c1.act=swish", "choose one of", "using relu"],
              "ch2": ["c2.depth=13", "from 1 to 12", "using 4"],
              "ch4": ["c4.n=abc", "from 1 to 32", "c4.colour is not a setting"],
              "ch5": ["c5.norm=groupnorm", "choose one of none, batchnorm, layernorm", "using none"]}
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


def browse(chromium: str, url: str, *extra: str, budget: int | None = 15_000,
           timeout: int = 600) -> subprocess.CompletedProcess:
    """Headless chromium on ``url`` with a fresh profile and the site checker's flags;
    ``budget``: virtual milliseconds to let the page run (None: real time, and the DOM
    is taken once the load event has fired)."""
    profile = tempfile.mkdtemp(dir=profile_root())
    clock = [f"--virtual-time-budget={budget}"] if budget is not None else []
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", *clock, *extra, url]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)


class _Handler(http.server.SimpleHTTPRequestHandler):
    """Serves the site with CATCHER first in every HTML page; ``__drive=1`` in the query
    appends the driver, ``__hold=MS`` a frame that keeps the load event back MS
    milliseconds (so a widget's asynchronous start finishes in real time before
    --dump-dom); ``/__hold__`` answers after that wait."""

    reports: ClassVar[dict] = {}    # token -> the driver's report (its POST to /__report__)
    arrived = threading.Condition()

    def do_POST(self):
        url = urlsplit(self.path)
        if url.path != "/__report__":
            return self.send_error(404)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with self.arrived:
            self.reports[parse_qs(url.query)["id"][0]] = json.loads(body)
            self.arrived.notify_all()
        self._send(b"ok")

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        if url.path == "/__hold__":
            time.sleep(int(query.get("ms", ["0"])[0]) / 1000)
            return self._send(b"<!DOCTYPE html><title>hold</title>")
        file = Path(self.translate_path(url.path))
        if file.suffix != ".html" or not file.is_file():
            return super().do_GET()
        page = file.read_text()
        page = re.sub(r"<head>", lambda m: m.group(0) + CATCHER, page, count=1)
        extra = ""
        if "__drive" in query:
            extra += f"<script>{DRIVER.read_text()}</script>"
        if "__hold" in query:
            extra += f'<iframe hidden title="hold" src="/__hold__?ms={int(query["__hold"][0])}"></iframe>'
        head, tail = page.rsplit("</body>", 1)
        self._send((head + extra + "</body>" + tail).encode())

    def _send(self, body: bytes):
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):   # the browser was closed first
            pass

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)   # a closed browser is no error


def serve(site: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``site`` through :class:`_Handler` on a free port; returns the base URL."""
    server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def found_json(dom: str, element_id: str):
    """The JSON a script wrote into ``<pre id=element_id>``, or None."""
    match = re.search(rf'<pre id="{element_id}">([^<]*)</pre>', dom)
    return json.loads(html.unescape(match.group(1))) if match else None


def own_errors(errors: list) -> list[str]:
    """The recorded errors that come from the playground's scripts (other scripts' errors
    belong to the theme; tools/check_site.py and its audits look at those)."""
    return [e["message"] for e in errors or []
            if "_static/playground/" in e.get("source", "") + e.get("message", "")]


def driven(report: dict | None, mode: str) -> list[str]:
    """Failures in the driver's ``report`` of one run in ``mode`` ("light" or "dark")."""
    if report is None:
        return [f"{mode}: the driver wrote no report"]
    if "crashed" in report:
        return [f"{mode}: the driver crashed: {report['crashed']}"]
    problems = [f"{mode}: {failure}" for failure in report["failures"]]
    problems += [f"{mode}: console error {message}" for message in own_errors(report["errors"])]
    if report["theme"] != mode:
        problems.append(f"{mode}: the page came up in the theme's {report['theme']} mode")
    if report["checks"] < 100:
        problems.append(f"{mode}: only {report['checks']} checks ran")
    return problems


def drive(chromium: str, url: str, dark: bool, timeout: int = 900) -> dict | None:
    """Run the driver on the page at ``url`` and return the report it posts (None when
    none came within ``timeout`` seconds or the browser ended first)."""
    token = f"{'dark' if dark else 'light'}-{time.monotonic_ns()}"
    profile = tempfile.mkdtemp(dir=profile_root())
    command = [chromium, *BROWSER_FLAGS, f"--user-data-dir={profile}", "--virtual-time-budget=3600000",
               "--window-size=1280,3000", "--dump-dom", *(DARK_FLAGS if dark else ()),
               f"{url}?__drive={token}"]
    browser = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    try:
        with _Handler.arrived:
            while token not in _Handler.reports and browser.poll() is None and time.monotonic() < deadline:
                _Handler.arrived.wait(1.0)
    finally:
        browser.kill()
        browser.wait()
    return _Handler.reports.pop(token, None)


def speed(chromium: str, url: str, widget: str) -> float:
    """Training steps per second of one widget's configuration in SPEED, measured in real
    time (no virtual time) by the widget itself; NaN when it did not report."""
    run = browse(chromium, f"{url}?{SPEED[widget]}&__hold=8000", "--window-size=1280,3000",
                 "--dump-dom", budget=None)
    return number(widgets(run.stdout).get(widget, {}), "steps-per-second")


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
            found = widgets(run.stdout)
            problems.extend(f"console error {m} ({q[:60]})" for m in own_errors(found_json(run.stdout, "pg-errors")))
            return found
        for mode in ("light", "dark"):
            report = drive(chromium, base + page, mode == "dark")
            problems += driven(report, mode)
            if report and report.get("contrast"):
                text = [c for c in report["contrast"] if not c[1].startswith("canvas")]
                chart = [c for c in report["contrast"] if c[1].startswith("canvas")]
                low, low_chart = min(text, key=lambda c: c[2]), min(chart, key=lambda c: c[2])
                print(f"{mode} mode: {report['checks']} checks of every control and URL setting; lowest "
                      f"text contrast {low[2]:.2f} ({low[0]} {low[1]}), lowest chart colour "
                      f"{low_chart[2]:.2f} ({low_chart[1]})")
        runs = []
        for seed in SEEDS:
            relu, linear = load(query(seed, False)), load(query(seed, True))
            runs.append((relu, linear))
            print(f"seed {seed}: moons test accuracy ReLU {number(relu.get('ch1', {}), 'test-acc'):.4f}, "
                  f"linear {number(linear.get('ch1', {}), 'test-acc'):.4f}; first/last gradient "
                  f"ReLU {number(relu.get('ch2', {}), 'ratio'):.3g}, sigmoid "
                  f"{number(linear.get('ch2', {}), 'ratio'):.3g} (sigmoid test accuracy "
                  f"{number(linear.get('ch2', {}), 'test-acc'):.3f}); x^2 max error, 8 hinges: "
                  f"equal {number(relu.get('ch4', {}), 'max-error'):.6g}, least squares "
                  f"{number(linear.get('ch4', {}), 'max-error'):.6g}")
        problems += claims(runs)
        accs = [number(relu.get("ch1", {}), "test-acc") for relu, _ in runs]
        print(f"ReLU on moons: mean test accuracy {sum(accs) / len(accs):.4f} over {len(accs)} seeds, "
              f"min {min(accs):.4f}, max {max(accs):.4f}")
        gd = load("?c4.method=gd&c4.steps=1500").get("ch4", {})
        gd_error = number(gd, "max-error")
        print(f"gradient descent, 8 hinges on x^2, 1500 steps: max error {gd_error:.4g}, knots inside "
              f"{(gd.get('status') or {}).get('inside')}, idle {(gd.get('status') or {}).get('idle')}, "
              f"dead {(gd.get('status') or {}).get('dead')}")
        if not (gd.get("ready") == "1" and math.isfinite(gd_error) and number(gd, "steps") == 1500):
            problems.append(f"chapter 4 by gradient descent did not run: {gd}")
        problems += bad_parameters(load(BAD_QUERY))
        size = js_size(args.site)
        print(f"playground JavaScript: {size / 1000:.1f} KB (budget {JS_BUDGET / 1000:.0f} KB)")
        if size > JS_BUDGET:
            problems.append(f"playground JavaScript is {size} bytes, over {JS_BUDGET}")
        for widget, setting in SPEED.items():
            print(f"{widget} ({setting}): {speed(chromium, base + page, widget):.0f} training steps/s "
                  "(measured, not asserted; a shared machine slows it)")
        if args.screenshots:
            args.screenshots.mkdir(parents=True, exist_ok=True)
            for label, width in (("desktop", 1280), ("phone", PHONE_WIDTH)):
                browse(chromium, base + page + query(0, False), f"--window-size={width},6000",
                       f"--screenshot={args.screenshots / f'playground.{label}.png'}")
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
