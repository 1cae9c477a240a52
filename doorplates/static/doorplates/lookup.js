// Address lookup on the doorplates index: a typed address is geocoded (the registry's plates it names) and shown
// on the map; a click on the map lists the nearest plates (reverse geocoding). Both ask the doorplates API.
(function () {
  "use strict";

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text) node.textContent = text;
    if (cls) node.className = cls;
    return node;
  }

  function plateList(rows, data, withDistance) {
    var list = el("ul", "", "lookup-list");
    rows.forEach(function (row) {
      var li = el("li");
      var a = el("a", row.address);
      a.href = data.plates + row.uuid + "/";
      li.appendChild(a);
      if (withDistance) li.appendChild(el("span", " " + data.words.metres.replace("%(m)s", row.distance_m), "muted"));
      list.appendChild(li);
    });
    return list;
  }

  function draw(target, data, style) {
    var form = document.getElementById("geocode-form"), input = document.getElementById("geocode-q");
    var found = document.getElementById("geocode-result"), near = document.getElementById("reverse-result");
    var opening = data.extent ? {bounds: data.extent, fitBoundsOptions: {padding: 10}} : {};
    var map = DimingBasemap.createMap(target, style, opening);
    window.dimingLookupMap = map;
    var marker = new maplibregl.Marker({color: "#c62828"});
    map.once("idle", function () { target.dataset.ready = "1"; });

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      if (!q) return;
      fetch(data.geocode + "?address=" + encodeURIComponent(q), {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (result) {
          found.innerHTML = "";
          var precision = result.precision || "none";
          found.dataset.precision = precision;
          found.appendChild(el("p", data.words[precision] || data.words.none, precision === "plate" ? "ok" : "warning"));
          if (result.matches && result.matches.length) found.appendChild(plateList(result.matches, data, false));
          if (result.lon !== null && result.lon !== undefined) {
            marker.setLngLat([result.lon, result.lat]).addTo(map);
            map.jumpTo({center: [result.lon, result.lat], zoom: 17});
          }
        });
    });

    map.on("click", function (event) {
      var lon = event.lngLat.lng.toFixed(7), lat = event.lngLat.lat.toFixed(7);
      marker.setLngLat(event.lngLat).addTo(map);
      fetch(data.reverse + "?lon=" + lon + "&lat=" + lat + "&k=5", {credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (result) {
          near.innerHTML = "";
          var rows = result.results || [];
          near.appendChild(el("p", rows.length ? data.words.nearest : data.words.no_plates, "muted"));
          if (rows.length) near.appendChild(plateList(rows, data, true));
          near.dataset.count = String(rows.length);
        });
    });
  }

  if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("lookup-map", "lookup-data", draw);
})();
