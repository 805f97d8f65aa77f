/* Directory maps: reads markers from a <script type="application/json"> block and the tile server
   from data attributes, so the page needs no inline script. Without a tile server the markers show
   on a plain background. The list next to the map is its text alternative. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var TERRITORY = [[44.0, 4.9], [44.7, 6.1]];

  function initMap(element) {
    var source = document.getElementById(element.getAttribute("data-markers-id"));
    if (!source) { return; }
    var markers;
    try { markers = JSON.parse(source.textContent); } catch (error) { return; }
    element.hidden = false;
    var map = L.map(element, { scrollWheelZoom: false });
    var tileUrl = element.getAttribute("data-tile-url");
    if (tileUrl) {
      L.tileLayer(tileUrl, { maxZoom: 18, attribution: element.getAttribute("data-tile-attribution") || "" }).addTo(map);
    } else {
      element.classList.add("directory-map--plain");
    }
    var bounds = [];
    markers.forEach(function (marker) {
      var point = [marker.lat, marker.lon];
      var options = { radius: marker.precise ? 8 : 6, weight: 2, color: "#1f2420", fillOpacity: 0.9,
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

  var maps = document.querySelectorAll("[data-map='markers']");
  for (var i = 0; i < maps.length; i++) { initMap(maps[i]); }
})();
