"""In a browser: every edit form of the product, opened and saved without touching anything, leaves its record as
it was. (A canteen's 开业日期 was written into its date input as 2026/12/01, which the browser rejects and shows
empty, so saving the form unchanged erased it; numbers must reach number inputs unlocalised likewise.)"""

import datetime as dt

import pytest

from audit.services import snapshot
from borders import inspections
from boundaries.inspection_models import JointReport
from canteens.models import Canteen
from tests.base import build_wenzhou, follow, login, lucheng_officer
from tests.boundaries.lines_base import line_with_markers, officers
from tests.canteens.builders import at, known_canteens, known_geography, lonlat
from tests.doorplates.builders import make_road, numbering
from tests.placenames.builders import draft

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOLATILE = ("version", "updated_at")


def state(record) -> dict:
    record = type(record).objects.get(pk=record.pk)
    return {k: v for k, v in snapshot(record).items() if k not in VOLATILE}


@pytest.fixture
def records(db):
    known_geography()
    known_canteens()
    officer = lucheng_officer()
    canteen = Canteen.objects.create(
        name="东山社区老年食堂", geom=at(150, 120), area=Canteen.objects.first().area, status="open",
        opened_on=dt.date(2026, 12, 1), seats=1234, meals_per_sitting=60, delivers=True, delivery_radius_m=2500,
        star_rating=4, operator="东山社区居委会", operator_phone="0577-88880000", opening_hours="11:00-12:30",
        note="第一行\n第二行", address="东山路1号")
    road = make_road("望江东路", coords=[lonlat(-800, 60), lonlat(800, 60)], kind="road")
    rules = numbering(road, spacing_m=2.5, max_offset_m=45.0, odd_side="right", infill_style="dash")
    application = draft(officer, "望海路", meaning="望向大海\n面朝东海", origin="因临海得名")
    return canteen, rules, application


def test_each_edit_form_saved_unchanged_leaves_its_record_unchanged(offline_page, records):
    canteen, rules, application = records
    before = [state(canteen), state(rules), state(application)]
    page = offline_page
    login(page, "lucheng_officer")

    page.goto(page.base_url + f"/canteens/{canteen.uuid}/edit/")
    assert page.input_value("input[name=opened_on]") == "2026-12-01"
    page.click("#canteen-form button[type=submit]")
    page.wait_for_url(f"**/canteens/{canteen.uuid}/")

    page.goto(page.base_url + f"/doorplates/roads/{rules.road_id}/")
    page.click("#numbering-form >> xpath=ancestor::details/summary")
    assert page.input_value("input[name=spacing_m]") == "2.5"
    follow(page, "#numbering-form button[type=submit]")

    page.goto(page.base_url + f"/placenames/applications/{application.pk}/edit/")
    page.click("#application-form button[type=submit]")
    page.wait_for_url(f"**/placenames/applications/{application.pk}/")

    assert [state(canteen), state(rules), state(application)] == before
    assert Canteen.objects.get(pk=canteen.pk).opened_on == dt.date(2026, 12, 1)


@pytest.fixture
def campaign(db):
    build_wenzhou(villages=False)
    lucheng, *_ = officers()
    line = line_with_markers(lucheng)
    campaign = inspections.open_campaign(
        lucheng, line, year=2026, plan="逐桩检查\n复测移位界桩", starts_on=dt.date(2026, 12, 1),
        members=[{"side": "a", "name": "王东", "role": "组长"}, {"side": "b", "name": "李西", "role": "测量"}])
    inspections.save_report(lucheng, campaign, summary="界线清楚\n两处界桩待修", conclusions="维持现状")
    return campaign


def joint_inspection_state(campaign) -> dict:
    campaign.refresh_from_db()
    report = JointReport.objects.current().get(campaign=campaign)
    return {"campaign": {k: v for k, v in snapshot(campaign).items() if k not in VOLATILE},
            "members": sorted(campaign.members.values_list("side", "name", "role")),
            "report": (report.summary, report.conclusions)}


def test_the_joint_inspection_forms_saved_unchanged_leave_plan_members_and_report_unchanged(offline_page, campaign):
    before = joint_inspection_state(campaign)
    page = offline_page
    login(page, "lucheng_officer")
    page.goto(page.base_url + f"/boundaries/campaigns/{campaign.uuid}/")
    page.click("#plan-form button[type=submit]")
    page.wait_for_url(f"**/boundaries/campaigns/{campaign.uuid}/")
    page.click("#report-form button[type=submit]")
    page.wait_for_url(f"**/boundaries/campaigns/{campaign.uuid}/")
    assert joint_inspection_state(campaign) == before
