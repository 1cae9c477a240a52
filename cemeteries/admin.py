"""The admin of the reference data of grave remediation: corridors (a saved line or width re-tags its graves,
cemeteries.signals), protected zones, and public cemeteries with their approved prices. Graves themselves are kept
through the register's pages and API (cemeteries.services), whose lifecycle the admin would bypass."""

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils.translation import gettext_lazy as _

from audit.admin_mixins import AuditedAdminMixin
from boundaries.models import AdminArea
from boundaries.widgets import OfflineMapWidget
from cemeteries.models import CemeteryPrice, Corridor, PublicCemetery, Zone


@admin.register(Corridor)
class CorridorAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "road_class", "band_width", "source", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "road_class"]
    fields = ["name", "kind", "road_class", "buffer_m", "geom", "source"]

    @admin.display(description=_("band width (m)"))
    def band_width(self, obj):
        return obj.band_m


@admin.register(Zone)
class ZoneAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "source", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "source"]
    fields = ["name", "kind", "geom", "source"]


class PriceInline(admin.TabularInline):
    model = CemeteryPrice
    extra = 1


@admin.register(PublicCemetery)
class PublicCemeteryAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "area", "capacity", "free_plots", "eco_burials", "relocated"]
    search_fields = ["name"]
    fields = ["name", "geom", "capacity", "free_plots", "eco_burials", "operator", "note", "source"]
    inlines = [PriceInline]

    @admin.display(description=_("relocated graves"))
    def relocated(self, obj):
        return obj.relocated_graves.count()

    def save_model(self, request, obj, form, change):
        # the admin area follows the location, as a grave's does
        obj.area = AdminArea.objects.finest_containing(obj.geom) or AdminArea.objects.order_by("code12").first()
        super().save_model(request, obj, form, change)
