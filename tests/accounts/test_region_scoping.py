import pytest

from accounts.scoping import area_prefixes, can_act_in, require_area, scope
from boundaries.models import AdminArea
from gis.errors import PermissionDenied
from tests.base import administrator, city_reviewer, lucheng_officer, make_user, ruian_officer

pytestmark = pytest.mark.django_db


def test_a_county_officer_sees_only_areas_in_that_county(wenzhou):
    officer = lucheng_officer()
    visible = scope(AdminArea.objects.all(), officer, "")
    assert visible.count() > 1
    assert set(visible.values_list("code12", flat=True)) == set(
        AdminArea.objects.filter(code12__startswith="330302").values_list("code12", flat=True))


def test_a_city_reviewer_sees_every_county(wenzhou):
    assert scope(AdminArea.objects.at_level("county"), city_reviewer(), "").count() == 12


def test_a_user_with_no_area_sees_nothing(wenzhou):
    nobody = make_user("nobody", "officer")
    assert area_prefixes(nobody) == ()
    assert not scope(AdminArea.objects.all(), nobody, "").exists()


def test_an_administrator_is_not_restricted(wenzhou):
    assert area_prefixes(administrator()) is None


def test_acting_outside_the_county_is_refused_with_the_reason(wenzhou):
    officer = ruian_officer()
    assert can_act_in(officer, AdminArea.objects.get(code="330381002"))
    with pytest.raises(PermissionDenied) as exc:
        require_area(officer, AdminArea.objects.get(code="330302006"), roles=("officer",))
    assert exc.value.code == "outside_region"
    with pytest.raises(PermissionDenied) as exc:
        require_area(officer, AdminArea.objects.get(code="330381002"), roles=("reviewer",))
    assert exc.value.code == "role_required"


def test_scoping_follows_a_foreign_key_path(wenzhou):
    from accounts.models import AreaAssignment

    officer = lucheng_officer()
    other = ruian_officer()
    rows = scope(AreaAssignment.objects.all(), officer, "area")
    assert list(rows.values_list("user__username", flat=True)) == [officer.username]
    assert other.username not in rows.values_list("user__username", flat=True)
