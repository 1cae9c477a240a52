from django.urls import path, register_converter

from tiles import ogc, packages, views


class LayerSetConverter:
    """One layer name or several joined by commas: counties,roads."""

    regex = r"[A-Za-z0-9_\-]+(?:,[A-Za-z0-9_\-]+)*"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(LayerSetConverter, "layerset")

app_name = "tiles"
urlpatterns = [
    path("map/", views.map_page, name="map"),
    path("tiles/style.json", views.style, name="style"),
    path("tiles/pmtiles/<slug:name>.pmtiles", views.pmtiles_archive, name="pmtiles"),
    path("tiles/packages/", packages.packages, name="packages"),
    path("tiles/<layerset:layers>.json", views.tilejson, name="tilejson"),
    path("tiles/<layerset:layers>/<int:z>/<int:x>/<int:y>.mvt", views.tile, name="tile"),
    path("tiles/<layerset:layers>/<int:z>/<int:x>/<int:y>.pbf", views.tile),
    path("ogc/", ogc.landing, name="ogc"),
    path("ogc", ogc.landing),
    path("ogc/conformance", ogc.conformance, name="ogc_conformance"),
    path("ogc/api", ogc.openapi, name="ogc_api"),
    path("ogc/collections", ogc.collections, name="ogc_collections"),
    path("ogc/collections/<slug:name>", ogc.collection, name="ogc_collection"),
    path("ogc/collections/<slug:name>/queryables", ogc.queryables, name="ogc_queryables"),
    path("ogc/collections/<slug:name>/items", ogc.items, name="ogc_items"),
    path("ogc/collections/<slug:name>/items/<str:fid>", ogc.item, name="ogc_item"),
]
