// The coverage page: our own vector tiles (county, township and village outlines, published canteens) drawn with
// MapLibre GL JS, the reach circles, uncovered villages, planned or closed canteens and suggested sites on top,
// and the coverage chart. Everything is served by the project (closed networks): the style has no glyphs URL, so
// labels are drawn with the client's own fonts (localIdeographFontFamily).
(function () {
  "use strict";

  var STATUS_COLOURS = {open: "#1f7a3a", planned: "#6a6f76", suspended: "#9a6700", closed: "#999999"};
  var PUBLISHED = ["open", "suspended"];  // the statuses the canteens tile layer carries
  var FONT = ["Noto Sans CJK SC Regular"];
  var EARTH_RADIUS_M = 6371008.8;
  var EMPTY = {type: "FeatureCollection", features: []};

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function reachCircle(center, metres, steps) {
    // A geodesic circle of `metres` around a lon/lat centre, as a GeoJSON ring on the sphere.
    var lon = center[0] * Math.PI / 180, lat = center[1] * Math.PI / 180, d = metres / EARTH_RADIUS_M;
    var ring = [];
    for (var i = 0; i <= steps; i++) {
      var bearing = 2 * Math.PI * (i % steps) / steps;
      var lat2 = Math.asin(Math.sin(lat) * Math.cos(d) + Math.cos(lat) * Math.sin(d) * Math.cos(bearing));
      var lon2 = lon + Math.atan2(Math.sin(bearing) * Math.sin(d) * Math.cos(lat),
        Math.cos(d) - Math.sin(lat) * Math.sin(lat2));
      ring.push([lon2 * 180 / Math.PI, lat2 * 180 / Math.PI]);
    }
    return {type: "Polygon", coordinates: [ring]};
  }

  function reachCircles(canteens) {
    // Walking circles of open canteens and the delivery radius of open canteens that deliver.
    var features = [];
    canteens.features.forEach(function (f) {
      var p = f.properties;
      if (p.status !== "open") return;
      features.push({type: "Feature", geometry: reachCircle(f.geometry.coordinates, p.walk_m, 64),
        properties: {reach: "walk", name: p.name}});
      if (p.delivery_m > 0) {
        features.push({type: "Feature", geometry: reachCircle(f.geometry.coordinates, p.delivery_m, 96),
          properties: {reach: "delivery", name: p.name}});
      }
    });
    return {type: "FeatureCollection", features: features};
  }

  function inactiveCanteens(canteens) {
    // Planned and closed canteens are not in the published tile layer: the page draws them from its own data.
    return {type: "FeatureCollection", features: canteens.features.filter(function (f) {
      return PUBLISHED.indexOf(f.properties.status) < 0;
    })};
  }

  function suggestions(plan) {
    return {type: "FeatureCollection", features: (plan ? plan.suggestions : []).map(function (s) {
      return {type: "Feature", geometry: {type: "Point", coordinates: s.lonlat},
        properties: {rank: String(s.rank), label: s.label}};
    })};
  }

  function statusColour() {
    return ["match", ["get", "status"], "open", STATUS_COLOURS.open, "planned", STATUS_COLOURS.planned,
      "suspended", STATUS_COLOURS.suspended, "closed", STATUS_COLOURS.closed, "#333333"];
  }

  // An area is named at its label point (the tiles' label_point), once: its polygon is cut at each tile's edge, and
  // named on the polygon it was named once per tile it crosses (a county twice on the city's map).
  function label(id, sourceLayer, size, minzoom) {
    return {id: id, type: "symbol", source: "diming", "source-layer": sourceLayer, minzoom: minzoom,
      filter: ["!=", ["geometry-type"], "Polygon"],
      layout: {"text-field": ["get", "name"], "text-font": FONT, "text-size": size, "text-max-width": 10},
      paint: {"text-color": "#555555", "text-halo-color": "#ffffff", "text-halo-width": 1.5}};
  }

  function style(tilejson) {
    return {
      version: 8,
      sources: {
        diming: {type: "vector", url: tilejson},
        uncovered: {type: "geojson", data: EMPTY},
        reach: {type: "geojson", data: EMPTY},
        inactive: {type: "geojson", data: EMPTY},
        suggestions: {type: "geojson", data: EMPTY},
      },
      layers: [
        {id: "background", type: "background", paint: {"background-color": "#eef0f2"}},
        {id: "counties-fill", type: "fill", source: "diming", "source-layer": "counties",
          paint: {"fill-color": "#f4f1ea"}},
        {id: "villages-outline", type: "line", source: "diming", "source-layer": "villages",
          paint: {"line-color": "#c9bfae", "line-width": 0.5}},
        {id: "townships-outline", type: "line", source: "diming", "source-layer": "townships",
          paint: {"line-color": "#b3a893", "line-width": 0.8, "line-dasharray": [3, 2]}},
        {id: "counties-outline", type: "line", source: "diming", "source-layer": "counties",
          paint: {"line-color": "#8a8170", "line-width": 1.2}},
        {id: "uncovered-fill", type: "fill", source: "uncovered",
          paint: {"fill-color": "#a5282c", "fill-opacity": 0.35}},
        {id: "uncovered-outline", type: "line", source: "uncovered",
          paint: {"line-color": "#a5282c", "line-width": 1.2}},
        {id: "reach-delivery", type: "fill", source: "reach", filter: ["==", ["get", "reach"], "delivery"],
          paint: {"fill-color": "#0b5cad", "fill-opacity": 0.05}},
        {id: "reach-delivery-outline", type: "line", source: "reach", filter: ["==", ["get", "reach"], "delivery"],
          paint: {"line-color": "#0b5cad", "line-width": 1, "line-dasharray": [6, 4]}},
        {id: "reach-walk", type: "fill", source: "reach", filter: ["==", ["get", "reach"], "walk"],
          paint: {"fill-color": "#1f7a3a", "fill-opacity": 0.12}},
        {id: "reach-walk-outline", type: "line", source: "reach", filter: ["==", ["get", "reach"], "walk"],
          paint: {"line-color": "#1f7a3a", "line-width": 1}},
        {id: "canteens-inactive", type: "circle", source: "inactive",
          paint: {"circle-radius": 5, "circle-color": statusColour(), "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 1.5}},
        {id: "canteens", type: "circle", source: "diming", "source-layer": "canteens",
          paint: {"circle-radius": 5, "circle-color": statusColour(), "circle-stroke-color": "#ffffff",
            "circle-stroke-width": 1.5}},
        {id: "suggestions", type: "circle", source: "suggestions",
          paint: {"circle-radius": 8, "circle-color": "#f0b400", "circle-stroke-color": "#5b4300",
            "circle-stroke-width": 1}},
        {id: "suggestions-rank", type: "symbol", source: "suggestions",
          layout: {"text-field": ["get", "rank"], "text-font": FONT, "text-size": 11, "text-allow-overlap": true},
          paint: {"text-color": "#3d2d00"}},
        label("townships-label", "townships", 12, 11),
        label("counties-label", "counties", 14, 0),
      ],
    };
  }

  function bounds(collections) {
    var box = new maplibregl.LngLatBounds();
    function extend(coords) {
      if (typeof coords[0] === "number") box.extend(coords);
      else coords.forEach(extend);
    }
    collections.forEach(function (c) { c.features.forEach(function (f) { extend(f.geometry.coordinates); }); });
    return box.isEmpty() ? null : box;
  }

  function showData(map, target, data, plan) {
    var reach = reachCircles(data.canteens), sites = suggestions(plan);
    map.getSource("uncovered").setData(data.uncovered);
    map.getSource("reach").setData(reach);
    map.getSource("inactive").setData(inactiveCanteens(data.canteens));
    map.getSource("suggestions").setData(sites);
    var box = bounds([data.canteens, data.uncovered, sites, reach]);
    if (box) map.fitBounds(box, {padding: 24, maxZoom: 14, animate: false});
    target.dataset.canteens = String(data.canteens.features.length);
    target.dataset.uncovered = String(data.uncovered.features.length);
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  function drawMap() {
    var target = document.getElementById("coverage-map");
    if (!target || typeof maplibregl === "undefined") return;
    var map = new maplibregl.Map({
      container: target, style: style(new URL(target.dataset.tilejson, window.location.href).href), center: [120.65, 27.9], zoom: 8,
      localIdeographFontFamily: target.dataset.fontFamily || "sans-serif", attributionControl: false,
    });
    window.coverageMap = map;
    map.addControl(new maplibregl.NavigationControl({showCompass: false}), "top-left");
    map.addControl(new maplibregl.ScaleControl({unit: "metric"}));
    var loaded = new Promise(function (resolve) { map.once("load", resolve); });
    var data = fetch(target.dataset.src, {credentials: "same-origin"}).then(function (r) { return r.json(); });
    Promise.all([data, loaded]).then(function (results) {
      showData(map, target, results[0], readJSON("siting-data"));
    });
  }

  function drawChart() {
    var canvas = document.getElementById("coverage-chart");
    var data = readJSON("coverage-chart-data");
    if (!canvas || !data || typeof Chart === "undefined") return;
    var chart = new Chart(canvas, {
      type: "bar",
      data: {labels: data.labels, datasets: [
        {label: data.series[0], data: data.by_count, backgroundColor: "#a5282c"},
        {label: data.series[1], data: data.by_population, backgroundColor: "#0b5cad"},
      ]},
      options: {responsive: true, maintainAspectRatio: false, animation: false,
        scales: {y: {min: 0, max: 100, ticks: {callback: function (v) { return v + "%"; }}}}},
    });
    canvas.dataset.ready = "1";
    canvas.dataset.bars = String(chart.data.labels.length);
  }

  function start() {
    drawChart();
    drawMap();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
