"""The main navigation: each entry appears only when its URL exists (a module shows up once it is built) and when
the user's role may use it, so a menu never offers a page that answers 403."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from accounts.scoping import has_role

SIGNED_IN = ()  # any signed-in user
STAFF = "staff"  # the admin site's own rule: is_staff
ENTRIES = [
    ("placenames:queue", pgettext_lazy("menu", "Place names"), _("Naming applications, approval, announcements"),
     (Role.OFFICER, Role.REVIEWER)),
    ("placenames:checking", _("Census and signs"),
     _("Loading names in bulk, checking, place-name signs, rural names on the map platforms"), (Role.OFFICER,)),
    ("doorplates:index", pgettext_lazy("menu", "Doorplates"), _("Digital doorplates, numbering along roads, QR plates"), SIGNED_IN),
    ("borders:lines", _("Boundaries"), _("Boundary lines, markers and joint inspections"), SIGNED_IN),
    ("field:office", _("Field review"), _("What the crews sent from the field: check it, resolve conflicts, comment"),
     (Role.OFFICER, Role.REVIEWER)),
    ("canteens:coverage", _("Elderly meals"), _("Canteens, meal-service coverage and siting"), SIGNED_IN),
    ("tiles:map", _("Map"), _("Every layer on one map"), SIGNED_IN),
    ("exports:index", _("Exports"), _("Amap, Baidu and open formats; the change feed"),
     (Role.OFFICER, Role.REVIEWER, Role.PLATFORM_CONSUMER)),
    ("jobs:list", _("Background jobs"), _("Imports and other long work, with their progress and results"),
     SIGNED_IN),
    ("admin:index", _("Data administration"), _("Areas, users, roles and raw records"), STAFF),
]


def may_use(user, roles) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if roles == STAFF:
        return bool(user.is_staff and user.is_active)
    return not roles or has_role(user, *roles)


def navigation(request):
    items = []
    if getattr(request, "diming_database_down", False):
        return {"diming_nav": items}  # the 503 page: no session or role can be read
    user = getattr(request, "user", None)
    for name, label, description, roles in ENTRIES:
        if not may_use(user, roles):
            continue
        try:
            items.append({"url": reverse(name), "label": label, "description": description})
        except NoReverseMatch:
            continue
    return {"diming_nav": items}
