"""What a platform account (Amap, Baidu: accounts.drf.is_platform_account) may open besides the REST API, whose
views decide for themselves (accounts.drf): its exports, its own background jobs, the map and its tiles, and the
pages anyone may open. Every other page (the office's doorplates, names, canteens, graves, boundaries) is refused:
the account holds the city as its region for its exports' sake, not to read the office's records. Refused by
default, so that a new app's pages are closed to it until listed here."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.drf import is_platform_account
from config.middleware import ViewCheckMiddleware, refusal
from core.errors import DATABASE_DOWN
from gis.errors import PermissionDenied

# URL namespaces whose pages are the platform's own: its exports and feed token, its jobs (a job is its owner's),
# the map and the tiles and OGC API (tiles.access grants layers by role).
PLATFORM_NAMESPACES = frozenset({"exports", "jobs", "tiles", "admin"})  # the admin site signs in staff only

# Pages anyone may open, signed in or not (tests.config.test_a_platform_account_opens_only_its_own_pages_and_the
# _public_ones checks this list against what an anonymous visitor reaches).
PUBLIC_PAGES = frozenset({
    "home", "healthz", "favicon", "set_language", "login", "logout", "doorplate_public",
    "boundaries:areas_geojson",
    "placenames:public", "placenames:gazetteer", "placenames:gazetteer_place", "placenames:sign_landing",
    "placenames:sign_photo", "placenames:place_photo",
    "cemeteries:public_report", "cemeteries:public_report_thanks",
    "field:app", "field:manifest", "field:service_worker",  # the crews' app shell; its data is behind field:api-*
})
OWN_RULES = ("field:api-",)  # the field app's API checks roles and regions itself (field.api), like DRF's views


def platform_may_open(view_name: str, namespace: str | None, view) -> bool:
    return (hasattr(view, "cls") or namespace in PLATFORM_NAMESPACES or view_name in PUBLIC_PAGES
            or view_name.startswith(OWN_RULES))


class PlatformAccountPagesMiddleware(ViewCheckMiddleware):
    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        try:
            if user is None or not user.is_authenticated or not is_platform_account(user):
                return None
        except DATABASE_DOWN:  # the session or the roles cannot be read: the view's own 503 says so
            return None
        match = request.resolver_match
        if platform_may_open(match.view_name, match.namespace, view_func):
            return None
        return refusal(request, PermissionDenied(_("A platform account reads only the exports granted to it."),
                                                 code="platform_not_allowed"))
