"""An officer's photo of a place, uploaded through the office form, is stored and served on the public gazetteer
page without its EXIF (camera, time, GPS position) and comments, with the same pixels; sent again it is the same
photo; a damaged image is a clear 400, never a 500. A crew's photo that carries metadata goes public as a clean copy,
the field upload staying as the device sent it (named by its hash). (The container walk itself: tests/core/.)"""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile

from placenames import place_photos
from placenames.models import PlacePhoto
from tests.base import image_bytes, lucheng_officer
from tests.core.test_photos_lose_their_metadata import MADE, SECRET, read
from tests.placenames.builders import place

pytestmark = pytest.mark.django_db


def test_the_stored_and_served_photo_has_no_gps_and_the_same_pixels(client, wenzhou_counties):
    village = place("苍坡村", kind="village")
    officer = lucheng_officer()
    client.force_login(officer)
    url = f"/placenames/places/{village.pk}/photos/"
    taken = image_bytes("JPEG", seed=8, size=(32, 24), **MADE["JPEG"])
    assert read(taken).getexif().get_ifd(0x8825)  # the phone wrote where it was
    assert client.post(url, {"photo": SimpleUploadedFile("村口.jpg", taken, content_type="image/jpeg")}).status_code == 302
    [photo] = PlacePhoto.objects.all()
    with photo.file.open("rb") as handle:
        stored = handle.read()
    client.logout()
    served = client.get(f"/placenames/g/place-photos/{photo.pk}/")
    assert served.status_code == 200 and b"".join(served.streaming_content) == stored
    kept = read(stored)
    assert SECRET.encode() not in stored and not kept.getexif().get_ifd(0x8825)
    assert dict(kept.getexif()) == {0x0112: 6}  # still shown upright
    assert kept.tobytes() == read(taken).tobytes()

    client.force_login(officer)
    again = client.post(url, {"photo": SimpleUploadedFile("again.jpg", taken, content_type="image/jpeg")})
    assert again.status_code == 409 and PlacePhoto.objects.count() == 1  # the same photo once
    png = image_bytes("PNG", seed=9, **MADE["PNG"])
    assert client.post(url, {"photo": SimpleUploadedFile("p.png", png, content_type="image/png")}).status_code == 302
    with PlacePhoto.objects.latest("pk").file.open("rb") as handle:
        assert SECRET.encode() not in handle.read()


def test_a_damaged_photo_is_a_clear_400(client, wenzhou_counties):
    village = place("苍坡村", kind="village")
    client.force_login(lucheng_officer())
    url = f"/placenames/places/{village.pk}/photos/"
    whole = image_bytes("JPEG", seed=10, size=(32, 24))
    for damaged in (whole[: len(whole) // 2], b"\xff\xd8\xff\xe0\xff\xff" + b"\x00" * 40):
        answer = client.post(url, {"photo": SimpleUploadedFile("cut.jpg", damaged, content_type="image/jpeg")})
        assert answer.status_code == 400 and not PlacePhoto.objects.exists()
        assert "该图片已损坏或不完整" in answer.content.decode()  # what was wrong, in the page's language


def test_a_crews_photo_with_metadata_goes_public_as_a_clean_copy(client, wenzhou_counties,
                                                                 django_capture_on_commit_callbacks):
    village = place("苍坡村", kind="village")
    officer = lucheng_officer()
    taken = image_bytes("JPEG", seed=11, size=(16, 12), **MADE["JPEG"])  # not from the tablet, which re-encodes
    digest = hashlib.sha256(taken).hexdigest()
    sent = default_storage.save(f"field/uploads/{digest}.jpg", ContentFile(taken))
    [photo] = place_photos.attach_field_photos(officer, village, [(sent, digest)])
    assert (photo.sha256, photo.from_field) == (digest, True) and photo.file.name != sent
    assert place_photos.attach_field_photos(officer, village, [(sent, digest)]) == []  # on the place once
    served = b"".join(client.get(f"/placenames/g/place-photos/{photo.pk}/").streaming_content)
    assert SECRET.encode() not in served and read(served).tobytes() == read(taken).tobytes()
    with default_storage.open(sent) as handle:
        assert handle.read() == taken  # the field upload still hashes to its name

    client.force_login(officer)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/placenames/places/photos/{photo.pk}/remove/").status_code == 302
    assert not default_storage.exists(photo.file.name) and default_storage.exists(sent)
