/* lets-plot on the built site (book/_ext/letsplot_offline.py adds this file to the pages
   that have a figure, and only to those).

   A saved figure output is a container <div> and a script that hands a drawing function
   to window.letsPlotCall. This file defines that function and:

   - loads lets-plot's library (2.9 MB, served from _static next to this file) only once
     the page's text has painted, so the text is readable while the library arrives, and
     then draws every figure handed over so far;
   - fits each figure to its column: on a narrow screen (a phone) the panels of a
     gggrid([...]) stack in one column and a facet_wrap keeps only the columns that fit,
     so that no panel is out of sight, and a legend on the right moves below the plot;
   - draws the figures in a dark flavour when the theme is in dark mode (and again when
     the reader switches mode), on the page's own background, so they are not white cards;
   - draws them again when the column's width changes (a phone turned sideways). */
(function () {
  "use strict";
  var LIBRARY = document.currentScript.src.replace(/letsplot_site\.js(\?.*)?$/,
                                                   "lets-plot.min.js");
  var MIN_PANEL = 300;   // px: narrower than this, gggrid panels stack
  var MIN_FACET = 170;   // px: a facet_wrap column keeps at least this much
  var LEGEND_BELOW = 560;   // px: in a narrower column a legend on the right goes below
  var DEFAULT_SIZE = [600, 400];   // lets-plot's size for a figure without ggsize
  var DARK_INK = "#d0d0d0";   // in dark mode, what the figures drew in black
  var CHAR_WIDTH = 9;     // px: about the width of a title character, to wrap titles

  var waiting = [];      // drawing functions handed over before the library arrived
  var figures = [];      // {spec, div, sizing, model, room, dark}
  var build = null;      // lets-plot's own buildPlotFromProcessedSpecs
  var requested = false;

  window.letsPlotCall = function (draw) {
    if (build) { draw(); } else { waiting.push(draw); }
  };

  function requestLibrary() {
    if (requested) { return; }
    requested = true;
    var script = document.createElement("script");
    script.src = LIBRARY;
    script.onload = function () {
      build = LetsPlot.buildPlotFromProcessedSpecs;
      LetsPlot.buildPlotFromProcessedSpecs = function (spec, div, sizing) {
        var figure = {spec: spec, div: div, sizing: sizing};
        figures.push(figure);
        return draw(figure);
      };
      waiting.splice(0).forEach(function (f) { f(); });
    };
    document.head.appendChild(script);
  }

  // The library is requested after the first contentful paint (or, where the browser
  // does not report paints, once the page has loaded).
  function afterPaint() { setTimeout(requestLibrary, 0); }
  if (window.PerformanceObserver && PerformanceObserver.supportedEntryTypes &&
      PerformanceObserver.supportedEntryTypes.indexOf("paint") >= 0) {
    new PerformanceObserver(function (list, observer) {
      if (list.getEntriesByName("first-contentful-paint").length) {
        observer.disconnect();
        afterPaint();
      }
    }).observe({type: "paint", buffered: true});
  }
  window.addEventListener("load", afterPaint);

  // ------------------------------------------------------------ fitting and colouring

  function isDark() {
    return document.documentElement.dataset.theme === "dark";
  }

  function hex(rgb) {
    var parts = rgb.match(/\d+(\.\d+)?/g);
    // a see-through background (a tint over the page) counts as none
    if (!parts || (parts.length > 3 && parseFloat(parts[3]) < 0.5)) { return null; }
    return "#" + parts.slice(0, 3).map(function (v) {
      return ("0" + parseInt(v, 10).toString(16)).slice(-2);
    }).join("");
  }

  function background(element) {   // the colour the figure sits on
    for (var e = element; e && e.nodeType === 1; e = e.parentElement) {
      var colour = hex(getComputedStyle(e).backgroundColor);
      if (colour) { return colour; }
    }
    return "#121212";
  }

  function size(spec) {
    var own = spec.ggsize || {};
    return [own.width || DEFAULT_SIZE[0], own.height || DEFAULT_SIZE[1]];
  }

  function facetCount(spec) {
    var names = [].concat(spec.facet.facets || []), seen = {};
    [spec].concat(spec.layers || []).forEach(function (part) {
      names.forEach(function (name) {
        ((part.data || {})[name] || []).forEach(function (v) { seen[name + "\u0000" + v] = 1; });
      });
    });
    return Object.keys(seen).length;
  }

  // Fewer columns for a grid of ``count`` cells laid out ``ncol`` wide in ``width`` px,
  // when ``room`` px cannot hold them at ``least`` px each; the height grows with the rows.
  function regrid(spec, layout, count, room, least) {
    var own = size(spec), ncol = layout.ncol, nrow = Math.ceil(count / ncol);
    var fit = Math.max(1, Math.min(ncol, Math.floor(room / least)));
    if (fit >= ncol || room >= own[0]) { return; }
    var rows = Math.ceil(count / fit), cellWidth = own[0] / ncol;
    var shrink = Math.min(1, room / (fit * cellWidth));
    layout.ncol = fit;
    layout.nrow = rows;
    delete layout.widths;
    delete layout.heights;
    spec.ggsize = {width: room,
                   height: Math.round(own[1] / nrow * rows * Math.max(shrink, 0.75))};
  }

  function recolour(spec, dark, paper) {
    spec.theme = spec.theme || {};
    if (dark) {
      spec.theme.flavor = "darcula";
      spec.theme.plot_background = {fill: paper, color: paper, blank: false};
      (spec.layers || []).forEach(function (layer) {
        ["color", "fill"].forEach(function (key) {
          if (layer[key] === "black" || layer[key] === "#000000") { layer[key] = DARK_INK; }
        });
      });
    }
    (spec.figures || []).forEach(function (f) { if (f) { recolour(f, dark, paper); } });
  }

  // A title longer than ``width`` px allows is broken into lines (lets-plot does not wrap).
  function wrapTitles(spec, width) {
    var most = Math.max(12, Math.floor((width - 60) / CHAR_WIDTH));   // 60: the y axis
    if (spec.ggtitle && typeof spec.ggtitle.text === "string" && spec.ggtitle.text.length > most) {
      var lines = [""];
      spec.ggtitle.text.split(" ").forEach(function (word) {
        var last = lines[lines.length - 1];
        if (last && (last + " " + word).length > most) { lines.push(word); }
        else { lines[lines.length - 1] = last ? last + " " + word : word; }
      });
      spec.ggtitle.text = lines.join("\n");
    }
    var columns = (spec.layout && spec.layout.ncol) || 1;
    (spec.figures || []).forEach(function (f) { if (f) { wrapTitles(f, width / columns); } });
  }

  // About how wide a one-row legend of the figure's colour keys would be, in px.
  function legendWidth(spec) {
    var width = 0;
    [spec].concat(spec.layers || []).forEach(function (part) {
      ["color", "fill"].forEach(function (key) {
        var column = (part.mapping || {})[key] || (spec.mapping || {})[key];
        var values = column && ((part.data || {})[column] || (spec.data || {})[column]);
        if (!values) { return; }
        var levels = {};
        values.forEach(function (v) { levels[v] = 1; });
        var names = Object.keys(levels);
        if (names.length <= 12) {   // a discrete legend (a colour bar has a fixed width)
          width = Math.max(width, 60 + names.reduce(function (sum, name) {
            return sum + 30 + CHAR_WIDTH * name.length;
          }, 0));
        }
      });
    });
    return width;
  }

  // On a narrow screen legends go below the plot, in one row if it fits, else in a column.
  function legendsBelow(spec, width) {
    spec.theme = spec.theme || {};
    var position = spec.theme.legend_position;
    if (position === undefined || position === "right" || position === "left") {
      spec.theme.legend_position = "bottom";
    }
    if (spec.theme.legend_position !== "none" && legendWidth(spec) > width) {
      spec.theme.legend_direction = "vertical";
    }
    var columns = (spec.layout && spec.layout.ncol) || 1;
    (spec.figures || []).forEach(function (f) { if (f) { legendsBelow(f, width / columns); } });
  }

  function adapt(original, room, dark, paper) {
    var spec = JSON.parse(JSON.stringify(original));
    if (room > 0 && spec.kind === "subplots" && spec.layout && spec.layout.ncol > 1) {
      regrid(spec, spec.layout, (spec.figures || []).length, room, MIN_PANEL);
    } else if (room > 0 && spec.facet && spec.facet.name === "wrap" && spec.facet.ncol > 1) {
      var ncol = spec.facet.ncol;
      regrid(spec, spec.facet, facetCount(spec), room, MIN_FACET);
      if (spec.facet.ncol < ncol) {   // narrow panels: smaller panel titles, so they fit
        spec.theme = spec.theme || {};
        spec.theme.strip_text = Object.assign({}, spec.theme.strip_text, {size: 9});
      }
    }
    if (room > 0 && room < LEGEND_BELOW) { legendsBelow(spec, room); }
    if (room > 0) { wrapTitles(spec, Math.min(room, size(spec)[0])); }
    recolour(spec, dark, paper);
    return spec;
  }

  function draw(figure) {
    var room = figure.div.clientWidth, dark = isDark();
    if (figure.model && figure.room === room && figure.dark === dark) { return figure.model; }
    if (figure.model && typeof figure.model.dispose === "function") { figure.model.dispose(); }
    figure.div.innerHTML = "";
    figure.room = room;
    figure.dark = dark;
    var spec = adapt(figure.spec, room, dark, dark ? background(figure.div) : null);
    figure.model = build.call(LetsPlot, spec, figure.div, figure.sizing);
    return figure.model;
  }

  function redrawAll() { figures.forEach(draw); }

  new MutationObserver(redrawAll).observe(document.documentElement,
                                          {attributes: true, attributeFilter: ["data-theme"]});
  var pending = null;
  window.addEventListener("resize", function () {
    clearTimeout(pending);
    pending = setTimeout(redrawAll, 200);
  });
})();
