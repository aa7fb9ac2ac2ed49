// The charts of the investment-project statistics page, drawn from its JSON data island.
(function () {
  "use strict";

  var BLUE = "#1f4e79", GREY = "#9fb3c8", GOLD = "#b7791f";

  function make(id) {
    var element = document.getElementById(id);
    return element ? yuanquCharts.init(element) : null;
  }

  function number(text) {
    return text === null || text === undefined ? 0 : Math.round(parseFloat(text) * 10) / 10;
  }

  function bars(chart, labels, series, unit) {
    if (!chart) return;
    chart.setOption({
      grid: { left: 48, right: 16, top: 36, bottom: 28 },
      legend: { top: 0 },
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      xAxis: { type: "category", data: labels, axisLabel: { interval: 0 } },
      yAxis: { type: "value", name: unit },
      series: series.map(function (item) {
        return { name: item.name, type: "bar", data: item.data, itemStyle: { color: item.color },
                 label: { show: true, position: "top" } };
      })
    });
  }

  function start() {
    var island = document.getElementById("projects-data");
    if (!island || typeof echarts === "undefined") return;
    yuanquCharts.whenReady(island.textContent, function () { draw(JSON.parse(island.textContent)); });
  }

  function draw(data) {
    var charts = [];
    var labels = data.categories.map(function (item) { return item.label; });

    // The amounts the paragraph writes (先进制造业: 亿元以上 projects), rounded as it rounds them.
    var categories = make("chart-categories");
    bars(categories, labels, [
      { name: "本期", color: BLUE, data: data.categories.map(function (item) {
        return { value: number(item.headline.investment_yi), label: { formatter: item.headline.text } }; }) },
      { name: "上年同期", color: GREY, data: data.categories.map(function (item) {
        return item.year_ago ? { value: number(item.year_ago.headline.investment_yi), label: { formatter: item.year_ago.headline.text } } : 0; }) }
    ], "亿元");
    charts.push(categories);

    var tiers = make("chart-tiers");
    if (tiers) {
      var tierLabels = data.categories[0].tiers.map(function (tier) { return tier.label; });
      tiers.setOption({
        grid: { left: 48, right: 16, top: 36, bottom: 28 },
        legend: { top: 0 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "category", data: tierLabels, axisLabel: { interval: 0 } },
        yAxis: { type: "value", name: "个" },
        series: data.categories.filter(function (item) { return item.signed > 0; }).map(function (item) {
          return { name: item.label, type: "bar", data: item.tiers.map(function (tier) { return tier.count; }),
                   label: { show: true, position: "top" } };
        })
      });
      charts.push(tiers);
    }

    var funnel = make("chart-funnel");
    if (funnel) {
      funnel.setOption({
        tooltip: { trigger: "item", formatter: function (p) {
          var step = data.funnel[p.dataIndex];
          return step.label + "：" + step.count + "个" + (step.rate_pct !== null ? "（较上一步 " + step.rate_pct.toFixed(1) + "%）" : "");
        } },
        series: [{
          type: "funnel", sort: "none", left: "10%", width: "80%", top: 10, bottom: 10, minSize: "8%",
          label: { show: true, position: "inside", formatter: function (p) { return p.name + " " + p.value; } },
          data: data.funnel.map(function (step) { return { name: step.label, value: step.count }; }),
          color: ["#1f4e79", "#2e6599", "#4a81b5", "#78a3cc", "#a9c5e0"]
        }]
      });
      charts.push(funnel);
    }

    var starts = make("chart-starts");
    bars(starts, labels, [
      { name: "本期", color: BLUE, data: data.categories.map(function (item) { return item.starts; }) },
      { name: "上年同期", color: GREY, data: data.categories.map(function (item) { return item.year_ago ? item.year_ago.starts : 0; }) }
    ], "个");
    charts.push(starts);

    var officers = make("chart-officers");
    if (officers) {
      var rows = data.officers.slice(0, 10);
      officers.setOption({
        grid: { left: 8, right: 56, top: 10, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", name: "亿元" },
        yAxis: { type: "category", inverse: true, data: rows.map(function (row) { return row.name; }) },
        series: [{ type: "bar", itemStyle: { color: GOLD },
                   label: { show: true, position: "right", formatter: function (p) { return p.value.toFixed(1); } },
                   data: rows.map(function (row) { return number(row.credited_investment_yi); }) }]
      });
      charts.push(officers);
    }

    window.addEventListener("resize", function () {
      charts.forEach(function (chart) { if (chart) chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", start);
})();
