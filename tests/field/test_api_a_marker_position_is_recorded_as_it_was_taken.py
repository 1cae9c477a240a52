"""A boundary marker's position sent from the tablet is recorded as it was taken: the app's average of the device's
fixes as a handheld GNSS position, coordinates typed in from an RTK receiver as GNSS (RTK), other typed coordinates
as typed in. The record sheet says so; a handheld position's scatter is no displacement; and a handheld position never
re-surveys a marker (it would become the register's coordinates once both sides sign)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.gis.geos import Point
from django.test import TestCase
from django.utils import translation

from boundaries.inspection_models import MarkerRecord
from boundaries.line_models import BoundaryMarker
from boundaries.outputs import record_sheet
from tests.base import build_wenzhou
from tests.field.builders import API, crew_and_officers, inspection, marker_body, post_json


def east_of(point: Point, metres: float) -> tuple[float, float]:
    return point.x + metres / (111_320 * 0.8829), point.y  # cos(28°) ≈ 0.8829


class AMarkerPositionIsRecordedAsItWasTaken(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.crew, cls.officer, _ouhai, _taishun = crew_and_officers()
        cls.line, cls.campaign = inspection(cls.officer)

    def setUp(self):
        self.client.force_login(self.crew)
        package = self.client.get(f"{API}/packages/330302").json()
        self.tasks = [t for t in package["tasks"] if t["type"] == "marker_inspection"]

    def send(self, task, *, method="gnss_avg", accuracy=1.2, metres_east=0.0, state="damaged", action=None):
        body = marker_body(task, state=state)
        marker = BoundaryMarker.objects.get(uuid=task["record_id"])
        lon, lat = east_of(marker.geom, metres_east)
        body["position"].update(lon=lon, lat=lat, accuracy_m=accuracy, method=method)
        if action is not None:
            body["changes"]["action"] = action
            body["base_versions"]["action"] = task["versions"]["action"]
        return post_json(self.client, "/submissions", body)

    def record(self, task) -> MarkerRecord:
        return MarkerRecord.objects.current().get(marker__uuid=task["record_id"])

    def test_each_way_of_taking_a_position_is_recorded_as_its_own_method(self):
        for task, method in zip(self.tasks, ("gnss_avg", "rtk", "typed"), strict=True):
            status, answer = self.send(task, method=method, accuracy=0.02 if method == "rtk" else 1.5)
            self.assertEqual((status, answer["state"]), (201, "accepted"), answer)
        self.assertEqual([(self.record(t).method, self.record(t).accuracy_m) for t in self.tasks],
                         [("handheld", Decimal("1.500")), ("gnss", Decimal("0.020")), ("typed", Decimal("1.500"))])
        with translation.override("zh-hans"):
            sheet = record_sheet(self.campaign)
        methods = {row[0]: row[4] for row in sheet.tables[0].rows}
        self.assertEqual(sorted(methods.values()), ["GNSS（RTK）", "手工输入（非测量）", "手持GNSS（多次定位平均）"])

    def test_a_handheld_position_within_its_accuracy_of_the_marker_is_no_displacement(self):
        near, far = self.tasks[:2]
        self.assertEqual(self.send(near, accuracy=2.5, metres_east=2.0, state="intact")[0], 201)
        self.assertEqual(self.send(far, accuracy=2.5, metres_east=6.0, state="displaced")[0], 201)
        near_record, far_record = self.record(near), self.record(far)
        self.assertAlmostEqual(float(near_record.displacement_m), 2.0, delta=0.05)  # measured, shown, not flagged
        self.assertEqual((near_record.tolerance_m, near_record.beyond_tolerance), (Decimal("1.00"), False))
        self.assertTrue(far_record.beyond_tolerance)  # 6 m is beyond 1 m even give or take 2.5 m

    def test_a_handheld_position_does_not_resurvey_a_marker_and_an_rtk_one_does(self):
        task = self.tasks[0]
        status, answer = self.send(task, action="resurvey", state="displaced", metres_east=4.0)
        self.assertEqual((status, answer["state"]), (422, "rejected"), answer)
        self.assertIn("测量", answer["detail"])
        self.assertFalse(MarkerRecord.objects.filter(marker__uuid=task["record_id"]).exists())
        status, answer = self.send(task, method="rtk", accuracy=0.02, action="resurvey", state="displaced",
                                   metres_east=4.0)
        self.assertEqual((status, answer["state"]), (201, "accepted"), answer)
        self.assertEqual((self.record(task).method, self.record(task).action), ("gnss", "resurvey"))

    def test_the_form_tells_the_crew_what_a_resurvey_needs(self):
        types = {t["key"]: t for t in self.client.get(f"{API}/task-types").json()}
        [action] = [f for f in types["marker_inspection"]["form"]["fields"] if f["name"] == "action"]
        self.assertIn("RTK", action["help"])
