"""Joint inspection records: displacement against tolerance, both sides sign, a signed record is locked, a change
makes a new version, one side cannot sign for the other, and a line's records are its sides' alone."""

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.utils import translation

from audit.services import history
from borders import inspections
from borders.access import sides_of, visible_lines
from boundaries.inspection_models import CampaignState, MarkerRecord
from boundaries.line_models import MarkerState
from gis.crs import distance_m
from gis.errors import Conflict, IllegalTransition, NotFound, PermissionDenied
from tests.boundaries.lines_base import line_with_markers, officers


def _offset(point: Point, metres_east: float) -> Point:
    return Point(point.x + metres_east / (111_320 * 0.8829), point.y, srid=4490)  # cos(28°) ≈ 0.8829


@pytest.fixture
def setup(wenzhou_counties):
    lucheng, ouhai, city, taishun = officers()
    line = line_with_markers(lucheng)
    campaign = inspections.open_campaign(lucheng, line, year=2026, plan="逐桩检查", members=[
        {"side": "a", "name": "张三", "role": "组长"}, {"side": "b", "name": "李四", "role": "组长"}])
    return line, campaign, lucheng, ouhai, city, taishun


def test_displacement_is_measured_on_the_ellipsoid_and_flagged_beyond_the_marker_class_tolerance(setup):
    line, campaign, lucheng, *_ = setup
    first, second = line.markers.order_by("sequence")[:2]
    near = inspections.save_record(lucheng, campaign, {"state": "intact", "measured": _offset(first.geom, 0.4),
                                                      "method": "gnss", "accuracy_m": Decimal("0.02")}, marker=first)
    far = inspections.save_record(lucheng, campaign, {"state": "displaced", "measured": _offset(second.geom, 3.0),
                                                     "method": "gnss", "accuracy_m": Decimal("0.02")}, marker=second)
    assert near.tolerance_m == Decimal("1.00")  # the standard class
    assert float(near.displacement_m) == pytest.approx(0.4, abs=0.01) and not near.beyond_tolerance
    assert float(far.displacement_m) == pytest.approx(distance_m(second.geom, far.measured), abs=0.001)
    assert far.beyond_tolerance
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.IN_PROGRESS


def test_each_side_signs_for_itself_only_and_the_overseer_for_neither(setup):
    line, campaign, lucheng, ouhai, city, taishun = setup
    assert (sides_of(lucheng, line), sides_of(ouhai, line), sides_of(city, line)) == ({"a"}, {"b"}, set())
    rec = inspections.save_record(lucheng, campaign, {"state": "intact"}, marker=line.markers.first())
    with pytest.raises(PermissionDenied) as error:
        inspections.sign_record(lucheng, rec, "b")
    assert error.value.code == "not_your_side"
    with pytest.raises(PermissionDenied):
        inspections.sign_record(city, rec, "a")
    with pytest.raises(NotFound):
        inspections.sign_record(taishun, rec, "a")
    inspections.sign_record(lucheng, rec, "a")
    with pytest.raises(Conflict) as error:
        inspections.sign_record(lucheng, rec, "a")
    assert error.value.code == "already_signed"
    rec = inspections.sign_record(ouhai, rec, "b")
    assert rec.is_signed_by_both and rec.signed_a_by == lucheng and rec.signed_b_by == ouhai


def test_a_line_is_seen_by_its_two_sides_and_their_superior_only(setup):
    line, _campaign, lucheng, ouhai, city, taishun = setup
    assert [list(visible_lines(u)) for u in (lucheng, ouhai, city, taishun)] == [[line], [line], [line], []]


def test_a_change_after_signing_makes_a_new_version_that_both_sign_again(setup):
    line, campaign, lucheng, ouhai, *_ = setup
    marker = line.markers.first()
    first = inspections.save_record(lucheng, campaign, {"state": "intact"}, marker=marker)
    inspections.sign_record(lucheng, first, "a")
    second = inspections.save_record(ouhai, campaign, {"state": "damaged", "note": "桩身裂缝"}, marker=marker,
                                     version=1)
    first.refresh_from_db()
    assert (first.state, first.is_current, first.superseded_by_id) == ("intact", False, second.pk)
    assert first.signed_a_by == lucheng  # the signed version stays as it was signed
    assert (second.version, second.uuid, second.signed_a_at, second.state) == (2, first.uuid, None, "damaged")
    with pytest.raises(Conflict) as error:
        inspections.sign_record(ouhai, first, "b")
    assert error.value.code == "superseded"
    with pytest.raises(Conflict):  # the caller read version 1, which is no longer current
        inspections.save_record(ouhai, campaign, {"state": "lost"}, marker=marker, version=1)
    assert MarkerRecord.objects.current().filter(campaign=campaign).count() == 1
    assert [c.reason for c in history(second)] == ["签字后形成新版本"]


def test_a_signed_record_cannot_change_in_place(setup):
    line, campaign, lucheng, ouhai, *_ = setup
    rec = inspections.save_record(lucheng, campaign, {"state": "intact"}, marker=line.markers.first())
    inspections.sign_record(lucheng, rec, "a")
    inspections.sign_record(ouhai, rec, "b")
    inspections.save_record(lucheng, campaign, {"state": "damaged"}, marker=rec.marker)
    rec.refresh_from_db()
    assert (rec.state, rec.version, rec.signed_a_by, rec.signed_b_by) == ("intact", 1, lucheng, ouhai)


def test_a_resurvey_moves_the_register_only_when_both_sides_signed(setup):
    line, campaign, lucheng, ouhai, *_ = setup
    marker = line.markers.first()
    registered = marker.geom
    measured = _offset(registered, 5.0)
    rec = inspections.save_record(lucheng, campaign, {"state": "displaced", "measured": measured, "method": "gnss",
                                                     "action": "resurvey"}, marker=marker)
    inspections.sign_record(lucheng, rec, "a")
    marker.refresh_from_db()
    assert marker.geom.equals_exact(registered, 1e-12)
    inspections.sign_record(ouhai, rec, "b")
    marker.refresh_from_db()
    assert marker.geom.equals_exact(measured, 1e-12) and marker.state == MarkerState.INTACT and marker.version == 2
    # the log says why in words (before: "joint record 4f0c…", "signed for side A")
    with translation.override("zh-hans"):
        assert [c.reason for c in history(marker)][:1] == [f"依据双方签字的联检记录（{campaign}）"]
        assert {c.reason for c in history(rec)} >= {"甲方签字", "乙方签字"}


def test_a_new_marker_enters_the_register_when_both_sides_signed(setup):
    line, campaign, lucheng, ouhai, *_ = setup
    point = line.markers.last().geom
    rec = inspections.save_record(lucheng, campaign, {"state": "new", "measured": _offset(point, 50), "method": "gnss",
                                                     "new_sequence": 4, "new_type_code": "Q"})
    assert rec.marker is None and rec.number == f"{line.line_code}004Q"
    inspections.sign_record(lucheng, rec, "a")
    assert line.markers.count() == 3
    rec = inspections.sign_record(ouhai, rec, "b")
    assert line.markers.count() == 4 and rec.marker.number.endswith("004Q")


def test_the_joint_report_needs_every_record_signed_and_both_signatures_finish_the_campaign(setup):
    line, campaign, lucheng, ouhai, *_ = setup
    rec = inspections.save_record(lucheng, campaign, {"state": "intact"}, marker=line.markers.first())
    report = inspections.save_report(lucheng, campaign, summary="界桩完好，界线清楚。")
    with pytest.raises(IllegalTransition) as error:
        inspections.sign_report(lucheng, report, "a")
    assert error.value.code == "records_unsigned"
    inspections.sign_record(lucheng, rec, "a")
    inspections.sign_record(ouhai, rec, "b")
    inspections.sign_report(lucheng, report, "a")
    edited = inspections.save_report(ouhai, campaign, summary="界桩完好，界线清楚；建议补设一处界桩。")
    assert edited.version == 2 and edited.pk != report.pk
    inspections.sign_report(lucheng, edited, "a")
    inspections.sign_report(ouhai, edited, "b")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.REPORTED
    with pytest.raises(IllegalTransition):
        inspections.save_record(lucheng, campaign, {"state": "lost"}, marker=rec.marker)
    import datetime as dt
    inspections.file_campaign(lucheng, campaign, filed_on=dt.date(2026, 12, 1), reference="浙民备〔2026〕8号",
                              authority="浙江省民政厅")
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.FILED


def test_the_due_list_counts_five_years_from_the_last_finished_inspection(setup):
    import datetime as dt

    line, campaign, lucheng, *_ = setup
    line.agreement_date = dt.date(2003, 6, 1)
    line.save()
    due = inspections.due_list(lucheng, year=2026)
    assert [(d.line, d.last_year, d.due_year) for d in due] == [(line, None, 2008)]
    campaign.year, campaign.state = 2023, CampaignState.FILED
    campaign.save()
    assert inspections.due_list(lucheng, year=2026) == []
    assert [d.due_year for d in inspections.due_list(lucheng, year=2028)] == [2028]
