// The campaign's burn-down: the ideal remaining (a straight line from the target to 0 at the deadline) and the graves
// still to remediate at the end of each week, drawn with Chart.js served by the project.
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("burndown-data").textContent);
  var canvas = document.getElementById("burndown-chart");
  if (!canvas || typeof Chart === "undefined") return;
  canvas.dataset.ready = "0";
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: [
        {label: data.series[0], data: data.ideal, borderColor: "#6a6f76", borderDash: [6, 4], pointRadius: 0,
         fill: false},
        {label: data.series[1], data: data.actual, borderColor: "#a5282c", backgroundColor: "rgba(165,40,44,0.12)",
         fill: true, spanGaps: false}
      ]
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: {y: {beginAtZero: true, ticks: {precision: 0}}},
      plugins: {legend: {position: "bottom"}}
    }
  });
  canvas.dataset.ready = "1";
})();
