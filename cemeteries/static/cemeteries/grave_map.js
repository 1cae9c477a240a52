// A grave on a MapLibre GL map over our own vector tiles (/tiles/style.json: no public tiles, no glyphs URL): the
// grave (and its outline) from the page's data, with the corridors it is tagged with.
(function () {
  var box = document.getElementById("grave-map");
  var data = JSON.parse(document.getElementById("grave-map-data").textContent);
  if (!box || !window.maplibregl) return;

  function addGrave(style) {
    style.sources["grave"] = {type: "geojson", data: {type: "Feature", properties: {},
      geometry: {type: "Point", coordinates: data.grave}}};
    style.sources["grave-corridors"] = {type: "geojson", data: {type: "FeatureCollection",
      features: data.corridors.map(function (c) { return {type: "Feature", properties: {name: c.name}, geometry: c.geometry}; })}};
    var layers = [
      {id: "grave-corridor-lines", type: "line", source: "grave-corridors",
        paint: {"line-color": "#d19a00", "line-width": 5, "line-opacity": 0.8}},
      {id: "grave-point", type: "circle", source: "grave",
        paint: {"circle-radius": 8, "circle-color": "#a5282c", "circle-stroke-color": "#ffffff", "circle-stroke-width": 2}},
    ];
    if (data.outline) {
      style.sources["grave-outline"] = {type: "geojson", data: {type: "Feature", properties: {},
        geometry: {type: "Polygon", coordinates: [data.outline]}}};
      layers.unshift({id: "grave-outline", type: "line", source: "grave-outline", paint: {"line-color": "#a5282c", "line-width": 2}});
    }
    style.layers = style.layers.concat(layers);
    return style;
  }

  fetch(box.dataset.style, {credentials: "same-origin"})
    .then(function (r) { return r.json(); })
    .then(function (style) {
      var map = new maplibregl.Map({container: box, style: addGrave(style), center: data.grave, zoom: 15,
        attributionControl: false, localIdeographFontFamily: "'Noto Sans CJK SC', sans-serif"});
      map.addControl(new maplibregl.NavigationControl({showCompass: false}));
      map.on("load", function () { box.dataset.ready = "1"; });
    })
    .catch(function () { box.dataset.ready = "error"; });
})();
