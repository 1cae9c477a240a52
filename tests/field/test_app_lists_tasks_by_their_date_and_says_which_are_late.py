"""A crew opens its tasks: the earliest due first (its date, then the ones with no date), each late one saying by how
many days, on the tablet's own calendar, in the list, on the task's page and on the map. Before, the list's order
depended on the order the tasks were stored in: a re-check due in December stood before one late since November."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cemeteries import services
from cemeteries.models import Grave, GraveState
from tests.base import lucheng_officer
from tests.cemeteries.builders import LUCHENG, crew_member, grave_at, known_geography
from tests.field.builders import tablet_on_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def graves(db):
    known_geography()
    officer = lucheng_officer()
    crew = crew_member("crew_a", LUCHENG)
    today = timezone.localdate()
    due = {"in_3_days": today + dt.timedelta(days=3), "late_5": today - dt.timedelta(days=5),
           "today": today, "late_1": today - dt.timedelta(days=1)}
    made = {}
    for i, (key, on) in enumerate(due.items()):
        made[key] = grave_at(100 * i, 50, officer)
        Grave.objects.filter(pk=made[key].pk).update(state=GraveState.ACCEPTED, recheck_due_on=on)
    made["to_check"] = grave_at(600, 50, officer)  # identified: checked on site, no date
    for grave in made.values():
        services.assign_crew(grave, officer, [crew])  # a crew is sent only to the graves it is assigned to
    return made


def test_the_tasks_come_earliest_due_first_and_the_late_ones_say_so(browser, live_server, graves):
    context, page = tablet_on_tasks(browser, live_server, "crew_a", LUCHENG)
    cards = page.locator("#task-list .card.task")
    expect(cards).to_have_count(5)

    order = [card.get_attribute("data-task").split(":")[1] for card in cards.all()]
    assert order == [str(graves[key].uuid) for key in ("late_5", "late_1", "today", "in_3_days", "to_check")]
    late = [card.locator(".badge.late").inner_text() if card.locator(".badge.late").count() else ""
            for card in cards.all()]
    assert late == ["逾期 5 天", "逾期 1 天", "", "", ""]

    cards.first.click()
    expect(page.locator(".task-head .badge.late")).to_have_text("逾期 5 天")

    # On the map the late ones are drawn apart (amber, the map's key says so).
    page.click("nav.tabs button[data-view=map]")
    page.wait_for_selector("#map[data-ready='1']")
    page.wait_for_function("Field.map.drawn().length === 5")
    drawn = page.evaluate("Field.map.drawn().map(f => [f.properties.task_id.split(':')[1], f.properties.late])")
    assert {uuid for uuid, late in drawn if late} == {str(graves["late_5"].uuid), str(graves["late_1"].uuid)}
    expect(page.locator("#map-key")).to_contain_text("已逾期")
    context.close()
