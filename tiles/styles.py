"""TileJSON 3.0 documents and the MapLibre style built from the layer registry.

Labels need no internet: the style has no ``glyphs`` URL, so MapLibre GL JS (5.x) draws every label, Chinese names
and their pinyin alike, with the fonts installed on the client (TinySDF); the map page also sets
``localIdeographFontFamily``. Road names carry their pinyin on a second line from zoom 15.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from gis.layers import Layer
from gis.maps import FONT, LOCAL_FONT_FAMILY
from tiles.access import Viewer
from tiles.legend import field_label
from tiles.sql import LABEL_POINT, LayerView, has_label_points, is_point_layer

PINYIN_FROM_ZOOM = 15
SOURCE = "diming"
COLOURS = {
    "counties": "#8c2d19", "townships": "#b0653f", "villages": "#c9a27a", "roads": "#5b5f66", "places": "#2f6f8f",
    "doorplates": "#1f5fa8", "canteens": "#d9480f",
}
PALETTE = ["#6a4c93", "#1982c4", "#8ac926", "#ff595e", "#ffca3a", "#3a7d44"]
POLYGON_ORDER = {"counties": 0, "townships": 1, "villages": 2}


def colour_of(layer: Layer, index: int) -> str:
    return COLOURS.get(layer.name, PALETTE[index % len(PALETTE)])


def tile_url(request, layers: str) -> str:
    path = reverse("tiles:tile", kwargs={"layers": layers, "z": 0, "x": 0, "y": 0})
    template = path.replace("/0/0/0.mvt", "/{z}/{x}/{y}.mvt")
    return request.build_absolute_uri(template).replace("%7B", "{").replace("%7D", "}")


def tilejson(request, layers: str, views: tuple[LayerView, ...]) -> dict:
    minx, miny, maxx, maxy = settings.DIMING_SERVICE_AREA
    minzoom, maxzoom = min(view.layer.minzoom for view in views), max(view.layer.maxzoom for view in views)
    return {
        "tilejson": "3.0.0",
        "name": pgettext("choices", ", ").join(str(view.layer.title) for view in views),
        "description": _("Wenzhou's place-name and civil-affairs map layers (the demo's data are synthetic)"),
        "version": "1.0.0",
        "attribution": _("Wenzhou Civil Affairs Bureau"),
        "scheme": "xyz",
        "tiles": [tile_url(request, layers)],
        "minzoom": minzoom,
        "maxzoom": maxzoom,
        "bounds": [minx, miny, maxx, maxy],
        # TileJSON 3.0.0: the center's zoom lies within minzoom and maxzoom (doorplates start at 15: a viewer
        # opening at 9 would show nothing)
        "center": [round((minx + maxx) / 2, 4), round((miny + maxy) / 2, 4), min(max(9, minzoom), maxzoom)],
        "vector_layers": [
            {
                "id": view.layer.name,
                "description": view.layer.title,
                "minzoom": view.layer.minzoom,
                "maxzoom": view.layer.maxzoom,
                "fields": {**{name: field_label(view.layer, name) for name in view.properties},
                           **({LABEL_POINT: _("the point where the area is labelled")}
                              if has_label_points(view.layer) else {})},
            }
            for view in views
        ],
    }


def _label(layer: Layer) -> list | None:
    if not layer.label_field:
        return None
    name = ["get", layer.label_field]
    if "pinyin" not in layer.properties:
        return name
    with_pinyin = ["format", name, {}, "\n", {}, ["get", "pinyin"], {"font-scale": 0.75}]
    return ["step", ["zoom"], name, PINYIN_FROM_ZOOM, with_pinyin]


def _zoom(layer: Layer) -> dict:
    return {"minzoom": layer.minzoom, "maxzoom": min(layer.maxzoom + 1, 24)}


def _geometry_layers(layer: Layer, colour: str) -> list[dict]:
    base = {"source": SOURCE, "source-layer": layer.name, **_zoom(layer)}
    kind = layer.geometry_type.lower()
    if is_point_layer(layer):
        radius = ["case", ["has", "point_count"], ["interpolate", ["linear"], ["get", "point_count"], 1, 3, 100, 9], 4]
        return [{"id": f"{layer.name}-point", "type": "circle", **base,
                 "paint": {"circle-radius": radius, "circle-color": colour, "circle-stroke-color": "#ffffff",
                           "circle-stroke-width": 1}}]
    if "line" in kind:
        return [{"id": f"{layer.name}-line", "type": "line", **base,
                 "layout": {"line-cap": "round", "line-join": "round"},
                 "paint": {"line-color": colour, "line-width": ["interpolate", ["linear"], ["zoom"], 10, 1, 16, 5]}}]
    if "polygon" in kind:
        width = 2.0 if layer.name == "counties" else 1.0
        return [
            {"id": f"{layer.name}-fill", "type": "fill", **base,
             "paint": {"fill-color": colour, "fill-opacity": 0.08}},
            {"id": f"{layer.name}-outline", "type": "line", **base,
             "paint": {"line-color": colour, "line-width": width}},
        ]
    return [  # mixed geometries: draw each kind
        {"id": f"{layer.name}-fill", "type": "fill", **base, "filter": ["==", ["geometry-type"], "Polygon"],
         "paint": {"fill-color": colour, "fill-opacity": 0.15}},
        {"id": f"{layer.name}-line", "type": "line", **base, "filter": ["!=", ["geometry-type"], "Point"],
         "paint": {"line-color": colour, "line-width": 1}},
        {"id": f"{layer.name}-point", "type": "circle", **base,
         "filter": ["all", ["==", ["geometry-type"], "Point"], ["!", ["has", LABEL_POINT]]],
         "paint": {"circle-radius": 4, "circle-color": colour}},
    ]


def _label_layer(layer: Layer, colour: str) -> dict | None:
    text = _label(layer)
    if text is None:
        return None
    line = "line" in layer.geometry_type.lower()
    layout = {
        "text-field": text,
        "text-font": FONT,
        "text-size": 12 if layer.name != "counties" else 15,
        "symbol-placement": "line" if line else "point",
        "text-max-width": 12,
    }
    if line:
        layout["symbol-spacing"] = 400
    if is_point_layer(layer):
        layout.update({"text-offset": [0, 0.9], "text-anchor": "top", "text-optional": True})
    # An area is labelled at its label point, never on its polygon (once per tile it crosses).
    only = {"filter": ["!=", ["geometry-type"], "Polygon"]} if has_label_points(layer) else {}
    return {
        "id": f"{layer.name}-label", "type": "symbol", "source": SOURCE, "source-layer": layer.name, **only,
        **_zoom(layer), "layout": layout,
        "paint": {"text-color": "#222222" if not line else "#333333", "text-halo-color": "#ffffff",
                  "text-halo-width": 1.5},
    }


def _draw_order(layer: Layer) -> tuple:
    kind = layer.geometry_type.lower()
    rank = 0 if "polygon" in kind else 2 if is_point_layer(layer) else 1
    return (rank, POLYGON_ORDER.get(layer.name, 9), layer.name)


def style(request, viewer: Viewer) -> dict:
    layers = sorted(viewer.visible_layers(), key=_draw_order)
    names = ",".join(layer.name for layer in layers)
    minx, miny, maxx, maxy = settings.DIMING_SERVICE_AREA
    drawn, labels = [], []
    for index, layer in enumerate(layers):
        colour = colour_of(layer, index)
        drawn.extend(_geometry_layers(layer, colour))
        label = _label_layer(layer, colour)
        if label:
            labels.append(label)
    return {
        "version": 8,
        "name": _("Diming place names"),
        "center": [round((minx + maxx) / 2, 4), round((miny + maxy) / 2, 4)],
        "zoom": 9,
        "sources": {
            SOURCE: {"type": "vector", "url": request.build_absolute_uri(
                reverse("tiles:tilejson", kwargs={"layers": names}))},
        },
        "layers": [{"id": "background", "type": "background", "paint": {"background-color": "#f4f1ea"}},
                   *drawn, *reversed(labels)],
        "metadata": {"diming:localIdeographFontFamily": LOCAL_FONT_FAMILY},
    }
