// The supervision board's charts: measures of each colour over time (from the recorded
// history) and each task's progress against 序时进度. The data tables under them hold the same.
(function () {
  "use strict";

  var COLORS = { red: "#c0392b", yellow: "#b7791f", blue: "#1f6fb2", green: "#2e7d4f" };

  function drawHistory(data) {
    var element = document.getElementById("colour-history-chart");
    if (!element || !window.echarts) return null;
    var chart = yuanquCharts.init(element);
    chart.setOption({
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      xAxis: { type: "category", data: data.history.map(function (p) { return p.on; }) },
      yAxis: { type: "value", minInterval: 1 },
      series: data.colours.map(function (colour) {
        return {
          type: "bar", stack: "all", name: colour.name, itemStyle: { color: COLORS[colour.code] },
          data: data.history.map(function (p) { return p[colour.code]; })
        };
      })
    });
    return chart;
  }

  function drawProgress(data) {
    var element = document.getElementById("task-progress-chart");
    if (!element || !window.echarts) return null;
    var chart = yuanquCharts.init(element);
    var names = data.tasks.map(function (t) { return t.name; });
    chart.setOption({
      grid: { left: 110, right: 40, top: 30, bottom: 30 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: { top: 0 },
      xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
      yAxis: { type: "category", inverse: true, data: names },
      series: [
        {
          type: "bar", name: "进度", itemStyle: { color: "#66737f" },
          data: data.tasks.map(function (t) { return { value: t.progress, itemStyle: { color: COLORS[t.colour] } }; }),
          label: { show: true, position: "right", formatter: function (p) { return p.value === null ? "—" : p.value.toFixed(1) + "%"; } }
        },
        {
          type: "scatter", name: "序时进度", symbol: "rect", symbolSize: [3, 18], itemStyle: { color: "#1d2733" },
          data: data.tasks.map(function (t) { return t.expected; })
        }
      ]
    });
    return chart;
  }

  var element = document.getElementById("supervision-board-data");
  if (!element || !window.echarts) return;
  var charts = [];
  yuanquCharts.whenReady(element.textContent, function () {
    var data = JSON.parse(element.textContent);
    charts = [drawHistory(data), drawProgress(data)].filter(Boolean);
    document.body.setAttribute("data-charts-drawn", String(charts.length));
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
