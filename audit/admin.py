from django.contrib import admin
from django.db.models import Q

from accounts.scoping import ALL, area_prefixes
from audit.models import Change
from audit.privacy import visible_change


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The change log. A member of staff who is not a superuser sees the changes of their own regions, and of
    each change the fields they may see of the record itself (audit.privacy)."""

    list_display = ["at", "action", "object_type", "object_repr", "actor", "area_code12"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in Change._meta.fields]

    def get_queryset(self, request):
        changes = super().get_queryset(request)
        prefixes = area_prefixes(request.user)
        if prefixes is ALL:
            return changes
        region = Q(pk__in=[])
        for prefix in prefixes:
            region |= Q(area_code12__startswith=prefix)
        return changes.filter(region)

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
