// Entry point: mounts each widget placeholder the book's {playground} directive wrote
// (<div class="nc-playground" data-widget="ch1|ch2|ch4" data-prefix="...">).
import * as ch1 from "./ch1.js";
import * as ch2 from "./ch2.js";
import * as ch4 from "./ch4.js";

const WIDGETS = { ch1, ch2, ch4 };
const PREFIX = { ch1: "c1", ch2: "c2", ch4: "c4" };

for (const root of document.querySelectorAll(".nc-playground[data-widget]")) {
  const name = root.dataset.widget;
  const body = document.createElement("div");
  body.className = "pg-body";
  root.append(body);
  try {
    if (!(name in WIDGETS)) throw new Error(`unknown widget ${name}; choose one of ${Object.keys(WIDGETS).join(", ")}`);
    WIDGETS[name].mount(body, root.dataset.prefix || PREFIX[name]);
    root.dataset.ready = "1";
  } catch (error) {
    body.textContent = `This live figure could not start: ${error.message}`;
    body.setAttribute("role", "alert");
    root.dataset.ready = "error";
    console.error(error);
  }
}
