/* satupintu desk charts: draws the charts a page describes in JSON, with Chart.js.
 *
 * No inline script: a template puts the chart's description in a JSON script element (Django's
 * json_script filter) and points a canvas at it with data-chart; this file, loaded after
 * satupintu/vendor/chartjs/chart.umd.min.js, draws every such canvas when the page loads and
 * whenever htmx brings new content (polling panels, the wallboard), and frees the charts whose
 * canvas has left the page. A canvas already drawn is left alone; to redraw one after changing
 * its JSON, call window.satupintuCharts.draw(canvas).
 *
 *   {{ backlog_chart|json_script:"chart-backlog" }}
 *   <figure class="chart">
 *     <canvas data-chart="chart-backlog" role="img" aria-describedby="backlog-table"></canvas>
 *   </figure>
 *   <table id="backlog-table">...the same figures, with links...</table>
 *
 * The description (what domain/dashboard.py's callers build):
 *   {
 *     "type": "bar" | "line" | "doughnut" | "pie",
 *     "title": "Reports by status",        aria-label of the canvas
 *     "labels": ["Diterima", "Diproses"],  categories (x axis, or slices)
 *     "series": [{
 *       "label": "Reports",                legend and tooltip
 *       "data": [12, 30],                  one number (or null) per label
 *       "links": ["/petugas/...", ...],    optional: where a click on each point goes
 *       "colour": 3                        optional: index into the palette
 *     }],
 *     "horizontal": false,                 bars along the y axis
 *     "stacked": false,
 *     "unit": "%",                         appended to values in ticks and tooltips
 *     "min": 0, "max": 100,                optional bounds of the value axis
 *     "aspectRatio": 2                     optional; data-chart-fill on the canvas fills its box
 *   }
 *
 * Colours are the Okabe-Ito colour-blind-safe palette (the same list as
 * satupintu.domain.dashboard.SERIES_COLOURS); text takes the canvas's CSS colour, so a dark
 * theme (the wallboard) is followed. Numbers are formatted for the page's lang. Links must be
 * paths on this site ("/..."); anything else is ignored. A chart is a picture: the table beside
 * it is its text alternative and the keyboard's way to the same links.
 */
(function () {
  "use strict";

  var PALETTE = [
    "#0072B2", /* blue */
    "#E69F00", /* orange */
    "#009E73", /* bluish green */
    "#D55E00", /* vermillion */
    "#CC79A7", /* reddish purple */
    "#56B4E9", /* sky blue */
    "#F0E442", /* yellow */
    "#000000"  /* black */
  ];
  var ROUND = { doughnut: true, pie: true };
  var TYPES = { bar: true, line: true, doughnut: true, pie: true };

  function colour(index) { return PALETTE[index % PALETTE.length]; }

  function localPath(url) {
    return typeof url === "string" && /^\/(?![\/\\])/.test(url) ? url : null;
  }

  /* The canvas's CSS colour with another alpha, for grid lines. */
  function faded(cssColour, alpha) {
    var rgb = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(cssColour || "");
    return rgb ? "rgba(" + rgb[1] + "," + rgb[2] + "," + rgb[3] + "," + alpha + ")" : "rgba(128,128,128," + alpha + ")";
  }

  function readSpec(canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source || source.tagName !== "SCRIPT" || source.type !== "application/json") { return null; }
    try {
      var spec = JSON.parse(source.textContent);
      return spec && TYPES[spec.type] ? spec : null;
    } catch (error) {
      return null;
    }
  }

  function buildConfig(spec, canvas) {
    var round = !!ROUND[spec.type];
    var text = window.getComputedStyle(canvas).color;
    var grid = faded(text, 0.2);
    var lang = document.documentElement.lang || "id";
    var numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 1 });
    var unit = spec.unit || "";
    var format = function (value) { return value === null || value === undefined ? "–" : numbers.format(value) + unit; };
    var labels = spec.labels || [];
    var series = spec.series || [];
    var valueAxis = spec.horizontal ? "x" : "y";
    var reduced = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

    var datasets = series.map(function (item, i) {
      var own = colour(typeof item.colour === "number" ? item.colour : i);
      return {
        label: item.label || "",
        data: item.data || [],
        backgroundColor: round ? labels.map(function (_, j) { return colour(j); }) : own,
        borderColor: round ? faded(text, 0) : own,
        borderWidth: round ? 0 : 2,
        pointRadius: spec.type === "line" ? 2 : 0,
        tension: 0.2,
        links: item.links || null
      };
    });

    function valueScale() {
      var scale = {
        stacked: !!spec.stacked,
        beginAtZero: true,
        ticks: { color: text, callback: function (value) { return format(value); } },
        grid: { color: grid }
      };
      if (typeof spec.min === "number") { scale.min = spec.min; }
      if (typeof spec.max === "number") { scale.max = spec.max; }
      return scale;
    }
    var categoryScale = { stacked: !!spec.stacked, ticks: { color: text }, grid: { display: false } };
    var scales = {};
    if (!round) {
      scales[valueAxis] = valueScale();
      scales[valueAxis === "y" ? "x" : "y"] = categoryScale;
    }

    function linkAt(elements) {
      if (!elements.length) { return null; }
      var links = datasets[elements[0].datasetIndex].links;
      return links ? localPath(links[elements[0].index]) : null;
    }

    return {
      type: spec.type,
      data: { labels: labels, datasets: datasets },
      options: {
        locale: lang,
        color: text,
        indexAxis: spec.horizontal ? "y" : "x",
        responsive: true,
        maintainAspectRatio: !canvas.hasAttribute("data-chart-fill"),
        aspectRatio: typeof spec.aspectRatio === "number" ? spec.aspectRatio : (round ? 1 : 2),
        animation: reduced ? false : { duration: 300 },
        scales: scales,
        plugins: {
          legend: { display: round || datasets.length > 1, labels: { color: text } },
          tooltip: {
            callbacks: {
              label: function (context) {
                var value = round ? context.parsed : context.parsed[valueAxis];
                var name = round ? context.label : context.dataset.label;
                return (name ? name + ": " : "") + format(value);
              }
            }
          }
        },
        onClick: function (event, elements) {
          var url = linkAt(elements);
          if (url) { window.location.assign(url); }
        },
        onHover: function (event, elements) {
          canvas.style.cursor = linkAt(elements) ? "pointer" : "";
        }
      }
    };
  }

  function draw(canvas) {
    var spec = readSpec(canvas);
    if (!spec) { return null; }
    var previous = window.Chart.getChart(canvas);
    if (previous) { previous.destroy(); }
    if (spec.title) { canvas.setAttribute("aria-label", spec.title); }
    if (!canvas.hasAttribute("role")) { canvas.setAttribute("role", "img"); }
    return new window.Chart(canvas, buildConfig(spec, canvas));
  }

  /* Charts whose canvas htmx (or anything else) removed from the page. */
  function forgetDetached() {
    var instances = window.Chart.instances || {};
    Object.keys(instances).forEach(function (key) {
      var chart = instances[key];
      if (chart && chart.canvas && !chart.canvas.isConnected) { chart.destroy(); }
    });
  }

  function drawAll(root) {
    if (!window.Chart) { return; }
    forgetDetached();
    var scope = root && root.querySelectorAll ? root : document;
    var canvases = Array.prototype.slice.call(scope.querySelectorAll("canvas[data-chart]"));
    if (scope.matches && scope.matches("canvas[data-chart]")) { canvases.push(scope); }
    canvases.forEach(function (canvas) {
      if (!window.Chart.getChart(canvas)) { draw(canvas); }
    });
  }

  window.satupintuCharts = { palette: PALETTE.slice(), draw: draw, drawAll: drawAll };

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  /* htmx fires htmx:load on every element it adds (a polled panel, a swapped wallboard slide). */
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
})();
