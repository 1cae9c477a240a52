// The review page's small map over the project's own tiles: the record's registered position (red) and where the
// crew stood when it sent the submission (blue), framed together.
(function () {
  "use strict";
  var box = document.getElementById("office-map");
  var source = document.getElementById("office-map-data");
  if (!box || !source || !window.maplibregl) return;
  var data = JSON.parse(source.textContent);
  var points = [["record", data.record, "#a5282c"], ["crew", data.crew, "#1f5fa8"]].filter(function (p) { return p[1]; });

  function withPoints(style) {
    points.forEach(function (p) {
      style.sources["office-" + p[0]] = {type: "geojson", data: {type: "Feature", properties: {},
        geometry: {type: "Point", coordinates: p[1]}}};
      style.layers.push({id: "office-" + p[0], type: "circle", source: "office-" + p[0],
        paint: {"circle-radius": 7, "circle-color": p[2], "circle-stroke-color": "#ffffff", "circle-stroke-width": 2}});
    });
    return style;
  }

  fetch(box.dataset.style, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (style) {
    var map = new maplibregl.Map({container: box, style: withPoints(style), center: points[0][1], zoom: 16,
      attributionControl: false, localIdeographFontFamily: "'Noto Sans CJK SC', sans-serif"});
    map.addControl(new maplibregl.NavigationControl({showCompass: false}));
    if (points.length > 1) {
      var bounds = new maplibregl.LngLatBounds(points[0][1], points[0][1]).extend(points[1][1]);
      map.fitBounds(bounds, {padding: 40, maxZoom: 17, duration: 0});
    }
    map.on("load", function () { box.dataset.ready = "1"; });
  }).catch(function () { box.dataset.ready = "error"; });
})();
