from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.widgets import OfflineMapWidget
from doorplates.models import Doorplate, DoorplateImport, RoadNumbering


@admin.register(Doorplate)
class DoorplateAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["address", "plate_type", "status", "installed_on", "area", "source"]
    list_filter = ["base_kind", "status", "plate_type", "source"]
    search_fields = ["search_text"]
    readonly_fields = ["uuid", "area", "road_name", "number_label", "address", "search_text", "version", "batch",
                       "created_at", "updated_at"]
    raw_id_fields = ["road", "village", "residential_area"]  # exactly one: the table's check, run by the form
    list_per_page = 100
    show_full_result_count = False  # a million rows: no COUNT(*) on every page
    show_facets = admin.ShowFacets.NEVER  # nor a count of each filter's values

    def save_model(self, request, obj, form, change):
        from doorplates.services import area_at

        obj.area = area_at(obj.geom)  # the area follows the entrance, as in doorplates.services
        obj.refresh_text(obj.base, obj.area)
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("area"), request.user, "area")


@admin.register(RoadNumbering)
class RoadNumberingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["road", "reversed", "odd_side", "spacing_m", "max_offset_m", "infill_style"]
    raw_id_fields = ["road"]

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, "road__area")


@admin.register(DoorplateImport)
class DoorplateImportAdmin(admin.ModelAdmin):
    list_display = ["file_name", "at", "actor", "mode", "total_rows", "created", "rejected", "area"]
    readonly_fields = ["file_name", "at", "actor", "mode", "total_rows", "created", "rejected", "area"]

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, "area")
