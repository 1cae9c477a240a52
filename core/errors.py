"""Where the product's errors become HTTP responses: one mapping for the API and one for pages."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gis.errors import DimingError, InputError

DATABASE_DOWN = (OperationalError, InterfaceError)
log = logging.getLogger(__name__)


def unchecked_value(error: ValidationError) -> InputError:
    """A value no reader checked, refused by Django itself (a malformed identifier in a lookup, a model's own
    validation): the caller's error, a 400 with Django's own words, not a 500. Logged: the view should check it."""
    log.warning("a value reached Django unchecked: %s", error.messages)
    return InputError(" ".join(str(m) for m in error.messages)[:300], code="invalid_value")


def status_for(error: DimingError) -> int:
    return error.http_status


def api_exception_handler(exc, context):
    if isinstance(exc, ValidationError):
        exc = unchecked_value(exc)
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
