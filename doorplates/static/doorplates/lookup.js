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

  // A refusal (a session that lapsed, a point outside the service area, no network) is said in its own words, not
  // taken for "nothing found" (config/static/js/refusal.js).
  function refused(box) {
    return function (refusal) {
      box.innerHTML = "";
      var line = el("p", "", "warning");
      box.appendChild(line);
      window.DimingRefusal.say(line, refusal);
      box.dataset.refused = refusal.code;
    };
  }

  // The address lookup works from the start, before (and without) the map: an officer who types fast, or whose
  // browser cannot draw the map, still finds the address. The map shows the result once it is drawn.
  var map = null, marker = null, shown = null;

  function show(lonlat) {
    shown = lonlat;
    if (!map || !lonlat) return;
    marker.setLngLat(lonlat).addTo(map);
    map.jumpTo({center: lonlat, zoom: 17});
  }

  function lookup(data, q) {
    var found = document.getElementById("geocode-result");
    window.DimingRefusal.ask(data.geocode + "?address=" + encodeURIComponent(q)).then(function (result) {
      found.innerHTML = "";
      delete found.dataset.refused;
      var precision = result.precision || "none";
      found.dataset.precision = precision;
      found.appendChild(el("p", data.words[precision] || data.words.none, precision === "plate" ? "ok" : "warning"));
      if (result.matches && result.matches.length) found.appendChild(plateList(result.matches, data, false));
      if (result.lon !== null && result.lon !== undefined) show([result.lon, result.lat]);
    }, refused(found));
  }

  function draw(target, data, style) {
    var near = document.getElementById("reverse-result");
    var opening = data.extent ? {bounds: data.extent, fitBoundsOptions: {padding: 10}} : {};
    map = DimingBasemap.createMap(target, style, opening);
    window.dimingLookupMap = map;
    marker = new maplibregl.Marker({color: "#c62828"});
    map.once("idle", function () { target.dataset.ready = "1"; });
    show(shown);

    map.on("click", function (event) {
      var lon = event.lngLat.lng.toFixed(7), lat = event.lngLat.lat.toFixed(7);
      marker.setLngLat(event.lngLat).addTo(map);
      window.DimingRefusal.ask(data.reverse + "?lon=" + lon + "&lat=" + lat + "&k=5").then(function (result) {
        near.innerHTML = "";
        delete near.dataset.refused;
        var rows = result.results || [];
        near.appendChild(el("p", rows.length ? data.words.nearest : data.words.no_plates, "muted"));
        if (rows.length) near.appendChild(plateList(rows, data, true));
        near.dataset.count = String(rows.length);
      }, refused(near));
    });
  }

  function start() {
    var form = document.getElementById("geocode-form"), input = document.getElementById("geocode-q");
    var holder = document.getElementById("lookup-data");
    if (!form || !input || !holder) return;
    var data = JSON.parse(holder.textContent);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var q = input.value.trim();
      if (q) lookup(data, q);
    });
    // An address in the page's own address (a link, a bookmark, a form sent before this script ran) is looked up.
    var asked = new URLSearchParams(window.location.search).get("address");
    if (asked && asked.trim()) {
      input.value = asked;
      lookup(data, asked.trim());
    }
    if (typeof DimingBasemap !== "undefined") DimingBasemap.onPage("lookup-map", "lookup-data", draw);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
