"""A package made before areas carried their label points draws its villages and counties unlabelled on the
tablet. The worker finds such packages (and damaged ones) on the server and queues each one's build again, once, at
its own zoom levels; the packages page says so; a package of today's format is left alone."""

import pytest
from django.core.management import call_command
from pmtiles.tile import Compression, TileType, zxy_to_tileid
from pmtiles.writer import Writer

from jobs import services as jobs
from jobs.models import Job, JobStatus
from tests.base import lucheng_officer
from tiles.jobs import PACKAGE, renew_packages
from tiles.pmtiles_export import ARCHIVE_FORMAT, archive_path, export_area, outdated_archives, read_archive

pytestmark = pytest.mark.django_db


def old_package(code: str, zooms=(9, 11)) -> None:
    """An archive as packages were written before the format was kept: metadata without "diming_format"."""
    path = archive_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        writer = Writer(handle)
        for z in range(zooms[0], zooms[1] + 1):
            writer.write_tile(zxy_to_tileid(z, 0, 0), b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03\x03\x00\x00\x00\x00"
                                                         b"\x00\x00\x00\x00\x00")
        writer.finalize({"tile_type": TileType.MVT, "tile_compression": Compression.GZIP,
                         "min_lon_e7": 0, "min_lat_e7": 0, "max_lon_e7": 0, "max_lat_e7": 0,
                         "center_zoom": zooms[0], "center_lon_e7": 0, "center_lat_e7": 0},
                        {"name": "鹿城区离线地图包", "vector_layers": []})


def test_a_package_of_todays_format_is_not_built_again(wenzhou_counties):
    export_area("330302", (9, 10))

    assert read_archive(archive_path("330302")).format == ARCHIVE_FORMAT
    assert outdated_archives() == [] and renew_packages() == [] and not Job.objects.exists()


def test_an_old_package_is_queued_once_at_its_zooms_and_comes_back_in_todays_format(client, wenzhou_counties):
    old_package("330302", (9, 11))
    client.force_login(lucheng_officer())
    assert "此包生成于地名标注之前" in client.get("/tiles/packages/").content.decode()

    assert renew_packages() == ["330302"]
    assert renew_packages() == []  # queued once, not every hour
    job = Job.objects.get()
    assert (job.params["area"], job.params["zoom_min"], job.params["zoom_max"]) == ("330302", 9, 11)

    call_command("run_jobs", "--once", verbosity=0)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    renewed = read_archive(archive_path("330302"))
    assert renewed.format == ARCHIVE_FORMAT and renewed.zooms == (9, 11)
    assert outdated_archives() == [] and renew_packages() == []
    assert "此包生成于地名标注之前" not in client.get("/tiles/packages/").content.decode()


def test_a_damaged_package_is_built_again_and_a_failed_build_is_not_repeated(wenzhou_counties):
    path = archive_path("330302")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"PMTiles" + b"\x00" * 20)  # cut short
    archive_path("999999").write_bytes(b"not a package of any area")

    assert {a.name for a in outdated_archives()} == {"330302", "999999"}
    assert renew_packages() == ["330302"]  # no area 999999 to build
    Job.objects.update(status=JobStatus.FAILED)

    assert renew_packages() == []


def test_the_packages_page_tells_of_a_new_build_and_of_its_failure(client, wenzhou_counties):
    old_package("330302", (9, 11))
    officer = lucheng_officer()
    client.force_login(officer)

    renew_packages()
    page = client.get("/tiles/packages/").content.decode()
    assert "已排队重新生成。" in page and "系统将在后台重新生成" not in page
    renewal = Job.objects.get()
    assert f"/jobs/{renewal.uuid}/" not in page  # the worker's job: its page is the administrator's

    Job.objects.update(status=JobStatus.FAILED, error="第 3 行无法读取")
    page = client.get("/tiles/packages/").content.decode()
    assert "重新生成失败：第 3 行无法读取" in page and "已排队" not in page

    own = jobs.submit(PACKAGE.name, officer, title="鹿城区", params={"area": "330302", "zoom_min": 9, "zoom_max": 11})
    Job.objects.filter(pk=own.pk).update(status=JobStatus.RUNNING, done=2, total=5)
    page = client.get("/tiles/packages/").content.decode()
    assert "正在重新生成（40%）。" in page and f"/jobs/{own.uuid}/" in page and "重新生成失败" not in page
