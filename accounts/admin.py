from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from accounts.models import ApiToken, AreaAssignment

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

    @admin.display(description="角色")
    def roles(self, obj):
        return ", ".join(g.name for g in obj.groups.all())

    @admin.display(description="管辖区域")
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
        messages.warning(request, f"新令牌（只显示这一次，请立即保存）：{raw}")

    @admin.action(description="撤销所选令牌")
    def revoke(self, request, queryset):
        for token in queryset:
            token.revoke()
