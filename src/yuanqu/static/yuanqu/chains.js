// The chain pages' charts: the chain map as a tree (a click opens the node's enterprises
// through htmx) and, on the overview, completion against 序时进度 and output by chain.
(function () {
  "use strict";

  var COLORS = { missing: "#c0392b", weak: "#b7791f", ok: "#2e7d4f", segment: "#1f4e79", root: "#163a5a",
    ahead: "#2e7d4f", behind: "#b7791f", "far-behind": "#c0392b", none: "#9fb3c8" };

  function island(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function nodeLabel(node) {
    if (node.root || node.segment === true) return node.name;
    var figure = node.withheld && node.in_scope ? " —（保密）"
      : node.current_yi === null || node.current_yi === undefined ? "" : " " + node.current_yi.toFixed(1) + "亿";
    return node.name + "（" + node.enterprises + "家" + figure + "）";
  }

  // A product node with sub-nodes: its label goes above its dot, clear of the lines.
  function inner(node) {
    return !node.root && node.segment !== true && (node.children || []).length > 0;
  }

  function toTree(node) {
    var colour = node.root ? COLORS.root : node.segment === true ? COLORS.segment
      : node.gap === "missing" ? COLORS.missing : node.gap === "weak" ? COLORS.weak : COLORS.ok;
    return {
      name: nodeLabel(node),
      nodeId: node.id || null,
      gap: node.gap || "",
      symbolSize: node.root ? 16 : node.segment === true ? 12 : 10,
      itemStyle: { color: colour, borderColor: colour },
      label: inner(node) ? { position: "top", align: "center", verticalAlign: "bottom", distance: 6, color: "#1d2733" }
        : { color: node.gap === "missing" ? COLORS.missing : "#1d2733", fontWeight: node.segment === true || node.root ? "bold" : "normal" },
      children: (node.children || []).map(toTree)
    };
  }

  function drawMap() {
    var data = island("chain-map-data");
    var element = document.getElementById("chain-map");
    if (!data || !element) return null;
    var chart = echarts.init(element, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "item", formatter: function (p) { return p.data.gap === "missing" ? p.name + "<br>缺失节点（补链）" : p.data.gap === "weak" ? p.name + "<br>薄弱节点（强链）" : p.name; } },
      series: [{
        type: "tree", data: [toTree(data.tree)], top: 20, bottom: 10, left: 150, right: 210,
        orient: "LR", initialTreeDepth: -1, expandAndCollapse: false, roam: false,
        label: { position: "left", verticalAlign: "middle", align: "right", fontSize: 13 },
        leaves: { label: { position: "right", verticalAlign: "middle", align: "left" } },
        lineStyle: { color: "#c5d0dc", width: 1.2 }, animationDuration: 300
      }]
    });
    chart.on("click", function (params) {
      var id = params.data && params.data.nodeId;
      if (!id || !window.htmx) return;
      window.htmx.ajax("GET", data.node_url + id + "/?period=" + encodeURIComponent(data.period), { target: "#node-panel", swap: "innerHTML" });
    });
    return chart;
  }

  function drawOverview() {
    var data = island("chains-overview-data");
    if (!data) return [];
    var charts = [];
    var names = data.chains.map(function (c) { return c.name; });
    var progressElement = document.getElementById("chains-progress-chart");
    if (progressElement) {
      var progress = echarts.init(progressElement, null, { renderer: "canvas" });
      progress.setOption({
        grid: { left: 150, right: 60, top: 20, bottom: 30 },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: names },
        series: [{
          type: "bar", name: "目标完成率",
          data: data.chains.map(function (c) { return { value: c.completion, itemStyle: { color: COLORS[c.status || "none"] } }; }),
          label: { show: true, position: "right", formatter: function (p) { return p.value === null ? "—" : p.value.toFixed(1) + "%"; } },
          markLine: { symbol: "none", data: [{ xAxis: data.time_progress, name: "序时进度" }],
            label: { formatter: "序时进度" + data.time_progress.toFixed(1) + "%" }, lineStyle: { color: "#1d2733", type: "dashed" } }
        }]
      });
      charts.push(progress);
    }
    var outputElement = document.getElementById("chains-output-chart");
    if (outputElement) {
      var output = echarts.init(outputElement, null, { renderer: "canvas" });
      output.setOption({
        legend: { top: 0 },
        grid: { left: 50, right: 50, top: 36, bottom: 60 },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: [{ type: "value", name: "亿元" }, { type: "value", name: "增长", axisLabel: { formatter: "{value}%" } }],
        series: [
          { name: "本期产值", type: "bar", itemStyle: { color: "#1f4e79" }, data: data.chains.map(function (c) { return c.output_yi; }) },
          { name: "年度目标", type: "bar", itemStyle: { color: "#c5d0dc" }, data: data.chains.map(function (c) { return c.target_yi; }) },
          { name: "同口径增长", type: "line", yAxisIndex: 1, itemStyle: { color: "#c0504d" }, data: data.chains.map(function (c) { return c.growth; }) }
        ]
      });
      charts.push(output);
    }
    return charts;
  }

  function start() {
    var charts = drawOverview();
    var map = drawMap();
    if (map) charts.push(map);
    window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
