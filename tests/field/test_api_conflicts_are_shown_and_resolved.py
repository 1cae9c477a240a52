"""A field the office changed since the version the crew saw is never overwritten: the submission is held as a
conflict that shows both values, and the crew or the office resolves it (keeping either value)."""

from __future__ import annotations

from django.test import TestCase

from audit.models import Change
from borders import inspections
from boundaries.inspection_models import MarkerRecord
from boundaries.line_models import BoundaryMarker
from field.models import Submission
from tests.base import build_wenzhou
from tests.field.builders import API, crew_and_officers, inspection, marker_body, post_json


class ConflictsAreShownAndResolved(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, cls.officer, cls.ouhai, _taishun = crew_and_officers()
        cls.line, cls.campaign = inspection(cls.officer)

    def setUp(self):
        self.client.force_login(self.crew)
        self.tasks = self.client.get(f"{API}/packages/330302").json()["tasks"]

    def office_records(self, task, **data):
        marker = BoundaryMarker.objects.get(uuid=task["record_id"])
        return inspections.save_record(self.officer, self.campaign, {"state": "intact", **data}, marker=marker)

    def conflicting_submission(self, task):
        self.office_records(task, note="office")  # after the crew downloaded its package
        body = marker_body(task, state="damaged")
        del body["changes"]["note"], body["base_versions"]["note"]
        status, answer = post_json(self.client, "/submissions", body)
        self.assertEqual((status, answer["state"]), (201, "conflict"), answer)
        [conflict] = answer["conflicts"]
        label = conflict.pop("label")
        self.assertEqual(conflict, {"field": "state", "yours": "damaged", "theirs": "intact", "base_version": 0,
                                    "current_version": 1})
        self.assertIn(label, answer["detail"])
        self.assertNotEqual(label, "State found")  # words for people, in Chinese
        record = MarkerRecord.objects.get(marker__uuid=task["record_id"], is_current=True)
        self.assertEqual(record.state, "intact")  # nothing written
        return body

    def test_the_crew_keeps_its_value(self):
        task = self.tasks[0]
        body = self.conflicting_submission(task)
        status, answer = post_json(self.client, f"/submissions/{body['client_id']}/resolve",
                                   {"choices": {"state": "yours"}})
        self.assertEqual((status, answer["state"], answer["conflicts"]), (200, "accepted", []))
        record = MarkerRecord.objects.get(marker__uuid=task["record_id"], is_current=True)
        self.assertEqual((record.state, record.note), ("damaged", "office"))
        latest = Change.objects.for_object(record).first()
        self.assertEqual((latest.actor, latest.before["state"], latest.after["state"]), (self.crew, "intact", "damaged"))
        # the package now carries the new version, and a resend changes nothing
        fresh = next(t for t in self.client.get(f"{API}/packages/330302").json()["tasks"]
                     if t["record_id"] == task["record_id"])
        self.assertEqual((fresh["values"]["state"], fresh["versions"]["state"]), ("damaged", 2))
        self.assertEqual(post_json(self.client, "/submissions", body)[1]["state"], "accepted")
        self.assertEqual(Change.objects.for_object(record).count(), 2)

    def test_the_office_keeps_its_value_on_the_review_page(self):
        task = self.tasks[1]
        body = self.conflicting_submission(task)
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        page = self.client.get(f"/field/office/{sub.pk}/")
        self.assertContains(page, "完好")
        response = self.client.post(f"/field/office/{sub.pk}/resolve", {"choice_state": "theirs"})
        self.assertEqual(response.status_code, 302)
        sub.refresh_from_db()
        self.assertEqual(sub.state, "accepted")
        record = MarkerRecord.objects.get(marker__uuid=task["record_id"], is_current=True)
        self.assertEqual(record.state, "intact")
        self.client.force_login(self.crew)
        answer = self.client.get(f"{API}/submissions/{body['client_id']}").json()
        self.assertEqual((answer["state"], answer["conflicts"]), ("accepted", []))

    def test_a_refused_resolution_on_the_review_page_keeps_the_choices_made(self):
        task = self.tasks[1]
        self.office_records(task, note="office")
        body = marker_body(task, state="damaged", note="crew")  # both fields changed on both sides
        self.assertEqual(post_json(self.client, "/submissions", body)[1]["state"], "conflict")
        sub = Submission.objects.get(client_id=body["client_id"])
        self.assertEqual({c["field"] for c in sub.conflicts}, {"state", "note"})
        self.client.force_login(self.officer)
        refused = self.client.post(f"/field/office/{sub.pk}/resolve", {"choice_state": "theirs"})  # none for the note
        self.assertEqual(refused.status_code, 400)
        page = refused.content.decode()
        self.assertIn('name="choice_state" value="theirs" checked>', page)
        self.assertIn('name="choice_note" value="yours" required>', page)  # nothing chosen there: nothing ticked
        self.assertNotIn('value="yours" required checked', page)
        note = next(c for c in sub.conflicts if c["field"] == "note")
        self.assertIn(f"{note['label']}", page)  # the message names the field without a choice
        sub.refresh_from_db()
        self.assertEqual(sub.state, "conflict")  # nothing written

    def test_a_change_that_agrees_with_the_office_is_no_conflict(self):
        task = self.tasks[2]
        self.office_records(task)
        body = marker_body(task, state="intact")
        del body["changes"]["note"], body["base_versions"]["note"]
        self.assertEqual(post_json(self.client, "/submissions", body)[1]["state"], "accepted")

    def test_the_office_reads_a_refused_submission_however_odd_its_body(self):
        body = {**marker_body(self.tasks[2]), "changes": ["state", "lost"], "remarks": {"x": 1},
                "position": [1, 2]}
        self.assertEqual(post_json(self.client, "/submissions", body)[1]["state"], "rejected")
        sub = Submission.objects.get(client_id=body["client_id"])
        self.client.force_login(self.officer)
        page = self.client.get(f"/field/office/{sub.pk}/")
        self.assertEqual(page.status_code, 200)
        self.assertContains(page, "已退回")
        self.assertEqual(self.client.get("/field/office/?review=received&state=rejected").status_code, 200)
        self.client.force_login(self.ouhai)  # the marker is 鹿城's to maintain: 瓯海's officer does not review it
        self.assertEqual(self.client.get(f"/field/office/{sub.pk}/").status_code, 404)

    def test_a_resolution_must_choose_for_every_field(self):
        body = self.conflicting_submission(self.tasks[0])
        status, answer = post_json(self.client, f"/submissions/{body['client_id']}/resolve", {"choices": {}})
        self.assertEqual((status, answer["error"]["code"]), (400, "choice_required"))
        status, answer = post_json(self.client, f"/submissions/{body['client_id']}/resolve",
                                   {"choices": {"state": "mine"}})
        self.assertEqual(status, 400)
