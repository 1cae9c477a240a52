// The offline basemap and the map. A package's PMTiles archive is fetched in Range requests into the Origin
// Private File System (Cache Storage where OPFS is missing), resumed where a cut left it, and fetched again only
// when its etag changed. The map is MapLibre with the pmtiles protocol reading that stored file: the crew's
// position with its accuracy circle, the day's track, the package's tasks and the line to the chosen target.
(function () {
  "use strict";
  var Field = window.Field = window.Field || {};
  var RANGE_BYTES = 4 * 1024 * 1024;
  var CACHE = "diming-field-basemaps";
  var map = null, protocol = null, target = null, loadedKey = null, picking = null;

  function fileName(pkgId) { return "basemap-" + String(pkgId).replace(/[^\w-]/g, "_") + ".pmtiles"; }

  function opfs() {
    return navigator.storage && navigator.storage.getDirectory ? navigator.storage.getDirectory() : Promise.reject(new Error("no opfs"));
  }

  function storedFile(pkgId) {
    return Field.store.get("meta", "basemap:" + pkgId).then(function (info) {
      if (!info || !info.complete) return null;
      if (info.where === "cache") {
        return caches.open(CACHE).then(function (c) { return c.match(info.url); }).then(function (r) {
          return r ? r.blob().then(function (b) { return new File([b], fileName(pkgId)); }) : null;
        });
      }
      return opfs().then(function (dir) { return dir.getFileHandle(fileName(pkgId)); })
        .then(function (h) { return h.getFile(); }).catch(function () { return null; });
    });
  }

  function rangeFetch(url, first, last, etag) {
    var headers = {Range: "bytes=" + first + "-" + last};
    if (etag) headers["If-Range"] = etag;
    return fetch(url, {headers: headers, credentials: "same-origin", cache: "no-store"}).then(function (r) {
      if (r.status !== 206 && r.status !== 200) throw new Error("HTTP " + r.status);
      return r.arrayBuffer().then(function (data) {
        return {partial: r.status === 206, data: data, etag: r.headers.get("ETag"),
          total: parseInt((r.headers.get("Content-Range") || "").split("/")[1] || data.byteLength, 10)};
      });
    });
  }

  // The device has too little room for what is left to download: found before a byte is fetched when the browser's
  // estimate shows it (``free`` then below ``needed``), else by the browser's refusal to write (``free`` as estimated,
  // or null: an estimate that does not show the shortage is not repeated to the crew).
  function NoRoom(needed, free) { this.name = "NoRoom"; this.needed = needed; this.free = free; }

  function freeBytes() {
    if (!navigator.storage || !navigator.storage.estimate) return Promise.resolve(null);
    return navigator.storage.estimate().then(function (e) {
      return e.quota ? Math.max(0, e.quota - (e.usage || 0)) : null;
    }, function () { return null; });
  }

  function roomFor(needed) {
    return freeBytes().then(function (free) {
      if (free !== null && needed > free) throw new NoRoom(needed, free);
    });
  }

  // Downloads the package's basemap unless the stored one has the same etag; resumes a download a cut stopped.
  function download(pkgId, basemap, onProgress) {
    var key = "basemap:" + pkgId;
    return Field.store.get("meta", key).then(function (info) {
      if (info && info.complete && info.etag === basemap.etag) return {skipped: true, bytes: info.bytes};
      if (!info || info.etag !== basemap.etag || info.url !== basemap.url) {
        info = {url: basemap.url, etag: basemap.etag, http_etag: null, bytes: basemap.bytes, done: 0, complete: false, where: "opfs"};
      }
      var left = Math.max(0, (info.bytes || 0) - info.done);
      return roomFor(left).then(function () {
        return opfs().then(function (dir) {
          return dir.getFileHandle(fileName(pkgId), {create: true});
        }).then(function (handle) {
          return fillOpfs(handle, info, key, onProgress);
        }, function () {
          return fillCache(info, key, onProgress);
        });
      }).catch(function (error) {
        // The browser's own refusal when the device filled up meanwhile: the same words, with today's figures.
        if (!error || error.name !== "QuotaExceededError") throw error;
        return freeBytes().then(function (free) { throw new NoRoom(Math.max(0, (info.bytes || 0) - info.done), free); });
      });
    });
  }

  // Removes the package's basemap from the device (its tasks and the outbox are not touched); it can be fetched again.
  function remove(pkgId) {
    var key = "basemap:" + pkgId;
    return Field.store.get("meta", key).then(function (info) {
      var gone = info && info.where === "cache"
        ? caches.open(CACHE).then(function (c) { return c.delete(info.url); })
        : opfs().then(function (dir) { return dir.removeEntry(fileName(pkgId)); });
      return gone.catch(function () { return null; }).then(function () {
        if (map && loadedKey === fileName(pkgId)) { map.remove(); map = null; loadedKey = null; }
        return Field.store.del("meta", key);
      });
    });
  }

  function fillOpfs(handle, info, key, onProgress) {
    return handle.createWritable({keepExistingData: info.done > 0}).then(function (writable) {
      function next() {
        onProgress(info.done, info.bytes);
        if (info.bytes && info.done >= info.bytes) {
          return writable.truncate(info.bytes).then(function () { return writable.close(); }).then(function () {
            info.complete = true;
            return Field.store.put("meta", info, key).then(function () { return {skipped: false, bytes: info.bytes}; });
          });
        }
        return rangeFetch(info.url, info.done, info.done + RANGE_BYTES - 1, info.http_etag).then(function (part) {
          if (!part.partial && info.done > 0) {
            // The archive changed under us (If-Range answered it whole): start again with this new one.
            info.done = 0;
          }
          info.http_etag = part.etag;
          info.bytes = part.total;
          return writable.write({type: "write", position: info.done, data: part.data}).then(function () {
            info.done += part.data.byteLength;
            return Field.store.put("meta", info, key);
          }).then(next);
        });
      }
      return next().catch(function (error) {
        return writable.close().catch(function () {}).then(function () { throw error; });
      });
    });
  }

  function fillCache(info, key, onProgress) {
    info.where = "cache";
    var parts = [];
    function next(done) {
      onProgress(done, info.bytes);
      if (info.bytes && done >= info.bytes) {
        return caches.open(CACHE).then(function (c) {
          return c.put(info.url, new Response(new Blob(parts), {headers: {"Content-Type": "application/vnd.pmtiles"}}));
        }).then(function () {
          info.complete = true;
          info.done = info.bytes;
          return Field.store.put("meta", info, key).then(function () { return {skipped: false, bytes: info.bytes}; });
        });
      }
      return rangeFetch(info.url, done, done + RANGE_BYTES - 1, info.http_etag).then(function (part) {
        info.http_etag = part.etag;
        info.bytes = part.total;
        parts.push(part.data);
        return next(done + part.data.byteLength);
      });
    }
    return next(0);
  }

  function emptyStyle() {
    return {version: 8, sources: {}, layers: [{id: "background", type: "background", paint: {"background-color": "#eef2ef"}}]};
  }

  function withBasemap(pkgId) {
    return Promise.all([Field.store.get("meta", "style"), storedFile(pkgId)]).then(function (both) {
      var style = both[0] ? JSON.parse(JSON.stringify(both[0])) : emptyStyle();
      var file = both[1];
      var sourceName = Object.keys(style.sources || {}).filter(function (n) { return style.sources[n].type === "vector"; })[0];
      if (file && sourceName && window.pmtiles) {
        if (!protocol) {
          protocol = new pmtiles.Protocol();
          maplibregl.addProtocol("pmtiles", protocol.tile);
        }
        var archive = new pmtiles.PMTiles(new pmtiles.FileSource(file));
        protocol.add(archive);
        loadedKey = file.name;
        var source = style.sources[sourceName];
        style.sources[sourceName] = {type: "vector", url: "pmtiles://" + file.name, attribution: source.attribution};
      } else {
        // No basemap stored: keep only what needs no tiles, so nothing is fetched from the network.
        style.sources = {};
        style.layers = (style.layers || []).filter(function (l) { return l.type === "background"; });
        if (!style.layers.length) style = emptyStyle();
      }
      delete style.sprite;
      return style;
    });
  }

  function features(points) { return {type: "FeatureCollection", features: points}; }

  function addOverlays() {
    map.addSource("tasks", {type: "geojson", data: features([])});
    map.addSource("track", {type: "geojson", data: features([])});
    map.addSource("accuracy", {type: "geojson", data: features([])});
    map.addSource("me", {type: "geojson", data: features([])});
    map.addSource("way", {type: "geojson", data: features([])});
    map.addLayer({id: "track", type: "line", source: "track", paint: {"line-color": "#7b3fa0", "line-width": 3, "line-opacity": 0.8}});
    map.addLayer({id: "way", type: "line", source: "way", paint: {"line-color": "#d64030", "line-width": 2, "line-dasharray": [2, 2]}});
    map.addLayer({id: "tasks", type: "circle", source: "tasks", paint: {
      "circle-radius": 8, "circle-color": ["case", ["get", "target"], "#d64030", ["get", "late"], "#b45309", "#156552"],
      "circle-stroke-color": "#fff", "circle-stroke-width": 2}});
    map.addLayer({id: "accuracy", type: "fill", source: "accuracy", paint: {"fill-color": "#1e6fd9", "fill-opacity": 0.15}});
    map.addLayer({id: "accuracy-edge", type: "line", source: "accuracy", paint: {"line-color": "#1e6fd9", "line-width": 1}});
    map.addLayer({id: "me", type: "circle", source: "me", paint: {
      "circle-radius": 7, "circle-color": "#1e6fd9", "circle-stroke-color": "#fff", "circle-stroke-width": 3}});
    map.on("click", "tasks", function (event) {
      var f = event.features[0];
      if (!picking && f && Field.app) Field.app.openTask(f.properties.task_id);
    });
    map.on("click", function (event) {
      if (!picking) return;
      var done = picking;
      picking = null;
      done({lon: event.lngLat.lng, lat: event.lngLat.lat});
    });
  }

  function drawMe(fix) {
    if (!map || !map.getSource("me") || !fix) return;
    var at = [fix.lon, fix.lat];
    map.getSource("me").setData(features([{type: "Feature", properties: {}, geometry: {type: "Point", coordinates: at}}]));
    map.getSource("accuracy").setData(features([Field.geo.circle(at, fix.accuracy_m)]));
    drawWay(fix);
  }

  function drawWay(fix) {
    if (!map || !map.getSource("way")) return;
    var line = fix && target ? [{type: "Feature", properties: {}, geometry: {type: "LineString", coordinates: [[fix.lon, fix.lat], target.coordinates]}}] : [];
    map.getSource("way").setData(features(line));
  }

  // Each task a dot: the one the crew goes to red, a late one (past its date on this tablet's calendar) amber.
  var drawn = [];
  function drawTasks(tasks) {
    if (!map || !map.getSource("tasks")) return;
    drawn = tasks.filter(function (t) { return t.geometry; }).map(function (t) {
      var late = Field.app && Field.app.daysLate ? Field.app.daysLate(t) > 0 : false;
      return {type: "Feature", properties: {task_id: t.task_id, target: !!(target && target.task_id === t.task_id), late: late}, geometry: t.geometry};
    });
    map.getSource("tasks").setData(features(drawn));
  }

  function drawTrack() {
    return Field.geo.trackOf().then(function (points) {
      if (!map || !map.getSource("track")) return;
      var coords = points.map(function (p) { return [p.lon, p.lat]; });
      map.getSource("track").setData(features(coords.length > 1 ? [{type: "Feature", properties: {}, geometry: {type: "LineString", coordinates: coords}}] : []));
    });
  }

  function show(container, pkgId, tasks) {
    if (typeof maplibregl === "undefined") return Promise.resolve(null);
    var key = pkgId ? fileName(pkgId) : null;
    if (map && loadedKey === key) { map.resize(); drawTasks(tasks); drawTrack(); return Promise.resolve(map); }
    if (map) { map.remove(); map = null; }
    return withBasemap(pkgId).then(function (style) {
      var centre = tasks.filter(function (t) { return t.geometry; })[0], fix = Field.geo.last();
      map = new maplibregl.Map({
        container: container, style: style, attributionControl: false,
        center: centre ? centre.geometry.coordinates : fix ? [fix.lon, fix.lat] : [120.65, 28.0], zoom: centre || fix ? 14 : 9,
        localIdeographFontFamily: "sans-serif",
      });
      map.addControl(new maplibregl.NavigationControl(), "top-right");
      map.addControl(new maplibregl.ScaleControl({unit: "metric"}), "bottom-left");
      map.on("load", function () {
        addOverlays();
        drawTasks(tasks);
        drawTrack();
        drawMe(Field.geo.last());
        container.dataset.ready = "1";
      });
      Field.geo.on(function (fix) { drawMe(fix); });
      setInterval(drawTrack, 60000);
      return map;
    });
  }

  Field.map = {
    download: download, remove: remove, NoRoom: NoRoom, storedFile: storedFile, show: show, drawTasks: drawTasks,
    setTarget: function (task) {
      target = task && task.geometry ? {task_id: task.task_id, coordinates: task.geometry.coordinates} : null;
      drawWay(Field.geo.last());
    },
    target: function () { return target; },
    drawn: function () { return drawn; },  // the task dots as drawn (their properties), for tests
    // The next tap on the map goes to ``fn`` ({lon, lat}, WGS84) instead of opening a task; null cancels.
    pick: function (fn) { picking = fn || null; if (map) map.getCanvas().style.cursor = fn ? "crosshair" : ""; },
    picking: function () { return !!picking; },
    centreOn: function (coords) { if (map) map.easeTo({center: coords, zoom: Math.max(map.getZoom(), 16)}); },
    centreOnMe: function () { var f = Field.geo.last(); if (f && map) map.easeTo({center: [f.lon, f.lat], zoom: Math.max(map.getZoom(), 16)}); },
  };
})();
