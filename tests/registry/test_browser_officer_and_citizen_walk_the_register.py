"""In a browser: an officer (1024x768) loads a GBK census file through the upload page and reads the report, checks a
flagged record, registers a sign and follows a campaign's dashboard; a citizen on a phone (390x844) searches the
gazetteer by initials, opens a name's page (public layout, a map drawn with no internet) and reports the sign
damaged from its QR page. Screenshots go to var/screens/registry-*.png."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from jobs.models import Job
from jobs.services import run
from placenames import campaigns
from placenames.models import Campaign, CheckFlag, Place, Sign
from tests.base import follow, login, lucheng_officer
from tests.placenames.builders import place
from tests.registry.builders import ensure_categories, row, write_csv

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENS = Path(__file__).resolve().parents[2] / "var" / "screens"


def shot(page, name):
    SCREENS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENS / f"registry-{name}.png"), full_page=True)


def test_an_officer_and_a_citizen_walk_the_register(wenzhou_counties, browser, live_server, tmp_path):
    ensure_categories()
    lucheng_officer()
    village = place("王家村", kind="village")
    campaign = Campaign.objects.create(name="乡村著名行动", year=2026, target=2, county_targets={"330302": 2})
    campaigns.add_names(campaign, [village], "office")
    context = browser.new_context(locale="zh-CN", viewport={"width": 1024, "height": 768})
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.base_url = live_server.url
    login(page, "lucheng_officer")

    path = write_csv(tmp_path / "鹿城普查.csv", [row("解放路"), row("介放路", dy=0.002), row("错类路", category="X1")],
                     "gbk")
    page.goto(page.base_url + "/placenames/import/")
    page.set_input_files("input[name=file]", str(path))
    page.select_option("select[name=commit]", "valid")
    follow(page, page.locator("#import-form button[type=submit]"))
    run(Job.objects.get())
    page.reload()
    expect(page.locator("#rejected-rows")).to_contain_text("类别代码")
    expect(page.locator("#rejected-rows")).to_contain_text("未知的地名类别")
    shot(page, "1-import-report")

    page.goto(page.base_url + "/placenames/checking/")
    expect(page.locator("#checking-queue")).to_contain_text("与区县内其他地名同音")
    shot(page, "2-checking")
    first = CheckFlag.objects.order_by("id").first()
    page.locator(f"#flag-{first.pk} input[name=note]").first.fill("两路相距较远")
    page.locator(f"#flag-{first.pk} button", has_text="确认无误").click()
    expect(page.locator(".messages")).to_contain_text("已确认")
    page.goto(page.base_url + "/")
    expect(page.locator("#checked-count")).to_have_text("1")

    page.goto(page.base_url + "/placenames/signs/new/?q=jfl")
    page.locator("#sign-place-results a", has_text="解放路").click()
    page.fill("input[name=installed_on]", "2025-06-01")
    page.locator("#sign-form button[type=submit]").click()
    expect(page.locator("#sign-state")).to_have_text("已安装")
    shot(page, "3-sign")

    page.goto(page.base_url + f"/placenames/campaigns/{campaign.pk}/")
    expect(page.locator("#county-330302")).to_contain_text("鹿城区")
    shot(page, "4-campaign")

    # A citizen on a phone: no login, no staff menu.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                has_touch=True, device_scale_factor=2)
    phone.route("**/*", lambda r: r.continue_() if r.request.url.startswith(live_server.url) else r.abort())
    citizen = phone.new_page()
    citizen.set_default_timeout(15_000)
    citizen.goto(live_server.url + "/placenames/g/?q=jfl")
    citizen.locator("#results a", has_text="解放路").click()
    expect(citizen.locator("#standard-name")).to_have_text("解放路")
    expect(citizen.locator("#pinyin")).to_have_text("Jiefang Lu")
    expect(citizen.locator("#public-map")).to_have_attribute("data-ready", "1", timeout=45_000)
    assert citizen.locator("nav, .account, a[href^='/admin']").count() == 0
    shot(citizen, "5-gazetteer-phone")
    sign = Sign.objects.get()
    citizen.goto(live_server.url + f"/placenames/s/{sign.qr_token}/")
    citizen.fill("textarea[name=text]", "拼音字母脱落")
    citizen.locator("#report-sign button[type=submit]").click()
    expect(citizen.locator(".messages")).to_contain_text("谢谢")
    expect(citizen.locator("#public-map")).to_have_attribute("data-ready", "1", timeout=45_000)
    shot(citizen, "6-reported-phone")
    assert Sign.objects.get().state == "damaged" and Place.objects.filter(name="解放路").exists()
    phone.close()
    context.close()
