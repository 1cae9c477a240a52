"""A grave's history through the API, for the crews' tablets: its audit log newest first, paged, to whoever may read
the grave (its region's officers and reviewers, its crew), 404 to other regions, and never the owner's name or phone,
not even for the officer who sees them on the grave."""

import json

from django.test import TestCase

from cemeteries import services
from tests.base import lucheng_officer, ruian_officer
from tests.cemeteries.builders import LUCHENG, crew_member, grave_at, known_geography

OWNER, PHONE, NEW_OWNER, NEW_PHONE = "王五", "13611112222", "赵六", "13633334444"


class GraveHistoryApi(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer, cls.ruian = lucheng_officer(), ruian_officer()
        cls.crew = crew_member("crew_h", LUCHENG)
        grave = grave_at(100, 100, cls.officer, owner_name=OWNER, owner_phone=PHONE, grade="B")
        grave = services.update_grave(grave, cls.officer, {"grade": "A", "owner_name": NEW_OWNER,
                                                           "owner_phone": NEW_PHONE}, version=grave.version,
                                      reason="re-surveyed")
        grave = services.assign_crew(grave, cls.officer, [cls.crew], version=grave.version)
        cls.grave = services.advance(grave, cls.crew, "checked", version=grave.version, remarks="seen on site")

    def history(self, user, **params):
        self.client.force_login(user)
        return self.client.get(f"/cemeteries/api/graves/{self.grave.uuid}/history/", params)

    def test_the_log_reads_newest_first_with_each_change_by_field(self):
        body = self.history(self.officer).json()

        assert body["id"] == str(self.grave.uuid) and body["count"] == 4
        assert [r["action"] for r in body["results"]] == ["transition", "update", "update", "create"]
        step, crew, edit, made = body["results"]
        assert step["actor"] == "crew_h" and step["reason"] == "seen on site"
        assert [(c["field"], c["before"], c["after"]) for c in step["changes"]] == [("state", "identified", "checked")]
        assert crew["changes"] == [{"field": "crew", "label": crew["changes"][0]["label"], "before": [],
                                    "after": ["crew_h"], "before_text": "—", "after_text": "crew_h"}]
        assert [(c["field"], c["before"], c["after"]) for c in edit["changes"]] == [("grade", "B", "A")]
        assert edit["reason"] == "re-surveyed"
        assert {c["field"] for c in made["changes"]} >= {"geom", "area", "grade", "state"}

    def test_the_owner_is_never_in_it_for_anyone(self):
        for user in (self.officer, self.crew):
            response = self.history(user)
            text = json.dumps(response.json(), ensure_ascii=False)
            assert response.status_code == 200
            for secret in (OWNER, PHONE, NEW_OWNER, NEW_PHONE, "owner_name", "owner_phone"):
                assert secret not in text
        assert services.grave_as_dict(self.grave, self.officer)["owner_name"] == NEW_OWNER  # the officer's grave

    def test_another_region_gets_a_404_that_says_nothing(self):
        response = self.history(self.ruian)
        assert response.status_code == 404
        assert NEW_OWNER not in response.content.decode() and str(self.grave.pk) not in response.json()["error"]
        self.client.logout()
        assert self.client.get(f"/cemeteries/api/graves/{self.grave.uuid}/history/").status_code in (401, 403)

    def test_it_is_paged(self):
        body = self.history(self.officer, page_size=3, page=2).json()
        assert (body["count"], body["pages"], body["page"]) == (4, 2, 2)
        assert [r["action"] for r in body["results"]] == ["create"]
