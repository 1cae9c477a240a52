"""Graves to check, accept and re-check reach the crews' packages and come back through the cemeteries' audited
services: the owner's data only for the assigned crew and the region's officers, a position worse than 5 m
refused, photos attached as stored (no second copy), the domain's own rules (who may take which step) kept."""

from __future__ import annotations

import datetime as dt
import uuid

from django.test import TestCase
from django.utils import timezone

from audit.models import Change
from cemeteries import services
from tests.cemeteries.builders import (
    LUCHENG,
    RUIAN,
    crew_member,
    grave_at,
    lucheng_officer_and_two_crews,
)
from tests.field.builders import API, jpeg, post_json, sha, upload


def body(task, changes, *, photos=(), accuracy=2.0, client_id=None):
    lon, lat = task["geometry"]["coordinates"]
    return {"client_id": client_id or str(uuid.uuid4()), "task_id": task["task_id"], "type": task["type"],
            "record_id": task["record_id"], "changes": changes,
            "base_versions": {k: task["versions"][k] for k in changes if k in task["versions"]},
            "position": {"lon": lon, "lat": lat, "accuracy_m": accuracy, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": sha(p), "bytes": len(p), "role": role, "taken_at": "2026-12-02T10:00:00+08:00"}
                       for role, p in photos], "signatures": [], "remarks": "现场核实", "made_at": "2026-12-02T10:00:00+08:00"}


class GravesThroughTheCemeteriesServices(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.officer, cls.crew, cls.other_crew = lucheng_officer_and_two_crews()
        cls.ruian_crew = crew_member("crew_r", RUIAN)
        cls.grave = grave_at(100, 100, cls.officer, owner_name="王五", owner_phone="13900000001")
        services.assign_crew(cls.grave, cls.officer, [cls.crew])
        cls.remediated = grave_at(300, 300, cls.officer)
        for state in ("checked", "notified", "in_remediation"):
            services.advance(cls.remediated, cls.officer, state, version=None)
        services.advance(cls.remediated, cls.officer, "remediated", version=None, method="soil_cover")

    def tasks(self, user, kind):
        self.client.force_login(user)
        return [t for t in self.client.get(f"{API}/packages/{LUCHENG}").json()["tasks"] if t["type"] == kind]

    def test_owner_data_reaches_only_the_assigned_crew_and_the_regions_officers(self):
        [task] = self.tasks(self.crew, "grave_check")
        self.assertEqual(task["personal"], {"owner_name": "王五", "owner_phone": "13900000001"})
        [task] = self.tasks(self.officer, "grave_check")
        self.assertEqual(task["personal"], {"owner_name": "王五", "owner_phone": "13900000001"})
        self.assertEqual(self.tasks(self.other_crew, "grave_check"), [])  # not its grave: no task, no owner
        self.assertNotIn("王五", self.client.get(f"{API}/packages/{LUCHENG}").content.decode())
        self.client.force_login(self.ruian_crew)
        self.assertEqual(self.client.get(f"{API}/packages/{LUCHENG}").status_code, 404)
        self.assertEqual(self.client.get(f"{API}/packages").json()[0]["task_count"], 0)

    def test_the_assigned_crew_checks_a_grave_on_site(self):
        [task] = self.tasks(self.crew, "grave_check")
        photo = jpeg(4000, seed=30)
        upload(self.client, photo)
        status, answer = post_json(self.client, "/submissions",
                                   body(task, {"confirmed": True, "tomb_count": 2, "grade": "A"},
                                        photos=[("before", photo)]))
        self.assertEqual((status, answer["state"]), (201, "accepted"), answer)
        self.grave.refresh_from_db()
        self.assertEqual((self.grave.state, self.grave.tomb_count, self.grave.grade), ("checked", 2, "A"))
        [photo_row] = self.grave.photos.all()
        self.assertEqual(photo_row.sha256, sha(photo))
        self.assertTrue(photo_row.image.name.startswith("field/uploads/"))  # the stored upload, not a copy
        refs = set(Change.objects.for_object(self.grave).values_list("client_ref", flat=True))
        self.assertIn(f"field:{answer['client_id']}", refs)
        self.assertEqual(self.tasks(self.crew, "grave_check"), [])  # done: it left the package

    def test_a_position_worse_than_five_metres_is_refused(self):
        [task] = self.tasks(self.crew, "grave_check")
        photo = jpeg(1000, seed=31)
        upload(self.client, photo)
        status, answer = post_json(self.client, "/submissions",
                                   body(task, {"confirmed": True}, photos=[("before", photo)], accuracy=8.0))
        self.assertEqual((status, answer["state"]), (422, "rejected"))
        self.assertIn("5.0", answer["detail"])
        self.grave.refresh_from_db()
        self.assertEqual(self.grave.state, "identified")

    def test_a_crew_not_assigned_to_the_grave_is_refused_by_the_domains_rule(self):
        self.assertEqual(self.tasks(self.other_crew, "grave_check"), [])  # not in its package either
        [task] = self.tasks(self.crew, "grave_check")
        self.client.force_login(self.other_crew)
        photo = jpeg(1000, seed=32)
        upload(self.client, photo)
        status, answer = post_json(self.client, "/submissions",
                                   body(task, {"confirmed": True}, photos=[("before", photo)]))
        self.assertEqual((status, answer["state"]), (403, "rejected"))
        self.grave.refresh_from_db()
        self.assertEqual((self.grave.state, self.grave.photos.count()), ("identified", 0))

    def test_the_townships_officer_accepts_on_site_then_a_recheck_finds_a_rebound(self):
        self.assertEqual(self.tasks(self.crew, "grave_acceptance"), [])  # an officer's step
        [task] = self.tasks(self.officer, "grave_acceptance")
        road = jpeg(1500, seed=33)
        upload(self.client, road)
        status, answer = post_json(self.client, "/submissions", body(task, {"result": "accepted"},
                                                                     photos=[("road", road)]))
        self.assertEqual((status, answer["state"]), (201, "accepted"), answer)
        self.remediated.refresh_from_db()
        self.assertEqual(self.remediated.state, "accepted")
        type(self.remediated).objects.filter(pk=self.remediated.pk).update(
            recheck_due_on=timezone.localdate() + dt.timedelta(days=3))
        [task] = self.tasks(self.officer, "grave_recheck")
        again = jpeg(1500, seed=34)
        upload(self.client, again)
        status, answer = post_json(self.client, "/submissions", body(task, {"holds": "rebounded"},
                                                                     photos=[("road", again)]))
        self.assertEqual((status, answer["state"]), (201, "accepted"), answer)
        self.remediated.refresh_from_db()
        self.assertEqual((self.remediated.state, self.remediated.rebounds), ("rebounded", 1))
