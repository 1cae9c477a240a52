// Every MapLibre map of the product, set up once after maplibre-gl.js has loaded (plain.html loads this after the
// page's scripts, which create their maps on DOMContentLoaded):
// - its controls speak the page's language (the "maplibre-locale" JSON, from the catalogues);
// - labels keep glyphs whose ink starts right of their origin. The TinySDF bundled with MapLibre places a glyph by
//   actualBoundingBoxLeft without negating it (the Canvas spec counts it positive leftwards), so the full-width
//   "（" was drawn outside its own cell and lost: 西岙社区老年食堂（5） came out as "西岙社区老年食堂  5)". Its
//   canvas is given the measurement the bundled code expects; tiny-sdf 2.3 fixed the same in its own code.
(function () {
  "use strict";
  if (typeof maplibregl === "undefined" || maplibregl.Map.dimingSetUp) return;
  var holder = document.getElementById("maplibre-locale");
  var locale = holder ? JSON.parse(holder.textContent) : null;

  function fixGlyphs(map) {
    var manager = map.style && map.style.glyphManager;
    var GlyphManager = manager && manager.constructor;
    if (!GlyphManager || !GlyphManager.TinySDF || GlyphManager.TinySDF.dimingFixed) return;
    var Bundled = GlyphManager.TinySDF;
    var Fixed = class extends Bundled {
      constructor(options) {
        super(options);
        var measure = this.ctx.measureText.bind(this.ctx);
        this.ctx.measureText = function (text) {
          var m = measure(text);
          return {width: m.width, actualBoundingBoxAscent: m.actualBoundingBoxAscent,
            actualBoundingBoxDescent: m.actualBoundingBoxDescent, actualBoundingBoxLeft: -m.actualBoundingBoxLeft,
            actualBoundingBoxRight: m.actualBoundingBoxRight};
        };
      }
    };
    Fixed.dimingFixed = true;
    GlyphManager.TinySDF = Fixed;
  }

  var Base = maplibregl.Map;
  var DimingMap = class extends Base {
    constructor(options) {
      var settings = Object.assign({}, options);
      if (locale) settings.locale = Object.assign({}, locale, settings.locale || {});
      super(settings);
      fixGlyphs(this);
    }
  };
  DimingMap.dimingSetUp = true;
  maplibregl.Map = DimingMap;
})();
