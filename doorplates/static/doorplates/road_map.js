// A road's plates on a MapLibre GL map over our own vector tiles (boundaries/basemap.js: no public tiles, no glyphs
// URL, labels drawn with local fonts). The road is highlighted; its plates come from the page's own data, so
// planned or damaged plates that public tiles do not carry still show. Flagged plates are red; a click on a plate
// opens it, a click elsewhere asks the API for the number an entrance at that point should get.
(function () {
  var PLATE_COLOUR = ["case", [">", ["length", ["get", "flags"]], 0], "#c62828", "#1a4f9c"];

  function plateFeatures(plates) {
    return {type: "FeatureCollection", features: plates.map(function (p) {
      return {type: "Feature", geometry: {type: "Point", coordinates: [p.lon, p.lat]},
        properties: {uuid: p.uuid, number: p.number, status: p.status, flags: p.flags, url: p.url}};
    })};
  }

  function hideTilePlatesOf(style, uuids) {
    // The tiles draw installed plates too: leave this road's to the page's own layer, drawn once.
    var mine = ["!", ["in", ["get", "id"], ["literal", uuids]]];
    style.layers.forEach(function (layer) {
      if (layer["source-layer"] !== "doorplates") return;
      layer.filter = layer.filter ? ["all", layer.filter, mine] : mine;
    });
  }

  function roadLayers(font) {
    return DimingBasemap.casedLine("road", ["road-casing", "road-line"], [10, 6], "#d19a00").concat([
      {id: "road-plates", type: "circle", source: "plates",
        paint: {"circle-radius": ["case", [">", ["length", ["get", "flags"]], 0], 6, 4.5], "circle-color": PLATE_COLOUR,
          "circle-stroke-color": "#ffffff", "circle-stroke-width": 1}},
      {id: "road-plate-labels", type: "symbol", source: "plates",
        layout: {"text-field": ["get", "number"], "text-font": font, "text-size": 12, "text-offset": [0, -1.1],
          "text-anchor": "bottom", "text-allow-overlap": false},
        paint: {"text-color": "#222222", "text-halo-color": "#ffffff", "text-halo-width": 2}},
      {id: "road-pick", type: "circle", source: "pick",
        paint: {"circle-radius": 6, "circle-color": "#ffffff", "circle-stroke-color": "#d9480f", "circle-stroke-width": 3}},
    ]);
  }

  function addRoad(style, data) {
    var font = DimingBasemap.labelFont(style);
    style.sources.road = {type: "geojson", data: {type: "Feature", geometry: data.road, properties: {}}};
    style.sources.plates = {type: "geojson", data: plateFeatures(data.plates), promoteId: "uuid"};
    style.sources.pick = {type: "geojson", data: {type: "FeatureCollection", features: []}};
    hideTilePlatesOf(style, data.plates.map(function (p) { return p.uuid; }));
    style.layers = style.layers.concat(roadLayers(font));
    return style;
  }

  function showSuggestion(s) {
    var out = document.getElementById("suggestion");
    if (s.error) { out.textContent = s.error.message; delete out.dataset.number; return; }
    out.textContent = out.dataset.says.replace("{number}", s.number)  // the page's words, in the user's language
      .replace("{side}", s.side === "left" ? out.dataset.left : out.dataset.right).replace("{chainage}", s.chainage_m);
    out.dataset.number = s.number;
  }

  function onClick(map, data, event) {
    var hit = map.queryRenderedFeatures(event.point, {layers: ["road-plates", "road-plate-labels"]})[0];
    if (hit) {  // a plate of another county's, on a road across the line, has no page for this user
      if (hit.properties.url) window.location.href = hit.properties.url;
      return;
    }
    var at = event.lngLat;
    map.getSource("pick").setData({type: "Feature", geometry: {type: "Point", coordinates: [at.lng, at.lat]},
      properties: {}});
    // a refusal (a lapsed session, a point off the road) or a lost network is said where the number would be
    DimingRefusal.ask(data.suggest_url + "?lon=" + at.lng + "&lat=" + at.lat)
      .then(showSuggestion, function (refusal) { showSuggestion({error: refusal}); });
  }

  function draw(target, data, style) {
    var map = DimingBasemap.createMap(target, addRoad(style, data), {
      bounds: DimingBasemap.boundsOf([data.road]), fitBoundsOptions: {padding: 30, maxZoom: 19}});
    window.dimingRoadMap = map;
    map.on("click", function (event) { onClick(map, data, event); });
    map.on("mousemove", "road-plates", function () { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", "road-plates", function () { map.getCanvas().style.cursor = ""; });
    map.once("idle", function () { target.dataset.ready = "1"; });
    target.dataset.features = String(data.plates.length);
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("road-map", "road-map-data", draw);
})();
