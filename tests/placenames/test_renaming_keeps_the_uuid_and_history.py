"""A rename keeps the place's UUID; what a road was called on a date is one query."""

import datetime as dt

import pytest

from placenames import services
from placenames.models import ApplicationState as S
from placenames.models import ApplicationType, Place, PlaceName, PlaceStatus
from tests.base import lucheng_officer, lucheng_reviewer
from tests.placenames.builders import place, take, walk

pytestmark = pytest.mark.django_db


def rename(road, officer, reviewer, new_name):
    app = services.create_application(officer, type=ApplicationType.RENAMING, place=str(road.uuid),
                                      proposed_name=new_name, reason="道路延伸，统一名称")
    return walk(app, officer, reviewer, S.ANNOUNCED)


def test_a_renamed_road_keeps_its_uuid_and_answers_what_it_was_called(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    app = rename(road, officer, reviewer, "望江东路")
    road.refresh_from_db()
    assert app.place_id == road.uuid
    assert road.name == "望江东路" and road.pinyin == "Wangjiang Donglu"
    assert Place.objects.filter(uuid=road.uuid).count() == 1

    # SELECT full_name FROM placenames_placename WHERE place_id = %s AND valid_from <= '2015-06-01'
    #   AND (valid_to IS NULL OR valid_to > '2015-06-01')
    assert road.name_on(dt.date(2015, 6, 1)).full_name == "胜利路"
    assert road.name_on(app.approved_on).full_name == "望江东路"
    assert road.name_on(dt.date(2000, 1, 1)) is None
    history = list(road.names.order_by("valid_from").values_list("full_name", "valid_from", "valid_to"))
    assert history == [("胜利路", dt.date(2001, 3, 1), app.approved_on), ("望江东路", app.approved_on, None)]


def test_names_on_a_date_find_the_old_name_across_all_places(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    rename(road, officer, reviewer, "望江东路")
    assert list(PlaceName.objects.on(dt.date(2015, 6, 1)).filter(place=road).values_list("full_name", flat=True)) \
        == ["胜利路"]


def test_a_cancellation_retires_the_place_and_closes_its_name(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    app = services.create_application(officer, type=ApplicationType.CANCELLATION, place=str(road.uuid),
                                      reason="道路已拆除")
    app = walk(app, officer, reviewer, S.APPROVED)
    road.refresh_from_db()
    assert road.status == PlaceStatus.RETIRED
    assert road.names.current().count() == 0
    assert road.name_on(dt.date(2015, 6, 1)).full_name == "胜利路"


def test_an_officer_overridden_romanization_is_kept_on_the_name(wenzhou_counties):
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    app = services.create_application(officer, type=ApplicationType.RENAMING, place=str(road.uuid),
                                      proposed_name="乐清路", pinyin="Yueqing Lu", reason="x")
    assert app.pinyin == "Yueqing Lu"
    app = services.update_draft(officer, app.pk, version=app.version, pinyin="Yueqing Road")
    assert app.pinyin_overridden and app.pinyin == "Yueqing Road"
    walk(app, officer, reviewer, S.APPROVED)
    name = road.names.current().get()
    assert (name.pinyin, name.pinyin_overridden) == ("Yueqing Road", True)


def test_a_second_rename_the_same_day_is_refused(wenzhou_counties):
    from gis.errors import Conflict

    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    road = place("胜利路", since=dt.date(2001, 3, 1))
    rename(road, officer, reviewer, "望江东路")
    app = services.create_application(officer, type=ApplicationType.RENAMING, place=str(road.uuid),
                                      proposed_name="望江西路", reason="x")
    app = walk(app, officer, reviewer, S.CONSULTED)
    with pytest.raises(Conflict):
        take(app, reviewer, "approve", approving_authority="鹿城区人民政府")
