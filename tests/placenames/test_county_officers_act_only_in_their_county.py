"""A county officer neither sees nor decides another county's application; a city reviewer sees every county."""

import pytest

from gis.errors import NotFound, PermissionDenied
from placenames import services
from placenames.models import ApplicationState as S
from tests.base import city_reviewer, lucheng_officer, lucheng_reviewer, ruian_officer, taishun_field_crew
from tests.placenames.builders import draft, line_in, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def lucheng_app(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    return walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTED)


def test_another_county_officer_does_not_see_the_application(lucheng_app):
    other = ruian_officer()
    assert not services.visible_applications(other).filter(pk=lucheng_app.pk).exists()
    with pytest.raises(NotFound):
        services.get_application(other, lucheng_app.pk)


def test_another_county_officer_cannot_act_on_it(lucheng_app):
    with pytest.raises(NotFound):
        services.apply(ruian_officer(), lucheng_app.pk, "reject", version=lucheng_app.version, reason="x")
    lucheng_app.refresh_from_db()
    assert lucheng_app.state == S.CONSULTED


def test_a_city_reviewer_sees_and_decides_every_county(lucheng_app):
    reviewer = city_reviewer()
    assert services.get_application(reviewer, lucheng_app.pk) == lucheng_app
    app = services.apply(reviewer, lucheng_app.pk, "approve", version=lucheng_app.version,
                         data={"approving_authority": "鹿城区人民政府"})
    assert app.state == S.APPROVED


def test_field_crew_sees_no_application(lucheng_app):
    assert not services.visible_applications(taishun_field_crew()).exists()


def test_an_officer_cannot_draft_in_another_county(wenzhou_counties):
    with pytest.raises(PermissionDenied) as refused:
        draft(ruian_officer(), "望海路", geom=line_in("330302"))
    assert refused.value.code == "outside_region"
