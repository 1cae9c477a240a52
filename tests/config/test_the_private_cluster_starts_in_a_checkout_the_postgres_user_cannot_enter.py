"""A fresh clone in a directory the `postgres` user cannot enter (mktemp -d, a root home with mode 700): as root,
scripts/db.sh keeps the cluster where that user can reach it, and gives the server only that real path (initdb
through the link under var/ used to fail: Permission denied). The cluster listens on no TCP port, only on a socket
in a directory that no other user may enter: its authentication is `trust`, so a port on 127.0.0.1 let every user of
the machine in as its superuser."""

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

from core.env import database_from_url
from tests.processes import ROOT

pytestmark = pytest.mark.skipif(os.geteuid() != 0 or shutil.which("runuser") is None,
                                reason="only root runs the server as another user")


def test_a_checkout_in_a_mode_700_directory_gets_a_running_cluster():
    parent = Path(tempfile.mkdtemp(prefix="diming-700-"))  # mode 700, like mktemp -d
    checkout = parent / "x"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "db.sh", checkout / "scripts" / "db.sh")
    home = checkout / "var" / "postgres-test"
    digest = hashlib.md5((str(home) + "\n").encode()).hexdigest()[:12]  # as db.sh names it: md5sum of the path
    alt = Path("/var/tmp") / f"diming-pg-{digest}"
    assert subprocess.run(["runuser", "-u", "postgres", "--", "test", "-x", str(parent)]).returncode != 0
    try:
        started = subprocess.run([str(checkout / "scripts" / "db.sh"), "start", "test"], capture_output=True,
                                 text=True)
        assert started.returncode == 0, started.stderr
        url = subprocess.run([str(checkout / "scripts" / "db.sh"), "url", "test"], capture_output=True, text=True,
                             check=True).stdout.strip()
        assert home.is_symlink() and (alt / "data" / "PG_VERSION").exists()
        db = database_from_url(url)
        assert db["HOST"] == str(alt / "run")
        with psycopg.connect(host=db["HOST"], port=db["PORT"], user=db["USER"], dbname=db["NAME"]) as conn:
            assert conn.execute("SHOW listen_addresses").fetchone()[0] == ""
        assert (alt / "run").stat().st_mode & 0o777 == 0o700
        other_user = subprocess.run(["runuser", "-u", "nobody", "--", "psql", "-X", "-h", db["HOST"], "-p", db["PORT"],
                                     "-U", "diming", "-d", "diming", "-c", "SELECT 1"], capture_output=True, text=True)
        assert other_user.returncode != 0 and "Permission denied" in other_user.stderr
    finally:
        subprocess.run([str(checkout / "scripts" / "db.sh"), "stop", "test"], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
        shutil.rmtree(alt, ignore_errors=True)
