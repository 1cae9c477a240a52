"""A job's page and the list name who queued it as the menu names a user (the full name, else the user name), and a
job the worker queued itself (a package's renewal) as queued by the system, never as "None"."""

import pytest

from jobs import services
from tests.base import administrator, lucheng_officer
from tiles.jobs import PACKAGE

pytestmark = pytest.mark.django_db


def test_a_job_names_its_submitter_by_name_and_the_system_s_own_job_as_the_system(client, wenzhou_counties):
    officer = lucheng_officer()
    officer.first_name = "鹿城区地名办"
    officer.save()
    params = {"area": "330302", "zoom_min": 9, "zoom_max": 10}
    asked = services.submit(PACKAGE.name, officer, title="离线包：鹿城区", params=params)
    renewal = services.submit(PACKAGE.name, None, title="离线包：鹿城区", params=params)
    client.force_login(administrator())

    asked_page = client.get(f"/jobs/{asked.uuid}/").content.decode()
    renewal_page = client.get(f"/jobs/{renewal.uuid}/").content.decode()
    listed = client.get("/jobs/").content.decode()

    assert "鹿城区地名办 于" in asked_page and "lucheng_officer" not in asked_page
    assert "系统于" in renewal_page and "None" not in renewal_page
    assert "<td>系统</td>" in listed and "<td>鹿城区地名办</td>" in listed and "None" not in listed
