from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ALL, area_prefixes
from audit.history import field_changes, record_fields
from audit.models import Change
from audit.privacy import VisibleChange, visible_change
from boundaries.models import in_prefixes


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The change log. A member of staff who is not a superuser sees the changes of their own regions, and of
    each change the fields they may see of the record itself (audit.privacy)."""

    list_display = ["at", "action", "object_type", "object_repr", "actor", "area_code12"]
    # Years of changes (millions of rows): a filter by recent days, not a date hierarchy, which reads the distinct
    # years of every row on every page; and no count of the whole log beside the filtered one.
    list_filter = ["action", "object_type", "at"]
    show_full_result_count = False
    search_fields = ["object_repr", "object_id", "reason"]
    list_select_related = ["actor", "object_type"]  # the actor may be gone (null): named, or one query a row
    # The before and after snapshots are read as labelled fields and values (audit.history), never as JSON.
    fields = ["at", "action", "object_type", "object_repr", "actor", "reason", "what_changed", "area_code12",
              "client_ref"]
    readonly_fields = fields

    @admin.display(description=_("What changed"))
    def what_changed(self, obj):
        model = obj.object_type.model_class() if obj.object_type_id else None
        visible = VisibleChange(obj, obj.before, obj.after, model)  # get_object left only what the viewer may see
        rows = field_changes(visible, model) or record_fields(visible.after or visible.before, model)
        if not rows:
            return "—"
        return format_html("<table>{}</table>", format_html_join(
            "", "<tr><th>{}</th><td><del>{}</del></td><td>{}</td></tr>",
            ((row.label, row.before, row.after) for row in rows)))

    def get_queryset(self, request):
        changes = super().get_queryset(request)
        prefixes = area_prefixes(request.user)
        if prefixes is ALL:
            return changes
        return changes.filter(in_prefixes(prefixes, "area_code12"))

    def get_object(self, request, object_id, from_field=None):
        change = super().get_object(request, object_id, from_field)
        if change is not None:  # shown, never saved: this admin changes nothing
            visible = visible_change(change, request.user)
            change.before, change.after = visible.before, visible.after
        return change

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
