"""Fault tests run the product's own processes (tests.processes) and, where PostgreSQL itself must go away, a
throwaway cluster of their own (scripts/db.sh with DIMING_PG_HOME), never the cluster the other tests share."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from core.env import url_of
from tests.doorplates.builders import lonlat_at, make_road
from tests.processes import ROOT

HEADER = ["道路", "区县", "门牌号", "幢", "单元", "室", "类型", "经度", "纬度", "状态", "安装日期"]


def plates_csv(road, rows: int, *, first_building: int = 1) -> bytes:
    """A doorplate file of ``rows`` plates on ``road``: enough rows for an import that lasts while a fault hits it."""
    points = [lonlat_at(road, 20 + 1.5 * n, 10 if n % 2 else -10) for n in range(1000)]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    for n in range(rows):
        lon, lat = points[n % 1000]
        writer.writerow([road.name, "鹿城区", str(2 * (n % 1000) + 1 + (n % 2)), str(first_building + n // 1000),
                         "", "", "门牌", f"{lon:.8f}", f"{lat:.8f}", "已安装", "2023-05-01"])
    return out.getvalue().encode()


class Cluster:
    """A PostgreSQL cluster of the test's own, that the test may stop and start again on the same port."""

    def __init__(self, home: Path):
        self.home = home
        self.env = {**os.environ, "DIMING_PG_HOME": str(home)}

    def db_sh(self, *args: str) -> str:
        done = subprocess.run([str(ROOT / "scripts" / "db.sh"), *args, "test"], env=self.env, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    def start(self) -> None:
        self.db_sh("start")

    def stop(self) -> None:
        self.db_sh("stop")

    @property
    def url(self) -> str:
        return self.db_sh("url")

    def dsn(self) -> str:
        return self.url.replace("postgis://", "postgresql://")

    def query(self, sql: str, params=()):
        with psycopg.connect(self.dsn(), autocommit=True) as conn:
            cursor = conn.execute(sql, params)
            return cursor.fetchall() if cursor.description else []

    def copy_from_the_test_database(self) -> None:
        """The test database as it is now (schema and committed rows) becomes this cluster's database."""
        source = url_of(connection.settings_dict, "postgresql")
        dump = subprocess.run(["pg_dump", "--no-owner", "--no-acl", "--dbname", source], capture_output=True,
                              check=True).stdout
        self.query("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        loaded = subprocess.run(["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", self.dsn()], input=dump,
                                capture_output=True)
        assert loaded.returncode == 0, loaded.stderr.decode()[-2000:]


class PlatesLocked:
    """Holds the doorplate table locked against writes from a connection of the test's, so an import that reaches
    its insert waits there, inside its transaction: the fault hits it in the middle, whatever the machine's speed."""

    WAITING = ("SELECT count(*) FROM pg_locks WHERE relation = 'doorplates_doorplate'::regclass AND NOT granted")

    def __init__(self, dsn: str):
        self.dsn = dsn

    def __enter__(self):
        self.conn = psycopg.connect(self.dsn)
        self.conn.execute("LOCK TABLE doorplates_doorplate IN EXCLUSIVE MODE")
        return self

    def import_waits(self) -> bool:
        with psycopg.connect(self.dsn, autocommit=True) as other:
            return other.execute(self.WAITING).fetchone()[0] > 0

    def release(self) -> None:
        try:
            self.conn.close()  # its transaction ends with it
        except psycopg.Error:
            pass

    def __exit__(self, *exc):
        self.release()


@pytest.fixture
def cluster():
    home = Path(tempfile.mkdtemp(prefix="diming-fault-", dir="/var/tmp"))
    home.chmod(0o755)
    own = Cluster(home / "pg")
    own.start()
    try:
        yield own
    finally:
        subprocess.run([str(ROOT / "scripts" / "db.sh"), "stop", "test"], env=own.env, capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def import_road(wenzhou_counties):
    return make_road("解放街")
