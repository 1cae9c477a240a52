"""The demo: 文成县 bulk-loaded with some flagged records, signs in every state, a campaign partly accepted (a city
officer narrows the checking queue to a county), rural names a crew collected (waiting for review, approved with
photos, refused and sent again); building clearing it first lets it be built again over the demo roads its signs
hold."""

import pytest
from django.contrib.auth import get_user_model

from accounts.demo import build_users
from boundaries.demo import DemoContext, build_areas
from field import demo as field_demo
from field.models import Submission
from placenames import registry_demo
from placenames.demo import build_roads
from placenames.models import CheckFlag, Place, PlatformSubmission, Sign
from tests.registry.builders import ensure_categories

pytestmark = pytest.mark.django_db


def test_the_demo_builds_and_clears(db, client):
    ctx = DemoContext(scale=0.1, seed=330300, log=lambda m: None)
    build_areas(ctx)
    ensure_categories()
    build_users(ctx)
    build_roads(ctx)
    registry_demo.build_census_demo(ctx)
    codes = set(CheckFlag.objects.values_list("code", flat=True))
    assert {"homophone", "pinyin_mismatch", "far_from_area", "generic_mismatch"} <= codes
    assert set(Sign.objects.values_list("state", flat=True)) == {"planned", "installed", "damaged", "under_repair",
                                                                 "removed"}
    states = set(PlatformSubmission.objects.values_list("state", flat=True))
    assert "accepted" in states and states - {"accepted"}
    client.force_login(get_user_model().objects.get(username="city_officer"))  # checks every county: can narrow to one
    assert '<option value="330328">文成县</option>' in client.get("/placenames/checking/").content.decode()

    field_demo.build_rural_names_demo(ctx)
    subs = Submission.objects.filter(task_type="rural_name")
    assert sorted(subs.values_list("review_state", flat=True)) == ["approved", "approved", "received", "received", "received",
                                                                    "rejected"]
    assert subs.filter(title__startswith="桥头垟").count() == 2  # refused, then sent again
    approved = Place.objects.filter(name__in=("枫树岙", "龙潭背"))
    assert approved.count() == 2 and all(p.photos.filter(from_field=True).count() == 1 for p in approved)
    assert PlatformSubmission.objects.filter(entry__place__in=approved, state="to_send").count() == 4
    registry_demo.clear_census_demo(ctx)
    build_roads(ctx)  # the demo roads are rebuilt: no sign holds them any more
    assert not Sign.objects.exists() and not CheckFlag.objects.exists()
    assert not Place.objects.filter(name__in=("枫树岙", "龙潭背")).exists()
