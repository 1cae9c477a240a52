"""The public layers read by tiles and exports: in-use roads as lines, every other in-use place."""

import pytest

from gis import layers
from placenames.models import PlaceStatus
from tests.placenames.builders import place

pytestmark = pytest.mark.django_db


def rows(name):
    layer = layers.get(name)
    return {r["name"]: r for r in layer.queryset().values(*layer.properties)}


def test_the_roads_layer_has_in_use_roads_with_their_codes(wenzhou_counties):
    road = place("解放路")
    place("胜利街", status=PlaceStatus.PROPOSED)
    place("望海苑", kind="residential")
    published = rows("roads")
    assert set(published) == {"解放路"}
    assert published["解放路"] == {"uuid": road.uuid, "name": "解放路", "pinyin": "Jiefang Lu",
                                   "kind_code": "road", "area_code": "330302"}
    assert layers.get("roads").id_field == "uuid"


def test_the_places_layer_has_the_other_kinds(wenzhou_counties):
    place("解放路")
    place("望海苑", kind="residential")
    place("旧桥", kind="bridge", status=PlaceStatus.RETIRED)
    assert set(rows("places")) == {"望海苑"}
    assert rows("places")["望海苑"]["kind_code"] == "residential"
