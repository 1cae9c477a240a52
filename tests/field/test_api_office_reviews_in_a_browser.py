"""In a browser at 1024x768: the region's officer lists what the crew sent, opens a submission with its photo and
a conflict that shows both values, keeps the office's value, marks it as having issues with a comment, and the
crew reads the comment at its next sync. The pages show words for people, no codes or internals."""

from __future__ import annotations

import io
import os

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from borders import inspections
from boundaries.line_models import BoundaryMarker
from tests.base import build_wenzhou, login, make_user
from tests.field.builders import API, crew_and_officers, inspection, marker_body, post_json, sha, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = os.environ.get("FIELD_SCREENSHOTS", "")  # a folder to keep the screenshots in, to look at them
INTERNALS = ("marker_inspection", "client_id", "sha256", "Traceback", "field:", "base_version", "None")


def photo_jpeg() -> bytes:
    image = Image.new("RGB", (640, 480), (70, 120, 90))
    for x in range(200, 440):
        for y in range(140, 340):
            image.putpixel((x, y), (200, 190, 170))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


@pytest.fixture
def sent(db):
    build_wenzhou(villages=False)
    crew, officer, _ouhai, _taishun = crew_and_officers()
    crew.first_name = "张外业"
    crew.save()
    _line, campaign = inspection(officer)
    client = Client()
    client.force_login(crew)
    tasks = client.get(f"{API}/packages/330302").json()["tasks"]
    picture = photo_jpeg()
    upload(client, picture)
    plain = marker_body(tasks[0], note="碑体完好", photos=[picture])
    assert post_json(client, "/submissions", plain)[1]["state"] == "accepted"
    marker = BoundaryMarker.objects.get(uuid=tasks[1]["record_id"])
    inspections.save_record(officer, campaign, {"state": "intact"}, marker=marker)
    conflicting = marker_body(tasks[1], state="damaged", photos=[picture])
    del conflicting["changes"]["note"], conflicting["base_versions"]["note"]
    assert post_json(client, "/submissions", conflicting)[1]["state"] == "conflict"
    return client, conflicting, picture


def shot(page, name):
    if SHOTS:
        page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def no_internals(page):
    text = page.inner_text("body")
    for word in INTERNALS:
        assert word not in text, word


def test_an_officer_reviews_resolves_and_comments_and_the_crew_reads_it(page, sent):
    client, conflicting, picture = sent
    page.set_viewport_size({"width": 1024, "height": 768})
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/field/office/")
    expect(page.locator("#submissions tbody tr")).to_have_count(2)
    expect(page.locator("#submissions")).to_contain_text("有冲突")
    expect(page.locator("#submissions")).to_contain_text("张外业")
    no_internals(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    shot(page, "office-list")

    page.click(f"#submissions tr[data-client-id='{conflicting['client_id']}'] a")
    expect(page.locator("#conflicts")).to_contain_text("损坏")  # the crew's value
    expect(page.locator("#conflicts")).to_contain_text("完好")  # the office's value
    page.wait_for_function("document.querySelector('#photos img') && document.querySelector('#photos img').naturalWidth > 0")
    # A link to the record itself, and a small map of its registered position and where the crew stood.
    assert page.get_attribute("#record-link", "href") == reverse("borders:marker", args=[conflicting["record_id"]])
    expect(page.locator("#record-link")).to_have_text("打开记录")
    page.wait_for_selector("#office-map[data-ready='1']")
    where = conflicting["position"]
    assert page.evaluate("JSON.parse(document.getElementById('office-map-data').textContent).crew") == [
        where["lon"], where["lat"]]
    assert page.locator(".map-key").inner_text().count("位置") == 2
    assert page.evaluate("document.querySelector('#photos img').naturalWidth") == 640
    no_internals(page)
    shot(page, "office-conflict")

    page.check("#conflicts input[value=theirs]")
    page.click("#resolve-form button[type=submit]")
    expect(page.locator("#sync-state")).to_have_text("已接收")
    page.select_option("#review-form select[name=review_state]", "has_issues")
    page.fill("#review-form textarea[name=text]", "请补拍界桩正面照片")
    page.click("#review-form button[type=submit]")
    expect(page.locator("#comments")).to_contain_text("请补拍界桩正面照片")
    expect(page.locator("#review-state")).to_have_text("有问题")
    no_internals(page)
    shot(page, "office-reviewed")

    answers = {a["client_id"]: a for a in client.get(f"{API}/submissions").json()}
    answer = answers[conflicting["client_id"]]
    assert answer["state"] == "accepted" and answer["conflicts"] == []
    assert answer["review"]["state"] == "has_issues"
    assert answer["review"]["comments"][0]["text"] == "请补拍界桩正面照片"
    record = BoundaryMarker.objects.get(uuid=conflicting["record_id"]).records.get(is_current=True)
    assert record.state == "intact"
    photo = client.get(page.url.replace(page.base_url, "") + f"photos/{sha(picture)}")
    assert photo.status_code == 200  # the crew that sent it may see it
    taishun = Client()
    taishun.force_login(make_user("x_officer", "officer", "330329"))
    assert taishun.get(page.url.replace(page.base_url, "")).status_code == 404
    assert taishun.get(page.url.replace(page.base_url, "") + f"photos/{sha(picture)}").status_code == 404
