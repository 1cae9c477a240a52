"""The main navigation: each entry appears only when its URL exists (a module shows up once it is built) and when
the user's role may use it, so a menu never offers a page that answers 403. One entry, the page's, is current."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from accounts.scoping import has_role

SIGNED_IN = ()  # any signed-in user
OFFICE = (Role.OFFICER, Role.REVIEWER, Role.FIELD_CREW)  # not a platform account (config.platform_pages)
STAFF = "staff"  # the admin site's own rule: is_staff
ENTRIES = [
    ("placenames:queue", pgettext_lazy("menu", "Place names"), _("Naming applications, approval, announcements"),
     (Role.OFFICER, Role.REVIEWER)),
    ("placenames:checking", _("Census and signs"),
     _("Loading names in bulk, checking, place-name signs, rural names on the map platforms"), (Role.OFFICER,)),
    ("doorplates:index", pgettext_lazy("menu", "Doorplates"), _("Digital doorplates, numbering along roads, QR plates"),
     OFFICE),
    ("borders:lines", _("Boundaries"), _("Boundary lines, markers and joint inspections"),
     OFFICE),
    ("cemeteries:register", _("Scattered graves"),
     _("The grave register, remediation campaigns, citizens' reports and weekly reports"), OFFICE),
    ("field:app", _("Field work"), _("The crews' tablet app: work packages offline, checks, photos and records"),
     (Role.FIELD_CREW,)),
    ("field:office", _("Field review"), _("What the crews sent from the field: check it, resolve conflicts, comment"),
     (Role.OFFICER, Role.REVIEWER)),
    ("canteens:coverage", _("Elderly meals"), _("Canteens, meal-service coverage and siting"), OFFICE),
    ("tiles:map", _("Map"), _("Every layer on one map"), SIGNED_IN),
    ("exports:index", _("Exports"), _("Amap, Baidu and open formats; the change feed"),
     (Role.OFFICER, Role.REVIEWER, Role.PLATFORM_CONSUMER)),
    ("jobs:list", _("Background jobs"), _("Imports and other long work, with their progress and results"),
     SIGNED_IN),
    ("admin:index", _("Data administration"), _("Areas, users, roles and raw records"), STAFF),
]

# Pages that belong to an entry although its own address does not lead theirs (the registry's pages sit beside the
# naming applications under /placenames/): URL names whose paths count as the entry's.
ALSO = {"placenames:checking": ("placenames:signs", "placenames:campaigns", "placenames:import")}


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
        url = _url(name) if may_use(user, roles) else None
        if url is not None:
            also = [u for u in map(_url, ALSO.get(name, ())) if u is not None]
            items.append({"url": url, "label": label, "description": description, "prefixes": [url, *also]})
    current, closest = None, (0, 0)
    for item in items:
        score = _match(request.path, item.pop("prefixes"))
        if score > closest:  # the first entry wins a tie
            current, closest = item, score
    if current is not None:
        current["current"] = True
    return {"diming_nav": items}


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def _match(path: str, prefixes: list[str]) -> tuple[int, int]:
    """How closely an entry's addresses lead ``path``: the longest one that does; else the first segment of its own
    address (/boundaries/markers/... is under Boundaries' /boundaries/lines/), which yields to a whole address."""
    whole = max((len(p) for p in prefixes if path.startswith(p)), default=0)
    if whole:
        return whole, 1
    section = "/" + prefixes[0].strip("/").split("/")[0] + "/"
    return (len(section), 0) if section != "//" and path.startswith(section) else (0, 0)
