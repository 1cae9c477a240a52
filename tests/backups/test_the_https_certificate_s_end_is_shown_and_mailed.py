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


def _openssl_end(path: str) -> dt.datetime:
    said = subprocess.run(["openssl", "x509", "-enddate", "-noout", "-in", path], check=True, capture_output=True,
                          text=True).stdout.strip().removeprefix("notAfter=")
    return dt.datetime.strptime(said, "%b %d %H:%M:%S %Y GMT").replace(tzinfo=dt.UTC)


def test_the_end_is_read_as_openssl_reads_it_from_the_certificate_alone(settings, tmp_path):
    """Read with the standard library only (no private call): an RSA and an EC key, an end before 2050 (UTCTime) and
    after (GeneralizedTime), a chain whose first certificate is the server's; a file that is no certificate, nothing."""
    short, long_ = _certificate(tmp_path, 20), _certificate(tmp_path, 12000)
    ec = str(tmp_path / "ec.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-keyout", str(tmp_path / "ec-key.pem"), "-out", ec, "-days", "90", "-subj", "/CN=dm.example"],
                   check=True, capture_output=True)
    chain = tmp_path / "chain.pem"
    chain.write_text(open(ec).read() + open(long_).read())
    for path, end in ((short, _openssl_end(short)), (long_, _openssl_end(long_)), (ec, _openssl_end(ec)),
                      (str(chain), _openssl_end(ec))):
        settings.TLS_CERT = path
        assert certificates.certificate().until == end
    assert _openssl_end(long_).year > 2050

    for junk in (b"not a certificate", b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", b"\xff\xfe"):
        (tmp_path / "junk.pem").write_bytes(junk)
        settings.TLS_CERT = str(tmp_path / "junk.pem")
        assert certificates.certificate() is None
    settings.TLS_CERT = str(tmp_path / "absent.pem")
    assert certificates.certificate() is None
