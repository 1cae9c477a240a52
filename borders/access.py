"""Who sees and who signs a boundary line.

A line belongs to both its sides. The rule, on top of region scoping (accounts.scoping):

- A user **sees** a line when one of its two sides lies within one of the user's regions: the officer of 鹿城区 sees
  the 鹿城-瓯海 line, the city's officer sees 温台线 and every county line inside the city. A township officer does
  not see the county lines around his township: the county is the side, not the township.
- A user **signs for side S** when he holds the officer or reviewer role, side S lies within his regions and the
  other side does not. So each side signs only for itself, and the superior of both sides (the city for a line
  between two of its counties; an administrator for every line) oversees the inspection but signs for neither:
  otherwise one person's two signatures would stand for both sides.
- Only the officer, reviewer and field-crew roles read lines at all: a platform account (Amap, Baidu) holds the
  city as its region, but precise marker positions are internal and its grant is its exports (accounts.drf).
- Editing records and campaigns needs the officer, reviewer or field-crew role and a side the user may sign for,
  or the superior who sees both sides (the city organises its county lines' campaigns).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import ALL, area_prefixes, has_role
from boundaries.line_models import BoundaryLine, Side, other_side
from gis.errors import NotFound, PermissionDenied

SIGN_ROLES = (Role.OFFICER, Role.REVIEWER)
EDIT_ROLES = (Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW)
READ_ROLES = EDIT_ROLES  # as the layers declare (borders.layers)


def _covers(prefixes, area) -> bool:
    if prefixes is ALL:
        return True
    return any(area.code12.startswith(p) for p in prefixes)


def visible_lines(user, queryset=None):
    """The lines ``user`` is a side of (or oversees), as a queryset."""
    queryset = BoundaryLine.objects.all() if queryset is None else queryset
    if not may_read_lines(user):
        return queryset.none()
    prefixes = area_prefixes(user)
    if prefixes is ALL:
        return queryset
    return queryset.touching_prefixes(prefixes)


def may_read_lines(user) -> bool:
    return has_role(user, *READ_ROLES)


def require_reader(user) -> None:
    """For the pages that list lines: a role that reads none is refused (403), not shown an empty list."""
    if not may_read_lines(user):
        raise PermissionDenied(_("Your role does not allow this."), code="role_required",
                               where={"roles": list(READ_ROLES)})


def may_see(user, line: BoundaryLine) -> bool:
    if not may_read_lines(user):
        return False
    prefixes = area_prefixes(user)
    return _covers(prefixes, line.side_a) or _covers(prefixes, line.side_b)


def sides_of(user, line: BoundaryLine) -> set[str]:
    """The sides ``user`` may sign for: at most one."""
    if not has_role(user, *SIGN_ROLES):
        return set()
    prefixes = area_prefixes(user)
    mine = {side for side in Side.values if _covers(prefixes, line.side_area(side))}
    return mine if len(mine) == 1 else set()


def require_visible(user, line: BoundaryLine) -> None:
    """A line the user is no side of does not exist for him (404, not 403: its existence is not disclosed)."""
    if not may_see(user, line):
        raise NotFound(_("No such boundary line."), code="unknown_line", where={"line": str(line.uuid)})


def require_side(user, line: BoundaryLine, side: str) -> None:
    require_visible(user, line)
    if side not in Side.values:
        raise PermissionDenied(_("Unknown side."), code="unknown_side", where={"side": side})
    if side not in sides_of(user, line):
        area = line.side_area(side)
        raise PermissionDenied(_("Only an officer of %(area)s signs for that side.") % {"area": area.name},
                               code="not_your_side",
                               where={"side": side, "area": area.code,
                                      "other_side": line.side_area(other_side(side)).code})


def may_edit(user, line: BoundaryLine) -> bool:
    if not has_role(user, *EDIT_ROLES) or not may_see(user, line):
        return False
    prefixes = area_prefixes(user)
    return any(_covers(prefixes, line.side_area(side)) for side in Side.values)


def require_edit(user, line: BoundaryLine) -> None:
    require_visible(user, line)
    if not may_edit(user, line):
        raise PermissionDenied(_("You may not edit the records of this line."), code="role_required",
                               where={"line": str(line.uuid)})
