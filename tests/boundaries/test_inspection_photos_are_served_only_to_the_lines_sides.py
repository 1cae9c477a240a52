"""A marker photo is kept only when its content is an image, whatever its declared type, and is served only to
an officer of one of the line's sides, as a download with nosniff (never from a public /media/ URL)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from boundaries.inspection_models import RecordPhoto
from tests.base import image_bytes
from tests.boundaries.test_inspection_api_for_tablets import API, field, post  # noqa: F401 - the fixture

JPEG = image_bytes("JPEG", size=(1, 1))


def _record(client, line, campaign):
    return post(client, f"{API}/campaigns/{campaign['uuid']}/records/",
                {"marker": str(line.markers.first().uuid), "state": "damaged"}).json()


def test_a_photo_is_downloaded_by_the_lines_sides_only(field):  # noqa: F811
    client, line, campaign, _lucheng, ouhai, taishun = field
    rec = _record(client, line, campaign)
    photo = SimpleUploadedFile("桩.jpg", JPEG, content_type="image/jpeg")
    url = client.post(f"{API}/records/{rec['uuid']}/photos/", {"image": photo}).json()["url"]
    assert url.startswith(f"{API}/photos/") and "/media/" not in url

    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == JPEG
    assert response["Content-Type"] == "image/jpeg" and response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/media/{RecordPhoto.objects.get().image.name}").status_code == 404
    client.force_login(ouhai)  # the other side
    assert client.get(url).status_code == 200
    client.force_login(taishun)  # no side of the line
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("content", [b"<html><script>alert(1)</script></html>", b"%PDF-1.4\n"])
def test_a_file_that_is_not_an_image_is_refused_whatever_its_declared_type(field, content):  # noqa: F811
    client, line, campaign, *_ = field
    rec = _record(client, line, campaign)
    photo = SimpleUploadedFile("桩.jpg", content, content_type="image/jpeg")
    response = client.post(f"{API}/records/{rec['uuid']}/photos/", {"image": photo})
    assert response.status_code == 400 and response.json()["error"]["code"] == "unsupported_file_type"
    assert not RecordPhoto.objects.exists()


def test_the_agreement_map_is_downloaded_by_the_lines_sides_only(wenzhou_counties, client):
    from django.core.files.base import ContentFile

    from tests.boundaries.lines_base import line_with_markers, officers

    lucheng, _ouhai, _city, taishun = officers()
    line = line_with_markers(lucheng)
    line.agreement_map.save("附图.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    client.force_login(lucheng)
    page = client.get(f"/boundaries/lines/{line.uuid}/").content.decode()
    url = f"/boundaries/lines/{line.uuid}/agreement-map/"
    assert url in page and "/media/" not in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;") and response["X-Content-Type-Options"] == "nosniff"
    client.force_login(taishun)
    assert client.get(url).status_code == 404


def test_a_photo_sent_again_after_a_lost_answer_is_kept_once(field):  # noqa: F811
    """A tablet that lost the answer sends the same photo again: the first photo answers, nothing is stored twice;
    another photo of the same marker is a second one."""
    client, line, campaign, *_ = field
    rec = _record(client, line, campaign)
    url = f"{API}/records/{rec['uuid']}/photos/"
    first = client.post(url, {"image": SimpleUploadedFile("桩.jpg", JPEG, content_type="image/jpeg")})
    again = client.post(url, {"image": SimpleUploadedFile("桩-重发.jpg", JPEG, content_type="image/jpeg")})
    other = client.post(url, {"image": SimpleUploadedFile("桩2.jpg", image_bytes("JPEG", seed=1, size=(1, 1)),
                                                    content_type="image/jpeg")})

    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 201)
    assert again.json()["url"] == first.json()["url"] != other.json()["url"]
    assert RecordPhoto.objects.count() == 2
