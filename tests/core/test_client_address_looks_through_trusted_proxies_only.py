"""Per-address limits count the client, not the reverse proxy in front: X-Forwarded-For is believed only as far as
the trusted proxies (DIMING_TRUSTED_PROXIES) wrote it."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from core.clientip import client_address


def request(remote: str, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.DIMING_TRUSTED_PROXIES = []

    assert client_address(request("203.0.113.7", "198.51.100.1")) == "203.0.113.7"


@pytest.mark.parametrize(("remote", "forwarded", "client"), [
    ("10.0.0.1", "198.51.100.1", "198.51.100.1"),  # one proxy
    ("10.0.0.1", "6.6.6.6, 198.51.100.1", "198.51.100.1"),  # the client wrote 6.6.6.6 itself: not believed
    ("10.0.0.1", "198.51.100.1, 10.0.0.2", "198.51.100.1"),  # two trusted proxies in a row
    ("10.0.0.1", "2001:db8::5", "2001:db8::5"),
    ("10.0.0.1", "not-an-address", "10.0.0.1"),  # garbage where the proxy writes: what we know
    ("10.0.0.1", None, "10.0.0.1"),
    ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # not through a trusted proxy: the header is the client's own
])
def test_behind_trusted_proxies_the_first_untrusted_hop_from_the_right_is_the_client(settings, remote, forwarded,
                                                                                      client):
    settings.DIMING_TRUSTED_PROXIES = ["10.0.0.0/8"]

    assert client_address(request(remote, forwarded)) == client


def test_a_wrong_trusted_proxy_setting_says_which_entry(settings):
    settings.DIMING_TRUSTED_PROXIES = ["10.0.0.0/8", "nginx.local"]

    with pytest.raises(ImproperlyConfigured, match="nginx.local"):
        client_address(request("10.0.0.1", "198.51.100.1"))
