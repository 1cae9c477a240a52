from django.contrib.gis.forms.widgets import BaseGeometryWidget
from django.contrib.gis.geometry import json_regex
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

EDITOR_LABELS = {
    "point": _("Draw a point"),
    "linestring": _("Draw a line"),
    "polygon": _("Draw an area"),
    "select": _("Edit"),
    "remove": _("Delete selected"),
    "clear": _("Clear all"),
    "hint_point": _("Click the map to place the point."),
    "hint_linestring": _("Click to add points; click the last point again (or double-click) to finish."),
    "hint_polygon": _("Click to add corners; click the first corner again to close the area."),
    "hint_select": _("Click the geometry, then drag its vertices or its middle points; right-click a vertex to "
                     "remove it."),
}
LEGACY_MAP_SRID = 3857


def in_degrees(geom) -> bool:
    if geom.empty:
        return True
    xmin, ymin, xmax, ymax = geom.extent
    return -180 <= xmin <= xmax <= 180 and -90 <= ymin <= ymax <= 90


class OfflineMapWidget(BaseGeometryWidget):
    """The admin's geometry editor: MapLibre GL JS on our own vector tiles, terra-draw to draw and edit.

    Everything is served by the project: bureau networks reach no CDN and no public tile server. The value travels
    as GeoJSON in EPSG:4326 (``map_srid``); ``GeometryField.clean`` transforms it to the model field's SRID (4490).
    """

    template_name = "boundaries/map_widget.html"
    map_srid = 4326
    default_zoom = 9
    default_lon = 120.65
    default_lat = 27.85

    class Media:
        css = {"all": ("vendor/maplibre-gl/maplibre-gl.css", "boundaries/geometry_editor.css", "boundaries/map_widget.css")}
        js = (
            "vendor/maplibre-gl/maplibre-gl.js",
            "vendor/terra-draw/terra-draw.umd.js",
            "vendor/terra-draw/terra-draw-maplibre-gl-adapter.umd.js",
            "boundaries/basemap.js",
            "boundaries/geometry_editor.js",
            "boundaries/map_widget.js",
        )

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.attrs.setdefault("default_lon", self.default_lon)
        self.attrs.setdefault("default_lat", self.default_lat)
        self.attrs.setdefault("default_zoom", self.default_zoom)

    def serialize(self, value):
        return value.json if value else ""

    def deserialize(self, value):
        geom = super().deserialize(value)
        if geom is not None and json_regex.match(value) and not in_degrees(geom):
            # The OpenLayers widget this one replaced posted GeoJSON in EPSG:3857 metres, and a form opened before
            # the upgrade (or a script written for it) still may; degrees never reach such numbers.
            geom.srid = LEGACY_MAP_SRID
        return geom

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["editor"] = {
            "id": context["id"],
            "geom_type": context["geom_type"],
            "style_url": reverse("tiles:style"),
            "center": [float(context["default_lon"]), float(context["default_lat"])],
            "zoom": float(context["default_zoom"]),
            "read_only": bool(context["widget"]["attrs"].get("disabled")),
            "labels": {key: str(label) for key, label in EDITOR_LABELS.items()},
        }
        context["options_id"] = f"{context['id']}_options"
        return context
