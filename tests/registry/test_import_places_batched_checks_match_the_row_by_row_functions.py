"""The bulk load reads each name once (romanization, split and syllables together), reads pypinyin per character
where no phrase of its list is in the run, and writes plain points as text: what it stores must be exactly what
the row-by-row functions give (placenames.pinyin's romanize, split_name, pinyin_key, initials_key; the point's
coordinates as given)."""

import random

import pytest
from django.db import connection
from pypinyin import Style, lazy_pinyin

from placenames import bulk_sql, pinyin
from placenames.bulk import import_places
from placenames.models import Place
from tests.base import LUCHENG_POINT
from tests.registry.builders import ensure_categories, row, write_csv

NAMES = ["人民东路", "经五路", "长春路", "厦门街", "重庆路", "第九弄", "解放北路", "银行巷", "朝阳小区", "翠微苑",
         "下岙村", "上垟", "乐清大厦", "曾家村", "单家桥", "行前街", "南小街", "东四十二条", "经12路", "瓯江路"]


def test_each_run_is_read_as_pypinyin_reads_it_whole():
    rng = random.Random(20261202)
    common = "东西南北中新华民安康宁长重行乐厦朝曾单解放胜利建设人民学院府前车站滨瓯藏都会调还"
    runs = ["".join(rng.choice(common) for _ in range(rng.randint(1, 6))) for _ in range(3000)]
    runs += ["".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in range(rng.randint(1, 5))) for _ in range(2000)]
    for run in runs + NAMES[:3]:
        whole = lazy_pinyin(run, style=Style.NORMAL, v_to_u=True, errors=lambda chars: ["?"] * len(chars))
        assert list(pinyin._run_readings(run)) == whole, run


def test_one_reading_gives_what_romanize_split_name_and_syllables_give():
    for name in NAMES:
        found = pinyin.reading(name)
        assert found.romanization == pinyin.romanize(name), name
        assert (found.specific, found.generic) == pinyin.split_name(name), name
        assert list(found.syllables) == pinyin.syllables(name), name


@pytest.mark.django_db
def test_a_small_load_stores_what_the_row_by_row_functions_give(wenzhou_counties, tmp_path, monkeypatch):
    monkeypatch.setattr(bulk_sql, "INSERT_CHUNK", 3)  # places inserted a few lines at a time, as 20,000 are
    ensure_categories()
    categories = {"路": "2351", "街": "2351", "巷": "2351", "弄": "2351", "条": "2351", "区": "221", "苑": "221",
                  "村": "2161", "垟": "222", "厦": "26", "桥": "2361"}
    rows = [row(name, category=categories[name[-1]], dx=i * 0.0003, dy=i * 0.0002) for i, name in enumerate(NAMES)]
    report = import_places(write_csv(tmp_path / "names.csv", rows), commit="valid")
    assert report.created == len(NAMES) == Place.objects.count(), report.problems
    with connection.cursor() as cursor:  # every place in the change feed, once
        cursor.execute("SELECT count(*), count(DISTINCT record_pk) FROM exports_featureversion "
                       "WHERE layer IN ('places', 'roads')")
        assert cursor.fetchone() == (len(NAMES), len(NAMES))
    for i, name in enumerate(NAMES):
        place = Place.objects.get(name=name)
        assert place.pinyin == pinyin.romanize(name)
        assert (place.pinyin_key, place.initials) == (pinyin.pinyin_key(name), pinyin.initials_key(name))
        current = place.names.get()
        assert (current.specific, current.generic) == pinyin.split_name(name)
        if place.geom.geom_type == "Point":
            lon, lat = LUCHENG_POINT
            assert (place.geom.x, place.geom.y) == (float(f"{lon + i * 0.0003:.6f}"), float(f"{lat + i * 0.0002:.6f}"))
