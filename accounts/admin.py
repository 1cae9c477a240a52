from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import ApiToken, AreaAssignment
from accounts.roles import Role

User = get_user_model()
ACTIONS = {"add": _("add"), "change": _("change"), "delete": _("delete"), "view": _("view")}


def role_label(group: Group) -> str:
    """A role by its name for people (地名审核员), not its code (officer); another group keeps its own name."""
    return str(Role(group.name).label) if group.name in Role.values else group.name


def permission_label(permission: Permission) -> str:
    """"门牌 | 可修改门牌" rather than "doorplates | doorplate | Can change doorplate": Django stores a permission's
    name in English at migrate time, so the words are made here from the model's translated name."""
    model = permission.content_type.model_class()
    if model is None:
        return permission.name
    action, _sep, rest = permission.codename.partition("_")
    if action in ACTIONS and rest == model._meta.model_name:
        words = gettext("may %(action)s %(model)s") % {"action": ACTIONS[action], "model": model._meta.verbose_name}
    else:
        words = gettext(permission.name)
    return f"{model._meta.app_config.verbose_name} | {words}"


class ReadableRolesMixin:
    """Roles and permissions by their names for people in the admin's forms."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in ("permissions", "user_permissions"):
            kwargs["queryset"] = Permission.objects.select_related("content_type")
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        elif db_field.name == "groups":
            field.label_from_instance = role_label
        return field


class RoleFilter(admin.SimpleListFilter):
    title = _("user role")
    parameter_name = "role"

    def lookups(self, request, model_admin):
        return [(group.pk, role_label(group)) for group in Group.objects.order_by("name")]

    def queryset(self, request, queryset):
        return queryset.filter(groups=self.value()) if self.value() else queryset


class AreaAssignmentInline(admin.TabularInline):
    model = AreaAssignment
    autocomplete_fields = ["area"]
    extra = 1


admin.site.unregister(User)


@admin.register(User)
class DimingUserAdmin(ReadableRolesMixin, UserAdmin):
    inlines = [AreaAssignmentInline]
    list_display = ["username", "last_name", "first_name", "is_active", "roles", "areas"]
    list_filter = [RoleFilter, "is_active", "is_superuser"]
    # Stamps the system keeps: shown, never rewritten by a save (their microseconds would be lost).
    readonly_fields = ["last_login", "date_joined"]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(role_label(g) for g in obj.groups.all())

    @admin.display(description=_("regions"))
    def areas(self, obj):
        return ", ".join(a.area.name for a in obj.area_assignments.select_related("area"))


admin.site.unregister(Group)


@admin.register(Group)
class RoleAdmin(ReadableRolesMixin, GroupAdmin):
    """Groups are the roles (accounts.roles): listed by their names for people, their codes beside them."""

    list_display = ["role", "name"]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        group = Group.objects.filter(pk=object_id).first() if str(object_id).isdigit() else None
        if group is not None:
            extra_context = {**(extra_context or {}), "subtitle": role_label(group)}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("user role"), ordering="name")
    def role(self, obj):
        return role_label(obj)


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
