import pytest

from boundaries.models import AdminArea
from tests.base import LUCHENG_POINT, RUIAN_POINT, point

pytestmark = pytest.mark.django_db


def test_containing_finds_every_level_down_to_the_village(wenzhou):
    levels = list(AdminArea.objects.containing(point(*LUCHENG_POINT)).values_list("level", flat=True))
    assert levels == ["city", "county", "township", "village"]


def test_finest_containing_is_the_village(wenzhou):
    village = AdminArea.objects.finest_containing(point(*RUIAN_POINT))
    assert village.level == "village"
    assert village.code.startswith("330381")
    assert village.ancestor_at("county").name == "瑞安市"


def test_containing_accepts_a_point_in_another_srid(wenzhou):
    from django.contrib.gis.geos import Point

    p = Point(*LUCHENG_POINT, srid=4490).transform(3857, clone=True)
    assert AdminArea.objects.containing(p).filter(level="county").get().code == "330302"


def test_children_of_and_within_follow_the_hierarchy(wenzhou):
    lucheng = AdminArea.objects.get(code="330302")
    children = AdminArea.objects.children_of(lucheng)
    assert children.count() == 4
    assert all(c.level == "township" for c in children)
    within = AdminArea.objects.within(lucheng)
    assert within.filter(level="village").count() > 0
    assert not within.exclude(code12__startswith="330302").exists()
    assert AdminArea.objects.descendants_of(lucheng).filter(pk=lucheng.pk).count() == 0


def test_full_name_reads_like_an_address(wenzhou):
    township = AdminArea.objects.get(code="330302006")
    assert township.full_name() == "浙江省温州市鹿城区五马街道"
