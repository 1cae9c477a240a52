"""History and audit views apply the record's own field visibility (audit.privacy): a canteen's operator and phone,
a plate's QR token and an objector's contact never reach, through before/after, someone the record hides them from."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from accounts.roles import Role
from audit.models import Change
from audit.privacy import visible_change
from audit.services import record
from canteens import services as canteens
from doorplates import services as doorplates
from placenames.models import Objection
from tests.base import RUIAN_POINT, lucheng_officer, lucheng_reviewer, make_user, platform_consumer, point
from tests.canteens.builders import at
from tests.doorplates.builders import make_road, point_at
from tests.placenames.builders import draft

pytestmark = pytest.mark.django_db

PHONE, NEW_PHONE, OPERATOR = "13905771234", "13905775678", "东山社区居委会"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def canteen(wenzhou_counties):
    officer = lucheng_officer()
    created = canteens.register_canteen(officer, name="东山社区老年食堂", geom=at(100, 100), operator=OPERATOR,
                                        operator_phone=PHONE)
    return canteens.update_canteen(created, officer, {"operator_phone": NEW_PHONE, "seats": 40},
                                   version=created.version)


@pytest.fixture
def field_crew(wenzhou_counties):
    return make_user("lucheng_field", Role.FIELD_CREW, "330302")


def test_a_field_crew_or_platform_reads_the_canteen_history_without_operator_or_phone(canteen, field_crew):
    for user in (field_crew, platform_consumer()):
        response = api(user).get(f"/canteens/api/canteens/{canteen.uuid}/history/")
        if response.status_code == 403:  # a platform account may be refused the history altogether
            continue
        assert response.status_code == 200
        text = response.content.decode()
        assert PHONE not in text and NEW_PHONE not in text and OPERATOR not in text and "operator" not in text
        update, _create = response.json()
        assert update["changed"] == ["seats", "updated_at", "version"]


def test_an_officer_or_reviewer_reads_the_phone_in_the_history(canteen):
    for user in (lucheng_reviewer(), make_user("officer2", Role.OFFICER, "330302")):
        update, create = api(user).get(f"/canteens/api/canteens/{canteen.uuid}/history/").json()
        assert (update["before"]["operator_phone"], update["after"]["operator_phone"]) == (PHONE, NEW_PHONE)
        assert "operator_phone" in update["changed"] and create["after"]["operator"] == OPERATOR


def test_the_canteen_page_lists_no_hidden_field_among_the_changes(client, canteen, field_crew):
    client.force_login(field_crew)
    page = client.get(f"/canteens/{canteen.uuid}/").content.decode()
    assert "operator" not in page[page.index('id="canteen-history"'):]
    assert OPERATOR not in page and PHONE not in page


def test_a_plates_qr_token_stays_out_of_the_history_of_those_who_may_not_print_it(wenzhou_counties, client):
    officer = lucheng_officer()
    road = make_road("解放街")
    plate = doorplates.create_plate(officer, road=road, number="8", point=point_at(road, 100, 10))
    plate = doorplates.revoke_token(officer, plate, reissue=True)
    old = Change.objects.for_object(plate).first().before["token"]

    reviewer = lucheng_reviewer()
    response = api(reviewer).get(f"/doorplates/api/plates/{plate.uuid}/history/")
    assert response.status_code == 200
    assert old not in response.content.decode() and plate.token not in response.content.decode()
    assert "token" not in response.content.decode()
    assert "public_url" not in api(reviewer).get(f"/doorplates/api/plates/{plate.uuid}/").json()["properties"]
    client.force_login(reviewer)
    page = client.get(f"/doorplates/plates/{plate.uuid}/").content.decode()
    assert plate.token not in page and "token" not in page[page.index('id="plate-history"'):]
    assert client.get(f"/doorplates/sheet/?road={road.pk}").status_code == 403

    history = api(officer).get(f"/doorplates/api/plates/{plate.uuid}/history/").json()
    assert history[0]["before"]["token"] == old and history[0]["after"]["token"] == plate.token


def staff(username: str, role: str, *areas: str):
    user = make_user(username, role, *areas)
    user.is_staff = True
    user.save()
    user.user_permissions.add(Permission.objects.get(codename="view_change"))
    return user


def test_the_admin_change_log_shows_a_non_superuser_their_regions_and_visible_fields(client, canteen):
    ruian = canteens.register_canteen(make_user("ruian", Role.OFFICER, "330381"), name="瑞安食堂",
                                      geom=point(*RUIAN_POINT))
    client.force_login(staff("lucheng_staff", Role.FIELD_CREW, "330302"))

    listing = client.get("/admin/audit/change/").content.decode()
    assert "东山社区老年食堂" in listing and ruian.name not in listing

    update = Change.objects.for_object(canteen).first()
    detail = client.get(f"/admin/audit/change/{update.pk}/change/").content.decode()
    assert "座位数" in detail  # the change, by its field labels
    assert PHONE not in detail and NEW_PHONE not in detail and "operator" not in detail and "运营" not in detail
    ruian_change = Change.objects.for_object(ruian).first()
    assert client.get(f"/admin/audit/change/{ruian_change.pk}/change/").status_code in (302, 404)

    client.force_login(staff("city_staff", Role.OFFICER, "330300"))
    detail = client.get(f"/admin/audit/change/{update.pk}/change/").content.decode()
    assert NEW_PHONE in detail


def test_an_objectors_name_and_contact_are_hidden_from_those_without_the_role(wenzhou_counties):
    objection = Objection.objects.create(application=draft(lucheng_officer(), "望海路"), text="重名", name="李四",
                                         contact="13800001111")
    before = {"name": objection.name, "contact": objection.contact, "answer": ""}
    record(objection, "update", before=before, after={**before, "answer": "已答复"})
    change = Change.objects.for_object(objection).get()

    crew = visible_change(change, make_user("crew", Role.FIELD_CREW, "330302"))
    officer = visible_change(change, make_user("officer2", Role.OFFICER, "330302"))

    assert crew.before == {"answer": ""} and crew.changed_fields() == ["answer"]
    assert officer.before == before


def test_the_admin_change_log_names_each_change_s_actor_without_a_query_a_row(client, canteen):
    """The actor may be gone (a null key, which select_related() alone does not follow): the list read each row's
    actor on its own, 100 queries a page."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(6):
        canteens.register_canteen(make_user(f"officer{n}", Role.OFFICER, "330302"), name=f"第{n}食堂",
                                  geom=point(120.655 + n / 1000, 28.012))
    client.force_login(staff("lucheng_staff", Role.FIELD_CREW, "330302"))
    with CaptureQueriesContext(connection) as queries:
        listing = client.get("/admin/audit/change/").content.decode()
    assert all(f"officer{n}" in listing for n in range(6))
    users = [q["sql"] for q in queries.captured_queries if q["sql"].startswith('SELECT "auth_user"')]
    assert len(users) <= 2, users


def test_the_admin_change_log_reads_no_distinct_dates_and_counts_once(client, canteen):
    """Years of changes are millions of rows: a date hierarchy read the distinct years of every row on every page
    (0.5 s at 1.2 million), and the log was counted whole beside the filtered count. It filters by recent days."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(staff("lucheng_staff", Role.FIELD_CREW, "330302"))
    with CaptureQueriesContext(connection) as queries:
        listing = client.get("/admin/audit/change/")
    assert listing.status_code == 200 and "at__gte=" in listing.content.decode()  # 今天, 过去7天, 本月, 今年
    changes = [q["sql"] for q in queries.captured_queries if 'FROM "audit_change"' in q["sql"]]
    assert not [q for q in changes if "DISTINCT" in q], changes
    assert len([q for q in changes if "COUNT(*)" in q]) == 1, changes
