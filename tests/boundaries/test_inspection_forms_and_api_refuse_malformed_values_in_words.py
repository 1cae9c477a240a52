"""A joint inspection's forms and its tablet API take hostile values (a year of 1e309, a marker that is no
identifier, 30 February, NaN metres, a circled digit) as the user's error: the page says what is wrong in Chinese,
with no Python in it and no field's name, the API answers 400 naming the field, and nothing is saved."""

import json

import pytest

from boundaries.inspection_models import InspectionCampaign, MarkerRecord
from boundaries.line_models import Dispute

API = "/boundaries/api"
INTERNALS = ("invalid literal", "Invalid isoformat", "could not convert", "Decimal", "Traceback", "ValueError",
             "marker_uuid", "accuracy_m", "new_sequence", "filed_on", "reported_on")




def _said(client, response) -> str:
    """What the page says in its messages: the page a saved form leads to, or the refused form's own page (400),
    which keeps what was typed."""
    assert response.status_code in (302, 400)
    page = (client.get(response["Location"]) if response.status_code == 302 else response).content.decode()
    said = page[page.index('<ul class="messages">'):page.index("</ul>", page.index('<ul class="messages">'))]
    for internal in INTERNALS:
        assert internal not in said
    return said


@pytest.mark.parametrize(("year", "expected"), [("1e309", "年度必须是整数"), ("🙂", "年度必须是整数"),
                                                ("99999", "年度应在 1990 到 2100 之间"), ("", "请填写联检年度")])
def test_a_new_inspection_with_a_malformed_year_is_refused_in_words(inspection, year, expected):
    client, line, _campaign = inspection
    said = _said(client, client.post(f"/boundaries/lines/{line.uuid}/campaigns/new/", {"year": year, "kind": "ad_hoc"}))
    assert expected in said
    assert InspectionCampaign.objects.filter(line=line).count() == 1


@pytest.mark.parametrize(("form", "expected"), [
    ({"marker": "1.5", "state": "intact"}, "所选界桩不在列表中"),
    ({"state": "displaced", "method": "gnss", "lon": "NaN", "lat": "27.9"}, "经度必须是数字"),
    ({"state": "displaced", "method": "gnss", "lat": "27.9"}, "请同时填写实测位置的经度和纬度"),
    ({"state": "displaced", "method": "gnss", "lon": "27.9", "lat": "120.6"}, ""),
    ({"state": "intact", "accuracy_m": "1e400"}, "测量精度必须是数字"),
    ({"state": "intact", "accuracy_m": "1000"}, "测量精度应在 0 到 999 之间"),
    ({"state": "intact", "accuracy_m": "abc"}, "测量精度必须是数字"),
    ({"state": "new", "new_sequence": "①", "lon": "120.6", "lat": "27.9", "method": "gnss"}, "拟定编号必须是整数"),
])
def test_a_record_with_malformed_values_is_refused_in_words_and_nothing_is_saved(inspection, form, expected):
    client, line, campaign = inspection
    if "state" in form and form["state"] != "new" and "marker" not in form:
        form["marker"] = str(line.markers.first().uuid)
    said = _said(client, client.post(f"/boundaries/campaigns/{campaign.uuid}/records/", form))
    assert 'class="error"' in said and expected in said
    assert not MarkerRecord.objects.filter(campaign=campaign).exists()


def test_a_plan_with_a_malformed_version_and_a_filing_of_30_february_are_refused_in_words(inspection):
    client, line, campaign = inspection
    said = _said(client, client.post(f"/boundaries/campaigns/{campaign.uuid}/plan/", {"plan": "x", "version": "1e309"}))
    assert "表单已过期，请刷新页面" in said
    campaign.refresh_from_db()
    assert campaign.plan == ""
    said = _said(client, client.post(f"/boundaries/lines/{line.uuid}/disputes/",
                                     {"title": "争议", "what": "x", "reported_on": "2026-02-30"}))
    assert "报告日期应为日期，如 2027-01-31" in said
    assert not Dispute.objects.filter(line=line).exists()


def _api(client, method, path, body=None):
    return getattr(client, method)(path, json.dumps(body) if body is not None else None,
                                   content_type="application/json")


@pytest.mark.parametrize(("body", "field"), [
    ({"marker": "x"}, "marker"), ({"marker": None, "record": "1.5", "state": "intact"}, "record"),
    ({"state": "intact", "accuracy_m": "NaN"}, "accuracy_m"), ({"state": "intact", "accuracy_m": 1e300}, "accuracy_m"),
    ({"state": "intact", "measured_elevation_m": "Infinity"}, "measured_elevation_m"),
    ({"state": "new", "new_sequence": "①"}, "new_sequence"), ({"state": "new", "new_sequence": 1.5}, "new_sequence"),
])
def test_the_api_answers_400_naming_the_malformed_field_of_a_record(inspection, body, field):
    client, line, campaign = inspection
    if "marker" not in body:
        body["marker"] = str(line.markers.first().uuid)
    response = _api(client, "post", f"{API}/campaigns/{campaign.uuid}/records/", body)
    assert response.status_code == 400, response.content
    assert response.json()["error"]["where"]["parameter"] == field
    assert not MarkerRecord.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize("query", ["line=x", "year=²", "year=1e309", "line=%00"])
def test_the_api_answers_400_to_malformed_filters(inspection, query):
    client, *_ = inspection
    assert client.get(f"{API}/campaigns/?{query}").status_code == 400
    if query.startswith("year"):
        assert client.get(f"{API}/due/?{query}").status_code == 400


@pytest.mark.parametrize(("body", "status"), [({"line": "x", "year": 2026}, 400), ({"year": 2026}, 400),
                                              ({"line": "LINE", "year": 10**30}, 400),
                                              ({"line": "LINE", "year": 2027, "starts_on": "2027-02-30"}, 400)])
def test_a_new_inspection_through_the_api_with_malformed_values_is_refused(inspection, body, status):
    client, line, _campaign = inspection
    body = {k: str(line.uuid) if v == "LINE" else v for k, v in body.items()}
    response = _api(client, "post", f"{API}/campaigns/", body)
    assert response.status_code == status, response.content
    assert InspectionCampaign.objects.filter(line=line).count() == 1


def test_a_well_formed_record_from_the_form_is_saved_with_its_measured_position(inspection):
    client, line, campaign = inspection
    marker = line.markers.order_by("sequence").first()
    said = _said(client, client.post(f"/boundaries/campaigns/{campaign.uuid}/records/", {
        "marker": str(marker.uuid), "state": "displaced", "method": "gnss", "accuracy_m": " 0.02 ",
        "lon": f"{marker.geom.x + 0.00005:.7f}", "lat": f"{marker.geom.y:.7f}"}))
    assert 'class="success"' in said
    saved = MarkerRecord.objects.get(campaign=campaign, marker=marker)
    assert str(saved.accuracy_m) == "0.020" and 4.5 < float(saved.displacement_m) < 5.5


def test_a_dispute_s_overlong_title_and_a_plan_sent_without_its_version_are_refused_in_words(inspection):
    """Before, the title was a server error and a plan without the form's version was saved over whatever the
    campaign then held (found by a crawl of the pages)."""
    client, line, campaign = inspection
    said = _said(client, client.post(f"/boundaries/lines/{line.uuid}/disputes/",
                                     {"title": "界" * 201, "what": "x", "reported_on": "2026-12-01"}))
    assert "纠纷标题超过 200 个字符" in said and not Dispute.objects.exists()
    said = _said(client, client.post(f"/boundaries/lines/{line.uuid}/disputes/",
                                     {"title": "争议", "what": "x", "state": "zzz"}))
    assert "所选纠纷状态不在列表中" in said and not Dispute.objects.exists()
    said = _said(client, client.post(f"/boundaries/campaigns/{campaign.uuid}/plan/", {"plan": "x"}))
    assert "表单已过期" in said
    campaign.refresh_from_db()
    assert campaign.plan == "" and campaign.version == 1
