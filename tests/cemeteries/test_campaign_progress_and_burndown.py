"""A campaign holds the remediable graves of its band; its progress against the deadline, the overdue steps, grades
and townships, and the weekly burn-down read from the lifecycle steps (a rebound counts the grave again); a township
officer sees the share of the campaign in his region only. The scene is described in tests.cemeteries.campaign_scene."""

from django.test import TestCase

from cemeteries.campaigns import burndown, progress
from tests.cemeteries.builders import TENGQIAO
from tests.cemeteries.campaign_scene import TODAY, build


class CampaignProgress(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.scene = build()

    def test_the_campaign_holds_the_remediable_graves_of_its_band(self):
        campaign, graves = self.scene["campaign"], self.scene["graves"]
        held = set(campaign.graves.values_list("pk", flat=True))

        assert held == {graves[k].pk for k in ("t0", "t1", "t2", "t3", "t4", "t5", "t6", "t7", "r0", "r1")}
        assert campaign.target == 10

    def test_progress_against_the_deadline_overdue_steps_and_grades(self):
        p = progress(self.scene["campaign"], self.scene["city"], TODAY)

        assert (p.total, p.done, p.accepted, p.open, p.target) == (10, 5, 2, 5, 10)
        assert p.expected_by_now == 5 and p.on_track  # day 61 of 122
        assert (p.days_total, p.days_left) == (122, 61)
        assert p.overdue_notices == 1 and p.overdue_rechecks == 0  # t4: notified, its deadline (09-15) passed
        assert {g["grade"]: (g["total"], g["done"]) for g in p.by_grade} == {"A": (2, 0), "B": (7, 4), "C": (1, 1)}
        assert [(t["name"], t["total"], t["done"], t["overdue"], t["a_open"]) for t in p.by_township] == [
            ("藤桥镇", 8, 4, 1, 1), ("塘下镇", 2, 1, 0, 1)]

    def test_a_county_officer_sees_his_share_only(self):
        p = progress(self.scene["campaign"], self.scene["lucheng"], TODAY)

        assert (p.total, p.done, p.target) == (8, 4, 8)
        assert [t["name"] for t in p.by_township] == ["藤桥镇"]
        assert progress(self.scene["campaign"], self.scene["lucheng"], TODAY, township_code=TENGQIAO).total == 8

    def test_the_burn_down_by_week_counts_rebounds_back(self):
        chart = burndown(self.scene["campaign"], self.scene["city"], TODAY)

        assert chart["labels"][:3] == ["2026-08-01", "2026-08-08", "2026-08-15"] and chart["labels"][-1] == "2026-12-01"
        assert chart["ideal"][0] == 10 and chart["ideal"][-1] == 0
        # remaining at each week's end: t7 was done before the start; t3 rebounded on 09-20; 10-03 shows today's figure
        assert chart["actual"][:10] == [9, 9, 8, 7, 6, 5, 4, 4, 5, 5]
        assert chart["actual"][10:] == [None] * (len(chart["labels"]) - 10)

    def test_the_dashboard_counts_the_graves_once_for_all_its_figures(self):
        from accounts.scoping import area_prefixes
        from cemeteries.campaigns import tally, township_choices

        campaign = self.scene["campaign"]
        for user, township in ((self.scene["city"], None), (self.scene["city"], TENGQIAO),
                               (self.scene["lucheng"], TENGQIAO)):
            area_prefixes(user)  # the user's regions, read once per request
            with self.assertNumQueries(3):  # the grouped count, the campaign's size, the steps by day
                counted = tally(campaign, user, TODAY)
                p = progress(campaign, user, TODAY, township, counted=counted)
                chart = burndown(campaign, user, TODAY, township, counted=counted)
                choices = township_choices(campaign, user, counted)
            assert p == progress(campaign, user, TODAY, township)
            assert chart == burndown(campaign, user, TODAY, township)
            assert choices == township_choices(campaign, user)
