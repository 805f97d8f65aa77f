// Keeps "Ouvert maintenant / Fermé maintenant" right while the page cache serves an older copy
// of the page: the page carries the open intervals of the coming days (Europe/Paris times with
// their offset), and this recomputes the state and the next change for the visitor's clock.
(function () {
  "use strict";
  var box = document.querySelector("[data-opening-status]");
  var data = document.getElementById("opening-intervals");
  if (!box || !data) return;
  var intervals;
  try { intervals = JSON.parse(data.textContent); } catch (e) { return; }
  var now = Date.now();
  var open = false;
  var next = null;
  for (var i = 0; i < intervals.length; i++) {
    var start = Date.parse(intervals[i][0]);
    var end = intervals[i][1] ? Date.parse(intervals[i][1]) : null;
    if (start <= now && (end === null || now < end)) { open = true; next = end; break; }
    if (start > now) { next = start; break; }
  }
  var lang = document.documentElement.lang || "fr";
  var paris = { timeZone: "Europe/Paris" };
  var state = box.querySelector("[data-opening-state]");
  state.textContent = box.getAttribute(open ? "data-open-label" : "data-closed-label");
  var nextBox = box.querySelector("[data-opening-next]");
  if (!nextBox) return;
  if (next === null) { nextBox.textContent = ""; return; }
  var date = new Date(next);
  var time = date.toLocaleTimeString(lang, Object.assign({ hour: "2-digit", minute: "2-digit" }, paris));
  var label = box.getAttribute(open ? "data-closes-label" : "data-opens-label");
  var text = open ? time : date.toLocaleDateString(lang, Object.assign({ weekday: "long", day: "numeric", month: "long" }, paris)) + " " + time;
  nextBox.textContent = label + " " + text;
})();
