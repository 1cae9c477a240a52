"""Doorplate workflows: creating and editing plates (region-checked, audited), tokens, numbering on a road and
within a village or residential area."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import shapely
from django.contrib.gis.geos import GEOSGeometry, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

from accounts.roles import Role
from accounts.scoping import require_area, scope
from audit.models import Action
from audit.services import record, snapshot
from boundaries.models import AdminArea
from doorplates import base_numbering, numbering
from doorplates.addresses import HouseNumber, parse_group
from doorplates.models import BASE_FIELDS, Doorplate, PlateStatus, PlateType, RoadNumbering, new_token
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy
from gis.errors import Conflict, IllegalTransition, InputError, NotFound, OutsideServiceAreaError
from placenames.bases import Base, BaseKind, all_bases, kind_of
from placenames.roads import Road, all_roads

EDIT_ROLES = (Role.OFFICER, Role.FIELD_CREW)
MAX_ROAD_DISTANCE_M = 200.0  # how far from its road a plate may stand (the import checks the same)
# How far outside its base's geometry a plate may stand: a village drawn as a point stands for houses spread around
# it; a residential area is drawn as its outline (or a point at its gate).
MAX_BASE_DISTANCE_M = {BaseKind.ROAD: MAX_ROAD_DISTANCE_M, BaseKind.VILLAGE: 1000.0, BaseKind.RESIDENTIAL: 300.0}
TRANSITIONS = {
    PlateStatus.PLANNED: {PlateStatus.INSTALLED, PlateStatus.RETIRED},
    PlateStatus.INSTALLED: {PlateStatus.DAMAGED, PlateStatus.RETIRED},
    PlateStatus.DAMAGED: {PlateStatus.INSTALLED, PlateStatus.RETIRED},
    PlateStatus.RETIRED: set(),
}
# Which parts each kind of plate names: a 户室牌 carries a room, a 单元牌 a building and unit ...
REQUIRED_PARTS = {PlateType.DOOR: (), PlateType.BUILDING: ("building",), PlateType.UNIT: ("building", "unit"),
                  PlateType.ROOM: ("room",)}
# What a message calls each part a plate may need.
PART_NAMES = {"building": pgettext_lazy("plate part", "building number"),
              "unit": pgettext_lazy("plate part", "unit number"), "room": pgettext_lazy("plate part", "room number")}


def missing_parts_message(plate_type: str, missing: list[str]) -> str:
    return _("A %(type)s needs %(parts)s") % {"type": PlateType(plate_type).label,
                                              "parts": _(", ").join(str(PART_NAMES[m]) for m in missing)}


def road_of(road_id, user=None) -> Road:
    """The road ``road_id``; with ``user``, only a road in the user's regions. A road the user may not see gets the
    same answer as one that does not exist, so an error reveals nothing of another county's registry."""
    road = _visible_one(all_roads().select_related("kind", "area"), road_id, user)
    if road is None:
        raise NotFound(_("No such road."), code="road_not_found", where={"road": str(road_id)[:64]})
    return road


def base_of(kind: str, base_id, user=None) -> Base:
    """The village or residential area (or road) ``base_id``; with ``user``, only one in the user's regions (one
    the user may not see gets the same answer as one that does not exist)."""
    if kind == BaseKind.ROAD:
        return road_of(base_id, user)
    if kind not in BASE_FIELDS:
        raise InputError(_("Unknown base: %(kind)s") % {"kind": kind}, code="invalid_input", where={"field": "base"})
    base = _visible_one(all_bases(kind).select_related("kind", "area"), base_id, user)
    if base is None:
        message = _("No such village.") if kind == BaseKind.VILLAGE else _("No such residential area.")
        raise NotFound(message, code=f"{kind}_not_found", where={BASE_FIELDS[kind]: str(base_id)[:64]})
    return base


def _visible_one(rows, pk, user):
    """The row ``pk`` of ``rows`` (with ``user``, only in the user's regions), or None; a malformed id finds none."""
    if user is not None:
        rows = scope(rows, user, "area")
    try:
        return rows.filter(pk=pk).first()
    except (ValueError, ValidationError):
        return None


def check_road_near(road: Road, point: Point, max_distance_m: float = MAX_ROAD_DISTANCE_M) -> None:
    """A plate is numbered on a road it stands by: at most ``max_distance_m`` from it (as the import checks)."""
    metres = road.geom.transform(METRIC_SRID, clone=True).distance(point.transform(METRIC_SRID, clone=True))
    if metres > max_distance_m:
        raise InputError(_("The plate is %(distance).0f m from %(road)s (more than %(limit).0f m): the road or the "
                           "position may be wrong.") % {"distance": metres, "road": road.name, "limit": max_distance_m},
                         code="road_too_far", where={"field": "road", "distance_m": round(metres, 1),
                                                     "max_distance_m": max_distance_m})


def check_base_near(kind: str, base: Base, point: Point) -> None:
    """A plate stands in or near its base: by its road, or at most MAX_BASE_DISTANCE_M outside its village's or
    residential area's outline (or from its point)."""
    limit = MAX_BASE_DISTANCE_M[kind]
    if kind == BaseKind.ROAD:
        return check_road_near(base, point, limit)
    metres = base.geom.transform(METRIC_SRID, clone=True).distance(point.transform(METRIC_SRID, clone=True))
    if metres > limit:
        raise InputError(_("The plate is %(distance).0f m from %(base)s (more than %(limit).0f m): the base or the "
                           "position may be wrong.") % {"distance": metres, "base": base.name, "limit": limit},
                         code="base_too_far", where={"field": BASE_FIELDS[kind], "distance_m": round(metres, 1),
                                                     "max_distance_m": limit})


def area_at(point: Point) -> AdminArea:
    """The finest admin area holding ``point``; a point outside every area is outside the service area."""
    area = AdminArea.objects.finest_containing(point)
    if area is None:
        raise OutsideServiceAreaError(_("The plate is outside the city's administrative areas."), where={"lon": point.x, "lat": point.y})
    return area


PART_LENGTH = 16  # the columns' length (Doorplate.building, unit, room)


def _check_parts(plate_type: str, parts: dict, kind: str = BaseKind.ROAD, numbered: bool = True) -> None:
    for name, value in parts.items():
        if len(value or "") > PART_LENGTH:
            raise InputError(_("%(part)s is longer than %(max)d characters.") % {
                "part": Doorplate._meta.get_field(name).verbose_name, "max": PART_LENGTH},
                code="too_long", where={"field": name})
    if plate_type not in REQUIRED_PARTS:
        raise InputError(_("Unknown plate type: %(type)s") % {"type": plate_type}, code="invalid_input", where={"field": "plate_type"})
    missing = [p for p in REQUIRED_PARTS[plate_type] if not parts.get(p)]
    if missing:
        raise InputError(missing_parts_message(plate_type, missing),
                         code="missing_plate_part", where={"fields": missing})
    if not numbered and (kind != BaseKind.RESIDENTIAL or not parts.get("building")):
        raise InputError(_("A house number is needed (only a residential area's building, unit or room plate may "
                           "go without one)."), code="missing_value", where={"field": "number"})


def _check_point(point) -> Point:
    if not isinstance(point, GEOSGeometry) or point.geom_type != "Point" or point.srid != 4490:
        raise InputError(_("A plate's position is a point in EPSG:4490."), code="invalid_geometry")
    return point


def _ensure_unique(plate: Doorplate, exclude=None) -> None:
    """One plate per number (and building, unit, room) in its base: on a road, in a village, in a residential area."""
    same = (Doorplate.objects.current().in_base(plate.kind_of_base, plate.base_id)
            .filter(villager_group=plate.villager_group, number=plate.number, sub_number=plate.sub_number,
                    annex=plate.annex, building=plate.building, unit=plate.unit, room=plate.room))
    if exclude is not None:
        same = same.exclude(pk=exclude)
    if same.exists():
        raise Conflict(_("%(base)s already has %(number)s (same building, unit and room).")
                       % {"base": plate.road_name or plate.base.name, "number": plate.number_label},
                       code="duplicate_doorplate")


def _number(value) -> HouseNumber | None:
    if value in (None, ""):
        return None
    return value if isinstance(value, HouseNumber) else HouseNumber.parse(str(value))


def _set_number(plate: Doorplate, number: HouseNumber | None) -> None:
    """The number typed; the infill's way of writing (88-1号, 88号之一) only where one is typed: a number without
    an infill keeps the plate's, or every renumbering would log a change of style nobody made."""
    if number is None:
        plate.number, plate.sub_number, plate.annex = None, 0, False
    else:
        plate.number, plate.sub_number, plate.annex = number.number, number.sub, number.annex
        if number.sub:
            plate.sub_style = number.style


def _given_base(road, village, residential_area) -> tuple[str, Base]:
    given = [(kind, base) for kind, base in ((BaseKind.ROAD, road), (BaseKind.VILLAGE, village),
                                             (BaseKind.RESIDENTIAL, residential_area)) if base is not None]
    if len(given) != 1:
        raise InputError(_("Give exactly one base: a road, a village or a residential area."), code="base_required",
                         where={"fields": ["road", "village", "residential_area"]})
    return given[0]


def _check_group(kind: str, group: int) -> None:
    if group and kind != BaseKind.VILLAGE:
        raise InputError(_("Only a village's plate has a villager group."), code="group_outside_a_village",
                         where={"field": "villager_group"})


def _kind_of(base: Base) -> str:
    kind = kind_of(base)
    if kind is None:
        raise InputError(_("%(name)s is not a road, a village or a residential area.") % {"name": base.name},
                         code="not_a_base", where={"field": "base"})
    return kind


@transaction.atomic
def create_plate(actor, *, road: Road | None = None, base: Base | None = None, number=None, point: Point,
                 plate_type: str = PlateType.DOOR, status: str = PlateStatus.PLANNED, **parts) -> Doorplate:
    """Registers a plate on a road, or in any ``base`` (a road, a village or a residential area); ``parts`` are its
    ``building``, ``unit`` and ``room`` and, for a village's plate, its ``villager_group`` (3, 3组, 三组). A number
    already there (in that group) is refused (the base's check lists those found otherwise)."""
    if (road is None) == (base is None):
        raise InputError(_("Give exactly one base: a road, a village or a residential area."), code="base_required",
                         where={"fields": ["road", "village", "residential_area"]})
    unknown = set(parts) - PLATE_PARTS
    if unknown:
        raise TypeError(f"create_plate() got unexpected arguments {sorted(unknown)}")
    base = road if road is not None else base
    kind = BaseKind.ROAD if road is not None else _kind_of(base)
    number = _number(number)
    group = parse_group(parts.pop("villager_group", 0))
    _check_group(kind, group)
    _check_point(point)
    parts = {name: parts.get(name) or "" for name in ("building", "unit", "room")}
    _check_parts(plate_type, parts, kind, number is not None)
    area = area_at(point)
    require_area(actor, area, roles=EDIT_ROLES)
    base = base_of(kind, base.pk, actor)
    check_base_near(kind, base, point)
    plate = Doorplate(**parts, plate_type=plate_type, geom=point, area=area, status=status,
                      installed_on=timezone.localdate() if status == PlateStatus.INSTALLED else None)
    plate.set_base(kind, base)
    plate.villager_group = group
    _set_number(plate, number)
    plate.refresh_text(base, area)
    _ensure_unique(plate)
    plate.save()
    record(plate, Action.CREATE, actor=actor)
    return plate


def visible_plate(user, uuid) -> Doorplate:
    """The plate with its base and area, if it is in the user's regions."""
    plate = scope(Doorplate.objects.with_base_and_area(), user, "area").filter(pk=uuid).first()
    if plate is None:
        raise NotFound(_("Doorplate not found."), code="not_found")
    return plate


PLATE_PARTS = {"building", "unit", "room", "villager_group"}
EDITABLE = {"number", "point", "road", "village", "residential_area", "villager_group", "plate_type", "building",
            "unit", "room", "installed_on"}
BASE_CHANGES = {"road", "village", "residential_area"}


@transaction.atomic
def update_plate(actor, plate: Doorplate, *, version: int | None = None, reason: str = "", **changes) -> Doorplate:
    """Edits a plate in the actor's region (before and after in the audit log); ``version`` guards lost updates."""
    unknown = set(changes) - EDITABLE
    if unknown:
        raise InputError(_("These fields cannot be changed: %(fields)s") % {"fields": _(", ").join(sorted(unknown))}, code="not_editable")
    plate = Doorplate.objects.select_for_update(of=("self",)).with_base_and_area().get(pk=plate.pk)
    require_area(actor, plate.area, roles=EDIT_ROLES)
    plate.check_version(version)
    before = snapshot(plate)
    if len(BASE_CHANGES & {name for name, value in changes.items() if value not in (None, "")}) > 1:
        _given_base(changes.get("road"), changes.get("village"), changes.get("residential_area"))
    _apply(plate, changes)
    if "point" in changes:
        plate.area = area_at(plate.geom)
        require_area(actor, plate.area, roles=EDIT_ROLES)
    kind = plate.kind_of_base
    if BASE_CHANGES & set(changes):
        group = plate.villager_group
        plate.set_base(kind, base_of(kind, plate.base_id, actor))
        plate.villager_group = group
    _check_group(kind, plate.villager_group)
    if (BASE_CHANGES | {"point"}) & set(changes):
        check_base_near(kind, plate.base, plate.geom)
    _check_parts(plate.plate_type, {"building": plate.building, "unit": plate.unit, "room": plate.room}, kind,
                 plate.number is not None)
    plate.refresh_text(plate.base, plate.area)
    if snapshot(plate) == before:
        return plate  # saved as it was: no new version, nothing in the audit log
    if ({"number", "villager_group", "building", "unit", "room"} | BASE_CHANGES) & set(changes):
        _ensure_unique(plate, exclude=plate.pk)
    plate.version += 1
    plate.save()
    record(plate, Action.UPDATE, actor=actor, before=before, reason=reason)
    return plate


def _apply(plate: Doorplate, changes: dict) -> None:
    for name, value in changes.items():
        if name == "number":
            _set_number(plate, _number(value))
        elif name == "villager_group":
            plate.villager_group = parse_group(value)
        elif name == "point":
            plate.geom = _check_point(value)
        elif name in BASE_CHANGES:
            if value in (None, ""):
                continue  # a base is replaced by giving another, never emptied
            kind = next(k for k, field in BASE_FIELDS.items() if field == name)
            plate.set_base(kind, value if isinstance(value, Base) else base_of(kind, value))
        else:
            setattr(plate, name, value or ("" if name != "installed_on" else None))


@transaction.atomic
def set_status(actor, plate: Doorplate, status: str, *, on: dt.date | None = None, reason: str = "",
               version: int | None = None) -> Doorplate:
    plate = Doorplate.objects.select_for_update().select_related("area").get(pk=plate.pk)
    require_area(actor, plate.area, roles=EDIT_ROLES)
    plate.check_version(version)
    if status not in TRANSITIONS.get(plate.status, set()):
        target = PlateStatus(status).label if status in PlateStatus.values else status
        raise IllegalTransition(_("A plate cannot go from “%(from)s” to “%(to)s”.")
                                % {"from": PlateStatus(plate.status).label, "to": target},
                                where={"from": plate.status, "to": status})
    before = snapshot(plate)
    plate.status = status
    if status == PlateStatus.INSTALLED:
        plate.installed_on = on or timezone.localdate()
    plate.version += 1
    plate.save(update_fields=["status", "installed_on", "version", "updated_at"])
    record(plate, Action.TRANSITION, actor=actor, before=before, reason=reason)
    return plate


@transaction.atomic
def revoke_token(actor, plate: Doorplate, *, reissue: bool = False, reason: str = "",
                 version: int | None = None) -> Doorplate:
    """Stops the plate's QR code from resolving (a stolen or misprinted plate); ``reissue`` gives a new one."""
    plate = Doorplate.objects.select_for_update().select_related("area").get(pk=plate.pk)
    require_area(actor, plate.area, roles=EDIT_ROLES)
    plate.check_version(version)
    before = snapshot(plate)
    plate.token = new_token() if reissue else None
    plate.version += 1
    plate.save(update_fields=["token", "version", "updated_at"])
    record(plate, Action.UPDATE, actor=actor, before=before, reason=reason or pgettext("audit reason", "QR code revoked"))
    return plate


# --- numbering along a road ----------------------------------------------------------------------------

def rules_for(road: Road) -> numbering.Rules:
    return numbering.Rules.of(RoadNumbering.for_road(road))


@transaction.atomic
def set_numbering(actor, road: Road, **settings) -> RoadNumbering:
    require_area(actor, road.area, roles=(Role.OFFICER,))
    stored = RoadNumbering.objects.filter(road=road).first()
    current = stored or RoadNumbering(road=road)
    before = snapshot(stored) if stored else None
    for name, value in settings.items():
        if name not in {"reversed", "odd_side", "spacing_m", "max_offset_m", "infill_style"}:
            raise InputError(_("Unknown numbering setting: %(name)s") % {"name": name}, code="invalid_input")
        setattr(current, name, value)
    if current.spacing_m <= 0 or current.max_offset_m <= 0:
        raise InputError(_("The spacing and the largest distance must be more than 0."), code="invalid_input")
    current.save()
    current.area = road.area  # for the audit row's region
    record(current, Action.UPDATE if before else Action.CREATE, actor=actor, before=before)
    return current


def _line(road: Road, rules: numbering.Rules, geom=None) -> numbering.RoadLine:
    return numbering.RoadLine.of(geom if geom is not None else road.geom, reverse=rules.reversed)


def positions(road: Road, line: numbering.RoadLine, plates) -> list[numbering.Position]:
    items = [(p, p.house_number, p.geom.x, p.geom.y, p.plate_type == PlateType.DOOR) for p in plates]
    return numbering.positions_of(line, items)


def _current_plates(road: Road):
    return list(Doorplate.objects.current().on_road(road).only(
        "uuid", "number", "sub_number", "sub_style", "annex", "building", "unit", "room", "plate_type", "geom",
        "status", "number_label", "address", "road_id", "area_id"))


def suggest_number(road: Road, point: Point) -> numbering.Suggestion:
    rules = rules_for(road)
    line = _line(road, rules)
    existing = positions(road, line, _current_plates(road))
    return numbering.suggest(line, rules, existing, point.x, point.y)


@dataclass
class RoadCheck:
    road: Road
    rules: numbering.Rules
    length_m: float
    positions: list[numbering.Position]
    findings: list[numbering.Finding]

    def counts(self) -> dict[str, int]:
        return {kind: sum(1 for f in self.findings if f.kind == kind) for kind in numbering.KINDS}

    def flagged(self) -> dict:
        """plate uuid -> the kinds of finding that concern it."""
        out: dict = {}
        for finding in self.findings:
            for plate in finding.keys:
                out.setdefault(plate.uuid, []).append(finding.kind)
        return out


def check_road(road: Road) -> RoadCheck:
    """Duplicates, numbers on the wrong side, numbers out of order and plates too far from the road."""
    rules = rules_for(road)
    line = _line(road, rules)
    plates = _current_plates(road)
    found = positions(road, line, plates)
    identities = {p: (p.number, p.sub_number, p.annex, p.building, p.unit, p.room) for p in plates}
    return RoadCheck(road, rules, line.length, found, numbering.check(rules, found, identities))


def renumber_preview(road: Road, geom=None) -> list[numbering.Renumbered]:
    """What a full renumbering would give every door plate (on ``geom`` when the road is re-routed). Writes nothing."""
    rules = rules_for(road)
    line = _line(road, rules, geom)
    doors = [p for p in positions(road, line, _current_plates(road)) if p.is_door]
    return numbering.renumber(rules, doors)



# --- numbering within a village or a residential area ------------------------------------------------------

@dataclass
class BaseCheck:
    kind: str
    base: Base
    members: list[base_numbering.Member]
    findings: list[numbering.Finding]

    def counts(self) -> dict[str, int]:
        kinds = base_numbering.VILLAGE_KINDS if self.kind == BaseKind.VILLAGE else base_numbering.RESIDENTIAL_KINDS
        return {kind: sum(1 for f in self.findings if f.kind == kind) for kind in kinds}


def _members(kind: str, base: Base) -> list[base_numbering.Member]:
    plates = list(Doorplate.objects.current().in_base(kind, base).only(
        "uuid", "villager_group", "number", "sub_number", "sub_style", "annex", "building", "unit", "room",
        "plate_type", "geom", "status", "number_label", "address", "village_id", "residential_area_id", "road_id",
        "area_id"))
    outline = shapely.from_wkb(bytes(base.geom.transform(METRIC_SRID, clone=True).wkb))
    distances = np.zeros(len(plates))
    if plates:
        x, y = transform_xy(np.array([p.geom.x for p in plates]), np.array([p.geom.y for p in plates]),
                            STORAGE_SRID, METRIC_SRID)
        distances = shapely.distance(outline, shapely.points(x, y))
    return [base_numbering.Member(p, p.house_number, p.building, p.unit, p.room, p.plate_type, float(d),
                                  p.villager_group)
            for p, d in zip(plates, distances, strict=True)]


def check_base(kind: str, base: Base) -> BaseCheck | RoadCheck:
    """The numbering check of any base: a road's (check_road), a village's or a residential area's."""
    if kind == BaseKind.ROAD:
        return check_road(base)
    members = _members(kind, base)
    check = base_numbering.check_village if kind == BaseKind.VILLAGE else base_numbering.check_residential
    return BaseCheck(kind, base, members, check(members, MAX_BASE_DISTANCE_M[kind]))


def suggest_in_village(village: Base, group=0) -> base_numbering.Suggestion:
    return base_numbering.suggest_in_village(_members(BaseKind.VILLAGE, village), parse_group(group))
