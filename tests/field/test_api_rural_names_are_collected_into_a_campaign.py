"""乡村著名 in the field: a crew collects a rural name into the campaign of its county (offline, sent twice: one
record); the office's approval registers the place (pinyin, checking flags, census record), adds it to the campaign
as collected by a crew with a state to send per platform, and writes the audit rows; a refusal sends its reason
back; another region's crew or officer gets nothing in."""

from __future__ import annotations

import uuid

from django.contrib.contenttypes.models import ContentType
from django.test import TestCase
from django.utils import timezone

from accounts.roles import Role
from audit.models import Change
from field.models import Submission
from placenames.models import Campaign, CampaignName, CheckFlag, Place, PlaceStatus, PlatformSubmission
from tests.base import LUCHENG_POINT, RUIAN_POINT, build_wenzhou, make_user, point
from tests.field.builders import API, jpeg, post_json, sha, upload
from tests.placenames.builders import place
from tests.registry.builders import ensure_categories

NAME = "下岙村"


def body_for(task: dict, *, name=NAME, at=LUCHENG_POINT, client_id=None) -> dict:
    return {"client_id": client_id or str(uuid.uuid4()), "task_id": task["task_id"], "type": "rural_name",
            "record_id": task["record_id"],
            "changes": {"name": name, "category": "222", "meaning": "村在山岙之下", "origin": "清初陈姓迁此建村",
                        "source": "村民口述"},
            "base_versions": {}, "position": {"lon": at[0], "lat": at[1], "accuracy_m": None, "method": "map"},
            "photos": [], "signatures": [], "remarks": "", "made_at": "2026-12-03T09:00:00+08:00"}


class RuralNamesAreCollectedIntoACampaign(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        ensure_categories()
        cls.crew = make_user("lucheng_crew", Role.FIELD_CREW, "330302")
        cls.officer = make_user("lucheng_officer", Role.OFFICER, "330302")
        cls.ruian_crew = make_user("ruian_crew", Role.FIELD_CREW, "330381")
        cls.ruian_officer = make_user("ruian_officer", Role.OFFICER, "330381")
        cls.taishun_crew = make_user("taishun_crew", Role.FIELD_CREW, "330329")
        cls.campaign = Campaign.objects.create(name="乡村著名", year=timezone.localdate().year, target=10,
                                               county_targets={"330302": 6, "330381": 4})
        # The same name registered 300 m away: a probable duplicate.
        cls.namesake = place(NAME, kind="village", geom=point(LUCHENG_POINT[0] + 0.003, LUCHENG_POINT[1]))
        place("夏岙村", kind="village")  # sounds the same: a homophone in the county

    def task(self, user=None) -> dict:
        self.client.force_login(user or self.crew)
        [task] = [t for t in self.client.get(f"{API}/packages/330302").json()["tasks"] if t["type"] == "rural_name"]
        return task

    def test_the_kind_offers_the_campaign_of_the_crews_county_and_says_so_where_none_is_under_way(self):
        self.client.force_login(self.crew)
        kinds = {t["key"]: t for t in self.client.get(f"{API}/task-types").json()}
        rural = kinds["rural_name"]
        self.assertIsNone(rural["unavailable"])
        self.assertTrue(rural["creates"] and rural["map_position"])
        fields = {f["name"]: f for f in rural["form"]["fields"]}
        self.assertEqual(set(fields), {"name", "category", "meaning", "origin", "source"})
        self.assertIn(["222", "222 农村居民点"], fields["category"]["choices"])
        self.assertEqual(fields["category"]["aliases"]["2421"], "222")  # a name kept on a device before the recoding
        self.assertNotIn("2351", [c[0] for c in fields["category"]["choices"]])  # a road is not a rural name
        task = self.task()
        self.assertEqual((task["record_id"], task["title"]), (f"{self.campaign.pk}-330302", "乡村著名 · 鹿城区"))
        self.client.force_login(self.taishun_crew)  # 泰顺 has no target in the campaign
        rural = {t["key"]: t for t in self.client.get(f"{API}/task-types").json()}["rural_name"]
        self.assertIn("乡村著名", rural["unavailable"])
        package = self.client.get(f"{API}/packages/330329").json()
        self.assertEqual([t for t in package["tasks"] if t["type"] == "rural_name"], [])

    def test_sent_twice_it_is_one_record_and_approval_registers_the_place_in_the_campaign(self):
        body = body_for(self.task())
        first = post_json(self.client, "/submissions", body)
        again = post_json(self.client, "/submissions", body)  # the device never heard the first answer
        self.assertEqual((first[0], first[1]["state"], again[0], again[1]["state"]), (201, "accepted", 200, "accepted"))
        self.assertEqual(Submission.objects.count(), 1)
        sub = Submission.objects.get()
        self.assertEqual((sub.title, sub.area_code12[:6]), (f"{NAME} · 乡村著名 · 鹿城区", "330302"))
        self.assertEqual(Place.objects.filter(name=NAME).count(), 1)  # nothing written before the review

        self.client.force_login(self.officer)
        page = self.client.get(f"/field/office/{sub.pk}/").content.decode()
        self.assertIn('id="duplicates"', page)  # the namesake 300 m away is shown as a probable duplicate
        self.assertIn(str(self.namesake.uuid), page)
        for _twice in range(2):  # a second click changes nothing
            response = self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "text": ""})
            self.assertEqual(response.status_code, 302)

        made = Place.objects.filter(name=NAME).exclude(pk=self.namesake.pk).get()
        self.assertEqual((made.status, made.kind.code, made.area.code12[:6], made.pinyin, made.census.category.code,
                          made.census.source), (PlaceStatus.IN_USE, "village", "330302", "Xia'aocun", "222", "村民口述"))
        name = made.names.current().get()
        self.assertEqual((name.meaning, name.origin), ("村在山岙之下", "清初陈姓迁此建村"))
        self.assertEqual(set(CheckFlag.objects.filter(place=made).values_list("code", flat=True)),
                         {"duplicate_registered", "homophone"})
        entry = CampaignName.objects.get(campaign=self.campaign, place=made)
        self.assertEqual(entry.collected_by, "crew")
        self.assertEqual(sorted(PlatformSubmission.objects.filter(entry=entry).values_list("platform", "state")),
                         [("amap", "to_send"), ("baidu", "to_send")])
        rows = Change.objects.filter(object_type=ContentType.objects.get_for_model(Place), object_id=str(made.pk))
        [row] = rows
        self.assertEqual((row.action, row.actor, row.before, row.after["name"], row.client_ref),
                         ("create", self.officer, None, NAME, f"field-review:{sub.client_id}"))
        self.assertTrue(Change.objects.filter(object_type__model="campaignname", object_id=str(entry.pk)).exists())
        page = self.client.get(f"/field/office/{sub.pk}/").content.decode()
        self.assertIn(f"/placenames/places/{made.pk}/", page)  # the record link opens the place made
        self.assertEqual(page.count("/placenames/places/"), 2)  # and the namesake is still listed, not the place made
        # Neither the crew member nor the source leaves through the public layer.
        features = self.client.get("/ogc/collections/places/items?limit=100").json()["features"]
        [feature] = [f for f in features if f["id"] == str(made.pk)]
        self.assertNotIn("lucheng_crew", str(feature))
        self.assertNotIn("村民口述", str(feature))

    def test_a_name_queued_before_the_recoding_is_taken_with_its_old_code_and_stored_with_the_new_one(self):
        # Queued on a tablet before migration 0009: 2421 自然村 became 222 农村居民点, 2420 行政村 became 2161.
        task = self.task()
        body = body_for(task, name="岩头")
        body["changes"]["category"] = "2421"
        self.assertEqual(post_json(self.client, "/submissions", body)[:1], (201,))
        unknown = body_for(task, name="岩尾")
        unknown["changes"]["category"] = "2422"  # neither an old code nor a current one
        status, answer = post_json(self.client, "/submissions", unknown)
        self.assertEqual((status, answer["state"]), (422, "rejected"))
        self.assertIn("类别", answer["detail"])
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        self.assertIn("222 农村居民点", self.client.get(f"/field/office/{sub.pk}/").content.decode())
        self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "text": ""})
        made = Place.objects.get(name="岩头")
        self.assertEqual(made.census.category.code, "222")
        [row] = Change.objects.filter(object_type__model="censusrecord", object_id=str(made.pk))
        self.assertEqual(row.after["category_id"], made.census.category_id)

    def test_a_refused_submission_with_a_list_for_a_choice_is_shown_to_the_office(self):
        body = body_for(self.task(), name="岩头")
        body["changes"]["category"] = ["222"]  # not a choice: refused, and kept as sent for the office to see
        self.assertEqual(post_json(self.client, "/submissions", body)[0], 422)
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        page = self.client.get(f"/field/office/{sub.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertIn("[&quot;222&quot;]", page.content.decode())

    def test_approved_as_the_registered_namesake_that_place_joins_the_campaign_and_none_is_made(self):
        body = body_for(self.task())
        self.assertEqual(post_json(self.client, "/submissions", body)[0], 201)
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        self.assertIn(f'<option value="{self.namesake.pk}">', self.client.get(f"/field/office/{sub.pk}/").content.decode())
        far = place("上垟村", kind="village")  # not a namesake near it: refused as a choice
        refused = self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "place": str(far.pk),
                                                                      "text": "按村民口述核对"})
        self.assertFalse(CampaignName.objects.exists())
        # The review comes back as it was made: the state chosen and the comment typed stay.
        self.assertEqual(refused.status_code, 400)
        self.assertIn('<option value="approved" selected>', refused.content.decode())
        self.assertIn(">按村民口述核对</textarea>", refused.content.decode())
        self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "place": str(self.namesake.pk)})
        self.assertEqual(Place.objects.filter(name=NAME).count(), 1)
        entry = CampaignName.objects.get()
        self.assertEqual((entry.place_id, entry.collected_by, entry.submissions.count()), (self.namesake.pk, "crew", 2))
        page = self.client.get(f"/field/office/{sub.pk}/").content.decode()
        self.assertIn(f'href="/placenames/places/{self.namesake.pk}/" id="record-link"', page)
        self.assertNotIn('id="duplicates"', page)

    def test_a_refusal_sends_its_reason_back_and_registers_nothing(self):
        body = body_for(self.task(), name="石门坑")
        self.assertEqual(post_json(self.client, "/submissions", body)[0], 201)
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "rejected", "text": "位置偏了，请在村口重新点选"})
        self.assertFalse(Place.objects.filter(name="石门坑").exists())
        self.client.force_login(self.crew)
        [answer] = self.client.get(f"{API}/submissions").json()
        self.assertEqual((answer["review"]["state"], answer["review"]["comments"][0]["text"]),
                         ("rejected", "位置偏了，请在村口重新点选"))

    def test_approval_puts_the_crews_photos_of_the_place_on_its_public_page_and_keeps_a_documents(self):
        place_photo, document = jpeg(seed=41), jpeg(seed=42)
        body = body_for(self.task(), name="后垟")
        body["photos"] = [{"sha256": sha(data), "bytes": len(data), "role": role, "taken_at": "2026-12-03T09:00:00+08:00",
                           "lon": LUCHENG_POINT[0], "lat": LUCHENG_POINT[1], "heading": 90}
                          for data, role in ((place_photo, "place"), (document, "evidence"))]
        for data in (place_photo, document):
            self.assertEqual(upload(self.client, data).status_code, 204)
        self.assertEqual(post_json(self.client, "/submissions", body)[0], 201)
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        for _twice in range(2):  # approved twice: the photo is on the place once
            self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "text": ""})
        made = Place.objects.get(name="后垟")
        [photo] = made.photos.all()
        self.assertEqual((photo.sha256, photo.from_field), (sha(place_photo), True))
        self.client.logout()
        page = self.client.get(f"/placenames/g/{made.pk}/").content.decode()
        self.assertIn(f"/placenames/g/place-photos/{photo.pk}/", page)
        self.assertNotIn("lucheng_crew", page)
        served = self.client.get(f"/placenames/g/place-photos/{photo.pk}/")
        self.assertEqual((served.status_code, b"".join(served.streaming_content)), (200, place_photo))

    def test_another_regions_crew_and_officer_get_nothing_in(self):
        task = self.task()
        self.client.force_login(self.ruian_crew)  # not its county's campaign
        status, answer = post_json(self.client, "/submissions", body_for(task))
        self.assertEqual((status, answer["state"]), (404, "rejected"))
        self.client.force_login(self.crew)  # its county's campaign, a position in 瑞安
        status, answer = post_json(self.client, "/submissions", body_for(task, at=RUIAN_POINT))
        self.assertEqual((status, answer["state"]), (422, "rejected"))
        self.assertIn("鹿城区", answer["detail"])
        status, _answer = post_json(self.client, "/submissions", body_for(task, name="青山岙"))
        sub = Submission.objects.get(title__startswith="青山岙")
        self.client.force_login(self.ruian_officer)
        self.assertEqual(self.client.get(f"/field/office/{sub.pk}/").status_code, 404)
        self.client.post(f"/field/office/{sub.pk}/review", {"review_state": "approved", "text": ""})
        self.assertFalse(Place.objects.filter(name="青山岙").exists())
