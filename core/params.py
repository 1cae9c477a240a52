"""Typed request parameters: a value a parameter cannot take is the caller's error (400), never a 500.

Views read their query parameters (and the simple values of form and JSON bodies) through these readers, so
``?seats=abc``, ``?limit=1e999`` or ``?road=x`` answers 400 naming the parameter and what it takes (on pages in
Chinese, in the API as ``{"error": {"code": "invalid_parameter", ...}}``) before anything reaches the database.
``params`` is anything with ``.get``: a QueryDict, DRF's ``request.data``, a dict. A page's form passes ``label``,
what the form calls the field: its message then names that (年度必须是整数。), never the parameter, as people never see
a parameter's name.

``unstorable`` finds what PostgreSQL text cannot hold (NUL, and the unpaired surrogates JSON's ``\\ud800`` escapes
produce); the intake middleware (config.middleware.StorableTextMiddleware) refuses every request carrying one.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import uuid as uuid_module
from collections.abc import Iterable
from urllib.parse import urlencode

from django.utils import timezone
from django.utils.translation import gettext as _

from gis.errors import InputError, shown

BIGINT = 2**63 - 1
_INTEGER = re.compile(r"[+-]?[0-9]{1,19}")
_AREA_CODE = re.compile(r"[0-9]{2,12}")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}
SHOWN = 50  # characters of a bad value repeated back in an error


class BadParameter(InputError):
    code = "invalid_parameter"


def _raw(params, name: str):
    value = params.get(name)
    if isinstance(value, str):
        value = value.strip()
    return None if value in (None, "") else value


def _bad(message: str, name: str, raw) -> BadParameter:
    return BadParameter(message, where={"parameter": name, "value": shown(raw, SHOWN)})


def _says(label, name: str, for_clients: str, for_people: str, **values) -> str:
    """The message of a refusal: for an API client it names the parameter; on a page, where people never see a
    parameter's name, it names the field by its ``label`` (what the form calls it)."""
    if label is None:
        return for_clients % {"name": name, **values}
    return for_people % {"label": label, **values}


def required(params, name: str):
    """The raw value of a parameter that must be given."""
    raw = _raw(params, name)
    if raw is None:
        raise BadParameter(_("The parameter %(name)s is missing.") % {"name": name}, code="missing_parameter",
                           where={"parameter": name})
    return raw


def text(params, name: str, default: str = "", *, max_length: int = 200, label=None) -> str:
    raw = _raw(params, name)
    if raw is None:
        return default
    if not isinstance(raw, str):
        raise _bad(_says(label, name, _("The parameter %(name)s must be text."), _("%(label)s must be text.")),
                   name, raw)
    if len(raw) > max_length:
        raise _bad(_says(label, name, _("The parameter %(name)s is longer than %(max)d characters."),
                         _("%(label)s is longer than %(max)d characters."), max=max_length), name, raw)
    return raw


def integer(params, name: str, default: int | None = None, *, low: int = -BIGINT, high: int = BIGINT,
            label=None) -> int | None:
    raw = _raw(params, name)
    if raw is None:
        return default
    if isinstance(raw, bool) or not isinstance(raw, int | str) or (isinstance(raw, str) and not _INTEGER.fullmatch(raw)):
        raise _bad(_says(label, name, _("The parameter %(name)s must be a whole number."),
                         _("%(label)s must be a whole number.")), name, raw)
    value = int(raw)
    if not low <= value <= high:
        raise _out_of_range(name, raw, low, high, label)
    return value


def _out_of_range(name: str, raw, low, high, label) -> BadParameter:
    return _bad(_says(label, name, _("The parameter %(name)s must be between %(low)s and %(high)s."),
                      _("%(label)s must be between %(low)s and %(high)s."), low=low, high=high), name, raw)


def number(params, name: str, default: float | None = None, *, low: float = -math.inf,
           high: float = math.inf, label=None) -> float | None:
    raw = _raw(params, name)
    if raw is None:
        return default
    try:
        value = float(raw) if not isinstance(raw, bool) else math.nan
    except (TypeError, ValueError, OverflowError):
        value = math.nan
    if not math.isfinite(value):
        raise _bad(_says(label, name, _("The parameter %(name)s must be a number."), _("%(label)s must be a number.")),
                   name, raw)
    if not low <= value <= high:
        raise _out_of_range(name, raw, low, high, label)
    return value


def uuid(params, name: str, default: uuid_module.UUID | None = None, *, label=None) -> uuid_module.UUID | None:
    raw = _raw(params, name)
    if raw is None:
        return default
    try:
        return uuid_module.UUID(str(raw))
    except ValueError:
        raise _bad(_says(label, name, _("The parameter %(name)s must be an identifier (UUID)."),
                         _("The %(label)s chosen is not one of the list.")), name, raw) from None


def date(params, name: str, default: dt.date | None = None, *, label=None) -> dt.date | None:
    raw = _raw(params, name)
    if raw is None:
        return default
    try:
        return dt.date.fromisoformat(str(raw))
    except ValueError:
        raise _bad(_says(label, name, _("The parameter %(name)s must be a date (YYYY-MM-DD)."),
                         _("%(label)s must be a date such as 2027-01-31.")), name, raw) from None


def iso_moment(text) -> dt.datetime | None:
    """An ISO 8601 date and time, a naive one read in the server's zone; None where the text names none (including
    a moment that never was: 2026-02-30T10:00)."""
    text = str(text)
    if len(text) > 40 or unstorable(text):
        return None
    try:
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        return None
    return moment if moment.tzinfo else timezone.make_aware(moment)


def choice(params, name: str, choices: Iterable[str], default: str | None = None, *, label=None) -> str | None:
    """One of ``choices``; ``label`` is a noun (as the form names what is chosen), for "the ... chosen"."""
    raw = _raw(params, name)
    if raw is None:
        return default
    allowed = [str(c) for c in choices]
    if str(raw) not in allowed:
        raise _bad(_says(label, name, _("The parameter %(name)s must be one of: %(choices)s."),
                         _("The %(label)s chosen is not one of the list."), choices=", ".join(allowed)), name, raw)
    return str(raw)


def within(value, max_length: int, label, field: str) -> str:
    """A service's text ``value`` (None as ""), stripped, refused when longer than its column holds rather than cut:
    what a person wrote is kept whole or told to them. ``label`` names it as the form does."""
    text = ("" if value is None else str(value)).strip()
    if len(text) > max_length:
        raise InputError(_("%(label)s is longer than %(max)d characters.") % {"label": label, "max": max_length},
                         code="too_long", where={"field": field, "length": len(text), "max": max_length})
    return text


def form_version(params, name: str = "version") -> int:
    """The version a page's form was drawn with (its hidden field): required, so that an edit sent from a page older
    than the record, or from no page at all, is refused rather than written over someone else's."""
    try:
        version = integer(params, name, None, low=1, high=2**31 - 1)
    except BadParameter:  # a hidden field no page draws so: the page it came from is not one of ours any more
        version = None
    if version is None:
        raise BadParameter(_("The form is out of date: reload the page."), code="version_required",
                           where={"parameter": name})
    return version


def flag(params, name: str, default: bool = False, *, label=None) -> bool:
    raw = _raw(params, name)
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    if str(raw).lower() in _TRUE:
        return True
    if str(raw).lower() in _FALSE:
        return False
    raise _bad(_says(label, name, _("The parameter %(name)s must be true or false."),
                     _("The box %(label)s is either ticked or not.")), name, raw)


def area_code(params, name: str, default: str | None = None, *, label=None) -> str | None:
    """An admin area code (区划代码): its leading digits, 2 (province) to 12 (village)."""
    raw = _raw(params, name)
    if raw is None:
        return default
    if not (isinstance(raw, str) and _AREA_CODE.fullmatch(raw)):
        raise _bad(_says(label, name, _("The parameter %(name)s must be an area code (2 to 12 digits)."),
                         _("The %(label)s chosen is not one of the list.")), name, raw)
    return raw


def days(raw: str) -> dt.timedelta:
    """A management command's number of days (``type=days``): a time span, never negative."""
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0:
        raise argparse.ArgumentTypeError(f"takes a number of days, not negative: {raw[:SHOWN]!r}")
    return dt.timedelta(days=value)


def form_values(request, refused: bool, **defaults) -> dict[str, str]:
    """A form's values on its page: as the user sent them when the page comes back refusing the form (nothing typed
    is lost), else ``defaults``."""
    return {name: request.POST.get(name, "") for name in defaults} if refused else defaults


def query(**filters) -> str:
    """The query string of a page's filters, for its pager's links: each value URL-encoded, the unset ones (None, "")
    left out, as a None would come back as the word None, which the page then refuses."""
    return urlencode({name: value for name, value in filters.items() if value not in (None, "")})


def unstorable(value: str) -> bool:
    """Whether PostgreSQL text cannot hold ``value`` (a NUL, or an unpaired surrogate)."""
    return _UNSTORABLE.search(value) is not None
