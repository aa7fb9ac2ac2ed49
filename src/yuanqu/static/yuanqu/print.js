// Printing: the zone, period and print time at the top of every printed page (print.css shows
// --print-context and --print-time in the page margins), the charts' tables opened, the charts
// redrawn at the page's width.
(function () {
  "use strict";
  var root = document.documentElement;
  var opened = [];

  function quoted(text) { return '"' + String(text).replace(/["\\]/g, "") + '"'; }

  function two(n) { return n < 10 ? "0" + n : String(n); }

  function stamp() {
    var now = new Date();
    var marks = document.querySelectorAll("[data-print-context]");
    var context = "";
    marks.forEach(function (mark) { if (mark.dataset.printContext) { context = mark.dataset.printContext; } });
    root.style.setProperty("--print-context", quoted(context || document.title));
    root.style.setProperty("--print-time", quoted("打印时间：" + now.getFullYear() + "-" + two(now.getMonth() + 1) + "-" +
      two(now.getDate()) + " " + two(now.getHours()) + ":" + two(now.getMinutes())));
  }

  function resizeCharts() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".chart, .chain-map").forEach(function (element) {
      var chart = window.echarts.getInstanceByDom(element);
      if (chart) { chart.resize(); }
    });
  }

  window.addEventListener("beforeprint", function () {
    stamp();
    opened = [];
    document.querySelectorAll("details:not([open])").forEach(function (details) {
      details.open = true;
      opened.push(details);
    });
    resizeCharts();
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (details) { details.open = false; });
    opened = [];
    resizeCharts();
  });
  document.addEventListener("htmx:afterSwap", stamp);
  stamp();
})();
