from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.widgets import OfflineMapWidget
from canteens.models import Canteen


@admin.register(Canteen)
class CanteenAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "status", "area", "delivers", "delivery_radius_m", "seats", "opened_on", "source"]
    list_filter = ["status", "kind", "delivers", "source"]
    search_fields = ["name", "address", "operator", "area__name"]
    readonly_fields = ["uuid", "area", "version", "created_at", "updated_at"]
    list_per_page = 100

    def save_model(self, request, obj, form, change):
        from canteens.services import area_of, canteen_location

        obj.geom = canteen_location(obj.geom)
        obj.area = area_of(obj.geom)  # the area follows the location, as in canteens.services
        super().save_model(request, obj, form, change)

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("area"), request.user, "area")
