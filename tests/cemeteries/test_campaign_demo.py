"""The demo's graves: along a synthetic expressway and national road in the west of the demo city, in every state,
a four-month campaign about half done, two public cemeteries, every record marked synthetic."""

import pytest
from django.contrib.auth import get_user_model

from boundaries.demo import DEMO_SOURCE, DemoContext
from cemeteries.campaigns import progress
from cemeteries.demo import build_demo_graves
from cemeteries.models import Corridor, Grave, GraveState, PublicCemetery, Zone
from tests.base import build_wenzhou

pytestmark = pytest.mark.django_db


def test_the_demo_holds_graves_in_every_state_and_a_campaign_half_done():
    build_wenzhou(villages=False)
    ctx = DemoContext(scale=1.0, seed=7, log=lambda message: None)

    campaign = build_demo_graves(ctx, 240, visibility=False)

    graves = Grave.objects.filter(source=DEMO_SOURCE)
    assert graves.count() == 240 and not graves.filter(township=None).exists()
    assert set(graves.values_list("state", flat=True)) == set(GraveState.values)
    assert graves.filter(protected=True).exclude(state__in=(GraveState.IDENTIFIED, GraveState.CHECKED)).count() == 0
    assert set(graves.values_list("township__parent__code", flat=True)) <= {"330328", "330329", "330326", "330381"}
    admin = get_user_model().objects.create_superuser("demo_admin", password=None)
    p = progress(campaign, admin)
    assert 0.35 <= p.done / p.target <= 0.65 and (campaign.deadline - campaign.starts_on).days == 122
    assert PublicCemetery.objects.filter(source=DEMO_SOURCE).count() == 2
    names = [c.name for c in Corridor.objects.all()] + [z.name for z in Zone.objects.all()] + [campaign.name]
    assert all(name.endswith("（演示）") for name in names)


def test_each_county_s_crew_is_assigned_the_campaign_s_graves_in_its_county():
    """A crew is sent out only to the graves it crews (field.kinds.graves): before the demo assigned none, and its
    tablets had no grave to check."""
    from tests.base import make_user

    build_wenzhou(villages=False)
    taishun = make_user("ts_crew", "field_crew", "330329")
    make_user("ts_officer", "officer", "330329")
    campaign = build_demo_graves(DemoContext(scale=1.0, seed=7, log=lambda message: None), 240, visibility=False)

    crewed = Grave.objects.filter(crew=taishun)
    assert crewed.exists() and set(crewed.values_list("area__code12", flat=True)) <= {
        code for code in campaign.graves.values_list("area__code12", flat=True) if code.startswith("330329")}
    assert crewed.count() == campaign.graves.filter(area__code12__startswith="330329").count()
