// The big screen: a 1920×1080 stage scaled to the display, redrawn from the server every 5 minutes.
(function () {
  "use strict";

  var WIDTH = 1920, HEIGHT = 1080, REFRESH_MS = 5 * 60 * 1000;

  function fit() {
    var stage = document.getElementById("screen");
    var scale = Math.min(window.innerWidth / WIDTH, window.innerHeight / HEIGHT);
    stage.style.transform = "scale(" + scale + ")";
  }

  function pct(value) { return value === null || value === undefined ? "—" : value.toFixed(1) + "%"; }

  function draw(data) {
    var text = { color: "#dce6f2", fontSize: 18 };
    var codes = Object.keys(data.ranking);
    var ranking = codes.length ? data.ranking[codes[0]] : null;
    if (ranking) {
      var byGrowth = ranking.basis === "growth";
      var rows = ranking.rows.filter(function (row) { return row.measure !== null; });
      yuanquCharts.init(document.getElementById("screen-ranking")).setOption({
        title: {
          text: ranking.name + (byGrowth ? "增速" : "总量") + "全市排位" + (rows.some(function (row) { return row.is_sample; }) ? "（兄弟地区为示例数据）" : ""),
          textStyle: { color: "#fff", fontSize: 24 }
        },
        grid: { left: 10, right: 80, top: 56, bottom: 10, containLabel: true },
        xAxis: { type: "value", axisLabel: Object.assign({ formatter: byGrowth ? "{value}%" : "{value}" }, text),
                 splitLine: { lineStyle: { color: "#2b4a6b" } } },
        yAxis: { type: "category", inverse: true, axisLabel: Object.assign({ interval: 0 }, text), data: rows.map(function (row) { return row.place; }) },
        series: [{ type: "bar", data: rows.map(function (row) {
          return { value: row.measure, itemStyle: { color: row.is_zone ? "#f5b942" : "#4f81bd" } };
        }), label: { show: true, position: "right", color: "#fff", fontSize: 18, formatter: function (p) { return rows[p.dataIndex].text; } } }]
      });
    }
    yuanquCharts.init(document.getElementById("screen-troika")).setOption({
      title: { text: "“三驾马车”增速", textStyle: { color: "#fff", fontSize: 24 } },
      grid: { left: 10, right: 30, top: 56, bottom: 10, containLabel: true },
      xAxis: { type: "category", axisLabel: text, data: data.troika.map(function (row) { return row.name; }) },
      yAxis: { type: "value", axisLabel: Object.assign({ formatter: "{value}%" }, text), splitLine: { lineStyle: { color: "#2b4a6b" } } },
      series: [{ type: "bar", barWidth: "40%", itemStyle: { color: "#f5b942" }, data: data.troika.map(function (row) { return row.growth; }),
        label: { show: true, position: "top", color: "#fff", fontSize: 22, formatter: function (p) { return pct(p.value); } } }]
    });
    var updated = document.getElementById("screen-updated");
    if (updated) updated.textContent = "　更新于 " + new Date().toLocaleTimeString("zh-CN", { hour12: false });
  }

  window.addEventListener("resize", fit);
  document.addEventListener("DOMContentLoaded", function () {
    fit();
    var island = document.getElementById("screen-data");
    if (island) yuanquCharts.whenReady(island.textContent, function () { draw(JSON.parse(island.textContent)); });
    window.setTimeout(function () { window.location.reload(); }, REFRESH_MS);
  });
})();
