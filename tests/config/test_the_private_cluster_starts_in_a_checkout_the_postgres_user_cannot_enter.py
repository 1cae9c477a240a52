"""A fresh clone in a directory the `postgres` user cannot enter (mktemp -d, a root home with mode 700): as root,
scripts/db.sh keeps the cluster where that user can reach it, and gives the server only that real path (initdb
through the link under var/ used to fail: Permission denied)."""

import hashlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

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
        assert url.startswith("postgis://diming@127.0.0.1:")
        assert home.is_symlink() and (alt / "data" / "PG_VERSION").exists()
    finally:
        subprocess.run([str(checkout / "scripts" / "db.sh"), "stop", "test"], capture_output=True)
        shutil.rmtree(parent, ignore_errors=True)
        shutil.rmtree(alt, ignore_errors=True)
