"""Photos are kept on the tablet by their content, so one picture can belong to a record sent and to a form still
being filled in. When the record is accepted its photo's bytes stay while the form still holds it, and the form is
sent whole later. Before, they left the device: the form showed a broken picture and was refused as missing a photo.
A record whose photo's bytes did leave the device (so an earlier version did) is sent when the server holds that
content whole already, and refused only when it does not."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from field.models import Submission
from tests.base import build_wenzhou
from tests.field.builders import crew_and_officers, damaged_plates
from tests.field.test_app_outbox_never_lies import (
    app,
    download_package,
    photo,
    record_plate,
    wait_until_accepted,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def plates(db):
    build_wenzhou(villages=False)
    crew_and_officers()
    return damaged_plates(2)


def begin_with_photo(page, plate, seed: int) -> str:
    """The plate's form, filled in with the photo of ``seed`` and left unsaved: the photo's sha256."""
    page.click("nav.tabs button[data-view=tasks]")
    page.click(f"[data-task='plate_damage:{plate.uuid}']")
    page.click("[data-field=status] button[data-value=installed]")
    page.set_input_files(".photo-role[data-role=before] input[type=file]",
                         files=[{"name": f"{seed}.jpg", "mimeType": "image/jpeg", "buffer": photo(seed)}])
    page.wait_for_selector("#task-form[data-photos='1']")
    return page.evaluate(f"Field.store.get('drafts', 'plate_damage:{plate.uuid}').then(d => d.photos[0].sha256)")


def save(page):
    page.click("#task-form button.save")
    page.wait_for_selector("#view-tasks:not([hidden])")  # kept on the device, back at the list


def client_ids(page) -> list[str]:
    return page.evaluate("Field.store.all('outbox').then(items => items.map(i => i.client_id))")


def answered(page, client_id: str) -> str:
    """The state the server's answer gave the record: accepted or rejected."""
    page.click("nav.tabs button[data-view=outbox]")
    card = page.locator(f".outbox-item[data-client='{client_id}']:is([data-state=accepted], [data-state=rejected])")
    card.wait_for(timeout=60_000)
    return card.get_attribute("data-state")


def test_the_photo_of_a_half_filled_form_stays_when_a_record_with_it_is_accepted(browser, live_server, plates):
    context, page = app(browser, live_server, workers="block")
    download_package(page)
    context.set_offline(True)
    record_plate(page, plates[0], 7)
    [first] = client_ids(page)
    shared = begin_with_photo(page, plates[1], 7)  # the same picture, in a form not saved yet
    assert page.evaluate(f"Field.store.get('outbox', '{first}').then(i => i.blobs)") == [shared]
    page.click("#task-form button:has-text('返回')")

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_until_accepted(page, [first])
    assert page.evaluate(f"Field.store.get('blobs', '{shared}').then(b => !!b)")
    page.click("nav.tabs button[data-view=tasks]")
    page.click(f"[data-task='plate_damage:{plates[1].uuid}']")
    thumb = page.locator("#task-form .photo-role[data-role=before] img.thumb")
    expect(thumb).to_have_count(1)
    page.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumb.element_handle())
    save(page)
    [second] = [c for c in client_ids(page) if c != first]
    assert answered(page, second) == "accepted"
    sub = Submission.objects.get(client_id=second)
    assert [a.sha256 for a in sub.attachments.all()] == [shared]
    assert not page.problems
    context.close()


def test_a_record_whose_photo_left_the_device_is_sent_when_the_server_holds_it_whole(browser, live_server, plates):
    context, page = app(browser, live_server, workers="block")
    download_package(page)
    record_plate(page, plates[0], 8)
    [first] = client_ids(page)
    wait_until_accepted(page, [first])
    shared = begin_with_photo(page, plates[1], 8)
    page.evaluate(f"Field.store.del('blobs', '{shared}')")  # as an earlier version of the app did
    save(page)
    [second] = [c for c in client_ids(page) if c != first]
    assert answered(page, second) == "accepted"
    sub = Submission.objects.get(client_id=second)
    assert [a.sha256 for a in sub.attachments.all()] == [shared]

    # A photo the server never had whole is still refused, with the reason.
    lost = begin_with_photo(page, plates[0], 9)
    page.evaluate(f"Field.store.del('blobs', '{lost}')")
    save(page)
    [third] = [c for c in client_ids(page) if c not in (first, second)]
    assert answered(page, third) == "rejected"
    expect(page.locator(f".outbox-item[data-client='{third}'] .line")).to_have_text("本设备上缺少这条记录的一张照片。")
    assert not Submission.objects.filter(client_id=third).exists()
    context.close()
