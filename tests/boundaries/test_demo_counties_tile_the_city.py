import pytest
from django.db import connection

from boundaries.models import AdminArea

pytestmark = pytest.mark.django_db


def _scalar(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()[0]


def test_the_demo_has_the_twelve_real_county_codes(wenzhou):
    codes = set(AdminArea.objects.at_level("county").values_list("code", flat=True))
    assert codes == {"330302", "330303", "330304", "330305", "330324", "330326", "330327", "330328", "330329",
                     "330381", "330382", "330383"}
    assert AdminArea.objects.get(code="330383").name == "龙港市"


def test_no_two_county_polygons_overlap(wenzhou):
    # SELECT count(*) FROM a JOIN b ON ST_Relate(a.geom, b.geom, '2********'): interiors meet in an area
    overlaps = _scalar("""
        SELECT count(*) FROM boundaries_adminarea a JOIN boundaries_adminarea b
          ON a.id < b.id AND a.geom && b.geom AND ST_Relate(a.geom, b.geom, '2********')
        WHERE a.level = 'county' AND b.level = 'county'""")
    overlap_area = _scalar("""
        SELECT coalesce(sum(ST_Area(ST_Intersection(a.geom, b.geom))), 0) FROM boundaries_adminarea a
          JOIN boundaries_adminarea b ON a.id < b.id AND a.geom && b.geom
        WHERE a.level = 'county' AND b.level = 'county'""")
    assert overlaps == 0
    assert overlap_area == 0


def test_the_counties_cover_the_city_with_no_gap(wenzhou):
    gap = _scalar("""
        SELECT ST_Area(ST_SymDifference(ST_Union(c.geom), (SELECT geom FROM boundaries_adminarea WHERE code = '330300')))
        FROM boundaries_adminarea c WHERE c.level = 'county'""")
    assert gap < 1e-12  # square degrees: below a square millimetre
    assert _scalar("SELECT bool_and(ST_IsValid(geom)) FROM boundaries_adminarea WHERE geom IS NOT NULL")


def test_townships_and_villages_tile_their_parents(wenzhou):
    worst = _scalar("""
        SELECT max(ST_Area(ST_SymDifference(p.geom, kids.u))) FROM boundaries_adminarea p
        JOIN (SELECT parent_id, ST_Union(geom) AS u FROM boundaries_adminarea WHERE level IN ('township', 'village')
              GROUP BY parent_id) kids ON kids.parent_id = p.id""")
    assert worst < 1e-12


def test_every_village_has_elderly_population_and_a_service_point_inside_it(wenzhou):
    villages = AdminArea.objects.at_level("village")
    assert villages.count() > 100
    assert not villages.filter(elderly_population=None).exists()
    outside = _scalar("""SELECT count(*) FROM boundaries_adminarea
                         WHERE level = 'village' AND NOT ST_Contains(geom, service_point)""")
    assert outside == 0


def test_the_stored_web_mercator_column_follows_the_geometry(wenzhou):
    area = AdminArea.objects.get(code="330302")
    assert area.geom_3857.srid == 3857
    assert abs(area.geom_3857.area - _scalar(
        "SELECT ST_Area(ST_Transform(geom, 3857)) FROM boundaries_adminarea WHERE code = '330302'")) < 1
