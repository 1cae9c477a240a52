"""Officers and field crews queue an offline package (a PMTiles archive of an area's public layers) for an area of
their region; a background worker builds it, the job page offers it for download and the map opens it."""

import pytest
from django.core.management import call_command
from pmtiles.reader import MmapSource, Reader

from jobs.models import Job, JobStatus
from tests.base import lucheng_officer, lucheng_reviewer
from tiles.pmtiles_export import archive_path

pytestmark = pytest.mark.django_db


def test_an_officer_builds_a_package_of_their_county_and_downloads_it(client, wenzhou_counties):
    client.force_login(lucheng_officer())
    page = client.get("/tiles/packages/").content.decode()
    assert 'value="330302"' in page and 'value="330381"' not in page  # only areas of the officer's region

    response = client.post("/tiles/packages/", {"area": "330302", "zooms": "9-11"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.uuid}/"

    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.result["written"] > 0 and job.result["url"] == "/tiles/pmtiles/330302.pmtiles"
    with archive_path("330302").open("rb") as handle:
        header = Reader(MmapSource(handle)).header()
    assert (header["min_zoom"], header["max_zoom"]) == (9, 11)
    result = client.get(f"/jobs/{job.uuid}/").content.decode()
    assert 'id="package-download"' in result and "/map/?pmtiles=330302" in result
    assert "330302.pmtiles" in client.get("/tiles/packages/").content.decode()
    assert client.get("/tiles/pmtiles/330302.pmtiles", HTTP_RANGE="bytes=0-126").status_code == 206


def test_an_area_outside_the_region_or_too_many_zooms_is_refused(client, wenzhou_counties):
    client.force_login(lucheng_officer())

    outside = client.post("/tiles/packages/", {"area": "330381", "zooms": "10-12"})
    too_deep = client.post("/tiles/packages/", {"area": "330302", "zooms": "5-17"})

    assert outside.status_code == 400 and too_deep.status_code == 400
    assert not Job.objects.exists()


def test_a_reviewer_cannot_build_packages_and_the_map_does_not_offer_them(client, wenzhou_counties):
    client.force_login(lucheng_reviewer())

    assert client.get("/tiles/packages/").status_code == 403
    assert 'id="packages-link"' not in client.get("/map/").content.decode()  # a link to a 403, before
    client.force_login(lucheng_officer())
    assert 'id="packages-link"' in client.get("/map/").content.decode()
