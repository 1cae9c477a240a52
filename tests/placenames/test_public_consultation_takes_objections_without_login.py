"""Citizens read the proposal and object without logging in; their name and contact stay private."""

import pytest
from django.core.cache import cache

from placenames.models import ApplicationState as S
from placenames.models import Objection
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import draft, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_consultation(wenzhou_counties):
    cache.clear()
    officer = lucheng_officer()
    app = walk(draft(officer, "望海路", meaning="望向东海"), officer, lucheng_reviewer(), S.CONSULTATION)
    return app, f"/placenames/public/{app.public_token}/"


def test_anyone_reads_the_proposal(in_consultation, client):
    app, url = in_consultation
    page = client.get(url).content.decode()
    assert "望海路" in page and "Wanghai Lu" in page and "望向东海" in page
    assert str(app.consultation_ends_on) in page


def test_an_objection_is_recorded_and_its_author_is_not_shown(in_consultation, client):
    app, url = in_consultation
    response = client.post(url, {"text": "附近已有望海苑小区，容易混淆。", "name": "李四", "contact": "13912345678"})
    assert response.status_code == 302
    objection = Objection.objects.get()
    assert (objection.application, objection.name, objection.contact) == (app, "李四", "13912345678")
    page = client.get(url).content.decode()
    assert "13912345678" not in page and "李四" not in page


def test_objections_are_rate_limited_per_address(in_consultation, client, settings):
    settings.PLACENAMES_OBJECTION_RATE = (2, 3600)
    _app, url = in_consultation
    statuses = [client.post(url, {"text": f"异议 {i}"}).status_code for i in range(3)]
    assert statuses == [302, 302, 429]
    assert Objection.objects.count() == 2
    other = client.post(url, {"text": "另一个地址"}, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 302


def test_behind_a_trusted_proxy_each_citizen_has_their_own_limit(in_consultation, client, settings):
    settings.PLACENAMES_OBJECTION_RATE = (1, 3600)
    settings.DIMING_TRUSTED_PROXIES = ["172.16.0.0/12"]
    _app, url = in_consultation

    def post(citizen):
        return client.post(url, {"text": f"{citizen} 的异议"}, REMOTE_ADDR="172.18.0.1",
                           HTTP_X_FORWARDED_FOR=citizen).status_code

    assert [post("198.51.100.1"), post("198.51.100.2"), post("198.51.100.1")] == [302, 302, 429]
    assert Objection.objects.count() == 2


def test_a_draft_has_no_public_page(wenzhou_counties, client):
    app = draft(lucheng_officer(), "望海路")
    assert client.get(f"/placenames/public/{app.public_token}/").status_code == 404


def test_no_objection_after_the_period(in_consultation, client):
    from placenames import services
    from placenames.models import Application

    app, url = in_consultation
    Application.objects.filter(pk=app.pk).update(consultation_ends_on=services.today().replace(year=2000))
    response = client.post(url, {"text": "迟到的异议"})
    assert not Objection.objects.exists()
    assert "公示期已结束" in response.content.decode()
