"""The campaign dashboard counts the overdue steps (a notice deadline passed, a re-check past due); the officer then
needs the graves themselves. The figure and each township's count link to the register filtered to them, the
register says for each grave when its next step is due and how late it is, and the API filters the same."""

import datetime as dt
import html
import re

from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from cemeteries.models import Grave, GraveState
from tests.cemeteries.campaign_scene import build


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(page) -> list[str]:
    """The register's rows: each grave's short id, in order."""
    return re.findall(r'<td><a href="/cemeteries/graves/[0-9a-f-]+/">([0-9A-F]{8})</a>', page.content.decode())


def row_of(page, grave) -> str:
    text = page.content.decode()
    start = text.index(f">{grave.short_id}</a>")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text[start:text.index("</tr>", start)]))


class TheRegisterListsTheLateSteps(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.scene = build()
        today = timezone.localdate()
        graves = cls.scene["graves"]
        # t4: notified, its deadline (2026-09-15) passed. t1: accepted, its re-check 3 days late. r0: accepted, its
        # re-check in a month. t5: notified, its deadline today (not late yet).
        Grave.objects.filter(pk=graves["t1"].pk).update(recheck_due_on=today - dt.timedelta(days=3))
        Grave.objects.filter(pk=graves["r0"].pk).update(recheck_due_on=today + dt.timedelta(days=30))
        Grave.objects.filter(pk=graves["t5"].pk).update(state=GraveState.NOTIFIED, notice_deadline=today)
        for grave in graves.values():
            grave.refresh_from_db()

    def test_the_dashboard_s_overdue_figure_leads_to_those_graves(self):
        graves, campaign = self.scene["graves"], self.scene["campaign"]
        client = client_of(self.scene["city"])
        dashboard = client.get(reverse("cemeteries:campaign", args=[campaign.pk]))
        assert re.search(r'id="figure-overdue">2<', dashboard.content.decode())
        link = html.unescape(re.search(r'id="list-overdue" href="([^"]+)"', dashboard.content.decode()).group(1))

        late = client.get(link)
        assert late.status_code == 200
        assert listed(late) == [graves["t4"].short_id, graves["t1"].short_id]  # the longest late first
        assert 'name="late" value="1" checked' in late.content.decode()
        days = (timezone.localdate() - dt.date(2026, 9, 15)).days
        assert f"2026-09-15 逾期 {days} 天" in row_of(late, graves["t4"])
        assert "复查" in row_of(late, graves["t1"]) and "逾期 3 天" in row_of(late, graves["t1"])
        assert f"逾期 {days} 天" in client.get(reverse("cemeteries:grave", args=[graves["t4"].uuid])).content.decode()

        # Unfiltered, a step not yet late shows its date without the badge; a grave with no date runs, a dash.
        everything = client.get(reverse("cemeteries:register") + f"?campaign={campaign.pk}")
        assert len(listed(everything)) == 10
        assert "逾期" not in row_of(everything, graves["t5"]) and str(timezone.localdate()) in row_of(
            everything, graves["t5"])
        assert "逾期" not in row_of(everything, graves["r0"])
        assert row_of(everything, graves["t6"]).rstrip().endswith("—")

    def test_a_township_s_late_count_leads_to_its_share_and_a_county_sees_only_its_own(self):
        graves, campaign = self.scene["graves"], self.scene["campaign"]
        dashboard = client_of(self.scene["city"]).get(reverse("cemeteries:campaign", args=[campaign.pk])).content
        cells = dict(re.findall(r'href="(/cemeteries/\?campaign=\d+&amp;area=(\d+)&amp;late=1)">', dashboard.decode()))
        assert len(cells) == 1  # only 藤桥镇 has late steps
        link = html.unescape(next(iter(cells)))

        assert sorted(listed(client_of(self.scene["lucheng"]).get(link))) == sorted(
            [graves["t1"].short_id, graves["t4"].short_id])
        assert listed(client_of(self.scene["ruian"]).get(link)) == []  # 瑞安 sees none of 鹿城's graves

    def test_the_api_filters_the_same_and_a_malformed_filter_is_named(self):
        graves, campaign = self.scene["graves"], self.scene["campaign"]
        client = client_of(self.scene["city"])
        answer = client.get(reverse("cemeteries:api_graves"), {"campaign": campaign.pk, "late": "1"})
        assert answer.status_code == 200
        assert [g["id"] for g in answer.json()["results"]] == [str(graves["t4"].uuid), str(graves["t1"].uuid)]

        refused = client.get(reverse("cemeteries:register"), {"late": "maybe"})
        assert refused.status_code == 400 and "仅看逾期" in refused.content.decode()
        refused = client.get(reverse("cemeteries:api_graves"), {"campaign": "x"})
        assert refused.status_code == 400 and refused.json()["error"]["where"]["parameter"] == "campaign"
