import pytest
from rest_framework.test import APIRequestFactory

from accounts.authentication import ApiTokenAuthentication
from accounts.models import ApiToken
from tests.base import platform_consumer

pytestmark = pytest.mark.django_db


def _auth(raw):
    request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {raw}")
    return ApiTokenAuthentication().authenticate(request)


def test_a_token_authenticates_its_user_and_only_its_digest_is_stored(wenzhou_counties):
    user = platform_consumer()
    token, raw = ApiToken.issue(user, "高德地图")
    assert raw not in token.digest and token.prefix == raw[:8]
    assert _auth(raw)[0] == user


def test_a_revoked_token_is_refused(wenzhou_counties):
    from rest_framework.exceptions import AuthenticationFailed

    token, raw = ApiToken.issue(platform_consumer(), "百度地图")
    token.revoke()
    with pytest.raises(AuthenticationFailed):
        _auth(raw)
