// A boundary line and its markers on the project's own base map. The markers come from the page (they are an
// internal layer: the public tiles never carry them); a click on a marker opens its record.
(function () {
  "use strict";
  var target = document.getElementById("line-map");
  var data = JSON.parse(document.getElementById("line-map-data").textContent);
  if (!target || typeof maplibregl === "undefined") return;
  var STATE_COLOUR = ["match", ["get", "state"], "intact", "#1a4f9c", "#c62828"];

  function markers() {
    return {type: "FeatureCollection", features: data.markers.map(function (m) {
      return {type: "Feature", geometry: {type: "Point", coordinates: [m.lon, m.lat]},
        properties: {number: m.number, state: m.state, url: m.url}};
    })};
  }

  DimingBasemap.loadStyle(target.dataset.style).then(function (style) {
    var font = DimingBasemap.labelFont(style);
    style.sources.line = {type: "geojson", data: {type: "Feature", geometry: data.line, properties: {}}};
    style.sources.markers = {type: "geojson", data: markers()};
    DimingBasemap.overlay(style, [
      {id: "line-casing", type: "line", source: "line", paint: {"line-color": "#ffffff", "line-width": 7}},
      {id: "line", type: "line", source: "line", paint: {"line-color": "#b5179e", "line-width": 3,
        "line-dasharray": [3, 1.5]}},
      {id: "markers", type: "circle", source: "markers", paint: {"circle-radius": 5, "circle-color": STATE_COLOUR,
        "circle-stroke-color": "#ffffff", "circle-stroke-width": 1.5}},
      {id: "marker-labels", type: "symbol", source: "markers", layout: {"text-field": ["get", "number"],
        "text-font": font, "text-size": 11, "text-offset": [0, -1.1], "text-anchor": "bottom"},
        paint: {"text-color": "#222222", "text-halo-color": "#ffffff", "text-halo-width": 2}},
    ]);
    var bounds = DimingBasemap.boundsOf([{type: "Feature", geometry: data.line}]);
    var map = DimingBasemap.createMap(target, style, {bounds: bounds, fitBoundsOptions: {padding: 30}});
    map.on("click", "markers", function (e) { window.location = e.features[0].properties.url; });
    DimingBasemap.whenIdle(map).then(function () { target.dataset.ready = "1"; });
  });
})();
