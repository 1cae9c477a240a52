"""乡村著名: rural names in a campaign, exported per platform, accepted or refused from the platform's feedback file
(applied twice, the second time changes nothing), corrected and sent again, and the per-county dashboard. A feedback
file may be an XLSX in the platforms' own words (审核未通过, 已上线, 审核中 ...), name the rows by the name sent instead of
our id, and write the reason after the state (placenames/SOURCES.md says which forms are verified)."""

import csv
import io

import pytest
from openpyxl import Workbook

from placenames import campaigns
from placenames.models import Campaign, PlatformEvent, PlatformSubmission
from tests.base import lucheng_officer, ruian_officer
from tests.placenames.builders import ensure_seed_data, place

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(wenzhou_counties):
    ensure_seed_data()
    c = Campaign.objects.create(name="2026 乡村著名", year=2026, target=4, county_targets={"330302": 3, "330381": 1})
    villages = [place(n, kind="village") for n in ("王家村", "李岙", "上垟")] + [place("塘下村", kind="village",
                                                                                  county="330381")]
    campaigns.add_names(c, villages, "office")
    campaigns.add_names(c, villages[:1], "crew")  # once each
    return c


def feedback(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["编号", "名称", "审核状态", "驳回原因"])
    writer.writerows(rows)
    return out.getvalue().encode("gbk")


def test_export_then_feedback_twice_then_correct_and_resend(campaign, client):
    officer = lucheng_officer()
    text = campaigns.export(officer, campaign, "amap")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["名称"] for r in rows] == ["王家村", "李岙", "上垟"] and rows[0]["坐标系"] == "gcj02"
    ids = {r["名称"]: r["编号"] for r in rows}
    data = feedback([[ids["王家村"], "王家村", "通过", ""], [ids["李岙"], "李岙", "驳回", "名称与现场标牌不一致"],
                     ["99999", "无此", "通过", ""], [ids["上垟"], "上垟", "处理中", ""]])
    first = campaigns.apply_feedback(officer, campaign, "amap", data, file_name="amap-1.csv")
    events = PlatformEvent.objects.count()
    states = dict(PlatformSubmission.objects.values_list("entry__place__name", "state").filter(platform="amap"))
    second = campaigns.apply_feedback(officer, campaign, "amap", data, file_name="amap-1.csv")
    assert (first.changed, first.unchanged, len(first.unknown), first.pending) == (2, 0, 1, 1)  # 处理中: under review
    assert (second.changed, second.unchanged, second.pending) == (0, 2, 1)
    assert PlatformEvent.objects.count() == events
    assert dict(PlatformSubmission.objects.values_list("entry__place__name", "state").filter(platform="amap")) == states
    assert states == {"王家村": "accepted", "李岙": "refused", "上垟": "exported", "塘下村": "to_send"}
    refused = PlatformSubmission.objects.get(platform="amap", entry__place__name="李岙")
    assert refused.reason == "名称与现场标牌不一致"
    campaigns.resend(officer, refused.pk, name="李家岙")
    again = list(csv.DictReader(io.StringIO(campaigns.export(officer, campaign, "amap"))))
    assert [(r["名称"], r["重新提交"]) for r in again] == [("李家岙", "是")]
    campaigns.apply_feedback(officer, campaign, "amap", feedback([[ids["李岙"], "李家岙", "已上图", ""]]))
    campaigns.export(officer, campaign, "baidu")
    campaigns.apply_feedback(officer, campaign, "baidu", feedback([[ids["王家村"], "", "通过", ""]]))
    [lucheng] = campaigns.dashboard(officer, campaign)
    assert (lucheng.target, lucheng.collected, lucheng.accepted_amap, lucheng.accepted_baidu, lucheng.accepted_both,
            lucheng.refused) == (3, 3, 2, 1, 1, 0)
    assert lucheng.percent == 33
    assert [r.code for r in campaigns.dashboard(ruian_officer(), campaign)] == ["330381"]


def test_the_campaign_pages_export_take_feedback_and_refuse_typed_reasons(campaign, client):
    client.force_login(lucheng_officer())
    page = client.get(f"/placenames/campaigns/{campaign.pk}/")
    assert page.status_code == 200 and 'id="county-330302"' in page.content.decode()
    export = client.post(f"/placenames/campaigns/{campaign.pk}/export/", {"platform": "baidu"})
    assert export["Content-Type"].startswith("text/csv") and "bd09" in export.content.decode("utf-8-sig")
    sub = PlatformSubmission.objects.get(platform="baidu", entry__place__name="上垟")
    url = f"/placenames/campaigns/{campaign.pk}/names/{sub.pk}/"
    assert client.post(url, {"action": "refuse", "reason": ""}).status_code == 400
    assert client.post(url, {"action": "refuse", "reason": "坐标偏差过大"}).status_code == 302
    sub.refresh_from_db()
    assert (sub.state, sub.reason) == ("refused", "坐标偏差过大")
    upload = io.BytesIO(feedback([[sub.entry_id, "", "通过", ""]]))
    upload.name = "baidu.csv"
    assert client.post(f"/placenames/campaigns/{campaign.pk}/feedback/", {"platform": "baidu", "file": upload}
                       ).status_code == 302
    book = Workbook()
    book.active.append(["名称", "审核状态"])
    book.active.append(["王家村", "审核中"])
    sheet = io.BytesIO()
    book.save(sheet)
    sheet.seek(0)
    sheet.name = "baidu.xlsx"
    answer = client.post(f"/placenames/campaigns/{campaign.pk}/feedback/", {"platform": "baidu", "file": sheet},
                         follow=True)
    assert answer.status_code == 200 and [m.level_tag for m in answer.context["messages"]][-2:] == ["success", "info"]
    assert client.post(f"/placenames/campaigns/{campaign.pk}/export/", {"platform": "tencent"}).status_code == 400
    bad = io.BytesIO(b"a,b\n1,2\n")
    bad.name = "x.csv"
    assert client.post(f"/placenames/campaigns/{campaign.pk}/feedback/", {"platform": "amap", "file": bad}
                       ).status_code == 400
    assert client.get("/placenames/campaigns/99999/").status_code == 404
    assert client.get(f"/placenames/campaigns/{campaign.pk}/?state=<x>&page=-1").status_code == 200


def test_an_xlsx_in_the_platforms_words_matched_by_name_applied_twice(campaign):
    officer = lucheng_officer()
    campaigns.export(officer, campaign, "baidu")
    book = Workbook()
    sheet = book.active
    sheet.append(["序号", "标准名称", "所在区县", "上图状态", "未通过原因"])
    sheet.append([1, "王家村", "鹿城区", "已上线", None])
    sheet.append([2, "李岙", "鹿城区", "审核未通过：名称与现场标牌不一致", None])
    sheet.append([3, "上垟", "鹿城区", "审核中", None])
    sheet.append([4, "无此村", "鹿城区", "已上线", None])
    data = io.BytesIO()
    book.save(data)
    first = campaigns.apply_feedback(officer, campaign, "baidu", data.getvalue(), file_name="百度反馈.xlsx")
    second = campaigns.apply_feedback(officer, campaign, "baidu", data.getvalue(), file_name="百度反馈.xlsx")
    assert (first.changed, first.unchanged, first.pending, first.unknown) == (2, 0, 1, [(5, "无此村", "已上线")])
    assert (second.changed, second.unchanged, second.pending) == (0, 2, 1)
    subs = {s.entry.place.name: (s.state, s.reason) for s in
            PlatformSubmission.objects.filter(platform="baidu").select_related("entry__place")}
    assert subs == {"王家村": ("accepted", ""), "李岙": ("refused", "名称与现场标牌不一致"), "上垟": ("exported", ""),
                    "塘下村": ("to_send", "")}
    csv_reason = "编号,状态,原因\n{},未采纳,坐标偏差过大\n".format(
        PlatformSubmission.objects.get(platform="baidu", entry__place__name="上垟").entry_id)
    assert campaigns.apply_feedback(officer, campaign, "baidu", csv_reason.encode("gbk")).changed == 1
    assert PlatformSubmission.objects.get(platform="baidu", entry__place__name="上垟").reason == "坐标偏差过大"


def test_a_platform_s_long_reason_is_kept_whole(campaign):
    """Before, a feedback file's reason was cut at 500 characters without a word."""
    officer = lucheng_officer()
    ids = {r["名称"]: r["编号"] for r in csv.DictReader(io.StringIO(campaigns.export(officer, campaign, "amap")))}
    why = "名称与现场标牌不一致，" * 80  # 880 characters, as a platform's reviewer may write
    campaigns.apply_feedback(officer, campaign, "amap", feedback([[ids["李岙"], "李岙", "驳回", why]]))
    assert PlatformSubmission.objects.get(platform="amap", entry__place__name="李岙").reason == why.strip()


def test_the_campaign_list_gives_a_county_s_officer_the_county_s_figures(campaign, client):
    """Before, the list gave every officer the whole city's (another county's refusals too), while the campaign's
    page gave the county's own."""
    officer, ruian = lucheng_officer(), ruian_officer()
    campaigns.export(officer, campaign, "amap")
    campaigns.export(ruian, campaign, "amap")
    tangxia = PlatformSubmission.objects.get(platform="amap", entry__place__name="塘下村")
    campaigns.apply_feedback(ruian, campaign, "amap", feedback([[tangxia.entry_id, "塘下村", "驳回", "不符"]]))
    assert campaigns.summary(officer, campaign) == {"total": 6, "accepted": 0, "refused": 0, "target": 3}
    assert campaigns.summary(ruian, campaign) == {"total": 2, "accepted": 0, "refused": 1, "target": 1}
    client.force_login(officer)
    row = client.get("/placenames/campaigns/").content.decode()
    row = row[row.index("<tbody>"):row.index("</tbody>")]
    assert '<td class="num">3</td><td class="num">0</td><td class="num">0</td>' in row
