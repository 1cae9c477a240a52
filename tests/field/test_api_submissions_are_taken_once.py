"""A submission is taken once per client id: the same body again gets the first answer, another body under the
same id gets 409; photos missing make it partial until they arrive; the record is written through the domain's
audited service exactly once."""

from __future__ import annotations

import uuid

from django.test import TestCase

from audit.models import Change
from boundaries.inspection_models import MarkerRecord, RecordPhoto
from field.models import Submission
from tests.base import build_wenzhou
from tests.field.builders import API, crew_and_officers, inspection, jpeg, marker_body, post_json, sha, upload


class SubmissionsAreTakenOnce(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, cls.officer, cls.ouhai, cls.taishun = crew_and_officers()
        cls.line, cls.campaign = inspection(cls.officer)

    def setUp(self):
        self.client.force_login(self.crew)
        package = self.client.get(f"{API}/packages/330302").json()
        self.tasks = [t for t in package["tasks"] if t["type"] == "marker_inspection"]

    def test_the_package_lists_the_open_inspections_markers(self):
        self.assertEqual(len(self.tasks), 3)
        self.assertEqual(self.tasks[0]["versions"], {"state": 0, "action": 0, "reference_changes": 0, "note": 0})

    def test_the_same_submission_again_gets_the_first_answer_and_writes_once(self):
        photo = jpeg(3000, seed=1)
        self.assertEqual(upload(self.client, photo).status_code, 204)
        body = marker_body(self.tasks[0], note="碑体裂缝", photos=[photo])
        status, first = post_json(self.client, "/submissions", body)
        self.assertEqual((status, first["state"]), (201, "accepted"), first)
        status, again = post_json(self.client, "/submissions", body)
        self.assertEqual(status, 200)
        self.assertEqual({k: again[k] for k in ("client_id", "state", "conflicts")},
                         {k: first[k] for k in ("client_id", "state", "conflicts")})
        record = MarkerRecord.objects.get(marker__uuid=self.tasks[0]["record_id"])
        self.assertEqual((record.state, record.note), ("damaged", "碑体裂缝"))
        self.assertEqual(Change.objects.for_object(record).count(), 1)
        self.assertEqual(Change.objects.for_object(record).get().client_ref, f"field:{body['client_id']}")
        self.assertEqual(RecordPhoto.objects.filter(record=record).count(), 1)
        self.assertEqual(Submission.objects.count(), 1)

    def test_other_content_under_the_same_client_id_is_a_409(self):
        body = marker_body(self.tasks[1], note="一")
        self.assertEqual(post_json(self.client, "/submissions", body)[0], 201)
        status, answer = post_json(self.client, "/submissions", {**body, "remarks": "changed"})
        self.assertEqual((status, answer["error"]["code"]), (409, "client_id_reused"))
        self.assertTrue(answer["error"]["message"])

    def test_a_submission_waits_for_its_photos_then_is_written(self):
        photo = jpeg(2500, seed=2)
        body = marker_body(self.tasks[2], photos=[photo])
        status, answer = post_json(self.client, "/submissions", body)
        self.assertEqual((status, answer["state"], answer["missing"]), (201, "partial", [sha(photo)]))
        self.assertFalse(MarkerRecord.objects.filter(marker__uuid=self.tasks[2]["record_id"]).exists())
        upload(self.client, photo, chunk=1000)
        answer = self.client.get(f"{API}/submissions/{body['client_id']}").json()
        self.assertEqual((answer["state"], answer["missing"]), ("accepted", []))
        self.assertTrue(MarkerRecord.objects.filter(marker__uuid=self.tasks[2]["record_id"], state="damaged").exists())
        status, again = post_json(self.client, "/submissions", body)
        self.assertEqual((status, again["state"]), (200, "accepted"))

    def test_a_refused_submission_is_rejected_with_words_and_refused_alike_again(self):
        body = marker_body(self.tasks[0], state="melted")
        status, answer = post_json(self.client, "/submissions", body)
        self.assertEqual(status, 422)
        self.assertEqual(answer["state"], "rejected")
        self.assertTrue(answer["detail"])
        self.assertEqual(post_json(self.client, "/submissions", body), (status, answer))

    def test_a_position_worse_than_the_tasks_threshold_is_refused(self):
        body = marker_body(self.tasks[0])
        body["position"]["accuracy_m"] = 12.0
        status, answer = post_json(self.client, "/submissions", body)
        self.assertEqual((status, answer["state"]), (422, "rejected"))
        body = {**marker_body(self.tasks[0]), "client_id": str(uuid.uuid4())}
        body["position"].update(accuracy_m=12.0, method="typed")
        self.assertEqual(post_json(self.client, "/submissions", body)[1]["state"], "accepted")
