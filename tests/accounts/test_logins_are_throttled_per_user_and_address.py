"""Wrong passwords are counted per username and per client address (behind trusted proxies, the citizen's own):
past the limit, logins (the site's and the admin's) are refused with a Chinese page, even with the right password,
until the lockout ends. API tokens are not passwords: a locked-out user's token still works."""

import pytest

from accounts.models import ApiToken
from tests.base import administrator, make_user, platform_consumer

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456!"
LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 5
    settings.DIMING_TRUSTED_PROXIES = ["10.0.0.0/8"]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast: many logins here


def attempt(client, username, password, path=LOGIN, address="203.0.113.7", forwarded=None):
    client.logout()
    extra = {"REMOTE_ADDR": address}
    if forwarded:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(path, {"username": username, "password": password}, **extra)


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


def test_the_right_password_after_too_many_wrong_ones_is_refused_with_a_chinese_page(client, db):
    make_user("clerk")
    for _ in range(4):
        assert attempt(client, "clerk", "wrong").status_code == 200
    assert attempt(client, "clerk", "wrong").status_code == 429

    response = attempt(client, "clerk", PASSWORD)

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_few_wrong_passwords_then_the_right_one_logs_in_and_resets_the_count(client, db):
    make_user("clerk")
    for _ in range(4):
        attempt(client, "clerk", "wrong")

    assert logged_in(attempt(client, "clerk", PASSWORD))
    for _ in range(4):
        attempt(client, "clerk", "wrong")
    assert logged_in(attempt(client, "clerk", PASSWORD))


def test_one_address_guessing_many_usernames_is_locked_out_but_another_address_is_not(client, db):
    make_user("clerk")
    for n in range(5):
        attempt(client, f"guess{n}", "wrong", address="198.51.100.9")

    assert attempt(client, "clerk", PASSWORD, address="198.51.100.9").status_code == 429
    assert logged_in(attempt(client, "clerk", PASSWORD, address="198.51.100.10"))


def test_behind_a_trusted_proxy_each_citizen_is_counted_by_their_own_address(client, db):
    make_user("clerk")
    for n in range(5):
        attempt(client, f"guess{n}", "wrong", address="10.0.0.2", forwarded="198.51.100.9")

    assert attempt(client, "clerk", PASSWORD, address="10.0.0.2", forwarded="198.51.100.9").status_code == 429
    assert logged_in(attempt(client, "clerk", PASSWORD, address="10.0.0.2", forwarded="198.51.100.33"))


def test_a_client_cannot_dodge_the_count_with_its_own_forwarded_header(client, db):
    make_user("clerk")
    for n in range(5):
        attempt(client, f"guess{n}", "wrong", address="198.51.100.9", forwarded=f"192.0.2.{n}")

    assert attempt(client, "clerk", PASSWORD, address="198.51.100.9", forwarded="192.0.2.99").status_code == 429


def test_the_admin_login_is_throttled_too(client, db):
    administrator()
    for _ in range(5):
        attempt(client, "admin", "wrong", path="/admin/login/")

    response = attempt(client, "admin", PASSWORD, path="/admin/login/")

    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_a_locked_out_users_api_token_still_works(client, wenzhou_counties):
    user = platform_consumer()
    _token, raw = ApiToken.issue(user, "高德地图")
    for _ in range(6):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 429

    response = client.get("/api/v1/feed/latest", HTTP_AUTHORIZATION=f"Bearer {raw}", REMOTE_ADDR="203.0.113.7")

    assert response.status_code != 429
    assert response.status_code != 401


@pytest.mark.parametrize("path", [LOGIN, "/admin/login/"])
def test_a_user_name_longer_than_any_is_a_wrong_login_not_a_server_error(client, path):
    """Before, a name of 300 characters reached the throttle's record of failures (255 characters): a 500 (found by
    a crawl of the pages)."""
    response = attempt(client, "x" * 300, "wrong", path=path)
    assert response.status_code == 200 and not logged_in(response)
    page = response.content.decode()
    assert 'class="errorlist' in page and "用户名最多 150 个字符" in page  # the form says how long a name may be
