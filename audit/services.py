"""Recording changes. Call ``snapshot`` before editing and ``record`` after, in the same transaction."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.contrib.gis.geos import GEOSGeometry
from django.db import models
from django.db.models.fields.files import FieldFile

from audit.idempotency import current_key
from audit.models import Action, Change


def _plain(value: Any) -> Any:
    if isinstance(value, GEOSGeometry):
        return value.ewkt
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, uuid.UUID | decimal.Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def snapshot(obj: models.Model, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    """The concrete, stored fields of ``obj`` as JSON-ready values (geometries as EWKT, FKs as keys)."""
    data = {}
    for field in obj._meta.concrete_fields:
        if field.name in exclude or getattr(field, "generated", False):
            continue
        data[field.attname] = _plain(getattr(obj, field.attname))
    return data


def _area_code12(obj) -> str:
    area = getattr(obj, "area", None)
    return getattr(area, "code12", "") or getattr(obj, "code12", "") or ""


def record(obj: models.Model, action: str, *, actor=None, before: dict | None = None,
           after: dict | None = None, reason: str = "", client_ref: str = "") -> Change:
    if after is None and action != Action.DELETE:
        after = snapshot(obj)
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return Change.objects.create(
        object_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        action=action,
        actor=actor,
        before=before,
        after=after,
        reason=reason,
        area_code12=_area_code12(obj),
        client_ref=client_ref or current_key.get(),
    )


def history(obj: models.Model):
    return Change.objects.for_object(obj).select_related("actor")
