"""The data administration of boundary lines, markers and disputes, audited like every admin: a user sees there only
the lines he is a side of (or oversees), their markers and disputes; he changes a line's agreement and a marker's
attributes (a save over someone else's change meanwhile is refused), never a line's course, a marker's position,
number or state, nor adds either (those have their own workflows); a side records a dispute on its own lines."""

from django.contrib.auth.models import Permission
from django.contrib.gis.geos import Point
from django.test import TestCase

from audit.models import Action, Change
from borders import lines
from boundaries.line_models import BoundaryLine, BoundaryMarker, Dispute
from tests.base import administrator, build_wenzhou, make_user
from tests.boundaries.lines_base import LUCHENG, line_with_markers

MODELS = ("boundaryline", "boundarymarker", "dispute")


def _staff(username, *codes):
    user = make_user(username, "officer", *codes)
    user.is_staff = True
    user.save()
    user.user_permissions.add(*Permission.objects.filter(
        content_type__app_label="boundaries", codename__in=[f"{verb}_{m}" for m in MODELS
                                                            for verb in ("view", "change", "add", "delete")]))
    return user


LINE_FORM = {"name": "鹿瓯线", "line_code": "330204", "agreement_number": "温民〔2024〕3号",
             "agreement_date": "2024-05-01", "course_description": "沿山脊", "department_a": "鹿城区民政局",
             "department_b": "瓯海区民政局", "inspection_interval_years": 5, "valid_from": "",
             "versions-TOTAL_FORMS": 0, "versions-INITIAL_FORMS": 0}


class BoundaryAdmin(TestCase):
    @classmethod
    def setUpTestData(cls):
        build_wenzhou(villages=False)
        cls.admin = administrator()
        cls.line = line_with_markers(cls.admin, fractions=(0.3, 0.6))
        cls.dispute = lines.record_dispute(cls.admin, cls.line, title="山林权属纠纷", what="两村争议山林",
                                           reported_on="2025-03-02")
        cls.lucheng = _staff("lucheng_staff", LUCHENG)
        cls.stranger = _staff("taishun_staff", "330329")

    def test_a_side_changes_the_agreement_not_the_course_and_a_stale_save_is_refused(self):
        self.client.force_login(self.lucheng)
        url = f"/admin/boundaries/boundaryline/{self.line.pk}/change/"
        page = self.client.get(url).content.decode()
        assert 'name="agreement_number"' in page and 'name="seen_version" value="1"' in page
        assert 'name="geom"' not in page and 'name="side_a"' not in page
        assert self.client.get("/admin/boundaries/boundaryline/add/").status_code == 403

        response = self.client.post(url, {**LINE_FORM, "seen_version": 1})

        assert response.status_code == 302, response.content.decode()[:3000]
        line = BoundaryLine.objects.get(pk=self.line.pk)
        assert (line.agreement_number, line.version, line.geom.wkb) == ("温民〔2024〕3号", 2, self.line.geom.wkb)
        entry = Change.objects.for_object(line).filter(action=Action.UPDATE).get()
        assert (entry.before["agreement_number"], entry.after["agreement_number"]) == ("温民〔2003〕12号",
                                                                                       "温民〔2024〕3号")
        stale = self.client.post(url, {**LINE_FORM, "agreement_number": "旧页面", "seen_version": 1})
        assert stale.status_code == 200 and "errorlist" in stale.content.decode()
        assert BoundaryLine.objects.get(pk=self.line.pk).agreement_number == "温民〔2024〕3号"

    def test_a_marker_keeps_its_number_position_and_state_and_its_attributes_change_audited(self):
        marker = self.line.markers.order_by("sequence").first()
        self.client.force_login(self.lucheng)
        url = f"/admin/boundaries/boundarymarker/{marker.pk}/change/"
        page = self.client.get(url).content.decode()
        assert marker.number in page and f"{marker.geom.x:.8f}" in page and 'name="seen_version"' in page
        for fixed in ("sequence", "type_code", "geom", "state", "line"):
            assert f'name="{fixed}"' not in page
        assert self.client.get("/admin/boundaries/boundarymarker/add/").status_code == 403

        response = self.client.post(url, {
            "marker_class": marker.marker_class_id, "elevation_m": "13.20", "material": "花岗岩", "form": "方柱",
            "maintained_by": "b", "set_on": "", "note": "", "seen_version": marker.version,
            "references-TOTAL_FORMS": 0, "references-INITIAL_FORMS": 0,
            "photos-TOTAL_FORMS": 0, "photos-INITIAL_FORMS": 0})

        assert response.status_code == 302, response.content.decode()[:3000]
        changed = BoundaryMarker.objects.get(pk=marker.pk)
        assert (changed.material, changed.maintained_by, changed.geom.wkb) == ("花岗岩", "b", marker.geom.wkb)
        assert Change.objects.for_object(changed).filter(action=Action.UPDATE, after__material="花岗岩").exists()

    def test_a_stranger_sees_no_line_marker_or_dispute(self):
        marker = self.line.markers.first()
        self.client.force_login(self.stranger)
        for model, obj in (("boundaryline", self.line), ("boundarymarker", marker), ("dispute", self.dispute)):
            listed = self.client.get(f"/admin/boundaries/{model}/")
            assert listed.status_code == 200 and str(obj) not in listed.content.decode(), model
            # Django's admin answers a record outside the queryset with "no such record", back to its index
            assert self.client.get(f"/admin/boundaries/{model}/{obj.pk}/change/").status_code == 302, model
        assert self.line.name not in self.client.get("/admin/boundaries/dispute/add/").content.decode()

    def test_a_side_records_a_dispute_on_its_own_line_audited(self):
        self.client.force_login(self.lucheng)
        assert self.dispute.title in self.client.get("/admin/boundaries/dispute/").content.decode()
        where = Point(*self.line.geom[0][1], srid=4490)

        response = self.client.post("/admin/boundaries/dispute/add/", {
            "line": self.line.pk, "title": "界桩附近挖沙", "geom": where.json, "what": "一方在界桩旁挖沙",
            "reported_on": "2026-04-01", "mediation": "", "outcome": "", "state": "open"})

        assert response.status_code == 302, response.content.decode()[:3000]
        dispute = Dispute.objects.get(title="界桩附近挖沙")
        assert dispute.line == self.line and Change.objects.for_object(dispute).get().action == Action.CREATE
