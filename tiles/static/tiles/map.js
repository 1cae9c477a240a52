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
    // The link is added once the record's page answers (see checkLink): a record outside the user's region shows
    // its name only, never a link to a refusal.
    var link = legend.record && id !== undefined && id !== null ?
      "<p class='record-link-holder' data-href='" + escapeHtml(legend.record.replace("{id}", encodeURIComponent(id))) +
      "'></p>" : "";
    return "<div class='tiles-popup'><strong>" + escapeHtml(title) + "</strong> <span class='muted'>" +
      escapeHtml(legend.title || "") + "</span><table>" + rows.join("") + "</table>" + link + "</div>";
  }

  function checkLink(popup, data) {
    var holder = popup.getElement() && popup.getElement().querySelector(".record-link-holder");
    if (!holder) return;
    var href = holder.dataset.href;
    fetch(href, {credentials: "same-origin", redirect: "manual"}).then(function (answer) {
      if (answer.ok) {
        var a = document.createElement("a");
        a.className = "record-link";
        a.href = href;
        a.textContent = data.words.open;
        holder.appendChild(a);
      } else {
        sessionLapsed(data, function (lapsed) {
          if (lapsed) { holder.remove(); return; }  // the notice above the map says to sign in again
          holder.className = "record-link-holder muted outside-region";
          holder.textContent = data.words.outside;
        });
      }
    }).catch(function () {
      holder.className = "record-link-holder muted";
      holder.textContent = data.words.unreachable;
    });
  }

  function usePmtiles(style, name) {
    var protocol = new pmtiles.Protocol();
    maplibregl.addProtocol("pmtiles", protocol.tile);
    var url = "pmtiles://" + window.location.origin + "/tiles/pmtiles/" + encodeURIComponent(name) + ".pmtiles";
    style.sources.diming = {type: "vector", url: url};
    return style;
  }

  // One tile holds every layer, so one layer failing on the server (a 500, a timeout) would leave every layer of
  // that tile blank. On the first tile error the map asks each layer apart instead: the others keep drawing, and a
  // short notice names the layers that still fail.
  function splitSources(map) {
    var style = map.getStyle(), combined = style.sources.diming;
    if (!combined || !combined.url) return false;
    var names = [];
    style.layers.forEach(function (layer) {
      if (layer.source !== "diming") return;
      if (names.indexOf(layer["source-layer"]) < 0) names.push(layer["source-layer"]);
      layer.source = "diming-" + layer["source-layer"];
    });
    names.forEach(function (name) {
      style.sources["diming-" + name] = {type: "vector", url: combined.url.replace(/\/tiles\/[^/]+\.json/, "/tiles/" + name + ".json")};
    });
    delete style.sources.diming;
    map.setStyle(style, {diff: false});
    return true;
  }

  // A session that lapsed while the map was open hides the layers that need a signed-in user (their tiles do not
  // exist for a visitor) and closes the records' pages: before saying that a layer cannot be drawn or a record is
  // outside the user's region, the map asks whether the session still holds (401 when not),
  // and if not says so above the map, with a link to sign in again and come back here. Calls ``then(lapsed)``.
  var lapsed = false;
  function sessionLapsed(data, then) {
    if (lapsed || !window.DimingRefusal) { then(lapsed); return; }
    DimingRefusal.askSession().then(function () { then(false); }, function (refusal) {
      if (refusal.code !== "not_authenticated") { then(false); return; }
      lapsed = true;
      var notice = document.getElementById("map-notice");
      if (notice) {
        notice.textContent = refusal.message;
        DimingRefusal.offerSignIn(notice, false).id = "sign-in-again";
        notice.hidden = false;
      }
      then(true);
    });
  }

  // A tile the server does not have (404, as every tile of a layer that needs a sign-in is to a visitor) is no error
  // to MapLibre: the map just draws nothing there. So the map also asks, when the officer comes back to its tab and
  // after a move (at most once a minute), whether the session still holds.
  function watchSession(map, data) {
    var asked = 0;
    function ask() {
      if (lapsed || Date.now() - asked < 60000) return;
      asked = Date.now();
      sessionLapsed(data, function () {});
    }
    map.on("moveend", ask);
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState !== "visible") return;
      asked = 0;
      ask();
    });
  }

  function noticeFailed(data, failed) {
    var notice = document.getElementById("map-notice");
    if (!notice || lapsed) return;
    var titles = Object.keys(failed).map(function (name) {
      return ((data.legend || {})[name] || {}).title || name;
    });
    notice.textContent = data.words.failed.replace("%(layers)s", titles.join("、"));
    notice.hidden = false;
  }

  function isolateFailures(map, data) {
    var split = false, failed = {};
    map.on("error", function (event) {
      var source = event.sourceId || "";
      if (source === "diming" && !split) {
        split = splitSources(map);
      } else if (source.indexOf("diming-") === 0 && !failed[source.slice(7)]) {
        failed[source.slice(7)] = true;
        sessionLapsed(data, function (signedOut) { if (!signedOut) noticeFailed(data, failed); });
      }
    });
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
      if (!target.dataset.pmtiles) isolateFailures(map, data);
      watchSession(map, data);
      map.addControl(new maplibregl.NavigationControl(), "top-left");
      map.addControl(new maplibregl.ScaleControl({unit: "metric"}));
      map.on("click", function (event) {
        var found = map.queryRenderedFeatures(event.point).filter(function (f) { return f.layer.type !== "background"; });
        if (!found.length) return;
        var popup = new maplibregl.Popup().setLngLat(event.lngLat).setHTML(popupHtml(found[0], data)).addTo(map);
        checkLink(popup, data);
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
