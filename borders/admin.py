import json

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.contrib.gis.db.models.functions import AsGeoJSON, Transform
from django.db.models import F
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope
from audit.admin_mixins import SEEN, AuditedAdminMixin
from borders.access import may_edit, visible_lines
from boundaries.line_models import (
    BoundaryLine,
    BoundaryMarker,
    Dispute,
    LineVersion,
    MarkerPhoto,
    ReferenceFeature,
)
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




# -- boundary lines, markers and disputes -------------------------------------------------------------------------
# A user sees here the lines he is a side of (or oversees), their markers and disputes (borders.access), and changes
# what he may edit on the line's pages. What has its own workflow stays read-only: a line is derived or imported
# on its page and its course changes only by an agreed change (which keeps the old version); a marker is added,
# moved and given a state only through a joint inspection both sides signed; the agreement map
# comes in through the content-checked upload of the line page and is read through the view that checks the
# reader's right. The version a form was opened on (SEEN) is in its fields, so a save over a change made meanwhile
# is refused.
class _RecordInline(admin.TabularInline):
    """Rows of the record's register, shown read-only: they are added and changed only on the record's pages."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class LineVersionInline(_RecordInline):
    model = LineVersion
    fields = ["number", "agreement_number", "agreement_date", "valid_from", "valid_to", "reason"]


class _LineScopedAdmin:
    """Rows of the lines the user sees; changed and deleted by those who may edit the line's records."""

    line_path = "line"

    def _line(self, obj):
        return obj if not self.line_path else getattr(obj, self.line_path)

    def get_fields(self, request, obj=None):
        # The version a form was opened on belongs to a record's change form only (AuditedAdminMixin adds it there).
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name != SEEN]

    def _may_edit(self, request, obj) -> bool:
        return obj is None or may_edit(request.user, self._line(obj))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may_edit(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may_edit(request, obj)

    @admin.display(description=_("page"))
    def page(self, obj):
        if obj is None or not obj.pk:
            return "—"
        line = self._line(obj)
        url = (reverse("borders:marker", args=[obj.uuid]) if isinstance(obj, BoundaryMarker)
               else reverse("borders:line", args=[line.uuid]))
        return format_html('<a href="{}">{}</a>', url, _("Open its page"))


@admin.register(BoundaryLine)
class BoundaryLineAdmin(_LineScopedAdmin, AuditedAdminMixin, admin.ModelAdmin):
    line_path = ""
    list_display = ["name", "level", "side_a", "side_b", "line_code", "agreement_number", "agreement_date",
                    "source", "version"]
    list_filter = ["level", "source"]
    search_fields = ["name", "line_code", "agreement_number", "side_a__name", "side_b__name"]
    fields = ["name", "level", "side_a", "side_b", "line_code", "agreement_number", "agreement_date",
              "agreement_map_link", "course_description", "department_a", "department_b",
              "inspection_interval_years", "valid_from", "source", "version", "updated_at", "page", SEEN]
    readonly_fields = ["level", "side_a", "side_b", "agreement_map_link", "source", "version", "updated_at", "page"]
    inlines = [LineVersionInline]

    @admin.display(description=_("agreement map"))
    def agreement_map_link(self, obj):
        if not obj.agreement_map:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("borders:agreement_map", args=[obj.uuid]), _("download"))

    def get_queryset(self, request):
        return visible_lines(request.user, super().get_queryset(request)).select_related("side_a", "side_b")

    def has_add_permission(self, request):
        return False  # derived from the two areas' shared edge or imported, on the line pages


class ReferenceInline(_RecordInline):
    model = ReferenceFeature
    fields = ["name", "bearing_deg", "distance_m", "point_described"]


class MarkerPhotoInline(_RecordInline):
    """The register's photos, read through the view that checks the reader's right; added on the marker's page."""

    model = MarkerPhoto
    fields = ["photo_link", "caption", "taken_at", "uploaded_by"]

    @admin.display(description=_("photo"))
    def photo_link(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("borders:marker_photo", args=[obj.pk]), _("photo"))


@admin.register(BoundaryMarker)
class BoundaryMarkerAdmin(_LineScopedAdmin, AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["number", "line", "type_code", "marker_class", "state", "maintained_by", "set_on"]
    list_filter = ["state", "type_code", "marker_class"]
    search_fields = ["line__name", "line__line_code", "material", "form", "note"]
    fields = ["line", "sequence", "type_code", "marker_class", "position", "elevation_m", "material", "form",
              "maintained_by", "set_on", "state", "note", "version", "updated_at", "page", SEEN]
    readonly_fields = ["line", "sequence", "type_code", "position", "state", "version", "updated_at", "page"]
    inlines = [ReferenceInline, MarkerPhotoInline]

    @admin.display(description=_("registered position (CGCS2000)"))
    def position(self, obj):
        return f"{obj.geom.x:.8f}, {obj.geom.y:.8f}" if obj.geom else "—"

    def get_queryset(self, request):
        return (super().get_queryset(request).filter(line__in=visible_lines(request.user))
                .select_related("line", "marker_class"))

    def has_add_permission(self, request):
        return False  # registered on the line page or found new by a joint inspection, with both sides


@admin.register(Dispute)
class DisputeAdmin(_LineScopedAdmin, AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["title", "line", "state", "reported_on"]
    list_filter = ["state"]
    search_fields = ["title", "what", "line__name"]
    date_hierarchy = "reported_on"
    fields = ["line", "title", "geom", "what", "reported_on", "mediation", "outcome", "state"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(line__in=visible_lines(request.user)).select_related("line")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "line":
            editable = [line.pk for line in visible_lines(request.user).select_related("side_a", "side_b")
                        if may_edit(request.user, line)]
            kwargs["queryset"] = BoundaryLine.objects.filter(pk__in=editable)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
