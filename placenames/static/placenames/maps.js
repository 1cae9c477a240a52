// Maps of the place-name pages: OpenLayers with our own county outlines as the basemap (no tile server).
(function () {
  var COLOURS = {proposed: "#a5282c", same_name: "#6f42c1", homophone: "#d97706", similar: "#2f6fb3"};
  var ROLE_LABELS = {same_name: "同名", homophone: "同音", similar: "相似"};
  var geojson = new ol.format.GeoJSON();

  function countiesLayer(url) {
    return new ol.layer.Vector({
      source: new ol.source.Vector({url: url, format: geojson}),
      style: function (feature) {
        return new ol.style.Style({
          fill: new ol.style.Fill({color: "rgba(240, 236, 226, 0.8)"}),
          stroke: new ol.style.Stroke({color: "#8a8174", width: 1}),
          text: new ol.style.Text({text: feature.get("name"), font: "12px sans-serif",
            fill: new ol.style.Fill({color: "#6a6f76"})}),
        });
      },
    });
  }

  function styleFor(feature) {
    var colour = COLOURS[feature.get("role")] || "#2f6fb3";
    var width = feature.get("role") === "proposed" ? 5 : 3;
    return new ol.style.Style({
      stroke: new ol.style.Stroke({color: colour, width: width}),
      fill: new ol.style.Fill({color: "rgba(165, 40, 44, 0.15)"}),
      image: new ol.style.Circle({radius: 6, fill: new ol.style.Fill({color: colour})}),
      text: new ol.style.Text({text: feature.get("name"), font: "13px sans-serif", offsetY: -12,
        fill: new ol.style.Fill({color: "#1f2328"}), stroke: new ol.style.Stroke({color: "#fff", width: 3})}),
    });
  }

  function newMap(target, layers) {
    return new ol.Map({target: target, layers: layers,
      view: new ol.View({center: ol.proj.fromLonLat([120.65, 28.0]), zoom: 10})});
  }

  function listNearby(features) {
    var list = document.getElementById("nearby");
    if (!list) return;
    features.forEach(function (f) {
      if (f.get("role") === "proposed") return;
      var item = document.createElement("li");
      var distance = f.get("distance_m");
      item.textContent = f.get("name") + "（" + (ROLE_LABELS[f.get("role")] || "") + "，" + f.get("kind") +
        (distance !== null && distance !== undefined ? "，约 " + distance + " 米" : "") + "）";
      list.appendChild(item);
    });
  }

  function applicationMap(target) {
    var source = new ol.source.Vector();
    var map = newMap(target, [countiesLayer(target.dataset.counties),
      new ol.layer.Vector({source: source, style: styleFor})]);
    fetch(target.dataset.url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (data) {
      var features = geojson.readFeatures(data, {featureProjection: "EPSG:3857"});
      source.addFeatures(features);
      var proposed = features.filter(function (f) { return f.get("role") === "proposed"; });
      var extent = proposed.length ? proposed[0].getGeometry().getExtent() : source.getExtent();
      listNearby(features);
      target.dataset.features = String(features.length);
      map.getView().fit(ol.extent.buffer(extent, 800), {padding: [30, 30, 30, 30], maxZoom: 17});
      target.dataset.ready = "1";
    });
  }

  function drawMap(target) {
    var input = document.querySelector("textarea[name=geom]");
    var kind = document.querySelector("select[name=kind]");
    var source = new ol.source.Vector();
    var map = newMap(target, [countiesLayer(target.dataset.counties), new ol.layer.Vector({source: source, style: styleFor})]);
    if (input && input.value.trim().charAt(0) === "{") {
      try {
        var geometry = geojson.readGeometry(JSON.parse(input.value), {featureProjection: "EPSG:3857"});
        var feature = new ol.Feature({geometry: geometry, role: "proposed"});
        source.addFeature(feature);
        map.getView().fit(ol.extent.buffer(geometry.getExtent(), 500), {maxZoom: 17});
      } catch (e) { /* WKT or invalid text: the server says what is wrong */ }
    }
    var draw = null;
    function drawType() {
      var code = kind ? kind.value : "road";
      if (["road", "street", "lane", "avenue", "bridge", ""].indexOf(code) >= 0) return "LineString";
      if (["residential", "village"].indexOf(code) >= 0) return "Polygon";
      return "Point";
    }
    function startDrawing() {
      if (draw) map.removeInteraction(draw);
      draw = new ol.interaction.Draw({source: source, type: drawType()});
      draw.on("drawstart", function () { source.clear(); });
      draw.on("drawend", function (event) {
        event.feature.set("role", "proposed");
        input.value = geojson.writeGeometry(event.feature.getGeometry(),
          {featureProjection: "EPSG:3857", decimals: 7});
      });
      map.addInteraction(draw);
    }
    if (kind) kind.addEventListener("change", startDrawing);
    startDrawing();
    target.dataset.ready = "1";
  }

  function init() {
    if (typeof ol === "undefined") return;
    var application = document.getElementById("application-map");
    if (application) applicationMap(application);
    var draw = document.getElementById("draw-map");
    if (draw) drawMap(draw);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
