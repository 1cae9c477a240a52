"""The data administration of campaigns, grave reports and DEMs, audited like every admin: a campaign added there
takes the graves of its band (its corridor and band fixed once it holds them); a report is read there (its photo
only through the view that checks the reader's right, its contact for officers only, its region only) and deleted
only if never triaged or dismissed, its contact kept out of the audit log; a DEM is read there and its deletion
queues every corridor's visibility again on the DEM now in use."""

from pathlib import Path

from django.contrib.auth.models import Permission
from django.test import TestCase

from audit.models import Action, Change
from cemeteries import reports
from cemeteries.campaign_models import Campaign, ElevationModel, GraveReport, ReportSource, ReportStatus
from jobs.models import Job
from tests.base import administrator, make_user
from tests.cemeteries.builders import lonlat, png
from tests.cemeteries.campaign_scene import build

CONTACT = "13500001111"


class CemeteriesAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.scene = build()
        cls.admin = administrator()

    def setUp(self):
        self.client.force_login(self.admin)

    def report(self, status=ReportStatus.NEW):
        report = reports.submit_report(source=ReportSource.CITIZEN, kind="new", lon=lonlat(600, 40)[0],
                                       lat=lonlat(600, 40)[1], description="山上新坟", photo=png(),
                                       contact=CONTACT)
        GraveReport.objects.filter(pk=report.pk).update(status=status)
        return report

    def test_a_campaign_added_in_the_admin_takes_the_graves_of_its_band_and_is_audited(self):
        areas, road = self.scene["areas"], self.scene["road"]
        form = {"name": "二期整治", "corridor": road.pk, "band_m": 200, "area": areas["330300"].pk,
                "starts_on": "2026-09-01", "deadline": "2026-12-31", "target": "", "note": "", "source": ""}
        refused = self.client.post("/admin/cemeteries/campaign/add/", {**form, "deadline": "2026-08-01"})
        assert refused.status_code == 200 and "errorlist" in refused.content.decode()

        response = self.client.post("/admin/cemeteries/campaign/add/", form)

        assert response.status_code == 302, response.content.decode()[:2000]
        campaign = Campaign.objects.get(name="二期整治")
        assert campaign.graves.count() == 10 and campaign.target == 10 and campaign.created_by == self.admin
        assert Change.objects.for_object(campaign).get().action == Action.CREATE
        page = self.client.get(f"/admin/cemeteries/campaign/{campaign.pk}/change/").content.decode()
        assert 'name="band_m"' not in page and 'name="corridor"' not in page and 'name="target"' in page
        changed = self.client.post(f"/admin/cemeteries/campaign/{campaign.pk}/change/",
                                   {**form, "target": 8, "deadline": "2027-01-31"})
        assert changed.status_code == 302
        entry = Change.objects.for_object(campaign).filter(action=Action.UPDATE).get()
        assert (entry.before["target"], entry.after["target"]) == (10, 8) and campaign.graves.count() == 10

    def test_a_report_is_read_in_its_region_its_photo_through_the_checked_view(self):
        report = self.report()
        listed = self.client.get("/admin/cemeteries/gravereport/").content.decode()
        assert str(report.uuid)[:8] in listed
        page = self.client.get(f"/admin/cemeteries/gravereport/{report.pk}/change/").content.decode()
        assert "/media/" not in page and f"/cemeteries/reports/{report.uuid}/photo" in page
        assert CONTACT in page and 'name="_save"' not in page  # read here, triaged on its own page
        staff = make_user("ruian_staff", "officer", "330381")
        staff.is_staff = True
        staff.save()
        staff.user_permissions.add(Permission.objects.get(codename="view_gravereport"))
        self.client.force_login(staff)
        assert str(report.uuid)[:8] not in self.client.get("/admin/cemeteries/gravereport/").content.decode()
        other = self.client.get(f"/admin/cemeteries/gravereport/{report.pk}/change/")
        assert other.status_code == 302 and CONTACT not in other.content.decode()  # "no such record": back to list

    def test_only_an_untriaged_or_dismissed_report_is_deleted_and_its_contact_stays_out_of_the_log(self):
        kept = self.report(ReportStatus.ACCEPTED)
        assert self.client.get(f"/admin/cemeteries/gravereport/{kept.pk}/delete/").status_code == 403
        spam = self.report()
        photo = Path(spam.photo.path)
        assert photo.is_file()

        response = self.client.post(f"/admin/cemeteries/gravereport/{spam.pk}/delete/", {"post": "yes"})

        assert response.status_code == 302 and not GraveReport.objects.filter(pk=spam.pk).exists()
        assert not photo.exists()
        entry = Change.objects.filter(object_id=str(spam.pk), action=Action.DELETE).get()
        assert "contact" not in entry.before and CONTACT not in str(entry.before)

    def test_a_dem_is_read_and_its_deletion_recounts_on_the_dem_then_in_use(self):
        folder = Path(self.settings_media())
        older, newer = folder / "older.tif", folder / "newer.tif"
        older.write_bytes(b"x")
        newer.write_bytes(b"x")
        facts = {"driver": "GTiff", "crs": "EPSG:4549", "width": 2, "height": 2, "cell_m": 30.0,
                 "bounds": "SRID=4490;POLYGON((120 27.9,120.1 27.9,120.1 28,120 28,120 27.9))"}
        ElevationModel.objects.create(path=str(older), **facts)
        dem = ElevationModel.objects.create(path=str(newer), **facts)
        page = self.client.get(f"/admin/cemeteries/elevationmodel/{dem.pk}/change/").content.decode()
        assert "newer.tif" in page and 'name="_save"' not in page
        assert "newer.tif" in self.client.get("/admin/cemeteries/elevationmodel/").content.decode()

        response = self.client.post(f"/admin/cemeteries/elevationmodel/{dem.pk}/delete/", {"post": "yes"})

        assert response.status_code == 302 and not ElevationModel.objects.filter(pk=dem.pk).exists()
        assert Change.objects.filter(object_id=str(dem.pk), action=Action.DELETE).exists()
        assert Job.objects.filter(kind="cemeteries.visibility").count() == 1  # the one corridor, on older.tif

    def settings_media(self):
        from django.conf import settings

        return settings.MEDIA_ROOT
