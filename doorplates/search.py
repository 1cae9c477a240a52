"""Finding addresses: autocomplete (trigram index), forward geocoding (parser + registry), reverse geocoding (KNN).

Plates of every base are found alike: on a road, in a village, in a residential area. Autocomplete is one query on
``Doorplate.search_text`` ("解放街88号 jiefangjie88 jfj88", "翠微小区3幢2单元501室 cuiweixiaoqu3-2-501") through its GIN
trigram index; admin names typed first (鹿城区, 五马街道) become an area filter instead of text to match.
Reverse geocoding walks the GiST index on the stored EPSG:3857 point in distance order (``<->``, KNN) and
measures the few plates it returns on the spheroid.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.geos import Point
from django.db.models import F, Q, Value
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.scoping import scope
from boundaries.models import AdminArea
from doorplates.addresses import NUMBER_SUFFIX, ParsedAddress, gazetteer, normalise, parse_address
from doorplates.models import BASE_FIELDS, Doorplate
from gis.db.functions import KnnDistance
from placenames import bases as base_places
from placenames.bases import BaseKind
from placenames.roads import roads_in_use

MIN_TRIGRAM_CHARS = 3
MAX_ROADS = 300  # roads a name fragment may stand for in autocomplete
MAX_RESULTS = 50


def _plates(user):
    return scope(Doorplate.objects.current(), user, "area")


def _row(plate: Doorplate, **extra) -> dict:
    return {"kind": "plate", "uuid": str(plate.uuid), "address": plate.address, "road": plate.road_name,
            "base": plate.road_name, "base_kind": plate.base_kind, "number": plate.number_label,
            "status": plate.status, "lon": round(plate.geom.x, 7), "lat": round(plate.geom.y, 7), **extra}


def query_text(q: str) -> tuple[str, str | None]:
    """The text to match and the code12 prefix of an admin area typed at its start (鹿城区解放街 → 解放街, 330302)."""
    text = normalise(q)
    if not text:
        return "", None
    if text.isascii():
        return re.sub(r"[\s'’]", "", text).lower(), None
    parsed = parse_address(text)
    prefix = _area_prefix(parsed)
    if parsed.base and (parsed.number or parsed.building):
        below = parsed.below_admin
        if NUMBER_SUFFIX not in text and below.endswith(NUMBER_SUFFIX) and not (parsed.building or parsed.unit or parsed.room):
            below = below[:-1]  # 解放街88 should also find 解放街88-1号
        return below + parsed.rest, prefix
    return parsed.rest, prefix


def _area_prefix(parsed: ParsedAddress) -> str | None:
    code = parsed.finest_area_code
    if not code:
        return None
    area = gazetteer().by_code.get(code)
    if area is None or area.level in ("province", "city"):
        return None  # the whole installation: no filter
    return area.code12[: {"county": 6, "township": 9}[area.level]]


def autocomplete(q: str, user, limit: int = 10) -> list[dict]:
    """Plates whose standard address or pinyin contains the typed text; roads for texts too short to index."""
    text, prefix = query_text(q)
    limit = max(1, min(limit, MAX_RESULTS))
    if not text:
        return []
    if len(text) < MIN_TRIGRAM_CHARS:
        return _base_suggestions(text, prefix, user, limit)
    plates = _matching(text, _plates(user))
    if prefix:
        plates = plates.filter(area__code12__startswith=prefix)
    plates = plates.only("uuid", "address", "road_name", "number_label", "status", "geom", "base_kind")
    return [_row(p) for p in plates.order_by("road_name", "number", "sub_number", "building", "unit", "room")[:limit]]


_NAME_THEN_NUMBER = re.compile(r"^(?P<name>.*?\D)(?P<number>[1-9]\d{0,4})$")


def _matching(text: str, plates):
    """Plates whose search text contains ``text``; a part of a road's or village's name followed by digits
    (下吕浦1, xialvpu1, 苍坡1) also finds the numbers starting with those digits in the roads and villages whose
    name or pinyin contains that part."""
    split = _NAME_THEN_NUMBER.match(text)
    if split is None or len(split["name"]) < MIN_TRIGRAM_CHARS:
        return plates.filter(search_text__contains=text)
    name, digits = split["name"], split["number"]
    found = base_places.containing(name, MAX_ROADS)
    query = Q(search_text__contains=text)
    for kind in (BaseKind.ROAD, BaseKind.VILLAGE):
        if found[kind]:
            # The ids as a list, not a subquery: the planner then walks the (base, number) index for each range.
            query |= _starting_with(digits, BASE_FIELDS[kind], found[kind])
    return plates.filter(query)


def _starting_with(digits: str, field: str, bases: list) -> Q:
    """Plates of ``bases`` (roads or villages: ``field``) whose number's decimal form starts with ``digits`` (1: 1,
    10-19, 100-199 ...), as ranges the (base, number) index can walk."""
    value = int(digits)
    within = {f"{field}__in": bases}
    query = Q(**within, number=value)
    for places in range(1, 6 - len(digits)):
        low = value * 10 ** places
        query |= Q(**within, number__gte=low, number__lt=low + 10 ** places)
    return query


def _base_suggestions(text: str, prefix: str | None, user, limit: int) -> list[dict]:
    """Roads, villages and residential areas whose name (or toneless pinyin) starts with a text too short for the
    trigram index, walked in name order on the name's (or pinyin key's) pattern index."""
    out = []
    for base in bases_starting(text, prefix, user)[:limit]:
        kind = base_places.kind_of(base).value
        address = _("%(base)s (%(area)s)") % {"base": base.name, "area": base.area.name}
        out.append({"kind": kind, "base_kind": kind, "uuid": str(base.uuid), "address": address,
                    "road": base.name, "base": base.name, "number": "", "status": base.status, "lon": None,
                    "lat": None, "url": BASE_PAGES[kind](base.uuid)})
    return out


def bases_starting(text: str, prefix: str | None, user):
    bases = scope(base_places.every_base_in_use(), user, "area")
    bases = bases.filter(name__startswith=text) if not text.isascii() else bases.filter(pinyin_key__startswith=text)
    if prefix:
        bases = bases.filter(area__code12__startswith=prefix)
    return (bases.select_related("area", "kind").only("uuid", "name", "status", "area__name", "kind__code")
            .order_by("name"))


def _page(name: str):
    return lambda pk: reverse(name, args=[pk])


BASE_PAGES = {BaseKind.ROAD: _page("doorplates:road"), BaseKind.VILLAGE: _page("doorplates:village"),
              BaseKind.RESIDENTIAL: _page("doorplates:residential_area")}


@dataclass
class Geocoded:
    """A free-text address resolved against the registry, component by component."""

    text: str
    parsed: ParsedAddress
    checks: dict[str, str] = field(default_factory=dict)  # component -> ok, unknown, not_found, missing
    precision: str = "none"  # plate, road, base (a village or residential area), area, none
    plates: list = field(default_factory=list)
    roads: list = field(default_factory=list)  # the roads, villages or residential areas of that name

    def as_dict(self) -> dict:
        p = self.parsed
        first = self.plates[0] if self.plates else None
        return {
            "query": self.text, "standard": p.standard, "precision": self.precision, "checks": self.checks,
            "components": {"province": p.province, "city": p.city, "county": p.county, "township": p.township,
                           "road": p.road, "base": p.base, "base_kind": p.base_kind, "villager_group": p.group,
                           "number": p.number.label if p.number else "", "building": p.building,
                           "unit": p.unit, "room": p.room, "unrecognised": p.rest},
            "lon": round(first.geom.x, 7) if first else None, "lat": round(first.geom.y, 7) if first else None,
            "matches": [_row(plate) for plate in self.plates],
            "roads": [{"uuid": str(r.uuid), "name": r.name, "area": r.area.name} for r in self.roads
                      if p.base_kind == BaseKind.ROAD],
            "bases": [{"uuid": str(r.uuid), "name": r.name, "kind": p.base_kind, "area": r.area.name}
                      for r in self.roads],
        }


def geocode(text: str, user) -> Geocoded:
    """Forward geocoding: the plates a free-text address names, with every component checked."""
    parsed = parse_address(text)
    result = Geocoded(text, parsed)
    for level in ("province", "city", "county", "township"):
        result.checks[level] = "ok" if getattr(parsed, level) else "missing"
    if parsed.rest:
        result.checks["unrecognised"] = parsed.rest
    # A base's area is the finest one covering all of it (often the county for a road): match bases by county,
    # plates by township.
    county = parsed.area_codes.get("county")
    bases = _bases_named(parsed, user, county[:6] if county else None) if parsed.base else []
    result.roads = bases
    found = "missing" if not parsed.base else ("ok" if bases else "not_found")
    result.checks["base"] = found
    result.checks["road"] = found if parsed.base_kind == BaseKind.ROAD else "missing"
    if not parsed.number and not parsed.building:
        result.checks["number"] = "missing"
    elif bases:
        result.plates = _plates_numbered(parsed, bases, user)
        result.checks["number"] = "ok" if result.plates else "not_found"
        _check_township(result)
    result.precision = "plate" if result.plates else \
        ("road" if parsed.base_kind == BaseKind.ROAD else "base") if bases else \
        "area" if parsed.finest_area_code else "none"
    return result


def _plates_numbered(parsed: ParsedAddress, bases: list, user) -> list[Doorplate]:
    key = parsed.number.key if parsed.number else (None, 0, False)
    number = {"number": key[0]} if key[0] is not None else {"number__isnull": True}
    numbered = (_plates(user).filter(**{f"{BASE_FIELDS[parsed.base_kind]}__in": bases}, **number,
                                     sub_number=key[1], annex=key[2])
                .select_related("area")
                .only("uuid", "address", "road_name", "number_label", "status", "geom", "area__code12", "base_kind"))
    if parsed.base_kind == BaseKind.VILLAGE:
        numbered = _in_group(numbered, parsed.group)
    plates = list(numbered.filter(building=parsed.building, unit=parsed.unit, room=parsed.room))
    if not plates and parsed.number and (parsed.building or parsed.unit or parsed.room):
        plates = list(numbered.filter(building="", unit="", room=""))  # the building's door plate
    if not plates and not parsed.number and parsed.room:
        plates = list(numbered.filter(building=parsed.building, unit=parsed.unit, room=""))  # the unit's plate
    return plates


def _in_group(plates, group: int):
    """A village's plates of the villager group the address names; an address without a group finds the plate
    without one, else that number in every group (苍坡村12号 where the village numbers by group: 3组12号, 4组12号)."""
    if group or plates.filter(villager_group=0).exists():
        return plates.filter(villager_group=group)
    return plates


def _check_township(result: Geocoded) -> None:
    township = result.parsed.area_codes.get("township") if result.parsed.township else None
    if not township or not result.plates:
        return
    inside = [p for p in result.plates if p.area.code12.startswith(township)]
    if inside:
        result.plates = inside
    else:
        result.checks["township"] = "mismatch"


def _bases_named(parsed: ParsedAddress, user, prefix: str | None) -> list:
    """The roads, villages or residential areas in use called as the address says, in the user's regions."""
    found = roads_in_use() if parsed.base_kind == BaseKind.ROAD else base_places.bases_in_use(parsed.base_kind)
    found = scope(found.named(parsed.base), user, "area").select_related("area")
    if prefix:
        found = found.filter(area__code12__startswith=prefix)
    return list(found[:20])


def nearest(lon: float, lat: float, user, k: int = 5) -> list[dict]:
    """Reverse geocoding: the ``k`` plates nearest to (lon, lat), nearest first, with distances in metres."""
    point = Point(lon, lat, srid=4490)
    k = max(1, min(k, MAX_RESULTS))
    # Only the k rows the index walk yields are measured on the spheroid (the projection runs after LIMIT).
    plates = (_plates(user)
              .annotate(knn=KnnDistance(F("geom_3857"), Transform(Value(point), 3857)),
                        distance=Distance("geom", point))
              .order_by("knn")
              .only("uuid", "address", "road_name", "number_label", "status", "geom", "base_kind")[:k])
    rows = sorted(plates, key=lambda p: p.distance.m)
    return [_row(p, distance_m=round(p.distance.m, 1)) for p in rows]


def area_of(lon: float, lat: float) -> AdminArea | None:
    return AdminArea.objects.finest_containing(Point(lon, lat, srid=4490))
