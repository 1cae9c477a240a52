"""The campaign dashboard and weekly report for officers (by region), the citizens' public report page (no login,
content-checked photo, rate-limited) and the officers' triage of reports (new grave, rebound, dismissal, audited).
Owner data never reaches the public page, the weekly report or the report page."""

import io
import subprocess

from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase, override_settings
from django.urls import reverse

from audit.models import Change
from cemeteries.campaign_models import GraveReport, ReportStatus
from cemeteries.models import Grave, GraveState
from tests.base import image_bytes
from tests.cemeteries.builders import lonlat
from tests.cemeteries.campaign_scene import OWNER, PHONE, build

PNG = image_bytes("PNG", seed=2, size=(1, 1))


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def photo(content=PNG, name="grave.png", content_type="image/png"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def post_report(client, x=250, y=60, **extra):
    lon, lat = lonlat(x, y)
    data = {"kind": "new", "lon": f"{lon:.7f}", "lat": f"{lat:.7f}", "description": "山上新坟",
            "contact": "13700000000", "photo": photo(), **extra}
    return client.post(reverse("cemeteries:public_report"), data)


class CampaignPagesReportsAndTriage(TestCase):
    """One scene for the module (tests.cemeteries.campaign_scene); each test runs in its own transaction."""

    @classmethod
    def setUpTestData(cls):
        cls.scene = build()

    def setUp(self):
        cache.clear()

    def test_a_new_campaign_without_a_deadline_is_refused_not_given_today(self):
        """Before, a blank deadline became today: a campaign overdue as it began (found by a crawl of the pages)."""
        from cemeteries.campaign_models import Campaign

        before = Campaign.objects.count()
        page = client_of(self.scene["city"]).post(reverse("cemeteries:campaign_new"), {
            "name": "新行动", "corridor": self.scene["road"].pk, "band_m": "200", "area": "330300",
            "starts_on": "2026-12-01", "deadline": "", "target": ""})
        assert page.status_code == 400 and "请填写整治行动的截止日期" in page.text
        assert Campaign.objects.count() == before

    # --- dashboards and the weekly report ------------------------------------------------------------------------------
    def test_the_dashboard_shows_the_region_s_figures_and_the_burn_down(self):
        campaign = self.scene["campaign"]
        city = client_of(self.scene["city"]).get(reverse("cemeteries:campaign", args=[campaign.pk]))
        lucheng = client_of(self.scene["lucheng"]).get(reverse("cemeteries:campaign", args=[campaign.pk]))
        chart = client_of(self.scene["city"]).get(reverse("cemeteries:campaign_burndown", args=[campaign.pk])).json()

        assert city.status_code == 200 and "burndown-chart" in city.text and "vendor/chart.js" in city.text
        assert "藤桥镇" in city.text and "塘下镇" in city.text
        assert "藤桥镇" in lucheng.text and "塘下镇" not in lucheng.text
        assert chart["target"] == 10 and chart["ideal"][0] == 10
        assert OWNER not in city.text and PHONE not in city.text

    def test_a_township_typed_into_the_dashboard_s_address_is_named_as_its_filter_does(self):
        """Before: 参数 township 应为以下之一 (found by a crawl of the pages)."""
        url = reverse("cemeteries:campaign", args=[self.scene["campaign"].pk])
        page = client_of(self.scene["lucheng"]).get(url, {"township": "zzz"})
        assert page.status_code == 400 and "所选乡镇（街道）不在列表中" in page.text and "township" not in page.text

    def test_an_officer_starts_a_campaign_over_the_graves_in_its_band(self):
        client, road = client_of(self.scene["lucheng"]), self.scene["road"]
        form = {"name": "鹿城段整治", "corridor": road.pk, "band_m": "100", "area": "330302", "starts_on": "2026-12-01",
                "deadline": "2027-04-01"}
        refused = client.post(reverse("cemeteries:campaign_new"), {**form, "deadline": "2026-11-01"})
        made = client.post(reverse("cemeteries:campaign_new"), form)

        assert refused.status_code == 400 and "campaign-error" in refused.text
        assert made.status_code == 302
        from cemeteries.campaign_models import Campaign

        campaign = Campaign.objects.get(name="鹿城段整治")
        # 100 m either side still holds the scene's ten (the farthest is 80 m off); the protected grave stays out
        assert campaign.target == campaign.graves.count() == 10 and campaign.area.code == "330302"
        assert client_of(self.scene["crew"]).get(reverse("cemeteries:campaign_new")).status_code == 403

    def test_a_malformed_campaign_form_names_the_field_as_the_form_does(self):
        client, road = client_of(self.scene["lucheng"]), self.scene["road"]
        form = {"name": "鹿城段整治", "corridor": road.pk, "band_m": "100", "area": "330302", "starts_on": "2026-12-01",
                "deadline": "2027-04-01"}
        for field, value, said in [("starts_on", "2026-02-30", "开始日期应为日期"), ("band_m", "1e309", "两侧范围必须是整数"),
                                   ("target", "-5", "目标应在 0 到 1000000 之间"), ("name", "名" * 121, "名称超过 120 个字符"),
                                   # before, taken: a dashboard of 2.9 million days, 10 MB a view
                                   ("deadline", "9999-12-31", "整治行动最长十年"), ("starts_on", "0001-01-01", "开始日期须在")]:
            refused = client.post(reverse("cemeteries:campaign_new"), {**form, field: value})
            assert refused.status_code == 400 and said in refused.text, field
            assert field not in refused.text.split('id="campaign-error"')[1].split("</")[0]

    def test_a_crew_member_gets_no_dashboard_and_a_stranger_is_sent_to_log_in(self):
        url = reverse("cemeteries:campaign", args=[self.scene["campaign"].pk])
        assert client_of(self.scene["crew"]).get(url).status_code == 403
        assert Client().get(url).status_code == 302

    def test_the_work_order_lists_open_graves_without_owner_data(self):
        page = client_of(self.scene["city"]).get(reverse("cemeteries:work_order", args=[self.scene["campaign"].pk]))

        assert page.status_code == 200
        assert self.scene["graves"]["t6"].short_id in page.text and self.scene["graves"]["t0"].short_id not in page.text
        assert OWNER not in page.text

    def test_the_weekly_report_reads_back_and_holds_no_owner_data(self):
        from openpyxl import load_workbook

        client = client_of(self.scene["city"])
        xlsx = client.get(reverse("cemeteries:weekly_xlsx"))
        pdf = client.get(reverse("cemeteries:weekly_pdf"))

        book = load_workbook(io.BytesIO(xlsx.content))
        cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
        campaigns = book.worksheets[1]
        header = [c.value for c in campaigns[1]]
        row = dict(zip(header, [c.value for c in campaigns[2]], strict=True))
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        assert row[header[0]] == "东延线整治" and 10 in row.values()
        assert any("藤桥镇" in c for c in cells)
        assert not any(OWNER in c or PHONE in c for c in cells)
        assert pdf.content.startswith(b"%PDF")
        text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf.content, capture_output=True,
                              check=True).stdout.decode()
        assert "东延线整治" in text and OWNER not in text and PHONE not in text

    # --- the public report page ---------------------------------------------------------------------------------------
    def test_the_public_page_works_without_login_and_without_the_staff_menu(self):
        page = Client().get(reverse("cemeteries:public_report"))
        response = post_report(Client())

        assert page.status_code == 200 and 'class="mainnav"' not in page.text and "report-map" in page.text
        assert "vendor/maplibre-gl" in page.text and OWNER not in page.text
        assert response.status_code == 302 and response["Location"] == reverse("cemeteries:public_report_thanks")
        report = GraveReport.objects.get()
        assert report.source == "citizen" and report.area.code == "330302101201" and report.photo.name.endswith(".png")

    def test_a_hostile_upload_is_refused_with_a_4xx_and_nothing_is_kept(self):
        for upload in (photo(b"<html><script>alert(1)</script></html>", "grave.jpg", "image/jpeg"),
                       photo(b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "grave.svg", "image/svg+xml"),
                       photo(b"%PDF-1.4 not an image", "grave.png", "image/png")):
            response = post_report(Client(), photo=upload)

            assert 400 <= response.status_code < 500 and "report-error" in response.text, upload.name
        assert not GraveReport.objects.exists()

    def test_a_place_outside_the_service_area_is_refused(self):
        response = Client().post(reverse("cemeteries:public_report"), {"kind": "new", "lon": "116.4", "lat": "39.9",
                                                                       "photo": photo()})
        assert response.status_code == 400 and not GraveReport.objects.exists()

    @override_settings(CEMETERIES_REPORT_RATE=(2, 3600))
    def test_the_public_page_is_rate_limited_per_address(self):
        client = Client(REMOTE_ADDR="203.0.113.7")
        statuses = [post_report(client).status_code for _ in range(3)]

        assert statuses == [302, 302, 429]
        assert 0 < int(post_report(client)["Retry-After"]) <= 3600  # when the window ends
        assert GraveReport.objects.count() == 2
        assert post_report(Client(REMOTE_ADDR="203.0.113.8")).status_code == 302

    # --- triage -----------------------------------------------------------------------------------------------------
    def _reported(self, **extra):
        post_report(Client(), **extra)
        return GraveReport.objects.latest("submitted_at")

    def test_an_officer_registers_a_report_as_a_new_grave_and_it_is_audited(self):
        report = self._reported()
        client = client_of(self.scene["lucheng"])
        page = client.get(reverse("cemeteries:report_detail", args=[report.uuid]))
        response = client.post(reverse("cemeteries:report_detail", args=[report.uuid]),
                               {"action": "accept", "grade": "A", "note": "核实为新坟"})

        assert page.status_code == 200 and "13700000000" in page.text  # the officer of the region sees the contact
        assert response.status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.ACCEPTED and report.triaged_by == self.scene["lucheng"]
        grave = report.grave
        assert grave.state == GraveState.IDENTIFIED and grave.grade == "A" and grave.source == "report"
        assert grave.photos.count() == 1
        change = Change.objects.for_object(report).filter(action="transition").get()
        assert change.reason == "核实为新坟" and "13700000000" not in str(change.after)

    def test_a_rebound_reopens_an_accepted_grave_and_a_grave_not_accepted_cannot_rebound(self):
        graves, client = self.scene["graves"], client_of(self.scene["lucheng"])
        url = reverse("cemeteries:report_detail", args=[self._reported(kind="rebound").uuid])
        refused = client.post(url, {"action": "link", "grave": graves["t0"].short_id})  # remediated, not accepted
        done = client.post(url, {"action": "link", "grave": graves["t1"].short_id, "note": "复查属实"})

        assert refused.status_code == 409 and "triage-error" in refused.text
        assert done.status_code == 302
        graves["t1"].refresh_from_db()
        assert graves["t1"].state == GraveState.REBOUNDED
        assert graves["t1"].steps.filter(to_state=GraveState.REBOUNDED).exists()

    def test_malformed_triage_values_are_told_on_the_form_in_the_form_s_words(self):
        report = self._reported()
        url = reverse("cemeteries:report_detail", args=[report.uuid])
        client = client_of(self.scene["lucheng"])
        said = {}
        for name, values in {"grade": {"action": "accept", "grade": "Z"},
                             "note": {"action": "dismiss", "note": "长" * 2001},
                             "grave": {"action": "link", "grave": "x" * 41},
                             "action": {"action": "burn"}}.items():
            response = client.post(url, values)
            assert response.status_code == 400, name
            assert 'id="triage-accept"' in response.text, name  # the report's page, with its forms
            said[name] = response.text

        assert "所选可见等级不在列表中。" in said["grade"]
        assert "备注超过 2000 个字符。" in said["note"]
        assert "坟墓编号超过 40 个字符。" in said["grave"]
        assert "所选处理方式不在列表中。" in said["action"]
        for text in said.values():
            assert "参数" not in text and "accept, link" not in text
        report.refresh_from_db()
        assert report.status == ReportStatus.NEW

    def test_a_dismissal_needs_a_reason_and_other_regions_do_not_see_the_report(self):
        report = self._reported()
        url = reverse("cemeteries:report_detail", args=[report.uuid])
        client = client_of(self.scene["lucheng"])

        assert client.post(url, {"action": "dismiss", "note": ""}).status_code == 400
        assert client_of(self.scene["ruian"]).get(url).status_code == 404
        assert client_of(self.scene["ruian"]).get(reverse("cemeteries:reports")).text.count(str(report.uuid)) == 0
        assert client.post(url, {"action": "dismiss", "note": "重复举报"}).status_code == 302
        report.refresh_from_db()
        assert report.status == ReportStatus.DISMISSED
        assert client.post(url, {"action": "dismiss", "note": "again"}).status_code == 409

    def test_a_report_outside_every_area_is_triaged_by_the_city_s_officers_only(self):
        report = self._reported(x=0, y=20000)  # in the service area, outside every admin area
        url = reverse("cemeteries:report_detail", args=[report.uuid])

        assert report.area is None
        assert client_of(self.scene["city"]).get(url).status_code == 200
        queue = client_of(self.scene["city"]).get(reverse("cemeteries:reports")).text
        assert str(report.uuid) in queue and "情况描述" in queue  # its own word, not another app's "Description"
        assert client_of(self.scene["lucheng"]).get(url).status_code == 404

    def test_a_crew_reports_through_the_api_and_a_stranger_cannot(self):
        lon, lat = lonlat(300, 80)
        data = {"kind": "new", "lon": lon, "lat": lat, "description": "巡查发现", "photo": photo()}
        created = client_of(self.scene["crew"]).post(reverse("cemeteries:api_reports"), data)
        refused = Client().post(reverse("cemeteries:api_reports"), {**data, "photo": photo()})

        assert created.status_code == 201 and created.json()["area"] == "330302101201"
        assert GraveReport.objects.get().reporter == self.scene["crew"]
        assert refused.status_code in (401, 403)
        assert not Grave.objects.filter(source="report").exists()
