"""A machine upgraded to a newer PostgreSQL keeps the old version's packages, and a cluster runs only with the
version that made it: scripts/db.sh starts var/postgres with its own version's server, and when that version is
not installed it says so and what to do, and leaves the data as it is (it used to pick the newest server, which
refuses an older cluster with an error about its data directory)."""

import os
import subprocess
import tempfile
from pathlib import Path

from tests.processes import ROOT


def test_a_cluster_of_a_version_the_machine_lacks_is_left_untouched_with_words_on_what_to_do():
    home = Path(tempfile.mkdtemp(prefix="diming-old-", dir="/var/tmp")) / "pg"
    (home / "data").mkdir(parents=True)
    (home / "data" / "PG_VERSION").write_text("9\n")  # a cluster made by PostgreSQL 9
    (home / "data" / "base").mkdir()
    try:
        started = subprocess.run([str(ROOT / "scripts" / "db.sh"), "start", "test"], capture_output=True, text=True,
                                 env={**os.environ, "DIMING_PG_HOME": str(home)})
        assert started.returncode == 1
        assert "holds a PostgreSQL 9 cluster, and this machine has no PostgreSQL 9 server" in started.stderr
        assert "apt install postgresql-9 postgresql-9-postgis-3" in started.stderr and "pg_upgrade" in started.stderr
        assert sorted(p.name for p in (home / "data").iterdir()) == ["PG_VERSION", "base"]
        assert (home / "data" / "PG_VERSION").read_text() == "9\n"
    finally:
        subprocess.run(["rm", "-rf", str(home.parent)])


def test_a_cluster_of_the_installed_version_is_started_with_it(tmp_path):
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))
    version = installed[-1].parent.parent.name
    home = Path(tempfile.mkdtemp(prefix="diming-own-", dir="/var/tmp")) / "pg"
    home.parent.chmod(0o755)
    env = {**os.environ, "DIMING_PG_HOME": str(home)}
    try:
        started = subprocess.run([str(ROOT / "scripts" / "db.sh"), "start", "test"], capture_output=True, text=True,
                                 env=env)
        assert started.returncode == 0, started.stderr
        assert f"PostgreSQL {version} (test) running" in started.stdout
        assert (home / "data" / "PG_VERSION").read_text().strip() == version
    finally:
        subprocess.run([str(ROOT / "scripts" / "db.sh"), "stop", "test"], env=env, capture_output=True)
        subprocess.run(["rm", "-rf", str(home.parent)])
