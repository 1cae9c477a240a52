"""Place-name signs (GB 17733): registered, installed, reported damaged by anyone through the QR page (rate-limited,
no login), taken and repaired as a field task (placenames.sign_tasks), removed; every step a maintenance record."""


import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile

from placenames import sign_tasks, signs
from placenames.models import Sign, SignState
from tests.base import image_bytes, lucheng_officer, make_user, ruian_officer
from tests.placenames.builders import ensure_seed_data, place

pytestmark = pytest.mark.django_db

PNG = image_bytes("PNG", seed=1, size=(1, 1))


@pytest.fixture
def road(wenzhou_counties):
    ensure_seed_data()
    cache.clear()
    return place("解放路")


def test_a_sign_lives_from_planned_to_removed_with_a_record_of_each_step(road, client):
    officer = lucheng_officer()
    sign = signs.register(officer, place=road, lon=120.656, lat=28.014)
    assert (sign.state, sign.type, sign.shown_name, sign.shown_pinyin) == ("planned", "road", "解放路", "Jiefang Lu")
    signs.act(officer, sign.pk, "install", note="新设")
    signs.act(officer, sign.pk, "inspect")
    # anyone scans the QR code and reports the sign damaged, without logging in
    landing = client.get(f"/placenames/s/{sign.qr_token}/")
    assert landing.status_code == 200 and "解放路" in landing.content.decode() and 'id="report-sign"' in landing.content.decode()
    assert client.post(f"/placenames/s/{sign.qr_token}/", {"text": "字迹褪色，被树枝遮挡", "contact": "13800000000"}
                       ).status_code == 302
    assert Sign.objects.get(pk=sign.pk).state == SignState.DAMAGED
    # the field app's interface: the task is listed, taken and closed as repaired
    crew = make_user("crew", "field_crew", "330302")
    [task] = sign_tasks.open_tasks(crew)
    assert (task.shown_name, task.text, task.state) == ("解放路", "字迹褪色，被树枝遮挡", "open")
    assert sign_tasks.open_tasks(make_user("other_crew", "field_crew", "330381")) == []
    sign_tasks.take(crew, task.id)
    done = sign_tasks.complete(crew, task.id, repaired=True, outcome="已清洗并修剪树枝")
    assert done.state == "done" and Sign.objects.get(pk=sign.pk).state == SignState.INSTALLED
    signs.act(officer, sign.pk, "report_damage")
    signs.act(officer, sign.pk, "start_repair")
    signs.act(officer, sign.pk, "repair")
    signs.act(officer, sign.pk, "remove", note="道路改造")
    actions = list(Sign.objects.get(pk=sign.pk).events.values_list("action", flat=True))
    assert actions == ["register", "install", "inspect", "reported", "repair", "report_damage", "start_repair",
                       "repair", "remove"]
    assert client.get(f"/placenames/s/{sign.qr_token}/").status_code == 404  # a removed sign no longer answers


def test_the_officer_pages_register_act_and_add_a_photo_shown_on_the_public_page(road, client):
    client.force_login(lucheng_officer())
    response = client.post("/placenames/signs/new/", {"place": road.pk, "lon": "120.656", "lat": "28.014",
                                                       "material": "steel", "installed_on": "2025-06-01"})
    assert response.status_code == 302, response.content.decode()[-1500:]
    sign = Sign.objects.get()
    assert response.status_code == 302 and sign.state == "installed" and sign.material == "steel"
    photo = SimpleUploadedFile("sign.png", PNG, content_type="image/png")
    assert client.post(f"/placenames/signs/{sign.pk}/photos/", {"photo": photo, "caption": "正面"}).status_code == 302
    page = client.get(f"/placenames/signs/{sign.pk}/").content.decode()
    assert "/placenames/s/" in page and "正面" in page
    assert client.get(f"/placenames/signs/{sign.pk}/qr.svg").content.startswith(b"<svg")
    assert client.post(f"/placenames/signs/{sign.pk}/act/", {"action": "install", "version": sign.version}
                       ).status_code == 409
    assert client.post(f"/placenames/signs/{sign.pk}/act/", {"action": "fly", "version": sign.version}
                       ).status_code == 400
    assert client.post(f"/placenames/signs/{sign.pk}/act/", {"action": "inspect", "version": "x"}).status_code == 400
    # a form without its version is not taken (before, it was, over whatever the sign then was)
    assert client.post(f"/placenames/signs/{sign.pk}/act/", {"action": "inspect"}).status_code == 400
    assert client.post(f"/placenames/signs/{sign.pk}/act/", {"action": "inspect", "version": sign.version}
                       ).status_code == 302
    events = client.get(f"/placenames/signs/{sign.pk}/").content.decode()
    events = events[events.index('id="sign-events"'):events.index("</table>", events.index('id="sign-events"'))]
    assert "<td>登记</td>" in events and "<td>巡查完好</td>" in events and "<td>inspect</td>" not in events
    fake = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script>", content_type="image/png")
    assert client.post(f"/placenames/signs/{sign.pk}/photos/", {"photo": fake}).status_code == 400
    assert client.get("/placenames/signs/?state=damaged").status_code == 200
    client.logout()
    public = client.get(f"/placenames/g/{road.pk}/").content.decode()
    assert "placenames/g/photos/" in public and "不锈钢" in public
    client.force_login(ruian_officer())
    assert client.get(f"/placenames/signs/{sign.pk}/").status_code == 404
    assert client.post("/placenames/signs/new/", {"place": road.pk, "lon": "120.656", "lat": "28.014"}
                       ).status_code in (403, 404)


@pytest.mark.parametrize(("lat", "installed_on", "said"), [("38.5", "2026-11-01", "服务范围"),
                                                           ("28.014", "2026-02-30", "")])
def test_a_sign_refused_on_its_form_keeps_everything_typed(road, client, lat, installed_on, said):
    """Before, a coordinate outside the service area or a bad date replaced the form with an error page."""
    client.force_login(lucheng_officer())
    response = client.post("/placenames/signs/new/", {
        "place": road.pk, "shown_name": "观澜路（测试）", "type": "", "material": "stone", "lon": "120.649",
        "lat": lat, "installed_on": installed_on})
    page = response.content.decode()
    assert response.status_code == 400 and 'id="sign-error"' in page and said in page
    assert 'value="观澜路（测试）"' in page and 'value="stone" selected' in page and f'value="{lat}"' in page
    assert f'value="{installed_on}"' in page and not Sign.objects.exists()


def test_public_reports_are_rate_limited_and_hostile_input_answers_4xx(road, client):
    sign = signs.register(lucheng_officer(), place=road, lon=120.656, lat=28.014, installed_on=road.created_at.date())
    url = f"/placenames/s/{sign.qr_token}/"
    assert client.post(url, {"text": ""}).status_code == 400
    assert client.post(url, {"text": "x" * 5000}).status_code == 400
    statuses = [client.post(url, {"text": f"损坏 {i}"}).status_code for i in range(4)]
    assert statuses[:2] == [302, 302] and statuses[-1] == 429
    assert client.get("/placenames/s/00000000-0000-0000-0000-000000000000/").status_code == 404
    assert client.get("/placenames/s/not-a-uuid/").status_code == 404
    assert client.post("/placenames/signs/new/", {"place": road.pk}).status_code == 302  # login first


def test_a_note_or_caption_longer_than_kept_is_refused_and_the_sign_is_unchanged(road):
    """Before, a maintenance note past 2000 characters and a caption past 100 were cut without a word."""
    from gis.errors import InputError

    officer = lucheng_officer()
    sign = signs.register(officer, place=road, lon=120.656, lat=28.014)
    with pytest.raises(InputError) as refused:
        signs.act(officer, sign.pk, "install", note="字" * 2001)
    assert refused.value.code == "too_long" and "备注超过 2000 个字符" in str(refused.value)
    with pytest.raises(InputError):
        signs.add_photo(officer, sign.pk, SimpleUploadedFile("s.png", PNG, content_type="image/png"),
                        caption="字" * 101)
    sign.refresh_from_db()
    assert sign.state == "planned" and not sign.photos.exists() and sign.events.count() == 1
