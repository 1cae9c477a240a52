"""`make run` serves as the product runs on one machine: granian with DEBUG off under the `local` profile, a secret
key made once under var/ and readable by its owner only, Chinese error pages that show no internals (a citizen
scanning a revoked QR code included), static files served by the app, the worker restarted if it dies, the day's
backup made by the worker, and what they all print kept in a log file that is turned over."""

import os
import signal
import stat
import subprocess

import pytest

from backups import archive
from tests.doorplates.builders import make_plate, make_road
from tests.processes import (
    PYTHON,
    ROOT,
    Supervised,
    collect_static,
    free_port,
    product_env,
    url_of_the_test_database,
    wait_for,
)

pytestmark = pytest.mark.django_db(transaction=True)

INTERNALS = ("Traceback", "DEBUG", "URLconf", "settings.py", "/work/", str(ROOT), "DisallowedHost", "ALLOWED_HOSTS")


def _settings(env, *names):
    code = "import django, os; django.setup(); from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{n}))" for n in names)
    out = subprocess.run([PYTHON, "-c", code], cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "config.settings"},
                         capture_output=True, text=True, check=True).stdout
    return out.splitlines()


def test_the_local_profile_is_not_debug_and_makes_its_secret_key_once(tmp_path):
    env = product_env(url_of_the_test_database(), tmp_path)

    first = _settings(env, "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "SECURE_SSL_REDIRECT")
    second = _settings(env, "SECRET_KEY")

    key_file = tmp_path / "secret-key"
    assert first[0] == "False" and first[2] == "['127.0.0.1', 'localhost', '[::1]']"
    assert first[3:] == ["False", "False"]  # plain HTTP on loopback: no HTTPS redirect, cookies sent over HTTP
    assert first[1] == second[0] == repr(key_file.read_text().strip()) and len(first[1]) > 50
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600


def test_make_run_answers_in_chinese_without_internals_serves_static_files_and_restarts_its_worker(
        tmp_path, wenzhou_counties):
    road = make_road("解放街")
    plate = make_plate(road, 8)
    revoked_token = plate.token
    plate.token = None
    plate.save(update_fields=["token"])
    env = product_env(url_of_the_test_database(), tmp_path)
    collect_static(env)
    log_file = tmp_path / "log" / "diming.log"
    server = Supervised(env, free_port(), tmp_path / "run.log", log_file=log_file)
    try:
        server.wait_until_serving()

        status, body, _ = server.get(f"/d/{revoked_token}")  # a citizen scans a revoked QR code
        assert status == 404 and "该门牌二维码已停用或无效" in body and not any(word in body for word in INTERNALS)
        status, body, _ = server.get("/no/such/page/")
        assert status == 404 and "页面不存在" in body and not any(word in body for word in INTERNALS)
        status, body, _ = server.get("/d/x", host="evil.example")
        assert status == 400 and "请求有误" in body and not any(word in body for word in INTERNALS)
        status, body, headers = server.get("/static/css/diming.css")
        assert status == 200 and "text/css" in headers["Content-Type"]

        assert wait_for(lambda: archive.backups(tmp_path / "backups"), 120), server.output()  # the day's backup
        archive.verify(archive.backups(tmp_path / "backups")[0].path)
        assert stat.S_IMODE(os.stat(tmp_path / "backups").st_mode) == 0o700  # owners' names and phones are in it

        first = server.worker_pids()
        assert len(first) == 1
        os.kill(first[0], signal.SIGKILL)
        assert wait_for(lambda: server.worker_pids() not in ([], first), 60), server.output()
    finally:
        server.stop()
    assert server.process.returncode == 0
    kept = log_file.read_text()
    assert "[supervise] worker exited with -9; restarting" in kept and "[supervise] stopped" in kept
    assert "[INFO] Started worker-1" in kept or "Listening at" in kept or "granian" in kept.lower()  # the web's own
    assert kept == server.log.read_text()  # the terminal saw the same


def test_the_log_file_is_turned_over_and_only_the_newest_are_kept(tmp_path):
    log_file = tmp_path / "diming.log"
    talker = "for i in $(seq 1 800); do echo \"line $i of what a program prints, some forty bytes\"; done; sleep 60"
    supervisor = subprocess.Popen([PYTHON, str(ROOT / "scripts" / "supervise.py"), "--log", str(log_file),
                                   f"talker=sh -c '{talker}'"], env={**os.environ, "DIMING_LOG_FILE_MB": "0.004"},
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        assert wait_for(lambda: "line 800 of" in log_file.read_text(errors="replace") if log_file.exists() else False,
                        30)
    finally:
        supervisor.send_signal(signal.SIGTERM)
        supervisor.wait(30)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["diming.log", *(f"diming.log.{n}" for n in range(1, 6))]  # 5 older ones, no more
    assert all(p.stat().st_size < 4_100 and p.stat().st_mode & 0o777 == 0o600 for p in tmp_path.iterdir())
    assert "line 800 of" in log_file.read_text() and "line 1 of" not in "".join(
        p.read_text() for p in tmp_path.iterdir())  # the oldest went
