"""The error hierarchy every layer raises, mapped to HTTP status in one place (core.errors).

Each error carries a machine-readable ``code``, a human message (Chinese by default, through gettext) and
``where``: the place in the input that is wrong (row, column, field, vertex index, coordinate), so that a user
is told what was wrong and where.
"""

from __future__ import annotations

import json
from typing import Any


class DimingError(Exception):
    """Base of every error the product raises on purpose."""

    code = "error"
    http_status = 400

    def __init__(self, message: str, *, code: str | None = None, where: dict[str, Any] | None = None,
                 hint: str | None = None):
        super().__init__(message)
        self.message = message
        if code:
            self.code = code
        self.where = dict(where or {})
        self.hint = hint

    @property
    def headers(self) -> dict[str, str]:
        """HTTP headers the answer carries besides the body (when to ask again, where an upload goes on)."""
        return {}

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.where:
            data["where"] = self.where
        if self.hint:
            data["hint"] = str(self.hint)
        return data

    def __str__(self) -> str:
        """Words for people (the message and its hint): the code and ``where`` are for the API (as_dict)."""
        return f"{self.message} {self.hint}" if self.hint else str(self.message)


def shown(value, limit: int = 80) -> str:
    """A value the caller sent, repeated back in an error as the caller wrote it: text as it is, anything else (a
    list, an object, true) as JSON, never as Python prints it ("['a']", "True", "{'a': 1}")."""
    if isinstance(value, str):
        return value[:limit]
    try:
        return json.dumps(value, ensure_ascii=False, default=str)[:limit]
    except (TypeError, ValueError):
        return "…"


class InputError(DimingError):
    """The caller's input is malformed (a value, a row, a parameter)."""

    code = "invalid_input"


class GeometryError(InputError):
    """An untrusted geometry cannot enter the database as it is."""

    code = "invalid_geometry"


class CoordinateSystemError(GeometryError):
    code = "unknown_crs"


class OutsideServiceAreaError(GeometryError):
    code = "outside_service_area"


class SwappedAxesError(GeometryError):
    code = "swapped_lat_lon"


class EncodingError(InputError):
    code = "bad_encoding"


class NotFound(DimingError):
    code = "not_found"
    http_status = 404


class NotSignedIn(DimingError):
    """The request has no signed-in user, or the session ended (a page's script asking after the officer left)."""

    code = "not_authenticated"
    http_status = 401


class PermissionDenied(DimingError):
    """The user may not act on this object (wrong role or outside the user's regions)."""

    code = "forbidden"
    http_status = 403


class Conflict(DimingError):
    """The object changed since the caller read it, or the request repeats one already applied."""

    code = "conflict"
    http_status = 409


class VersionRequired(DimingError):
    """A change to a versioned record that does not say which version it was made on (it could overwrite another's)."""

    code = "version_required"
    http_status = 428  # Precondition Required (RFC 6585)


class Gone(DimingError):
    """What was asked for existed once and has been removed for good (feed history older than it keeps)."""

    code = "gone"
    http_status = 410


class IllegalTransition(Conflict):
    code = "illegal_transition"
