import json

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import F

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.models import AdminArea
from boundaries.widgets import OfflineMapWidget

MAP_LIMIT = 500


@admin.register(AdminArea)
class AdminAreaAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["code", "name", "level", "parent", "urban_rural_code", "elderly_population", "source"]
    list_filter = ["level", "source"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    readonly_fields = ["code12", "updated_at"]
    list_per_page = 100

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("parent"), request.user, "")

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        cl = getattr(response, "context_data", {}).get("cl") if hasattr(response, "context_data") else None
        if cl is not None:
            response.context_data["area_map"] = self._map_geojson(cl.queryset)
        return response

    def _map_geojson(self, queryset):
        rows = (queryset.exclude(geom=None).order_by("code12")[:MAP_LIMIT]
                .annotate(json=AsGeoJSON(Transform(F("geom"), 4326), precision=5))
                .values_list("code", "name", "json"))
        return {"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"code": c, "name": n}, "geometry": json.loads(g)} for c, n, g in rows
        ]}

    class Media:
        css = {"all": ("vendor/maplibre-gl/maplibre-gl.css",)}
        js = ("vendor/maplibre-gl/maplibre-gl.js", "boundaries/basemap.js", "boundaries/area_list_map.js")


