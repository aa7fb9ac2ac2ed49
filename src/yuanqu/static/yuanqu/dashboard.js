// The dashboard's charts, drawn from the JSON data island of the panel. The panel is
// swapped by htmx when the zone or period changes, so charts are (re)drawn after each swap.
(function () {
  "use strict";

  var charts = [];
  var COLORS = { zone: "#1f4e79", peer: "#9fb3c8", required: "#c0504d", actual: "#1f4e79" };

  function pct(value) {
    return value === null || value === undefined ? "—" : value.toFixed(1) + "%";
  }

  function make(id) {
    var element = document.getElementById(id);
    if (!element) return null;
    var chart = yuanquCharts.init(element);
    charts.push(chart);
    return chart;
  }

  function empty(chart, text) {
    chart.setOption({ title: { text: text, left: "center", top: "middle", textStyle: { color: "#888", fontSize: 14, fontWeight: "normal" } } }, true);
  }

  function drawRanking(chart, data, code) {
    if (!chart) return;
    var item = data.ranking[code];
    var rows = item ? item.rows.filter(function (row) { return row.measure !== null; }) : [];
    if (rows.length < 2) {
      empty(chart, "本期没有可排位的同级地区数据");
      return;
    }
    var byGrowth = item.basis === "growth";
    chart.setOption({
      grid: { left: 8, right: 48, top: 10, bottom: 8, containLabel: true },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "value", axisLabel: { formatter: byGrowth ? "{value}%" : "{value}" } },
      yAxis: { type: "category", inverse: true, axisLabel: { interval: 0 }, data: rows.map(function (row) { return row.place + (row.is_sample ? "（示例）" : ""); }) },
      series: [{
        type: "bar",
        data: rows.map(function (row) {
          return { value: row.measure, itemStyle: { color: row.is_zone ? COLORS.zone : COLORS.peer } };
        }),
        label: { show: true, position: "right", formatter: function (p) { return byGrowth ? pct(p.value) : p.value; } }
      }]
    }, true);
    document.querySelectorAll(".ranking-table").forEach(function (table) {
      table.hidden = table.getAttribute("data-indicator") !== code;
    });
  }

  function drawTroika(chart, data) {
    if (!chart) return;
    if (!data.troika.some(function (row) { return row.growth !== null; })) {
      empty(chart, "本期没有“三驾马车”增速");
      return;
    }
    chart.setOption({
      grid: { left: 40, right: 20, top: 30, bottom: 30 },
      tooltip: { trigger: "axis" },
      xAxis: { type: "category", data: data.troika.map(function (row) { return row.name; }), axisLabel: { interval: 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      series: [{
        type: "bar", barWidth: "40%", itemStyle: { color: COLORS.zone },
        data: data.troika.map(function (row) { return row.growth; }),
        label: { show: true, position: "top", formatter: function (p) { return pct(p.value); } }
      }]
    });
  }

  function drawGoals(chart, data) {
    if (!chart) return;
    var rows = data.goals.filter(function (row) { return row.required !== null; });
    if (!rows.length) {
      empty(chart, "没有可计算的中长期目标");
      return;
    }
    // A level goal needs nominal growth; where the scorecard shows an official real growth
    // (GDP, 可比价), the chart's bar is computed from the two levels and the chart says so.
    var notes = rows.filter(function (row) { return row.note; }).map(function (row) { return row.note; });
    chart.setOption({
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 36, bottom: notes.length ? 30 + 18 * notes.length : 30 },
      tooltip: { trigger: "axis", valueFormatter: pct },
      xAxis: { type: "category", data: rows.map(function (row) { return row.name; }), axisLabel: { interval: 0 } },
      yAxis: { type: "value", axisLabel: { formatter: "{value}%" } },
      graphic: notes.map(function (note, index) {
        return { type: "text", left: 8, bottom: 4 + 18 * (notes.length - 1 - index), style: { text: note, fill: "#66737f", fontSize: 12 } };
      }),
      series: [
        { name: "所需年均增长", type: "bar", itemStyle: { color: COLORS.required }, data: rows.map(function (row) { return row.required; }),
          label: { show: true, position: "top", formatter: function (p) { return pct(p.value); } } },
        { name: "本期实际增长（现价）", type: "bar", itemStyle: { color: COLORS.actual }, data: rows.map(function (row) { return row.actual; }),
          label: { show: true, position: "top", formatter: function (p) { return pct(p.value) + (rows[p.dataIndex].note ? "*" : ""); } } }
      ]
    });
  }

  function drawTrend(chart, data) {
    if (!chart) return;
    if (!data.trend.series.length) {
      empty(chart, "本期没有月度累计数据");
      return;
    }
    chart.setOption({
      legend: { top: 0 },
      grid: { left: 40, right: 20, top: 36, bottom: 30 },
      tooltip: { trigger: "axis", valueFormatter: pct },
      xAxis: { type: "category", data: data.trend.labels },
      // A margin of one point around the data: growth rates wobble by tenths, and an axis
      // fitted tightly to them would make a wobble look like a swing.
      yAxis: {
        type: "value",
        min: function (range) { return Math.floor(range.min) - 1; },
        max: function (range) { return Math.ceil(range.max) + 1; },
        axisLabel: { formatter: "{value}%" }
      },
      series: data.trend.series.map(function (series) {
        return { name: series.name, type: "line", connectNulls: false, data: series.points };
      })
    });
  }

  function draw() {
    var island = document.getElementById("dashboard-data");
    if (!island) return;
    yuanquCharts.whenReady(island.textContent, function () { drawAll(JSON.parse(island.textContent)); });
  }

  function drawAll(data) {
    charts.forEach(function (chart) { chart.dispose(); });
    charts = [];
    var ranking = make("chart-ranking");
    var select = document.getElementById("ranking-indicator");
    if (select) {
      select.hidden = select.options.length === 0;
      drawRanking(ranking, data, select.value);
      select.addEventListener("change", function () { drawRanking(ranking, data, select.value); });
    }
    drawTroika(make("chart-troika"), data);
    drawGoals(make("chart-goals"), data);
    drawTrend(make("chart-trend"), data);
  }

  document.addEventListener("DOMContentLoaded", draw);
  document.body.addEventListener("htmx:afterSwap", function (event) {
    if (event.detail.target && event.detail.target.id === "panel") draw();
  });
  window.addEventListener("resize", function () { charts.forEach(function (chart) { chart.resize(); }); });
})();
