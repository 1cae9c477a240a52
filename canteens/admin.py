from django import forms
from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.scoping import require_area, scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.widgets import OfflineMapWidget
from canteens.models import Canteen, CanteenStatus
from canteens.services import EDITABLE, WRITE_ROLES, area_of, canteen_location, check_canteen, check_doorplate
from gis.errors import DimingError


class CanteenAdminForm(forms.ModelForm):
    """The admin obeys the rules of canteens.services: the status follows TRANSITIONS, the location is inside the
    service area and the editor's region (where it was and where it goes), and the record passes the same checks."""

    user = None  # set by CanteenAdmin.get_form

    class Meta:
        model = Canteen
        fields = ("name", "kind", "status", "geom", *(f for f in EDITABLE if f not in ("name", "kind")))

    def clean(self):
        data = super().clean()
        original = self.instance if self.instance.pk else None
        status = data.get("status")
        if original is not None and status and status != original.status and not original.may_become(status):
            self.add_error("status", _("A canteen cannot go from “%(old)s” to “%(new)s”.") % {
                "old": original.get_status_display(), "new": CanteenStatus(status).label})
        if data.get("geom") is not None:
            try:
                data["geom"] = canteen_location(data["geom"])
                self.area = area_of(data["geom"])
                require_area(self.user, self.area, roles=WRITE_ROLES)
            except DimingError as error:
                self.add_error("geom", error.message)
            else:
                if data.get("doorplate") is not None:
                    try:
                        check_doorplate(data["doorplate"], data["geom"])
                    except DimingError as error:
                        self.add_error("doorplate", error.message)
        if not self.errors:
            probe = Canteen(**{name: data.get(name) for name in ("name", "delivers", "delivery_radius_m",
                                                                 "star_rating")})
            try:
                check_canteen(probe)
            except DimingError as error:
                self.add_error(error.where.get("field") if error.where.get("field") in self.fields else None,
                               error.message)
        return data


@admin.register(Canteen)
class CanteenAdmin(AuditedAdminMixin, GISModelAdmin):
    form = CanteenAdminForm
    gis_widget = OfflineMapWidget
    list_display = ["name", "kind", "status", "area", "delivers", "delivery_radius_m", "seats", "opened_on", "source"]
    list_filter = ["status", "kind", "delivers", "source"]
    search_fields = ["name", "address", "operator", "area__name"]
    readonly_fields = ["uuid", "area", "version", "created_at", "updated_at"]
    raw_id_fields = ["doorplate"]  # a million plates: never a drop-down
    list_per_page = 100

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def save_model(self, request, obj, form, change):
        obj.area = form.area  # the area follows the location, as in canteens.services
        if obj.doorplate is not None:
            obj.address = obj.doorplate.address  # a linked canteen's address is its doorplate's
        if obj.status == CanteenStatus.OPEN and obj.opened_on is None:
            obj.opened_on = timezone.localdate()
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None):
        # Only a planned canteen is deleted; one that served people is closed (services.remove_canteen).
        if obj is not None and obj.status != CanteenStatus.PLANNED:
            return False
        return super().has_delete_permission(request, obj)

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset.filter(status=CanteenStatus.PLANNED))

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("area"), request.user, "area")
