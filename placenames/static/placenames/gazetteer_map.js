// The map of a public gazetteer page: the place's geometry and its signs over our own vector tiles
// (boundaries/basemap.js), drawn by MapLibre GL JS from the local copy; no login, no internet.
(function () {
  "use strict";

  function layers() {
    return [
      {id: "place-fill", type: "fill", source: "place", filter: ["==", ["geometry-type"], "Polygon"],
        paint: {"fill-color": "#d19a00", "fill-opacity": 0.2}},
      {id: "place-line", type: "line", source: "place", layout: {"line-cap": "round", "line-join": "round"},
        paint: {"line-color": "#d19a00", "line-width": 5}},
      {id: "place-point", type: "circle", source: "place", filter: ["==", ["geometry-type"], "Point"],
        paint: {"circle-radius": 8, "circle-color": "#c62828", "circle-stroke-color": "#fff", "circle-stroke-width": 2}},
      {id: "place-signs", type: "circle", source: "place-signs",
        paint: {"circle-radius": 5, "circle-color": "#1565c0", "circle-stroke-color": "#fff", "circle-stroke-width": 2}},
    ];
  }

  function draw(target, data, style) {
    style.sources.place = {type: "geojson", data: {type: "Feature", geometry: data.geometry, properties: {}}};
    style.sources["place-signs"] = {type: "geojson", data: {type: "FeatureCollection",
      features: data.signs.map(function (c) {
        return {type: "Feature", geometry: {type: "Point", coordinates: c}, properties: {}};
      })}};
    DimingBasemap.overlay(style, layers());
    var map = DimingBasemap.createMap(target, style, {center: [data.lon, data.lat], zoom: 15});
    window.dimingGazetteerMap = map;
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("public-map", "public-map-data", draw);
})();
