"""Photos stored before photos lost their metadata on arrival lose it on the upgrade (the apps' data migrations,
core.kept_photos): in place, the same pixels, the digest of the clean content; a crew's field upload stays as the device
sent it (a place's photo of it gets a clean copy; a grave's stays linked to it); a second photo of the same picture
keeps both; a missing or unreadable file is left; a second run changes nothing."""

import hashlib
import importlib

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from cemeteries.models import GravePhoto, PhotoRole
from core.images import without_metadata
from placenames.models import PlacePhoto
from tests.base import image_bytes, lucheng_officer
from tests.cemeteries.builders import grave_at, known_geography
from tests.core.test_photos_lose_their_metadata import MADE, SECRET, read
from tests.placenames.builders import ensure_seed_data, place

pytestmark = pytest.mark.django_db

PLACENAMES = importlib.import_module("placenames.migrations.0011_kept_photos_without_metadata")
CEMETERIES = importlib.import_module("cemeteries.migrations.0007_kept_photos_without_metadata")


def taken(seed: int) -> bytes:
    """A phone's photo: camera, time and GPS position in its EXIF, a comment, XMP."""
    return image_bytes("JPEG", seed=seed, size=(32, 24), **MADE["JPEG"])


def content(stored) -> bytes:
    with stored.open("rb") as handle:
        return handle.read()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_clean_copy_of(data: bytes, original: bytes) -> None:
    assert SECRET.encode() not in data and not read(data).getexif().get_ifd(0x8825)
    assert read(data).tobytes() == read(original).tobytes()


def kept_as_before(model, data: bytes, **fields):
    """A photo row as the app stored it before: its file the upload's own bytes, metadata and all."""
    row = model(**fields)
    getattr(row, "file" if model is PlacePhoto else "image").save("photo.jpg", ContentFile(data), save=False)
    row.save()
    return row


def test_place_and_sign_photos_lose_their_metadata_in_place_and_field_uploads_stay_as_sent(wenzhou_counties):
    ensure_seed_data()
    village = place("苍坡村", kind="village")
    own_bytes, twin_bytes, field_bytes = taken(1), taken(2), taken(3)
    own = kept_as_before(PlacePhoto, place=village, sha256=sha(own_bytes), data=own_bytes)
    # The same picture as twin_bytes, sent before without its metadata (as accept_photo stores a photo today).
    twin_clean = kept_as_before(PlacePhoto, place=village, sha256=sha(without_metadata(twin_bytes)),
                                data=without_metadata(twin_bytes))
    twin = kept_as_before(PlacePhoto, place=village, sha256=sha(twin_bytes), data=twin_bytes)
    upload_name = default_storage.save("field/uploads/" + sha(field_bytes), ContentFile(field_bytes))
    from_field = PlacePhoto.objects.create(place=village, file=upload_name, sha256=sha(field_bytes), from_field=True)
    gone = PlacePhoto.objects.create(place=village, file="placenames/places/2026/01/gone.jpg", sha256="0" * 64)
    names = {p.pk: p.file.name for p in PlacePhoto.objects.all()}

    PLACENAMES.strip(apps, None)

    own.refresh_from_db()
    assert own.file.name == names[own.pk]  # in place
    assert_clean_copy_of(content(own.file), own_bytes)
    assert own.sha256 == sha(content(own.file))  # a photo sent again today is recognised
    twin.refresh_from_db()
    assert_clean_copy_of(content(twin.file), twin_bytes)
    assert twin.sha256 == sha(twin_bytes)  # its clean digest is twin_clean's: both photos stay
    assert PlacePhoto.objects.filter(pk=twin_clean.pk).exists()
    from_field.refresh_from_db()
    assert from_field.file.name.startswith("placenames/places/") and from_field.sha256 == sha(field_bytes)
    assert_clean_copy_of(content(from_field.file), field_bytes)
    assert content(default_storage.open(upload_name)) == field_bytes  # the field app's file as the device sent it
    gone.refresh_from_db()
    assert gone.file.name == names[gone.pk]

    before = {p.pk: (p.file.name, p.sha256, content(p.file)) for p in PlacePhoto.objects.exclude(pk=gone.pk)}
    PLACENAMES.strip(apps, None)
    assert {p.pk: (p.file.name, p.sha256, content(p.file)) for p in PlacePhoto.objects.exclude(pk=gone.pk)} == before


def test_grave_photos_lose_their_metadata_and_a_crews_upload_stays_linked_as_sent():
    known_geography()
    officer = lucheng_officer()
    grave = grave_at(100, 100, officer, owner_name="王五", owner_phone="13900000001")
    own_bytes, field_bytes = taken(4), taken(5)
    own = kept_as_before(GravePhoto, grave=grave, role=PhotoRole.BEFORE, sha256=sha(own_bytes), data=own_bytes)
    upload_name = default_storage.save("field/uploads/" + sha(field_bytes), ContentFile(field_bytes))
    crews = GravePhoto.objects.create(grave=grave, role=PhotoRole.ROAD, image=upload_name, sha256=sha(field_bytes))
    damaged = kept_as_before(GravePhoto, grave=grave, role=PhotoRole.AFTER, sha256="1" * 64, data=own_bytes[:200])

    CEMETERIES.strip(apps, None)

    own.refresh_from_db()
    assert_clean_copy_of(content(own.image), own_bytes)
    assert own.sha256 == sha(content(own.image))
    crews.refresh_from_db()
    assert crews.image.name == upload_name and content(crews.image) == field_bytes
    damaged.refresh_from_db()
    assert content(damaged.image) == own_bytes[:200] and damaged.sha256 == "1" * 64
