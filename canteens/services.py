"""Canteen workflows: registering, editing, changing status and removing a canteen, each audited.

Every write needs the officer role (or administrator) in the canteen's region, both where it is and, when it
moves, where it goes. The audit log (audit.services) is the canteen's history: a snapshot before, the record
after, in the same transaction, with the actor.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.gis.geos import GEOSGeometry, Point
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.scoping import require_area
from audit.models import Action
from audit.services import record, snapshot
from boundaries.models import AdminArea
from canteens.models import Canteen, CanteenStatus
from canteens.phones import is_phone
from doorplates import lookup
from gis.crs import distance_m
from gis.errors import IllegalTransition, InputError
from gis.intake import intake_geometry

WRITE_ROLES = (Role.OFFICER,)

EDITABLE = ("name", "kind", "address", "doorplate", "operator", "operator_phone", "seats", "meals_per_sitting",
            "opening_hours", "delivers", "delivery_radius_m", "opened_on", "star_rating", "note", "source")
# A doorplate linked to a canteen is at its entrance: farther than this from the canteen's point is a mistake.
DOORPLATE_MAX_M = 300


def canteen_location(value, *, crs=None) -> Point:
    """A point in EPSG:4490 inside the service area, through gis.intake (GeoJSON without a CRS is WGS84)."""
    return intake_geometry(value, crs=crs, expected="Point", field="geom").geometry


def area_of(point: Point) -> AdminArea:
    area = AdminArea.objects.finest_containing(point)
    if area is None:
        raise InputError(_("This place lies in no administrative area."), code="outside_areas",
                         where={"field": "geom", "lon": point.x, "lat": point.y})
    return area


# Elderly canteens are this century's (the province's programme began in 2013); a date far outside is a typo.
EARLIEST_OPENING = dt.date(1980, 1, 1)


def _latest_opening() -> dt.date:
    """A planned canteen's opening may be set a few years ahead."""
    today = timezone.localdate()
    return today.replace(year=today.year + 5, day=min(today.day, 28))


def check_canteen(canteen: Canteen) -> None:
    if not canteen.name.strip():
        raise InputError(_("The name must not be empty."), where={"field": "name"})
    if canteen.delivers and not canteen.delivery_radius_m:
        raise InputError(_("A canteen that delivers needs a delivery radius (m)."), where={"field": "delivery_radius_m"})
    phone = canteen.operator_phone.strip()
    if phone and not is_phone(phone):
        raise InputError(_("A phone number is written with digits, and -, +, spaces, brackets or the word for "
                           "extension; several are separated by a comma."), code="bad_phone",
                         where={"field": "operator_phone"})
    if canteen.opened_on is not None and not EARLIEST_OPENING <= canteen.opened_on <= _latest_opening():
        raise InputError(_("The opening date must lie between %(earliest)s and %(latest)s.")
                         % {"earliest": EARLIEST_OPENING.isoformat(), "latest": _latest_opening().isoformat()},
                         code="bad_date", where={"field": "opened_on"})
    if canteen.star_rating is not None and not 1 <= canteen.star_rating <= 5:
        raise InputError(_("The star rating goes from 1 to 5."), where={"field": "star_rating", "value": canteen.star_rating})


def check_doorplate(plate, point: Point) -> None:
    """A canteen's doorplate is a standing plate near the canteen."""
    if lookup.is_retired(plate):
        raise InputError(_("The doorplate %(address)s is retired and cannot be linked.") % {"address": plate.address}, code="retired_doorplate",
                         where={"field": "doorplate", "doorplate": str(plate.uuid)})
    metres = distance_m(plate.geom, point)
    if metres > DOORPLATE_MAX_M:
        raise InputError(_("The doorplate %(address)s is %(metres).0f m from the canteen, more than %(most)s m: check the doorplate or the canteen's place.") % {"address": plate.address, "metres": metres, "most": DOORPLATE_MAX_M},
                         code="doorplate_too_far",
                         where={"field": "doorplate", "doorplate": str(plate.uuid), "distance_m": round(metres)})


def match_doorplate(address: str, point: Point, actor):
    """The one registered plate an address text names near the canteen, or None."""
    return lookup.plate_named(address, point, actor, within_m=DOORPLATE_MAX_M)


def _link(canteen: Canteen, actor, *, doorplate=..., address: str | None = None) -> None:
    """Sets the canteen's doorplate and address. An explicit doorplate (or None) wins; otherwise a new address text
    is matched against the registry, and a linked canteen keeps its plate while its location stays near it."""
    if doorplate is not ...:
        plate = lookup.plate(doorplate)
        if plate is not None:
            check_doorplate(plate, canteen.geom)
        canteen.doorplate = plate
        if plate is not None:
            canteen.address = plate.address
        elif address is not None:
            canteen.address = address
        return
    if address is not None and (canteen.doorplate is None or address != canteen.doorplate.address):
        canteen.address = address
        canteen.doorplate = match_doorplate(address, canteen.geom, actor)
        if canteen.doorplate is not None:
            canteen.address = canteen.doorplate.address
    elif canteen.doorplate is not None:
        check_doorplate(canteen.doorplate, canteen.geom)  # the canteen moved: its plate must still be at the door


@transaction.atomic
def register_canteen(actor, *, geom: GEOSGeometry, status: str = CanteenStatus.PLANNED,
                     **fields: Any) -> Canteen:
    """A new canteen at ``geom``; its admin area is the finest area containing it."""
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, where={"fields": sorted(unknown)})
    if status not in CanteenStatus.values:
        raise InputError(_("Unknown status: %(status)s") % {"status": status}, where={"field": "status"})
    point = canteen_location(geom)
    area = area_of(point)
    require_area(actor, area, roles=WRITE_ROLES)
    doorplate = fields.pop("doorplate", ...)
    address = fields.pop("address", None)
    canteen = Canteen(geom=point, area=area, status=status, **fields)
    _link(canteen, actor, doorplate=doorplate, address=address)
    check_canteen(canteen)
    canteen.save()
    record(canteen, Action.CREATE, actor=actor)
    return canteen


def _locked(canteen: Canteen, version: int | None) -> Canteen:
    current = Canteen.objects.select_for_update().select_related("area").get(pk=canteen.pk)
    current.check_version(version)
    return current


@transaction.atomic
def update_canteen(canteen: Canteen, actor, changes: dict[str, Any], *, version: int | None = None,
                   reason: str = "") -> Canteen:
    """Edits attributes and, with ``geom`` in ``changes``, moves the canteen. Status goes through change_status."""
    if "status" in changes:
        raise InputError(_("Change the status through a status change."), where={"field": "status"})
    unknown = set(changes) - set(EDITABLE) - {"geom"}
    if unknown:
        raise InputError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))}, where={"fields": sorted(unknown)})
    current = _locked(canteen, version)
    require_area(actor, current.area, roles=WRITE_ROLES)
    before = snapshot(current)
    if "geom" in changes:
        current.geom = canteen_location(changes.pop("geom"))
        current.area = area_of(current.geom)
        require_area(actor, current.area, roles=WRITE_ROLES)
    doorplate = changes.pop("doorplate", ...)
    address = changes.pop("address", None)
    for name, value in changes.items():
        setattr(current, name, value)
    _link(current, actor, doorplate=doorplate, address=address)
    check_canteen(current)
    current.version += 1
    current.save()
    record(current, Action.UPDATE, actor=actor, before=before, reason=reason)
    return current


@transaction.atomic
def change_status(canteen: Canteen, actor, status: str, *, reason: str = "", version: int | None = None) -> Canteen:
    """planned → open → suspended ⇄ open → closed (see models.TRANSITIONS)."""
    current = _locked(canteen, version)
    require_area(actor, current.area, roles=WRITE_ROLES)
    if status not in CanteenStatus.values:
        raise InputError(_("Unknown status: %(status)s") % {"status": status}, where={"field": "status"})
    if not current.may_become(status):
        raise IllegalTransition(
            _("A canteen cannot go from %(before)s to %(after)s.") % {"before": current.get_status_display(), "after": CanteenStatus(status).label},
            where={"from": current.status, "to": status})
    before = snapshot(current)
    current.status = status
    if status == CanteenStatus.OPEN and current.opened_on is None:
        current.opened_on = timezone.localdate()
    current.version += 1
    current.save()
    record(current, Action.TRANSITION, actor=actor, before=before, reason=reason)
    return current


@transaction.atomic
def remove_canteen(canteen: Canteen, actor, *, reason: str = "", version: int | None = None) -> None:
    """Deletes a record entered by mistake. Only a planned canteen goes: one that served people is closed."""
    current = _locked(canteen, version)
    require_area(actor, current.area, roles=WRITE_ROLES)
    if current.status != CanteenStatus.PLANNED:
        raise IllegalTransition(_("Only a planned canteen can be deleted; close one that has served instead."),
                                where={"status": current.status})
    before = snapshot(current)
    record(current, Action.DELETE, actor=actor, before=before, after=None, reason=reason)
    current.delete()
