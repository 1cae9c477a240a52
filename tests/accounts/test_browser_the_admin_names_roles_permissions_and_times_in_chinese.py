"""The admin names roles (groups) and permissions in Chinese, its select boxes speak Chinese whole ("Choose 组 by
selecting them" was half English), and the change log's title and body give the same local time, the change as
labelled fields, never JSON."""

import pytest
from django.contrib.auth.models import Group
from django.utils.timezone import localtime

from audit.models import Change
from canteens import services
from tests.base import administrator, lucheng_officer, sign_in
from tests.canteens.builders import canteen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_roles_permissions_and_the_change_log_read_in_chinese(offline_page, wenzhou_counties):
    page = offline_page
    officer = lucheng_officer()
    sign_in(page, administrator())
    place = canteen("东山社区老年食堂", 900, 0, area="330302")
    services.update_canteen(place, officer, {"seats": 48})
    change = Change.objects.filter(object_id=str(place.pk)).latest("at")

    page.goto(page.base_url + "/admin/")
    headings = page.locator("#content-main caption, #nav-sidebar caption").all_inner_texts()
    assert "登录限制" in headings and not any("axes" in h.lower() for h in headings)

    page.goto(page.base_url + "/admin/auth/group/")
    roles = page.locator("#result_list tbody th a").all_inner_texts()
    assert "地名审核员" in roles and "officer" not in roles

    page.goto(page.base_url + f"/admin/auth/group/{Group.objects.get(name='officer').pk}/change/")
    page.wait_for_selector("#id_permissions_from")
    widget = page.inner_text(".field-permissions")
    assert "by selecting them" not in widget and "Choose" not in widget and "选择" in widget
    options = page.locator("#id_permissions_from option").all_inner_texts()
    assert any(o.endswith("可修改门牌") for o in options) and not any("Can " in o for o in options)

    page.goto(page.base_url + f"/admin/auth/user/{officer.pk}/change/")
    page.wait_for_selector("#id_groups_to")
    assert page.locator("#id_groups_to option").all_inner_texts() == ["地名审核员"]

    page.goto(page.base_url + f"/admin/audit/change/{change.pk}/change/")
    local = localtime(change.at).strftime("%Y-%m-%d %H:%M")
    assert local in page.title() and local in page.inner_text("#content h2")
    body = page.inner_text(".field-what_changed")
    assert "座位数" in body and "48" in body and "{" not in body and "seats" not in body
    assert page.blocked == [] and page.problems == []
