"""A small hand-made geography for graves, corridors and zones, placed in EPSG:4549 metres and stored in 4490.

    鹿城区 330302                                   瑞安市 330381
      藤桥镇 330302101  box (-2,000..6,000, -2,000..4,000)     塘下镇 330381101  box (18,000..24,000, -2,000..4,000)
        上岙村 330302101201  box (-2,000..2,000, ...)           南塘村 330381101201 (the whole township)
        下垟村 330302101202  box (2,000..6,000, ...)

An expressway runs along y = 0 from x = -2,000 to 24,000 (band 200 m), a national road along x = 4,000 (band 100 m).
"""

from __future__ import annotations

from django.contrib.gis.geos import LineString, MultiLineString, MultiPolygon, Point, Polygon
from pyproj import Transformer

from boundaries.models import AdminArea
from tests.base import image_bytes

ORIGIN = (560_000.0, 3_100_000.0)  # EPSG:4549, inside the demo 鹿城区
_TO_4490 = Transformer.from_crs(4549, 4490, always_xy=True)

LUCHENG, RUIAN = "330302", "330381"
TENGQIAO, TANGXIA = "330302101", "330381101"
SHANGAO, XIAYANG, NANTANG = "330302101201", "330302101202", "330381101201"


def lonlat(x: float, y: float) -> tuple[float, float]:
    return _TO_4490.transform(ORIGIN[0] + x, ORIGIN[1] + y)


def at(x: float, y: float) -> Point:
    return Point(*lonlat(x, y), srid=4490)


def box(x0: float, y0: float, x1: float, y1: float) -> MultiPolygon:
    return MultiPolygon(polygon(x0, y0, x1, y1), srid=4490)


def polygon(x0: float, y0: float, x1: float, y1: float) -> Polygon:
    corners = [lonlat(x0, y0), lonlat(x1, y0), lonlat(x1, y1), lonlat(x0, y1), lonlat(x0, y0)]
    return Polygon(corners, srid=4490)


def line(*xys: tuple[float, float]) -> MultiLineString:
    return MultiLineString(LineString([lonlat(x, y) for x, y in xys]), srid=4490)


def known_geography() -> dict[str, AdminArea]:
    areas: dict[str, AdminArea] = {}

    def save(code, name, level, parent, geom):
        areas[code] = AdminArea.objects.create(code=code, name=name, level=level, parent=areas.get(parent),
                                               geom=geom, source="test")

    save("330000", "浙江省", "province", None, None)
    save("330300", "温州市", "city", "330000", box(-5000, -5000, 27000, 7000))
    save(LUCHENG, "鹿城区", "county", "330300", box(-3000, -3000, 8000, 5000))
    save(RUIAN, "瑞安市", "county", "330300", box(17000, -3000, 25000, 5000))
    save(TENGQIAO, "藤桥镇", "township", LUCHENG, box(-2000, -2000, 6000, 4000))
    save(TANGXIA, "塘下镇", "township", RUIAN, box(18000, -2000, 24000, 4000))
    save(SHANGAO, "上岙村", "village", TENGQIAO, box(-2000, -2000, 2000, 4000))
    save(XIAYANG, "下垟村", "village", TENGQIAO, box(2000, -2000, 6000, 4000))
    save(NANTANG, "南塘村", "village", TANGXIA, box(18000, -2000, 24000, 4000))
    return areas


def known_corridors():
    """An expressway along y = 0 (200 m band) and a national road along x = 4,000 (100 m band)."""
    from cemeteries.models import Corridor, CorridorKind

    expressway = Corridor.objects.create(name="甬台温高速", kind=CorridorKind.EXPRESSWAY, road_class="G15",
                                         geom=line((-2000, 0), (24000, 0)))
    national = Corridor.objects.create(name="104国道", kind=CorridorKind.NATIONAL, road_class="G104",
                                       geom=line((4000, -2000), (4000, 4000)))
    return expressway, national


def grave_at(x: float, y: float, actor, **fields):
    from cemeteries import services

    return services.register_grave(actor, geom=at(x, y), **fields)


PNG = image_bytes("PNG", size=(1, 1))  # a real one: a photo's container is walked to its end (core.images)


def png(name: str = "photo.png"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, PNG, content_type="image/png")


def crew_member(username: str, *area_codes: str):
    from accounts.roles import Role
    from tests.base import make_user

    return make_user(username, Role.FIELD_CREW, *area_codes)


def lucheng_officer_and_two_crews():
    """The known geography, 鹿城's officer and two of its crews (crew_a, crew_b): who may act on a grave and who
    only reads it."""
    from tests.base import lucheng_officer

    known_geography()
    return lucheng_officer(), crew_member("crew_a", LUCHENG), crew_member("crew_b", LUCHENG)
