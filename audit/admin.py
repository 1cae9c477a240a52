from django.contrib import admin

from audit.models import Change


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["at", "action", "object_type", "object_repr", "actor", "area_code12"]
    list_filter = ["action", "object_type"]
    search_fields = ["object_repr", "object_id", "reason"]
    date_hierarchy = "at"
    readonly_fields = [f.name for f in Change._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
