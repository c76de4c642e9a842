// Charts in both admin sites (the seller dashboard, the ads screens), drawn with the vendored Chart.js
// (static/vendor/chart.js). No inline script: the Content-Security-Policy allows scripts from our own origin only.
// Each <canvas data-chart-series="name" data-chart-source="id"> draws one series of the JSON the template wrote with
// json_script under that id: {"labels": [ISO days], "series": {name: [numbers or null]}}. Options, as attributes:
// data-chart-type="bar" (else a line), data-chart-label, data-chart-span-gaps (join points across missing weeks and
// mark each point), data-chart-whole-numbers (axis ticks without decimals, for counts). Every page also gives the same
// figures in a table.
(function () {
  "use strict";
  if (typeof window.Chart === "undefined") {
    return;
  }
  var styles = window.getComputedStyle(document.documentElement);
  function cssColor(name, fallback) {
    var value = styles.getPropertyValue(name).trim();
    return value || fallback;
  }
  var line = cssColor("--link-fg", "#447e9b");
  var text = cssColor("--body-quiet-color", "#666");
  var grid = cssColor("--hairline-color", "#e8e8e8");
  var sources = {};
  function source(id) {
    if (!(id in sources)) {
      var element = document.getElementById(id);
      try {
        sources[id] = element ? JSON.parse(element.textContent) : null;
      } catch (error) {
        sources[id] = null;
      }
    }
    return sources[id];
  }

  document.querySelectorAll("canvas[data-chart-series]").forEach(function (canvas) {
    var data = source(canvas.dataset.chartSource);
    var values = data && (data.series || {})[canvas.dataset.chartSeries];
    if (!values) {
      return;
    }
    var bar = canvas.dataset.chartType === "bar";
    var spanGaps = "chartSpanGaps" in canvas.dataset;
    new window.Chart(canvas, {
      type: bar ? "bar" : "line",
      data: {
        // "2025-01-31" -> "01-31": a month of days or twelve weeks fit on a phone.
        labels: (data.labels || []).map(function (day) { return String(day).slice(5); }),
        datasets: [{
          label: canvas.dataset.chartLabel || canvas.dataset.chartSeries,
          data: values,
          borderColor: line,
          backgroundColor: bar ? line : "transparent",
          borderWidth: bar ? 0 : 2,
          pointRadius: bar || !spanGaps ? 0 : 3,
          pointHitRadius: 8,
          tension: 0.25,
          spanGaps: spanGaps
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { color: text, maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
          y: {
            beginAtZero: true,
            ticks: { color: text, maxTicksLimit: 5, precision: "chartWholeNumbers" in canvas.dataset ? 0 : undefined },
            grid: { color: grid }
          }
        }
      }
    });
  });
})();
