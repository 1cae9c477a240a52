"""DIMING_MAX_UPLOAD_MB bounds every request body, files included: a larger upload is answered 413 in Chinese
before it is read, and no job is queued."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from jobs.models import Job
from tests.base import lucheng_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_mb_limit(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1 << 20


def _plates(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("门牌.csv", b"road,number,lon,lat\n" + b"x" * size)


def test_a_file_over_the_limit_is_refused_with_413_and_no_job(client, wenzhou_counties, one_mb_limit):
    client.force_login(lucheng_officer())
    response = client.post("/doorplates/import/", {"file": _plates(3 << 20), "commit": "all"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "上传的文件" in page and "最多接受 1 MB" in page
    assert "/tmp" not in page and "media" not in page
    assert Job.objects.count() == 0


def test_an_api_client_gets_the_reason_as_json(client, wenzhou_counties, one_mb_limit):
    client.force_login(lucheng_officer())
    response = client.post("/placenames/api/applications/1/transition/", {"evidence": _plates(3 << 20)},
                           HTTP_ACCEPT="application/json")
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_a_file_under_the_limit_is_taken(client, wenzhou_counties, one_mb_limit):
    client.force_login(lucheng_officer())
    response = client.post("/doorplates/import/", {"file": _plates(500_000), "commit": "all"})
    assert response.status_code == 302 and Job.objects.count() == 1
