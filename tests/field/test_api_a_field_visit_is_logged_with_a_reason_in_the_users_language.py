"""A tablet's visit sent without remarks is logged with a reason of its own (核实, 验收, 复查), in the user's language
like every other reason: the grave's change log in the Chinese UI read "field check"."""

from __future__ import annotations

import datetime as dt
import uuid

from django.test import TestCase
from django.utils import timezone

from audit.models import Change
from cemeteries import services
from tests.base import lucheng_officer
from tests.cemeteries.builders import LUCHENG, crew_member, grave_at, known_geography
from tests.field.builders import API, jpeg, post_json, sha, upload


class AFieldVisitIsLoggedWithAReasonInTheUsersLanguage(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer = lucheng_officer()
        cls.crew = crew_member("crew_a", LUCHENG)
        cls.grave = grave_at(100, 100, cls.officer)
        services.assign_crew(cls.grave, cls.officer, [cls.crew])

    def submit(self, user, kind, changes, photo_role, seed):
        self.client.force_login(user)
        [task] = [t for t in self.client.get(f"{API}/packages/{LUCHENG}").json()["tasks"] if t["type"] == kind]
        photo = jpeg(1500, seed=seed)
        upload(self.client, photo)
        lon, lat = task["geometry"]["coordinates"]
        status, answer = post_json(self.client, "/submissions", {
            "client_id": str(uuid.uuid4()), "task_id": task["task_id"], "type": kind, "record_id": task["record_id"],
            "changes": changes, "base_versions": {k: task["versions"][k] for k in changes},
            "position": {"lon": lon, "lat": lat, "accuracy_m": 2.0, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": sha(photo), "bytes": len(photo), "role": photo_role,
                        "taken_at": "2026-12-02T10:00:00+08:00"}],
            "signatures": [], "remarks": "", "made_at": "2026-12-02T10:00:00+08:00"})
        self.assertEqual((status, answer["state"]), (201, "accepted"), answer)

    def test_a_check_an_acceptance_and_a_recheck_are_logged_in_chinese(self):
        self.submit(self.crew, "grave_check", {"confirmed": True, "note": "碑已核实"}, "before", 51)
        for state in ("notified", "in_remediation"):
            services.advance(self.grave, self.officer, state, version=None)
        services.advance(self.grave, self.officer, "remediated", version=None, method="soil_cover")
        self.submit(self.officer, "grave_acceptance", {"result": "accepted", "note": "已覆土"}, "road", 52)
        type(self.grave).objects.filter(pk=self.grave.pk).update(
            recheck_due_on=timezone.localdate() + dt.timedelta(days=3))
        self.submit(self.crew, "grave_recheck", {"holds": "holds", "note": "未反弹"}, "road", 53)
        reasons = list(Change.objects.for_object(self.grave).exclude(reason="").values_list("reason", flat=True))
        self.assertTrue({"外业核实", "外业验收", "外业复查"} <= set(reasons), reasons)
        self.assertFalse([r for r in reasons if r.startswith("field ")], reasons)
        self.client.force_login(self.officer)
        page = self.client.get(f"/cemeteries/graves/{self.grave.uuid}/").content.decode()
        self.assertIn("外业核实", page)
        self.assertNotIn("field check", page)
