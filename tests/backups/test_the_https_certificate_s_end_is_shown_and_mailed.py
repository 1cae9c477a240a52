"""The server's HTTPS certificate (`make run` with DIMING_TLS_CERT) is on the admin's index with its end date, in red
from a month before; the administrators are mailed a month before, a week before and when it has expired, once at each.
An expired certificate has browsers warn and the crews' tablets fail to send, as if they had no signal."""

import datetime as dt
import subprocess

import pytest
from django.core import mail

from backups import certificate as certificates
from backups.jobs import watch_certificate
from jobs.worker import run_due_chores
from tests.base import administrator

pytestmark = pytest.mark.django_db

SUBJECT = "[Diming] 服务器 HTTPS 证书即将到期"


def _certificate(folder, days: int) -> str:
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(folder / "key.pem"),
                    "-out", str(folder / f"cert-{days}.pem"), "-days", str(days), "-subj", "/CN=10.1.2.3"],
                   check=True, capture_output=True)
    return str(folder / f"cert-{days}.pem")


def _later(monkeypatch, days: int):
    now = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
    monkeypatch.setattr(certificates.timezone, "now", lambda: now)


@pytest.fixture
def client(client):
    client.admin = administrator()
    return client


def _index(client) -> str:
    client.force_login(client.admin)  # the clock moved on: a session of before may have lapsed
    return client.get("/admin/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()


def _mails():
    return [sent for sent in mail.outbox if sent.subject == SUBJECT]


def test_a_certificate_ending_is_shown_and_mailed_a_month_and_a_week_before_and_when_expired(
        settings, tmp_path, client, monkeypatch):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    settings.TLS_CERT = _certificate(tmp_path, 20)
    page = _index(client)
    assert "服务器的 HTTPS 证书将于" in page and "到期（还剩 19 天）" in page and "外业平板将无法上传" in page

    run_due_chores()  # a month or less left
    (sent,) = _mails()
    assert "还剩 19 天" in sent.body and sent.to == ["it@bureau.example"]
    watch_certificate()  # told already
    assert len(_mails()) == 1

    _later(monkeypatch, 15)  # less than a week left
    assert watch_certificate() == "week" and "还剩 4 天" in _mails()[-1].body
    watch_certificate()
    assert len(_mails()) == 2

    _later(monkeypatch, 21)
    assert watch_certificate() == "expired" and "已于" in _mails()[-1].body and "过期" in _mails()[-1].body
    assert "服务器的 HTTPS 证书已于" in _index(client)
    watch_certificate()
    assert len(_mails()) == 3


def test_a_certificate_with_months_left_is_shown_quietly_and_not_mailed(settings, tmp_path, client):
    settings.ADMINS = [("it@bureau.example", "it@bureau.example")]
    settings.TLS_CERT = _certificate(tmp_path, 365)
    assert "服务器的 HTTPS 证书有效期至" in _index(client)
    assert watch_certificate() is None and _mails() == []


def test_without_https_nothing_is_said(settings, client):
    settings.TLS_CERT = ""
    assert "HTTPS 证书" not in _index(client) and watch_certificate() is None
