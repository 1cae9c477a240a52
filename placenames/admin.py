from pathlib import PurePath

from django.contrib import admin
from django.contrib.gis.admin import GISModelAdmin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.scoping import scope
from audit.admin_mixins import AuditedAdminMixin
from boundaries.widgets import OfflineMapWidget
from placenames.models import (
    Application,
    ApplicationEvent,
    NamingWord,
    Objection,
    Place,
    PlaceKind,
    PlaceName,
)


@admin.register(PlaceKind)
class PlaceKindAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "geometry_kinds", "generic_terms", "unique_in_county", "sort_order"]
    list_editable = ["generic_terms", "unique_in_county", "sort_order"]


@admin.register(NamingWord)
class NamingWordAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """The bureau's word lists for the naming rules (banned words by category, local characters)."""

    list_display = ["word", "category", "severity", "active", "note"]
    list_filter = ["category", "severity", "active"]
    list_editable = ["severity", "active"]
    search_fields = ["word", "note"]


class PlaceNameInline(admin.TabularInline):
    model = PlaceName
    extra = 0
    fields = ["full_name", "specific", "generic", "pinyin", "pinyin_overridden", "valid_from", "valid_to",
              "approval_reference"]
    readonly_fields = fields
    can_delete = False


@admin.register(Place)
class PlaceAdmin(AuditedAdminMixin, GISModelAdmin):
    gis_widget = OfflineMapWidget
    list_display = ["name", "pinyin", "kind", "area", "status", "updated_at"]
    list_filter = ["kind", "status"]
    search_fields = ["name", "pinyin_key", "initials"]
    # Names change only through applications (placenames.services), which keep the history.
    readonly_fields = ["uuid", "name", "pinyin", "pinyin_key", "initials", "created_at", "updated_at", "version"]
    autocomplete_fields = ["area"]
    inlines = [PlaceNameInline]

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("kind", "area"), request.user, "area")


class EventInline(admin.TabularInline):
    model = ApplicationEvent
    extra = 0
    fields = readonly_fields = ["action", "from_state", "to_state", "actor", "at", "reason", "evidence_file",
                                "version"]
    can_delete = False

    @admin.display(description=_("evidence"))
    def evidence_file(self, event):
        """A link to the view that checks the reader's right (there is no /media/ route)."""
        if not event.evidence:
            return "—"
        url = reverse("placenames:application_evidence", args=[event.application_id, event.pk])
        return format_html('<a href="{}">{}</a>', url, PurePath(event.evidence.name).name)

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(GISModelAdmin):
    """Read-only here: applications change state only through the workflow (placenames.services.apply)."""

    gis_widget = OfflineMapWidget
    list_display = ["id", "proposed_name", "type", "kind", "area", "state", "approved_on", "updated_at"]
    list_filter = ["state", "type", "kind"]
    search_fields = ["proposed_name", "pinyin"]
    inlines = [EventInline]

    def get_queryset(self, request):
        return scope(super().get_queryset(request).select_related("kind", "area"), request.user, "area")

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False


@admin.register(Objection)
class ObjectionAdmin(admin.ModelAdmin):
    list_display = ["application", "submitted_at", "answered_at"]
    readonly_fields = ["application", "text", "name", "contact", "submitted_at", "answered_by", "answered_at"]

    def get_queryset(self, request):
        return scope(super().get_queryset(request), request.user, "application__area")
