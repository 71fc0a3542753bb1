/* Commander dashboard: draws the four charts from the JSON the page embeds (#dashboard-data) with the
   vendored Chart.js. No inline script or style: the page's CSP allows only nonce'd script files. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || typeof Chart === "undefined") {
    return;
  }
  var data = JSON.parse(source.textContent);
  var green = "#3b5323";
  var palette = ["#3b5323", "#c8102e", "#d4a017", "#1f6fb2", "#6c757d"];
  var vn = new Intl.NumberFormat("vi-VN", { maximumFractionDigits: 1 });
  var charts = [];

  Chart.defaults.animation = false; // drawn at once: the print and the screenshots see the final chart
  Chart.defaults.maintainAspectRatio = false;
  Chart.defaults.font.family = "system-ui, sans-serif";
  if (document.body.classList.contains("dashboard-print")) {
    // The printable version draws at the paper's size: smaller text keeps every label and legend whole.
    Chart.defaults.font.size = 9;
    Chart.defaults.plugins.legend.labels.boxWidth = 8;
  }

  function ticks(suffix) {
    return { callback: function (value) { return vn.format(value) + (suffix || ""); } };
  }

  function tooltip(suffix) {
    return {
      callbacks: {
        label: function (ctx) {
          var v = ctx.parsed.x !== undefined && ctx.chart.options.indexAxis === "y" ? ctx.parsed.x : ctx.parsed.y;
          return (ctx.dataset.label ? ctx.dataset.label + ": " : "") + (v === null ? "—" : vn.format(v) + (suffix || ""));
        },
      },
    };
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (canvas) {
      charts.push(new Chart(canvas, config));
    }
  }

  draw("chart-funnel", {
    type: "bar",
    data: { labels: data.funnel.labels, datasets: [{ label: data.funnel.label, data: data.funnel.values, backgroundColor: green }] },
    options: {
      indexAxis: "y",
      plugins: { legend: { display: false }, tooltip: tooltip("") },
      scales: { x: { beginAtZero: true, ticks: ticks("") } },
    },
  });

  // The colours of the states the commune table shows (units.figures.figure_state).
  var stateColours = { ok: "#1a7f37", warning: "#d4a017", at_risk: "#c8102e", preparation: "#1f6fb2", no_data: "#adb5bd" };

  draw("chart-handover", {
    type: "bar",
    data: {
      labels: data.handover.labels,
      datasets: [{
        label: data.handover.label,
        data: data.handover.values,
        backgroundColor: (data.handover.states || []).map(function (s) { return stateColours[s] || "#1f6fb2"; }),
      }],
    },
    options: {
      plugins: { legend: { display: false }, tooltip: tooltip(" %") },
      scales: {
        // Every commune is named: no label is skipped for lack of room, they turn instead.
        x: { ticks: { autoSkip: false, maxRotation: 90, minRotation: 0, font: { size: 10 } } },
        y: { beginAtZero: true, suggestedMax: 100, ticks: ticks(" %") },
      },
    },
  });

  draw("chart-force", {
    type: "doughnut",
    data: { labels: data.force_types.labels, datasets: [{ label: data.force_types.label, data: data.force_types.values, backgroundColor: palette }] },
    options: { plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } } },
  });

  draw("chart-trend", {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: data.trend.series.map(function (s, i) {
        return {
          label: s.label,
          data: s.values,
          borderColor: palette[i % palette.length],
          backgroundColor: palette[i % palette.length],
          borderDash: s.axis === "count" ? [6, 3] : [],
          yAxisID: s.axis === "count" ? "count" : "percent",
          spanGaps: true,
        };
      }),
    },
    options: {
      plugins: { legend: { position: "bottom", labels: { boxWidth: 10 } } },
      scales: {
        percent: { position: "left", beginAtZero: true, title: { display: true, text: data.axis_percent }, ticks: ticks(" %") },
        count: { position: "right", beginAtZero: true, grid: { drawOnChartArea: false }, title: { display: true, text: data.axis_count }, ticks: ticks("") },
      },
    },
  });

  // Paper is narrower than the screen: redraw at the printed size, and back afterwards.
  function resizeAll() {
    charts.forEach(function (chart) { chart.resize(); });
  }
  window.addEventListener("beforeprint", resizeAll);
  window.addEventListener("afterprint", resizeAll);
})();
