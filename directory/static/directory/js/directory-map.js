/* Directory maps: markers come from a <script type="application/json"> block (an entry page) or
   from the search's own address, data-markers-url (the directory and its embeddable map, so that a
   search with thousands of results keeps a light page); the tile server comes from data
   attributes, so the page needs no inline script. Without a tile server the markers show on a
   plain background. The list next to the map is its text alternative. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var TERRITORY = [[44.0, 4.9], [44.7, 6.1]];

  function draw(element, markers) {
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false, preferCanvas: markers.length > 200 });
    var tileUrl = element.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    } else {
      element.classList.add("directory-map--plain");
    }
    var bounds = [];
    markers.forEach(function (marker) {
      var point = [marker.lat, marker.lon];
      var options = { radius: marker.type === "place" ? 9 : 6, weight: 2, color: "#1f2420", fillOpacity: 0.9,
        fillColor: marker.type === "place" ? "#5b4a8b" : "#3d5a1e", dashArray: marker.precise ? null : "3" };
      var circle = L.circleMarker(point, options).addTo(map);
      var link = document.createElement("a");
      link.href = marker.url;
      link.textContent = marker.title;
      circle.bindPopup(link);
      circle.bindTooltip(marker.title);
      bounds.push(point);
    });
    if (bounds.length) {
      map.fitBounds(bounds, { padding: [24, 24], maxZoom: 13 });
    } else {
      map.fitBounds(TERRITORY);
    }
  }

  function initMap(element) {
    var url = element.getAttribute("data-markers-url");
    if (url) {
      if (!window.fetch) { return; }
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : Promise.reject(response.status); })
        .then(function (markers) { draw(element, markers); })
        .catch(function () { /* the list stays: it is the map's text alternative */ });
      return;
    }
    var source = document.getElementById(element.getAttribute("data-markers-id"));
    if (!source) { return; }
    var markers;
    try { markers = JSON.parse(source.textContent); } catch (error) { return; }
    draw(element, markers);
  }

  var maps = document.querySelectorAll("[data-map='markers']");
  for (var i = 0; i < maps.length; i++) { initMap(maps[i]); }
})();
