/* yuanqu: behaviour every workspace page shares, from a static file (the Content-Security-Policy
   allows no inline script and no inline event handler).
   - <select data-autosubmit> submits its form when changed;
   - [data-bar-width] / [data-tick-left] set a progress bar's width / a tick's position in percent
     (set through the DOM, which the policy allows, rather than a style="" attribute). */
(function () {
  "use strict";

  function percent(value) {
    var number = parseFloat(value);
    if (isNaN(number)) { return null; }
    return Math.max(0, Math.min(100, number)) + "%";
  }

  function placeBars(root) {
    root.querySelectorAll("[data-bar-width]").forEach(function (bar) {
      var width = percent(bar.getAttribute("data-bar-width"));
      if (width !== null) { bar.style.width = width; }
    });
    root.querySelectorAll("[data-tick-left]").forEach(function (tick) {
      var left = percent(tick.getAttribute("data-tick-left"));
      if (left !== null) { tick.style.left = left; }
    });
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target instanceof HTMLSelectElement && target.hasAttribute("data-autosubmit") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
  });
  document.addEventListener("DOMContentLoaded", function () { placeBars(document); });
  // Fragments swapped in by htmx (the dashboard's period picker, a chain node's panel).
  document.addEventListener("htmx:afterSettle", function (event) { placeBars(event.target || document); });
})();
