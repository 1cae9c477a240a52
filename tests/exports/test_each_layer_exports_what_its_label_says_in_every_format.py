"""Each name layer exports what its label says, in every format: 道路 the roads, 其他地名 every other name in use
(a bridge's line, a residential area's polygon, a building's point), never 0 rows while the names exist.

The demo once had only roads, so the layer then titled 地名 exported 0 rows in every format while all its names
came out under 道路: the layer holds the names that are not roads, and now says so in its title."""

import json

import openpyxl
import pytest
from django.contrib.gis.gdal import DataSource
from django.contrib.gis.geos import Polygon

from exports.profiles import PROFILES
from exports.services import export_file
from gis.layers import get
from tests.exports.builders import place, road_line, spot

pytestmark = pytest.mark.django_db

OTHERS = {"安澜桥", "锦绣花园", "民政大厦"}
ROADS = {"解放路", "信河街"}


@pytest.fixture(scope="module")
def names(django_db_setup, django_db_blocker):
    from tests.base import build_wenzhou

    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            build_wenzhou(villages=False)
            place("解放路"), place("信河街", kind="street", shift=3)
            place("安澜桥", kind="bridge", geom=road_line(shift=6))
            x, y = spot(shift=2).coords
            place("锦绣花园", kind="residential",
                  geom=Polygon.from_bbox((x - 0.001, y - 0.001, x + 0.001, y + 0.001)))
            place("民政大厦", kind="building", shift=1)
            place("旧桥", kind="bridge", shift=4, status="retired")
            yield
            transaction.set_rollback(True)


def _names_in(path, profile) -> set[str]:
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(path, read_only=True).active
        return {str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell}
    if path.suffix == ".gpkg":
        return {feature.get("name") for feature in DataSource(str(path))[0]}
    if path.suffix == ".geojson":
        return {f["properties"]["name"] for f in json.loads(path.read_text(encoding="utf-8"))["features"]}
    text = path.read_text(encoding="utf-8-sig")
    return {name for name in OTHERS | ROADS | {"旧桥"} if name in text}


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_other_names_layer_exports_every_name_that_is_not_a_road(names, profile, tmp_path):
    result = export_file(profile=profile, layer="places", out=tmp_path / f"places{PROFILES[profile].extension}")
    assert result.records == 3
    found = _names_in(result.files[0], profile)
    assert OTHERS <= found and not (ROADS | {"旧桥"}) & found


@pytest.mark.parametrize("profile", list(PROFILES))
def test_the_roads_layer_exports_the_roads_only(names, profile, tmp_path):
    result = export_file(profile=profile, layer="roads", out=tmp_path / f"roads{PROFILES[profile].extension}")
    assert result.records == 2
    found = _names_in(result.files[0], profile)
    assert ROADS <= found and not OTHERS & found


def test_the_layer_titles_say_what_they_hold():
    assert get("roads").title == "道路"
    assert get("places").title.startswith("其他地名")
