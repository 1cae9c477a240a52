"""Lost updates: every change to a versioned record names the version it was made on.

A versioned record (a canteen, a doorplate, an application, a boundary campaign ...) carries ``version``, raised by
one on every change. A write sends back the version it read, as ``version`` in its JSON body (or in a GeoJSON
Feature's ``properties``) or as an ``If-Match`` header with the record's ETag (``"3"``); a write that sends neither
is refused with 428, because it would silently overwrite whatever someone else saved meanwhile. A stale version is
refused by the record (409 stale_version).
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from gis.errors import InputError, VersionRequired

_ETAG = re.compile(r'\s*(?:W/)?"?(\d{1,9})"?\s*')


def etag(version: int) -> str:
    return f'"{version}"'


VERSION_MAX = 2**31 - 1  # the version columns' range


def _as_int(value, field: str) -> int | None:
    """A version: a whole number as JSON or as ASCII digits. Not 1.5 (which int() makes 1), not true, not "２"; what
    was sent is not repeated back (a list or an object would come back as Python writes it)."""
    if value in (None, ""):
        return None
    text = value.strip() if isinstance(value, str) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif text.isascii() and text.isdecimal() and len(text) <= len(str(VERSION_MAX)):
        number = int(text)
    else:
        number = -1
    if not 0 <= number <= VERSION_MAX:
        raise InputError(_("%(field)s must be an integer.") % {"field": field}, code="bad_version",
                         where={"field": field})
    return number


def sent_version(request, data=None) -> int | None:
    """The version the write was made on: ``version`` in ``data`` (the request's body unless given, or its GeoJSON
    ``properties``), else the ``If-Match`` header; None when neither is sent."""
    data = request.data if data is None else data
    value = None
    if hasattr(data, "get"):
        value = data.get("version")
        properties = data.get("properties")
        if value in (None, "") and isinstance(properties, dict):
            value = properties.get("version")
    body = _as_int(value, "version")
    header = request.headers.get("If-Match", "")
    if not header:
        return body
    match = _ETAG.fullmatch(header)
    if match is None:
        raise InputError(_("If-Match must be the ETag of the record you read, such as \"3\"."), code="bad_version",
                         where={"header": "If-Match", "value": header[:40]})
    matched = int(match.group(1))
    if body is not None and body != matched:
        raise InputError(_("The version in the body and the If-Match header differ."), code="bad_version",
                         where={"version": body, "If-Match": header[:40]})
    return matched


def version_required() -> VersionRequired:
    return VersionRequired(
        _("Send the version of the record you read (the field version, or an If-Match header): without it this "
          "change could overwrite someone else's."),
        where={"field": "version"})


def required_version(request, data=None) -> int:
    """``sent_version``, refusing a write that sends none (428)."""
    version = sent_version(request, data)
    if version is None:
        raise version_required()
    return version


class VersionedRetrieveMixin:
    """A DRF viewset whose records are versioned: a read of one record carries its version as an ETag, for the
    If-Match of the next write."""

    def retrieve(self, request, *args, **kwargs):
        response = super().retrieve(request, *args, **kwargs)
        version = getattr(getattr(self, "_retrieved", None), "version", None)
        if version is not None:
            response["ETag"] = etag(version)
        return response

    def get_object(self):
        self._retrieved = super().get_object()
        return self._retrieved
