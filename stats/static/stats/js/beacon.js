// Cookie-free counting (stats app): one beacon for the view of this page, one for each followed
// website, phone or e-mail link. Nothing is sent when the browser asks not to be tracked
// (Do Not Track or Global Privacy Control). Same-origin only; no identifier of any kind.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !navigator.sendBeacon) return;
  if (navigator.doNotTrack === "1" || window.doNotTrack === "1" || navigator.globalPrivacyControl === true) return;
  var page = script.getAttribute("data-stats-page");
  var url = script.getAttribute("data-stats-url");
  function send(kind) {
    navigator.sendBeacon(url, new URLSearchParams({ page: page, kind: kind }));
  }
  send("view");
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href]");
    if (!link || !document.querySelector("main").contains(link)) return;
    var href = link.getAttribute("href");
    if (/^tel:/i.test(href)) send("phone");
    else if (/^mailto:/i.test(href)) send("email");
    else if (link.host && link.host !== location.host && /^https?:$/.test(link.protocol)) send("website");
  });
})();
