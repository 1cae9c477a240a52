// The officer's canteen form: a MapLibre map on our tiles where a click places the canteen (boundaries/
// geometry_editor.js writes GeoJSON lon/lat into the location field), and address suggestions from the doorplate
// registry (/doorplates/api/autocomplete/): picking one links that doorplate (hidden field) and, when the canteen
// has no location yet, places it at the plate. Typing over a picked address unlinks it; the server then matches the
// typed text itself. window.dimingCanteenMap and window.dimingCanteenEditor are for tests.
(function () {
  "use strict";

  var WAIT_MS = 200;
  var MIN_CHARS = 2;


  function parsed(text) {
    text = (text || "").trim();
    if (text.charAt(0) === "{") {
      try { return JSON.parse(text); } catch (e) { return null; }
    }
    var numbers = text.split(/[\s,，]+/).filter(Boolean).map(Number);
    if (numbers.length === 2 && numbers.every(isFinite)) return {type: "Point", coordinates: numbers};
    return null;
  }

  function Suggestions(input, hidden, list, state, url, onPick) {
    this.input = input; this.hidden = hidden; this.list = list; this.state = state; this.url = url;
    this.onPick = onPick; this.timer = null; this.asked = "";
    this.picked = hidden.value ? input.value : null;
    this.refusal = document.getElementById("address-refusal");
    var self = this;
    input.addEventListener("input", function () { self.typed(); });
    input.addEventListener("keydown", function (e) { if (e.key === "Escape") self.close(); });
    document.addEventListener("click", function (e) { if (e.target !== input) self.close(); });
    this.showState();
  }

  Suggestions.prototype.showState = function () {
    var linked = Boolean(this.hidden.value);
    this.state.textContent = linked ? this.state.dataset.linked : this.state.dataset.unlinked;
    this.state.classList.toggle("linked", linked);
  };

  Suggestions.prototype.typed = function () {
    if (this.picked !== null && this.input.value !== this.picked) {
      this.hidden.value = "";  // the address no longer is the picked plate's
      this.picked = null;
      this.showState();
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(this.ask.bind(this), WAIT_MS);
  };

  Suggestions.prototype.ask = function () {
    var q = this.input.value.trim(), self = this;
    if (q.length < MIN_CHARS || q === this.asked) return;
    this.asked = q;
    window.DimingRefusal.ask(this.url + "?limit=8&q=" + encodeURIComponent(q)).then(function (body) {
      if (self.input.value.trim() !== q) return;
      window.DimingRefusal.say(self.refusal, null);
      self.show(body.results || []);
    }, function (refused) {  // a lapsed session or no network is said; the typed address is kept as typed
      self.asked = "";
      if (self.input.value.trim() !== q) return;
      self.show([]);
      window.DimingRefusal.say(self.refusal, refused);
    });
  };

  Suggestions.prototype.show = function (rows) {
    var self = this;
    this.list.innerHTML = "";
    rows.filter(function (row) { return row.kind === "plate"; }).forEach(function (row) {
      var item = document.createElement("li");
      item.setAttribute("role", "option");
      item.dataset.uuid = row.uuid;
      item.textContent = row.address + (row.status === "planned" ? self.list.dataset.planned : "");
      item.addEventListener("click", function () { self.pick(row); });
      self.list.appendChild(item);
    });
    this.list.hidden = !this.list.children.length;
  };

  Suggestions.prototype.pick = function (row) {
    this.input.value = row.address;
    this.hidden.value = row.uuid;
    this.picked = row.address;
    this.close();
    this.showState();
    this.onPick(row);
  };

  Suggestions.prototype.close = function () {
    this.list.hidden = true;
  };

  function init() {
    var target = document.getElementById("canteen-map");
    if (!target || typeof maplibregl === "undefined" || typeof DimingBasemap === "undefined") return;
    var field = document.querySelector("#canteen-form textarea[name=geom]");
    var geometry = parsed(field.value);
    DimingBasemap.loadStyle(target.dataset.style).then(function (style) {
      // An edit opens at the canteen; a new one over the officer's region (data-bounds), else over the city.
      var bounds = (target.dataset.bounds || "").split(",").map(Number);
      var view = geometry ? {center: geometry.coordinates, zoom: 17}
        : bounds.length === 4 && bounds.every(isFinite)
          ? {bounds: [[bounds[0], bounds[1]], [bounds[2], bounds[3]]], fitBoundsOptions: {padding: 20}}
          : {center: [120.65, 28.0], zoom: 11};
      var map = DimingBasemap.createMap(target, style, view);
      var editor = DimingGeometryEditor.attach(map, {
        geomType: "Point", precision: 7, labels: DimingGeometryEditor.labelsOf(target),
        onChange: function (value) { field.value = value ? JSON.stringify(value) : ""; },
      });
      window.dimingCanteenMap = map;
      window.dimingCanteenEditor = editor;
      map.once("load", function () {
        editor.start(geometry);
        new Suggestions(document.querySelector("#canteen-form input[name=address]"),
          document.querySelector("#canteen-form input[name=doorplate]"),
          document.getElementById("address-suggestions"), document.getElementById("doorplate-state"),
          target.dataset.autocomplete, function (row) {
            if (row.lon === null || row.lon === undefined) return;
            if (!parsed(field.value)) {  // no location yet: the canteen is at its door
              editor.load({type: "Point", coordinates: [row.lon, row.lat]});
              editor.changed();
            }
            map.easeTo({center: [row.lon, row.lat], zoom: Math.max(map.getZoom(), 17)});
          });
        field.addEventListener("change", function () {  // a typed location moves the point
          var typed = parsed(field.value);
          if (!typed) return;
          editor.terra.clear();
          editor.load(typed);
          editor.reported = JSON.stringify(editor.geometry());
          map.easeTo({center: typed.coordinates, zoom: Math.max(map.getZoom(), 16)});
        });
        map.once("idle", function () { target.dataset.ready = "1"; });
      });
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();
