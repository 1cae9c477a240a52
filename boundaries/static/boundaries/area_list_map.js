// The areas listed in the admin change list, on a MapLibre GL map over our own vector tiles
// (boundaries/basemap.js): each area filled in a colour of its code, outlined and named (window.dimingAreaListMap).
(function () {
  "use strict";

  var AREA_LAYERS = ["counties", "townships", "villages"];
  var PALETTE = ["#e8d5b7", "#c9e4c5", "#b8d8e8", "#f2c6c2", "#e0d0f0", "#f5e6a3", "#cfe8d8", "#f0d9c0"];

  function paletteColour() {
    // The colour of an area from its code, as the list shows it: the same area keeps its colour between pages.
    var expression = ["match", ["%", ["to-number", ["get", "code"], 0], PALETTE.length]];
    PALETTE.forEach(function (colour, i) { expression.push(i, colour); });
    return expression.concat([PALETTE[0]]);
  }

  function areaLayers(font) {
    return [
      {id: "listed-areas-fill", type: "fill", source: "listed-areas",
        paint: {"fill-color": paletteColour(), "fill-opacity": 0.75}},
      {id: "listed-areas-outline", type: "line", source: "listed-areas",
        paint: {"line-color": "#5b5346", "line-width": 1}},
      {id: "listed-areas-label", type: "symbol", source: "listed-areas",
        layout: {"text-field": ["get", "name"], "text-font": font, "text-size": 13},
        paint: {"text-color": "#222222", "text-halo-color": "#ffffff", "text-halo-width": 2}},
    ];
  }

  function withoutAreaNames(style) {
    // The listed areas carry their own names: the base map's area names would draw them twice.
    style.layers = style.layers.filter(function (l) {
      return !(l.type === "symbol" && AREA_LAYERS.indexOf(l["source-layer"]) >= 0);
    });
    return style;
  }

  function draw(target, collection, style) {
    withoutAreaNames(style);
    style.sources["listed-areas"] = {type: "geojson", data: collection};
    DimingBasemap.overlay(style, areaLayers(DimingBasemap.labelFont(style)));
    var bounds = DimingBasemap.boundsOf([collection]);
    var view = bounds ? {bounds: bounds, fitBoundsOptions: {padding: 20}} : {center: [120.65, 27.9], zoom: 8};
    var map = DimingBasemap.createMap(target, style, view);
    window.dimingAreaListMap = map;
    target.dataset.features = String(collection.features.length);
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("area-map", "area-map-data", draw);
})();
