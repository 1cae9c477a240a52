// The small map of the public plate page: the county outlines, the road and the entrance point.
(function () {
  function draw() {
    var target = document.getElementById("public-map");
    var holder = document.getElementById("public-map-data");
    if (!target || !holder || typeof ol === "undefined") return;
    var data = JSON.parse(holder.textContent);
    var here = ol.proj.fromLonLat([data.lon, data.lat]);
    var counties = new ol.source.Vector({url: "/boundaries/areas.geojson?level=county", format: new ol.format.GeoJSON()});
    var point = new ol.source.Vector({features: [new ol.Feature(new ol.geom.Point(here))]});
    var road = new ol.source.Vector({features: new ol.format.GeoJSON().readFeatures(
      {type: "Feature", geometry: data.road, properties: {}}, {featureProjection: "EPSG:3857"})});
    new ol.Map({target: target, layers: [
      new ol.layer.Vector({source: counties, style: new ol.style.Style({fill: new ol.style.Fill({color: "#f1efe8"}),
        stroke: new ol.style.Stroke({color: "#9a8f7a", width: 1})})}),
      new ol.layer.Vector({source: road, style: new ol.style.Style({stroke: new ol.style.Stroke({color: "#d19a00", width: 5})})}),
      new ol.layer.Vector({source: point, style: new ol.style.Style({image: new ol.style.Circle({radius: 7,
        fill: new ol.style.Fill({color: "#c62828"}), stroke: new ol.style.Stroke({color: "#fff", width: 2})})})}),
    ], view: new ol.View({center: here, zoom: 15})});
    target.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
