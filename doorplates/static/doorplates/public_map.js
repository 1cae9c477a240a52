// The small map of the public plate page (a QR code's landing page, no login): the plate's base (its road, or the
// outline of its village or residential area) and the entrance point
// over our own public vector tiles (boundaries/basemap.js), drawn by MapLibre GL JS (window.dimingPublicMap).
(function () {
  "use strict";

  function plateLayers() {
    return DimingBasemap.casedLine("plate-road", ["plate-road-casing", "plate-road"], [9, 5], "#d19a00").concat([
      {id: "plate-entrance", type: "circle", source: "plate-entrance",
        paint: {"circle-radius": 8, "circle-color": "#c62828", "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 2}},
    ]);
  }

  function draw(target, data, style) {
    var here = [data.lon, data.lat];
    style.sources["plate-road"] = {type: "geojson", data: {type: "Feature", geometry: data.base, properties: {}}};
    style.sources["plate-entrance"] = {type: "geojson",
      data: {type: "Feature", geometry: {type: "Point", coordinates: here}, properties: {}}};
    DimingBasemap.overlay(style, plateLayers());
    var map = DimingBasemap.createMap(target, style, {center: here, zoom: 16.5});
    window.dimingPublicMap = map;
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("public-map", "public-map-data", draw);
})();
