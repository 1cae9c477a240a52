"""`make clean-db` removes the clusters, also one that db.sh kept under /var/tmp for a checkout the postgres user
cannot enter (var/postgres is then a link to it): removing only the link left the data behind on the disk."""

import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.processes import ROOT


def test_the_linked_cluster_is_removed_with_its_link(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "Makefile", checkout / "Makefile")
    shutil.copy2(ROOT / "scripts" / "db.sh", checkout / "scripts" / "db.sh")
    elsewhere = Path(tempfile.mkdtemp(prefix="diming-pg-test-", dir="/var/tmp"))
    (elsewhere / "data").mkdir()
    (elsewhere / "data" / "PG_VERSION").write_text("15\n")
    (checkout / "var").mkdir()
    (checkout / "var" / "postgres").symlink_to(elsewhere)
    (checkout / "var" / "postgres-test").mkdir()
    try:
        done = subprocess.run(["make", "--no-print-directory", "clean-db"], cwd=checkout, capture_output=True,
                              text=True)
        assert done.returncode == 0, done.stderr
        assert not elsewhere.exists() and not (checkout / "var" / "postgres").is_symlink()
        assert not (checkout / "var" / "postgres-test").exists()
    finally:
        shutil.rmtree(elsewhere, ignore_errors=True)
