"""The Django admin edits canteens under the same rules as the officer pages and the API (canteens.services): the
status follows its transitions, the location stays inside the service area, the record passes the same checks, a
canteen that served people is closed rather than deleted; and every edit is audited."""

import pytest
from pyproj import Transformer

from audit.models import Action, Change
from canteens.models import Canteen, CanteenStatus
from tests.base import administrator
from tests.canteens.builders import V11, admin_form, lonlat

TO_3857 = Transformer.from_crs(4490, 3857, always_xy=True)


@pytest.fixture
def signed_in(client, db):
    client.force_login(administrator())
    return client


def change(client, canteen: Canteen, **changes):
    return client.post(f"/admin/canteens/canteen/{canteen.pk}/change/", admin_form(canteen, **changes))


def test_an_admin_edit_moves_the_area_with_the_location_and_is_audited(signed_in, canteens):
    c2 = canteens["C2"]
    x, y = TO_3857.transform(*lonlat(100, -100))
    version = c2.version
    page = signed_in.get(f"/admin/canteens/canteen/{c2.pk}/change/").content.decode()
    assert 'name="geom"' in page and 'name="status"' in page and 'name="delivery_radius_m"' in page

    response = change(signed_in, c2, geom=f'{{"type": "Point", "coordinates": [{x}, {y}]}}')

    assert response.status_code == 302, response.content.decode()[:2000]
    c2 = Canteen.objects.get(pk=c2.pk)
    assert c2.area.code == V11 and c2.version == version + 1
    entry = Change.objects.for_object(c2).get()
    assert entry.action == Action.UPDATE and entry.before["area_id"] != entry.after["area_id"]


def test_a_closed_canteen_cannot_be_reopened_in_the_admin(signed_in, canteens):
    c2 = canteens["C2"]
    Canteen.objects.filter(pk=c2.pk).update(status=CanteenStatus.CLOSED)
    c2.refresh_from_db()

    response = change(signed_in, c2, status="open")

    assert response.status_code == 200
    assert "食堂不能从“已关闭”变为“运营中”" in response.content.decode()
    assert Canteen.objects.get(pk=c2.pk).status == CanteenStatus.CLOSED
    assert not Change.objects.for_object(c2).exists()


def test_a_location_outside_the_service_area_is_a_form_error_not_a_crash(signed_in, canteens):
    c2 = canteens["C2"]
    x, y = TO_3857.transform(116.40, 39.90)  # Beijing

    response = change(signed_in, c2, geom=f'{{"type": "Point", "coordinates": [{x}, {y}]}}')

    assert response.status_code == 200
    assert "服务范围" in response.content.decode()
    assert Canteen.objects.get(pk=c2.pk).geom.equals_exact(c2.geom, 1e-9)


def test_delivery_without_a_radius_is_refused_on_its_field(signed_in, canteens):
    c2 = canteens["C2"]

    response = change(signed_in, c2, delivers="on", delivery_radius_m="")

    assert response.status_code == 200
    assert "送餐半径" in response.content.decode()
    assert not Canteen.objects.get(pk=c2.pk).delivers


def test_only_a_planned_canteen_can_be_deleted_in_the_admin(signed_in, canteens):
    c2 = canteens["C2"]  # open

    refused = signed_in.post(f"/admin/canteens/canteen/{c2.pk}/delete/", {"post": "yes"})
    Canteen.objects.filter(pk=c2.pk).update(status=CanteenStatus.PLANNED)
    deleted = signed_in.post(f"/admin/canteens/canteen/{c2.pk}/delete/", {"post": "yes"})

    assert refused.status_code == 403
    assert deleted.status_code == 302 and not Canteen.objects.filter(pk=c2.pk).exists()
    assert Change.objects.filter(action=Action.DELETE).count() == 1
