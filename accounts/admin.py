import json

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import F
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, AreaAssignment
from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.models import AdminArea
from boundaries.widgets import OfflineMapWidget

User = get_user_model()


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    autocomplete_fields = ["area"]
    extra = 1


admin.site.unregister(User)


@admin.register(User)
class DimingUserAdmin(UserAdmin):
    inlines = [AreaAssignmentInline]
    list_display = ["username", "last_name", "first_name", "is_active", "roles", "areas"]
    list_filter = ["groups", "is_active", "is_superuser"]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(g.name for g in obj.groups.all())

    @admin.display(description=_("regions"))
    def areas(self, obj):
        return ", ".join(a.area.name for a in obj.area_assignments.select_related("area"))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        token, raw = ApiToken.issue(obj.user, obj.name, obj.expires_at)
        obj.pk = token.pk
        messages.warning(request, _("New token (shown this once only: save it now): %(token)s") % {"token": raw})

    @admin.action(description=_("Revoke the selected tokens"))
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()


# The admin of the areas themselves lives here, above boundaries: it shows an officer only the areas assigned
# to them (accounts.scoping) and records each edit (audit); the assignment inline above searches it.
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
