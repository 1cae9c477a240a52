// Drawing and editing one geometry on a MapLibre GL map with terra-draw (both served by the project).
//
// The geometry type of the field decides what may be drawn: a Point, LineString or Polygon field holds one part and
// drawing again replaces it; Multi* and GeometryCollection fields collect parts; a generic Geometry field offers the
// three kinds. Geometries go in and come out as GeoJSON in lon/lat. Terra-draw edits simple polygons only: the
// holes of a loaded polygon ride along unchanged on its outer ring and are drawn as dashed lines.
(function () {
  "use strict";

  var MODES = {Point: "point", LineString: "linestring", Polygon: "polygon"};
  var GUIDES = ["coordinatePoint", "closingPoint", "snappingPoint", "selectionPoint", "midPoint"];
  var COLOUR = "#c2185b";
  var SELECTED = "#ef6c00";  // unlike any layer colour of the base map
  var HOLES = "diming-editor-holes";
  var DEFAULT_LABELS = {  // English; pages pass their translations (boundaries.widgets.EDITOR_LABELS)
    point: "Draw a point", linestring: "Draw a line", polygon: "Draw an area", select: "Edit",
    remove: "Delete selected", clear: "Clear all",
    hint_point: "Click the map to place the point.",
    hint_linestring: "Click to add points; click the last point again (or double-click) to finish.",
    hint_polygon: "Click to add corners; click the first corner again to close the area.",
    hint_select: "Click the geometry, then drag its vertices or its middle points; right-click a vertex to " +
      "remove it.",
  };

  function kindOf(geomType) {
    // "MultiLineString" -> "LineString"; null for Geometry/GeometryCollection (any kind).
    var base = geomType.replace(/^Multi/, "");
    return MODES[base] ? base : null;
  }

  function parts(geometry) {
    // Simple geometries (Point, LineString, Polygon) of any GeoJSON geometry.
    if (!geometry) return [];
    if (geometry.type === "GeometryCollection") return [].concat.apply([], geometry.geometries.map(parts));
    var base = geometry.type.replace(/^Multi/, "");
    if (base === geometry.type) return [geometry];
    return geometry.coordinates.map(function (c) { return {type: base, coordinates: c}; });
  }

  function rounded(coordinates, precision) {
    if (typeof coordinates[0] === "number") {
      return coordinates.map(function (v) { return Number(v.toFixed(precision)); });
    }
    return coordinates.map(function (c) { return rounded(c, precision); });
  }

  function combine(geometries, geomType) {
    // The field's value from the drawn parts; null when nothing is drawn.
    if (!geometries.length) return null;
    if (geomType === "GeometryCollection") return {type: "GeometryCollection", geometries: geometries};
    var kinds = geometries.map(function (g) { return g.type; });
    var same = kinds.every(function (k) { return k === kinds[0]; });
    var multi = geomType.indexOf("Multi") === 0 || (geomType === "Geometry" && geometries.length > 1);
    if (!multi) return geometries[geometries.length - 1];
    if (!same) return {type: "GeometryCollection", geometries: geometries};
    return {type: "Multi" + kinds[0], coordinates: geometries.map(function (g) { return g.coordinates; })};
  }

  function modes() {
    var editable = {feature: {draggable: true, coordinates: {draggable: true, midpoints: true, deletable: true}}};
    return [
      new terraDraw.TerraDrawPointMode({styles: {pointColor: COLOUR, pointWidth: 7, pointOutlineColor: "#ffffff",
        pointOutlineWidth: 2}}),
      new terraDraw.TerraDrawLineStringMode({styles: {lineStringColor: COLOUR, lineStringWidth: 4}}),
      new terraDraw.TerraDrawPolygonMode({styles: {fillColor: COLOUR, fillOpacity: 0.15, outlineColor: COLOUR,
        outlineWidth: 3}}),
      new terraDraw.TerraDrawSelectMode({
        flags: {point: {feature: {draggable: true}}, linestring: editable, polygon: editable},
        styles: {selectedPointColor: SELECTED, selectedPointWidth: 8, selectedPointOutlineColor: "#ffffff",
          selectedPointOutlineWidth: 2, selectedLineStringColor: SELECTED, selectedPolygonColor: SELECTED,
          selectedPolygonOutlineColor: SELECTED, selectionPointColor: "#ffffff",
          selectionPointOutlineColor: SELECTED, selectionPointWidth: 5, midPointColor: SELECTED},
      }),
    ];
  }

  function Toolbar(editor, labels) {
    this.editor = editor;
    this.labels = labels;
  }

  Toolbar.prototype.onAdd = function () {
    var self = this, box = document.createElement("div");
    box.className = "maplibregl-ctrl diming-editor-toolbar";
    function button(name, onClick) {
      var b = document.createElement("button");
      b.type = "button";
      b.dataset.tool = name;
      b.textContent = self.labels[name];
      b.addEventListener("click", function (event) { event.preventDefault(); onClick(); });
      box.appendChild(b);
      return b;
    }
    this.editor.kinds.forEach(function (kind) {
      button(MODES[kind], function () { self.editor.draw(kind); });
    });
    button("select", function () { self.editor.edit(); });
    button("remove", function () { self.editor.removeSelected(); });
    button("clear", function () { self.editor.clear(); });
    this.hint = document.createElement("p");
    this.hint.className = "diming-editor-hint";
    box.appendChild(this.hint);
    this.box = box;
    return box;
  };

  Toolbar.prototype.onRemove = function () { this.box.remove(); };

  Toolbar.prototype.show = function (mode) {
    this.box.querySelectorAll("button[data-tool]").forEach(function (b) {
      b.classList.toggle("active", b.dataset.tool === mode);
    });
    this.hint.textContent = this.labels["hint_" + mode] || "";
  };

  function GeometryEditor(map, options) {
    this.map = map;
    this.typed(options.geomType || "Geometry");
    this.precision = options.precision || 7;
    this.keepDrawing = Boolean(options.keepDrawing);
    this.onChange = options.onChange || function () {};
    this.labels = Object.assign({}, DEFAULT_LABELS, options.labels || {});
    this.toolbar = new Toolbar(this, this.labels);
    this.terra = new terraDraw.TerraDraw({
      adapter: new terraDrawMaplibreGlAdapter.TerraDrawMapLibreGLAdapter({map: map,
        coordinatePrecision: this.precision}),
      modes: modes(),
    });
    this.timer = null;
  }

  GeometryEditor.prototype.typed = function (geomType) {
    this.geomType = geomType;
    var kind = kindOf(geomType);
    this.kinds = kind ? [kind] : ["Point", "LineString", "Polygon"];
    this.collects = geomType.indexOf("Multi") === 0 || geomType === "GeometryCollection";
  };

  GeometryEditor.prototype.setGeometryType = function (geomType) {
    // What may be drawn next (the place-name form changes it with the kind of place). Parts already drawn stay
    // until the next drawing replaces them.
    if (geomType === this.geomType) return;
    this.typed(geomType);
    this.map.removeControl(this.toolbar);
    this.toolbar = new Toolbar(this, this.labels);
    this.map.addControl(this.toolbar, "top-right");
    this.draw(this.kinds[0]);
  };

  GeometryEditor.prototype.start = function (geometry) {
    // Call once the map's style has loaded. Shows `geometry` (GeoJSON) if given.
    var self = this, td = this.terra;
    this.map.doubleClickZoom.disable();  // a double click finishes a line, it should not zoom as well
    this.map.addSource(HOLES, {type: "geojson", data: {type: "FeatureCollection", features: []}});
    this.map.addLayer({id: HOLES, type: "line", source: HOLES,
      paint: {"line-color": COLOUR, "line-width": 2, "line-dasharray": [2, 2]}});
    this.map.addControl(this.toolbar, "top-right");
    td.start();
    td.on("finish", function (id, context) { self.finished(id, context); });
    td.on("change", function () { self.changedLater(); });
    var ids = this.load(geometry);
    this.reported = JSON.stringify(this.geometry());  // what the field holds already, give or take rounding
    if (ids.length && !this.keepDrawing) {
      this.edit();
      if (ids.length === 1) td.selectFeature(ids[0]);
    } else {
      this.draw(this.kinds[0]);
    }
  };

  GeometryEditor.prototype.load = function (geometry) {
    // Puts a geometry on the map without reporting a change (the field already holds it). Returns feature ids.
    var self = this;
    var features = parts(geometry).filter(function (g) { return MODES[g.type]; }).map(function (g) {
      var coordinates = rounded(g.coordinates, self.precision), properties = {mode: MODES[g.type]};
      if (g.type === "Polygon" && coordinates.length > 1) {
        properties.holes = coordinates.slice(1);
        coordinates = coordinates.slice(0, 1);
      }
      return {type: "Feature", geometry: {type: g.type, coordinates: coordinates}, properties: properties};
    });
    var results = features.length ? this.terra.addFeatures(features) : [];
    this.showHoles();
    results.filter(function (r) { return !r.valid; }).forEach(function (r) {
      console.warn("geometry part not editable on the map:", r.reason);
    });
    return results.filter(function (r) { return r.valid; }).map(function (r) { return r.id; });
  };

  GeometryEditor.prototype.showHoles = function () {
    var rings = [].concat.apply([], this.features().map(function (f) { return f.properties.holes || []; }));
    this.map.getSource(HOLES).setData({type: "FeatureCollection", features: rings.map(function (ring) {
      return {type: "Feature", geometry: {type: "LineString", coordinates: ring}, properties: {}};
    })});
  };

  GeometryEditor.prototype.features = function () {
    // The finished parts the user has drawn or loaded, in drawing order.
    var names = Object.keys(MODES).map(function (k) { return MODES[k]; });
    return this.terra.getSnapshot().filter(function (f) {
      var p = f.properties;
      return names.indexOf(p.mode) >= 0 && !p.currentlyDrawing &&
        !GUIDES.some(function (g) { return p[g]; });
    });
  };

  GeometryEditor.prototype.geometry = function () {
    var geometries = this.features().map(function (f) {
      var g = f.geometry;
      if (g.type === "Polygon" && f.properties.holes) {
        return {type: "Polygon", coordinates: g.coordinates.concat(f.properties.holes)};
      }
      return {type: g.type, coordinates: g.coordinates};
    });
    return combine(geometries, this.geomType);
  };

  GeometryEditor.prototype.changed = function () {
    // Reports the geometry when it differs from the last one reported: selecting a part changes none.
    clearTimeout(this.timer);
    this.showHoles();
    var geometry = this.geometry(), text = JSON.stringify(geometry);
    if (!geometry && this.terra.getMode() === "select") this.draw(this.kinds[0]);  // nothing left to edit
    if (text === this.reported) return;
    this.reported = text;
    this.onChange(geometry);
  };

  GeometryEditor.prototype.changedLater = function () {
    // Terra-draw reports every pointer move of a drag; the field is written once the moves stop.
    clearTimeout(this.timer);
    this.timer = setTimeout(this.changed.bind(this), 120);
  };

  GeometryEditor.prototype.finished = function (id, context) {
    if (context.action === "draw" && !this.collects) {
      var others = this.features().map(function (f) { return f.id; }).filter(function (other) {
        return other !== id;
      });
      if (others.length) this.terra.removeFeatures(others);
    }
    this.changed();
    if (context.action === "draw" && !this.collects && !this.keepDrawing) {
      this.edit();
      this.terra.selectFeature(id);
    }
  };

  GeometryEditor.prototype.draw = function (kind) {
    this.terra.setMode(MODES[kind]);
    this.toolbar.show(MODES[kind]);
  };

  GeometryEditor.prototype.edit = function () {
    this.terra.setMode("select");
    this.toolbar.show("select");
  };

  GeometryEditor.prototype.removeSelected = function () {
    var selected = this.features().filter(function (f) { return f.properties.selected; });
    if (!selected.length) return;
    this.terra.removeFeatures(selected.map(function (f) { return f.id; }));
    this.changed();
  };

  GeometryEditor.prototype.clear = function () {
    this.terra.clear();
    this.changed();
  };

  function labelsOf(element) {
    // data-label-hint-linestring="..." -> {hint_linestring: "..."}: pages translate the toolbar in their template
    // (boundaries/_editor_labels.html).
    var found = {};
    Object.keys(element.dataset).forEach(function (key) {
      if (key.indexOf("label") !== 0) return;
      found[key.slice(5).replace(/[A-Z]/g, function (c, i) { return (i ? "_" : "") + c.toLowerCase(); })] =
        element.dataset[key];
    });
    return found;
  }

  window.DimingGeometryEditor = {
    attach: function (map, options) { return new GeometryEditor(map, options); },
    labelsOf: labelsOf,
    parts: parts,
    combine: combine,
  };
})();
