import pytest

from tests.base import lucheng_officer
from tests.tiles.builders import point_layer, temporary_layer

pytestmark = pytest.mark.django_db


def test_tilejson_3_lists_the_tile_url_and_each_layer_with_its_fields(client):
    document = client.get("/tiles/counties,villages.json").json()

    assert document["tilejson"] == "3.0.0"
    assert document["tiles"] == ["http://testserver/tiles/counties,villages/{z}/{x}/{y}.mvt"]
    layers = {layer["id"]: layer for layer in document["vector_layers"]}
    assert list(layers) == ["counties", "villages"]
    assert set(layers["villages"]["fields"]) == {"code", "name", "level", "urban_rural_code", "elderly_population",
                                                 "label_point"}
    assert layers["villages"]["minzoom"] == 11
    assert document["minzoom"] == 0 and document["maxzoom"] == 22
    assert len(document["bounds"]) == 4


def test_a_layer_s_center_lies_within_its_zooms_and_its_fields_are_described_in_words(client):
    """Before, doorplates (from zoom 15) were centred at zoom 9, where a viewer opening there shows nothing; and
    a road's kind_code and uuid were described by their own names."""
    plates = client.get("/tiles/doorplates.json").json()
    assert plates["minzoom"] <= plates["center"][2] <= plates["maxzoom"] and plates["center"][2] == 15
    roads = client.get("/tiles/roads.json", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    fields = roads["vector_layers"][0]["fields"]
    assert all(description != name for name, description in fields.items()), fields


def test_private_fields_appear_in_tilejson_only_for_the_roles_allowed(client, wenzhou_counties):
    with temporary_layer(point_layer()):
        public = client.get("/tiles/testpoints.json").json()
        client.force_login(lucheng_officer())
        officer = client.get("/tiles/testpoints.json").json()

    assert set(public["vector_layers"][0]["fields"]) == {"name", "kind"}
    assert set(officer["vector_layers"][0]["fields"]) == {"name", "kind", "phone"}


def test_the_style_draws_every_layer_with_chinese_labels_and_loads_nothing_from_outside(client):
    style = client.get("/tiles/style.json").json()

    assert style["version"] == 8
    assert "glyphs" not in style, "labels are drawn with local fonts: no glyph server is needed"
    source = style["sources"]["diming"]
    assert source["url"].startswith("http://testserver/tiles/") and source["url"].endswith(".json")
    layer_ids = {layer["id"] for layer in style["layers"]}
    assert {"counties-outline", "villages-fill", "counties-label"} <= layer_ids
    label = next(layer for layer in style["layers"] if layer["id"] == "counties-label")
    assert label["layout"]["text-field"] == ["get", "name"]
    for layer in style["layers"]:
        assert "http" not in str(layer), layer["id"]


def test_road_labels_add_pinyin_from_zoom_15(client):
    from gis import layers

    if layers.get("roads") is None:
        pytest.skip("the roads layer is not registered")
    style = client.get("/tiles/style.json").json()
    roads = next(layer for layer in style["layers"] if layer["id"] == "roads-label")

    step = roads["layout"]["text-field"]
    assert step[0] == "step" and step[2] == ["get", "name"] and step[3] == 15
    assert ["get", "pinyin"] in step[4]
    assert roads["layout"]["symbol-placement"] == "line"
