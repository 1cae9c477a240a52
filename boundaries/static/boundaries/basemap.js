// The project's own base map for MapLibre GL JS pages: GET /tiles/style.json (our vector tiles, served by us) with
// each page's GeoJSON drawn on top. The style has no glyphs URL: labels, Chinese included, are drawn with the
// client's fonts (localIdeographFontFamily), so the map needs no internet.
(function () {
  "use strict";

  var DEFAULT_STYLE_URL = "/tiles/style.json";
  var DEFAULT_FONT = ["Noto Sans CJK SC Regular"];
  var FALLBACK_FONT_FAMILY = "'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";

  function plainStyle() {
    // When the tiles cannot be had the page's own layers still draw, on a plain background.
    return {version: 8, sources: {}, layers: [{id: "background", type: "background",
      paint: {"background-color": "#f4f1ea"}}]};
  }

  function loadStyle(url) {
    return fetch(url || DEFAULT_STYLE_URL, {credentials: "same-origin"})
      .then(function (response) {
        if (!response.ok) throw new Error("style " + response.status);
        return response.json();
      })
      .catch(function (error) {
        console.warn("base map unavailable, drawing on a plain background:", error);
        return plainStyle();
      });
  }

  function labelFont(style) {
    var label = style.layers.filter(function (l) { return l.layout && l.layout["text-font"]; })[0];
    return label ? label.layout["text-font"] : DEFAULT_FONT;
  }

  function fontFamily(style) {
    return (style.metadata || {})["diming:localIdeographFontFamily"] || FALLBACK_FONT_FAMILY;
  }

  function overlay(style, layers) {
    // The page's layers on the base style: shapes under the base map's labels, the page's own labels on top.
    var firstLabel = style.layers.findIndex(function (l) { return l.type === "symbol"; });
    if (firstLabel < 0) firstLabel = style.layers.length;
    var shapes = layers.filter(function (l) { return l.type !== "symbol"; });
    var labels = layers.filter(function (l) { return l.type === "symbol"; });
    style.layers = style.layers.slice(0, firstLabel).concat(shapes, style.layers.slice(firstLabel), labels);
    return style;
  }

  function casedLine(source, ids, widths, colour) {
    // A line (a road) over a wider white casing, so it stands out on any base map: [casing, line] layers.
    function layer(id, lineColour, width) {
      return {id: id, type: "line", source: source, layout: {"line-cap": "round", "line-join": "round"},
        paint: {"line-color": lineColour, "line-width": width}};
    }
    return [layer(ids[0], "#ffffff", widths[0]), layer(ids[1], colour, widths[1])];
  }

  function extend(bounds, coordinates) {
    if (typeof coordinates[0] === "number") bounds.extend(coordinates);
    else coordinates.forEach(function (c) { extend(bounds, c); });
  }

  function boundsOf(items) {
    // Bounds of GeoJSON geometries, features or feature collections; null when there is nothing.
    var bounds = new maplibregl.LngLatBounds();
    function add(item) {
      if (!item) return;
      if (item.type === "FeatureCollection") item.features.forEach(add);
      else if (item.type === "Feature") add(item.geometry);
      else if (item.type === "GeometryCollection") item.geometries.forEach(add);
      else if (item.coordinates) extend(bounds, item.coordinates);
    }
    items.forEach(add);
    return bounds.isEmpty() ? null : bounds;
  }

  function createMap(container, style, options) {
    var settings = {
      container: container, style: style, maxZoom: 20, attributionControl: false,
      localIdeographFontFamily: fontFamily(style),
    };
    Object.keys(options || {}).forEach(function (key) { settings[key] = options[key]; });
    var map = new maplibregl.Map(settings);
    map.addControl(new maplibregl.NavigationControl({showCompass: false}), "top-left");
    map.addControl(new maplibregl.ScaleControl({unit: "metric"}));
    return map;
  }

  function onPage(mapId, dataId, draw) {
    // Once the document is read: draw(target, data, style) with the map's element, the JSON the page put in its
    // <script id=dataId> and the base style. Nothing when the page has no such map.
    function start() {
      var target = document.getElementById(mapId);
      var holder = document.getElementById(dataId);
      if (!target || !holder || typeof maplibregl === "undefined") return;
      var data = JSON.parse(holder.textContent);
      loadStyle(target.dataset.style).then(function (style) { draw(target, data, style); });
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
    else start();
  }

  function whenIdle(map) {
    // Resolves once the map has drawn everything it has (tiles included).
    return new Promise(function (resolve) {
      if (map.loaded() && map.areTilesLoaded()) resolve();
      else map.once("idle", resolve);
    });
  }

  window.DimingBasemap = {
    loadStyle: loadStyle, overlay: overlay, labelFont: labelFont, fontFamily: fontFamily, casedLine: casedLine,
    boundsOf: boundsOf, createMap: createMap, onPage: onPage, whenIdle: whenIdle,
  };
})();
