"""`make run` serves the office's other computers and the crews' tablets: HTTPS with the bureau's own certificate
(DIMING_TLS_CERT, DIMING_TLS_KEY), the address they open (DIMING_PUBLIC_BASE_URL) accepted as a host, cookies marked
secure, and a signed-in form posted over it. A certificate that cannot serve is refused before the server starts, in
words with what to do; and listening on every address with no address for the others is warned of. (`make service`
keeps the variables that say all this: test_make_service_keeps_the_product_running_across_reboots.py.)"""

import re
import subprocess
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar

import pytest

from tests.base import lucheng_officer
from tests.config.test_make_run_serves_the_product_on_one_machine import _settings
from tests.processes import PYTHON, ROOT, Supervised, free_port, product_env, url_of_the_test_database

SERVING = ROOT / "scripts" / "serving.py"
OFFICE = "10.1.2.3"


def _openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """The bureau's certificate and key (PKCS#8, as openssl makes them today), the same key in the older PKCS#1 form,
    and another key that is not the certificate's."""
    folder = tmp_path_factory.mktemp("tls")
    _openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "365",
             "-subj", f"/CN={OFFICE}", "-addext", f"subjectAltName=IP:{OFFICE},IP:127.0.0.1", cwd=folder)
    _openssl("rsa", "-in", "key.pem", "-traditional", "-out", "key-pkcs1.pem", cwd=folder)
    _openssl("genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "other.pem", cwd=folder)
    return folder


def _serving(host, env=None, **tls):
    return subprocess.run([PYTHON, str(SERVING), host, "8443"], env={"PATH": "/usr/bin:/bin", **(env or {}), **tls},
                          capture_output=True, text=True)


def test_a_certificate_that_cannot_serve_is_refused_before_the_server_starts_with_what_to_do(certificates):
    cert, key = str(certificates / "cert.pem"), str(certificates / "key.pem")
    older = _serving("0.0.0.0", DIMING_TLS_CERT=cert, DIMING_TLS_KEY=str(certificates / "key-pkcs1.pem"))
    assert older.returncode == 1 and "PKCS#1" in older.stderr and "openssl pkcs8 -topk8 -nocrypt -in" in older.stderr
    other = _serving("0.0.0.0", DIMING_TLS_CERT=cert, DIMING_TLS_KEY=str(certificates / "other.pem"))
    assert other.returncode == 1 and "do not make a pair" in other.stderr
    alone = _serving("0.0.0.0", DIMING_TLS_CERT=cert)
    assert alone.returncode == 1 and "DIMING_TLS_KEY" in alone.stderr
    missing = _serving("0.0.0.0", DIMING_TLS_CERT=cert, DIMING_TLS_KEY=str(certificates / "nowhere.pem"))
    assert missing.returncode == 1 and "nowhere.pem: no such file" in missing.stderr

    good = _serving("0.0.0.0", {"DIMING_PUBLIC_BASE_URL": f"https://{OFFICE}:8443"}, DIMING_TLS_CERT=cert,
                    DIMING_TLS_KEY=key)
    assert good.returncode == 0 and good.stdout.startswith(f"Serving https://{OFFICE}:8443/ on 0.0.0.0:8443")
    assert good.stderr == ""  # a year left
    _openssl("req", "-x509", "-key", "key.pem", "-out", "ending.pem", "-days", "10", "-subj", f"/CN={OFFICE}",
             cwd=certificates)
    ending = _serving("127.0.0.1", DIMING_TLS_CERT=str(certificates / "ending.pem"), DIMING_TLS_KEY=key)
    assert ending.returncode == 0 and "ends in 9 day(s): ask for a new one now" in ending.stderr


def test_listening_beyond_this_machine_warns_of_what_would_refuse_the_others():
    everywhere = _serving("0.0.0.0")
    assert everywhere.returncode == 0
    assert "Other computers will be refused until DIMING_PUBLIC_BASE_URL" in everywhere.stderr
    assert "Plain HTTP" in everywhere.stderr
    here = _serving("127.0.0.1")
    assert here.stdout.startswith("Serving http://127.0.0.1:8443/ (this machine only)") and here.stderr == ""


def test_the_office_address_is_a_known_host_and_cookies_are_secure_over_https(tmp_path, certificates):
    env = product_env(url_of_the_test_database(), tmp_path, DIMING_PUBLIC_BASE_URL=f"https://{OFFICE}:8443",
                      DIMING_TLS_CERT=str(certificates / "cert.pem"), DIMING_TLS_KEY=str(certificates / "key.pem"))
    hosts, session_secure, csrf_secure, redirect = _settings(
        env, "ALLOWED_HOSTS", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT")
    assert hosts == f"['127.0.0.1', 'localhost', '[::1]', '{OFFICE}']"
    assert (session_secure, csrf_secure, redirect) == ("True", "True", "False")


def test_an_address_the_qr_codes_could_not_print_is_refused_at_start(tmp_path):
    for wrong in ("192.168.1.20:8000", "ftp://dm.example", "https://", "http://10.1.2.3:80x0", "https://dm.example/?a=1"):
        env = product_env(url_of_the_test_database(), tmp_path, DIMING_PUBLIC_BASE_URL=wrong)
        started = subprocess.run([PYTHON, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
        assert started.returncode == 1 and f"DIMING_PUBLIC_BASE_URL={wrong.rstrip('/')!r} is not an address" in started.stderr


@pytest.mark.django_db(transaction=True)
def test_an_officer_on_another_computer_signs_in_over_https(tmp_path, certificates, wenzhou_counties):
    lucheng_officer()
    port = free_port()
    origin = f"https://{OFFICE}:{port}"
    cert, key = str(certificates / "cert.pem"), str(certificates / "key.pem")
    env = product_env(url_of_the_test_database(), tmp_path, DIMING_PUBLIC_BASE_URL=origin, DIMING_TLS_CERT=cert,
                      DIMING_TLS_KEY=key, GRANIAN_SSL_CERTIFICATE=cert, GRANIAN_SSL_KEYFILE=key,  # as `make run` does
                      GRANIAN_SSL_PROTOCOL_MIN="tls1.2")
    server = Supervised(env, port, tmp_path / "run.log", worker=False)
    try:
        server.wait_until_serving()
        jar = CookieJar()
        browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                              urllib.request.HTTPSHandler(context=server.tls_context()))
        url = f"https://127.0.0.1:{port}/accounts/login/"
        with browser.open(urllib.request.Request(url, headers={"Host": f"{OFFICE}:{port}"}), timeout=10) as page:
            body = page.read().decode()
            assert "; secure" in page.headers["Set-Cookie"].lower()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
        form = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "username": "lucheng_officer",
                                       "password": "pw-123456!"}).encode()
        request = urllib.request.Request(url, data=form, headers={
            "Host": f"{OFFICE}:{port}", "Origin": origin, "Referer": f"{origin}/accounts/login/"})
        with browser.open(request, timeout=10) as signed_in:  # the CSRF check took the office's origin
            assert signed_in.status == 200 and "/accounts/login/" not in signed_in.url
        assert any(cookie.name == "sessionid" and cookie.secure for cookie in jar)
        assert server.get("/accounts/login/", host="evil.example")[0] == 400  # a host the bureau did not name
    finally:
        server.stop()

