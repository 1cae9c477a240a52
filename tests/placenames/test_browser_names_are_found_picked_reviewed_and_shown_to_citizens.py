"""In a browser: names browsed and searched (one character, filters, pages), a renaming picks its name by search,
the reviewer passes or returns what the officer submitted, a homophone in 公示 is flagged, and the citizen's
consultation page has no staff menu and shows the proposed name on a map, on a phone, with nothing from the internet."""

import pytest
from playwright.sync_api import expect

from placenames.models import ApplicationState as S
from tests.base import login, lucheng_officer, lucheng_reviewer
from tests.placenames.browser import act, switch_user
from tests.placenames.builders import draft, ensure_seed_data, place, take, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STREETS = [f"{n}巷" for n in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥东南西北中春夏秋冬梅兰竹菊松柏桃李杏榆槐桑柳枫榕樟杉桂荷"]


def test_names_are_found_picked_reviewed_and_shown_to_citizens(wenzhou_counties, offline_page, browser):
    page = offline_page
    ensure_seed_data()
    officer, reviewer = lucheng_officer(), lucheng_reviewer()
    for name in ["解放路", "人民路", *STREETS]:
        place(name)
    consulted = walk(draft(officer, "望海路"), officer, reviewer, S.CONSULTATION)
    homophone = take(draft(officer, "旺海路"), officer, "submit")

    login(page, "lucheng_officer")
    # An empty search lists every name in use, a page at a time.
    page.goto(page.base_url + "/placenames/search/")
    expect(page.locator("#result-count")).to_contain_text("共 52 个地名")
    expect(page.locator("#pager")).to_contain_text("第 1 页，共 2 页")
    expect(page.locator("#results tbody tr")).to_have_count(50)
    page.locator("#pager a[rel=next]").click()
    expect(page.locator("#results tbody tr")).to_have_count(2)
    page.select_option("select[name=kind]", "road")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#results tbody tr")).to_have_count(2)
    # One character is enough.
    page.fill("input[name=q]", "路")
    page.get_by_role("button", name="搜索").click()
    expect(page.locator("#results")).to_contain_text("解放路")
    expect(page.locator("#results")).to_contain_text("人民路")

    # A renaming picks the name by search, not by its id.
    page.goto(page.base_url + "/placenames/applications/new/")
    expect(page.locator("#place-picker")).to_be_hidden()
    page.select_option("select[name=type]", "renaming")
    page.locator("#place-search").press_sequentially("jfl")
    page.locator("#place-suggestions li", has_text="解放路").click()
    expect(page.locator("#place-chosen")).to_contain_text("解放路")
    page.fill("input[name=proposed_name]", "解放中路")
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("#details")).to_contain_text("解放路")
    expect(page.locator("h1")).to_contain_text("解放中路")

    # 旺海路 sounds like 望海路, in 公示 in the same county; the officer cannot pass the check.
    page.goto(page.base_url + f"/placenames/applications/{homophone.pk}/")
    warning = page.locator('.finding[data-code="homophone"]')
    expect(warning).to_contain_text("正在办理的地名申请")
    expect(warning.get_by_role("link", name="望海路")).to_be_visible()
    expect(page.locator('form[data-action="pass_check"]')).to_have_count(0)
    expect(page.locator("#findings")).not_to_contain_text("homophone")

    # The reviewer's steps are explicit: pass the review, or return it with the reasons.
    switch_user(page, "lucheng_reviewer")
    page.goto(page.base_url + f"/placenames/applications/{homophone.pk}/")
    expect(page.locator('form[data-action="pass_check"] button')).to_have_text("审核通过")
    expect(page.locator('form[data-action="return_to_draft"] button')).to_have_text("退回修改")
    act(page, "return_to_draft", reason="与公示中的望海路同音，请另拟名称。")
    expect(page.locator("#state")).to_have_text("草稿")
    expect(page.locator("#events")).to_contain_text("与公示中的望海路同音")
    expect(page.locator("#events")).to_contain_text("lucheng_reviewer")

    # The citizen's page: a phone, no staff menu, the proposed name on the map.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True)
    citizen = phone.new_page()
    blocked = []
    citizen.route("**/*", lambda route: route.continue_() if route.request.url.startswith(page.base_url)
                  else (blocked.append(route.request.url), route.abort()))
    citizen.goto(page.base_url + f"/placenames/public/{consulted.public_token}/")
    expect(citizen.locator("#proposal")).to_contain_text("望海路")
    expect(citizen.locator(".mainnav")).to_have_count(0)
    expect(citizen.locator(".account")).to_have_count(0)
    expect(citizen.locator("#public-map")).to_have_attribute("data-ready", "1")
    assert citizen.locator("#public-map").get_attribute("data-features") == "1"
    assert citizen.evaluate("document.documentElement.scrollWidth") <= 390
    phone.close()
    assert blocked == [] and page.blocked == []
