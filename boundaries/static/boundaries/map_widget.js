// The admin's geometry widget: the field's GeoJSON (EPSG:4326) in a hidden textarea, edited on a MapLibre GL map
// over our own vector tiles. Each widget is reachable as window.dimingMapWidgets[field id] = {map, editor}.
(function () {
  "use strict";

  function parse(text) {
    try {
      var value = JSON.parse(text);
      return value && value.type ? value : null;
    } catch (error) {
      return null;  // WKT or a typing error: the form says what is wrong when it is saved
    }
  }

  function showReadOnly(map, geometry) {
    map.addSource("value", {type: "geojson", data: {type: "Feature", geometry: geometry, properties: {}}});
    map.addLayer({id: "value-fill", type: "fill", source: "value", filter: ["==", ["geometry-type"], "Polygon"],
      paint: {"fill-color": "#c2185b", "fill-opacity": 0.15}});
    map.addLayer({id: "value-line", type: "line", source: "value", filter: ["!=", ["geometry-type"], "Point"],
      paint: {"line-color": "#c2185b", "line-width": 3}});
    map.addLayer({id: "value-point", type: "circle", source: "value", filter: ["==", ["geometry-type"], "Point"],
      paint: {"circle-radius": 6, "circle-color": "#c2185b", "circle-stroke-color": "#ffffff",
        "circle-stroke-width": 2}});
  }

  function view(options, geometry) {
    var bounds = geometry ? DimingBasemap.boundsOf([geometry]) : null;
    if (bounds) return {bounds: bounds, fitBoundsOptions: {padding: 40, maxZoom: 17}};
    return {center: options.center, zoom: options.zoom};
  }

  function start(target) {
    var options = JSON.parse(document.getElementById(target.dataset.options).textContent);
    var input = document.getElementById(options.id);
    var geometry = parse(input.value);
    DimingBasemap.loadStyle(options.style_url).then(function (style) {
      var map = DimingBasemap.createMap(target, style, view(options, geometry));
      var editor = null;
      if (!options.read_only) {
        editor = DimingGeometryEditor.attach(map, {geomType: options.geom_type, labels: options.labels,
          onChange: function (value) { input.value = value ? JSON.stringify(value) : ""; }});
      }
      window.dimingMapWidgets[options.id] = {map: map, editor: editor};
      map.once("load", function () {
        if (editor) editor.start(geometry);
        else if (geometry) showReadOnly(map, geometry);
        map.once("idle", function () { target.dataset.ready = "1"; });
      });
    });
  }

  function startAll() {
    document.querySelectorAll(".diming-map-widget-map[data-options]").forEach(start);
  }

  window.dimingMapWidgets = window.dimingMapWidgets || {};
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", startAll);
  else startAll();
})();
