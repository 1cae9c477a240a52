"""DRF glue for region scoping: a viewset mixin and role permissions, and what a platform account may read.

A platform account (Amap, Baidu: the platform-consumer role and no office role) reads through the REST API exactly
what its exports give it: the published rows (``Layer.published``) of the layers it is granted, in its areas, with
the layers' public properties; every other endpoint refuses it. Its grant (layers, areas) is kept by the exports
app, which registers how to read it (``register_platform_grant``); a view opens itself to platform accounts with
``platform_readable`` (function views) or ``platform_layers`` (viewsets, list and retrieve only).
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _
from rest_framework import permissions

from accounts.roles import Role
from accounts.scoping import area_prefixes, has_role, scope
from boundaries.models import in_prefixes
from gis import layers as registry
from gis.errors import PermissionDenied

# user -> (granted layer names or None for all, code12 prefixes or None for everywhere)
Grant = tuple[tuple[str, ...] | None, tuple[str, ...] | None]
_grant_of: Callable[[object], Grant] | None = None
PLATFORM_ACTIONS = ("list", "retrieve")


def is_platform_account(user) -> bool:
    return has_role(user, Role.PLATFORM_CONSUMER) and not has_role(user, Role.OFFICER, Role.REVIEWER,
                                                                     Role.FIELD_CREW)


def register_platform_grant(reader: Callable[[object], Grant]) -> None:
    global _grant_of
    _grant_of = reader


def platform_grant(user) -> Grant:
    return _grant_of(user) if _grant_of is not None else (None, area_prefixes(user))


def platform_readable(view):
    """Opens a function API view (``@api_view``) to platform accounts: put it above ``@api_view``."""
    view.cls.platform_readable = True
    return view


def _refused() -> PermissionDenied:
    return PermissionDenied(_("A platform account reads only the exports granted to it."), code="platform_not_allowed")


def platform_may_use(request, view) -> bool:
    if not is_platform_account(request.user):
        return True
    if getattr(view, "platform_readable", False):
        return True
    return bool(getattr(view, "platform_layers", ())) and getattr(view, "action", None) in PLATFORM_ACTIONS


class SignedIn(permissions.IsAuthenticated):
    """The default: any signed-in user, but a platform account only where the view opens itself to it."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if not platform_may_use(request, view):
            raise _refused()
        return True


class HasRole(permissions.BasePermission):
    """Subclass with ``roles`` (read) and ``write_roles`` (unsafe methods)."""

    roles: tuple[str, ...] = ()
    write_roles: tuple[str, ...] = ()

    def has_permission(self, request, view):
        roles = self.roles if request.method in permissions.SAFE_METHODS else (self.write_roles or self.roles)
        allowed = has_role(request.user, *roles) if roles else request.user.is_authenticated
        if allowed and not platform_may_use(request, view):
            raise _refused()
        return allowed


class RegionScopedMixin:
    """Viewsets set ``region_path`` (lookup to the AdminArea FK); every queryset is then scoped to the user."""

    region_path = "area"

    def get_queryset(self):
        return scope(super().get_queryset(), self.request.user, self.region_path)


class PlatformLayersMixin:
    """A viewset whose records are the rows of map layers (``platform_layers``): a platform account sees the
    published rows of the layers it is granted, in its areas, with the layers' public properties only."""

    platform_layers: tuple[str, ...] = ()
    region_path = "area"

    def _platform_layers(self):
        granted, _prefixes = platform_grant(self.request.user)
        found = (registry.get(name) for name in self.platform_layers)
        return [layer for layer in found if layer is not None and (granted is None or layer.name in granted)]

    def get_queryset(self):
        rows = super().get_queryset()
        if not is_platform_account(self.request.user):
            return rows
        layers = self._platform_layers()
        if not layers:
            return rows.none()
        published = rows.none()
        for layer in layers:
            published = published | (layer.published(rows) if layer.published else rows)
        _granted, prefixes = platform_grant(self.request.user)
        if prefixes is not None:
            published = published.filter(in_prefixes(prefixes, f"{self.region_path}__code12"))
        return published

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if is_platform_account(self.request.user):
            names = {name for layer in self._platform_layers() for name in layer.properties}
            context["public_properties"] = names | {f"{n}_label" for n in names} | {"area_code", "area_name"}
        return context


def public_properties_only(serializer, data: dict) -> dict:
    """For a platform account (``public_properties`` in the context): the feature's public properties only."""
    keep = serializer.context.get("public_properties")
    if keep is not None and isinstance(data.get("properties"), dict):
        data["properties"] = {k: v for k, v in data["properties"].items() if k in keep}
    return data
