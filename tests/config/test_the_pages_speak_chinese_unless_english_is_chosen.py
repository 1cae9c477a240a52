"""The product speaks Simplified Chinese; English only when the user chooses it (/i18n/setlang/). A browser or a
phone whose system language is English got English words around Chinese data (the layers' and areas' names)."""

import pytest

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_chinese_and_english_once_chosen(client):
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page.status_code == 200 and 'lang="zh-hans"' in page.content.decode()
    assert "登录" in page.content.decode()

    chosen = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert chosen.status_code == 302
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="zh-CN")
    assert 'lang="en"' in page.content.decode()

    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert 'lang="zh-hans"' in client.get("/accounts/login/").content.decode()


def test_a_language_cookie_the_product_does_not_speak_falls_back_to_chinese(client):
    client.cookies["django_language"] = "fr"
    assert 'lang="zh-hans"' in client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
