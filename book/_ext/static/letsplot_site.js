/* lets-plot on the built site (book/_ext/letsplot_offline.py adds this file to the pages
   that have a figure, and only to those).

   Each figure is shown as a static SVG (book/_ext/static_figures.py); lets-plot's saved
   output sits hidden inside the figure's frame. This file defines window.letsPlotCall,
   which that output calls, and makes a figure interactive (lets-plot's tooltips) only
   when the reader points at it, touches it or tabs into it:

   - lets-plot's library (2.9 MB, served from _static next to this file) is requested
     then, once for the page; a reader who only reads never downloads it;
   - the interactive figure is drawn over the static one, at the static one's size, so
     the page does not move; the static image stays underneath for screen readers;
   - each static image shows the dark SVG in the theme's dark mode (followMode);
   - in the theme's dark mode it is drawn in the dark flavour of the static dark image
     (recolour below: the rules of book/_ext/figure_colours.py), and drawn again when the
     reader switches mode. */
(function () {
  "use strict";
  var LIBRARY = document.currentScript.src.replace(/letsplot_site\.js(\?.*)?$/,
                                                   "lets-plot.min.js");
  var DARK_PAPER = "#14181e";   // figure_colours.DARK_PAPER
  var DARK_INK = "#d0d0d0";     // figure_colours.DARK_INK
  var PALE = 0.7;               // figure_colours.PALE
  var DARKER = 0.7;             // figure_colours.DARKER
  var HEX = /^#[0-9a-fA-F]{6}$/;

  var waiting = [];      // drawing functions handed over before the library arrived
  var figures = [];      // {spec, div, model, dark}
  var build = null;      // lets-plot's own buildPlotFromProcessedSpecs
  var requested = false;

  window.letsPlotCall = function (draw) {
    if (build) { draw(); } else { waiting.push(draw); requestLibrary(); }
  };

  function requestLibrary() {
    if (requested) { return; }
    requested = true;
    var script = document.createElement("script");
    script.src = LIBRARY;
    script.onload = function () {
      build = LetsPlot.buildPlotFromProcessedSpecs;
      LetsPlot.buildPlotFromProcessedSpecs = function (spec, div) {
        var figure = {spec: spec, div: div};
        figures.push(figure);
        return draw(figure);
      };
      waiting.splice(0).forEach(function (f) { f(); });
    };
    document.head.appendChild(script);
  }

  // A figure becomes interactive when the reader reaches it: its hidden output is shown
  // and lets-plot's saved script run, which (watching its size) hands its drawing to
  // letsPlotCall.
  function activate(event) {
    var figure = event.target.closest && event.target.closest("figure.nc-figure");
    if (!figure || figure.classList.contains("is-live")) { return; }
    var live = figure.querySelector(".nc-figure-live");
    if (!live) { return; }
    figure.classList.add("is-live");
    live.hidden = false;
    live.setAttribute("aria-hidden", "true");   // the static image keeps the name
    // lets-plot's saved script was written inert (static_figures.py): run it now
    live.querySelectorAll('script[type="text/plain"][data-lets-plot-script="plot"]')
      .forEach(function (inert) {
        var script = document.createElement("script");
        script.text = inert.textContent;
        inert.replaceWith(script);
      });
  }
  ["pointerover", "touchstart", "focusin"].forEach(function (type) {
    document.addEventListener(type, activate, {passive: true});
  });

  // ------------------------------------------------------------------- dark flavour

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  // figure_colours.mirrored: a pale colour's HSL lightness l becomes DARKER (1 - l), same
  // hue and saturation: each channel lowered by max + min - 1 (channels in 0..1), scaled.
  function mirrored(colour) {
    if (typeof colour !== "string" || !HEX.test(colour)) { return colour; }
    var rgb = [1, 3, 5].map(function (i) { return parseInt(colour.substr(i, 2), 16) / 255; });
    var shift = Math.max.apply(null, rgb) + Math.min.apply(null, rgb) - 1;
    if (shift <= 2 * PALE - 1) { return colour; }
    return "#" + rgb.map(function (v) {
      return ("0" + Math.round((v - shift) * DARKER * 255).toString(16)).slice(-2);
    }).join("");
  }

  function colourColumns(data) {
    Object.keys(data || {}).forEach(function (name) {
      var values = data[name];
      if (Array.isArray(values) && values.length && values.every(function (v) {
        return typeof v === "string" && HEX.test(v);
      })) {
        data[name] = values.map(mirrored);
      }
    });
  }

  function recolour(spec) {   // figure_colours.dark_spec, in place
    spec.theme = spec.theme || {};
    spec.theme.flavor = "darcula";
    spec.theme.plot_background = {fill: DARK_PAPER, color: DARK_PAPER, blank: false};
    colourColumns(spec.data);
    (spec.layers || []).forEach(function (layer) {
      colourColumns(layer.data);
      ["color", "fill"].forEach(function (key) {
        if (typeof layer[key] === "string" &&
            ["black", "#000000", "#000"].indexOf(layer[key].toLowerCase()) >= 0) {
          layer[key] = DARK_INK;
        }
      });
    });
    (spec.scales || []).forEach(function (scale) {
      if (scale.aesthetic === "fill" || (Array.isArray(scale.aesthetic) &&
          scale.aesthetic.length === 1 && scale.aesthetic[0] === "fill")) {
        ["low", "mid", "high", "na_value"].forEach(function (key) {
          if (key in scale) { scale[key] = mirrored(scale[key]); }
        });
        if (Array.isArray(scale.values)) { scale.values = scale.values.map(mirrored); }
      }
    });
    (spec.figures || []).forEach(function (f) { if (f) { recolour(f); } });
  }

  function draw(figure) {
    var dark = isDark();
    if (figure.model && figure.dark === dark) { return figure.model; }
    if (figure.model && typeof figure.model.dispose === "function") { figure.model.dispose(); }
    figure.div.innerHTML = "";
    figure.dark = dark;
    var spec = JSON.parse(JSON.stringify(figure.spec));
    if (dark) { recolour(spec); }
    var frame = figure.div.closest(".nc-figure-frame") || figure.div;
    var sizing = {width_mode: "FIXED", height_mode: "FIXED",
                  width: frame.clientWidth, height: frame.clientHeight};
    figure.model = build.call(LetsPlot, spec, figure.div, sizing);
    return figure.model;
  }

  // The static images follow the theme's mode: the dark SVG (data-dark) in dark mode.
  var PAPER = {light: "rgb(255, 255, 255)", dark: "rgb(20, 24, 30)"};   // static_figures.PAPER
  function followMode() {
    var mode = isDark() ? "dark" : "light";
    document.querySelectorAll("img.nc-figure-image").forEach(function (img) {
      if (!img.dataset.light) { img.dataset.light = img.getAttribute("src"); }
      if (img.dataset.mode === mode) { return; }
      img.setAttribute("src", mode === "dark" ? img.dataset.dark : img.dataset.light);
      img.dataset.mode = mode;
      img.dataset.paper = PAPER[mode];
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", followMode);
  } else { followMode(); }

  new MutationObserver(function () { followMode(); figures.forEach(draw); })
    .observe(document.documentElement, {attributes: true, attributeFilter: ["data-theme"]});
})();
