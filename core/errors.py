"""Where the product's errors become HTTP responses: one mapping for the API and one for pages."""

from __future__ import annotations

import errno
import logging
import os

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler

from gis.errors import DimingError, InputError, NotFound, NotSignedIn

DATABASE_DOWN = (OperationalError, InterfaceError)
DISK_FULL_SQLSTATE = "53100"  # PostgreSQL's disk_full: its own disk has no room for the rows
log = logging.getLogger(__name__)


class StorageFull(DimingError):
    """A disk the product writes to (the uploaded files', or the database's) has no room left: nothing of the
    request was kept (the file's row is not written without its file; the database rolls back)."""

    code = "storage_full"
    http_status = 507


def disk_full(exc: BaseException) -> bool:
    """``exc`` is a full disk: ENOSPC or a quota, or the database's own disk_full."""
    return (isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT)) or (
        isinstance(exc, OperationalError) and getattr(exc.__cause__, "sqlstate", None) == DISK_FULL_SQLSTATE)


def storage_full(exc: BaseException) -> StorageFull | None:
    """The error to answer when ``exc`` is a full disk (disk_full), else None; logged, for the administrator."""
    if not disk_full(exc):
        return None
    log.error("a disk is full, a request was refused: %s", exc)
    return StorageFull(_("The server's disk is full: what you sent was not saved. Tell the system administrator, "
                         "and send it again once space has been freed."))


class FileMissing(NotFound):
    """A stored file the database names is no longer on the disk (removed by hand, lost with a disk, a restore of
    the database without its files)."""

    code = "file_missing"


def file_missing(exc: BaseException) -> FileMissing | None:
    """The error to answer when ``exc`` is an uploaded or generated file missing under MEDIA_ROOT, else None; logged
    with its path for the administrator, said without it to the user."""
    if not (isinstance(exc, FileNotFoundError) and exc.filename):
        return None
    media = os.path.realpath(settings.MEDIA_ROOT)
    if os.path.commonpath([media, os.path.realpath(exc.filename)]) != media:
        return None
    log.error("a stored file is missing from the disk: %s", exc.filename)
    return FileMissing(_("The file is no longer on the server. Tell the system administrator: it may be restored "
                         "from a backup."))


def refused_for_storage(exc: BaseException) -> DimingError | None:
    """A disk that is full or a stored file that is gone, as the error to answer (logged), else None."""
    return storage_full(exc) or file_missing(exc)


def unchecked_value(error: ValidationError) -> InputError:
    """A value no reader checked, refused by Django itself (a malformed identifier in a lookup, a model's own
    validation): the caller's error, a 400 with Django's own words, not a 500. Logged: the view should check it."""
    log.warning("a value reached Django unchecked: %s", error.messages)
    return InputError(" ".join(str(m) for m in error.messages)[:300], code="invalid_value")


def with_headers(response, error: DimingError):
    """The response with the headers the error asks for (Retry-After on a rate limit): a page that shows the error
    on its own form answers them too."""
    for name, value in error.headers.items():
        response[name] = value
    return response


def status_for(error: DimingError) -> int:
    return error.http_status


def api_exception_handler(exc, context):
    """Every API error in one shape, ``{"error": {"code", "message", "where"?, "hint"?}}``: the product's own errors,
    and those Django REST framework raises itself (not signed in, a method not allowed, nothing found, a serializer's
    refusal), with the headers it sets (Allow, Retry-After, WWW-Authenticate)."""
    if isinstance(exc, ValidationError):
        exc = unchecked_value(exc)
    exc = refused_for_storage(exc) or exc
    if isinstance(exc, DimingError):
        return Response({"error": exc.as_dict()}, status=status_for(exc), headers=exc.headers)
    if isinstance(exc, DATABASE_DOWN):
        return Response(
            {"error": {"code": "database_unavailable",
                       "message": _("The database is unavailable for the moment: try again shortly.")}}, status=503
        )
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"error": _framework_error(exc, context.get("view"))}
    return response


def not_signed_in() -> NotSignedIn:
    """The one refusal of a request that needs a signed-in user and has none, whichever door it came in by."""
    return NotSignedIn(_("You are not signed in, or your session has ended: sign in again."))


def _framework_error(exc, view) -> dict:
    """An error the framework answered (exception_handler made a response of it: an APIException, a 404, a refusal)."""
    if isinstance(exc, Http404):
        return {"code": "not_found", "message": _("Nothing is here, or it is outside your regions.")}
    if isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if isinstance(exc, exceptions.NotAuthenticated):
        return not_signed_in().as_dict()
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # the framework's session check, in English and naming the origin it refused
        return {"code": "csrf_failed", "message": _("The request's security token is missing or stale: reload and send "
                                                    "it again.")}
    if not isinstance(exc.detail, dict | list):
        return {"code": str(exc.get_codes()), "message": str(exc.detail)}
    fields = _field_messages(exc.detail)
    labels = _labels(view)
    message = " ".join(_("%(field)s: %(message)s") % {"field": labels.get(path.split(".")[0], path), "message": m}
                       if path else m for path, messages in fields.items() for m in messages)
    error = {"code": "invalid_value" if isinstance(exc, exceptions.ValidationError) else exc.default_code,
             "message": message or _("A value is not valid.")}
    named = {path: messages for path, messages in fields.items() if path}
    return {**error, "where": {"fields": named}} if named else error


def _field_messages(detail, path: str = "") -> dict[str, list[str]]:
    """A serializer's refusal (nested dicts and lists of messages) as field path -> messages; "" for the whole."""
    if isinstance(detail, dict):
        items = [("" if key in ("non_field_errors", "__all__") else str(key), value) for key, value in detail.items()]
    elif isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        items = [(str(index), item) for index, item in enumerate(detail)]
    else:
        return {path: [str(item) for item in detail] if isinstance(detail, list) else [str(detail)]}
    found: dict[str, list[str]] = {}
    for key, value in items:
        for where, messages in _field_messages(value, ".".join(part for part in (path, key) if part)).items():
            found.setdefault(where, []).extend(messages)
    return found


def _labels(view) -> dict[str, str]:
    """The labels people read for the fields of the view's serializer ({} where the view has none)."""
    try:
        serializer = view.get_serializer()
    except Exception:  # a view without a serializer (or one that needs more to be made): the paths stand
        return {}
    model = getattr(getattr(serializer, "Meta", None), "model", None)
    return {name: _label(model, name, field) for name, field in getattr(serializer, "fields", {}).items()}


def _label(model, name: str, field) -> str:
    """A field's label: the serializer's own where it was given one, else the model field's verbose name (a field
    declared on the serializer, such as a geometry read by gis.intake, is otherwise labelled with its name)."""
    if "label" in getattr(field, "_kwargs", {}) or model is None:
        return str(field.label or name)
    try:
        return capfirst(str(model._meta.get_field(getattr(field, "source", None) or name).verbose_name))
    except FieldDoesNotExist:
        return str(field.label or name)
