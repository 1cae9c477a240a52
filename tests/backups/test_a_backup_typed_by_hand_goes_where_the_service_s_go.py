"""Under `make service` the service's settings (DIMING_BACKUP_DIR, DIMING_BACKUP_COPY_DIR, DATABASE_URL...) live in
var/service.env. A backup an administrator makes by hand (`make backup`) reads them, so it lands, and is copied,
where the service's daily ones are; a variable set in the shell still wins."""

import json
import os
import shutil
import subprocess

import pytest

from tests.backups.test_a_backup_restores_the_data_and_files_and_keeps_what_it_replaced import made
from tests.processes import PYTHON, ROOT, product_env


def _checkout_with_service_env(tmp_path, **variables):
    """A checkout's scripts and the var/service.env `make service` writes from ``variables`` (its own writer)."""
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    for script in ("service.sh", "service_env.py"):
        shutil.copy2(ROOT / "scripts" / script, checkout / "scripts" / script)
    written = subprocess.run([str(checkout / "scripts" / "service.sh")], capture_output=True, text=True,
                             env={**os.environ, "DIMING_SERVICE_OUT": str(checkout / "var"), **variables})
    assert written.returncode == 0, written.stderr
    return checkout


def _seen(checkout, names, **env):
    """The values a command run through scripts/service_env.py sees."""
    shown = subprocess.run(
        [str(checkout / "scripts" / "service_env.py"), PYTHON, "-c",
         f"import json, os; print(json.dumps({{k: os.environ.get(k) for k in {names!r}}}))"],
        capture_output=True, text=True, check=True, env={**{k: v for k, v in os.environ.items()
                                                             if not k.startswith("DIMING_") and k != "DATABASE_URL"}, **env})
    return json.loads(shown.stdout)


def test_the_service_s_variables_reach_a_command_as_written_and_the_shell_s_own_win(tmp_path):
    tricky = 'postgis://u:p"w\\x@db/diming'
    checkout = _checkout_with_service_env(tmp_path, DIMING_BACKUP_COPY_DIR="/mnt/nas/温州", DATABASE_URL=tricky,
                                          DIMING_BACKUP_KEEP="30")
    names = ["DIMING_BACKUP_COPY_DIR", "DATABASE_URL", "DIMING_BACKUP_KEEP"]
    assert _seen(checkout, names) == {"DIMING_BACKUP_COPY_DIR": "/mnt/nas/温州", "DATABASE_URL": tricky,
                                      "DIMING_BACKUP_KEEP": "30"}
    assert _seen(checkout, names, DIMING_BACKUP_KEEP="3")["DIMING_BACKUP_KEEP"] == "3"


def test_without_a_service_a_command_runs_with_the_shell_s_variables_only(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    shutil.copy2(ROOT / "scripts" / "service_env.py", checkout / "scripts" / "service_env.py")
    assert _seen(checkout, ["DIMING_BACKUP_COPY_DIR"]) == {"DIMING_BACKUP_COPY_DIR": None}


@pytest.mark.django_db(transaction=True)
def test_a_backup_by_hand_lands_in_the_service_s_folder_and_its_copy_in_the_service_s_second_one(tmp_path, cluster):
    cluster.copy_from_the_test_database()
    daily, nas = tmp_path / "daily", tmp_path / "nas"
    checkout = _checkout_with_service_env(tmp_path, DATABASE_URL=cluster.url, DIMING_BACKUP_DIR=str(daily),
                                          DIMING_BACKUP_COPY_DIR=str(nas), DIMING_BACKUP_MIN_FREE_MB="0")
    env = {k: v for k, v in product_env(cluster.url, tmp_path).items() if k != "DATABASE_URL"}
    done = subprocess.run([str(checkout / "scripts" / "service_env.py"), PYTHON, "manage.py", "backup"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    backup = made(done.stdout + done.stderr)
    assert backup.parent == daily and (nas / backup.name / "manifest.json").is_file()
