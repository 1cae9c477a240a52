"""Photos fill a bureau's disk in time. When the disk the uploads go to is full, the person sending one is told so in
words (a 507: the server's disk is full, nothing was saved, tell the administrator), never a server error; no record
is kept without its file; and a crew's resumable upload continues where it stopped once space is freed.

The database's disk likewise: a write that PostgreSQL cannot store (disk_full) is refused in the same words, and goes
in once space is freed, with no restart.

The full disks are real: a tmpfs of 256 KiB mounted as MEDIA_ROOT, one of 200 MB holding a cluster, filled (root may
mount one, as in CI)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from cemeteries import services
from cemeteries.models import GravePhoto
from field.models import Upload
from jobs import services as jobs
from jobs.models import JobStatus
from placenames.models import PlacePhoto
from tests.base import build_wenzhou, lucheng_officer
from tests.cemeteries import builders as b
from tests.faults.conftest import Cluster
from tests.field.builders import API, crew_and_officers, jpeg, sha, upload
from tests.placenames.builders import place
from tests.processes import ROOT, Supervised, free_port, product_env
from tests.registry.test_signs_go_through_their_lifecycle import PNG
from tests.tiles.builders import tile_at
from tiles.jobs import PACKAGE
from tiles.pmtiles_export import archive_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_media(tmp_path, settings):
    media = tmp_path / "media"
    media.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(media)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root): {mounted.stderr.decode().strip()}")
    try:
        filler = media / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
        try:
            with pytest.raises(OSError, match="No space left"):
                while True:
                    os.write(fd, b"\0" * 4096)
        finally:
            os.close(fd)
        settings.MEDIA_ROOT = str(media)
        yield filler
    finally:
        subprocess.run(["umount", "-l", str(media)], capture_output=True)


def _said_in_words(response):
    assert response.status_code == 507
    page = response.content.decode()
    assert "服务器磁盘已满" in page and "没有保存" in page and "系统管理员" in page
    assert "Traceback" not in page and "ENOSPC" not in page and "Errno" not in page
    return page


def test_an_officer_s_photo_on_a_full_disk_is_refused_in_words_and_no_record_is_kept(client, wenzhou_counties,
                                                                                      full_media):
    village = place("苍坡村", kind="village")
    client.force_login(lucheng_officer())
    sent = client.post(f"/placenames/places/{village.pk}/photos/",
                       {"photo": SimpleUploadedFile("村口.png", PNG, content_type="image/png")},
                       HTTP_REFERER=f"http://testserver/placenames/places/{village.pk}/")
    page = _said_in_words(sent)
    assert f"/placenames/places/{village.pk}/" in page  # the way back to the page
    assert not PlacePhoto.objects.exists()

    full_media.unlink()  # space is freed: the same photo goes in
    assert client.post(f"/placenames/places/{village.pk}/photos/",
                       {"photo": SimpleUploadedFile("村口.png", PNG, content_type="image/png")}).status_code == 302
    assert PlacePhoto.objects.count() == 1


def test_a_crew_s_grave_photo_through_the_api_gets_a_json_507_and_no_record(client, full_media):
    b.known_geography()
    officer = lucheng_officer()
    crew = b.crew_member("crew_a", b.LUCHENG)
    grave = b.grave_at(100, 100, officer)
    services.assign_crew(grave, officer, [crew])
    client.force_login(crew)
    sent = client.post(f"/cemeteries/api/graves/{grave.uuid}/photos/", {"image": b.png(), "role": "road"})
    assert sent.status_code == 507 and sent["Content-Type"].startswith("application/json")
    assert sent.json()["error"]["code"] == "storage_full" and "服务器磁盘已满" in sent.json()["error"]["message"]
    assert not GravePhoto.objects.exists()


def test_a_field_upload_stopped_by_a_full_disk_continues_where_it_stopped_once_space_is_freed(client, full_media):
    build_wenzhou(villages=False)
    crew, *_ = crew_and_officers()
    client.force_login(crew)
    os.truncate(full_media, 100_000)  # room for the first chunk, not the second
    photo = jpeg(200_000, seed=7)
    refused = upload(client, photo, chunk=100_000)
    assert refused.status_code == 507 and refused.json()["error"]["code"] == "storage_full"
    head = client.head(f"{API}/uploads/{sha(photo)}")
    assert (head.status_code, head["Upload-Offset"]) == (200, "100000")  # the first chunk is kept

    full_media.unlink()
    done = upload(client, photo, chunk=100_000, start=int(head["Upload-Offset"]))
    assert done.status_code == 204, done.content.decode()
    assert done["Upload-Complete"] == "1"
    stored = Path(full_media.parent) / Upload.objects.get(sha256=sha(photo)).file.name
    assert sha(stored.read_bytes()) == sha(photo)


def test_an_offline_package_built_on_a_full_disk_fails_in_words_and_leaves_no_part_behind(client, wenzhou_counties,
                                                                                          full_media):
    officer = lucheng_officer()
    job = jobs.submit(PACKAGE.name, officer, title="鹿城区离线地图包",
                      params={"area": "330302", "area_name": "鹿城区", "zoom_min": 9, "zoom_max": 12})
    call_command("run_jobs", "--once", verbosity=0)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "服务器磁盘已满" in job.error and "Errno" not in job.error
    assert not archive_path("330302").exists() and not list(archive_path("330302").parent.glob("*.part"))
    client.force_login(officer)
    assert "服务器磁盘已满" in client.get(f"/jobs/{job.uuid}/").content.decode()


@pytest.fixture
def cluster_on_a_small_disk():
    """A PostgreSQL cluster of the test's own on a 200 MB tmpfs, which the test fills."""
    home = Path(tempfile.mkdtemp(prefix="diming-full-", dir="/var/tmp"))
    home.chmod(0o755)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200m,mode=755", "tmpfs", str(home)],
                             capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"a small tmpfs cannot be mounted here (needs root): {mounted.stderr.decode().strip()}")
    own = Cluster(home / "pg")
    try:
        own.start()
        yield own, home / "filler"
    finally:
        subprocess.run([str(ROOT / "scripts" / "db.sh"), "stop", "test"], env=own.env, capture_output=True)
        subprocess.run(["umount", "-l", str(home)], capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


def _fill(path: Path) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT)
    try:
        with pytest.raises(OSError, match="No space left"):
            while True:
                os.write(fd, b"\0" * (1 << 20))
    finally:
        os.close(fd)


@pytest.mark.django_db(transaction=True)
def test_a_write_when_the_database_s_disk_is_full_is_refused_in_words_and_goes_in_once_space_is_freed(
        tmp_path, cluster_on_a_small_disk):
    from accounts.models import ApiToken
    from tests.canteens.builders import known_geography, lonlat

    cluster, filler = cluster_on_a_small_disk
    known_geography()
    _token, raw = ApiToken.issue(lucheng_officer(), "tablet")
    cluster.copy_from_the_test_database()
    cluster.query("DELETE FROM tiles_edit")  # edits of the test cluster's transactions mean nothing in this one
    server = Supervised(product_env(cluster.url, tmp_path), free_port(), tmp_path / "run.log", worker=False)
    lon, lat = lonlat(100, 100)
    feature = json.dumps({"type": "Feature", "geometry": {"type": "Point", "coordinates": [lon, lat]},
                          "properties": {"name": "望江老年食堂", "kind": "canteen"}}).encode()

    def register():
        request = urllib.request.Request(f"http://127.0.0.1:{server.port}/canteens/api/canteens/", data=feature,
                                         method="POST", headers={"Authorization": f"Bearer {raw}",
                                                                 "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                return answer.status, json.loads(answer.read())
        except urllib.error.HTTPError as refused:
            return refused.code, json.loads(refused.read())

    try:
        server.wait_until_serving()
        _fill(filler)
        status, body = register()
        assert status == 507, (status, body, server.output()[-3000:])
        assert body["error"]["code"] == "storage_full" and "服务器磁盘已满" in body["error"]["message"]
        # The map still draws: a tile the full disk cannot keep is sent all the same (the same tile kept, later).
        z, x, y = tile_at(lon, lat, 12)
        assert server.get(f"/tiles/counties/{z}/{x}/{y}.mvt")[0] == 200, server.output()[-3000:]
        assert cluster.query("SELECT count(*) FROM tiles_tilecache") == [(0,)]
        filler.unlink()
        status, body = register()
        assert status == 201, (status, body)
        assert server.get(f"/tiles/counties/{z}/{x}/{y}.mvt")[0] == 200
        assert cluster.query("SELECT count(*) FROM tiles_tilecache") == [(1,)]
    finally:
        server.stop()
    assert cluster.query("SELECT count(*) FROM canteens_canteen") == [(1,)]
