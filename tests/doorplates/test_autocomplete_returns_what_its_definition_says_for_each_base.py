"""Autocomplete returns exactly what its plain definition says, for plates of every base (road, village and natural
village, residential area), in the user's regions only: the current plates whose search text contains the typed
text, or, for a name followed by digits, whose road's or village's name (its pinyin for Latin letters) contains that
name and whose number starts with those digits; an admin area typed first filters; address order, the first N.

The definition is computed here in Python over every plate, so any faster query shape (one statement for the bases a
name stands for, a shorter pending list of the trigram index) must give the same plates in the same order."""

import re
import uuid

import pytest
from django.db import connection

from doorplates import search
from doorplates.models import Doorplate
from placenames.bases import BaseKind, containing
from tests.base import lucheng_officer, make_user
from tests.doorplates.builders import TAISHUN_STRAIGHT, make_base, make_base_plate, make_plate, make_road

ADDRESS_ORDER = ("road_name", "number", "sub_number", "building", "unit", "room")

QUERIES = [
    "解放街88", "解放街8", "解放8", "放街88号", "解放街附8", "jiefangjie8", "jiefang8", "jiefang88-1", "jfj88", "jfc8",
    "解放村8", "jiefangcun8", "下垟村1", "xiayangcun1", "解放小区8幢", "解放小区8幢1单元80", "jiefangxiaoqu8-1",
    "jiefangxiaoqu8-1-80", "jfxq8", "鹿城区解放街8", "泰顺县解放街8", "鹿城区jiefang8", "8-1", "801",
]


@pytest.fixture
def registry(wenzhou_counties):
    street = make_road("解放街")
    east = make_road("解放东路", [(120.645, 28.020), (120.665, 28.020)], kind="road")
    for number, chainage in (("8", 10), ("88", 300), ("88号之一", 305), ("附88号", 310), ("880", 900), ("89", 320),
                             ("18", 60)):
        make_plate(street, number, chainage, -10)
    make_plate(street, 81, 280, -10, status="retired")
    make_plate(street, 8, 12, 10, status="planned")  # a second 8 (a duplicate the check would report)
    for number, chainage in (("8", 10), ("18", 60), ("180", 600)):
        make_plate(east, number, chainage, 10)
    make_plate(make_road("解放街", TAISHUN_STRAIGHT, county="330329"), 88, 300, -10)  # another county
    village = make_base("解放村", (120.650, 28.005), kind="village")
    hamlet = make_base("下垟村", (120.660, 28.005), kind="village", generic="自然村")
    estate = make_base("解放小区", (120.655, 28.012), kind="residential", radius=0.001)
    for k, number in enumerate(("8", "80", "88", "8-1", "100")):
        make_base_plate(village, number, offset=(0.0001 * k, 0))
    make_base_plate(village, 9, status="retired")
    for k, number in enumerate(("1", "10", "11", "12")):
        make_base_plate(hamlet, number, offset=(0.0001 * k, 0))
    make_base_plate(estate, 8, building="8")
    make_base_plate(estate, building="8", unit="1", plate_type="unit")
    for room in ("801", "802", "1801"):
        make_base_plate(estate, building="8", unit="1", room=room, plate_type="room", offset=(0.0001, 0))
    make_base_plate(estate, building="18", unit="1", room="801", plate_type="room", offset=(0.0002, 0))
    return {"village": village, "hamlet": hamlet, "estate": estate, "street": street, "east": east}


def defined(q: str, user) -> list[tuple]:
    """(address order key, UUID) of every plate autocomplete may return, by its definition (the module docstring),
    in address order."""
    text, prefix = search.query_text(q)
    split = re.fullmatch(r"(?P<name>.*?\D)(?P<digits>[1-9]\d{0,4})", text)
    named = split is not None and len(split["name"]) >= search.MIN_TRIGRAM_CHARS
    visible = {p.pk for p in search._plates(user)}
    found = []
    # Address order as PostgreSQL sorts it (its collation), over the whole registry: only the matching is redone here.
    for plate in Doorplate.objects.select_related("road", "village", "area").order_by(*ADDRESS_ORDER):
        if plate.pk not in visible or (prefix and not plate.area.code12.startswith(prefix)):
            continue
        matches = text in plate.search_text
        base = plate.road or plate.village
        if not matches and named and base is not None:
            base_text = base.pinyin_key if split["name"].isascii() else base.name
            number = str(plate.number or "")
            matches = split["name"] in base_text and number.startswith(split["digits"]) and len(number) <= 5
        if matches:
            found.append((tuple(getattr(plate, f) for f in ADDRESS_ORDER), plate.pk))
    return found


def returned(q: str, user, limit: int) -> list[tuple]:
    uuids = [r["uuid"] for r in search.autocomplete(q, user, limit)]
    plates = Doorplate.objects.in_bulk(uuids)
    return [(tuple(getattr(plates[u], f) for f in ADDRESS_ORDER), plates[u].pk) for u in map(uuid.UUID, uuids)]


@pytest.mark.django_db
def test_autocomplete_returns_the_defined_plates_in_address_order_for_each_base_and_region(registry):
    officer, admin = lucheng_officer(), make_user("root", superuser=True)
    kinds_found = set()
    for q in QUERIES:
        for user in (officer, admin):
            expected = defined(q, user)
            for limit in (3, 50):
                got = returned(q, user, limit)
                # Plates equal in address order (88 and 附88, a number twice) may come in either order, as before.
                assert [key for key, _pk in got] == [key for key, _pk in expected[:limit]], (q, user.username, limit)
                assert {pk for _key, pk in got} <= {pk for _key, pk in expected}, (q, user.username, limit)
            kinds_found |= {Doorplate.objects.get(pk=pk).base_kind for _key, pk in got}
    assert kinds_found == {"road", "village", "residential"}
    assert returned("解放村8", officer, 10) and not returned("解放村8", make_user("nobody"), 10)

    # The bases a name stands for: the first of each kind in name order, in one statement.
    make_base("解放新村", (120.652, 28.007), kind="village")
    kinds = {BaseKind.ROAD: ["road", "street", "lane", "avenue"], BaseKind.VILLAGE: ["village", "natural_village"],
             BaseKind.RESIDENTIAL: ["residential"]}

    def first(column: str, fragment: str, limit: int) -> dict:
        out = {}
        with connection.cursor() as cursor:
            for kind, codes in kinds.items():
                cursor.execute(f"SELECT p.uuid FROM placenames_place p JOIN placenames_placekind k ON k.id = p.kind_id "
                               f"WHERE k.code = ANY(%s) AND strpos(p.{column}, %s) > 0 ORDER BY p.name LIMIT %s",
                               [codes, fragment, limit])
                out[kind] = {row[0] for row in cursor.fetchall()}
        return out

    for fragment, column in (("解放", "name"), ("jiefang", "pinyin_key"), ("cun", "pinyin_key"), ("zzz", "name")):
        for limit in (1, 300):  # no two names tie at the first place
            found = {kind: set(pks) for kind, pks in containing(fragment, limit).items()}
            assert found == first(column, fragment, limit), (fragment, limit)
    assert len(containing("解放", 300)[BaseKind.ROAD]) == 3  # both 解放街 (two counties) and 解放东路


@pytest.mark.django_db
def test_the_trigram_index_keeps_a_short_pending_list(db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT reloptions FROM pg_class WHERE relname = 'doorplate_search_trgm'")
        assert "gin_pending_list_limit=256" in cursor.fetchone()[0]
