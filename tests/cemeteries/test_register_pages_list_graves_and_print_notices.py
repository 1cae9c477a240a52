"""The office pages: /cemeteries/ is the grave register (filters, paging), a grave's page records a step with a
photo, and the notice prints as a PDF for the region's officer."""

import datetime as dt

from django.test import TestCase
from django.utils import timezone

from cemeteries import services
from cemeteries.models import GraveState
from tests.base import lucheng_officer
from tests.cemeteries.builders import TENGQIAO, crew_member, grave_at, known_corridors, known_geography, png


class RegisterPageTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        known_geography()
        cls.officer = lucheng_officer()
        cls.crew = crew_member("crew_a", "330302")
        cls.expressway, _ = known_corridors()
        cls.near = grave_at(100, 100, cls.officer, grade="A", owner_name="钱七")
        cls.far = grave_at(1000, 3000, cls.officer, grade="C", protected=True)

    def test_the_register_answers_at_the_app_root_and_filters_by_corridor_grade_and_township(self):
        self.client.force_login(self.officer)
        page = self.client.get("/cemeteries/")
        assert page.status_code == 200 and self.near.short_id in page.content.decode()
        by_corridor = self.client.get("/cemeteries/", {"corridor": self.expressway.pk}).content.decode()
        assert self.near.short_id in by_corridor and self.far.short_id not in by_corridor
        by_grade = self.client.get("/cemeteries/", {"grade": "C", "area": TENGQIAO}).content.decode()
        assert self.far.short_id in by_grade and self.near.short_id not in by_grade
        assert self.client.get("/cemeteries/", {"grade": "Z"}).status_code == 400

    def test_an_anonymous_visitor_is_sent_to_sign_in(self):
        assert self.client.get("/cemeteries/").status_code == 302

    def test_a_step_with_a_photo_is_recorded_from_the_grave_page_and_the_notice_prints(self):
        self.client.force_login(self.officer)
        url = f"/cemeteries/graves/{self.near.uuid}/"
        sent = self.client.post(url + "step/", {"version": 1, "to": "checked", "remarks": "核实无误",
                                                "photo_before": png()})
        assert sent.status_code == 302
        self.near.refresh_from_db()
        assert self.near.state == GraveState.CHECKED and self.near.photos.get().step.to_state == "checked"
        deadline = timezone.localdate() + dt.timedelta(days=15)
        self.client.post(url + "step/", {"version": self.near.version, "to": "notified",
                                         "deadline": deadline.isoformat()})
        self.near.refresh_from_db()
        assert self.near.notice_deadline == deadline
        pdf = self.client.get(url + "notice.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
        self.client.force_login(self.crew)
        assert self.client.get(url + "notice.pdf").status_code in (403, 404)

    def test_an_illegal_step_from_the_page_is_told_in_words(self):
        self.client.force_login(self.officer)
        url = f"/cemeteries/graves/{self.far.uuid}/"
        services.advance(self.far, self.officer, "checked", version=1)
        page = self.client.post(url + "step/", {"version": 2, "to": "notified"}, follow=True).content.decode()
        assert "protected_grave" not in page and self.far.__class__.objects.get(pk=self.far.pk).state == "checked"

    def test_remarks_longer_than_kept_are_named_as_the_form_names_them(self):
        """Before: remarks 必须是… (found by a crawl of the pages)."""
        self.client.force_login(self.officer)
        url = f"/cemeteries/graves/{self.near.uuid}/"
        page = self.client.post(url + "step/", {"version": 1, "to": "checked", "remarks": "长" * 2001},
                                follow=True).content.decode()
        assert "备注应为不超过 2000 个字符的文字" in page and "remarks" not in page.split('class="messages"')[1][:300]
        self.near.refresh_from_db()
        assert self.near.state != GraveState.CHECKED

    def test_a_notice_deadline_of_30_february_is_told_in_words_and_the_step_is_not_taken(self):
        self.client.force_login(self.officer)
        url = f"/cemeteries/graves/{self.near.uuid}/"
        services.advance(self.near, self.officer, "checked", version=1)
        refused = self.client.post(url + "step/", {"version": 2, "to": "notified", "deadline": "2026-02-30",
                                                   "remarks": "已电话联系坟主", "photo_before": png()})
        page = refused.content.decode()
        assert refused.status_code == 400 and "2027-01-31" in page and "day is out of range" not in page
        # The form comes back as it was sent (the photo is to be chosen again: no browser keeps a file).
        assert '<option value="notified" selected>' in page and 'value="2026-02-30"' in page
        assert 'value="已电话联系坟主"' in page and 'id="photos-again"' in page
        self.near.refresh_from_db()
        assert self.near.state == GraveState.CHECKED and self.near.notice_deadline is None
        assert not self.near.photos.exists()

    def test_a_crew_form_naming_someone_not_offered_changes_nothing_and_says_so(self):
        """Before, an unknown person was dropped and the rest assigned, "已分配" (found by a crawl of the pages)."""
        self.client.force_login(self.officer)
        url = f"/cemeteries/graves/{self.near.uuid}/crew/"
        self.client.post(url, {"version": 1, "crew": [self.crew.pk]})
        for stranger in ("999999", "-1", "1e309"):
            page = self.client.post(url, {"version": 2, "crew": [self.crew.pk, stranger]}, follow=True)
            assert page.status_code == 400 and "所选人员中有人已不能指派到该坟墓" in page.content.decode()
        page = self.client.post(url, {"crew": []}, follow=True).content.decode()
        assert "表单已过期" in page
        # the ticks as they were sent: none (before, the page came back with the assigned crew ticked)
        assert f'name="crew" value="{self.crew.pk}" checked' not in page
        assert list(self.near.crew.all()) == [self.crew]

    def test_an_officer_assigns_the_crew_on_the_grave_page_and_they_then_see_the_owner(self):
        self.client.force_login(self.crew)
        assert "钱七" not in self.client.get(f"/cemeteries/graves/{self.near.uuid}/").content.decode()
        self.client.force_login(self.officer)
        self.client.post(f"/cemeteries/graves/{self.near.uuid}/crew/", {"version": 1, "crew": [self.crew.pk]})
        assert list(self.near.crew.all()) == [self.crew]
        self.client.force_login(self.crew)
        assert "钱七" in self.client.get(f"/cemeteries/graves/{self.near.uuid}/").content.decode()
        due = self.client.get("/cemeteries/api/graves/", {"due": "1"}).json()
        assert due["count"] == 0
