// The office map: MapLibre GL JS on our own style and vector tiles. Labels are drawn with local fonts (the style
// has no glyphs URL), so the map works on a closed network. ?pmtiles=NAME shows an offline package instead.
(function () {
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"}[c];
    });
  }

  function popupHtml(feature, data) {
    // Labels and values in words (tiles.legend), a link to the record's page; no column name, no code.
    var legend = (data.legend || {})[feature.sourceLayer] || {fields: {}, values: {}};
    var props = feature.properties;
    var rows = Object.keys(legend.fields).filter(function (key) {
      return props[key] !== undefined && props[key] !== null && props[key] !== "";
    }).map(function (key) {
      var value = props[key], names = legend.values[key];
      if (names) value = names[String(value)] !== undefined ? names[String(value)] : value;
      return "<tr><th>" + escapeHtml(legend.fields[key]) + "</th><td>" + escapeHtml(value) + "</td></tr>";
    });
    var title = legend.label && props[legend.label] ? props[legend.label] : legend.title || "";
    var id = props.id !== undefined ? props.id : feature.id;
    var link = legend.record && id !== undefined && id !== null ?
      "<p><a class='record-link' href='" + escapeHtml(legend.record.replace("{id}", encodeURIComponent(id))) + "'>" +
      escapeHtml(data.words.open) + "</a></p>" : "";
    return "<div class='tiles-popup'><strong>" + escapeHtml(title) + "</strong> <span class='muted'>" +
      escapeHtml(legend.title || "") + "</span><table>" + rows.join("") + "</table>" + link + "</div>";
  }

  function usePmtiles(style, name) {
    var protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
    var url = "pmtiles://" + window.location.origin + "/tiles/pmtiles/" + encodeURIComponent(name) + ".pmtiles";
    style.sources.diming = {type: "vector", url: url};
    return style;
  }

  function toggle(map, name, visible) {
    map.getStyle().layers.forEach(function (layer) {
      if (layer["source-layer"] === name) map.setLayoutProperty(layer.id, "visibility", visible ? "visible" : "none");
    });
  }

  function start() {
    var target = document.getElementById("map");
    if (!target || typeof maplibregl === "undefined") return;
    var holder = document.getElementById("map-data");
    var data = holder ? JSON.parse(holder.textContent) : {legend: {}, words: {}};
    fetch(target.dataset.style, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (style) {
      if (target.dataset.pmtiles) style = usePmtiles(style, target.dataset.pmtiles);
      var map = new maplibregl.Map({
        container: target,
        style: style,
        localIdeographFontFamily: target.dataset.fontFamily || "sans-serif",
        attributionControl: false,
        bounds: data.extent || undefined,  // the user's county; the whole city for those who act everywhere
        fitBoundsOptions: {padding: 10},
      });
      window.dimingMap = map;
      map.addControl(new maplibregl.NavigationControl(), "top-left");
      map.addControl(new maplibregl.ScaleControl({unit: "metric"}));
      map.on("click", function (event) {
        var found = map.queryRenderedFeatures(event.point).filter(function (f) { return f.layer.type !== "background"; });
        if (found.length) new maplibregl.Popup().setLngLat(event.lngLat).setHTML(popupHtml(found[0], data)).addTo(map);
      });
      map.on("idle", function () { target.dataset.ready = "1"; });
      document.querySelectorAll("#layer-list input[data-layer]").forEach(function (box) {
        box.addEventListener("change", function () { toggle(map, box.dataset.layer, box.checked); });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
