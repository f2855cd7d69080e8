// Review page of pipeline.review: select a row to see its box on the page, a box to see its row,
// a value to get the line that corrects it. Runs from file:// with nothing else loaded.
"use strict";
(function () {
  var selected = null;

  // A field as Python's csv module writes it: quoted when it holds a comma, a quote or a line break.
  function csvField(text) {
    return /[",\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function correctionLine(tr, td) {
    return [tr.dataset.table, tr.dataset.key, td.dataset.col, td.dataset.v, "", ""].map(csvField).join(",");
  }

  function showLine(tr, td) {
    var input = document.getElementById("fixtext");
    if (!input) return;
    if (!td) td = tr.querySelector('td[data-col="' + tr.dataset.main + '"]') || tr.querySelector("td[data-col]");
    if (!td) return;
    document.querySelectorAll("td.picked").forEach(function (c) { c.classList.remove("picked"); });
    td.classList.add("picked");
    input.value = correctionLine(tr, td);
  }

  // Scroll only the pane that holds el, only vertically: the other pane and the page stay put.
  function center(el) {
    var pane = el.closest("#pages, #side");
    if (!pane) return;
    var r = el.getBoundingClientRect(), p = pane.getBoundingClientRect();
    pane.scrollTop += (r.top - p.top) - (pane.clientHeight - r.height) / 2;
  }

  function select(id, from) {
    document.querySelectorAll(".selected").forEach(function (el) { el.classList.remove("selected"); });
    var tr = document.getElementById(id);
    if (!tr) return;
    selected = id;
    tr.classList.add("selected");
    var boxes = document.querySelectorAll('.box[data-row="' + id + '"]');
    boxes.forEach(function (b) { b.classList.add("selected"); });
    if (from !== "box" && boxes.length) center(boxes[0]);
    if (from !== "row") {
      var det = tr.closest("details");
      if (det) det.open = true;
      center(tr);
    }
    if (history.replaceState) history.replaceState(null, "", "#" + id);
  }

  document.addEventListener("click", function (ev) {
    var box = ev.target.closest(".box");
    if (box) {
      select(box.dataset.row, "box");
      showLine(document.getElementById(box.dataset.row));
      return;
    }
    var tr = ev.target.closest("tr.row, tr.docfield");
    if (tr && !ev.target.closest("a")) {
      if (tr.classList.contains("row")) select(tr.id, "row");
      showLine(tr, ev.target.closest("td[data-col]"));
    }
  });

  document.addEventListener("keydown", function (ev) {
    var tr = ev.target.closest && ev.target.closest("tr.row");
    if (tr && ev.key === "Enter") { select(tr.id, "row"); showLine(tr); }
  });

  document.querySelectorAll("input[data-toggle]").forEach(function (cb) {
    cb.addEventListener("change", function () {
      var t = cb.dataset.toggle;
      document.querySelectorAll(".box.t-" + t + ", tr.row.t-" + t).forEach(function (el) {
        el.classList.toggle("hidden", !cb.checked);
      });
    });
  });

  var copy = document.getElementById("fixcopy");
  if (copy) copy.addEventListener("click", function () {
    var input = document.getElementById("fixtext");
    input.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selected to copy by hand */ }
  });

  // After load, and after the browser's own jump to the #fragment, which would leave the row at the top.
  window.addEventListener("load", function () {
    setTimeout(function () {
      var start = decodeURIComponent(location.hash.slice(1)), tr = start && document.getElementById(start);
      if (tr && tr.matches("tr.row")) {
        select(start, "hash");
        showLine(tr);
      }
    }, 0);
  });
  window.reviewSelected = function () { return selected; };
})();
