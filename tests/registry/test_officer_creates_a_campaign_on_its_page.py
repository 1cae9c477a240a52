"""An officer creates a 乡村著名 campaign on its page (no longer only in the admin): name, year, target and a target per
county of the officer's regions; the creation is audited; a reviewer may not, and an officer sets no county
target outside the officer's regions."""

import pytest

from audit.models import Action, Change
from placenames.models import Campaign
from tests.base import city_reviewer, login, lucheng_officer


@pytest.mark.django_db
def test_an_officer_creates_a_campaign_and_the_audit_log_says_who(wenzhou_counties, client):
    officer = lucheng_officer()
    client.force_login(officer)
    form = client.get("/placenames/campaigns/new/").content.decode()
    assert "新建乡村著名行动" in form and 'name="county_330302"' in form and 'name="county_330381"' not in form
    response = client.post("/placenames/campaigns/new/", {"name": "鹿城乡村著名", "year": "2026", "target": "300",
                                                          "county_330302": "300"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/placenames/campaigns/{campaign.pk}/"
    assert (campaign.name, campaign.year, campaign.target, campaign.county_targets) == (
        "鹿城乡村著名", 2026, 300, {"330302": 300})
    change = Change.objects.for_object(campaign).get()
    assert change.action == Action.CREATE and change.actor == officer and change.after["target"] == 300
    again = client.post("/placenames/campaigns/new/", {"name": "鹿城乡村著名", "year": "2026", "target": "5"})
    assert "本年度已有同名的行动" in again.content.decode() and Campaign.objects.count() == 1
    outside = client.post("/placenames/campaigns/new/", {"name": "瑞安", "year": "2026", "target": "5",
                                                         "county_330381": "5"})
    assert outside.status_code == 403 and Campaign.objects.count() == 1
    client.force_login(city_reviewer())
    assert client.get("/placenames/campaigns/new/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_officer_finds_the_form_on_the_campaign_list_and_fills_it(page, wenzhou_counties):
    lucheng_officer()
    login(page, "lucheng_officer")
    page.goto(page.base_url + "/placenames/campaigns/")
    page.click("#new-campaign")
    page.fill("input[name=name]", "2027年鹿城乡村著名")
    page.fill("input[name=target]", "50")
    page.fill("input[name=county_330302]", "80")  # more than the whole: refused, the entries kept
    page.click("#campaign-form button[type=submit]")
    assert "超过" in page.inner_text("#campaign-error")
    assert page.input_value("input[name=name]") == "2027年鹿城乡村著名"
    page.fill("input[name=county_330302]", "40")
    page.click("#campaign-form button[type=submit]")
    page.wait_for_url("**/placenames/campaigns/*/")
    assert "2027年鹿城乡村著名" in page.inner_text("h1")
