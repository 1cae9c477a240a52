"""Region scoping: the one helper every view, API and export uses to limit what a user sees and may change.

A user acts in the areas assigned to them and everything below (by code prefix). Superusers and members of the
``admin`` role act everywhere. Everyone else with no assignment sees nothing: scoping fails closed.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from accounts.models import AreaAssignment
from accounts.roles import Role
from boundaries.models import AdminArea, in_prefixes
from gis.errors import PermissionDenied

ALL = None  # the prefix set of an unrestricted user


def has_role(user, *roles: str) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    names = _role_names(user)
    return Role.ADMIN in names or any(role in names for role in roles)


def _role_names(user) -> set[str]:
    cached = getattr(user, "_diming_roles", None)
    if cached is None:
        cached = set(user.groups.values_list("name", flat=True))
        user._diming_roles = cached
    return cached


def area_prefixes(user) -> tuple[str, ...] | None:
    """The code12 prefixes the user may act in; ``None`` means everywhere."""
    if not getattr(user, "is_authenticated", False):
        return ()
    if user.is_superuser or Role.ADMIN in _role_names(user):
        return ALL
    cached = getattr(user, "_diming_prefixes", None)
    if cached is None:
        assigned = AreaAssignment.objects.filter(user=user).values("area_id")
        areas = AdminArea.objects.filter(pk__in=assigned).only("code12", "level")
        cached = tuple(sorted({a.prefix for a in areas}))
        user._diming_prefixes = cached
    return cached


def scope(queryset: QuerySet, user, path: str = "area") -> QuerySet:
    """Rows of ``queryset`` whose admin area (reached through ``path``) lies in the user's regions.

    ``path`` is the lookup to an AdminArea FK (``area``, ``road__area``); for AdminArea itself pass ``""``.
    """
    prefixes = area_prefixes(user)
    if prefixes is ALL:
        return queryset
    if not prefixes:
        return queryset.none()
    return queryset.filter(in_prefixes(prefixes, f"{path}__code12" if path else "code12"))


def can_act_in(user, area: AdminArea | None) -> bool:
    prefixes = area_prefixes(user)
    if prefixes is ALL:
        return True
    if area is None:
        return False
    return any(area.code12.startswith(p) for p in prefixes)


def require_area(user, area: AdminArea | None, *, roles: tuple[str, ...] = ()) -> None:
    """Raises PermissionDenied unless the user holds one of ``roles`` (when given) and may act in ``area``."""
    if roles and not has_role(user, *roles):
        raise PermissionDenied(_("Your role does not allow this."), code="role_required", where={"roles": list(roles)})
    if not can_act_in(user, area):
        raise PermissionDenied(_("This is outside your region."), code="outside_region",
                               where={"area": getattr(area, "code", None)})


def home_extent(user) -> tuple[float, float, float, float] | None:
    """The (west, south, east, north) of the areas assigned to ``user``, where a map opens for them (their county);
    ``None`` for a user who acts everywhere or has no area (the map opens on the whole city)."""
    from django.contrib.gis.db.models import Extent

    if not getattr(user, "is_authenticated", False) or area_prefixes(user) is ALL:
        return None
    assigned = AreaAssignment.objects.filter(user=user).values("area_id")
    extent = AdminArea.objects.filter(pk__in=assigned, geom__isnull=False).aggregate(e=Extent("geom"))["e"]
    return tuple(round(v, 5) for v in extent) if extent else None
