"""Menus offer only what the role can use, a refusal page is titled in Chinese with a way back and no internals,
/jobs/ never shows an officer a shell command while the worker is down (an administrator sees the remedy and is
alerted), and /favicon.ico is our own icon."""

import logging

import pytest
from django.core.cache import cache

from jobs.services import WORKER_ALERTED, WORKER_SEEN
from tests.base import administrator, lucheng_officer, sign_in, taishun_field_crew

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def menu(page) -> list[str]:
    return page.locator("nav.mainnav a").all_inner_texts()


def test_each_role_sees_its_menu_refusals_have_a_way_back_and_jobs_hide_the_shell(
        offline_page, wenzhou_counties, caplog):
    page = offline_page
    cache.delete(WORKER_SEEN)
    cache.delete(WORKER_ALERTED)
    crew, officer, admin = taishun_field_crew(), lucheng_officer(), administrator()

    page.goto(page.base_url + "/")
    assert menu(page) == [] and page.locator("#sign-in a").count() == 1  # a citizen is offered the login

    sign_in(page, crew)
    page.goto(page.base_url + "/")
    assert "地名管理" not in menu(page) and "数据导出" not in menu(page) and "数据管理" not in menu(page)
    assert "门牌管理" in menu(page) and "地图" in menu(page) and "散埋乱葬治理" in menu(page)
    assert "外业巡查" in menu(page)  # the crews' own app, which no page linked to
    for item in page.locator("nav.mainnav a").all():
        response = page.request.get(page.base_url + item.get_attribute("href"))
        assert response.status == 200, item.inner_text()

    page.goto(page.base_url + "/doorplates/")
    with page.expect_navigation():
        page.evaluate("location.assign('/placenames/')")  # an old link, followed from a page: refused
    assert page.title().startswith("无权访问")
    assert page.inner_text("h1") == "无权访问"
    body = page.inner_text("main")
    assert "只有地名审核员和审批人" in body and "role_required" not in body and ":" not in body.split("\n")[1]
    page.click("#way-back a:has-text('返回上一页')")
    assert page.url.endswith("/doorplates/")

    with caplog.at_level(logging.ERROR, logger="jobs.services"):
        page.goto(page.base_url + "/jobs/")
    notice = page.inner_text("#no-worker")
    assert "排队" in notice and "manage.py" not in page.content()
    assert any("run_jobs" in r.getMessage() for r in caplog.records)  # the administrators' alert (log + mail)

    sign_in(page, officer)
    page.goto(page.base_url + "/jobs/")
    assert "manage.py" not in page.content()

    sign_in(page, admin)
    page.goto(page.base_url + "/jobs/")
    assert "manage.py run_jobs" in page.inner_text("#no-worker")
    assert "数据管理" in menu(page)

    icon = page.request.get(page.base_url + "/favicon.ico")
    assert icon.status == 200 and icon.headers["content-type"] == "image/x-icon" and icon.body()[:4] == b"\0\0\1\0"
    assert page.blocked == [] and not [p for p in page.problems if "403" not in p]  # the refusal's own 403


def test_an_officer_s_whole_menu_fits_on_one_line_of_a_tablet(offline_page, wenzhou_counties):
    page = offline_page
    page.set_viewport_size({"width": 1024, "height": 768})
    sign_in(page, lucheng_officer())
    page.goto(page.base_url + "/cemeteries/")
    tops = {round(box["y"]) for box in (a.bounding_box() for a in page.locator("nav.mainnav a").all())}
    assert len(menu(page)) == 10 and len(tops) == 1, (menu(page), tops)
    assert page.locator("nav.mainnav a[aria-current=page]").inner_text() == "散埋乱葬治理"
