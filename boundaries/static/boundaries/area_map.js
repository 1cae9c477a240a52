// Draws the areas listed in the admin change list on an OpenLayers map (no basemap: bureau networks are closed).
(function () {
  function draw() {
    var target = document.getElementById("area-map");
    var data = document.getElementById("area-map-data");
    if (!target || !data || typeof ol === "undefined") return;
    var collection = JSON.parse(data.textContent);
    var source = new ol.source.Vector({
      features: new ol.format.GeoJSON().readFeatures(collection, {featureProjection: "EPSG:3857"}),
    });
    var palette = ["#e8d5b7", "#c9e4c5", "#b8d8e8", "#f2c6c2", "#e0d0f0", "#f5e6a3", "#cfe8d8", "#f0d9c0"];
    var layer = new ol.layer.Vector({
      source: source,
      style: function (feature, resolution) {
        var i = parseInt(feature.get("code"), 10) % palette.length;
        return new ol.style.Style({
          fill: new ol.style.Fill({color: palette[i]}),
          stroke: new ol.style.Stroke({color: "#5b5346", width: 1}),
          text: resolution < 600 ? new ol.style.Text({text: feature.get("name"), font: "13px sans-serif",
            fill: new ol.style.Fill({color: "#222"}), stroke: new ol.style.Stroke({color: "#fff", width: 3})}) : undefined,
        });
      },
    });
    var map = new ol.Map({target: target, layers: [layer], view: new ol.View({center: [0, 0], zoom: 2})});
    if (source.getFeatures().length) map.getView().fit(source.getExtent(), {padding: [20, 20, 20, 20]});
    target.dataset.features = String(source.getFeatures().length);
    target.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
