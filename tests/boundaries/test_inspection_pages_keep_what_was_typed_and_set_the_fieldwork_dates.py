"""A joint inspection's office pages set the fieldwork's dates (the crews' tablets take the end as their markers' due
date; before, only the API could set them), say when the fieldwork is past its end, and refuse an end before the
start. A refused form comes back with everything that was typed in it (before, the page was reloaded empty: a
plan's text, its members, a record's measured position were lost)."""

import datetime as dt
import html
import json

from django.utils import timezone

from audit.services import history
from boundaries.inspection_models import MarkerRecord
from boundaries.line_models import Dispute

API = "/boundaries/api"
PLAN = "第一阶段：内业准备；第二阶段：外业核查 <鹿城段>"
MEMBERS = "A 张三 组长\nB 李四 测量员"




def text_of(response) -> str:
    return html.unescape(response.content.decode())


def test_the_plan_sets_the_fieldwork_dates_and_an_end_before_the_start_keeps_what_was_typed(inspection):
    client, _line, campaign = inspection
    page = f"/boundaries/campaigns/{campaign.uuid}/"
    refused = client.post(page + "plan/", {"version": 1, "plan": PLAN, "members": MEMBERS,
                                           "starts_on": "2026-06-30", "ends_on": "2026-05-01"})
    assert refused.status_code == 400
    said = text_of(refused)
    assert "联检结束日期（2026-05-01）不能早于开始日期（2026-06-30）" in said
    assert f">{PLAN}</textarea>" in said and f">{MEMBERS}</textarea>" in said
    assert 'name="starts_on" value="2026-06-30"' in said and 'name="ends_on" value="2026-05-01"' in said
    campaign.refresh_from_db()
    assert (campaign.plan, campaign.starts_on, campaign.version) == ("", None, 1)

    saved = client.post(page + "plan/", {"version": 1, "plan": PLAN, "members": MEMBERS,
                                         "starts_on": "2026-05-01", "ends_on": "2026-06-30"})
    assert saved.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.starts_on, campaign.ends_on) == (dt.date(2026, 5, 1), dt.date(2026, 6, 30))
    assert history(campaign).first().after["ends_on"] == "2026-06-30"
    shown = text_of(client.get(page))
    assert "外业时间：2026-05-01 – 2026-06-30" in shown
    past = (timezone.localdate() - dt.date(2026, 6, 30)).days
    assert past <= 0 or f"已超过结束日期 {past} 天" in shown

    # The tablets' API refuses the same, naming the field.
    response = client.patch(f"{API}/campaigns/{campaign.uuid}/", json.dumps({"ends_on": "2026-04-01", "version": 2}),
                            content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["where"]["field"] == "ends_on"


def test_a_refused_record_finding_and_new_inspection_keep_what_was_typed(inspection):
    client, line, campaign = inspection
    marker = line.markers.order_by("sequence").first()
    refused = client.post(f"/boundaries/campaigns/{campaign.uuid}/records/", {
        "marker": str(marker.uuid), "state": "displaced", "method": "gnss", "lon": "120.6x", "lat": "28.01",
        "accuracy_m": "0.02", "action": "resurvey", "note": "桩身倾斜", "reference_changes": "新修机耕路"})
    assert refused.status_code == 400 and not MarkerRecord.objects.exists()
    said = text_of(refused)
    assert "经度必须是数字" in said
    for kept in (f'<option value="{marker.uuid}" selected>', '<option value="displaced" selected>',
                 '<option value="gnss" selected>', '<option value="resurvey" selected>', 'name="lon" inputmode="decimal" '
                 'value="120.6x"', 'value="28.01"', 'value="0.02"', 'value="桩身倾斜"', 'value="新修机耕路"'):
        assert kept in said, kept

    refused = client.post(f"/boundaries/lines/{line.uuid}/campaigns/new/", {
        "year": "2026", "kind": "regular", "plan": PLAN, "members": MEMBERS, "starts_on": "2026-09-01"})
    assert refused.status_code == 400  # this line's regular inspection of 2026 exists
    said = text_of(refused)
    assert "该界线已有 2026 年度的联检" in said
    assert f">{PLAN}</textarea>" in said and f">{MEMBERS}</textarea>" in said and 'value="2026-09-01"' in said

    refused = client.post(f"/boundaries/lines/{line.uuid}/disputes/", {
        "title": "山林争议", "what": "两村对山林权属有不同主张", "mediation": "乡镇调解一次", "reported_on": "2026-02-30"})
    assert refused.status_code == 400 and not Dispute.objects.exists()
    said = text_of(refused)
    for kept in ('value="山林争议"', ">两村对山林权属有不同主张</textarea>", ">乡镇调解一次</textarea>",
                 'value="2026-02-30"'):
        assert kept in said, kept
