from __future__ import annotations

import sys
from pathlib import Path

from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from config.middleware import database_unavailable_response, error_page, wants_json
from core.errors import DATABASE_DOWN
from placenames import checking


@never_cache
@require_GET
def healthz(request):
    """Liveness and readiness for load balancers: 200 with versions, 503 when PostGIS cannot be reached."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('server_version'), postgis_lib_version(), postgis_full_version()")
            pg_version, postgis_version, postgis_full = cursor.fetchone()
    except DATABASE_DOWN as exc:
        return JsonResponse(
            {"status": "error", "database": {"ok": False, "error": str(exc).strip().splitlines()[0][:200]}},
            status=503,
        )
    return JsonResponse(
        {
            "status": "ok",
            "database": {"ok": True, "postgresql": pg_version, "postgis": postgis_version,
                         "postgis_full": postgis_full},
        }
    )


FAVICON = Path(__file__).resolve().parent / "static" / "img" / "favicon.ico"


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every page whatever the page links to: our own icon, from disk."""
    response = HttpResponse(FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=604800"
    return response


def home(request):
    figures = {"checked": checking.checked_count(request.user), "open": checking.open_count(request.user)}
    return render(request, "home.html", {"title": _("Home"), "checking": figures})


def _refused(request, status: int, code: str, message: str, template: str, title: str, **context):
    """A refusal Django makes itself (no view matched, a CSRF check, a crash): the page for a browser, the one error
    shape of the APIs (core.errors) for an API client, which reads no HTML."""
    if wants_json(request):
        return _json_refusal(status, code, message)
    return error_page(request, template, status, title, **context)


def _json_refusal(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"error": {"code": code, "message": message}}, status=status,
                        json_dumps_params={"ensure_ascii": False})


def server_error(request):
    """handler500: a lost database still gets the 503 page, whatever raised it."""
    exc = sys.exc_info()[1]
    if isinstance(exc, DATABASE_DOWN):
        return database_unavailable_response(request)
    if wants_json(request):
        return _json_refusal(500, "server_error", _("Something went wrong on our side. The error has been logged; "
                                                    "please try again or tell the system administrator."))
    return render(request, "500.html", {"title": _("Server error"), "status": 500}, status=500)


def not_found(request, exception=None):
    return _refused(request, 404, "not_found", _("Nothing is at this address."), "404.html", _("Page not found"))


def forbidden(request, exception=None):
    return _refused(request, 403, "permission_denied", _("Your role or your assigned areas do not allow this. Ask an "
                                                         "administrator if you need access."),
                    "403.html", _("Access denied"))


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the 403 page in the user's language; the reason goes to the log, not to the page."""
    return _refused(request, 403, "csrf_failed", _("The request's security token is missing or stale: reload and send "
                                                   "it again."), "403.html", _("Access denied"), csrf=True)


def bad_request(request, exception=None):
    return _refused(request, 400, "bad_request", _("The request is malformed."), "400.html", _("Bad request"))
