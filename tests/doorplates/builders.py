"""Builders for doorplate tests: roads in the demo Wenzhou and plates placed by chainage and side."""

from __future__ import annotations

import math

from django.contrib.gis.geos import LineString, Point

from boundaries.models import AdminArea
from doorplates.addresses import HouseNumber
from doorplates.models import Doorplate, PlateStatus, PlateType, RoadNumbering
from doorplates.numbering import RoadLine
from doorplates.services import area_at
from gis.crs import METRIC_SRID, STORAGE_SRID, transform_xy
from placenames.models import Place, PlaceKind
from placenames.pinyin import initials_key, pinyin_key, romanize

# A straight east-west road through the demo 鹿城区 (about 1.96 km) and a half circle north of a centre in it.
LUCHENG_STRAIGHT = [(120.645, 28.015), (120.665, 28.015)]
ARC_CENTRE, ARC_RADIUS = (120.655, 28.005), 0.008
TAISHUN_STRAIGHT = [(119.84, 27.50), (119.86, 27.50)]


def arc_coords(steps: int = 24) -> list[tuple[float, float]]:
    """From the west end over the north to the east end (clockwise): the left side is outside the curve."""
    cx, cy = ARC_CENTRE
    return [(cx + ARC_RADIUS * math.cos(math.pi - math.pi * k / steps),
             cy + ARC_RADIUS * math.sin(math.pi - math.pi * k / steps)) for k in range(steps + 1)]


def make_road(name: str = "解放街", coords=None, county: str = "330302", kind: str = "street") -> Place:
    line = LineString(coords or LUCHENG_STRAIGHT, srid=STORAGE_SRID)
    kind_obj, _ = PlaceKind.objects.get_or_create(code=kind, defaults={"name": kind, "geometry_kinds": "line"})
    return Place.objects.create(kind=kind_obj, geom=line, area=AdminArea.objects.get(code=county), name=name,
                                pinyin=romanize(name), pinyin_key=pinyin_key(name), initials=initials_key(name))


def numbering(road: Place, **settings) -> RoadNumbering:
    rules, _ = RoadNumbering.objects.update_or_create(road=road, defaults=settings)
    return rules


def lonlat_at(road: Place, chainage_m: float, left_m: float) -> tuple[float, float]:
    """The point ``left_m`` metres left of the road (negative: right) at ``chainage_m`` along its drawn direction."""
    x, y = RoadLine.of(road.geom).point_at(chainage_m, left_m)
    return transform_xy(x, y, METRIC_SRID, STORAGE_SRID)


def point_at(road: Place, chainage_m: float, left_m: float) -> Point:
    return Point(*lonlat_at(road, chainage_m, left_m), srid=STORAGE_SRID)


def make_plate(road: Place, number, chainage_m: float = 0.0, left_m: float = 10.0, *, point: Point | None = None,
               plate_type: str = PlateType.DOOR, building: str = "", unit: str = "", room: str = "",
               status: str = PlateStatus.INSTALLED) -> Doorplate:
    """A plate written straight to the registry (no permission check, no audit): the state a test starts from."""
    number = number if isinstance(number, HouseNumber) else HouseNumber.parse(str(number))
    point = point or point_at(road, chainage_m, left_m)
    plate = Doorplate(road=road, number=number.number, sub_number=number.sub, sub_style=number.style,
                      annex=number.annex, building=building, unit=unit, room=room, plate_type=plate_type,
                      geom=point, area=area_at(point), status=status)
    plate.refresh_text(road, plate.area)
    plate.save()
    return plate


def make_base(name: str, centre=(120.655, 28.010), *, kind: str = "village", radius: float = 0.002,
              county: str = "330302", generic: str = "") -> Place:
    """A village, natural village (kind village, generic 自然村) or residential area drawn as a small square."""
    from django.contrib.gis.geos import Polygon

    from placenames.models import PlaceName

    x, y = centre
    square = Polygon(((x - radius, y - radius), (x + radius, y - radius), (x + radius, y + radius),
                      (x - radius, y + radius), (x - radius, y - radius)), srid=STORAGE_SRID)
    kind_obj, _ = PlaceKind.objects.get_or_create(code=kind, defaults={"name": kind, "geometry_kinds": "polygon"})
    place = Place.objects.create(kind=kind_obj, geom=square, area=AdminArea.objects.get(code=county), name=name,
                                 pinyin=romanize(name), pinyin_key=pinyin_key(name), initials=initials_key(name))
    PlaceName.objects.create(place=place, specific=name, generic=generic, full_name=name, pinyin=place.pinyin,
                             valid_from="2015-01-01")
    return place


def make_base_plate(base: Place, number=None, *, building: str = "", unit: str = "", room: str = "",
                    plate_type: str = PlateType.DOOR, offset=(0.0, 0.0),
                    status: str = PlateStatus.INSTALLED) -> Doorplate:
    """A plate in a village or residential area, written straight to the registry."""
    from placenames.bases import kind_of

    centroid = base.geom.centroid
    point = Point(centroid.x + offset[0], centroid.y + offset[1], srid=STORAGE_SRID)
    plate = Doorplate(building=building, unit=unit, room=room, plate_type=plate_type, geom=point,
                      area=area_at(point), status=status)
    plate.set_base(kind_of(base), base)
    if number is not None:
        parsed = number if isinstance(number, HouseNumber) else HouseNumber.parse(str(number))
        plate.number, plate.sub_number, plate.sub_style, plate.annex = (parsed.number, parsed.sub, parsed.style,
                                                                        parsed.annex)
    plate.refresh_text(base, plate.area)
    plate.save()
    return plate
