"""Place-name categories carry the GB/T 18521 codes the public sources give (placenames/SOURCES.md): the recoding keeps
each record under its category (the street category's records join 2351 道路街巷), a load takes the national
database's five-digit codes (padded or finer) and the codes and names the recoding replaced, and a 街, 巷 or 大道 filed under 2351 keeps its street, lane or avenue kind."""

import importlib

import pytest
from django.apps import apps

from placenames.bulk import import_places
from placenames.models import CensusRecord, Place, PlaceCategory
from tests.base import LUCHENG_POINT
from tests.placenames.builders import ensure_seed_data, place
from tests.registry.builders import ensure_categories, row, write_csv

pytestmark = pytest.mark.django_db
LON, LAT = LUCHENG_POINT
SEEDED = {"115": "海洋岛屿", "121": "河流", "122": "湖泊", "134": "山地", "2161": "行政村", "2162": "社区",
          "221": "城镇居民点", "222": "农村居民点", "2351": "道路街巷", "2361": "桥梁", "2423": "水库", "26": "建筑物"}


def test_the_recoding_keeps_each_record_under_its_category(wenzhou_counties):
    ensure_seed_data()
    PlaceCategory.objects.all().delete()
    importlib.import_module("placenames.migrations.0008_place_categories").seed(apps, None)
    old = {c.code: c.pk for c in PlaceCategory.objects.all()}
    village = CensusRecord.objects.create(place=place("王家村", kind="village"), category_id=old["2420"])
    street = CensusRecord.objects.create(place=place("五马街"), category_id=old["2532"])
    importlib.import_module("placenames.migrations.0009_gbt18521_category_codes").recode(apps, None)
    assert dict(PlaceCategory.objects.values_list("code", "name")) == SEEDED
    village.refresh_from_db()
    street.refresh_from_db()
    assert (village.category_id, village.category.code) == (old["2420"], "2161")
    assert (street.category.code, street.category_id) == ("2351", old["2531"])
    assert street.place.kind.code == "street"


def test_a_load_takes_national_codes_and_keeps_the_street_kinds(wenzhou_counties, tmp_path):
    ensure_categories()
    rows = [row("五马街"), row("信河巷", dy=0.002), row("温州大道", dy=0.004), row("解放路", dy=0.006),
            row("下岙", category="22200", dx=0.01), row("朝阳社区", category="21620", dx=0.02),
            row("东门桥", category="23610", dx=0.03), row("西山", category="13400", dx=0.04),
            row("人民路", category="23512", 几何=f"LINESTRING({LON} {LAT + 0.008}, {LON + 0.004} {LAT + 0.009})"), row("无此类", category="99999", dx=0.05),
            # A file made before migration 0009: its old codes stand for the codes their categories took.
            row("岩头", category="2421", dx=0.06), row("无此码", category="2422", dx=0.07),
            row("百里坊", category="2533", 几何=f"LINESTRING({LON} {LAT + 0.01}, {LON + 0.003} {LAT + 0.011})"),
            # ... or their old names.
            row("后垟", category="自然村", dx=0.08), row("松台巷", category="城镇巷弄", 几何=f"LINESTRING({LON} {LAT + 0.012}, {LON + 0.002} {LAT + 0.013})"),
            row("旧名无此", category="城镇小巷", dx=0.09)]
    report = import_places(write_csv(tmp_path / "names.csv", rows), commit="valid")
    assert [(p.row, p.value) for p in report.problems] == [(11, "99999"), (13, "2422"), (17, "城镇小巷")]
    kinds = dict(Place.objects.values_list("name", "kind__code"))
    assert kinds == {"五马街": "street", "信河巷": "lane", "温州大道": "avenue", "解放路": "road", "下岙": "village",
                     "朝阳社区": "village", "东门桥": "bridge", "西山": "natural", "人民路": "road", "岩头": "village",
                     "百里坊": "lane", "后垟": "village", "松台巷": "lane"}
    categories = dict(CensusRecord.objects.values_list("place__name", "category__code"))
    assert categories["下岙"] == "222" and categories["朝阳社区"] == "2162" and categories["五马街"] == "2351"
    assert categories["岩头"] == "222" and categories["百里坊"] == "2351"
    assert categories["后垟"] == "222" and categories["松台巷"] == "2351"
