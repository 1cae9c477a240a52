// A road's plates on an OpenLayers map (county outlines as the base: no public tiles). Flagged plates are red;
// a click asks the API for the number an entrance at that point should get.
(function () {
  function pointStyle(feature) {
    var flagged = (feature.get("flags") || []).length > 0;
    return new ol.style.Style({
      image: new ol.style.Circle({radius: flagged ? 6 : 4, fill: new ol.style.Fill({color: flagged ? "#c62828" : "#1a4f9c"}),
        stroke: new ol.style.Stroke({color: "#fff", width: 1})}),
      text: new ol.style.Text({text: feature.get("number"), offsetY: -12, font: "11px sans-serif",
        fill: new ol.style.Fill({color: "#222"}), stroke: new ol.style.Stroke({color: "#fff", width: 3})}),
    });
  }
  function draw() {
    var target = document.getElementById("road-map");
    var holder = document.getElementById("road-map-data");
    if (!target || !holder || typeof ol === "undefined") return;
    var data = JSON.parse(holder.textContent);
    var fmt = new ol.format.GeoJSON();
    var road = new ol.source.Vector({features: fmt.readFeatures({type: "Feature", geometry: data.road, properties: {}},
      {featureProjection: "EPSG:3857"})});
    var plates = new ol.source.Vector();
    data.plates.forEach(function (p) {
      var f = new ol.Feature({geometry: new ol.geom.Point(ol.proj.fromLonLat([p.lon, p.lat])), number: p.number,
        flags: p.flags, url: p.url});
      plates.addFeature(f);
    });
    var counties = new ol.source.Vector({url: "/boundaries/areas.geojson?level=county", format: new ol.format.GeoJSON()});
    var pick = new ol.source.Vector();
    var map = new ol.Map({target: target, layers: [
      new ol.layer.Vector({source: counties, style: new ol.style.Style({fill: new ol.style.Fill({color: "#f1efe8"}),
        stroke: new ol.style.Stroke({color: "#9a8f7a", width: 1})})}),
      new ol.layer.Vector({source: road, style: new ol.style.Style({stroke: new ol.style.Stroke({color: "#d19a00", width: 6})})}),
      new ol.layer.Vector({source: plates, style: pointStyle, declutter: true}),
      new ol.layer.Vector({source: pick}),
    ], view: new ol.View({center: [0, 0], zoom: 2})});
    map.getView().fit(road.getExtent(), {padding: [30, 30, 30, 30], maxZoom: 19});
    map.on("singleclick", function (event) {
      var hit = map.forEachFeatureAtPixel(event.pixel, function (f) { return f.get("url") ? f : null; });
      if (hit) { window.location.href = hit.get("url"); return; }
      var lonlat = ol.proj.toLonLat(event.coordinate);
      pick.clear();
      pick.addFeature(new ol.Feature(new ol.geom.Point(event.coordinate)));
      fetch(data.suggest_url + "?lon=" + lonlat[0] + "&lat=" + lonlat[1], {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (s) {
          var out = document.getElementById("suggestion");
          if (s.error) { out.textContent = s.error.message; return; }
          out.textContent = s.number + "（" + (s.side === "left" ? "左侧" : "右侧") + "，里程 " + s.chainage_m + " 米）";
          out.dataset.number = s.number;
        });
    });
    target.dataset.features = String(plates.getFeatures().length);
    target.dataset.ready = "1";
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
