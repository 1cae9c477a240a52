// The triage queue's map: the reported places of the listed reports over the project's own tiles (/tiles/style.json),
// a new grave red, a rebound orange; a click opens a popup with the report's kind, time and area and a link to its
// triage page. The page's table lists the same reports, so the queue works without the map too.
(function () {
  "use strict";
  var box = document.getElementById("report-queue-map");
  var data = document.getElementById("report-points");
  if (!box || !data || typeof maplibregl === "undefined") return;
  var points = JSON.parse(data.textContent);
  var area = (box.dataset.area || "").split(",").map(Number);

  function bounds() {
    if (!points.features.length) return [[area[0], area[1]], [area[2], area[3]]];
    var w = 180, s = 90, e = -180, n = -90;
    points.features.forEach(function (f) {
      var c = f.geometry.coordinates;
      w = Math.min(w, c[0]); e = Math.max(e, c[0]); s = Math.min(s, c[1]); n = Math.max(n, c[1]);
    });
    var pad = 0.005;  // about 500 m around a single report
    return [[w - pad, s - pad], [e + pad, n + pad]];
  }

  function popup(properties) {
    var div = document.createElement("div");
    var title = document.createElement("strong");
    title.textContent = properties.label;
    var when = document.createElement("div");
    when.textContent = properties.at + (properties.area ? " · " + properties.area : "");
    var link = document.createElement("a");
    link.href = properties.url;
    link.textContent = box.dataset.open || properties.label;
    div.appendChild(title); div.appendChild(when); div.appendChild(link);
    return div;
  }

  fetch(box.dataset.style, {credentials: "same-origin"})
    .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
    .catch(function () {  // the tiles' style unavailable: the points on a plain background
      return {version: 8, sources: {}, layers: [{id: "bg", type: "background", paint: {"background-color": "#f4f1ea"}}]};
    })
    .then(function (style) {
      style.sources["grave-reports"] = {type: "geojson", data: points};
      style.layers = style.layers.concat([{id: "grave-reports", type: "circle", source: "grave-reports",
        paint: {"circle-radius": 7, "circle-stroke-color": "#ffffff", "circle-stroke-width": 2,
          "circle-color": ["match", ["get", "kind"], "rebound", "#d9822b", "#a5282c"]}}]);
      var map = new maplibregl.Map({container: box, style: style, bounds: bounds(), maxZoom: 18,
        attributionControl: false,
        localIdeographFontFamily: "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"});
      map.addControl(new maplibregl.NavigationControl({showCompass: false}));
      map.on("click", "grave-reports", function (e) {
        new maplibregl.Popup().setLngLat(e.features[0].geometry.coordinates).setDOMContent(popup(e.features[0].properties))
          .addTo(map);
      });
      map.on("mouseenter", "grave-reports", function () { map.getCanvas().style.cursor = "pointer"; });
      map.on("mouseleave", "grave-reports", function () { map.getCanvas().style.cursor = ""; });
      map.on("load", function () { map.once("idle", function () { box.dataset.ready = "1"; }); });  // points drawn
    });
})();
