"""The QR code on a plate opens /d/<token>; revoking the token makes the printed code show nothing."""

import pytest

from doorplates import services
from doorplates.models import Doorplate
from tests.base import lucheng_officer
from tests.doorplates.builders import make_plate, make_road

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def plate(wenzhou_counties):
    return make_plate(make_road("解放街"), 88, 300, 10)


def public(client, token):
    return client.get(f"/d/{token}")


def test_the_public_page_shows_the_address_road_pinyin_and_area(client, plate):
    response = public(client, plate.token)
    assert response.status_code == 200
    html = response.content.decode()
    assert plate.address in html
    assert "解放街" in html and "Jiefang Jie" in html
    assert "鹿城区" in html
    assert "no-cache" in response["Cache-Control"]


def test_the_public_page_shows_nothing_personal_or_internal(client, plate):
    html = public(client, plate.token).content.decode()
    for hidden in (str(plate.uuid), "installed_on", "登录", "历史"):
        assert hidden not in html


def test_tokens_are_long_random_and_distinct(plate):
    other = make_plate(plate.road, 90, 320, -10)
    assert len(plate.token) >= 22 and plate.token != other.token


def test_a_revoked_token_no_longer_resolves(client, plate):
    token = plate.token
    services.revoke_token(lucheng_officer(), plate)
    assert public(client, token).status_code == 404
    assert Doorplate.objects.get(pk=plate.pk).token is None


def test_the_citizen_who_scanned_a_code_in_no_use_is_told_what_it_means_and_whom_to_tell(client, plate):
    services.set_status(lucheng_officer(), plate, "retired")
    for token in (plate.token, "9vzOXGAfSEyfb2qDGUDSGg", "x" * 300):
        response = public(client, token)
        html = response.content.decode()
        assert response.status_code == 404 and response["X-Robots-Tag"] == "noindex"
        assert "该门牌二维码已停用或无效" in html and "门牌已更换、注销" in html and "请告知所在社区" in html
        assert plate.address not in html and "登录" not in html  # nothing of the plate, no way into the office


def test_a_reissued_plate_resolves_under_its_new_token_only(client, plate):
    old = plate.token
    plate = services.revoke_token(lucheng_officer(), plate, reissue=True)
    assert plate.token and plate.token != old
    assert public(client, old).status_code == 404
    assert public(client, plate.token).status_code == 200


def test_a_retired_plate_does_not_resolve(client, plate):
    services.set_status(lucheng_officer(), plate, "retired")
    assert public(client, plate.token).status_code == 404


def test_an_unknown_token_is_not_found(client, plate):
    assert public(client, plate.token[:-1] + ("A" if plate.token[-1] != "A" else "B")).status_code == 404


def test_the_officer_api_revokes_a_token(client, plate):
    client.force_login(lucheng_officer())
    response = client.post(f"/doorplates/api/plates/{plate.pk}/revoke-token/", {"version": plate.version},
                           content_type="application/json")
    assert response.status_code == 200
    assert response.json()["properties"]["public_url"] is None
    assert public(client, plate.token).status_code == 404
