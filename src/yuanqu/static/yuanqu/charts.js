// Shared by every page with charts (load it after echarts.min.js): the platform's font in
// ECharts, and drawing only once the font's glyphs for the chart's text are loaded — a chart
// is drawn on a canvas once, so text drawn before the font arrives would stay in a fallback
// font (or in boxes, on a display box without any CJK font).
(function () {
  "use strict";

  var FAMILY = '"Noto Sans SC", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", sans-serif';
  var WAIT_MS = 2000;  // draw anyway if the font has not arrived by then

  if (window.echarts) {
    // The global text style draws every text; axis labels are also measured (containLabel)
    // with their own style, so the axes name the family too.
    var font = { fontFamily: FAMILY };
    var axis = { axisLabel: font, nameTextStyle: font };
    window.echarts.registerTheme("yuanqu", {
      textStyle: font,
      title: { textStyle: font, subtextStyle: font },
      legend: { textStyle: font },
      tooltip: { textStyle: font },
      bar: { label: font },
      line: { label: font },
      funnel: { label: font },
      tree: { label: font },
      categoryAxis: axis,
      valueAxis: axis,
      logAxis: axis,
      timeAxis: axis
    });
  }

  // The web font is cut into unicode-range slices: ask for the slices the text needs, in the
  // weights the charts use, then draw.
  function whenReady(text, draw) {
    var done = false;
    function once() { if (!done) { done = true; draw(); } }
    if (!document.fonts || !document.fonts.load) { once(); return; }
    var sample = (text || "") + "0123456789.%—（）亿元个百分点";
    Promise.all([
      document.fonts.load('14px "Noto Sans SC"', sample),
      document.fonts.load('bold 14px "Noto Sans SC"', sample)
    ]).then(once, once);
    window.setTimeout(once, WAIT_MS);
  }

  window.yuanquCharts = {
    family: FAMILY,
    init: function (element) { return window.echarts.init(element, "yuanqu", { renderer: "canvas" }); },
    whenReady: whenReady
  };
})();
