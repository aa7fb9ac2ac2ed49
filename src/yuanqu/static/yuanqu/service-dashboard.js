// The charts of the service centre's dashboard, drawn from the panel's JSON data island;
// drawn again when htmx swaps in another period's panel.
(function () {
  "use strict";

  var BLUE = "#1f4e79", GREY = "#9fb3c8", GOLD = "#b7791f", RED = "#c0392b";
  var charts = [];

  function make(id) {
    var element = document.getElementById(id);
    return element ? yuanquCharts.init(element) : null;
  }

  // Drawn once the font's glyphs for the panel's text are loaded; a panel swapped in meanwhile
  // is drawn by its own request, the older one then does nothing.
  var requested = 0;
  function start() {
    var island = document.getElementById("service-data");
    if (!island || typeof echarts === "undefined") return;
    var ticket = ++requested;
    yuanquCharts.whenReady(island.textContent, function () {
      if (ticket === requested) draw(JSON.parse(island.textContent));
    });
  }

  function draw(data) {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];

    var zoneDay = make("chart-zone-day");
    if (zoneDay) {
      var grid = data.by_zone_and_day;
      zoneDay.setOption({
        grid: { left: 44, right: 16, top: 56, bottom: 28 },
        legend: { top: 0, type: "scroll" },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: grid.days.map(function (day) { return day.slice(5); }) },
        yAxis: { type: "value", name: "件" },
        series: grid.zones.map(function (name, row) {
          return { name: name, type: "bar", stack: "cases", data: grid.counts[row] };
        })
      });
      charts.push(zoneDay);
    }

    var elapsed = make("chart-elapsed");
    if (elapsed) {
      var items = data.item_times.slice(0, 12);
      elapsed.setOption({
        grid: { left: 44, right: 16, top: 36, bottom: 70 },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: items.map(function (item) { return item.name; }),
                 axisLabel: { interval: 0, rotate: 30, fontSize: 10 } },
        yAxis: { type: "value", name: "工作日" },
        series: [
          { name: "平均用时", type: "bar", itemStyle: { color: BLUE }, data: items.map(function (item) { return item.average_days === null ? 0 : parseFloat(item.average_days); }) },
          { name: "90%分位", type: "bar", itemStyle: { color: GREY }, data: items.map(function (item) { return item.p90_days; }) },
          { name: "承诺时限", type: "line", itemStyle: { color: GOLD }, data: items.map(function (item) { return item.promised_limit_days; }) },
          { name: "法定时限", type: "line", itemStyle: { color: RED }, lineStyle: { type: "dashed" }, data: items.map(function (item) { return item.legal_limit_days; }) }
        ]
      });
      charts.push(elapsed);
    }

    var overdue = make("chart-overdue");
    if (overdue) {
      var lines = data.departments;
      overdue.setOption({
        grid: { left: 16, right: 24, top: 36, bottom: 28, containLabel: true },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", name: "件", minInterval: 1 },
        yAxis: { type: "category", data: lines.map(function (line) { return line.department; }), inverse: true },
        series: [
          { name: "超期办结", type: "bar", stack: "late", itemStyle: { color: GOLD }, data: lines.map(function (line) { return line.completed_late; }) },
          { name: "超期未办结", type: "bar", stack: "late", itemStyle: { color: RED }, data: lines.map(function (line) { return line.open_overdue; }) }
        ]
      });
      charts.push(overdue);
    }
    document.body.setAttribute("data-charts-drawn", String(charts.length));
  }

  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
  document.addEventListener("DOMContentLoaded", start);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "dashboard-panel") start();
  });
  document.addEventListener("htmx:afterSettle", start);
})();
