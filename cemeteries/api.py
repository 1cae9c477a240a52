"""The grave register's JSON API under /cemeteries/api/, for the office and the crews' tablets.

    GET   graves/?area=330302101&state=checked&grade=A&corridor=3&campaign=2&protected=0&due=1&late=1&page=2
          &page_size=50                due: a re-check due today or earlier; late: a step past its date (the
                                       owner's notice deadline, a re-check), as the campaign dashboard counts them,
                                       the longest late first
    POST  graves/                      {"lon", "lat", "form", "tomb_count", "grade", ...}        -> 201
    GET   graves/<id>/                 the grave, its tags, steps and photos; ETag = its version; next_states: the
                                       states the reader may take it to (none for one who only reads it)
    PATCH graves/<id>/                 {"grade": "A", ...} with If-Match or "version"            (428 without)
    POST  graves/<id>/steps/           {"to": "checked", "remarks", "photos": [photo id], "method", "cemetery",
                                        "deadline"} or {"recheck": true, "holds": false}, with the version
    POST  graves/<id>/photos/          multipart: image, role (before|after|road), taken_at, lon, lat, heading
    POST  graves/<id>/crew/            {"usernames": [...], "version"}
    GET   graves/<id>/history/?page=1&page_size=50
                                       the grave's audit log, newest first: {"id", "count", "page", "pages",
                                       "page_size", "results": [{"at", "action", "action_label", "actor", "reason",
                                       "changes": [{"field", "label", "before", "after", "before_text",
                                       "after_text"}]}]}; to whoever may read the grave, and never with the owner's
                                       name or phone (not even for officers: a tablet keeps no old owner)

Thin: every read goes through cemeteries.access, every write through cemeteries.services (roles, region, version,
audit). Errors are {"error": {"code", "message", "where"}} with a 4xx status (core.errors), never the owner's data.
"""

from __future__ import annotations

import datetime as dt
import math

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from audit.preconditions import etag, required_version
from boundaries.models import AdminArea
from cemeteries import services
from cemeteries.models import PRIVATE, Exposure, Grave, GraveState, PublicCemetery
from core import params as typed
from gis.errors import InputError, NotFound
from gis.intake import intake_point

MAX_PAGE_SIZE = 200
TEXT_FIELDS = {"remarks": 2000, "reason": 500}


def _body(request) -> dict:
    data = request.data
    if not isinstance(data, dict) and not hasattr(data, "getlist"):
        raise InputError(_("Send a JSON object."), code="bad_body")
    return data


def _text_labels() -> dict[str, str]:
    """What the crew's and the officer's forms call the free-text fields (a message names them so)."""
    return {"remarks": _("Remarks"), "reason": _("The reason"), "client_ref": _("The tablet's reference")}


def _text(data, name: str, most: int) -> str:
    value = data.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > most or "\x00" in value:
        label = _text_labels().get(name, name)
        raise InputError(_("%(field)s must be text of at most %(most)d characters.") % {"field": label, "most": most},
                         where={"field": name})
    return value


def _grave(request, uuid) -> Grave:
    grave = services.visible_graves(request.user, Grave.objects.select_related("area", "township", "cemetery")) \
        .filter(uuid=uuid).first()
    if grave is None:
        raise NotFound(_("No such grave in your regions."), code="not_found")
    return grave


def filtered_graves(request, params, labels: dict | None = None):
    """The graves the user may read, filtered by ``area`` (code), ``state``, ``grade``, ``corridor``, ``campaign``,
    ``protected``, ``due`` (re-check due today or earlier) and ``late`` (a step past its date, the longest late
    first); shared by the API and the register page, whose ``labels`` name each filter as its form does (the API
    names the parameter)."""
    labels = labels or {}
    qs = services.visible_graves(request.user, Grave.objects.select_related("area", "township"))
    code = typed.area_code(params, "area", label=labels.get("area"))
    if code:
        area = AdminArea.objects.filter(code=code).first()
        qs = qs.in_area(area) if area else qs.none()
    state = typed.choice(params, "state", GraveState.values, label=labels.get("state"))
    if state:
        qs = qs.filter(state=state)
    grade = typed.choice(params, "grade", Exposure.values, label=labels.get("grade"))
    if grade:
        qs = qs.filter(grade=grade)
    corridor = typed.integer(params, "corridor", None, low=1, high=2**31 - 1, label=labels.get("corridor"))
    if corridor:
        qs = qs.filter(tags__corridor_id=corridor, tags__inside=True)
    campaign = typed.integer(params, "campaign", None, low=1, high=2**31 - 1, label=labels.get("campaign"))
    if campaign:
        qs = qs.filter(campaigns=campaign)
    if "protected" in params:
        qs = qs.filter(protected=typed.flag(params, "protected"))
    if typed.flag(params, "due"):
        qs = qs.recheck_due(timezone.localdate())
    if typed.flag(params, "late", label=labels.get("late")):
        return qs.late(timezone.localdate())  # the longest late first
    return qs.order_by("area__code12", "id")


def _page(params, qs) -> tuple[list, dict]:
    size = typed.integer(params, "page_size", 50, low=1, high=MAX_PAGE_SIZE)
    count = qs.count()
    pages = max(1, math.ceil(count / size))
    page = typed.integer(params, "page", 1, low=1, high=10**6)
    page = min(page, pages)
    return list(qs[(page - 1) * size: page * size]), {"count": count, "page": page, "pages": pages,
                                                      "page_size": size}


def _detail(grave: Grave, user) -> dict:
    data = services.grave_as_dict(grave, user)
    data["tags"] = services.tags_of(grave)
    data["steps"] = [{"at": s.at.isoformat(), "kind": s.kind, "from": s.from_state, "to": s.to_state,
                      "method": s.method, "by": getattr(s.actor, "username", None), "remarks": s.remarks,
                      "photos": [str(p.uuid) for p in s.photos.all()]}
                     for s in grave.steps.select_related("actor").prefetch_related("photos")]
    data["photos"] = [{"id": str(p.uuid), "role": p.role, "taken_at": p.taken_at and p.taken_at.isoformat(),
                       "url": f"/cemeteries/graves/{grave.uuid}/photos/{p.uuid}/"} for p in grave.photos.all()]
    return data


def _with_etag(data: dict, status: int = 200) -> Response:
    response = Response(data, status=status)
    response["ETag"] = etag(data["version"])
    return response


def _point(data):
    if "geom" in data and data["geom"] is not None:
        return services.grave_location(data["geom"])
    if "lon" not in data or "lat" not in data:
        raise InputError(_("Send the grave's place as lon and lat (or a GeoJSON point)."), code="place_required",
                         where={"field": "lon"})
    return intake_point(data.get("lon"), data.get("lat"), crs=data.get("crs") or 4490, field="lon").geometry


def _fields(data) -> dict:
    fields = {}
    for name in services.EDITABLE:
        if name in data:
            fields[name] = data[name]
    unknown = set(data) - set(services.EDITABLE) - {"lon", "lat", "geom", "crs", "version", "reason"}
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(map(str, unknown))[:10])},
                         code="unknown_fields", where={"fields": sorted(map(str, unknown))[:10]})
    return fields


@api_view(["GET", "POST"])
def graves(request):
    if request.method == "POST":
        data = _body(request)
        grave = services.register_grave(request.user, geom=_point(data), **_fields(data))
        return _with_etag(_detail(grave, request.user), status=201)
    rows, page = _page(request.query_params, filtered_graves(request, request.query_params).prefetch_related("crew"))
    return Response({**page, "results": [services.grave_as_dict(g, request.user) for g in rows]})


@api_view(["GET", "PATCH"])
def grave(request, uuid):
    found = _grave(request, uuid)
    if request.method == "PATCH":
        data = _body(request)
        changes = _fields(data)
        if any(k in data for k in ("lon", "lat", "geom")):
            changes["geom"] = _point(data)
        found = services.update_grave(found, request.user, changes, version=required_version(request, data),
                                      reason=_text(data, "reason", TEXT_FIELDS["reason"]))
    return _with_etag(_detail(found, request.user))


def _photos(grave: Grave, data) -> list:
    ids = data.get("photos") or []
    if not isinstance(ids, list) or len(ids) > 50 or not all(isinstance(i, str) and len(i) <= 40 for i in ids):
        raise InputError(_("photos must be a list of photo ids."), where={"field": "photos"})
    found = list(grave.photos.filter(uuid__in=[i for i in ids if _is_uuid(i)]))
    if len(found) != len(set(ids)):
        raise InputError(_("A photo in the list is not a photo of this grave."), code="unknown_photo",
                         where={"field": "photos"})
    return found


def _is_uuid(text: str) -> bool:
    import uuid as uuid_module

    try:
        uuid_module.UUID(text)
    except ValueError:
        return False
    return True


def _deadline(data) -> dt.date | None:
    raw = data.get("deadline")
    if raw in (None, ""):
        return None
    try:
        day = parse_date(raw) if isinstance(raw, str) and len(raw) <= 10 else None
    except ValueError:  # well formed, but no such day: 2026-02-30
        day = None
    if day is None:
        raise InputError(_("The deadline must be a date such as 2027-01-31."), where={"field": "deadline"})
    return day


def _cemetery(data) -> PublicCemetery | None:
    raw = data.get("cemetery")
    if raw in (None, ""):
        return None
    found = PublicCemetery.objects.filter(uuid=raw).first() if isinstance(raw, str) and _is_uuid(raw) else None
    if found is None:
        raise InputError(_("No such public cemetery."), where={"field": "cemetery"})
    return found


@api_view(["POST"])
def steps(request, uuid):
    found = _grave(request, uuid)
    data = _body(request)
    version = required_version(request, data)
    remarks = _text(data, "remarks", TEXT_FIELDS["remarks"])
    photos = _photos(found, data)
    client_ref = _text(data, "client_ref", 64)
    recheck = data.get("recheck", False)
    if not isinstance(recheck, bool):
        raise InputError(_("recheck must be true or false."), where={"field": "recheck"})
    if recheck:
        holds = data.get("holds", True)
        if not isinstance(holds, bool):
            raise InputError(_("holds must be true or false."), where={"field": "holds"})
        found = services.recheck(found, request.user, version=version, holds=holds, remarks=remarks, photos=photos,
                                 client_ref=client_ref)
    else:
        to_state = data.get("to")
        if not isinstance(to_state, str):
            raise InputError(_("Say which state the grave goes to."), code="state_required", where={"field": "to"})
        method = data.get("method") or ""
        if not isinstance(method, str):
            raise InputError(_("Unknown remediation method."), where={"field": "method"})
        found = services.advance(found, request.user, to_state, version=version, method=method,
                                 cemetery=_cemetery(data), deadline=_deadline(data), remarks=remarks, photos=photos,
                                 client_ref=client_ref)
    return _with_etag(_detail(found, request.user))


@api_view(["POST"])
@parser_classes([MultiPartParser, FormParser])
def photos(request, uuid):
    found = _grave(request, uuid)
    upload = request.FILES.get("image")
    if upload is None:
        raise InputError(_("Send the photo as the file field image."), code="photo_required",
                         where={"field": "image"})
    data = request.data
    taken_from = None
    if data.get("lon") not in (None, "") or data.get("lat") not in (None, ""):
        taken_from = intake_point(data.get("lon"), data.get("lat"), crs=4490, field="lon").geometry
    taken_at = None
    if data.get("taken_at"):
        taken_at = typed.iso_moment(data.get("taken_at"))
        if taken_at is None:
            raise InputError(_("taken_at must be a time such as 2026-12-02T10:30:00+08:00."),
                             where={"field": "taken_at"})
    heading = typed.number(data, "heading", None, low=0, high=360) if data.get("heading") not in (None, "") else None
    photo = services.add_photo(found, request.user, upload, role=str(data.get("role", ""))[:16],
                               taken_at=taken_at, taken_from=taken_from, heading=heading)
    return Response({"id": str(photo.uuid), "role": photo.role, "sha256": photo.sha256,
                     "url": f"/cemeteries/graves/{found.uuid}/photos/{photo.uuid}/"}, status=201)


@api_view(["POST"])
@parser_classes([JSONParser])
def crew(request, uuid):
    found = _grave(request, uuid)
    data = _body(request)
    names = data.get("usernames")
    if not isinstance(names, list) or len(names) > 50 or not all(isinstance(n, str) and len(n) <= 150
                                                                  for n in names):
        raise InputError(_("usernames must be a list of user names."), where={"field": "usernames"})
    users = list(get_user_model().objects.filter(Q(username__in=names)))
    if len(users) != len(set(names)):
        raise InputError(_("Some of these people are unknown."), code="unknown_user", where={"field": "usernames"})
    found = services.assign_crew(found, request.user, users, version=required_version(request, data))
    return _with_etag(_detail(found, request.user))


# Columns a history does not list: bookkeeping, the derived copies of the location, and the owner (personal data,
# never in a history served to a tablet, whoever asks).
HISTORY_SKIPPED = {"id", "uuid", "version", "created_at", "updated_at", "geom_4549", "geom_3857"}


def _history_changes(change) -> list[dict]:
    from audit.history import display

    before, after = change.before or {}, change.after or {}
    cache: dict = {}
    rows = []
    for model_field in Grave._meta.concrete_fields:
        name = model_field.attname
        if (name in HISTORY_SKIPPED or model_field.name in PRIVATE.fields or getattr(model_field, "generated", False)
                or (name not in before and name not in after)):
            continue
        old, new = before.get(name), after.get(name)
        if change.before is not None and change.after is not None and old == new:
            continue
        if change.before is None and new in (None, ""):
            continue  # a record made: the fields it was given
        rows.append({"field": model_field.name, "label": str(model_field.verbose_name),
                     "before": old if change.before is not None else None,
                     "after": new if change.after is not None else None,
                     "before_text": display(model_field, old, cache) if change.before is not None else "",
                     "after_text": display(model_field, new, cache) if change.after is not None else ""})
    if before.get("crew") != after.get("crew") and ("crew" in before or "crew" in after):  # crew assignment
        label = str(Grave._meta.get_field("crew").verbose_name)
        old, new = before.get("crew") or [], after.get("crew") or []
        rows.append({"field": "crew", "label": label, "before": old, "after": new,
                     "before_text": ", ".join(old) or "—", "after_text": ", ".join(new) or "—"})
    return rows


@api_view(["GET"])
def history(request, uuid):
    """The grave's audit log for a tablet or the office, newest first, paged; the owner's fields are never in it."""
    from audit.services import history as audit_history

    found = _grave(request, uuid)
    rows, page = _page(request.query_params, audit_history(found))
    return Response({"id": str(found.uuid), **page, "results": [
        {"at": c.at.isoformat(), "action": c.action, "action_label": c.get_action_display(),
         "actor": getattr(c.actor, "username", None), "reason": c.reason, "changes": _history_changes(c)}
        for c in rows]})


def photo_or_404(request, uuid, photo_uuid):
    """A grave's photo for a page or the API, only for someone who may read the grave."""
    found = _grave(request, uuid)
    return get_object_or_404(found.photos, uuid=photo_uuid)
