"""The admin's change form of a versioned record carries the version it was opened on: saving it after someone else
changed the record (here through the API's service) is refused, and the other change stays."""

import pytest

from canteens import services
from canteens.models import Canteen
from tests.base import administrator, lucheng_officer
from tests.canteens.builders import admin_form

pytestmark = pytest.mark.django_db


def test_a_stale_admin_form_is_refused_and_a_current_one_saves(client, canteens):
    c1 = canteens["C1"]
    client.force_login(administrator())
    page = client.get(f"/admin/canteens/canteen/{c1.pk}/change/").content.decode()
    assert 'name="seen_version"' in page

    services.update_canteen(c1, lucheng_officer(), {"seats": 55}, version=c1.version)  # meanwhile
    stale = client.post(f"/admin/canteens/canteen/{c1.pk}/change/", admin_form(c1, seats="99"))

    assert stale.status_code == 200 and "该记录已被他人修改" in stale.content.decode()
    assert Canteen.objects.get(pk=c1.pk).seats == 55
    current = Canteen.objects.get(pk=c1.pk)
    saved = client.post(f"/admin/canteens/canteen/{c1.pk}/change/", admin_form(current, seats="99"))
    assert saved.status_code == 302
    assert Canteen.objects.get(pk=c1.pk).seats == 99 and Canteen.objects.get(pk=c1.pk).version == current.version + 1
