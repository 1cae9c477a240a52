from __future__ import annotations

import logging

from django.shortcuts import render
from django.utils.translation import gettext as _

from core.errors import DATABASE_DOWN
from gis.errors import DimingError

log = logging.getLogger(__name__)


def database_unavailable_response(request):
    return render(request, "503.html", {"title": _("Service temporarily unavailable")}, status=503)


class DatabaseUnavailableMiddleware:
    """Turns a lost database into a clear 503 page instead of a traceback, and DimingError into its status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_DOWN):
            log.error("database unavailable: %s", exception)
            return database_unavailable_response(request)
        if isinstance(exception, DimingError):
            return render(request, "error.html", {"error": exception}, status=exception.http_status)
        return None
