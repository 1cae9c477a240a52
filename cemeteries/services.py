"""The grave register's workflows, and the named interface other packages call (the field app's adapter, the
campaigns): registering and editing graves, their lifecycle steps, photos, crew assignment, and a grave as a
dictionary for one reader.

    from cemeteries import services
    services.visible_graves(user)                       # a queryset: the graves the user may read
    services.grave_as_dict(grave, user)                 # owner data only for the region's officers and the crew
    services.advance(grave, user, "checked", version=3, remarks=..., photos=[...], client_ref=...)
    services.recheck(grave, user, version=5, holds=False)   # a rebound reopens the grave
    services.add_photo(grave, user, upload, role="road", ...)
    services.legal_next(grave)                          # the states the grave may go to next
    services.next_states_for(user, grave)               # ... of them, those the user may take it to
    services.actionable_graves(user)                    # a queryset: the graves the user may take a step on

Every write checks the actor's role and region (cemeteries.access), the record's version (core.records) and is
audited (audit.services) in its transaction; errors are gis.errors with a code, words for people and no owner data.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import require_area
from audit.models import Action
from audit.services import record, snapshot
from boundaries.models import AdminArea, Level
from cemeteries import tagging
from cemeteries.access import (
    actionable_graves,
    can_crew,
    hidden_fields,
    is_crew,
    is_officer_of,
    require_crew_or_officer,
    require_officer,
    require_reader,
    sees_owner,
    visible_graves,
)
from cemeteries.lifecycle import advance, legal_next, next_states_for, recheck
from cemeteries.models import Exposure, Grave, GraveForm, GravePhoto, GraveState, PhotoRole
from core.uploads import accept_photo
from gis.errors import InputError, PermissionDenied
from gis.intake import intake_geometry

__all__ = [
    "EDITABLE", "actionable_graves", "add_photo", "advance", "assign_crew", "grave_as_dict", "hidden_fields",
    "is_crew", "is_officer_of", "legal_next", "next_states_for", "recheck", "register_grave", "require_reader",
    "sees_owner", "update_grave", "visible_graves",
]

REGISTER_ROLES = (Role.OFFICER, Role.FIELD_CREW)  # crews report the graves they find (排查)
EDITABLE = ("form", "tomb_count", "grade", "protected", "protected_note", "owner_name", "owner_phone", "note",
            "source", "outline")
MAX_TOMBS = 500
PHOTO_MAX_BYTES = 10 << 20


def grave_location(value, *, crs=None) -> Point:
    """A point in EPSG:4490 inside the service area, through gis.intake (GeoJSON without a CRS is WGS84)."""
    return intake_geometry(value, crs=crs, expected="Point", field="geom").geometry


def grave_outline(value, *, crs=None):
    if value in (None, ""):
        return None
    return intake_geometry(value, crs=crs, expected="Polygon", field="outline").geometry


def place_of(point: Point) -> tuple[AdminArea, AdminArea | None]:
    """The finest admin area containing ``point``, and its township."""
    areas = list(AdminArea.objects.containing(point))
    if not areas:
        raise InputError(_("This place lies in no administrative area."), code="outside_areas",
                         where={"field": "geom", "lon": round(point.x, 6), "lat": round(point.y, 6)})
    township = next((a for a in areas if a.level == Level.TOWNSHIP), None)
    return areas[-1], township


def _check(grave: Grave) -> None:
    if not isinstance(grave.protected, bool):
        raise InputError(_("protected must be true or false."), where={"field": "protected"})
    if grave.form not in GraveForm.values:
        raise InputError(_("Unknown grave form."), where={"field": "form"})
    if grave.grade not in Exposure.values:
        raise InputError(_("The exposure grade is A, B or C."), where={"field": "grade"})
    if not isinstance(grave.tomb_count, int) or isinstance(grave.tomb_count, bool) \
            or not 1 <= grave.tomb_count <= MAX_TOMBS:
        raise InputError(_("The number of tombs goes from 1 to %(most)d.") % {"most": MAX_TOMBS},
                         where={"field": "tomb_count"})
    for name, most in (("owner_name", 100), ("owner_phone", 32), ("protected_note", 200), ("source", 64)):
        value = getattr(grave, name)
        if not isinstance(value, str) or len(value) > most or "\x00" in value:
            raise InputError(_("%(field)s is too long or holds characters that cannot be stored.")
                             % {"field": Grave._meta.get_field(name).verbose_name}, where={"field": name})
    if not isinstance(grave.note, str) or "\x00" in grave.note or len(grave.note) > 5000:
        raise InputError(_("The note is too long or holds characters that cannot be stored."),
                         where={"field": "note"})
    if grave.protected and grave.state not in (GraveState.IDENTIFIED, GraveState.CHECKED):
        raise InputError(_("A grave already in remediation cannot be declared protected."),
                         code="protected_grave", where={"field": "protected"})


def _unknown(fields) -> None:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(map(str, unknown))[:10])},
                         where={"fields": sorted(map(str, unknown))[:10]})


@transaction.atomic
def register_grave(actor, *, geom: GEOSGeometry, **fields: Any) -> Grave:
    """A new grave at ``geom`` (identified, 排查); its area and township are derived from the point."""
    _unknown(fields)
    point = grave_location(geom)
    area, township = place_of(point)
    require_area(actor, area, roles=REGISTER_ROLES)
    outline = grave_outline(fields.pop("outline", None))
    grave = Grave(geom=point, area=area, township=township, outline=outline, **fields)
    _check(grave)
    grave.save()
    if not is_officer_of(actor, grave):
        grave.crew.add(actor)  # the crew member who found it keeps seeing it
    tagging.retag_graves([grave.pk])
    record(grave, Action.CREATE, actor=actor)
    return grave


def _county(area) -> str | None:
    return area.code12[:6] if area is not None else None


@transaction.atomic
def update_grave(grave: Grave, actor, changes: dict[str, Any], *, version: int | None, reason: str = "") -> Grave:
    """Edits attributes and, with ``geom`` in ``changes``, moves the grave (its area and tags follow). The state
    changes only through lifecycle steps."""
    changes = dict(changes)
    geom = changes.pop("geom", None)
    _unknown(changes)
    current = Grave.objects.select_for_update().select_related("area").get(pk=grave.pk)
    current.check_version(version)
    require_crew_or_officer(actor, current)
    if ({"owner_name", "owner_phone"} & set(changes)) and not sees_owner(actor, current):
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": "owner"}, where={"field": "owner"})
    before = snapshot(current)
    if geom is not None:
        county = _county(current.area)
        current.geom = grave_location(geom)
        current.area, current.township = place_of(current.geom)
        require_crew_or_officer(actor, current)
        if _county(current.area) != county and not is_officer_of(actor, current):
            # The crew's assignment lets it correct a position, not hand the grave to another county.
            raise PermissionDenied(_("Only the officers of the county it would move into may move a grave there."),
                                   code="outside_region", where={"area": getattr(current.area, "code", None)})
    if "outline" in changes:
        changes["outline"] = grave_outline(changes["outline"])
    for name, value in changes.items():
        setattr(current, name, value)
    _check(current)
    current.version += 1
    current.save()
    if geom is not None:
        tagging.retag_graves([current.pk])
    record(current, Action.UPDATE, actor=actor, before=before, reason=reason)
    return current


@transaction.atomic
def assign_crew(grave: Grave, actor, users, *, version: int | None = None) -> Grave:
    """The crew assigned to the grave (they see its owner and take its field steps); an officer's decision."""
    current = Grave.objects.select_for_update().get(pk=grave.pk)
    current.check_version(version)
    require_officer(actor, current)
    for user in users:
        if not can_crew(user, current):
            raise InputError(_("%(name)s cannot be assigned: only active field crew who work in the grave's region "
                               "can be.") % {"name": user.get_full_name() or user.username},
                             code="not_crew_here", where={"field": "crew", "user": user.username})
    before = snapshot(current)
    before["crew"] = sorted(current.crew.values_list("username", flat=True))
    if before["crew"] == sorted(u.username for u in users):
        return current  # the same crew: no new version, nothing in the audit log
    current.crew.set(users)
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    after = snapshot(current)
    after["crew"] = sorted(u.username for u in users)
    record(current, Action.UPDATE, actor=actor, before=before, after=after, reason=_("crew assigned"))
    return current


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_photo(grave: Grave, actor, upload, *, role: str, taken_at=None, taken_from: Point | None = None,
              heading: float | None = None) -> GravePhoto:
    """A photo of the grave (JPEG, PNG, WebP, judged by content, at most 10 MB); attach it to a step by passing it
    to ``advance``/``recheck`` in ``photos``."""
    require_crew_or_officer(actor, grave)
    if role not in PhotoRole.values:
        raise InputError(_("The photo's role is before, after or from the road."), where={"field": "role"})
    if heading is not None and not (isinstance(heading, int | float) and 0 <= heading <= 360):
        raise InputError(_("The heading goes from 0 to 360 degrees."), where={"field": "heading"})
    upload = accept_photo(upload, field="image", max_bytes=PHOTO_MAX_BYTES)
    where = grave_location(taken_from) if taken_from is not None else None
    photo = GravePhoto.objects.create(grave=grave, role=role, image=upload, sha256=_sha256(upload),
                                      taken_at=taken_at, geom=where, heading=heading, uploaded_by=actor)
    return photo


def grave_as_dict(grave: Grave, user) -> dict[str, Any]:
    """The grave as ``user`` may see it (WGS84 is not used: lon/lat in EPSG:4490, which equals it to a metre)."""
    data = {
        "id": str(grave.uuid), "version": grave.version, "state": grave.state,
        "state_label": grave.get_state_display(), "next_states": list(next_states_for(user, grave)),
        "lon": round(grave.geom.x, 7), "lat": round(grave.geom.y, 7),
        "area_code": grave.area.code, "area_name": grave.area.name,
        "township": grave.township.name if grave.township_id else "",
        "form": grave.form, "form_label": grave.get_form_display(), "tomb_count": grave.tomb_count,
        "grade": grave.grade, "protected": grave.protected, "protected_note": grave.protected_note,
        "method": grave.method, "method_label": grave.get_method_display() if grave.method else "",
        "cemetery": grave.cemetery.name if grave.cemetery_id else "",
        "notice_deadline": grave.notice_deadline.isoformat() if grave.notice_deadline else None,
        "recheck_due_on": grave.recheck_due_on.isoformat() if grave.recheck_due_on else None,
        "rebounds": grave.rebounds, "visibility": grave.visibility, "note": grave.note,
        "owner_name": grave.owner_name, "owner_phone": grave.owner_phone,
        "updated_at": grave.updated_at.isoformat(),
    }
    for name in hidden_fields(user, grave):
        data.pop(name, None)
    return data


def tags_of(grave: Grave) -> list[dict[str, Any]]:
    """The corridors and zones of the grave with the distances, nearest first."""
    rows = []
    for tag in grave.tags.select_related("corridor", "zone").order_by("distance_m", "id"):
        place = tag.corridor or tag.zone
        rows.append({"kind": "corridor" if tag.corridor_id else "zone", "name": place.name,
                     "type": place.kind, "type_label": place.get_kind_display(),
                     "distance_m": round(tag.distance_m, 1), "inside": tag.inside})
    return rows


__all__ += ["grave_location", "place_of", "require_crew_or_officer", "require_officer", "tags_of"]
