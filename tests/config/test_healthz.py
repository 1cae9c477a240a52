import pytest


@pytest.mark.django_db
def test_healthz_reports_the_database_and_postgis_versions(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    data = response.json()
    assert data["status"] == "ok"
    assert data["database"]["postgresql"].split(".")[0].isdigit()
    assert data["database"]["postgis"].startswith("3.")
    assert response["Cache-Control"].startswith("max-age=0")


def test_healthz_answers_503_when_the_database_is_down(client, database_down):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"]["ok"] is False


def test_pages_show_a_clear_error_page_not_a_traceback_when_the_database_is_down(client, database_down):
    client.cookies["sessionid"] = "a-logged-in-officer"  # loading the session needs the database
    for url in ("/", "/admin/", "/boundaries/areas.geojson"):
        response = client.get(url)
        assert response.status_code == 503, url
        body = response.content.decode()
        assert "数据库" in body and "Traceback" not in body, url
