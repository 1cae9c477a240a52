"""In a browser: the edit forms added after the first unchanged-save walk (single plate on a road, in a village and
in a residential area; a grave's crew and step; a sign's maintenance; the checking correction; a campaign name sent
again; a citizen's report triaged; a field submission's review), each opened and saved without touching anything,
leave their records as they were, and write nothing to the audit log where nothing changed. One scene, one page."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client

from accounts.roles import Role
from audit.models import Change
from audit.services import snapshot
from cemeteries import reports
from cemeteries import services as graves
from cemeteries.campaign_models import GraveReport
from cemeteries.lifecycle import advance
from cemeteries.models import Grave
from doorplates.models import Doorplate
from field.models import ReviewComment, Submission
from field.submissions import review
from placenames import campaigns, signs
from placenames.bulk import import_places
from placenames.models import Campaign, CheckFlag, Place, PlatformSubmission, Sign
from tests.base import build_wenzhou, follow, login, lucheng_officer, make_user, point
from tests.doorplates.builders import make_base, make_base_plate, make_plate, make_road
from tests.field.builders import API, jpeg, post_json, sha, upload
from tests.placenames.builders import place
from tests.registry.builders import ensure_categories, row, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VOLATILE = ("version", "updated_at")


def state(record) -> dict:
    record = type(record).objects.get(pk=record.pk)
    return {k: v for k, v in snapshot(record).items() if k not in VOLATILE}


def changes(record) -> int:
    return Change.objects.filter(object_id=str(record.pk), object_type__model=type(record)._meta.model_name).count()


@pytest.fixture
def scene(db, tmp_path):
    build_wenzhou(villages=False)
    ensure_categories()
    cache.clear()
    officer = lucheng_officer()
    crew = make_user("lucheng_crew", Role.FIELD_CREW, "330302")
    road = make_road("解放街", [(120.6450000123456, 28.0150000987654), (120.6650000456789, 28.0150000321)])
    on_road = make_plate(road, "88-1", chainage_m=301.3, left_m=10.37, building="A")
    Doorplate.objects.filter(pk=on_road.pk).update(installed_on=dt.date(2025, 6, 1))
    village = make_base("苍坡村", (120.655, 28.010), kind="village")
    in_village = make_base_plate(village, 12, offset=(0.000012345678, -0.000023456789))
    estate = make_base("翠微小区", (120.660, 28.020), kind="residential", radius=0.001)
    flat = make_base_plate(estate, building="3", unit="2", room="501", plate_type="room")

    grave = graves.register_grave(officer, geom=point(120.6531234567, 28.0121234567), owner_name="王某",
                                  owner_phone="13800000000", note="山坡\n东侧")
    graves.assign_crew(grave, officer, [crew], version=1)
    grave = advance(Grave.objects.get(pk=grave.pk), officer, "checked", version=2)
    grave = advance(grave, officer, "notified", version=3, deadline=dt.date.today() + dt.timedelta(days=45))

    sign = signs.register(officer, place=road, lon="120.6561234", lat="28.0141234", installed_on=dt.date(2025, 6, 1),
                          shown_name="解放街")

    assert import_places(write_csv(tmp_path / "f.csv", [row("光明路"), row("广明路", dy=0.002)])).committed
    flag = CheckFlag.objects.select_related("place").filter(place__name="广明路").first()

    campaign = Campaign.objects.create(name="2026 乡村著名", year=2026, target=1, county_targets={"330302": 1})
    hamlet = place("王家村", kind="village")
    campaigns.add_names(campaign, [hamlet], "office")
    campaigns.export(officer, campaign, "amap")
    refused = PlatformSubmission.objects.get(platform="amap")
    campaigns.refuse(officer, refused.pk, "名称与现场标牌不一致")

    report = reports.submit_report(source="crew", kind="new", lon=120.6541234567, lat=28.0131234567,
                                   description="山上新坟\n靠近水塘", contact="13700000000", reporter=crew)

    damaged = make_plate(road, 5, chainage_m=500, status="damaged")
    client = Client()
    client.force_login(crew)
    [task] = [t for t in client.get(f"{API}/packages/330302").json()["tasks"] if t["record_id"] == str(damaged.pk)]
    picture = jpeg(seed=7)
    upload(client, picture)
    body = {"client_id": "6f1c6a2e-3b7e-4a53-9d7c-1c2b3a4d5e6f", "task_id": task["task_id"], "type": task["type"],
            "record_id": task["record_id"], "changes": {"status": "damaged"},
            "base_versions": {k: task["versions"][k] for k in ("status",) if k in task["versions"]},
            "position": {"lon": task["geometry"]["coordinates"][0], "lat": task["geometry"]["coordinates"][1],
                         "accuracy_m": 2.0, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": sha(picture), "bytes": len(picture), "role": "before",
                        "taken_at": "2026-12-02T09:00:00+08:00", "lon": 120.6, "lat": 28.0, "heading": 90}],
            "signatures": [], "remarks": "", "made_at": "2026-12-02T09:00:00+08:00"}
    status, answer = post_json(client, "/submissions", body)
    assert status in (200, 201) and answer["state"] == "accepted", answer
    submission = Submission.objects.get()
    reviewer = make_user("lucheng_reviewer", Role.REVIEWER, "330302")
    review(reviewer, submission, "approved", "照片清楚")
    return {"plates": [on_road, in_village, flat], "grave": grave, "sign": sign, "flag": flag, "refused": refused,
            "report": report, "submission": submission}


def save(page, url, form, *, expect_url=None):
    page.goto(page.base_url + url)
    follow(page, f"{form} button[type=submit]")
    if expect_url:
        page.wait_for_url(f"**{expect_url}")
    assert page.locator(".error:visible").count() == 0, page.inner_text("main")


def test_every_newer_edit_form_saved_unchanged_leaves_its_record_unchanged(offline_page, scene):
    page = offline_page
    login(page, "lucheng_officer")

    # single plates: on a road (a dash number, a building, a position with more digits than the form shows, an
    # installation date), in a village, and a room in a residential area
    for plate in scene["plates"]:
        before, logged = state(plate), changes(plate)
        save(page, f"/doorplates/plates/{plate.pk}/edit/", "#plate-form", expect_url=f"/doorplates/plates/{plate.pk}/")
        assert state(plate) == before, plate.address
        assert changes(plate) == logged, plate.address

    # a grave: its crew form, then its step form (notified -> in remediation) writes the state and nothing else
    grave = scene["grave"]
    before, logged = state(grave), changes(grave)
    crew = sorted(grave.crew.values_list("pk", flat=True))
    save(page, f"/cemeteries/graves/{grave.uuid}/", "#crew-form")
    assert state(grave) == before and changes(grave) == logged
    assert sorted(grave.crew.values_list("pk", flat=True)) == crew
    save(page, f"/cemeteries/graves/{grave.uuid}/", "#step-form")
    after = state(grave)
    assert after.pop("state") == "in_remediation" and before.pop("state") == "notified"
    assert after == before

    # a sign's maintenance form (an installed sign inspected): the sign stays as it was
    sign = scene["sign"]
    before = state(sign)
    save(page, f"/placenames/signs/{sign.pk}/", "#sign-act")
    assert state(sign) == before
    assert Sign.objects.get(pk=sign.pk).events.latest("at").action == "inspect"

    # the checking queue's correction form, sent as it came: the record is not changed, only the flag settled
    flag = scene["flag"]
    before, logged = state(flag.place), changes(flag.place)
    page.goto(page.base_url + "/placenames/checking/")
    page.click(f"#flag-{flag.pk} details summary")
    form = page.locator(f"form[action='/placenames/checking/{flag.pk}/']:has(input[value=correct])")
    follow(page, form.locator("button[type=submit]"))
    assert state(flag.place) == before and changes(flag.place) == logged
    assert CheckFlag.objects.get(pk=flag.pk).state == "corrected"

    # a refused campaign name corrected and sent again without a new name: the place keeps its name
    refused = scene["refused"]
    hamlet = Place.objects.get(pk=refused.entry.place_id)
    before = state(hamlet)
    page.goto(page.base_url + f"/placenames/campaigns/{refused.entry.campaign_id}/")
    form = page.locator(f"form[action$='/names/{refused.pk}/']")
    follow(page, form.locator("button[type=submit]"))
    assert state(hamlet) == before and PlatformSubmission.objects.get(pk=refused.pk).state == "resent"

    # a crew's report registered as a new grave as it came: the report's text and place reach the grave unchanged
    report = scene["report"]
    before = state(report)
    save(page, f"/cemeteries/reports/{report.uuid}/", "#triage-accept")
    after = state(report)
    for name in ("status", "grave_id", "triaged_by_id", "triaged_at", "triage_note"):
        after.pop(name, None), before.pop(name, None)
    assert after == before
    made = GraveReport.objects.get(pk=report.pk).grave
    assert made.note == "山上新坟\n靠近水塘" and made.geom.coords == report.geom.coords

    # a field submission's review saved as it stands: no empty comment, the reviewer stays who reviewed
    submission = scene["submission"]
    before, comments = state(submission), ReviewComment.objects.count()
    save(page, f"/field/office/{submission.pk}/", "#review-form")
    assert state(submission) == before and ReviewComment.objects.count() == comments
