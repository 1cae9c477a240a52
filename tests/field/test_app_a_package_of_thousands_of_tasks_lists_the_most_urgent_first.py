"""A county's package can hold thousands of tasks (the full demo: 5,736 in Taishun). The list draws the first 200,
the most urgent, and more on request; a search or a task type narrows it and starts again from the first. Drawing
them all, each sorted with a collator built per comparison, made the list and every keystroke in its search box
wait about a second (0.78 s on this machine; a tablet is slower)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.base import make_user
from tests.doorplates.builders import make_plate, make_road
from tests.field.builders import tablet_on_tasks

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LUCHENG = "330302"


@pytest.fixture
def many_tasks(wenzhou):
    make_user("lucheng_crew", "field_crew", LUCHENG)
    road = make_road("解放街")
    return [make_plate(road, n, chainage_m=float(n), status="damaged") for n in range(1, 206)]


def test_the_list_draws_two_hundred_tasks_and_the_rest_on_request(browser, live_server, many_tasks):
    context, page = tablet_on_tasks(browser, live_server, "lucheng_crew", LUCHENG)
    cards, more = page.locator("#task-list .card.task"), page.locator("#task-list .more-tasks")
    expect(cards).to_have_count(200)
    expect(more).to_have_text("再显示 5 项（还有 5 项未显示：可搜索或选择任务类型缩小范围）")
    # Titles read with their numbers as numbers: the first 200 plates, in order.
    assert cards.first.locator(".title").inner_text().endswith("解放街1号")
    assert cards.last.locator(".title").inner_text().endswith("解放街200号")

    more.click()
    expect(cards).to_have_count(205)
    expect(more).to_have_count(0)
    assert cards.last.locator(".title").inner_text().endswith("解放街205号")

    page.fill("#task-search", "解放街20")  # 20, 200 to 205
    expect(cards).to_have_count(7)
    page.fill("#task-search", "")
    expect(cards).to_have_count(200)  # a new search starts again from the first
    expect(more).to_be_visible()
    context.close()
