"""Where the product's errors become HTTP responses: one mapping for the API and one for pages."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gis.errors import DimingError

DATABASE_DOWN = (OperationalError, InterfaceError)


def status_for(error: DimingError) -> int:
    return error.http_status


def api_exception_handler(exc, context):
    if isinstance(exc, DimingError):
        return Response({"error": exc.as_dict()}, status=status_for(exc))
    if isinstance(exc, DATABASE_DOWN):
        return Response(
            {"error": {"code": "database_unavailable",
                       "message": _("The database is unavailable for the moment: try again shortly.")}}, status=503
        )
    response = exception_handler(exc, context)
    if response is not None and not isinstance(response.data, dict | list):
        response.data = {"detail": response.data}
    return response
