"""The crews' API answers JSON, always: 401 for a lapsed session (never a redirect, never a CSRF page), a
region's packages and tasks only to its people, hostile bodies and parameters refused with a 4xx and words, never
a 500. Packages update by what changed since their cursor; a scanned QR opens its record."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext

from audit.models import Action
from audit.services import record, snapshot
from borders import inspections
from boundaries.line_models import BoundaryMarker
from boundaries.models import AdminArea
from doorplates import services as plate_services
from doorplates.models import Doorplate
from field.models import Submission
from tests.base import build_wenzhou, make_user
from tests.doorplates.builders import TAISHUN_STRAIGHT, make_plate, make_road
from tests.field.builders import API, crew_and_officers, damaged_plates, inspection, marker_body, post_json


class ApiIsScopedAndAnswersJson(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, cls.officer, cls.ouhai, cls.taishun = crew_and_officers()
        cls.line, cls.campaign = inspection(cls.officer)
        cls.plates = damaged_plates(2)

    def setUp(self):
        self.client.force_login(self.crew)

    def package(self, client=None):
        return (client or self.client).get(f"{API}/packages/330302").json()

    def test_a_lapsed_session_is_a_401_in_json_for_reads_and_writes(self):
        anonymous = Client(enforce_csrf_checks=True)
        for method, path in (("get", "/session"), ("get", "/packages"), ("post", "/submissions"),
                             ("patch", "/uploads/" + "a" * 64)):
            response = getattr(anonymous, method)(API + path, data="{}", content_type="application/json") \
                if method != "get" else anonymous.get(API + path)
            self.assertEqual(response.status_code, 401, path)
            self.assertEqual(response.json()["error"]["code"], "not_signed_in")
            self.assertIn("登录", response.json()["error"]["message"])

    def test_a_write_without_the_csrf_token_is_refused_in_json(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.crew)
        response = client.post(f"{API}/submissions", data="{}", content_type="application/json")
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (403, "csrf_failed"))
        token = client.get(f"{API}/session").json()["csrf_token"]
        response = client.post(f"{API}/submissions", data="{}", content_type="application/json",
                               headers={"X-CSRFToken": token})
        self.assertEqual(response.status_code, 400)

    def test_the_session_and_task_types_describe_the_user_and_the_forms(self):
        session = self.client.get(f"{API}/session").json()
        self.assertEqual(session["user"]["regions"], [{"code": "330302", "name": "鹿城区"}])
        types = {t["key"]: t for t in self.client.get(f"{API}/task-types").json()}
        self.assertEqual(types["marker_inspection"]["accuracy_m"], 3.0)
        self.assertEqual(types["plate_damage"]["form"]["photo_roles"][0]["role"], "before")
        self.assertIn(["damaged", "损坏"], types["marker_inspection"]["form"]["fields"][0]["choices"])

    def test_a_region_sees_only_its_own_package_and_tasks(self):
        listing = self.client.get(f"{API}/packages").json()
        self.assertEqual([(p["id"], p["task_count"]) for p in listing], [("330302", 5)])
        self.assertEqual({t["type"] for t in self.package()["tasks"]}, {"marker_inspection", "plate_damage"})
        self.client.force_login(self.taishun)
        self.assertEqual(self.client.get(f"{API}/packages").json()[0]["id"], "330329")
        response = self.client.get(f"{API}/packages/330302")
        self.assertEqual((response.status_code, response.json()["error"]["code"]), (404, "unknown_package"))
        self.client.force_login(self.crew)
        task = self.package()["tasks"][0]
        self.client.force_login(self.taishun)
        status, answer = post_json(self.client, "/submissions", marker_body(task))
        self.assertEqual((status, answer["state"]), (404, "rejected"))
        self.assertFalse(BoundaryMarker.objects.get(uuid=task["record_id"]).records.exists())

    def test_a_listing_counts_the_tasks_its_package_holds_without_reading_them(self):
        """The listing counts damaged plates in the database (it built every task of a county, with its audit
        versions, only to count them: 2.3 s for 4,000 damaged plates of the full demo)."""
        make_plate(make_road("望江路"), 9, status="installed")
        make_plate(make_road("罗阳路", TAISHUN_STRAIGHT, county="330329"), 1, status="damaged")
        with CaptureQueriesContext(connection) as queries:
            listing = self.client.get(f"{API}/packages").json()
        # Read before the next request, which empties the log they are read from.
        self.assertTrue(queries.captured_queries)
        self.assertFalse([q for q in queries.captured_queries if 'FROM "audit_change"' in q["sql"]])
        self.assertEqual([(p["id"], p["task_count"]) for p in listing], [("330302", len(self.package()["tasks"]))])
        self.client.force_login(self.taishun)
        self.assertEqual(self.client.get(f"{API}/packages").json()[0]["task_count"], 1)

    def test_a_package_and_its_changes_come_compressed_to_a_client_that_takes_gzip(self):
        import gzip

        for path in ("/packages/330302", "/packages/330302/changes?since=" + self.package()["cursor"]):
            plain = self.client.get(API + path)
            packed = self.client.get(API + path, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
            self.assertEqual((plain.get("Content-Encoding"), packed.get("Content-Encoding")), (None, "gzip"))
            self.assertIn("Accept-Encoding", packed["Vary"])
            unpacked, whole = json.loads(gzip.decompress(packed.content)), plain.json()
            unpacked.pop("generated_at", None), whole.pop("generated_at", None)
            unpacked.pop("cursor", None), whole.pop("cursor", None)
            self.assertEqual(unpacked, whole)

    def test_a_package_offers_its_regions_pmtiles_basemap_with_the_etag_the_tiles_view_sends(self):
        self.assertIsNone(self.client.get(f"{API}/packages").json()[0]["basemap"])
        folder = Path(settings.MEDIA_ROOT) / "pmtiles"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "330302.pmtiles").write_bytes(b"PMTiles" + b"\0" * 500)
        basemap = self.client.get(f"{API}/packages").json()[0]["basemap"]
        self.assertEqual((basemap["url"], basemap["bytes"]), ("/tiles/pmtiles/330302.pmtiles", 507))
        served = self.client.get(basemap["url"], headers={"Range": "bytes=0-6"})
        self.assertEqual((served.status_code, served["ETag"]), (206, basemap["etag"]))
        self.assertEqual(self.package()["basemap"], basemap)

    def test_a_package_updates_by_what_changed_since_its_cursor(self):
        package = self.package()
        nothing = self.client.get(f"{API}/packages/330302/changes", {"since": package["cursor"]}).json()
        self.assertEqual(nothing["removed"], [])
        marker = BoundaryMarker.objects.get(uuid=package["tasks"][0]["record_id"])
        inspections.save_record(self.officer, self.campaign, {"state": "lost"}, marker=marker)
        plate_services.set_status(self.officer, self.plates[0], "installed", reason="repaired by the office")
        elsewhere = make_plate(make_road("罗阳大街", TAISHUN_STRAIGHT, county="330329"), 9, status="damaged")
        plate_services.set_status(make_user("taishun_officer", "officer", "330329"), elsewhere, "installed")
        changes = self.client.get(f"{API}/packages/330302/changes", {"since": package["cursor"]}).json()
        changed = {t["task_id"]: t for t in changes["tasks"]}
        self.assertEqual(changed[f"marker_inspection:{marker.uuid}"]["values"]["state"], "lost")
        self.assertIn(f"plate_damage:{self.plates[0].uuid}", changes["removed"])
        self.assertNotIn(f"plate_damage:{self.plates[1].uuid}", changed)
        self.assertTrue(changes["cursor"])
        self.assertNotIn(str(elsewhere.uuid), json.dumps(changes))  # another region's record is not even named
        for bad in ("", "garbage", "djE6OTk5OTk5OTk5OTk5OTk5OTk5"):
            response = self.client.get(f"{API}/packages/330302/changes", {"since": bad})
            self.assertEqual(response.status_code, 400, bad)

    def test_a_record_that_moved_out_of_the_region_is_removed_from_its_package_and_named_nowhere_else(self):
        office = Client()
        office.force_login(self.ouhai)
        lucheng, ouhai = self.package(), office.get(f"{API}/packages/330304").json()
        moved = self.plates[1]
        self.assertIn(f"plate_damage:{moved.uuid}", {t["task_id"] for t in lucheng["tasks"]})
        # The plate's area is corrected to 瓯海 (as a boundary correction or an edit of its point does), audited.
        plate = Doorplate.objects.get(pk=moved.pk)
        before = snapshot(plate)
        plate.area = AdminArea.objects.filter(code12__startswith="330304").order_by("-level").first()
        plate.save()
        record(plate, Action.UPDATE, actor=self.officer, before=before, reason="boundary correction")
        changes = self.client.get(f"{API}/packages/330302/changes", {"since": lucheng["cursor"]}).json()
        self.assertIn(f"plate_damage:{moved.uuid}", changes["removed"])
        self.assertNotIn(f"plate_damage:{moved.uuid}", {t["task_id"] for t in changes["tasks"]})
        self.assertNotIn(f"plate_damage:{self.plates[0].uuid}", changes["removed"])
        # 瓯海's officer gets it as a task of 瓯海, never as removed (it was never in a 瓯海 package before).
        there = office.get(f"{API}/packages/330304/changes", {"since": ouhai["cursor"]}).json()
        self.assertIn(f"plate_damage:{moved.uuid}", {t["task_id"] for t in there["tasks"]})
        self.assertNotIn(f"plate_damage:{moved.uuid}", there["removed"])

    def test_a_plate_s_qr_token_goes_to_crews_and_officers_and_to_no_reviewer(self):
        """The token is private to officers and crews (doorplates.models.PRIVATE), hidden on the plate's page from a
        reviewer; the field package gave it to one (found by a crawl as every role)."""
        def tokens(user):
            client = Client()
            client.force_login(user)
            return {t["qr"] for t in self.package(client)["tasks"] if t["type"] == "plate_damage"}

        plates = {p.token for p in self.plates}
        self.assertEqual(tokens(self.crew), plates)
        self.assertEqual(tokens(self.officer), plates)
        self.assertEqual(tokens(make_user("lucheng_reviewer", "reviewer", "330302")), {None})

    def test_a_scanned_qr_code_opens_its_record(self):
        marker = BoundaryMarker.objects.filter(line=self.line).first()
        found = self.client.get(f"{API}/lookup", {"qr": f"https://dm.example.org/boundaries/markers/{marker.uuid}/"})
        self.assertEqual(found.json()["task_id"], f"marker_inspection:{marker.uuid}")
        plate = self.plates[1]
        found = self.client.get(f"{API}/lookup", {"qr": plate.public_url}).json()
        self.assertEqual(found["task_id"], f"plate_damage:{plate.uuid}")
        self.assertIsNone(self.client.get(f"{API}/lookup", {"qr": "hello\u202e"}).json()["task_id"])
        self.client.force_login(self.taishun)
        self.assertIsNone(self.client.get(f"{API}/lookup", {"qr": plate.public_url}).json()["task_id"])

    def test_hostile_bodies_and_parameters_get_a_4xx_never_a_500(self):
        task = self.package()["tasks"][0]
        good = marker_body(task)
        hostile = [
            "not json", "[]", "null", "1e999999", "{" * 5000 + "}" * 5000, json.dumps({"client_id": "x"}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "changes": {"state": "\u0000"}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "changes": []}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "changes": {"nope": 1}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "base_versions": {"state": "1"}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "position": {"lon": "a", "lat": None}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "position": {"lon": 1e308, "lat": -1e308,
                                                                             "method": "rtk"}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "photos": [{"sha256": "../../etc/passwd",
                                                                            "role": "marker"}]}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "photos": "x" * 100}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "signatures": [{"role": "side_a", "signer": 5}]}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "type": ["x"]}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "record_id": {"a": 1}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "remarks": "x" * 100_000}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "changes": {"note": "备注" * 5000}}),
            json.dumps({**good, "client_id": str(uuid.uuid4()), "extra": "x" * (3 << 20)}),
        ]
        for body in hostile:
            response = self.client.post(f"{API}/submissions", data=body, content_type="application/json")
            self.assertIn(response.status_code, range(400, 500), body[:80])
            data = response.json()
            self.assertTrue(data["detail"] if data.get("state") == "rejected" else data["error"]["message"], body[:80])
        for path in ("/submissions/not-a-uuid", f"/submissions/{uuid.uuid4()}", "/packages/%00",
                     "/packages/330302/changes?since=%ff%fe", "/submissions?since=yesterday",
                     "/uploads/" + "g" * 64, "/lookup?qr=" + "%00"):
            response = self.client.get(API + path)
            self.assertIn(response.status_code, range(400, 500), path)
        self.assertEqual(self.client.delete(f"{API}/submissions").status_code, 405)
        self.assertFalse(Submission.objects.filter(state="accepted").exists())
