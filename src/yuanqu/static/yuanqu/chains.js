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

  var GROUND = { backgroundColor: "#ffffff", padding: [1, 4], borderRadius: 2 };

  function leaves(node) {
    var children = node.children || [];
    return children.length ? children.reduce(function (sum, child, index) {
      return sum + leaves(child) + (index > 0 && inner(child) ? 1 : 0);
    }, 0) : 1;
  }

  function nodeLabel(node) {
    if (node.root || node.segment === true) return node.name;
    var figure = node.withheld && node.in_scope ? " —（保密）"
      : !node.enterprises || node.current_yi === null || node.current_yi === undefined ? ""
      : " " + node.current_yi.toFixed(1) + "亿";
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
      // Labels on a white ground, so a line passing behind a label never runs through its text.
      label: inner(node) ? Object.assign({ position: "top", align: "center", verticalAlign: "bottom", distance: 8, color: "#1d2733" }, GROUND)
        : Object.assign({ color: node.gap === "missing" ? COLORS.missing : "#1d2733", fontWeight: node.segment === true || node.root ? "bold" : "normal" }, GROUND),
      children: spaced((node.children || []).map(function (child) { return { node: child, tree: toTree(child) }; }))
    };
  }

  // An invisible leaf before a product node with sub-nodes (unless it comes first): the tree
  // layout then leaves a row free above it for its label, clear of the sibling above.
  var SPACER = { name: "", symbolSize: 0, silent: true, label: { show: false }, lineStyle: { opacity: 0 },
    itemStyle: { opacity: 0 }, tooltip: { show: false }, children: [] };

  function spaced(children) {
    var result = [];
    children.forEach(function (child, index) {
      if (index > 0 && inner(child.node)) result.push(SPACER);
      result.push(child.tree);
    });
    return result;
  }

  function drawMap() {
    var data = island("chain-map-data");
    var element = document.getElementById("chain-map");
    if (!data || !element) return null;
    // Room for every leaf (and a product node's label above its dot) whatever the chain's size.
    element.style.height = Math.max(480, 40 * leaves(data.tree) + 40) + "px";
    var chart = yuanquCharts.init(element);
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

  // A long chain name on two lines at its bracket: "新能源\n（含基础能源）".
  function wrapped(name) {
    var at = name.indexOf("（");
    return at > 0 ? name.slice(0, at) + "\n" + name.slice(at) : name;
  }

  function drawOverview() {
    var data = island("chains-overview-data");
    if (!data) return [];
    var charts = [];
    var names = data.chains.map(function (c) { return c.name; });
    var progressElement = document.getElementById("chains-progress-chart");
    if (progressElement) {
      var progress = yuanquCharts.init(progressElement);
      progress.setOption({
        // The 序时进度 line's label sits above the plot, clear of the axis labels below it.
        grid: { left: 8, right: 56, top: 34, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" },
          valueFormatter: function (value) { return value === null ? "—" : value.toFixed(1) + "%"; } },
        xAxis: { type: "value", max: 100, axisLabel: { formatter: "{value}%" } },
        yAxis: { type: "category", inverse: true, data: names, axisLabel: { interval: 0, formatter: wrapped, lineHeight: 16 } },
        series: [{
          type: "bar", name: "目标完成率",
          data: data.chains.map(function (c) { return { value: c.completion, itemStyle: { color: COLORS[c.status || "none"] } }; }),
          label: { show: true, position: "right", formatter: function (p) { return p.value === null ? "—" : p.value.toFixed(1) + "%"; } },
          markLine: { symbol: "none", data: [{ xAxis: data.time_progress, name: "序时进度" }],
            label: { position: "start", distance: 6, formatter: "序时进度" + data.time_progress.toFixed(1) + "%" },
            lineStyle: { color: "#1d2733", type: "dashed" } }
        }]
      });
      charts.push(progress);
    }
    var outputElement = document.getElementById("chains-output-chart");
    if (outputElement) {
      var output = yuanquCharts.init(outputElement);
      output.setOption({
        legend: { top: 0 },
        grid: { left: 8, right: 8, top: 48, bottom: 8, containLabel: true },
        tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: names, axisLabel: { interval: 0, formatter: wrapped, lineHeight: 16 } },
        yAxis: [{ type: "value", name: "亿元" }, { type: "value", name: "同口径增长", axisLabel: { formatter: "{value}%" } }],
        series: [
          { name: "本期产值（亿元）", type: "bar", itemStyle: { color: "#1f4e79" }, data: data.chains.map(function (c) { return c.output_yi; }) },
          { name: "年度目标（亿元）", type: "bar", itemStyle: { color: "#c5d0dc" }, data: data.chains.map(function (c) { return c.target_yi; }) },
          { name: "同口径增长（%）", type: "line", yAxisIndex: 1, itemStyle: { color: "#c0504d" }, data: data.chains.map(function (c) { return c.growth; }),
            label: { show: true, position: "top", formatter: function (p) { return p.value === null ? "" : p.value.toFixed(1) + "%"; } } }
        ]
      });
      charts.push(output);
    }
    return charts;
  }

  function start() {
    var text = ["chains-overview-data", "chain-map-data"].map(function (id) {
      var element = document.getElementById(id);
      return element ? element.textContent : "";
    }).join("");
    yuanquCharts.whenReady(text, function () {
      var charts = drawOverview();
      var map = drawMap();
      if (map) charts.push(map);
      window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
