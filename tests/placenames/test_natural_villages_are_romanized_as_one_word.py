"""A natural village's name is romanized as one word (中国地名汉语拼音字母拼写规则 1984, art. 3: 自然村镇名称不区分专名和
通名，各音节连写), while other names keep specific and generic apart (art. 1): in the office's applications, in the bulk
load (import_places) and in a crew's collected rural names (the crew path: tests/field/test_api_rural_names_...).
A natural village stored before the rule, or loaded with a file's own pinyin, goes to the checking queue, once: an
officer corrects it (audited) or confirms it; an officer's own pinyin is left alone."""

import pytest
from django.contrib.gis.geos import Polygon

from audit.models import Change
from placenames import checking
from placenames.bulk import import_places
from placenames.models import CheckFlag, FlagState, Place, PlaceKind
from placenames.pinyin import reading, village_romanization
from tests.base import lucheng_officer
from tests.placenames.builders import draft, ensure_seed_data, place
from tests.registry.builders import ensure_categories, row, write_csv

# Art. 3's own examples (natural villages and towns) and art. 1's (specific and generic apart).
ART_3 = {"王村": "Wangcun", "江镇": "Jiangzhen", "郭县": "Guoxian", "周口店": "Zhoukoudian", "文家市": "Wenjiashi",
         "油坊桥": "Youfangqiao", "铁匠营": "Tiejiangying", "大虎山": "Dahushan", "太平沟": "Taipinggou",
         "三岔河": "Sanchahe", "龙王集": "Longwangji"}
ART_1 = {"西峰镇": "Xifeng Zhen", "友谊乡": "Youyi Xiang", "通县": "Tong Xian"}


def test_the_rules_examples_are_written_as_the_rules_write_them():
    assert {name: village_romanization(name, natural_village=True) for name in ART_3} == ART_3
    assert {name: village_romanization(name, natural_village=False) for name in ART_1} == ART_1
    # Wenzhou: 下岙村 a natural village, 苍坡村 an administrative village (行政村), 外山 a natural village.
    assert village_romanization("下岙村", natural_village=True) == "Xia'aocun"
    assert village_romanization("苍坡村", natural_village=False) == "Cangpo Cun"
    joined = reading("外山", one_word=True)
    assert (joined.romanization, joined.specific, joined.generic) == ("Waishan", "外", "山")  # the split is kept
    assert reading("外山").romanization == "Wai Shan"  # a mountain 外山 is specific and generic apart


@pytest.mark.django_db
def test_the_bulk_load_and_the_office_write_a_natural_village_as_one_word(wenzhou_counties, tmp_path):
    ensure_categories()
    officer = lucheng_officer()
    path = write_csv(tmp_path / "villages.csv", [row("下岙村", category="222"), row("苍坡村", category="2161", dx=0.01),
                                                 row("外山", category="222", dx=0.02, 汉语拼音="Wai Shan")])
    report = import_places(path, actor=officer)
    assert report.committed, report.problems
    stored = dict(Place.objects.values_list("name", "pinyin"))
    assert stored == {"下岙村": "Xia'aocun", "苍坡村": "Cangpo Cun", "外山": "Wai Shan"}  # a file's pinyin is kept
    assert not CheckFlag.objects.filter(code="pinyin_mismatch").exists()  # the same letters either way
    # ... but a natural village's is not written as the rules write it: an officer decides, in the checking queue.
    assert list(CheckFlag.objects.filter(code="pinyin_one_word").values_list("place__name", "evidence")) == [
        ("外山", {"given": "Wai Shan", "standard": "Waishan"})]

    natural, _ = PlaceKind.objects.get_or_create(code="natural_village", defaults={
        "name": "自然村", "geometry_kinds": "polygon,point"})
    x, y = 120.655, 28.010
    square = Polygon(((x, y), (x + 0.001, y), (x + 0.001, y + 0.001), (x, y + 0.001), (x, y)), srid=4490)
    assert draft(officer, "后山村", kind=natural, geom=square).pinyin == "Houshancun"
    assert draft(officer, "后山村", kind="village", geom=square).pinyin == "Houshan Cun"
    kept = draft(officer, "后山村", kind=natural, geom=square, pinyin="Houshan Cun")  # the officer's own stays
    assert (kept.pinyin, kept.pinyin_overridden) == ("Houshan Cun", True)


@pytest.mark.django_db
def test_natural_villages_stored_split_go_to_the_checking_queue_once(wenzhou_counties):
    ensure_seed_data()
    PlaceKind.objects.get_or_create(code="natural_village", defaults={"name": "自然村", "geometry_kinds": "polygon,point"})
    officer = lucheng_officer()
    split = place("下岙村", kind="natural_village")  # stored "Xia'ao Cun", as before the rule
    right = place("上垟村", kind="natural_village")
    Place.objects.filter(pk=right.pk).update(pinyin="Shangyangcun")
    own = place("岭头村", kind="natural_village")
    own.names.update(pinyin_overridden=True)  # an officer wrote it so
    admin_village = place("苍坡村", kind="village")
    assert (split.pinyin, own.pinyin, admin_village.pinyin) == ("Xia'ao Cun", "Lingtou Cun", "Cangpo Cun")

    assert checking.flag_split_natural_villages(Place.objects, CheckFlag.objects) == 1
    [flag] = checking.queue(officer, code="pinyin_one_word")
    assert (flag.place_id, flag.evidence) == (split.pk, {"given": "Xia'ao Cun", "standard": "Xia'aocun"})
    assert "Xia'ao Cun" in checking.explain(flag) and "Xia'aocun" in checking.explain(flag)
    checking.correct(officer, flag.pk, pinyin="Xia'aocun", version=split.version, note="自然村连写")
    split.refresh_from_db()
    assert split.pinyin == "Xia'aocun" and Change.objects.filter(object_id=str(split.pk), action="update").exists()
    assert CheckFlag.objects.get(pk=flag.pk).state == FlagState.CORRECTED
    # Checked once, never flagged again; a second run finds nothing new.
    Place.objects.filter(pk=split.pk).update(pinyin="Xia'ao Cun")
    assert checking.flag_split_natural_villages(Place.objects, CheckFlag.objects) == 0
