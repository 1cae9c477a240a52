"""Every API of the product answers an error in one shape, ``{"error": {"code", "message", "where"?}}``: the REST
API's own refusals (not signed in, a method not allowed, nothing found, a media type it does not read, a serializer's
refusal) as much as the product's errors and the crews' sync API. The message is words for people (the field's label,
never its name; no model name in English), the code and ``where`` are for programs, and the headers the framework sets
(Allow) are kept. A client writes one error reader."""

import json

import pytest
from django.urls import reverse
from django.utils import translation

from tests.exports.builders import canteen

pytestmark = pytest.mark.django_db
CANTEENS = "/canteens/api/canteens/"
PLACES = "/placenames/api/places/"


def call(client, method, path, body=None, content_type="application/json"):
    with translation.override("zh-hans"):
        return client.generic(method, path, data=body or "", content_type=content_type,
                              HTTP_ACCEPT_LANGUAGE="zh-hans")


def error_of(response) -> dict:
    body = response.json()
    assert set(body) == {"error"}, body
    error = body["error"]
    assert isinstance(error["code"], str) and error["code"], body
    assert isinstance(error["message"], str) and error["message"], body
    return error


def test_a_request_without_credentials_or_with_a_bad_token_is_a_401_that_names_the_token_scheme(client, officer):
    for path in (PLACES, CANTEENS):
        response = call(client, "GET", path)
        assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
        assert error_of(response) == {"code": "not_authenticated", "message": "您尚未登录或登录已过期：请重新登录。"}
    response = client.get(PLACES, HTTP_AUTHORIZATION="Bearer dm_revoked", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 401 and response["WWW-Authenticate"] == "Bearer"
    assert error_of(response)["code"] == "authentication_failed"
    response = call(client, "GET", "/field/api/v1/session")
    assert response.status_code == 401
    assert error_of(response)["code"] == "not_signed_in"


def test_a_method_not_allowed_keeps_its_allow_header(client, officer):
    client.force_login(officer)

    response = call(client, "DELETE", PLACES)

    assert response.status_code == 405 and "GET" in response["Allow"]
    error = error_of(response)
    assert error["code"] == "method_not_allowed" and "DELETE" in error["message"]


def test_nothing_found_is_said_in_words_without_the_model_s_name(client, officer):
    client.force_login(officer)

    response = call(client, "GET", f"{CANTEENS}00000000-0000-0000-0000-000000000000/")

    assert response.status_code == 404
    error = error_of(response)
    assert error["code"] == "not_found" and "辖区" in error["message"]
    assert "Canteen" not in error["message"] and "matches" not in error["message"]


def test_a_media_type_the_api_does_not_read_is_a_415_in_the_one_shape(client, officer):
    client.force_login(officer)

    response = call(client, "POST", CANTEENS, "name=x", content_type="text/plain")

    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_media_type"


def test_a_serializer_s_refusal_names_each_field_by_its_label_and_tells_programs_where(client, officer):
    client.force_login(officer)

    response = call(client, "POST", CANTEENS, json.dumps({"kind": "zzz"}))

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid_value"
    assert "名称：" in error["message"] and "位置：" in error["message"] and "“zzz”" in error["message"]
    assert "geom" not in error["message"] and "Geom" not in error["message"]
    assert set(error["where"]["fields"]) == {"name", "kind", "geom"}
    assert all(isinstance(m, str) for messages in error["where"]["fields"].values() for m in messages)


def test_the_product_s_own_errors_keep_their_where(client, officer):
    client.force_login(officer)
    canteen("五马食堂", seats=40)

    response = call(client, "POST", "/doorplates/api/plates/", "{}")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "base_required" and error["where"]["fields"] == ["road", "village", "residential_area"]


def test_the_crews_api_answers_its_errors_in_the_same_shape(client, officer):
    client.force_login(officer)

    response = call(client, "GET", "/field/api/v1/packages/nowhere")
    assert response.status_code == 404
    assert error_of(response)["code"] == "unknown_package"

    response = call(client, "POST", "/field/api/v1/submissions", "[1, 2")
    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid_json"

    response = call(client, "DELETE", "/field/api/v1/submissions")
    assert response.status_code == 405 and "POST" in response["Allow"]
    assert error_of(response)["code"] == "method_not_allowed"


def test_an_api_address_no_view_answers_is_a_404_in_the_one_shape_and_a_page_for_a_browser(client, officer):
    client.force_login(officer)

    response = call(client, "GET", "/placenames/api/no/such/thing/")

    assert response.status_code == 404 and response["Content-Type"].startswith("application/json")
    assert error_of(response) == {"code": "not_found", "message": "此地址下没有内容。"}
    page = client.get("/no/such/page/", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html") and "页面" in page.content.decode()


def test_the_rest_api_s_description_names_the_token_and_the_one_shape_for_every_refusal(client, officer):
    client.force_login(officer)

    schema = client.get("/api/schema/?format=json").json()

    assert schema["components"]["securitySchemes"]["apiToken"] == {**schema["components"]["securitySchemes"]["apiToken"],
                                                                   "type": "http", "scheme": "bearer"}
    events = schema["paths"]["/api/v1/feed/events"]["get"]
    assert {p["name"] for p in events["parameters"] if p.get("required")} == {"from", "layer"}
    assert "application/x-ndjson" in events["responses"]["200"]["content"]
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["required"] == ["code", "message"]
    operations = [op for path in schema["paths"].values() for op in path.values()]
    assert len(operations) >= 40
    for operation in operations:
        assert operation["responses"]["4XX"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"}


def test_a_browser_opening_an_api_address_gets_json_not_a_page_of_forms_over_every_region(client, officer):
    client.force_login(officer)
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    for path in (PLACES, CANTEENS, "/doorplates/api/plates/"):
        response = client.get(path, HTTP_ACCEPT=html)
        assert response.status_code == 200 and response["Content-Type"].startswith("application/json"), path
        assert b"<form" not in response.content and b"<select" not in response.content


def test_a_script_asking_a_signed_in_page_view_after_the_session_ended_is_told_401_a_browser_the_sign_in(client):
    """A page's script (the application form's place picker) asking a view behind login_required read the sign-in
    form as its answer; it is now told 401 in the one shape, while a browser is still sent to sign in."""
    url = reverse("placenames:place_suggest") + "?q=jfl"

    answer = client.get(url, HTTP_ACCEPT="application/json")
    assert answer.status_code == 401 and answer["WWW-Authenticate"]
    assert answer.json() == {"error": {"code": "not_authenticated", "message": "您尚未登录或登录已过期：请重新登录。"}}

    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 302 and page["Location"].startswith(reverse("login"))


def test_a_session_write_without_its_security_token_is_refused_in_words(officer):
    """Before, the framework's own words: "CSRF Failed: Origin checking failed - http://evil.example does not match
    any trusted origins."."""
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(officer)
    for extra in ({}, {"HTTP_ORIGIN": "http://evil.example"}):
        response = browser.post(CANTEENS, {"name": "x"}, content_type="application/json",
                                HTTP_ACCEPT_LANGUAGE="zh-hans", **extra)
        assert response.status_code == 403
        assert error_of(response) == {"code": "csrf_failed", "message": "请求的安全令牌缺失或已过期：请刷新后重新发送。"}
