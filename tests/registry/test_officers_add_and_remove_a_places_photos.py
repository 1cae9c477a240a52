"""A place's photos: the region's officers add them (images only, judged by content) and remove them on the place's
office page; the public gazetteer page shows them while the name is in use, with nothing internal; another region's
officer can do nothing with them. (A crew's photos: tests/field/test_api_rural_names_are_collected_into_a_campaign.)"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from placenames.models import PlacePhoto, PlaceStatus
from tests.base import lucheng_officer, ruian_officer
from tests.placenames.builders import place
from tests.registry.test_signs_go_through_their_lifecycle import PNG

pytestmark = pytest.mark.django_db


def test_an_officer_adds_and_removes_a_photo_and_the_public_page_shows_it(client, wenzhou_counties,
                                                                          django_capture_on_commit_callbacks):
    village = place("苍坡村", kind="village")
    elsewhere = ruian_officer()
    client.force_login(elsewhere)
    refused = client.post(f"/placenames/places/{village.pk}/photos/",
                          {"photo": SimpleUploadedFile("a.png", PNG, content_type="image/png")})
    assert refused.status_code == 404 and not PlacePhoto.objects.exists()  # not in that officer's region

    officer = lucheng_officer()
    client.force_login(officer)
    html_page = SimpleUploadedFile("x.png", b"<html><script>alert(1)</script></html>", content_type="image/png")
    assert client.post(f"/placenames/places/{village.pk}/photos/", {"photo": html_page}).status_code == 400
    added = client.post(f"/placenames/places/{village.pk}/photos/",
                        {"photo": SimpleUploadedFile("村口.png", PNG, content_type="image/png"), "caption": "村口古樟"})
    assert added.status_code == 302
    [photo] = village.photos.all()
    assert (photo.caption, photo.from_field, photo.file.name.endswith(".png")) == ("村口古樟", False, True)
    again = client.post(f"/placenames/places/{village.pk}/photos/",
                        {"photo": SimpleUploadedFile("again.png", PNG, content_type="image/png")})
    assert again.status_code == 409  # the same content once
    office = client.get(f"/placenames/places/{village.pk}/").content.decode()
    assert f"/placenames/g/place-photos/{photo.pk}/" in office and "村口古樟" in office

    client.logout()
    public = client.get(f"/placenames/g/{village.pk}/").content.decode()
    assert f'<img src="/placenames/g/place-photos/{photo.pk}/" alt="村口古樟"' in public
    assert "/placenames/places/" not in public and "remove" not in public  # no office links
    served = client.get(f"/placenames/g/place-photos/{photo.pk}/")
    assert (served.status_code, served["Content-Type"], b"".join(served.streaming_content)) == (200, "image/png", PNG)
    village.status = PlaceStatus.RETIRED
    village.save(update_fields=["status"])
    assert client.get(f"/placenames/g/place-photos/{photo.pk}/").status_code == 404  # no longer public
    village.status = PlaceStatus.IN_USE
    village.save(update_fields=["status"])

    client.force_login(elsewhere)
    assert client.post(f"/placenames/places/photos/{photo.pk}/remove/").status_code == 404
    client.force_login(officer)
    storage, name = photo.file.storage, photo.file.name
    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the removal commits
        assert client.post(f"/placenames/places/photos/{photo.pk}/remove/").status_code == 302
    assert not village.photos.exists() and not storage.exists(name)
