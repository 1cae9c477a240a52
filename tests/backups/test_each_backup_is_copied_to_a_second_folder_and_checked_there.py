"""A backup on the machine's own disk does not survive the disk: with BACKUP_COPY_DIR (another disk, a network
share) each backup is copied there and checked against its manifest before it counts; a copy that could not be
made (the share was away) or that was damaged is made again at the next hourly look; the administrator sees on
the admin's index whether the copies keep up."""

import io
import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from backups import archive
from jobs.models import ChoreRun
from jobs.worker import run_due_chores

pytestmark = pytest.mark.django_db(transaction=True)


def _an_hour_later():
    ChoreRun.objects.update(started=timezone.now() - timedelta(hours=2))


def test_the_worker_copies_the_backup_catches_up_when_the_share_returns_and_remakes_a_damaged_copy(settings,
                                                                                                 tmp_path):
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    away = tmp_path / "unplugged"
    away.write_text("a file where the share's folder should be")  # the share is not mounted
    settings.BACKUP_COPY_DIR = str(away / "diming")
    assert "backups.daily" in run_due_chores()  # the backup is made; its copy fails and is logged
    made = archive.backups()[0]

    settings.BACKUP_COPY_DIR = str(tmp_path / "nas")
    _an_hour_later()
    assert "backups.daily" in run_due_chores()
    copies = archive.backups(tmp_path / "nas")
    assert [c.path.name for c in copies] == [made.path.name] and len(archive.backups()) == 1  # no second backup
    assert archive.verify(copies[0].path).manifest == made.manifest
    assert (tmp_path / "nas").stat().st_mode & 0o777 == 0o700

    dump = copies[0].path / "database.dump"
    dump.write_bytes(dump.read_bytes()[:100])  # the share lost part of it
    _an_hour_later()
    run_due_chores()
    assert archive.verify(copies[0].path).manifest == made.manifest
    assert not list((tmp_path / "nas").glob(".*.partial"))


def test_the_command_copies_and_checks_and_the_copies_are_pruned_like_the_backups(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = io.StringIO()
    for _ in range(2):
        call_command("backup", "--dir", str(tmp_path / "daily"), "--copy-to", str(tmp_path / "nas"), "--keep", "1",
                     stdout=out)
        # a second backup within the same second would be refused: give the folder's name another second
        for made in archive.backups(tmp_path / "daily"):
            made.path.rename(made.path.with_name("diming-20260101-000000"))
        for copy in archive.backups(tmp_path / "nas"):
            copy.path.rename(copy.path.with_name("diming-20260101-000000"))
    assert out.getvalue().count("copied and checked: ") == 2
    listed = io.StringIO()
    call_command("backup", "--list", "--dir", str(tmp_path / "daily"), "--copy-to", str(tmp_path / "nas"), stdout=listed)
    assert str(tmp_path / "daily" / "diming-20260101-000000") in listed.getvalue()
    assert str(tmp_path / "nas" / "diming-20260101-000000") in listed.getvalue()
    assert len(archive.backups(tmp_path / "nas")) == 1 and len(archive.backups(tmp_path / "daily")) == 1
    with pytest.raises(archive.BackupError, match="somewhere else"):
        archive.copy_backup(archive.backups(tmp_path / "daily")[0], tmp_path / "daily")


def test_the_administrator_sees_whether_the_copies_keep_up(settings, tmp_path, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    settings.BACKUP_DIR, settings.BACKUP_COPY_DIR = str(tmp_path / "daily"), ""

    def one(folder, made_at):
        path = tmp_path / folder / f"diming-{timezone.localtime(made_at):%Y%m%d-%H%M%S}"
        path.mkdir(parents=True)
        (path / "manifest.json").write_text(json.dumps({
            "format": 1, "made_at": made_at.isoformat(), "media_files": 3,
            "files": {"database.dump": {"bytes": 6_000_000}, "media.tar": {"bytes": 600_000}}}))

    yesterday, now = timezone.now() - timedelta(hours=25), timezone.now() - timedelta(minutes=5)
    one("daily", yesterday)
    assert "备份没有复制到别处" in client.get("/admin/").content.decode()
    settings.BACKUP_COPY_DIR = str(tmp_path / "nas")
    assert "还没有备份复制到第二个目录" in client.get("/admin/").content.decode()
    one("nas", yesterday)
    one("daily", now)
    page = client.get("/admin/").content.decode()
    assert "最近一次备份尚未复制过去" in page and f"{timezone.localtime(yesterday):%Y-%m-%d %H:%M}" in page
    one("nas", now)
    page = client.get("/admin/").content.decode()
    assert "已复制到第二个目录并核验" in page and "该目录共保留 2 份" in page and "尚未复制" not in page
