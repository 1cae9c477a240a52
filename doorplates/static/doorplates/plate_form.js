// The single-plate form's map: a click places the entrance (longitude and latitude fields) and, with a road
// chosen, asks the numbering API which number an entrance there should get (shown beside the number field).
(function () {
  "use strict";

  function draw(target, data, style) {
    var lon = document.getElementById("id_lon"), lat = document.getElementById("id_lat");
    var road = document.getElementById("id_road"), number = document.getElementById("id_number");
    var hint = document.getElementById("number-suggestion");
    var refusal = document.getElementById("number-refusal");
    // The form sent back after a refusal keeps what was typed, which may be no number at all ("东经120度"): the map
    // then opens on the extent, not on a point it cannot place.
    var here = [Number(data.lon), Number(data.lat)];
    if (!data.lon || !data.lat || !isFinite(here[0]) || !isFinite(here[1]) || Math.abs(here[0]) > 180
        || Math.abs(here[1]) > 90) here = null;
    if (data.road) {
      style.sources["form-road"] = {type: "geojson", data: {type: "Feature", geometry: data.road, properties: {}}};
      DimingBasemap.overlay(style, [{id: "form-road", type: "line", source: "form-road",
        layout: {"line-cap": "round"}, paint: {"line-color": "#d19a00", "line-width": 5, "line-opacity": 0.8}}]);
    }
    var opening = here ? {center: here, zoom: 17} : data.extent ? {bounds: data.extent, fitBoundsOptions: {padding: 40}} : {};
    var map = DimingBasemap.createMap(target, style, opening);
    window.dimingPlateFormMap = map;
    var marker = new maplibregl.Marker({color: "#c62828"});
    if (here) marker.setLngLat(here).addTo(map);
    map.on("click", function (event) {
      lon.value = event.lngLat.lng.toFixed(7);
      lat.value = event.lngLat.lat.toFixed(7);
      [lon, lat].forEach(function (field) { field.dispatchEvent(new Event("input", {bubbles: true})); });
      marker.setLngLat(event.lngLat).addTo(map);
      if (!road.value) return;
      window.DimingRefusal.ask(data.roads_api + road.value + "/suggest/?lon=" + lon.value + "&lat=" + lat.value)
        .then(function (s) {
          window.DimingRefusal.say(refusal, null);
          hint.textContent = hint.dataset.prefix ? hint.dataset.prefix + s.number : s.number;
          hint.dataset.number = s.number;
          if (!number.value) number.value = s.number;
        }, function (refused) {  // why no number is suggested (the session ended, the point is off the road's area)
          hint.textContent = "";
          delete hint.dataset.number;
          window.DimingRefusal.say(refusal, refused);
        });
    });
    map.once("idle", function () { target.dataset.ready = "1"; });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("plate-form-map", "plate-form-data", draw);
})();
