"""What PostgreSQL text cannot hold (a NUL, an unpaired surrogate) is refused with a clear 400 wherever it comes in
over HTTP (path, query, headers, form fields, JSON keys and values at any depth); an oversized or absurdly nested
JSON body is a 4xx before anything parses it twice. None of them reaches the database as a 500."""

import json

import pytest

pytestmark = pytest.mark.django_db
PLATES = "/doorplates/api/plates/"


def post_json(client, body: str, path: str = PLATES, **headers):
    return client.post(path, data=body, content_type="application/json", **headers)


def test_a_nul_deep_in_a_json_body_is_refused_with_its_place(client, officer):
    client.force_login(officer)
    body = json.dumps({"road": "x", "number": "1", "meta": {"notes": ["ok", "a\u0000b"]}})

    response = post_json(client, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unstorable_text"
    assert "meta.notes[1]" in error["message"]


def test_a_nul_in_a_json_key_is_refused(client, officer):
    client.force_login(officer)

    response = post_json(client, json.dumps({"number": "1", "bad\u0000key": 1}))

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unstorable_text"


def test_an_unpaired_surrogate_escape_in_json_is_refused(client, officer):
    client.force_login(officer)

    response = post_json(client, '{"number": "\\ud800", "road": "x"}')

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "unstorable_text"


def test_a_nul_in_a_form_field_is_refused_on_a_chinese_page(client, officer):
    client.force_login(officer)

    response = client.post("/doorplates/import/", {"note": "a\x00b"})

    assert response.status_code == 400
    assert "text/html" in response["Content-Type"]
    assert "表单中的某一项含有无法保存的字符" in response.content.decode()
    assert "note" not in response.content.decode()  # a page's field is never named by its internal name
    in_query = client.get("/canteens/list/", {"per_page": "a\x00b"})
    assert in_query.status_code == 400 and "per_page" not in in_query.content.decode()
    assert "网址含有无法保存的字符" in in_query.content.decode()


def test_a_nul_in_a_header_or_the_path_is_refused(client):
    assert client.get("/ogc/collections", HTTP_IDEMPOTENCY_KEY="a\x00b").status_code == 400
    assert client.get("/d/abc%00def").status_code == 400


def test_a_json_body_nested_past_the_limit_is_a_400(client, officer):
    client.force_login(officer)

    response = post_json(client, "[" * 100_000 + "]" * 100_000)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "json_too_deep"


def test_a_json_body_past_the_size_limit_is_a_413(client, officer, settings):
    settings.DIMING_MAX_JSON_MB = 0.01
    client.force_login(officer)

    response = post_json(client, json.dumps({"number": "1", "road": "x" * 20_000}))

    assert response.status_code == 413
    assert response.json()["error"]["code"] == "body_too_large"


def test_ordinary_chinese_text_and_emoji_pass(client, officer):
    client.force_login(officer)

    response = post_json(client, json.dumps({"road": "not-a-road", "number": "88号🏠"}))

    assert response.status_code != 500
    assert response.json()["error"]["code"] != "unstorable_text"
