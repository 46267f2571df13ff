// Entry point: mounts each widget placeholder the book's {playground} directive wrote
// (<div class="nc-playground" data-widget="ch1|ch2|ch4|ch5" data-prefix="..."
// data-colab="the chapter's Colab edition">).
import * as ch1 from "./ch1.js";
import * as ch2 from "./ch2.js";
import * as ch4 from "./ch4.js";
import * as ch5 from "./ch5.js";

const WIDGETS = { ch1, ch2, ch4, ch5 };
const PREFIX = { ch1: "c1", ch2: "c2", ch4: "c4", ch5: "c5" };

for (const root of document.querySelectorAll(".nc-playground[data-widget]")) {
  const name = root.dataset.widget;
  const body = document.createElement("div");
  body.className = "pg-body";
  root.append(body);
  try {
    if (!(name in WIDGETS)) throw new Error(`unknown widget ${name}; choose one of ${Object.keys(WIDGETS).join(", ")}`);
    const prefix = root.dataset.prefix || PREFIX[name];
    const started = WIDGETS[name].mount(body, prefix, { colab: root.dataset.colab || "" });
    describeCanvases(body, prefix);
    if (started && typeof started.then === "function") {      // a widget that loads its data first
      root.dataset.ready = "loading";
      started.then(() => { root.dataset.ready = "1"; }, (error) => fail(root, body, error));
    } else root.dataset.ready = "1";
  } catch (error) {
    fail(root, body, error);
  }
}

function fail(root, body, error) {
  body.textContent = `This live figure could not start: ${error.message}`;
  body.setAttribute("role", "alert");
  root.dataset.ready = "error";
  console.error(error);
}

// every canvas has a name (its aria-label) and a description: the widget's live sentence
function describeCanvases(body, prefix) {
  const desc = body.querySelector(".pg-desc");
  if (!desc) return;
  if (!desc.id) desc.id = `${prefix}-desc`;
  for (const canvas of body.querySelectorAll("canvas")) {
    if (!canvas.getAttribute("aria-label")) canvas.setAttribute("aria-label", "A live chart of the figure");
    if (!canvas.hasAttribute("aria-describedby")) canvas.setAttribute("aria-describedby", desc.id);
  }
}
