"""`make run` serves as the product runs on one machine: granian with DEBUG off under the `local` profile, a secret
key made once under var/ and readable by its owner only, Chinese error pages that show no internals (a citizen
scanning a revoked QR code included), static files served by the app, the worker restarted if it dies, and the day's
backup made by the worker."""

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
    server = Supervised(env, free_port(), tmp_path / "run.log")
    try:
        server.wait_until_serving()

        status, body, _ = server.get(f"/d/{revoked_token}")  # a citizen scans a revoked QR code
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
