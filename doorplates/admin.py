from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.widgets import OfflineMapWidget
from doorplates.models import BASE_FIELDS, Doorplate, DoorplateImport, RoadNumbering
from placenames.bases import BaseKind

# Each base's plates in the order of that base's own index: a village's plates by the village's numbering, not in
# the road order, where the plates without a road come after a million that have one.
BASE_ORDER = {BaseKind.ROAD: ["road_id", "number", "sub_number"],
              BaseKind.VILLAGE: ["village_id", "villager_group", "number", "sub_number"],
              BaseKind.RESIDENTIAL: ["residential_area_id", "building", "unit", "room"]}


class BaseFilter(admin.SimpleListFilter):
    """The plates of one kind of base, found by that base's own column (which its partial index holds), not by the
    column derived from them, which no index holds."""

    title = _("base")
    parameter_name = "base"

    def lookups(self, request, model_admin):
        return BaseKind.choices

    def queryset(self, request, queryset):
        field = BASE_FIELDS.get(self.value())
        return queryset.filter(**{f"{field}__isnull": False}) if field else queryset


@admin.register(Doorplate)
class DoorplateAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["address", "plate_type", "status", "installed_on", "area", "source"]
    list_filter = [BaseFilter, "status", "plate_type", "source"]
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

    def get_ordering(self, request):
        return BASE_ORDER.get(request.GET.get(BaseFilter.parameter_name), super().get_ordering(request))

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
