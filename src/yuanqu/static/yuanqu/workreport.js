// The work report editor: sentences are edited in place, numbers stay linked fields (chips).
// On save, each editable sentence is sent as segments: text, or {"field": key} for a chip.
(function () {
  "use strict";

  function segmentsOf(element) {
    var segments = [];
    function push(text) {
      if (!text) { return; }
      var last = segments[segments.length - 1];
      if (typeof last === "string") { segments[segments.length - 1] = last + text; } else { segments.push(text); }
    }
    function walk(node) {
      node.childNodes.forEach(function (child) {
        if (child.nodeType === Node.TEXT_NODE) {
          push(child.nodeValue.replace(/[\r\n]/g, ""));
        } else if (child.nodeType === Node.ELEMENT_NODE) {
          if (child.dataset && child.dataset.field) {
            segments.push({ field: child.dataset.field });
          } else if (child.tagName !== "BR") {
            walk(child);  // a span or div the browser made while typing: keep its text
          }
        }
      });
    }
    walk(element);
    return segments;
  }

  var form = document.getElementById("rewrite-form");
  var dirty = document.getElementById("dirty");
  var sentences = document.querySelectorAll("[data-block][contenteditable='true']");

  sentences.forEach(function (sentence) {
    sentence.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }  // a sentence stays one paragraph
    });
    sentence.addEventListener("paste", function (event) {
      // Plain text only: pasted markup could bring a number that is not a field.
      event.preventDefault();
      var text = (event.clipboardData || window.clipboardData).getData("text/plain").replace(/[\r\n]+/g, "");
      document.execCommand("insertText", false, text);
    });
    sentence.addEventListener("input", function () {
      if (dirty) { dirty.hidden = false; }
      form.dataset.dirty = "true";
    });
  });

  if (form) {
    form.addEventListener("submit", function () {
      var blocks = {};
      sentences.forEach(function (sentence) { blocks[sentence.dataset.block] = segmentsOf(sentence); });
      document.getElementById("blocks-input").value = JSON.stringify(blocks);
      form.dataset.dirty = "";
    });
    window.addEventListener("beforeunload", function (event) {
      if (form.dataset.dirty === "true") { event.preventDefault(); event.returnValue = ""; }
    });
  }

  // A chip opens its source on click (htmx); Enter on a focused chip does the same.
  document.querySelectorAll(".chip[data-field]").forEach(function (chip) {
    chip.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); chip.click(); }
    });
  });

  var issue = document.getElementById("issue-form");
  if (issue) {
    issue.addEventListener("submit", function (event) {
      if (form && form.dataset.dirty === "true") {
        event.preventDefault();
        window.alert("有未保存的修改，请先保存再签发。");
        return;
      }
      if (!window.confirm("签发后本版内容冻结，不能再修改。确定签发？")) { event.preventDefault(); }
    });
  }
})();
