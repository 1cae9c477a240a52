// The canteen page's map: where the canteen is, and the ring it delivers within, over the project's own tiles
// (boundaries/basemap.js; MapLibre GL JS served locally). window.dimingCanteenMap is the map, for tests.
(function () {
  "use strict";

  function ring(lon, lat, metres) {
    var points = [], dLat = metres / 111320, dLon = dLat / Math.cos(lat * Math.PI / 180);
    for (var k = 0; k <= 64; k++) {
      var a = 2 * Math.PI * k / 64;
      points.push([lon + dLon * Math.cos(a), lat + dLat * Math.sin(a)]);
    }
    return {type: "Polygon", coordinates: [points]};
  }

  function draw(target, data, style) {
    var here = [data.lon, data.lat];
    var features = [{type: "Feature", geometry: {type: "Point", coordinates: here}, properties: {}}];
    style.sources["canteen-here"] = {type: "geojson", data: {type: "FeatureCollection", features: features}};
    style.sources["canteen-reach"] = {type: "geojson", data: {type: "FeatureCollection", features: data.radius_m ?
      [{type: "Feature", geometry: ring(data.lon, data.lat, data.radius_m), properties: {}}] : []}};
    DimingBasemap.overlay(style, [
      {id: "canteen-reach", type: "fill", source: "canteen-reach", paint: {"fill-color": "#2e7d32", "fill-opacity": 0.12}},
      {id: "canteen-reach-edge", type: "line", source: "canteen-reach", paint: {"line-color": "#2e7d32", "line-width": 1.5}},
      {id: "canteen-here", type: "circle", source: "canteen-here",
        paint: {"circle-radius": 8, "circle-color": "#c62828", "circle-stroke-color": "#ffffff", "circle-stroke-width": 2}},
    ]);
    var map = DimingBasemap.createMap(target, style, {center: here, zoom: data.radius_m ? 13.5 : 16});
    window.dimingCanteenMap = map;
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("canteen-map", "canteen-map-data", draw);
})();
