// Render check, run once the page has loaded. A chart counts as rendered when
// its svg.chart element is laid out with a non-zero box, its contents have a
// non-zero bounding box (getBBox) and at least one data mark (circle, rect or
// path of class "mark") has a drawn size. Results go to
// document.body.dataset: chartsRendered = "<ok>/<total>", chartsFailed = a
// JSON array of "#<n> <kind> “<title>”: <reason>" strings.
(function () {
  "use strict";
  function hasArea(box) {
    return !!box && box.width > 0 && box.height > 0;
  }
  function problem(svg) {
    var style = window.getComputedStyle(svg);
    if (style.display === "none") return "not displayed";
    if (style.visibility !== "visible") return "hidden";
    if (!hasArea(svg.getBoundingClientRect())) return "zero-size box";
    var box;
    try { box = svg.getBBox(); } catch (e) { return "getBBox failed: " + e; }
    if (!hasArea(box)) return "nothing drawn (empty bounding box)";
    var marks = svg.querySelectorAll("circle.mark, rect.mark, path.mark");
    if (marks.length === 0) {
      return svg.getAttribute("data-empty") === "true" ? "no data (empty chart)" : "no data marks";
    }
    for (var i = 0; i < marks.length; i++) {
      try { if (hasArea(marks[i].getBBox())) return ""; } catch (e) { /* try the next mark */ }
    }
    return "data marks have no size";
  }
  function check() {
    var charts = document.querySelectorAll("svg.chart");
    var ok = 0, failed = [];
    for (var i = 0; i < charts.length; i++) {
      var svg = charts[i], why;
      try { why = problem(svg); } catch (e) { why = "check failed: " + e; }
      if (why) {
        var title = svg.querySelector("title");
        failed.push("#" + (i + 1) + " " + (svg.getAttribute("data-kind") || "?") + " \u201c" +
          (title ? title.textContent : "") + "\u201d: " + why);
      } else {
        ok++;
      }
    }
    document.body.dataset.chartsRendered = ok + "/" + charts.length;
    document.body.dataset.chartsFailed = JSON.stringify(failed);
  }
  if (document.readyState === "complete") check(); else window.addEventListener("load", check);
})();
