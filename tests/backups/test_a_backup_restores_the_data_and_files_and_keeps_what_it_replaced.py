"""Backups (manage.py backup / restore, and the worker's daily one), run as an operator runs them, against a
throwaway cluster: a restore brings back the rows and the uploaded files as they were, keeps the data it replaces,
and refuses a damaged backup, one made by a newer version, a media archive that reaches outside its folder, and (unless
told to end them) a database other programs still use, changing nothing."""

import json
import os
import subprocess
import tarfile
import threading
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import timezone
from psycopg import sql

from backups import archive, restore
from core.env import url_of
from jobs.models import ChoreRun
from jobs.worker import run_due_chores
from tests.processes import PYTHON, ROOT, product_env

pytestmark = pytest.mark.django_db(transaction=True)

PHOTO = "cemeteries/photos/2026/12/墓1.jpg"


def manage(env, *args, ok=True, **extra_env):
    done = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env={**env, **extra_env}, capture_output=True,
                          text=True, timeout=300)
    assert (done.returncode == 0) == ok, done.stdout + done.stderr
    return done.stdout + done.stderr


@pytest.fixture
def installation(tmp_path, cluster):
    """An installation on its own cluster: a group and an uploaded photo, and `manage.py` as `make run` runs it."""
    Group.objects.create(name="备份前的组")
    cluster.copy_from_the_test_database()
    env = product_env(cluster.url, tmp_path)
    media = tmp_path / "media"
    (media / PHOTO).parent.mkdir(parents=True)
    (media / PHOTO).write_bytes(b"\xff\xd8 a grave's photo")
    return env, media, tmp_path / "backups", cluster


def made(output: str) -> Path:
    return Path(output.split("backup written: ", 1)[1].split(" (", 1)[0])


def test_a_restore_brings_back_rows_and_files_and_keeps_what_it_replaced(installation):
    env, media, backups, cluster = installation
    cluster.query("INSERT INTO tiles_edit (source) VALUES ('places_place')")  # an edit by this cluster's xid
    backup = made(manage(env, "backup"))
    assert backup.parent == backups and archive.NAME.fullmatch(backup.name)
    assert sorted(p.name for p in backup.iterdir()) == ["database.dump", "manifest.json", "media.tar"]
    assert backup.name in manage(env, "backup", "--list")

    cluster.query("DELETE FROM auth_group WHERE name = '备份前的组'")
    cluster.query("INSERT INTO auth_group (name) VALUES ('备份后的组')")
    (media / PHOTO).unlink()
    (media / "later.jpg").write_bytes(b"after the backup")

    said = manage(env, "restore", str(backup))
    assert "_before_restore_" in said
    groups = {name for (name,) in cluster.query("SELECT name FROM auth_group")}
    assert "备份前的组" in groups and "备份后的组" not in groups
    # the tile cache's edit log means something to its own cluster only: it comes back empty, as the cache does
    assert cluster.query("SELECT count(*) FROM tiles_edit") == [(0,)]
    assert (media / PHOTO).read_bytes() == b"\xff\xd8 a grave's photo" and not (media / "later.jpg").exists()

    kept_db = cluster.query("SELECT datname FROM pg_database WHERE datname LIKE 'diming_before_restore_%%'")[0][0]
    with psycopg.connect(cluster.dsn().rsplit("/", 1)[0] + f"/{kept_db}") as kept:
        assert kept.execute("SELECT count(*) FROM auth_group WHERE name = '备份后的组'").fetchone()[0] == 1
    kept_media = [p for p in media.parent.iterdir() if p.name.startswith("media.before-restore-")]
    assert len(kept_media) == 1 and (kept_media[0] / "later.jpg").read_bytes() == b"after the backup"


def _nothing_changed(cluster, media) -> None:
    """The row added after the backup is there, no database was made or set aside, no media folder beside."""
    assert cluster.query("SELECT count(*) FROM auth_group WHERE name = '备份后的组'") == [(1,)]
    assert cluster.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'diming_%%'") == [(0,)]
    assert sorted(p.name for p in media.parent.iterdir() if p.name.startswith(("media", ".media"))) == ["media"]


def test_a_damaged_backup_and_a_database_in_use_are_refused_and_nothing_changes(installation):
    env, media, backups, cluster = installation
    backup = made(manage(env, "backup"))
    cluster.query("INSERT INTO auth_group (name) VALUES ('备份后的组')")

    with psycopg.connect(cluster.dsn()):  # the web server, still running
        refused = manage(env, "restore", str(backup), ok=False)
    assert "other connection" in refused and "--force" in refused

    dump = backup / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10] + b"0123456789")
    assert "damaged" in manage(env, "restore", str(backup), ok=False)
    assert "is not a backup" in manage(env, "restore", str(backups), ok=False)

    _nothing_changed(cluster, media)


def test_a_database_in_use_is_restored_with_force_and_its_programs_reconnect_to_the_restored_data(installation):
    env, _media, _backups, cluster = installation
    backup = made(manage(env, "backup"))
    cluster.query("DELETE FROM auth_group WHERE name = '备份前的组'")
    user = psycopg.connect(cluster.dsn(), autocommit=True)
    manage(env, "restore", "--force", str(backup))
    with pytest.raises(psycopg.OperationalError):
        user.execute("SELECT 1")  # ended; a program's next connection reads the restored data
    assert cluster.query("SELECT count(*) FROM auth_group WHERE name = '备份前的组'") == [(1,)]


def _forged(backup: Path, **changes) -> None:
    """Rewrites the backup's manifest (sizes and digests of its files as they now are) with ``changes``."""
    manifest = json.loads((backup / "manifest.json").read_text())
    for part in ("database.dump", "media.tar"):
        manifest["files"][part] = {"bytes": (backup / part).stat().st_size,
                                   "sha256": archive._sha256(backup / part)}
    for key, value in changes.items():
        manifest["database"][key] = value
    (backup / "manifest.json").write_text(json.dumps(manifest))


def test_a_media_archive_reaching_outside_its_folder_and_a_newer_version_s_backup_are_refused(installation, tmp_path):
    env, media, _backups, cluster = installation
    backup = made(manage(env, "backup"))
    outside = tmp_path / "outside.txt"
    with tarfile.open(backup / "media.tar", "w") as tar:
        tar.add(media / PHOTO, arcname="../outside.txt")
    _forged(backup)
    assert "not a file inside the media folder" in manage(env, "restore", str(backup), ok=False)
    assert not outside.exists()

    with tarfile.open(backup / "media.tar", "w") as tar:
        tar.add(media / PHOTO, arcname=PHOTO)
    migrations = json.loads((backup / "manifest.json").read_text())["database"]["migrations"]
    _forged(backup, migrations={**migrations, "cemeteries": "9999_from_the_future"})
    assert "newer version" in manage(env, "restore", str(backup), ok=False)
    assert cluster.query("SELECT count(*) FROM pg_database WHERE datname LIKE 'diming_%%'") == [(0,)]


def test_the_worker_makes_the_daily_backup_and_keeps_the_newest(settings, tmp_path):
    settings.BACKUP_DIR, settings.BACKUP_KEEP = str(tmp_path / "daily"), 2
    settings.MEDIA_ROOT = tmp_path / "media"
    for stamp in ("20260101-000000", "20260102-000000"):
        old = tmp_path / "daily" / f"diming-{stamp}"
        old.mkdir(parents=True)
        (old / "manifest.json").write_text(json.dumps({"format": 1, "made_at": f"{stamp[:8]}T00:00:00+08:00",
                                                       "files": {}, "media_files": 0}))
    assert "backups.daily" in run_due_chores()
    kept = archive.backups(tmp_path / "daily")
    assert [b.path.name for b in kept][1:] == ["diming-20260102-000000"] and len(kept) == 2
    assert archive.verify(kept[0].path).manifest["database"]["migrations"]["cemeteries"]
    assert "backups.daily" not in run_due_chores()  # looked at hourly

    ChoreRun.objects.update(started=timezone.now() - timedelta(hours=2))  # an hour later: the day's is there
    assert "backups.daily" in run_due_chores() and len(archive.backups(tmp_path / "daily")) == 2


def test_a_backup_whose_worker_was_killed_is_made_again_within_the_hour_and_its_leftovers_go(settings, tmp_path):
    settings.BACKUP_DIR, settings.MEDIA_ROOT = str(tmp_path / "daily"), tmp_path / "media"
    left = tmp_path / "daily" / ".diming-20260101-000000.partial"
    left.mkdir(parents=True)
    os.utime(left, (0, 0))
    day_old = tmp_path / "daily" / "diming-20260101-000000"
    day_old.mkdir()
    (day_old / "manifest.json").write_text(json.dumps({
        "format": 1, "made_at": (timezone.now() - timedelta(hours=25)).isoformat(), "files": {}, "media_files": 0}))
    assert "backups.daily" in run_due_chores()
    assert len(archive.backups(tmp_path / "daily")) == 2 and not left.exists()


def test_the_administrator_sees_on_the_admin_s_index_when_the_newest_backup_was_made_or_that_it_is_late(
        settings, tmp_path, client, django_user_model):
    from datetime import timedelta

    from django.utils import timezone

    admin = django_user_model.objects.create_superuser("root", password="x")
    client.force_login(admin)
    settings.BACKUP_DIR = ""
    assert "未设置备份目录" in client.get("/admin/").content.decode()
    settings.BACKUP_DIR = str(tmp_path / "daily")
    assert "还没有备份" in client.get("/admin/").content.decode()

    def one(made_at):
        folder = tmp_path / "daily" / f"diming-{timezone.localtime(made_at):%Y%m%d-%H%M%S}"
        folder.mkdir(parents=True)
        (folder / "manifest.json").write_text(json.dumps({
            "format": 1, "made_at": made_at.isoformat(), "media_files": 3,
            "files": {"database.dump": {"bytes": 6_000_000}, "media.tar": {"bytes": 600_000}}}))

    one(timezone.now() - timedelta(days=3))
    page = client.get("/admin/").content.decode()
    assert "此后每日备份未再进行" in page and "6.6 MB" in page
    one(timezone.now() - timedelta(hours=2))
    page = client.get("/admin/").content.decode()
    assert "最近一次备份" in page and "共保留 2 份" in page and "未再进行" not in page

    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    assert "备份" not in client.get("/admin/").content.decode()


def test_make_run_keeps_a_backup_before_it_upgrades_the_schema_and_none_when_there_is_nothing_to_upgrade(
        installation):
    env, _media, backups, cluster = installation
    assert "backup written" not in manage(env, "backup", "--before-migrate") and not backups.exists()
    newest = cluster.query("SELECT id, app, name FROM django_migrations WHERE app = 'cemeteries' "
                           "ORDER BY name DESC LIMIT 1")[0]
    cluster.query("DELETE FROM django_migrations WHERE id = %s", [newest[0]])  # as before an upgrade that brings it
    assert "before the migrations, backup written" in manage(env, "backup", "--before-migrate")
    assert len(archive.backups(backups)) == 1


def test_a_restore_that_would_leave_the_disk_too_full_is_refused_and_nothing_changes(installation):
    env, media, _backups, cluster = installation
    backup = made(manage(env, "backup"))
    cluster.query("INSERT INTO auth_group (name) VALUES ('备份后的组')")
    recorded = json.loads((backup / "manifest.json").read_text())["database"]["bytes"]
    assert recorded > 1_000_000

    refused = manage(env, "restore", str(backup), ok=False, DIMING_BACKUP_MIN_FREE_MB=str(10**9))
    assert "not enough free space" in refused and "the restore needs about" in refused
    # the database is restored beside the one it replaces, on the cluster's disk (this machine's): counted with the files
    needed_mb = int(refused.split("the restore needs about ", 1)[1].split(" MB", 1)[0].replace(",", ""))
    assert needed_mb >= recorded // 1_000_000
    _nothing_changed(cluster, media)


def test_a_restore_by_a_user_who_may_not_create_or_rename_databases_is_refused_before_anything_is_done(installation):
    env, media, _backups, cluster = installation
    backup = made(manage(env, "backup"))
    cluster.query("INSERT INTO auth_group (name) VALUES ('备份后的组')")
    cluster.query("CREATE ROLE clerk LOGIN")
    cluster.query("GRANT ALL ON DATABASE diming TO clerk")
    as_clerk = cluster.url.replace("postgis://diming@", "postgis://clerk@")
    refused = manage(env, "restore", str(backup), ok=False, DATABASE_URL=as_clerk)
    assert "may not create databases" in refused and "ALTER ROLE clerk CREATEDB" in refused
    assert "Traceback" not in refused
    cluster.query("ALTER ROLE clerk CREATEDB")
    refused = manage(env, "restore", str(backup), ok=False, DATABASE_URL=as_clerk)
    assert "does not own the database diming (its owner is diming)" in refused and "Traceback" not in refused
    _nothing_changed(cluster, media)


@pytest.mark.django_db
def test_a_session_closing_as_a_restore_begins_is_waited_for_and_one_that_stays_is_counted(monkeypatch):
    """A program that disconnected a moment before (`make backup` just before `make restore`) leaves its server process
    behind for a moment: the restore waits for it instead of refusing; one that stays is counted after CLOSING_S."""
    server = url_of(connection.settings_dict, "postgresql").rsplit("/", 1)[0]
    name = f"{connection.settings_dict['NAME']}_sessions"[:63]  # a database of its own: only the sessions opened here
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            monkeypatch.setattr(restore, "CLOSING_S", 5.0)
            closing = psycopg.connect(f"{server}/{name}")
            threading.Timer(1.0, closing.close).start()
            assert restore._other_sessions(admin, name) == 0
            monkeypatch.setattr(restore, "CLOSING_S", 0.5)
            with psycopg.connect(f"{server}/{name}"):  # the web server, still running
                assert restore._other_sessions(admin, name) == 1
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
