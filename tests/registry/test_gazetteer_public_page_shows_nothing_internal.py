"""The public gazetteer: a page per standard name in use (含义, 来历, 历史沿革, pinyin, map, signs), search by characters,
pinyin and initials, in the public layout with nothing internal on it (no category code either)."""

import pytest

from placenames import signs
from placenames.bulk import import_places
from placenames.models import Place, PlaceStatus
from tests.base import lucheng_officer
from tests.registry.builders import ensure_categories, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(wenzhou_counties, tmp_path):
    ensure_categories()
    rows = [row("解放路", 含义="纪念温州解放", 来历="1949年命名", 历史沿革="原名府前街", 登记人="登记员王五",
                资料来源="内部普查底册"), row("王家村", category="222", dx=0.01)]
    assert import_places(write_csv(tmp_path / "g.csv", rows)).committed
    return Place.objects.get(name="解放路")


def test_the_page_shows_the_name_its_story_and_signs_but_nothing_internal(loaded, client):
    signs.register(lucheng_officer(), place=loaded, lon=120.656, lat=28.014, installed_on=loaded.created_at.date())
    html = client.get(f"/placenames/g/{loaded.pk}/").content.decode()
    for shown in ("解放路", "Jiefang Lu", "纪念温州解放", "1949年命名", "原名府前街", "街路巷标志", "public-map-data",
                  "maplibre-gl.js"):
        assert shown in html, shown
    for hidden in ("登记员王五", "内部普查底册", "/admin/", "/placenames/checking/", "version", "csrfmiddlewaretoken",
                   "qr_token", str(loaded.signs.get().qr_token)):
        assert hidden not in html, hidden
    # Its category by name, without the GB/T 18521 code (2351) officers use: no internal code on a public page.
    heading = html[html.index('id="gazetteer-place"'):html.index('id="public-map"')]
    assert "道路街巷" in heading and "2351" not in heading


def test_search_finds_by_characters_pinyin_and_initials(loaded, client):
    for query in ("解放", "jiefanglu", "jfl", "JFL"):
        html = client.get("/placenames/g/", {"q": query}).content.decode()
        assert f"/placenames/g/{loaded.pk}/" in html, query


def test_a_retired_name_and_hostile_queries_answer_4xx_not_5xx(loaded, client):
    Place.objects.filter(pk=loaded.pk).update(status=PlaceStatus.RETIRED)
    assert client.get(f"/placenames/g/{loaded.pk}/").status_code == 404
    assert client.get("/placenames/g/not-a-uuid/").status_code == 404
    assert client.get("/placenames/g/", {"q": "x" * 500}).status_code == 200
    assert client.get("/placenames/g/", {"q": "'; DROP TABLE placenames_place; --"}).status_code == 200
    assert client.get("/placenames/g/", {"q": "\x00"}).status_code == 400
    assert client.get("/placenames/g/photos/99999/").status_code == 404
