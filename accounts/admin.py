from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

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
    # Stamps the system keeps: shown, never rewritten by a save (their microseconds would be lost).
    readonly_fields = ["last_login", "date_joined"]

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
