"""The demo's synthetic neighbours give lines at every level, markers, a filed 2023 inspection of 温台线, a county
line inspection in progress, damaged, lost and displaced markers and a dispute; the topology checks find nothing."""

import pytest

from accounts.demo import build_users
from borders import demo as border_demo
from boundaries import topology
from boundaries.demo import DemoContext, build_areas
from boundaries.inspection_models import CampaignState, InspectionCampaign
from boundaries.line_models import BoundaryLine, BoundaryMarker, Dispute, MarkerState

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            ctx = DemoContext(scale=0.3, seed=330300, log=lambda m: None)
            build_areas(ctx)
            build_users(ctx)
            border_demo.build_borders(ctx)
            yield
            transaction.set_rollback(True)


def test_lines_exist_at_every_level_with_markers(demo):
    levels = set(BoundaryLine.objects.values_list("level", flat=True))
    assert levels == {"province", "city", "county", "township"}
    zhemin = BoundaryLine.objects.get(name="浙闽线")
    assert (zhemin.side_a.name, zhemin.side_b.name) == ("浙江省", "福建省")
    assert zhemin.markers.order_by("sequence").first().number == "3335001Q"
    assert BoundaryMarker.objects.filter(type_code="A").exists()
    assert all(line.markers.exists() for line in BoundaryLine.objects.filter(level__in=["province", "city"]))


def test_the_2023_inspection_of_wentai_is_filed_and_the_county_one_in_progress(demo):
    wentai = InspectionCampaign.objects.get(line__name="温台线", year=2023)
    assert wentai.state == CampaignState.FILED and wentai.reports.get(is_current=True).is_signed_by_both
    assert InspectionCampaign.objects.filter(state=CampaignState.IN_PROGRESS, line__level="county").count() == 1
    states = set(BoundaryMarker.objects.values_list("state", flat=True))
    assert {MarkerState.DAMAGED, MarkerState.LOST, MarkerState.DISPLACED} <= states
    assert Dispute.objects.count() == 1


def test_the_clean_demo_has_no_topology_problem(demo):
    report = topology.run_checks()
    assert report.total == 0, dict(report.counts)
