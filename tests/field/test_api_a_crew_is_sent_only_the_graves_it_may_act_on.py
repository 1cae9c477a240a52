"""A crew reads every grave of its county but may take a step only on the graves it is assigned to (cemeteries.access):
its package holds only those as tasks, so that no form is filled offline for a grave whose step the server then
refuses. The region's officers keep every grave they may act on; a package's listing counts what it holds; a grave
taken from the crew leaves its package at the next sync, and a form already filled for it is refused in words."""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cemeteries import services
from tests.cemeteries.builders import (
    LUCHENG,
    crew_member,
    grave_at,
    lucheng_officer_and_two_crews,
    png,
)
from tests.field.builders import API, jpeg, post_json, sha, upload


def accepted(grave, officer, *, recheck_in_days: int):
    """``grave`` taken to accepted by ``officer``, its re-check due in ``recheck_in_days``."""
    for state in ("checked", "notified", "in_remediation"):
        grave = services.advance(grave, officer, state, version=None)
    grave = services.advance(grave, officer, "remediated", version=None, method="soil_cover")
    services.add_photo(grave, officer, png(), role="road")
    grave = services.advance(grave, officer, "accepted", version=None)
    type(grave).objects.filter(pk=grave.pk).update(recheck_due_on=timezone.localdate()
                                                   + dt.timedelta(days=recheck_in_days))
    return grave


class ACrewIsSentOnlyTheGravesItMayActOn(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.officer, cls.crew, cls.other_crew = lucheng_officer_and_two_crews()
        cls.mine = grave_at(100, 100, cls.officer, owner_name="王五")
        cls.theirs = grave_at(400, 100, cls.officer, owner_name="赵六")
        cls.nobodys = grave_at(700, 100, cls.officer)
        cls.mine_to_recheck = accepted(grave_at(1000, 100, cls.officer), cls.officer, recheck_in_days=3)
        cls.theirs_to_recheck = accepted(grave_at(1300, 100, cls.officer), cls.officer, recheck_in_days=3)
        services.assign_crew(cls.mine, cls.officer, [cls.crew])
        services.assign_crew(cls.mine_to_recheck, cls.officer, [cls.crew])
        services.assign_crew(cls.theirs, cls.officer, [cls.other_crew])
        services.assign_crew(cls.theirs_to_recheck, cls.officer, [cls.other_crew])

    def package(self, user):
        self.client.force_login(user)
        return self.client.get(f"{API}/packages/{LUCHENG}").json()

    def graves(self, package, kind):
        return sorted(t["record_id"] for t in package["tasks"] if t["type"] == kind)

    def test_a_crews_package_holds_only_the_graves_it_is_assigned_to(self):
        package = self.package(self.crew)
        self.assertEqual(self.graves(package, "grave_check"), [str(self.mine.uuid)])
        self.assertEqual(self.graves(package, "grave_recheck"), [str(self.mine_to_recheck.uuid)])
        self.assertNotIn("赵六", self.client.get(f"{API}/packages/{LUCHENG}").content.decode())
        other = self.package(self.other_crew)
        self.assertEqual(self.graves(other, "grave_check"), [str(self.theirs.uuid)])
        self.assertEqual(self.graves(other, "grave_recheck"), [str(self.theirs_to_recheck.uuid)])

    def test_the_regions_officer_keeps_every_grave_of_the_region(self):
        package = self.package(self.officer)
        self.assertEqual(self.graves(package, "grave_check"),
                         sorted(str(g.uuid) for g in (self.mine, self.theirs, self.nobodys)))
        self.assertEqual(self.graves(package, "grave_recheck"),
                         sorted(str(g.uuid) for g in (self.mine_to_recheck, self.theirs_to_recheck)))

    def test_a_listing_counts_what_the_package_holds(self):
        for user in (self.crew, self.other_crew, self.officer, crew_member("crew_c", LUCHENG)):
            package = self.package(user)
            [listed] = self.client.get(f"{API}/packages").json()
            graves = [t for t in package["tasks"] if t["type"].startswith("grave_")]
            self.assertEqual(listed["task_count"], len(package["tasks"]), user.username)
            self.assertEqual(len(graves), {"crew_a": 2, "crew_b": 2, "crew_c": 0}.get(user.username, 5))

    def test_a_grave_taken_from_the_crew_leaves_its_package_at_the_next_sync(self):
        cursor = self.package(self.crew)["cursor"]
        other_cursor = self.package(self.other_crew)["cursor"]
        services.assign_crew(self.mine, self.officer, [self.other_crew])
        self.client.force_login(self.crew)
        changes = self.client.get(f"{API}/packages/{LUCHENG}/changes", {"since": cursor}).json()
        self.assertIn(f"grave_check:{self.mine.uuid}", changes["removed"])
        self.assertNotIn(str(self.mine.uuid), [t["record_id"] for t in changes["tasks"]])
        self.client.force_login(self.other_crew)
        changes = self.client.get(f"{API}/packages/{LUCHENG}/changes", {"since": other_cursor}).json()
        self.assertIn(f"grave_check:{self.mine.uuid}", [t["task_id"] for t in changes["tasks"]])

    def test_a_form_filled_before_the_grave_was_taken_from_the_crew_is_refused_in_words(self):
        [task] = [t for t in self.package(self.crew)["tasks"] if t["type"] == "grave_check"]
        services.assign_crew(self.mine, self.officer, [self.other_crew])
        photo = jpeg(1200, seed=41)
        upload(self.client, photo)
        lon, lat = task["geometry"]["coordinates"]
        status, answer = post_json(self.client, "/submissions", {
            "client_id": str(uuid.uuid4()), "task_id": task["task_id"], "type": task["type"],
            "record_id": task["record_id"], "changes": {"confirmed": True}, "base_versions": {"confirmed": task["versions"]["confirmed"]},
            "position": {"lon": lon, "lat": lat, "accuracy_m": 2.0, "method": "gnss_avg", "fixes": 5},
            "photos": [{"sha256": sha(photo), "bytes": len(photo), "role": "before",
                        "taken_at": "2026-12-02T10:00:00+08:00"}],
            "signatures": [], "remarks": "", "made_at": "2026-12-02T10:00:00+08:00"})
        self.assertEqual((status, answer["state"]), (403, "rejected"), answer)
        self.assertIn("指派外业人员", answer["detail"])
        self.mine.refresh_from_db()
        self.assertEqual((self.mine.state, self.mine.photos.count()), ("identified", 0))

    def test_a_crews_package_asks_the_database_as_often_however_many_graves_it_holds(self):
        def queries():
            with CaptureQueriesContext(connection) as captured:
                tasks = self.package(self.crew)["tasks"]
            return len(tasks), len(captured.captured_queries)

        queries()  # what a process reads once (content types) is read here
        before = queries()
        for k in range(6):
            services.assign_crew(grave_at(100 + 200 * k, 600, self.officer), self.officer, [self.crew])
        after = queries()
        self.assertEqual((after[0], after[1]), (before[0] + 6, before[1]))
