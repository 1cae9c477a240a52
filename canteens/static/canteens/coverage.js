// The coverage page: county outlines as the basemap, canteens with geodesic reach circles, uncovered villages
// highlighted, suggested sites; and the coverage chart. Everything is served by the project (closed networks).
(function () {
  "use strict";

  var STATUS_COLOURS = {open: "#1f7a3a", planned: "#6a6f76", suspended: "#9a6700", closed: "#999999"};

  function readJSON(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function reachCircle(center, metres) {
    // A geodesic circle in metres around a lon/lat centre, as a polygon in the map projection.
    return ol.geom.Polygon.circular(center, metres, 48).transform("EPSG:4326", "EPSG:3857");
  }

  function canteenLayers(collection) {
    var format = new ol.format.GeoJSON();
    var points = new ol.source.Vector();
    var circles = new ol.source.Vector();
    collection.features.forEach(function (f) {
      var feature = format.readFeature(f, {featureProjection: "EPSG:3857"});
      points.addFeature(feature);
      var p = f.properties;
      if (p.status !== "open") return;
      circles.addFeature(new ol.Feature({geometry: reachCircle(f.geometry.coordinates, p.walk_m), reach: "walk"}));
      if (p.delivery_m > 0) {
        circles.addFeature(new ol.Feature({geometry: reachCircle(f.geometry.coordinates, p.delivery_m), reach: "delivery"}));
      }
    });
    var circleLayer = new ol.layer.Vector({
      source: circles,
      style: function (feature) {
        var delivery = feature.get("reach") === "delivery";
        return new ol.style.Style({
          fill: new ol.style.Fill({color: delivery ? "rgba(11,92,173,0.05)" : "rgba(31,122,58,0.12)"}),
          stroke: new ol.style.Stroke({color: delivery ? "#0b5cad" : "#1f7a3a", width: 1,
            lineDash: delivery ? [6, 4] : undefined}),
        });
      },
    });
    var pointLayer = new ol.layer.Vector({
      source: points,
      style: function (feature) {
        return new ol.style.Style({image: new ol.style.Circle({
          radius: 5, fill: new ol.style.Fill({color: STATUS_COLOURS[feature.get("status")] || "#333"}),
          stroke: new ol.style.Stroke({color: "#fff", width: 1.5})})});
      },
    });
    return [circleLayer, pointLayer];
  }

  function uncoveredLayer(collection) {
    return new ol.layer.Vector({
      source: new ol.source.Vector({features: new ol.format.GeoJSON().readFeatures(collection, {featureProjection: "EPSG:3857"})}),
      style: new ol.style.Style({fill: new ol.style.Fill({color: "rgba(165,40,44,0.35)"}),
        stroke: new ol.style.Stroke({color: "#a5282c", width: 1.2})}),
    });
  }

  function suggestionLayer(plan) {
    var source = new ol.source.Vector();
    (plan ? plan.suggestions : []).forEach(function (s) {
      source.addFeature(new ol.Feature({geometry: new ol.geom.Point(ol.proj.fromLonLat(s.lonlat)), rank: s.rank}));
    });
    return new ol.layer.Vector({
      source: source,
      style: function (feature) {
        return new ol.style.Style({
          image: new ol.style.RegularShape({points: 5, radius: 10, radius2: 4, fill: new ol.style.Fill({color: "#f0b400"}),
            stroke: new ol.style.Stroke({color: "#5b4300", width: 1})}),
          text: new ol.style.Text({text: String(feature.get("rank")), offsetY: -16, font: "bold 12px sans-serif",
            fill: new ol.style.Fill({color: "#5b4300"}), stroke: new ol.style.Stroke({color: "#fff", width: 3})}),
        });
      },
    });
  }

  function countyLayer(url) {
    return new ol.layer.Vector({
      source: new ol.source.Vector({url: url, format: new ol.format.GeoJSON()}),
      style: function (feature, resolution) {
        return new ol.style.Style({
          fill: new ol.style.Fill({color: "#f4f1ea"}),
          stroke: new ol.style.Stroke({color: "#8a8170", width: 1.2}),
          text: resolution < 400 ? new ol.style.Text({text: feature.get("name"), font: "13px sans-serif",
            fill: new ol.style.Fill({color: "#555"}), stroke: new ol.style.Stroke({color: "#fff", width: 3})}) : undefined,
        });
      },
    });
  }

  function drawMap() {
    var target = document.getElementById("coverage-map");
    if (!target || typeof ol === "undefined") return;
    var counties = countyLayer(target.dataset.counties);
    var map = new ol.Map({target: target, layers: [counties], view: new ol.View({center: ol.proj.fromLonLat([120.65, 27.9]), zoom: 8})});
    counties.getSource().once("featuresloadend", function () {
      if (!target.dataset.fitted) map.getView().fit(counties.getSource().getExtent(), {padding: [16, 16, 16, 16]});
    });
    fetch(target.dataset.src, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var uncovered = uncoveredLayer(data.uncovered);
      map.addLayer(uncovered);
      canteenLayers(data.canteens).forEach(function (layer) { map.addLayer(layer); });
      map.addLayer(suggestionLayer(readJSON("siting-data")));
      var extent = ol.extent.createEmpty();
      map.getLayers().forEach(function (layer) {
        if (layer !== counties && layer.getSource().getFeatures().length) ol.extent.extend(extent, layer.getSource().getExtent());
      });
      if (!ol.extent.isEmpty(extent)) {
        target.dataset.fitted = "1";
        map.getView().fit(extent, {padding: [24, 24, 24, 24], maxZoom: 14});
      }
      target.dataset.canteens = String(data.canteens.features.length);
      target.dataset.uncovered = String(data.uncovered.features.length);
      target.dataset.ready = "1";
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
