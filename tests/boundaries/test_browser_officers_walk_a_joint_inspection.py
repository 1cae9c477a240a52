"""In a browser, with every outside request blocked: the 鹿城 officer plans the joint inspection of the 鹿城-瓯海
line, records its markers and signs for his side; the 瓯海 officer signs for hers; the report is written and signed
by both, and the joint report downloads as a PDF. What the pages saved is what the database holds."""

import pytest
from playwright.sync_api import expect

from boundaries.inspection_models import CampaignState, InspectionCampaign, MarkerRecord
from tests.base import build_wenzhou, follow, login
from tests.boundaries.lines_base import line_with_markers, officers

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def line(db):
    build_wenzhou(villages=False)
    lucheng, *_ = officers()
    return line_with_markers(lucheng)


def logout(page):
    follow(page, "form[action$='/logout/'] button")


def sign_every_record(page, side):
    while page.locator(f"#records td.signature-{side} button.sign").count():
        follow(page, page.locator(f"#records td.signature-{side} button.sign").first)


def test_two_sides_walk_a_campaign_from_plan_to_signed_report(offline_page, line):
    page = offline_page
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/boundaries/lines/")
    page.click(f"#line-list a[href$='{line.uuid}/']")
    page.wait_for_selector("#line-map[data-ready='1']")
    page.fill("#new-campaign input[name=year]", "2026")
    page.fill("#new-campaign textarea[name=plan]", "逐桩检查，复测移位界桩。")
    page.fill("#new-campaign textarea[name=members]", "A 张三 组长\nB 李四 组长")
    page.click("#new-campaign button[type=submit]")
    page.wait_for_url("**/boundaries/campaigns/*/")
    campaign = InspectionCampaign.objects.get(line=line, year=2026)
    assert [(m.side, m.name) for m in campaign.members.all()] == [("a", "张三"), ("b", "李四")]

    markers = list(line.markers.order_by("sequence"))
    for marker, state in zip(markers, ("intact", "damaged", "displaced"), strict=True):
        page.select_option("#record-form select[name=marker]", str(marker.uuid))
        page.select_option("#record-form select[name=state]", state)
        if state == "displaced":
            page.fill("#record-form input[name=lon]", f"{marker.geom.x + 0.00003:.9f}")
            page.fill("#record-form input[name=lat]", f"{marker.geom.y:.9f}")
            page.select_option("#record-form select[name=method]", "gnss")
            page.fill("#record-form input[name=accuracy_m]", "0.02")
        follow(page, "#record-form button[type=submit]")
    expect(page.locator("#records tbody tr")).to_have_count(3)
    expect(page.locator("#records tbody tr").nth(2).locator(".badge.warning")).to_be_visible()  # beyond 1 m
    assert page.locator("#records td.signature-b button").count() == 0  # he cannot sign for 瓯海
    sign_every_record(page, "a")
    page.fill("#report-form textarea[name=summary]", "界线清楚；一处界桩损坏，一处移位，均已记录。")
    follow(page, "#report-form button[type=submit]")
    logout(page)

    login(page, "ouhai_officer")
    page.goto(page.base_url + f"/boundaries/campaigns/{campaign.uuid}/")
    assert page.locator("#records td.signature-a button").count() == 0
    sign_every_record(page, "b")
    follow(page, "#report .signature-b button.sign-report")
    logout(page)

    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/boundaries/campaigns/{campaign.uuid}/")
    follow(page, "#report .signature-a button.sign-report")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REPORTED
    assert all(r.is_signed_by_both for r in MarkerRecord.objects.current().filter(campaign=campaign))
    expect(page.locator("#filing-form")).to_be_visible()
    with page.expect_download() as download:
        page.click("#report-pdf")
    assert download.value.suggested_filename.endswith(".pdf")
    with open(download.value.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert page.blocked == [] and page.problems == []
