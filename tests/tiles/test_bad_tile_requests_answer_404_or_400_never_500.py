import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/tiles/nosuchlayer/0/0/0.mvt",
    "/tiles/counties,nosuchlayer/0/0/0.mvt",
    "/tiles/counties/a/0/0.mvt",
    "/tiles/counties/-1/0/0.mvt",
    "/tiles/counties/0/0/0.png",
    "/tiles/counties%27;drop/0/0/0.mvt",
    "/tiles/nosuchlayer.json",
])
def test_an_unknown_layer_or_a_malformed_address_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404


@pytest.mark.parametrize("z, x, y", [(23, 0, 0), (99, 0, 0), (0, 1, 0), (0, 0, 1), (3, 8, 0), (10, 0, 1024),
                                     (1, 99999999999999999999, 0)])
def test_a_tile_outside_the_grid_is_a_bad_request_with_a_chinese_message(client, z, x, y):
    response = client.get(f"/tiles/counties/{z}/{x}/{y}.mvt")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_tile"
    assert "瓦片" in response.json()["error"]["message"] or "缩放" in response.json()["error"]["message"]


def test_a_repeated_layer_is_a_bad_request(client):
    response = client.get("/tiles/counties,counties/0/0/0.mvt")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "duplicate_layer"


def test_a_write_method_is_not_allowed(client):
    assert client.post("/tiles/counties/0/0/0.mvt").status_code == 405
