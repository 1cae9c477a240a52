"""Who sees which graves and their owners, and who may take which step.

Graves are internal: a signed-in user sees those in their regions (accounts.scoping) and those whose crew they are
on. The owner's name and phone (declared private in cemeteries.models) are seen by the region's officers and by the
crew assigned to the grave, by nobody else: not by other regions, platforms, tiles, OGC or exports.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import area_prefixes, can_act_in, has_role, require_area
from cemeteries.models import PRIVATE, Grave
from gis.errors import PermissionDenied

READ_ROLES = (Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW)


def visible_graves(user, queryset=None):
    """The graves ``user`` may read: those in their regions (with a role that reads graves) and those they crew."""
    queryset = Grave.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    crewed = Q(crew=user)
    if not has_role(user, *READ_ROLES):
        return queryset.filter(pk__in=Grave.objects.filter(crewed).values("pk"))
    prefixes = area_prefixes(user)
    if prefixes is None:
        return queryset
    region = Q()
    for prefix in prefixes:
        region |= Q(area__code12__startswith=prefix)
    return queryset.filter(Q(pk__in=Grave.objects.filter(crewed).values("pk")) | (region if prefixes else Q(pk=None)))


def actionable_graves(user, queryset=None, *, crew_steps: bool = True):
    """The graves on which ``user`` may take a step: the query twin of require_crew_or_officer (or, with
    ``crew_steps=False``, of require_officer). The region's officers act on their region's graves, the assigned
    crew on the graves it crews and no others: a crew reads its whole region but is sent out only to its own graves
    (a tablet given the others filled in forms the server then refused)."""
    queryset = Grave.objects.all() if queryset is None else queryset
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    acting = Q(pk__in=Grave.objects.filter(crew=user).values("pk")) if crew_steps else Q(pk=None)
    if has_role(user, Role.OFFICER):
        prefixes = area_prefixes(user)
        if prefixes is None:
            return queryset
        for prefix in prefixes:
            acting |= Q(area__code12__startswith=prefix)
    return queryset.filter(acting)


def is_crew(user, grave: Grave) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if "crew" in getattr(grave, "_prefetched_objects_cache", {}):  # a list read its graves' crews at once
        return any(member.pk == user.pk for member in grave.crew.all())
    return grave.crew.filter(pk=user.pk).exists()


def can_crew(user, grave: Grave) -> bool:
    """Whether ``user`` may be assigned to ``grave``'s crew: active field crew who work in the grave's region (an
    assignment shows them the owner, so it stays within the region, as the officer's own view does)."""
    return user.is_active and user.groups.filter(name=Role.FIELD_CREW).exists() and can_act_in(user, grave.area)


def is_officer_of(user, grave: Grave) -> bool:
    return has_role(user, Role.OFFICER) and can_act_in(user, grave.area)


def sees_owner(user, grave: Grave) -> bool:
    return is_officer_of(user, grave) or is_crew(user, grave)


def hidden_fields(user, grave: Grave) -> frozenset[str]:
    return frozenset() if sees_owner(user, grave) else frozenset(PRIVATE.fields)


def require_officer(user, grave: Grave) -> None:
    require_area(user, grave.area, roles=(Role.OFFICER,))


def require_crew_or_officer(user, grave: Grave) -> None:
    if is_officer_of(user, grave) or is_crew(user, grave):
        return
    raise PermissionDenied(_("Only the region's officers and the grave's assigned crew may do this."),
                           code="not_assigned")


def require_reader(user, grave: Grave) -> None:
    if not visible_graves(user).filter(pk=grave.pk).exists():
        raise PermissionDenied(_("This is outside your region."), code="outside_region")
