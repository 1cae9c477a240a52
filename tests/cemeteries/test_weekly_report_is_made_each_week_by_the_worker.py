"""The worker makes the whole city's weekly report once each week is over (a chore looked at every six hours, the
report made once per week, for the week ending the last Sunday) and keeps it: the city's officers download it as it
stood (XLSX and PDF, no owner), a county officer or a crew cannot, the campaign list shows it to the city only."""

import datetime as dt
import io

import pytest
from django.test import Client
from django.urls import reverse

from cemeteries.campaign_models import WeeklyReport
from cemeteries.weekly import archive_last_week, week_ending
from jobs.registry import chores
from tests.cemeteries.campaign_scene import OWNER, PHONE, build

pytestmark = pytest.mark.django_db
MONDAY = dt.date(2026, 10, 5)  # the campaign's day 65; the week before ended on Sunday 10-04


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_city_s_report_is_made_once_a_week_and_kept_for_the_city_s_officers():
    from openpyxl import load_workbook

    scene = build()
    chore = next(c for c in chores() if c.name == "cemeteries.weekly_report")
    assert chore.every == dt.timedelta(hours=6)
    assert week_ending(dt.date(2026, 10, 4)) == dt.date(2026, 10, 4) and week_ending(MONDAY) == dt.date(2026, 10, 4)

    made = archive_last_week(MONDAY)

    assert made.week_end == dt.date(2026, 10, 4)
    assert archive_last_week(MONDAY) is None and archive_last_week(dt.date(2026, 10, 11)) is None  # once a week
    assert WeeklyReport.objects.count() == 1
    city = client_of(scene["city"])
    xlsx = city.get(reverse("cemeteries:weekly_kept", args=["2026-10-04", "xlsx"]))
    pdf = city.get(reverse("cemeteries:weekly_kept", args=["2026-10-04", "pdf"]))
    assert xlsx.status_code == 200 and pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    book = load_workbook(io.BytesIO(xlsx.content))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any("东延线整治" in c for c in cells) and any("塘下镇" in c for c in cells)  # both counties: the city's
    assert not any(OWNER in c or PHONE in c for c in cells)
    assert "2026-10-04" in city.get(reverse("cemeteries:campaigns")).text

    county = client_of(scene["lucheng"])
    assert county.get(reverse("cemeteries:weekly_kept", args=["2026-10-04", "pdf"])).status_code == 403
    assert "weekly-archive" not in county.get(reverse("cemeteries:campaigns")).text
    assert client_of(scene["crew"]).get(reverse("cemeteries:weekly_kept", args=["2026-10-04", "pdf"])).status_code \
        == 403
    assert city.get(reverse("cemeteries:weekly_kept", args=["2026-09-27", "pdf"])).status_code == 404
