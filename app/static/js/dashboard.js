// The dashboard's charts: every canvas[data-chart] names the JSON block (written by the server from
// the chart's table, app/reporting/charts.py) that Chart.js draws. A line chart may mark one day
// (the deadline) with a dashed line. No data comes from anywhere else.
(function () {
  "use strict";

  if (typeof window.Chart === "undefined") {
    return; // the tables below each chart still give every number
  }

  // Okabe-Ito: told apart by people with colour-blindness, and in greyscale by their order.
  var COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"];
  var locale = document.documentElement.lang || "en";
  var still = window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;

  var markerLine = {
    id: "markerLine",
    afterDatasetsDraw: function (chart, _args, options) {
      if (!options || options.index === undefined) {
        return;
      }
      var x = chart.scales.x.getPixelForValue(options.index);
      var area = chart.chartArea;
      var context = chart.ctx;
      context.save();
      context.strokeStyle = "#D55E00";
      context.lineWidth = 2;
      context.setLineDash([6, 4]);
      context.beginPath();
      context.moveTo(x, area.top);
      context.lineTo(x, area.bottom);
      context.stroke();
      context.setLineDash([]);
      context.fillStyle = "#D55E00";
      context.font = "bold 12px system-ui, sans-serif";
      context.textAlign = x > area.left + (area.right - area.left) / 2 ? "right" : "left";
      context.fillText(options.label, x + (context.textAlign === "right" ? -4 : 4), area.top + 12);
      context.restore();
    }
  };

  // Long labels (regions with their districts, reasons) in lines of at most `width` characters:
  // Chart.js draws an array as one line per item instead of cutting the text at the edge.
  function wrap(label, width) {
    var lines = [];
    String(label).split(" ").forEach(function (word) {
      var last = lines.length - 1;
      if (last >= 0 && (lines[last] + " " + word).length <= width) {
        lines[last] += " " + word;
      } else {
        lines.push(word);
      }
    });
    return lines;
  }

  function height(data) {
    var narrow = window.innerWidth < 576;
    if (data.kind === "hbar") {
      var lines = data.labels.reduce(function (sum, label) { return sum + wrap(label, 24).length; }, 0);
      return Math.max(140, lines * 16 + data.labels.length * (10 + 12 * data.datasets.length) + 60);
    }
    if (data.kind === "doughnut") {
      return narrow ? 300 : 280;
    }
    return narrow ? 240 : 280;
  }

  function datasets(data) {
    return data.datasets.map(function (set, i) {
      var colour = COLOURS[i % COLOURS.length];
      if (data.kind === "doughnut") {
        return {label: set.label, data: set.data, backgroundColor: data.labels.map(function (_l, j) {
          return COLOURS[j % COLOURS.length];
        })};
      }
      if (data.kind === "line") {
        return {label: set.label, data: set.data, borderColor: colour, backgroundColor: colour, pointRadius: 2,
                tension: 0, spanGaps: false};
      }
      return {label: set.label, data: set.data, backgroundColor: colour, borderColor: colour};
    });
  }

  function options(data) {
    var found = {
      responsive: true,
      maintainAspectRatio: false,
      locale: locale,
      animation: still ? false : undefined,
      plugins: {
        legend: {display: data.kind === "doughnut" || data.datasets.length > 1, position: "bottom"},
        markerLine: data.marker || {}
      }
    };
    if (data.kind === "doughnut") {
      return found;
    }
    var value = {beginAtZero: true, ticks: {precision: 0}};
    if (data.percent) {
      value.max = 100;
      value.ticks = {callback: function (tick) { return tick + "%"; }};
    }
    var category = {ticks: {autoSkip: true, maxRotation: 0}};
    if (data.kind === "hbar") {
      found.indexAxis = "y";
      found.scales = {x: value, y: category};
    } else {
      found.scales = {x: category, y: value};
    }
    return found;
  }

  Array.prototype.forEach.call(document.querySelectorAll("canvas[data-chart]"), function (canvas) {
    var source = document.getElementById(canvas.getAttribute("data-chart"));
    if (!source) {
      return;
    }
    var data = JSON.parse(source.textContent);
    canvas.parentNode.style.height = height(data) + "px";
    new window.Chart(canvas, {
      type: data.kind === "hbar" ? "bar" : data.kind,
      data: {labels: data.kind === "doughnut" ? data.labels : data.labels.map(function (label) {
        return wrap(label, data.kind === "hbar" ? 24 : 16);
      }), datasets: datasets(data)},
      options: options(data),
      plugins: data.marker ? [markerLine] : []
    });
  });
})();
