"""A change as people read it: each changed field by its label, with its value before and after in words (a
choice's label, a related record's name, a point's coordinates), never a column name or a snapshot's JSON.

Works on what audit.privacy lets the viewer see (a ``VisibleChange``), so a hidden field never shows here either.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from django.contrib.gis.geos import GEOSException, GEOSGeometry
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

# Bookkeeping columns, which change with every edit and mean nothing to a reader.
BOOKKEEPING = {"version", "updated_at", "created_at", "modified_at", "search_text", "pinyin_key"}
SECRETS = {"token", "password", "key", "digest"}


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: str
    after: str


def reading_order(model) -> list:
    """The model's stored fields as a reader takes them: its own first, then those of its abstract bases (who recorded
    or uploaded it and when, a caption), which Django puts first because they were declared first."""
    inherited = {field.name for base in model.__mro__[1:] if getattr(getattr(base, "_meta", None), "abstract", False)
                 for field in base._meta.local_fields}
    fields = model._meta.concrete_fields
    return [f for f in fields if f.name not in inherited] + [f for f in fields if f.name in inherited]


def _field(model, attname: str):
    for field in model._meta.concrete_fields:
        if field.attname == attname or field.name == attname:
            return field
    raise FieldDoesNotExist(attname)


def _related_name(field, value, cache: dict) -> str:
    key = (field.related_model, value)
    if key not in cache:
        found = field.related_model._default_manager.filter(pk=value).first()
        cache[key] = str(found) if found is not None else str(value)
    return cache[key]


def _geometry(value) -> str:
    try:
        geom = GEOSGeometry(value)
    except (GEOSException, ValueError, TypeError):
        return _("a shape")
    if geom.geom_type == "Point":
        return f"{geom.x:.6f}, {geom.y:.6f}"
    return _("a shape of %(n)d points") % {"n": geom.num_coords}


def display(field, value, cache: dict) -> str:
    """``value`` (as a snapshot stores it) of ``field`` in words."""
    if value is None or value == "":
        return "—"
    if field.name in SECRETS:
        return _("(set)")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.ForeignKey):
        return _related_name(field, value, cache)
    if isinstance(field, models.BooleanField):
        return _("yes") if value else _("no")
    if hasattr(field, "geom_type"):
        return _geometry(value)
    if isinstance(field, models.DateTimeField) and isinstance(value, str):
        parsed = parse_datetime(value)
        return date_format(localtime(parsed), "Y-m-d H:i") if parsed else value
    if isinstance(field, models.DateField) and isinstance(value, str):
        parsed = parse_date(value)
        return date_format(parsed, "Y-m-d") if isinstance(parsed, dt.date) else value
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)[:200]
    return str(value)


def field_changes(change, model, cache: dict | None = None) -> list[FieldChange]:
    """The changed fields of ``change`` (a VisibleChange) that a reader cares about, in reading order."""
    if model is None:
        return []
    cache = {} if cache is None else cache
    before, after = change.before or {}, change.after or {}
    if not before or not after:  # a record made or deleted: the action says it; its fields are on its page
        return []
    rows = []
    for field in reading_order(model):
        name = field.attname
        if name not in before and name not in after:
            continue
        if field.name in BOOKKEEPING or getattr(field, "generated", False) or field.primary_key:
            continue
        old, new = before.get(name), after.get(name)
        if old == new:
            continue
        rows.append(FieldChange(str(field.verbose_name), display(field, old, cache), display(field, new, cache)))
    return rows


def record_fields(data: dict | None, model, cache: dict | None = None) -> list[FieldChange]:
    """Every field of a snapshot by its label and value in words (a record made or deleted), ``before`` empty."""
    if not data or model is None:
        return []
    cache = {} if cache is None else cache
    rows = []
    for field in reading_order(model):
        if (field.attname not in data or field.name in BOOKKEEPING or getattr(field, "generated", False)
                or field.primary_key):
            continue
        rows.append(FieldChange(str(field.verbose_name), "", display(field, data[field.attname], cache)))
    return rows
