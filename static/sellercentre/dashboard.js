// Draws the seller dashboard's weekly charts with the vendored Chart.js (static/vendor/chart.js) from the page's JSON
// (json_script "seller-dashboard-data": {"labels": [ISO days], "series": {name: [numbers or null]}}). Each
// <canvas data-sc-series="name"> gets one series; data-sc-type="bar" makes it a bar chart. No inline script (the
// Content-Security-Policy allows scripts from our own origin only); the same figures are in a table on the page.
(function () {
  "use strict";
  var source = document.getElementById("seller-dashboard-data");
  if (!source || typeof window.Chart === "undefined") {
    return;
  }
  var data;
  try {
    data = JSON.parse(source.textContent);
  } catch (error) {
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
  // "2025-01-27" -> "01-27": twelve weeks fit on a phone.
  var labels = (data.labels || []).map(function (day) { return String(day).slice(5); });

  document.querySelectorAll("canvas[data-sc-series]").forEach(function (canvas) {
    var values = (data.series || {})[canvas.dataset.scSeries];
    if (!values) {
      return;
    }
    var bar = canvas.dataset.scType === "bar";
    new window.Chart(canvas, {
      type: bar ? "bar" : "line",
      data: {
        labels: labels,
        datasets: [{
          label: canvas.dataset.scLabel || canvas.dataset.scSeries,
          data: values,
          borderColor: line,
          backgroundColor: bar ? line : "transparent",
          borderWidth: bar ? 0 : 2,
          pointRadius: bar ? 0 : 3,
          pointHitRadius: 8,
          tension: 0.25,
          spanGaps: true
        }]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        plugins: { legend: { display: false } },
        scales: {
          x: { ticks: { color: text, maxTicksLimit: 6, maxRotation: 0 }, grid: { display: false } },
          y: { beginAtZero: true, ticks: { color: text, maxTicksLimit: 5, precision: 0 }, grid: { color: grid } }
        }
      }
    });
  });
})();
