"""DRF glue for region scoping: a viewset mixin and role permissions."""

from rest_framework import permissions

from accounts.scoping import has_role, scope


class HasRole(permissions.BasePermission):
    """Subclass with ``roles`` (read) and ``write_roles`` (unsafe methods)."""

    roles: tuple[str, ...] = ()
    write_roles: tuple[str, ...] = ()

    def has_permission(self, request, view):
        roles = self.roles if request.method in permissions.SAFE_METHODS else (self.write_roles or self.roles)
        return has_role(request.user, *roles) if roles else request.user.is_authenticated


class RegionScopedMixin:
    """Viewsets set ``region_path`` (lookup to the AdminArea FK); every queryset is then scoped to the user."""

    region_path = "area"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.region_path)
