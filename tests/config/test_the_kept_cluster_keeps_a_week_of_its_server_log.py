"""The cluster `make run` keeps data in writes its server log itself, a file a weekday in data/log/, each emptied
when its day comes round again: a week of it, never more (it used to grow in one file for as long as it ran). A
cluster still running without it is restarted once with it."""

import os
import subprocess
import tempfile
from pathlib import Path

import psycopg

from tests.processes import ROOT


def _db(env, *args):
    done = subprocess.run([str(ROOT / "scripts" / "db.sh"), *args], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _collector(url):
    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute("SHOW logging_collector").fetchone()[0], conn.execute("SHOW log_filename").fetchone()[0]


def test_the_server_log_is_a_file_a_weekday_and_a_cluster_running_without_it_is_restarted_with_it():
    home = Path(tempfile.mkdtemp(prefix="diming-log-", dir="/var/tmp"))
    home.chmod(0o755)
    env = {**os.environ, "DIMING_PG_HOME": str(home / "pg")}
    try:
        _db(env, "start", "dev")
        url = _db(env, "url", "dev").strip().replace("postgis://", "postgresql://")
        assert _collector(url) == ("on", "postgresql-%a.log")
        logs = [p.name for p in (home / "pg" / "data" / "log").iterdir()]
        assert len(logs) == 1 and logs[0].startswith("postgresql-") and logs[0].endswith(".log")

        # As a cluster started by an older version of db.sh: its server without the log options.
        _db(env, "stop", "dev")
        pg_ctl = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"))[-1]
        data, run = home / "pg" / "data", home / "pg" / "run"
        port = (home / "pg" / "port").read_text().strip()
        owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*owner, str(pg_ctl), "-D", str(data), "-l", str(home / "pg" / "server.log"), "-w", "start",
                        "-o", f"-p {port} -k {run} -c listen_addresses=''"], check=True, capture_output=True,
                       cwd="/")
        assert _collector(url)[0] == "off"
        said = _db(env, "start", "dev")
        assert "so that it keeps its server log" in said and _collector(url)[0] == "on"
    finally:
        subprocess.run([str(ROOT / "scripts" / "db.sh"), "stop", "dev"], env=env, capture_output=True)
        subprocess.run(["rm", "-rf", str(home)])
