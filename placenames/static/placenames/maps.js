// Maps of the place-name pages, MapLibre GL JS on our own vector tiles (boundaries/basemap.js):
// - the public consultation page shows the proposed geometry alone (#public-map, data in the page);
// - the application page shows the proposed geometry and the places with the same, a homophone or a similar name
//   near it (window.dimingApplicationMap; the data and the list of those places come with the page);
// - the application form lets the officer draw the geometry (boundaries/geometry_editor.js), written as GeoJSON
//   (lon/lat, 7 decimals) into the form's geom field (window.dimingDrawMap, window.dimingDrawEditor).
(function () {
  "use strict";

  var COLOURS = {proposed: "#a5282c", same_name: "#6f42c1", homophone: "#d97706", similar: "#2f6fb3"};
  var LINE_KINDS = ["road", "street", "lane", "avenue", "bridge", ""];
  var AREA_KINDS = ["residential", "village"];
  var NEARBY_MARGIN_M = 800;  // around the proposed geometry, so nearby places with similar names show too

  function roleColour() {
    var expression = ["match", ["get", "role"]];
    Object.keys(COLOURS).forEach(function (role) { expression.push(role, COLOURS[role]); });
    return expression.concat(["#2f6fb3"]);
  }

  function applicationLayers(font) {
    var proposed = ["==", ["get", "role"], "proposed"];
    var labelPaint = {"text-color": "#1f2328", "text-halo-color": "#ffffff", "text-halo-width": 2};
    return [
      {id: "application-fill", type: "fill", source: "application", filter: ["==", ["geometry-type"], "Polygon"],
        paint: {"fill-color": roleColour(), "fill-opacity": 0.15}},
      {id: "application-casing", type: "line", source: "application", filter: ["!=", ["geometry-type"], "Point"],
        layout: {"line-cap": "round", "line-join": "round"},
        paint: {"line-color": "#ffffff", "line-width": ["case", proposed, 9, 6]}},
      {id: "application-lines", type: "line", source: "application", filter: ["!=", ["geometry-type"], "Point"],
        layout: {"line-cap": "round", "line-join": "round"},
        paint: {"line-color": roleColour(), "line-width": ["case", proposed, 5, 3]}},
      {id: "application-points", type: "circle", source: "application",
        filter: ["==", ["geometry-type"], "Point"],
        paint: {"circle-radius": 6, "circle-color": roleColour(), "circle-stroke-color": "#ffffff",
          "circle-stroke-width": 2}},
      {id: "application-line-labels", type: "symbol", source: "application",
        filter: ["==", ["geometry-type"], "LineString"],
        layout: {"text-field": ["get", "name"], "text-font": font, "text-size": 13, "symbol-placement": "line-center",
          "text-allow-overlap": true},
        paint: labelPaint},
      {id: "application-labels", type: "symbol", source: "application",
        filter: ["!=", ["geometry-type"], "LineString"],
        layout: {"text-field": ["get", "name"], "text-font": font, "text-size": 13, "text-offset": [0, -1.2],
          "text-anchor": "bottom"},
        paint: labelPaint},
    ];
  }

  // A registered place on the map (the place of the page, a namesake near an application) is in the basemap's vector
  // tiles too, which label it themselves: its label would show twice. The overlay labels it (in its role's colour, never
  // hidden by a collision); the basemap's labels leave out each feature of the same name and kind (the tiles carry no
  // id to match: a same-named place of the same kind in view is a duplicate the checking rules flag anyway).
  function withoutBasemapLabels(style, features) {
    var keys = features.filter(function (f) { return f.properties.kind_code; })
      .map(function (f) { return f.properties.name + "|" + f.properties.kind_code; });
    if (!keys.length) return;
    var other = ["!", ["in", ["concat", ["get", "name"], "|", ["get", "kind_code"]], ["literal", keys]]];
    style.layers.forEach(function (layer) {
      if (layer.type !== "symbol" || layer.source === "application") return;
      layer.filter = layer.filter ? ["all", layer.filter, other] : other;
    });
  }

  function withMargin(bounds, metres) {
    var sw = bounds.getSouthWest(), ne = bounds.getNorthEast();
    var dLat = metres / 111320, dLon = metres / (111320 * Math.cos((sw.lat + ne.lat) * Math.PI / 360));
    return new maplibregl.LngLatBounds([sw.lng - dLon, sw.lat - dLat], [ne.lng + dLon, ne.lat + dLat]);
  }

  // The map of a page with its data in the page (#<id>-data): the application page, the public consultation page and a
  // place's page.
  function applicationMap(target, collection) {
    DimingBasemap.loadStyle(target.dataset.style).then(function (style) {
      var proposed = collection.features.filter(function (f) { return f.properties.role === "proposed"; });
      var bounds = DimingBasemap.boundsOf(proposed.length ? proposed : [collection]);
      style.sources.application = {type: "geojson", data: collection};
      DimingBasemap.overlay(style, applicationLayers(DimingBasemap.labelFont(style)));
      withoutBasemapLabels(style, collection.features);
      var view = bounds ? {bounds: withMargin(bounds, NEARBY_MARGIN_M), fitBoundsOptions: {padding: 30, maxZoom: 17}}
        : {center: [120.65, 28.0], zoom: 10};
      var map = DimingBasemap.createMap(target, style, view);
      window.dimingApplicationMap = map;
      target.dataset.features = String(collection.features.length);
      map.once("idle", function () { target.dataset.ready = "1"; });
    });
  }

  function drawType(kind) {
    var code = kind ? kind.value : "road";
    if (LINE_KINDS.indexOf(code) >= 0) return "LineString";
    if (AREA_KINDS.indexOf(code) >= 0) return "Polygon";
    return "Point";
  }

  function currentGeometry(input) {
    if (!input || input.value.trim().charAt(0) !== "{") return null;
    try {
      return JSON.parse(input.value);
    } catch (e) {
      return null;  // WKT or invalid text: the server says what is wrong
    }
  }


  function drawMap(target) {
    var input = document.querySelector("textarea[name=geom]");
    var kind = document.querySelector("select[name=kind]");
    var geometry = currentGeometry(input);
    DimingBasemap.loadStyle(target.dataset.style).then(function (style) {
      var bounds = geometry ? DimingBasemap.boundsOf([geometry]) : null;
      var view = bounds ? {bounds: bounds, fitBoundsOptions: {padding: 60, maxZoom: 17}}
        : {center: [120.65, 28.0], zoom: 11};
      var map = DimingBasemap.createMap(target, style, view);
      var editor = DimingGeometryEditor.attach(map, {
        geomType: drawType(kind), keepDrawing: true, precision: 7, labels: DimingGeometryEditor.labelsOf(target),
        onChange: function (value) { if (input) input.value = value ? JSON.stringify(value) : ""; },
      });
      window.dimingDrawMap = map;
      window.dimingDrawEditor = editor;
      map.once("load", function () {
        editor.start(geometry);
        if (kind) kind.addEventListener("change", function () { editor.setGeometryType(drawType(kind)); });
        map.once("idle", function () { target.dataset.ready = "1"; });
      });
    });
  }

  function init() {
    if (typeof maplibregl === "undefined" || typeof DimingBasemap === "undefined") return;
    // The application page; the public consultation page (the proposed name alone, no login, no API); a place's page.
    ["application-map", "public-map", "place-map"].forEach(function (id) {
      var target = document.getElementById(id);
      var data = document.getElementById(id + "-data");
      if (target && data) applicationMap(target, JSON.parse(data.textContent));
    });
    var draw = document.getElementById("draw-map");
    if (draw && typeof DimingGeometryEditor !== "undefined") drawMap(draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
