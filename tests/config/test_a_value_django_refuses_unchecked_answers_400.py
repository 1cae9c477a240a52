"""The net under every view: a value no reader checked that Django itself refuses (a malformed identifier in a
lookup, a model's own validation) answers 400 with Django's words, a Chinese page for people and JSON for the API,
never a 500. Views still check their values (core.params); the net is logged so that a missed one is found."""

import logging

import pytest
from django.test import override_settings
from django.urls import include, path
from rest_framework.decorators import api_view
from rest_framework.response import Response

from boundaries.line_models import BoundaryLine
from tests.base import lucheng_officer

pytestmark = pytest.mark.django_db


def _unchecked_lookup(request):
    BoundaryLine.objects.filter(uuid=request.GET.get("line", "")).exists()  # a UUID column, a value unchecked
    raise AssertionError("Django took a malformed UUID")


@api_view(["GET"])
def _unchecked_api(request):
    _unchecked_lookup(request)
    return Response({})


urlpatterns = [path("page/", _unchecked_lookup), path("api/unchecked/", _unchecked_api), path("", include("config.urls"))]


@override_settings(ROOT_URLCONF=__name__)
def test_a_page_answers_400_in_chinese_and_the_miss_is_logged(client, caplog):
    with caplog.at_level(logging.WARNING, logger="core.errors"):
        response = client.get("/page/", {"line": "1.5"}, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 400
    page = response.content.decode()
    assert "不是一个有效的UUID" in page and "Traceback" not in page and "ValidationError" not in page
    assert "unchecked" in caplog.text


@override_settings(ROOT_URLCONF=__name__)
def test_the_api_answers_400_with_a_code(client, wenzhou_counties):
    client.force_login(lucheng_officer())
    response = client.get("/api/unchecked/", {"line": "1.5"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_value"
