"""A grave's ``next_states`` (API) and the step form of its page offer a reader only the steps the server would then
take from them: every legal step to the region's officers, the crew's steps to the grave's assigned crew, none to a
crew of the region who only reads the grave (it was offered steps that were then refused)."""

import json

from django.test import TestCase

from cemeteries import services
from tests.cemeteries.builders import (
    grave_at,
    lucheng_officer_and_two_crews,
)


class AGraveOffersEachReaderOnlyTheStepsTheyMayTake(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.officer, cls.crew, cls.bystander = lucheng_officer_and_two_crews()
        cls.found = grave_at(100, 100, cls.officer)
        cls.checked = services.advance(grave_at(400, 100, cls.officer), cls.officer, "checked", version=None)
        for grave in (cls.found, cls.checked):
            services.assign_crew(grave, cls.officer, [cls.crew])

    def next_states(self, user):
        """{grave id: next_states} as the list and each grave's detail give them to ``user``."""
        self.client.force_login(user)
        listed = {g["id"]: g["next_states"] for g in self.client.get("/cemeteries/api/graves/").json()["results"]}
        for grave_id, states in listed.items():
            self.assertEqual(self.client.get(f"/cemeteries/api/graves/{grave_id}/").json()["next_states"], states)
        return listed

    def test_the_list_and_the_detail_offer_each_reader_their_own_steps(self):
        found, checked = str(self.found.uuid), str(self.checked.uuid)
        self.assertEqual(self.next_states(self.officer), {found: ["checked"], checked: ["notified"]})
        self.assertEqual(self.next_states(self.crew), {found: ["checked"], checked: []})  # the notice is the bureau's
        self.assertEqual(self.next_states(self.bystander), {found: [], checked: []})

    def test_a_step_offered_is_taken_and_one_not_offered_is_refused(self):
        self.found.refresh_from_db()
        self.client.force_login(self.bystander)
        refused = self.client.post(f"/cemeteries/api/graves/{self.found.uuid}/steps/",
                                   json.dumps({"to": "checked", "version": self.found.version}),
                                   content_type="application/json")
        self.assertEqual(refused.status_code, 403)
        self.client.force_login(self.crew)
        taken = self.client.post(f"/cemeteries/api/graves/{self.found.uuid}/steps/",
                                 json.dumps({"to": "checked", "version": self.found.version}),
                                 content_type="application/json")
        self.assertEqual((taken.status_code, taken.json()["state"]), (200, "checked"), taken.content)

    def test_the_graves_page_offers_the_crew_no_officers_step(self):
        self.client.force_login(self.crew)
        page = self.client.get(f"/cemeteries/graves/{self.checked.uuid}/").content.decode()
        self.assertNotIn('<option value="notified"', page)
        self.client.force_login(self.officer)
        page = self.client.get(f"/cemeteries/graves/{self.checked.uuid}/").content.decode()
        self.assertIn('<option value="notified"', page)
