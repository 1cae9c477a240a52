import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from core.env import database_from_url, env_bool, env_int, env_str, url_of

ROOT = Path(__file__).resolve().parents[2]


def test_env_bool_names_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("DIMING_X", "maybe")
    with pytest.raises(ImproperlyConfigured, match="DIMING_X"):
        env_bool("DIMING_X")


def test_env_int_names_the_variable_on_a_bad_value(monkeypatch):
    monkeypatch.setenv("DIMING_N", "ten")
    with pytest.raises(ImproperlyConfigured, match="DIMING_N"):
        env_int("DIMING_N", 1)


def test_secrets_can_come_from_a_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("DIMING_SECRET_FILE", str(secret))
    assert env_str("DIMING_SECRET") == "s3cret"


def test_database_url_is_parsed_into_a_postgis_entry():
    db = database_from_url("postgis://u:p%40ss@db.example:6543/diming?sslmode=require")
    assert db["ENGINE"] == "django.contrib.gis.db.backends.postgis"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == ("u", "p@ss", "db.example", "6543", "diming")
    assert db["OPTIONS"] == {"sslmode": "require"}
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL"):
        database_from_url("mysql://x@y/z")


def test_a_socket_directory_as_host_keeps_its_case_and_comes_back_as_written():
    url = "postgis://diming@%2Ftmp%2Ftmp.AbC9xZ%2Fvar%2Fpostgres%2Frun:55432/diming"
    db = database_from_url(url)
    assert (db["HOST"], db["PORT"], db["NAME"]) == ("/tmp/tmp.AbC9xZ/var/postgres/run", "55432", "diming")
    assert url_of(db) == url
    assert database_from_url("postgis://u@%2Frun%2Fpg/x")["HOST"] == "/run/pg"  # no port: libpq's 5432
    assert url_of(database_from_url("postgres://u:p%40ss@Db.Example:6543/d"), "postgresql") == (
        "postgresql://u:p%40ss@db.example:6543/d")


def test_the_production_profile_passes_check_deploy_with_no_warning():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(DIMING_PROFILE="production", DJANGO_SECRET_KEY="k" * 20 + "-Zq8#vW2!pL5@xR9$mT3^nB7&cF1*hJ4",
               DJANGO_ALLOWED_HOSTS="dm.example.org", DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_SECRET_KEY")}
    env.update(DIMING_PROFILE="production", DJANGO_ALLOWED_HOSTS="dm.example.org")
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0 and "DJANGO_SECRET_KEY" in result.stderr


def test_the_ui_defaults_to_simplified_chinese_in_shanghai_time():
    from django.conf import settings

    assert settings.LANGUAGE_CODE == "zh-hans" and settings.TIME_ZONE == "Asia/Shanghai" and settings.USE_I18N
