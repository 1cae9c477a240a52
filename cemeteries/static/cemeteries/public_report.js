// The public report page: tap the map (the project's own tiles) to pick the grave's place, or use the phone's
// location; the longitude and latitude fields are filled and stay editable. Works without the map too.
(function () {
  "use strict";
  var el = document.getElementById("report-map");
  var lon = document.getElementById("lon"), lat = document.getElementById("lat");
  var picked = document.getElementById("picked");
  var marker = null, map = null;

  function pick(lngLat) {
    lon.value = lngLat.lng.toFixed(6);
    lat.value = lngLat.lat.toFixed(6);
    [lon, lat].forEach(function (field) { field.dispatchEvent(new Event("input", {bubbles: true})); });
    picked.textContent = lon.value + ", " + lat.value;
    if (map) {
      if (!marker) marker = new maplibregl.Marker({color: "#a5282c"}).setLngLat(lngLat).addTo(map);
      else marker.setLngLat(lngLat);
    }
  }

  var area = (el.dataset.area || "").split(",").map(Number);
  if (typeof maplibregl !== "undefined" && el) {
    fetch(el.dataset.style, {credentials: "same-origin"})
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .catch(function () {
        return {version: 8, sources: {}, layers: [{id: "bg", type: "background", paint: {"background-color": "#f4f1ea"}}]};
      })
      .then(function (style) {
        map = new maplibregl.Map({container: el, style: style, bounds: [[area[0], area[1]], [area[2], area[3]]],
          attributionControl: false,
          localIdeographFontFamily: "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif"});
        map.addControl(new maplibregl.NavigationControl({showCompass: false}));
        map.on("click", function (e) { pick(e.lngLat); });
        map.on("load", function () { el.dataset.ready = "1"; });
        var given = {lng: Number(lon.value), lat: Number(lat.value)};  // a refused form keeps what was typed
        if (lon.value && lat.value && isFinite(given.lng) && isFinite(given.lat) && Math.abs(given.lng) <= 180
            && Math.abs(given.lat) <= 90) pick(given);
      });
  }
  var button = document.getElementById("use-location");
  if (button) {
    button.addEventListener("click", function () {
      if (!navigator.geolocation) return;
      navigator.geolocation.getCurrentPosition(function (p) {
        var here = {lng: p.coords.longitude, lat: p.coords.latitude};
        pick(here);
        if (map) map.flyTo({center: here, zoom: 15});
      });
    });
  }
})();
