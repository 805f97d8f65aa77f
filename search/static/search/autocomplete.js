// Suggestions for search boxes: fills the <datalist> linked to an input[data-suggest-url].
// The form works without this script; it only adds native suggestions.
(function () {
  "use strict";
  document.querySelectorAll("input[data-suggest-url][list]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    if (!list) { return; }
    var timer = null;
    var last = "";
    input.addEventListener("input", function () {
      var value = input.value.trim();
      window.clearTimeout(timer);
      if (value.length < 2 || value === last) { return; }
      timer = window.setTimeout(function () {
        last = value;
        var url = input.dataset.suggestUrl + "?q=" + encodeURIComponent(value);
        fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : []; })
          .then(function (titles) {
            list.replaceChildren();
            titles.forEach(function (title) {
              var option = document.createElement("option");
              option.value = title;
              list.appendChild(option);
            });
          })
          .catch(function () { /* suggestions are optional */ });
      }, 200);
    });
  });
})();
