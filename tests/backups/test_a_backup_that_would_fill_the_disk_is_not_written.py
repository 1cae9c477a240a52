"""Under `make run` the backups share a disk with the database, which stops when that disk is full. A backup (or its
copy) that would leave less than BACKUP_MIN_FREE free is not written: the oldest backup the new one would replace
anyway goes first, and when that is not enough nothing is written, the operator is told the figures, and the
administrator's status says them in words until a backup is made again."""

import io
import json
import shutil
import subprocess
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from backups import archive
from jobs.models import ChoreRun
from jobs.worker import run_due_chores

pytestmark = pytest.mark.django_db(transaction=True)

TB = 10**12


def _free(path):
    return shutil.disk_usage(path).free


def _an_hour_later():
    ChoreRun.objects.update(started=timezone.now() - timedelta(hours=2))


def _old_backup(folder, stamp, *, dump_bytes=1000, filler=0):
    path = folder / f"diming-{stamp}"
    path.mkdir(parents=True)
    (path / "manifest.json").write_text(json.dumps({
        "format": 1, "made_at": f"{stamp[:4]}-{stamp[4:6]}-{stamp[6:8]}T00:00:00+08:00", "media_files": 0,
        "files": {"database.dump": {"bytes": dump_bytes}, "media.tar": {"bytes": 10240}}}))
    if filler:
        with (path / "database.dump").open("wb") as f:
            for _ in range(filler // (1 << 20)):
                f.write(b"\0" * (1 << 20))
    return path


def test_no_backup_is_written_when_the_disk_would_be_left_too_full_and_the_admin_sees_why(
        settings, tmp_path, client, django_user_model):
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB  # more than the disk has: no backup fits
    assert "backups.daily" in run_due_chores()  # ran, failed, logged
    assert archive.backups() == [] and not list((tmp_path / "daily").glob(".diming-*"))

    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    page = client.get("/admin/").content.decode()
    assert "的每日备份未能进行：备份目录所在磁盘只剩" in page and "还须为数据库留出" in page
    assert "backup_min_free" not in page.lower() and "Traceback" not in page

    with pytest.raises(CommandError, match="not enough free space in .*DIMING_BACKUP_MIN_FREE_MB"):
        call_command("backup", stdout=io.StringIO())
    assert archive.backups() == []

    settings.BACKUP_MIN_FREE = 0  # space was freed
    _an_hour_later()
    assert "backups.daily" in run_due_chores() and len(archive.backups()) == 1
    page = client.get("/admin/").content.decode()
    assert "未能进行" not in page and "最近一次备份" in page


def test_the_oldest_backup_the_new_one_replaces_goes_first_when_that_makes_room(settings, tmp_path):
    settings.BACKUP_DIR, settings.MEDIA_ROOT, settings.BACKUP_KEEP = str(tmp_path / "daily"), tmp_path / "media", 2
    daily = tmp_path / "daily"
    oldest = _old_backup(daily, "20260101-000000", filler=200 << 20)  # takes 200 MB
    newer = _old_backup(daily, "20260102-000000")
    # 100 MB short before the oldest goes, 100 MB to spare after: room enough for the disk's other writers
    settings.BACKUP_MIN_FREE = _free(tmp_path) + (100 << 20)
    made = archive.make_backup()
    assert not oldest.exists() and newer.exists() and made.path.exists()
    assert [b.path for b in archive.backups()] == [made.path, newer]


def test_a_copy_that_does_not_fit_the_second_folder_is_not_written_and_the_admin_sees_the_figures(
        settings, tmp_path, client, django_user_model):
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    settings.BACKUP_COPY_DIR = str(tmp_path / "nas")
    settings.BACKUP_MIN_FREE = 0
    made = archive.make_backup()
    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB
    assert "backups.daily" in run_due_chores()
    assert archive.backups(tmp_path / "nas") == [] and not list((tmp_path / "nas").glob(".diming-*"))
    assert archive.backups() == [made]  # no second backup made for want of a copy

    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    page = client.get("/admin/").content.decode()
    assert "还没有备份复制到第二个目录" in page and "时第二个目录只剩" in page and "未能进行" not in page

    settings.BACKUP_MIN_FREE = 0
    _an_hour_later()
    run_due_chores()
    assert [c.path.name for c in archive.backups(tmp_path / "nas")] == [made.path.name]
    assert "第二个目录只剩" not in client.get("/admin/").content.decode()


def test_the_administrator_sees_each_disk_s_free_space_in_red_when_low_and_copies_on_the_backups_own_disk(
        settings, tmp_path, client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x"))
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    settings.BACKUP_MIN_FREE = 0
    settings.BACKUP_COPY_DIR = str(tmp_path / "copies")  # a folder on the same disk: no protection from its loss
    page = client.get("/admin/").content.decode()
    assert "上传文件和备份所在磁盘剩余" in page or "数据库、上传文件和备份所在磁盘剩余" in page
    assert "第二个备份目录与备份在同一块磁盘上" in page and "只剩" not in page

    settings.BACKUP_MIN_FREE = _free(tmp_path) + TB
    assert "所在磁盘只剩" in client.get("/admin/").content.decode()

    settings.BACKUP_MIN_FREE = 0
    nas = tmp_path / "nas"
    nas.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(nas)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip("another disk (a tmpfs) cannot be mounted here: needs root")
    try:
        settings.BACKUP_COPY_DIR = str(nas / "diming")
        page = client.get("/admin/").content.decode()
        assert "第二个备份目录所在磁盘剩余 8.0" in page and "同一块磁盘" not in page
    finally:
        subprocess.run(["umount", "-l", str(nas)], capture_output=True)
