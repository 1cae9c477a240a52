"""A JSON body is read as RFC 8259 writes JSON, the same for every view: NaN, Infinity and a number past a double's
range (Python's reader takes them; PostgreSQL's jsonb refuses them, so a tablet's submission holding one was a 500)
and a body that is not JSON at all are a 400 that says what and where in words, never the reader's English. An empty
body is left to the view."""

import pytest
from django.utils import translation

from field.models import Submission

pytestmark = pytest.mark.django_db
SUBMISSIONS = "/field/api/v1/submissions"
PLATES = "/doorplates/api/plates/"


def post_json(client, body: str | bytes, path: str):
    with translation.override("zh-hans"):
        return client.post(path, data=body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-hans")


@pytest.mark.parametrize("constant", ["NaN", "Infinity", "-Infinity", "1e400", "-2E+999"])
@pytest.mark.parametrize("path", [SUBMISSIONS, PLATES])
def test_a_number_json_cannot_hold_is_refused_before_the_view(client, officer, constant, path):
    client.force_login(officer)
    body = ('{"client_id": "0b7e4c52-8d1e-4b7f-9a64-51d3c2a4a001", "type": "plate_damage", "base_versions": '
            + constant + "}")

    response = post_json(client, body, path)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json" and constant in error["message"] and "JSON" in error["message"]
    assert not Submission.objects.exists()


@pytest.mark.parametrize(("body", "said"), [
    ('{"road": "x",', "第 1 行第 14 列"),
    ('{"road": "x",\n "number": 1,\n oops}', "第 3 行第 2 列"),
    ("\ufeff{}", "第 1 行第 1 列"),
    ("[1, 2", "第 1 行第 6 列"),
])
def test_a_body_that_is_not_json_is_told_with_its_line_and_column(client, officer, body, said):
    client.force_login(officer)

    response = post_json(client, body, PLATES)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_json" and said in error["message"]
    assert "Expecting" not in error["message"] and "char " not in error["message"]


def test_bytes_that_are_not_utf8_and_a_number_of_5000_digits_are_refused_in_words(client, officer):
    client.force_login(officer)

    not_utf8 = post_json(client, b'{"road": "\xff\xfe"}', PLATES)
    long_number = post_json(client, '{"number": ' + "9" * 5000 + "}", PLATES)

    assert [not_utf8.status_code, long_number.status_code] == [400, 400]
    assert not_utf8.json()["error"]["message"] == "JSON 正文不是 UTF-8 文本。"
    assert long_number.json()["error"]["message"] == "JSON 正文中的数字过长，无法读取。"


def test_an_empty_body_is_left_to_the_view(client, officer):
    client.force_login(officer)

    response = client.post(SUBMISSIONS, data=b"", content_type="application/json")

    assert response.status_code == 400 and "invalid_json" not in response.content.decode()


@pytest.mark.parametrize("body", ['"text"', "12", "[1, 2]", "null", "true"])
@pytest.mark.parametrize(("method", "path"), [("post", SUBMISSIONS), ("post", PLATES),
                                              ("post", "/boundaries/api/campaigns/")])
def test_a_body_that_is_not_an_object_is_refused_before_the_view(client, officer, body, method, path):
    """Every view reads named members: a list or a bare value was a 500 in several ("'list' object has no attribute
    'get'")."""
    client.force_login(officer)

    response = getattr(client, method)(path, data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "json_object_required"
