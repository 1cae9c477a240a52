"""OGC API - Features under /ogc/: landing page, conformance, collections, items with paging, bbox, property
filters and CRS, single items, the OpenAPI document; errors as 400/404 with a Chinese message."""

import pytest

from boundaries.models import AdminArea
from tests.base import lucheng_officer
from tests.tiles.builders import add_points, point_layer, temporary_layer

pytestmark = pytest.mark.django_db
CGCS2000 = "http://www.opengis.net/def/crs/EPSG/0/4490"


def test_the_landing_page_links_the_api_the_conformance_and_the_collections(client):
    links = {link["rel"]: link["href"] for link in client.get("/ogc/").json()["links"]}

    assert links["service-desc"].endswith("/ogc/api")
    assert links["conformance"].endswith("/ogc/conformance")
    assert links["data"].endswith("/ogc/collections")
    conforms = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conforms
    assert "http://www.opengis.net/spec/ogcapi-features-2/1.0/conf/crs" in conforms


def test_every_public_layer_is_a_collection_with_an_items_link(client):
    collections = {c["id"]: c for c in client.get("/ogc/collections").json()["collections"]}

    assert {"counties", "townships", "villages"} <= set(collections)
    counties = collections["counties"]
    assert counties["title"] == "区县"
    assert CGCS2000 in counties["crs"]
    assert any(link["rel"] == "items" and link["type"] == "application/geo+json" for link in counties["links"])


def test_items_page_through_the_counties_with_next_links(client, wenzhou_counties):
    first = client.get("/ogc/collections/counties/items?limit=5")
    page = first.json()

    assert first["Content-Type"] == "application/geo+json"
    assert first["Content-Crs"] == "<http://www.opengis.net/def/crs/OGC/1.3/CRS84>"
    assert (page["numberMatched"], page["numberReturned"]) == (12, 5)
    seen = [f["id"] for f in page["features"]]
    while next_link := next((link["href"] for link in page["links"] if link["rel"] == "next"), None):
        page = client.get(next_link.replace("http://testserver", "")).json()
        seen += [f["id"] for f in page["features"]]
    assert sorted(seen) == sorted(AdminArea.objects.filter(level="county").values_list("code", flat=True))


def test_a_page_of_items_comes_compressed_to_a_client_that_takes_gzip(client, wenzhou_counties):
    import gzip
    import json

    plain = client.get("/ogc/collections/counties/items?limit=12")
    packed = client.get("/ogc/collections/counties/items?limit=12", HTTP_ACCEPT_ENCODING="gzip")
    assert (plain.get("Content-Encoding"), packed.get("Content-Encoding")) == (None, "gzip")
    assert packed["Content-Type"] == "application/geo+json" and "Accept-Encoding" in packed["Vary"]
    unpacked = json.loads(gzip.decompress(packed.content))
    assert unpacked["features"] == plain.json()["features"] and len(packed.content) < len(plain.content) / 3


def test_a_feature_has_its_properties_and_its_stored_coordinates(client, wenzhou_counties):
    feature = client.get("/ogc/collections/counties/items/330302").json()

    assert feature["properties"] == {"code": "330302", "name": "鹿城区", "level": "county"}
    stored = AdminArea.objects.get(code="330302").geom
    ring = feature["geometry"]["coordinates"][0][0]
    assert ring[0] == pytest.approx(list(stored[0][0][0]), abs=1e-6)


def test_cgcs2000_output_puts_latitude_first_and_says_so(client, wenzhou_counties):
    crs84 = client.get("/ogc/collections/counties/items/330302").json()
    response = client.get(f"/ogc/collections/counties/items/330302?crs={CGCS2000}")

    assert response["Content-Crs"] == f"<{CGCS2000}>"
    lon, lat = crs84["geometry"]["coordinates"][0][0][0]
    assert response.json()["geometry"]["coordinates"][0][0][0] == [lat, lon]


def test_bbox_and_property_filters_select_features(client, wenzhou):
    near_ruian = client.get("/ogc/collections/counties/items?bbox=120.59,27.79,120.61,27.81").json()
    by_name = client.get("/ogc/collections/counties/items", {"name": "泰顺县"}).json()
    lat_lon_box = client.get("/ogc/collections/counties/items",
                             {"bbox": "27.79,120.59,27.81,120.61", "bbox-crs": CGCS2000}).json()

    assert [f["id"] for f in near_ruian["features"]] == ["330381"]
    assert [f["id"] for f in lat_lon_box["features"]] == ["330381"]
    assert [f["id"] for f in by_name["features"]] == ["330329"]


@pytest.mark.parametrize("query, code", [
    ("limit=0", "invalid_parameter"), ("limit=abc", "invalid_parameter"), ("offset=-1", "invalid_parameter"),
    ("bbox=1,2,3", "invalid_bbox"), ("bbox=a,b,c,d", "invalid_bbox"), ("crs=EPSG:9999", "unsupported_crs"),
    ("nosuchproperty=1", "unknown_parameter"), ("f=xml", "invalid_format"),
])
def test_a_bad_parameter_is_a_400_with_a_chinese_message(client, query, code):
    response = client.get(f"/ogc/collections/counties/items?{query}")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == code


def test_unknown_collections_and_features_are_404(client, wenzhou_counties):
    assert client.get("/ogc/collections/nosuch/items").status_code == 404
    assert client.get("/ogc/collections/counties/items/999999").status_code == 404
    assert client.get("/ogc/collections/roads/items/not-a-uuid").status_code in {404}


def test_the_openapi_document_describes_each_collections_items(client):
    response = client.get("/ogc/api")
    document = response.json()

    assert response["Content-Type"].startswith("application/vnd.oai.openapi+json")
    assert document["openapi"].startswith("3.0")
    parameters = {p["name"] for p in document["paths"]["/collections/counties/items"]["get"]["parameters"]}
    assert {"limit", "offset", "bbox", "crs", "name", "code"} <= parameters


def test_personal_properties_only_reach_the_officer_of_the_region(client, wenzhou_counties, test_points):
    with temporary_layer(point_layer()):
        add_points([("鹿城点", 120.6551, 28.0152)], phone="13800000001", area=AdminArea.objects.get(code="330302"))
        add_points([("瑞安点", 120.60, 27.80)], phone="13800000002", area=AdminArea.objects.get(code="330381"))

        public = client.get("/ogc/collections/testpoints/items").json()
        client.force_login(lucheng_officer())
        officer = client.get("/ogc/collections/testpoints/items").json()

        assert all("phone" not in f["properties"] for f in public["features"])
        assert {f["properties"]["name"]: f["properties"]["phone"] for f in officer["features"]} == {
            "鹿城点": "13800000001", "瑞安点": None}
        assert client.get("/ogc/collections/testpoints/items", {"phone": "13800000002"}).status_code == 400


def test_people_can_read_the_collections_as_a_page(client, wenzhou_counties):
    response = client.get("/ogc/collections/counties/items?f=html")

    assert response.status_code == 200 and "鹿城区" in response.content.decode()


def test_the_pages_name_properties_in_words_and_a_feature_s_page_shows_its_data(client, wenzhou_counties):
    """Before, the items page was headed by column names (kind_code, area_code) and a feature's page showed its
    title and two links only."""
    listing = client.get("/ogc/collections/counties/items?f=html", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    head = listing.split('id="ogc-features"')[1].split("</thead>")[0]
    assert "名称" in head and "<th>code</th>" not in head and "<th>name</th>" not in head
    assert 'href="http://testserver/ogc/collections/counties/items/330302?f=html"' in listing
    one = client.get("/ogc/collections/counties/items/330302?f=html", HTTP_ACCEPT_LANGUAGE="zh-hans")
    table = one.content.decode().split('id="ogc-feature"')[1].split("</table>")[0]
    assert one.status_code == 200 and "鹿城区" in table and "330302" in table
    assert "<h1>符合的标准</h1>" in client.get("/ogc/conformance?f=html", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
