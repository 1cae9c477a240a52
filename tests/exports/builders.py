"""Builders for export tests: standard names in two counties, platform consumers, and reading exports back."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

from django.contrib.gis.geos import LineString, Point

from boundaries.models import AdminArea
from exports.models import Consumer
from placenames.models import ROAD_KINDS, Place, PlaceKind, PlaceName, PlaceStatus
from tests.base import LUCHENG_POINT, RUIAN_POINT

SEATS = {"330302": LUCHENG_POINT, "330381": RUIAN_POINT}


def road_line(county: str = "330302", shift: int = 0) -> LineString:
    lon, lat = SEATS[county]
    dy = 0.0007 * shift
    return LineString((lon - 0.004, lat + dy), (lon + 0.001, lat + dy + 0.0004), (lon + 0.005, lat + dy),
                      srid=4490)


def spot(county: str = "330302", shift: int = 0) -> Point:
    lon, lat = SEATS[county]
    return Point(lon + 0.0011 * shift, lat - 0.0013 * shift, srid=4490)


KIND_GEOMETRY = {"road": "line", "street": "line", "bridge": "line,point", "building": "polygon,point",
                 "residential": "polygon,point", "village": "polygon,point"}


def place_kind(code: str) -> PlaceKind:
    """The kind row; re-created when a transactional test's flush removed the migration's rows."""
    kind, _created = PlaceKind.objects.get_or_create(
        code=code, defaults={"name": code, "geometry_kinds": KIND_GEOMETRY.get(code, "point")})
    return kind


def place(name: str, *, county: str = "330302", kind: str = "road", geom=None, status=PlaceStatus.IN_USE,
          description: str = "", shift: int = 0, approved_on: dt.date = dt.date(2015, 3, 1)) -> Place:
    kind_row = place_kind(kind)
    if geom is None:
        geom = road_line(county, shift) if kind in ROAD_KINDS else spot(county, shift)
    created = Place.objects.create(kind=kind_row, geom=geom, area=AdminArea.objects.get(code=county),
                                   status=status, name=name, pinyin=f"{name} pinyin",
                                   location_description=description)
    PlaceName.objects.create(place=created, specific=name[:-1], generic=name[-1], full_name=name,
                             pinyin=created.pinyin, valid_from=approved_on, approval_reference="温政地〔2015〕1号")
    return created


def consumer(user, *, layers=("roads", "places"), areas=(), per_minute: int = 60, name="高德地图") -> Consumer:
    created = Consumer.objects.create(user=user, name=name, layers=list(layers), requests_per_minute=per_minute)
    created.areas.set(AdminArea.objects.filter(code__in=areas))
    return created


def read_csv(path: Path, encoding: str = "utf-8") -> list[dict[str, str]]:
    with Path(path).open(encoding=encoding, newline="") as handle:
        return list(csv.DictReader(handle))


def canteen(name: str, *, county: str = "330302", shift: int = 0, status: str = "open", **extra):
    from canteens.models import Canteen

    return Canteen.objects.create(name=name, geom=spot(county, shift), area=AdminArea.objects.get(code=county),
                                  status=status, **extra)


def feed_records(blocks) -> list[dict]:
    """The records of a whole feed read, checked against its end record (which only a complete read has)."""
    import json

    *records, end = [json.loads(line) for block in blocks for line in block.splitlines()]
    assert end["op"] == "end" and end["count"] == len(records), end
    return records


def ndjson(response) -> list[dict]:
    return feed_records([b"".join(response.streaming_content).decode()])


def doorplate(road: Place, number: int, *, shift: int = 0, status: str = "installed", **extra):
    from doorplates.models import Doorplate

    x, y = road.geom.coords[0]
    plate = Doorplate(road=road, number=number, geom=Point(x + 0.0003 * shift, y - 0.0002, srid=4490),
                      area=road.area, status=status, **extra)
    plate.refresh_text(road, road.area)
    plate.save()
    return plate
