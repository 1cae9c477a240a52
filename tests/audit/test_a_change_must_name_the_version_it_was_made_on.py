"""Lost updates: a change to a versioned record that does not name the version it was made on (``version`` or
If-Match) is refused with 428, so it cannot overwrite an edit made meanwhile; a stale one gets 409."""

import pytest
from rest_framework.test import APIClient

from canteens.models import Canteen
from doorplates.models import Doorplate
from placenames.models import Application
from tests.base import lucheng_officer
from tests.doorplates.builders import make_plate, make_road
from tests.placenames.builders import draft

pytestmark = pytest.mark.django_db
API = "/canteens/api/canteens/"


def signed_in(user) -> APIClient:
    client = APIClient()
    client.force_login(user)
    return client


def test_a_canteen_patch_without_a_version_is_refused_and_changes_nothing(canteens):
    c1 = canteens["C1"]
    client = signed_in(lucheng_officer())

    response = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 99}}, format="json")

    assert response.status_code == 428
    assert response.json()["error"]["code"] == "version_required"
    assert "version" in response.json()["error"]["message"]
    assert Canteen.objects.get(pk=c1.pk).seats == c1.seats


def test_each_canteen_write_asks_for_the_version(canteens):
    client = signed_in(lucheng_officer())
    c6 = Canteen.objects.get(pk=canteens["C1"].pk)

    assert client.post(f"{API}{c6.uuid}/status/", {"status": "suspended"}, format="json").status_code == 428
    assert client.delete(f"{API}{c6.uuid}/").status_code == 428
    assert Canteen.objects.get(pk=c6.pk).status == c6.status


def test_if_match_carries_the_version_read_from_the_etag(canteens):
    c1 = canteens["C1"]
    client = signed_in(lucheng_officer())
    etag = client.get(f"{API}{c1.uuid}/")["ETag"]

    saved = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 61}}, format="json", HTTP_IF_MATCH=etag)
    stale = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 62}}, format="json", HTTP_IF_MATCH=etag)

    assert etag == '"1"' and saved.status_code == 200 and saved.json()["properties"]["version"] == 2
    assert stale.status_code == 409 and stale.json()["error"]["code"] == "stale_version"
    assert Canteen.objects.get(pk=c1.pk).seats == 61


def test_a_version_in_the_body_still_works(canteens):
    c1 = canteens["C1"]
    client = signed_in(lucheng_officer())

    response = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 70, "version": 1}}, format="json")

    assert response.status_code == 200 and Canteen.objects.get(pk=c1.pk).seats == 70


def test_a_version_of_thousands_of_digits_is_refused_as_a_version(canteens):
    c1 = canteens["C1"]
    client = signed_in(lucheng_officer())

    response = client.patch(f"{API}{c1.uuid}/", {"properties": {"seats": 70, "version": "1" * 5000}}, format="json")

    assert response.status_code == 400 and response.json()["error"]["code"] == "bad_version"
    assert "1" * 50 not in response.content.decode()  # what was sent is not repeated back
    assert Canteen.objects.get(pk=c1.pk).seats == c1.seats


def test_the_canteen_edit_page_without_a_version_saves_nothing(client, canteens):
    c1 = canteens["C1"]
    client.force_login(lucheng_officer())
    form = {"name": c1.name, "kind": c1.kind, "geom": f"{c1.geom.x}, {c1.geom.y}", "seats": "77"}

    response = client.post(f"/canteens/{c1.uuid}/edit/", form)

    assert response.status_code == 200 and "version" in response.content.decode()
    assert Canteen.objects.get(pk=c1.pk).seats == c1.seats


def test_every_doorplate_write_asks_for_the_version(wenzhou_counties):
    plate = make_plate(make_road("解放街"), 8, 100, 10, status="planned")
    client = signed_in(lucheng_officer())
    url = f"/doorplates/api/plates/{plate.uuid}/"

    assert client.patch(url, {"building": "2"}, format="json").status_code == 428
    assert client.post(url + "status/", {"status": "installed"}, format="json").status_code == 428
    assert client.post(url + "revoke-token/", {"reissue": True}, format="json").status_code == 428
    page = client.post(f"/doorplates/plates/{plate.uuid}/action/", {"action": "revoke"})  # a page's form: in words
    assert page.status_code == 400 and "表单已过期，请刷新页面" in page.content.decode()
    assert Doorplate.objects.get(pk=plate.pk).version == plate.version
    assert client.patch(url, {"building": "2"}, format="json", HTTP_IF_MATCH='W/"1"').status_code == 200


def test_an_application_draft_edit_asks_for_the_version(wenzhou_counties):
    officer = lucheng_officer()
    app = draft(officer, "望海路")
    client = signed_in(officer)

    response = client.patch(f"/placenames/api/applications/{app.pk}/", {"reason": "新路"}, format="json")
    transition = client.post(f"/placenames/api/applications/{app.pk}/transition/", {"action": "submit"},
                             format="json")

    assert response.status_code == 428 and transition.status_code == 428
    assert Application.objects.get(pk=app.pk).version == app.version
