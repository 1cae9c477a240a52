"""In a browser: an officer takes 介放路 from draft to announced; the homophone of 解放路 needs a justification."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from placenames.models import Application, Place, PlaceStatus
from tests.base import follow, login, lucheng_officer, lucheng_reviewer
from tests.placenames.browser import act, switch_user
from tests.placenames.builders import ensure_seed_data, line_in, place

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def state(page):
    return page.locator("#state")


def test_an_officer_walks_a_road_name_from_draft_to_announced(wenzhou_counties, page, browser):
    ensure_seed_data()
    lucheng_officer(), lucheng_reviewer()
    place("解放路")

    login(page, "lucheng_officer")
    page.goto(page.base_url + "/placenames/")
    page.get_by_role("link", name="新建申请").click()
    page.select_option("select[name=kind]", "road")
    page.fill("input[name=proposed_name]", "介放路")
    page.fill("textarea[name=location_description]", "东起江滨路，西至人民路")
    page.fill("textarea[name=reason]", "新建道路需要命名")
    page.fill("textarea[name=geom]", line_in("330302", shift=5).geojson)
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator("h1")).to_contain_text("介放路")
    expect(state(page)).to_have_text("草稿")

    act(page, "submit")
    expect(state(page)).to_have_text("已提交，规则检查")
    warning = page.locator('.finding[data-code="homophone"]')
    expect(warning).to_contain_text("同音")
    expect(warning).to_contain_text("解放路")
    expect(warning).to_contain_text("警告")
    expect(page.locator("#application-map")).to_have_attribute("data-ready", "1")
    expect(page.locator("#nearby")).to_contain_text("解放路")

    expect(page.locator('form[data-action="pass_check"]')).to_have_count(0)  # the reviewer's step
    app_url = page.url

    switch_user(page, "lucheng_reviewer")
    page.goto(app_url)
    act(page, "pass_check", refused=True)  # without a justification
    expect(page.locator(".messages")).to_contain_text("需要书面说明理由")
    expect(state(page)).to_have_text("已提交，规则检查")

    switch_user(page, "lucheng_officer")
    page.goto(app_url)
    warning.locator("textarea[name=justification]").fill("介放为当地历史地名，群众习称，且两路相距较远。")
    follow(page, warning.get_by_role("button", name="保存理由说明"))
    expect(page.locator('.finding[data-code="homophone"]')).to_contain_text("介放为当地历史地名")

    switch_user(page, "lucheng_reviewer")
    page.goto(app_url)
    act(page, "pass_check")
    expect(state(page)).to_have_text("审核通过，待专家论证")

    switch_user(page, "lucheng_officer")
    page.goto(app_url)

    act(page, "record_review", expert_opinion="专家组一致同意使用该名称。")
    expect(state(page)).to_have_text("专家论证完成，待公示")
    act(page, "open_consultation", consultation_days="7")
    expect(state(page)).to_have_text("公示中")

    # A citizen objects on the public page, without logging in.
    public_url = page.get_by_role("link", name="公示页面").get_attribute("href")
    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(page.base_url + public_url)
    expect(citizen.locator("#proposal")).to_contain_text("介放路")
    citizen.fill("textarea[name=text]", "与解放路读音相同，送快递容易弄错。")
    citizen.fill("input[name=name]", "王五")
    citizen.get_by_role("button", name="提交异议").click()
    expect(citizen.locator(".messages")).to_contain_text("异议已记录")
    citizen.context.close()

    page.reload()
    page.fill(".objection textarea[name=answer]", "两路分属不同街道，门牌地址含街道名称，不致混淆。")
    follow(page, page.get_by_role("button", name="保存答复"))
    # Seven days pass.
    Application.objects.filter(proposed_name="介放路").update(
        consultation_ends_on=dt.date.today() - dt.timedelta(days=1))
    page.reload()
    act(page, "close_consultation")
    expect(state(page)).to_have_text("公示结束，待审批")

    switch_user(page, "lucheng_reviewer")
    page.goto(app_url)
    expect(page.locator('form[data-action="approve"] [name=approving_authority]')).to_have_value("鹿城区人民政府")
    act(page, "approve", approval_reference="鹿政地〔2026〕8号", reason="符合命名规则，公示无有效异议。")
    expect(state(page)).to_have_text("已批准")

    switch_user(page, "lucheng_officer")
    page.goto(app_url)
    act(page, "file", filing_reference="温民备〔2026〕8号")
    expect(state(page)).to_have_text("已备案")
    act(page, "announce", announcement_reference="鹿城区地名公告〔2026〕3号")
    expect(state(page)).to_have_text("已公告，启用")
    expect(page.locator("#events")).to_contain_text("lucheng_reviewer")

    road = Place.objects.get(name="介放路")
    assert road.status == PlaceStatus.IN_USE and road.pinyin == "Jiefang Lu"
    page.goto(page.base_url + "/placenames/announcements/?county=330302")
    expect(page.locator("#announcement")).to_contain_text(re.compile("介放路.*Jiefang Lu"))
